/* dashboard.h — the home page, the county's policy settings (settings.c) and, later, the
 * dashboards of every level of the tree. */
#ifndef ZW_DASHBOARD_H
#define ZW_DASHBOARD_H
#include "platform/i18n.h"
#include "platform/router.h"

extern const Route dashboard_routes[];
extern const Msg dashboard_msgs[];
extern const Route settings_routes[];
extern const Msg settings_msgs[];

#endif
