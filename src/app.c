/* app.c — the one place that lists the mechanisms. Adding a page means adding its route to its
 * mechanism's table; adding a mechanism means one line in each list below. */
#include "app.h"
#include "committees/committees.h"
#include "contact/contact.h"
#include "dashboard/dashboard.h"
#include "deliberation/deliberation.h"
#include "org/org.h"
#include "org/org_auth.h"
#include "org/roles.h"
#include "people/import.h"
#include "people/people.h"
#include "people/profile.h"
#include "people/rollindex.h"
#include "platform/log.h"
#include "platform/auth.h"
#include "platform/i18n.h"
#include "platform/metrics.h"
#include "platform/page.h"
#include "platform/router.h"

extern const Route platform_routes[], asset_routes[];
void assets_init(void);

static const Route *const route_tables[] = {
    platform_routes, asset_routes, dashboard_routes, org_routes, login_routes, user_routes, auditlog_routes,
    people_routes, profile_routes, import_routes, committee_routes, contact_routes, deliberation_routes, settings_routes, NULL,
};

/* Texts of this file (the menu). */
static const Msg app_msgs[] = {
    {"组织架构", "Organisation"},
    {"组委会", "Committees"},
    {"走访", "Visits"},
    {"双向联系", "Two-way contact"},
    {"事项", "Matters"},
    {"导入花名册", "Import roster"},
    {"政策设置", "Policy settings"},
    {"用户管理", "Users"},
    {"操作日志", "Audit log"},
    {"我的", "Me"},
    {NULL, NULL},
};

static const Msg *const message_tables[] = {
    platform_msgs, app_msgs, dashboard_msgs, org_msgs, auth_msgs,
    people_msgs, import_msgs, committee_msgs, contact_msgs, deliberation_msgs, settings_msgs, NULL,
};

/* The side menu; entries with bottom=true also form the phone's bottom bar (UI.md). */
static const MenuItem menu[] = {
    {"/", "首页", "home", 0, true},
    {"/org", "组织架构", "org", CAP_VIEW, false},
    {"/people", "组民名册", "people", CAP_VIEW, false},
    {"/committees", "组委会", "committee", CAP_VIEW, false},
    {"/visits/new", "走访", "visit", CAP_FIELD, true},
    {"/contact/compliance", "双向联系", "audit", CAP_VIEW, false},
    {"/matters", "事项", "matters", CAP_VIEW, true},
    {"/import/people", "导入花名册", "export", CAP_IMPORT, false},
    {"/settings", "政策设置", "settings", CAP_SETTINGS, false},
    {"/users", "用户管理", "users", CAP_USERS, false},
    {"/audit", "操作日志", "audit", CAP_AUDIT, false},
    {"/me", "我的", "me", CAP_LOGIN, true},
    {NULL, NULL, NULL, 0, false},
};

/* The buttons on a unit's page to the other mechanisms' pages about it (org/org.h). */
static const UnitLink unit_links[] = {
    {"/groups/", "/households", "户", UNIT_KIND_BIT(UNIT_GROUP), CAP_VIEW},
    {"/groups/", "/committee", "组委会", UNIT_KIND_BIT(UNIT_GROUP), CAP_VIEW},
    {"/committees?unit=", "", "组委会", UNIT_ANY_KIND & ~UNIT_KIND_BIT(UNIT_GROUP), CAP_VIEW},
    {"/groups/", "/matters", "议事决策", UNIT_KIND_BIT(UNIT_GROUP), CAP_VIEW},
    {"/matters?unit=", "", "事项", UNIT_ANY_KIND & ~UNIT_KIND_BIT(UNIT_GROUP), CAP_VIEW},
    {"/groups/", "/meetings", "会议", UNIT_KIND_BIT(UNIT_GROUP), CAP_VIEW},
    {"/groups/", "/rules", "组规民约", UNIT_KIND_BIT(UNIT_GROUP), CAP_VIEW},
    {"/people?unit=", "", "组民名册", UNIT_ANY_KIND, CAP_VIEW},
    {NULL, NULL, NULL, 0, 0},
};
/* The cards other mechanisms add to a unit's page, under its facts. */
static const UnitCardFn unit_cards[] = {people_unit_card, NULL};

/* The mechanisms' own metrics, after the platform's on GET /metrics. */
static const MetricsWriter metric_writers[] = {roll_index_metrics, NULL};

int app_messages(const char **first) { return i18n_init(message_tables, first); }

void app_init(void) {
    router_init(route_tables);
    auth_set_role_caps(role_caps);
    auth_protect_tables();
    const char *first;
    int conflicts = app_messages(&first);
    if (conflicts) log_error("%d UI texts have two English translations, the first \"%s\"", conflicts, first);
    page_set_menu(menu);
    org_set_unit_extras(unit_links, unit_cards);
    metrics_set_writers(metric_writers);
    assets_init();
}
