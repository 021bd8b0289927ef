/* app.c — the one place that lists the mechanisms. Adding a page means adding its route to its
 * mechanism's table; adding a mechanism means one line in each list below. */
#include "app.h"
#include "dashboard/dashboard.h"
#include "org/org.h"
#include "org/org_auth.h"
#include "org/roles.h"
#include "people/import.h"
#include "people/people.h"
#include "platform/auth.h"
#include "platform/i18n.h"
#include "platform/page.h"
#include "platform/router.h"

extern const Route platform_routes[], asset_routes[];
void assets_init(void);

/* Mechanisms still being built are referenced weakly so the program links without them. */
#define WEAK __attribute__((weak))
extern const Route committee_routes[] WEAK, contact_routes[] WEAK,
    deliberation_routes[] WEAK;
extern const Msg committee_msgs[] WEAK, contact_msgs[] WEAK,
    deliberation_msgs[] WEAK;

static const Route *const route_tables[] = {
    platform_routes, asset_routes, dashboard_routes, org_routes, login_routes, user_routes, auditlog_routes,
    people_routes, import_routes, committee_routes, contact_routes, deliberation_routes,
};

/* Texts of this file (the menu). */
static const Msg app_msgs[] = {
    {"组织架构", "Organisation"},
    {"组民", "Villagers"},
    {"组委会", "Committees"},
    {"走访", "Visits"},
    {"事项", "Matters"},
    {"导入花名册", "Import roster"},
    {"用户管理", "Users"},
    {"操作日志", "Audit log"},
    {"我的", "Me"},
    {NULL, NULL},
};

static const Msg *const message_tables[] = {
    platform_msgs, app_msgs, dashboard_msgs, org_msgs, auth_msgs,
    people_msgs, import_msgs, committee_msgs, contact_msgs, deliberation_msgs,
};

/* The side menu; entries with bottom=true also form the phone's bottom bar (UI.md). */
static const MenuItem menu[] = {
    {"/", "首页", "home", 0, true},
    {"/org", "组织架构", "org", CAP_VIEW, false},
    {"/people", "组民", "people", CAP_VIEW, false},
    {"/committees", "组委会", "committee", CAP_VIEW, false},
    {"/visits/new", "走访", "visit", CAP_FIELD, true},
    {"/matters", "事项", "matters", CAP_VIEW, true},
    {"/import/people", "导入花名册", "export", CAP_IMPORT, false},
    {"/users", "用户管理", "users", CAP_USERS, false},
    {"/audit", "操作日志", "audit", CAP_AUDIT, false},
    {"/me", "我的", "me", CAP_LOGIN, true},
    {NULL, NULL, NULL, 0, false},
};

/* Copies the non-NULL entries of `in` into `out` and ends the list with NULL. */
static void compact(const void *const *in, size_t n, const void **out) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (in[i]) out[k++] = in[i];
    out[k] = NULL;
}

void app_init(void) {
    enum { NT = sizeof route_tables / sizeof route_tables[0], NM = sizeof message_tables / sizeof message_tables[0] };
    static const void *routes[NT + 1], *msgs[NM + 1];
    compact((const void *const *)route_tables, NT, routes);
    compact((const void *const *)message_tables, NM, msgs);
    router_init((const Route *const *)routes);
    auth_set_role_caps(role_caps);
    auth_protect_tables();
    i18n_init((const Msg *const *)msgs);
    page_set_menu(menu);
    assets_init();
}
