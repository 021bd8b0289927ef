/* home.c — the home page: for the public, what Zuwei is and the way in; for a logged-in user,
 * their own start page (to-do items arrive with the two-way contact mechanism). */
#include "dashboard/dashboard.h"
#include "contact/contact.h"
#include "platform/auth.h"
#include "platform/html.h"
#include "platform/page.h"

/* The eight duties (八大员) shown on the public home page, as the seed article lists them. */
static const char *const duties[][2] = {
    {"宣传员", "党的政策宣传"}, {"监督员", "党务村务监督"}, {"调解员", "矛盾纠纷调解"}, {"倡导员", "文明新风倡导"},
    {"代理员", "群众利益代理"}, {"领航员", "脱贫致富领航"}, {"协管员", "环境整治协管"}, {"示范员", "遵纪守法示范"},
};

static void public_home(Req *r, Buf *b) {
    html(b, "<section class=\"card hero\"><h1>%s</h1><p>%s</p><p><a class=\"button primary\" href=\"/login\">%s</a></p></section>",
         T(r, "民心党建 + 组委会"),
         T(r, "组委是村民小组组委会的工作平台：组织架构与组民名册、组委会选举、双向联系走访、议事决策与公开，让群众的事群众自己说了算、自己组织干、自己监督看。"),
         T(r, "工作人员登录"));
    html(b, "<section class=\"card\"><h2>%s</h2><dl class=\"facts\">", T(r, "组委会的八大员职责"));
    for (size_t i = 0; i < sizeof duties / sizeof duties[0]; i++)
        html(b, "<dt>%s</dt><dd>%s</dd>", T(r, duties[i][0]), T(r, duties[i][1]));
    html_raw(b, "</dl></section>");
    html(b, "<section class=\"card\"><h2>%s</h2><p>%s</p></section>", T(r, "村民查看公开信息"),
         T(r, "扫描张贴在组里的二维码，即可查看本组的组委会成员、组规民约、议事决议和公开日内容。"));
}

static void user_home(Req *r, Buf *b) {
    html(b, "<div class=\"pagehead\"><h1>%s%s</h1></div>", T(r, "您好，"), r->who->display_name);
    if (r->who->person_id && !auth_has(r, CAP_VIEW))   /* a villager: their own household first */
        html(b, "<section class=\"card\"><h2>%s</h2><p>%s</p><p><a class=\"button primary\" href=\"/me/household\">%s</a></p></section>",
             T(r, "我家"), T(r, "查看本户登记的成员、户情和联系本户的组委会成员。"), T(r, "查看我家"));
    contact_todo(r, b);   /* visits and guidance contacts owed, overdue items (双向联系) */
}

static void h_home(Req *r, Resp *w) {
    page_begin(r, w, T(r, "首页"), &(PageOpts){.menu = "/"});
    if (r->who) user_home(r, &w->body);
    else public_home(r, &w->body);
    page_end(r, w);
}

const Route dashboard_routes[] = {
    {HTTP_GET, "/", h_home, 0, 0, NULL},
    {0, NULL, NULL, 0, 0, NULL},
};

const Msg dashboard_msgs[] = {
    {"首页", "Home"},
    {"查看本户登记的成员、户情和联系本户的组委会成员。", "See the members, profile and committee contact of your household as registered."},
    {"查看我家", "View my household"},
    {"民心党建 + 组委会", "Party building + village-group committees"},
    {"组委是村民小组组委会的工作平台：组织架构与组民名册、组委会选举、双向联系走访、议事决策与公开，让群众的事群众自己说了算、自己组织干、自己监督看。",
     "Zuwei is where village-group committees keep their work: the org tree and the roll of villagers, committee "
     "elections, visits to households, deliberation, decisions and disclosure — so that villagers decide, organise "
     "and oversee their own affairs."},
    {"工作人员登录", "Staff log in"},
    {"组委会的八大员职责", "The eight duties of a committee"},
    {"宣传员", "Policy publicist"}, {"党的政策宣传", "explains the Party's policies"},
    {"监督员", "Affairs supervisor"}, {"党务村务监督", "oversees Party and village affairs"},
    {"调解员", "Mediator"}, {"矛盾纠纷调解", "mediates disputes"},
    {"倡导员", "Civility advocate"}, {"文明新风倡导", "promotes civility"},
    {"代理员", "Villagers' agent"}, {"群众利益代理", "acts for villagers' interests"},
    {"领航员", "Prosperity navigator"}, {"脱贫致富领航", "leads the way to prosperity"},
    {"协管员", "Environment co-manager"}, {"环境整治协管", "helps keep the environment clean"},
    {"示范员", "Law-abiding example"}, {"遵纪守法示范", "sets an example of keeping the law"},
    {"村民查看公开信息", "For villagers: public information"},
    {"扫描张贴在组里的二维码，即可查看本组的组委会成员、组规民约、议事决议和公开日内容。",
     "Scan the QR code posted in your group to see its committee, group rules, decisions and open-day reports."},
    {"您好，", "Hello, "},
    {NULL, NULL},
};
