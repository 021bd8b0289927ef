/* app.c — the one place that lists the mechanisms. Adding a page means adding its route to its
 * mechanism's table; adding a mechanism means one line in each list below. */
#include "app.h"
#include "dashboard/dashboard.h"
#include "org/org.h"
#include "org/org_auth.h"
#include "org/roles.h"
#include "platform/auth.h"
#include "platform/i18n.h"
#include "platform/page.h"
#include "platform/router.h"

extern const Route platform_routes[], asset_routes[];
void assets_init(void);

static const Route *const route_tables[] = {
    platform_routes,
    asset_routes,
    dashboard_routes,
    org_routes,
    login_routes,
    user_routes,
    auditlog_routes,
    NULL,
};

static const Msg *const message_tables[] = {
    platform_msgs,
    dashboard_msgs,
    org_msgs,
    auth_msgs,
    NULL,
};

/* The side menu; entries with bottom=true also form the phone's bottom bar (UI.md). */
static const MenuItem menu[] = {
    {"/", "首页", "home", 0, true},
    {"/org", "组织架构", "org", CAP_VIEW, false},
    {"/users", "用户管理", "users", CAP_USERS, false},
    {"/audit", "操作日志", "audit", CAP_AUDIT, false},
    {"/me", "我的", "me", CAP_LOGIN, true},
    {NULL, NULL, NULL, 0, false},
};

void app_init(void) {
    router_init(route_tables);
    auth_set_role_caps(role_caps);
    auth_protect_tables();
    i18n_init(message_tables);
    page_set_menu(menu);
    assets_init();
}
