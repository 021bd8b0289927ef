/* pages.c — the pages of group committees: a group's committee with its party group and history,
 * the list and composition rollup for a village/township/county, the formation forms (meeting
 * facts, candidates and tallies, proxies, confirmation, run-off) and the member changes. Each
 * page is one function; every id is looked up inside the caller's scope (outside → 404). */
#include "committees/pages.h"
#include "people/people.h"
#include "people/store.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include "platform/page.h"
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Shared helpers */

bool cm_load_group(Req *r, Resp *w, Unit *g) {
    if (org_unit_param(r, w, "id", g) != 0) return false;
    if (g->kind == UNIT_GROUP) return true;
    page_error(r, w, 404, NULL);
    return false;
}

/* The path of the unit above `path` ("/1/2/3/" → "/1/2/"), in the arena. */
static const char *parent_path(const Req *r, const char *path) {
    size_t n = strlen(path);
    if (n < 2) return path;
    size_t i = n - 1;
    while (i > 0 && path[i - 1] != '/') i--;
    return arena_strndup(r->arena, path, i);
}

bool cm_may_record(const Req *r, const char *group_path) { return auth_can(r, CAP_EDIT, parent_path(r, group_path)); }
bool cm_may_confirm(const Req *r, const char *group_path) { return auth_can(r, CAP_REVIEW, group_path); }

static const char *choice_zh(const Choice *c, const char *v) {
    for (; c->value; c++)
        if (strcmp(c->value, v) == 0) return c->label;
    return v;
}

/* Opens a page about group `g` (crumbs to the group, then `leaf`). */
static void group_page_begin(Req *r, Resp *w, const Unit *g, const char *title, const char *leaf) {
    Crumb crumbs[ORG_CRUMBS_MAX];
    int n = org_crumbs(r, g, crumbs, ORG_CRUMBS_MAX - 1);
    if (leaf) crumbs[n++] = (Crumb){leaf, NULL};
    page_begin(r, w, title, &(PageOpts){.crumbs = crumbs, .ncrumbs = n, .menu = "/committees", .unit = g->name});
}

static int age_of(const char *birth) {
    int32_t b;
    return date_parse(birth, &b) == 0 ? age_on(b, date_today()) : -1;
}

static const char *fdate(const Req *r, const char *iso) {
    int32_t d;
    return iso && date_parse(iso, &d) == 0 ? fmt_date(r, d) : "";
}

/* Badges of the flags the organisation department counts. */
static void flag_badges(Req *r, Buf *b, unsigned flags) {
    for (const FlagName *f = person_flags; f->key; f++)
        if ((flags & f->bit) && f->bit != PF_LABOUR)
            html(b, "<span class=\"badge%s\">%s</span> ", f->bit == PF_PARTY ? " err" : f->bit == PF_CADRE ? " warn" : "", T(r, f->zh));
}

/* Ends a form page; a failed submission answers 422 so scripts and tests can tell. */
static void form_end(Req *r, Resp *w, bool failed) {
    page_end(r, w);
    if (failed) w->status = 422;
}

/* ---------------------------------------------------------------------------------------------
 * The group's committee page */

static void composition_badges(Req *r, Buf *b, const Composition *c) {
    html(b, "<p class=\"badges\"><span class=\"badge\">%s</span> <span class=\"badge err\">%s</span> <span class=\"badge\">%s</span>"
            " <span class=\"badge\">%s</span> <span class=\"badge\">%s</span> <span class=\"badge\">%s</span> <span class=\"badge\">%s</span>",
         Tn(r, "{n} 人", c->members), Tn(r, "党员 {n}", c->party), Tn(r, "女性 {n}", c->women), Tn(r, "春晖使者 {n}", c->chunhui),
         Tn(r, "致富能手 {n}", c->wealth), Tn(r, "复转军人 {n}", c->veteran), Tn(r, "退休公职人员 {n}", c->retired));
    html(b, " <span class=\"badge muted\">%s</span> <span class=\"badge muted\">%s</span> <span class=\"badge muted\">%s</span>"
            " <span class=\"badge muted\">%s</span></p>",
         Tn(r, "35岁及以下 {n}", c->age[0]), Tn(r, "36–50岁 {n}", c->age[1]), Tn(r, "51–60岁 {n}", c->age[2]), Tn(r, "60岁以上 {n}", c->age[3]));
}

static void members_table(Req *r, Buf *b, const Committee *c, const Member *m, int n, bool actions) {
    static const UiCol cols[] = {{"姓名", false}, {"职务", false}, {"性别、年龄", false},
                                 {"任职", false}, {"身份", false}, {NULL, false}};
    UiTable t;
    ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
    for (int i = 0; i < n; i++) {
        ui_td(b, &t, 0);
        html(b, "%s", m[i].name);
        ui_td(b, &t, 1);
        html(b, "%s", T(r, committee_post_label(m[i].post, m[i].post_name)));
        ui_td(b, &t, 2);
        html(b, "%s · %s", m[i].sex == 'F' ? T(r, "女") : T(r, "男"), Tn(r, "{n} 岁", age_of(m[i].birth)));
        ui_td(b, &t, 3);
        html(b, "%s", fdate(r, m[i].start_date));
        if (strcmp(m[i].joined_how, "elected") != 0) html(b, " <span class=\"badge muted\">%s</span>", T(r, choice_zh(member_joined_choices, m[i].joined_how)));
        if (m[i].end_date[0])
            html(b, " – %s <span class=\"badge muted\">%s</span>", fdate(r, m[i].end_date), T(r, choice_zh(member_end_choices, m[i].end_reason)));
        ui_td(b, &t, 4);
        flag_badges(r, b, m[i].flags);
        if (m[i].cadre_reason[0]) html(b, "<span class=\"hint\">%s%s</span>", T(r, "任职理由："), m[i].cadre_reason);
        if (m[i].person_unit != c->unit_id) html(b, " <span class=\"badge warn\">%s</span>", T(r, "外组人员"));
        ui_td(b, &t, 5);
        if (actions && !m[i].end_date[0])
            html(b, "<a class=\"button\" href=\"/committees/%lld/members/%lld/end\">%s</a>", (long long)c->id, (long long)m[i].id, T(r, "离任"));
        ui_tr_end(b);
    }
    ui_table_end(b);
}

/* Writes the warnings of an active committee: size outside the policy, no chair. */
static void committee_warnings(Req *r, Buf *b, const Committee *c, const Member *m, int n, bool can) {
    CommitteePolicy p = committee_policy();
    int chairs = 0;
    for (int i = 0; i < n; i++) chairs += strcmp(m[i].post, "chair") == 0;
    if (chairs == 0) html(b, "<div class=\"flash warn\" role=\"alert\">%s</div>", T(r, "本届组委会目前没有理事长（召集人），请及时补选。"));
    if (committee_check_size(&p, n) == COMMITTEE_OK) return;
    html(b, "<div class=\"flash warn\" role=\"alert\">%s", Tn2(r, "组委会现有 {n} 人，不在规定的 3 至 {m} 人之间。", n, p.max_size));
    if (c->size_note[0]) html(b, " %s%s", T(r, "已确认理由："), c->size_note);
    html_raw(b, "</div>");
    if (can && !c->size_note[0]) {
        html(b, "<form class=\"form\" method=\"post\" action=\"/committees/%lld/ack\">", (long long)c->id);
        ui_csrf(r, b);
        html(b, "<div class=\"field\"><label for=\"f-size_note\">%s</label><textarea id=\"f-size_note\" name=\"size_note\" rows=\"2\" maxlength=\"200\"></textarea></div>"
                "<div class=\"actions\"><button type=\"submit\">%s</button></div></form>",
             T(r, "人数不在规定范围的理由"), T(r, "确认"));
    }
}

/* The party group (党小组) beside the committee: its leader and the group's living party members. */
static void party_card(Req *r, Buf *b, const Unit *g) {
    PartyOrg po;
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "党小组"));
    if (party_get(auth_scope(r), g->id, &po) == 0) {
        html(b, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>", T(r, "名称"), po.name, T(r, "党小组长"),
             po.leader_name[0] ? po.leader_name : T(r, "未登记"));
    } else {
        html(b, "<p class=\"hint\">%s <a href=\"/org/%lld/party\">%s</a></p>", T(r, "还没有登记党小组。"), (long long)g->id, T(r, "登记党小组"));
    }
    Stmt *st = db_prep("SELECT id, name, sex, birth FROM person WHERE unit_id = :u AND flags & 1 != 0"
                       " AND status IN ('resident', 'migrant') ORDER BY name LIMIT 200");
    db_bind_int(st, ":u", g->id);
    int n = 0;
    html(b, "<h3>%s</h3><p>", T(r, "党员"));
    while (db_step(st) == SQLITE_ROW) {
        html(b, "%s<span>%s</span>", n ? "、" : "", db_col_text(st, 1));
        n++;
    }
    sqlite3_reset(st);
    if (!n) html(b, "%s", T(r, "本组名册上没有党员。"));
    html(b, "</p><p class=\"hint\">%s</p></section>", Tn(r, "共 {n} 名党员（含外出务工）", n));
}

static void formations_card(Req *r, Buf *b, const Unit *g, bool can) {
    Formation *fs = arena_alloc(r->arena, sizeof(Formation) * 20);
    int n = group_formations(g->id, fs, 20);
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "选举（推选）记录"));
    if (n <= 0) html(b, "<p class=\"hint\">%s</p>", T(r, "还没有选举记录。"));
    else {
        static const UiCol cols[] = {{"日期", false}, {"会议形式", false}, {"产生方式", false}, {"状态", false}};
        UiTable t;
        ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
        for (int i = 0; i < n; i++) {
            bool confirmed = strcmp(fs[i].status, "confirmed") == 0;
            ui_td(b, &t, 0);
            html(b, "<a href=\"/formations/%lld\">%s</a>", (long long)fs[i].id, fdate(r, fs[i].held_on));
            ui_td(b, &t, 1);
            html(b, "%s", T(r, choice_zh(formation_body_choices, fs[i].body)));
            ui_td(b, &t, 2);
            html(b, "%s", T(r, choice_zh(formation_method_choices, fs[i].method)));
            ui_td(b, &t, 3);
            html(b, "<span class=\"badge %s\">%s</span>", confirmed ? "ok" : "muted",
                 confirmed ? T(r, "已确认") : T(r, "草稿"));
            ui_tr_end(b);
        }
        ui_table_end(b);
    }
    if (can) html(b, "<p><a class=\"button\" href=\"/groups/%lld/formations/new\">%s</a></p>", (long long)g->id, T(r, "登记换届选举"));
    html_raw(b, "</section>");
}

static void history_card(Req *r, Buf *b, const Unit *g) {
    Committee *hs = arena_alloc(r->arena, sizeof(Committee) * 10);
    int n = committee_history(g->id, hs, 10);
    if (n <= 0) return;
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "往届组委会"));
    Member *m = arena_alloc(r->arena, sizeof(Member) * MEMBERS_MAX);
    for (int i = 0; i < n; i++) {
        html(b, "<h3>%s – %s</h3>", fdate(r, hs[i].term_start), fdate(r, hs[i].ended_on));
        int k = committee_members(hs[i].id, false, m, MEMBERS_MAX);
        if (k > 0) members_table(r, b, &hs[i], m, k, false);
    }
    html_raw(b, "</section>");
}

/* GET /groups/:id/committee — the committee of a village group, its party group and history. */
static void h_group_committee(Req *r, Resp *w) {
    Unit g;
    if (!cm_load_group(r, w, &g)) return;
    bool can = cm_may_record(r, g.path);
    group_page_begin(r, w, &g, arena_printf(r->arena, "%s · %s", g.name, T(r, "组委会")), T(r, "组委会"));
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1><div class=\"actions\">", arena_printf(r->arena, "%s%s", g.name, T(r, "组委会")));
    int64_t cid = committee_active_id(g.id);
    Committee c;
    if (cid && committee_get(auth_scope(r), cid, &c) == 0) {
        if (can) html(b, "<a class=\"button\" href=\"/committees/%lld/members/new\">%s</a>", (long long)cid, T(r, "补选或调配成员"));
        if (c.formation_id) html(b, "<a class=\"button\" href=\"/formations/%lld/notice\">%s</a>", (long long)c.formation_id, T(r, "选举结果公告"));
        html_raw(b, "</div></div>");
        Member *m = arena_alloc(r->arena, sizeof(Member) * MEMBERS_MAX);
        int n = committee_members(cid, true, m, MEMBERS_MAX);
        if (n < 0) n = 0;
        html(b, "<section class=\"card\"><h2>%s", T(r, "本届组委会"));
        if (c.attention) html(b, " <span class=\"badge warn\">%s</span>", T(r, "需关注"));
        html(b, "</h2><dl class=\"facts\"><dt>%s</dt><dd>%s – %s</dd></dl>", T(r, "任期"), fdate(r, c.term_start), fdate(r, c.term_end));
        committee_warnings(r, b, &c, m, n, can);
        Composition comp;
        committee_composition(cid, date_today(), &comp);
        composition_badges(r, b, &comp);
        if (n) members_table(r, b, &c, m, n, can);
        else html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "本届组委会目前没有在任成员。"));
        html_raw(b, "</section>");
    } else {
        html_raw(b, "</div></div>");
        html(b, "<div class=\"empty\"><p>%s</p>", T(r, "本组还没有组委会。由村“两委”和党小组召集组民大会或组民代表会议选举产生。"));
        if (can) html(b, "<p><a class=\"button primary\" href=\"/groups/%lld/formations/new\">%s</a></p>", (long long)g.id, T(r, "登记选举"));
        html_raw(b, "</div>");
    }
    party_card(r, b, &g);
    formations_card(r, b, &g, can);
    history_card(r, b, &g);
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * The list and the composition rollup */

bool committee_filters(Req *r, CommitteeFilter *f, FilterError *bad) {
    memset(f, 0, sizeof *f);
    memset(bad, 0, sizeof *bad);
    f->scope = auth_scope(r);
    f->today = date_today();
    const char *v = filter_choice(r, "attention", FILTER_ON, NULL, bad);
    f->attention = v && strcmp(v, "1") == 0;
    v = filter_choice(r, "nochair", FILTER_ON, NULL, bad);
    f->nochair = v && strcmp(v, "1") == 0;
    v = req_param_src(r, "ending", SRC_QUERY);
    if (v && *v && strspn(v, "0123456789") == strlen(v) && strlen(v) <= 4 && atoi(v) <= 3650) f->ending_days = atoi(v);
    else if (v && *v) filter_fail(bad, "ending", "choice", T(r, "任期届满天数应为 0 到 3650 之间的整数。"));
    v = req_param_src(r, "unit", SRC_QUERY);
    if (v && *v) {
        Unit u;
        long long id = atoll(v);
        if (id <= 0 || org_unit(r, id, &u) != 0) return false;
        f->scope = arena_strdup(r->arena, u.path);
    }
    return true;
}

typedef struct RowsCtx { Req *r; Buf *b; const UiTable *t; } RowsCtx;

static int row_html(void *ctx, const CommitteeRow *c) {
    RowsCtx *x = ctx;
    Req *r = x->r;
    Buf *b = x->b;
    ui_td(b, x->t, 0);
    html(b, "<a href=\"/groups/%lld/committee\">%s</a>", (long long)c->unit_id, c->group_name);
    ui_td(b, x->t, 1);
    html(b, "%s", c->village_name);
    ui_td(b, x->t, 2);
    html(b, "%s", c->chair[0] ? c->chair : "—");
    ui_td(b, x->t, 3);
    html_Tn(b, r, "{n} 人", c->members);
    ui_td(b, x->t, 4);
    html(b, "%s – %s", fdate(r, c->term_start), fdate(r, c->term_end));
    ui_td(b, x->t, 5);
    html_Tn(b, r, "{n} 人", c->party);
    ui_td(b, x->t, 6);
    if (c->attention) html(b, "<span class=\"badge warn\">%s</span> ", T(r, "需关注"));
    if (c->nochair) html(b, "<span class=\"badge err\">%s</span>", T(r, "无理事长"));
    ui_tr_end(b);
    return 0;
}

/* GET /committees — active committees in scope, with filters and paging. */
static void h_committees(Req *r, Resp *w) {
    CommitteeFilter f;
    FilterError fe;
    bool ok = committee_filters(r, &f, &fe);
    const char *bad = fe.message;
    int page = ui_page_param(r);
    page_begin(r, w, T(r, "组委会"), &(PageOpts){.menu = "/committees"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1><div class=\"actions\"><a class=\"button\" href=\"/committees/composition%s%s\">%s</a>",
         T(r, "组委会"), req_param_src(r, "unit", SRC_QUERY) ? "?unit=" : "",
         req_param_src(r, "unit", SRC_QUERY) ? req_param_src(r, "unit", SRC_QUERY) : "", T(r, "成员结构"));
    if (auth_has(r, CAP_EXPORT) && !bad) {
        const char *kept = ui_query_kept(r);
        html(b, "<a class=\"button\" href=\"/committees/export.xlsx?%s\">%s</a><a class=\"button\" href=\"/committees/export.csv?%s\">%s</a>",
             kept, T(r, "导出 Excel"), kept, T(r, "导出 CSV"));
    }
    html_raw(b, "</div></div>");
    const char *unit = req_param_src(r, "unit", SRC_QUERY);
    html(b, "<form class=\"filters\" method=\"get\"><input type=\"hidden\" name=\"unit\" value=\"%s\">"
            "<label class=\"check\"><input type=\"checkbox\" name=\"attention\" value=\"1\"%s> %s</label>"
            "<label class=\"check\"><input type=\"checkbox\" name=\"ending\" value=\"90\"%s> %s</label>"
            "<label class=\"check\"><input type=\"checkbox\" name=\"nochair\" value=\"1\"%s> %s</label>"
            "<button type=\"submit\">%s</button></form>",
         unit ? unit : "", f.attention ? " checked" : "", T(r, "需关注"), f.ending_days ? " checked" : "", T(r, "90天内任期届满"),
         f.nochair ? " checked" : "", T(r, "无理事长"), T(r, "筛选"));
    if (bad) { ui_filter_refused(r, w, bad); return; }
    /* The table goes to a buffer of its own: only the listing tells whether there is a table to show. */
    static const UiCol cols[] = {{"村民组", false}, {"村", false}, {"理事长", false}, {"人数", false},
                                 {"任期", false}, {"党员", false}, {"提示", false}};
    long long total = 0;
    Buf table = BUF_INIT;
    UiTable t;
    ui_table_begin(r, &table, &t, cols, UI_NCOLS(cols));
    RowsCtx ctx = {r, &table, &t};
    if (ok) committee_list(&f, (page - 1) * COMMITTEE_PAGE, COMMITTEE_PAGE, row_html, &ctx, &total);
    if (!total) {
        html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "没有符合条件的组委会。打开一个村民组，登记它的换届选举，组委会就会出现在这里。"));
    } else {
        html_raw(b, table.p);
        ui_table_end(b);
        ui_pager(r, b, page, COMMITTEE_PAGE, total);
    }
    buf_free(&table);
    page_end(r, w);
}

static void composition_row(Req *r, Buf *b, const Composition *c, const char *href) {
    if (href) html(b, "<tr><td><a href=\"%s\">%s</a></td>", href, c->name);
    else html(b, "<tr><td><b>%s</b></td>", c->name);
    long long cells[] = {c->groups, c->committees, c->members, c->party, c->women, c->chunhui, c->wealth, c->veteran,
                         c->retired, c->cadres, c->age[0], c->age[1], c->age[2], c->age[3], c->attention, c->nochair};
    static const char *const labels[] = {"村民组", "组委会", "成员", "党员", "女性", "春晖使者", "致富能手", "复转军人",
                                         "退休公职人员", "村两委干部", "35岁及以下", "36–50岁", "51–60岁", "60岁以上", "需关注", "无理事长"};
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++)
        html(b, "<td class=\"num\" data-label=\"%s\">%lld</td>", T(r, labels[i]), cells[i]);
    html_raw(b, "</tr>");
}

/* GET /committees/composition?unit= — the composition of committees per child unit and in all. */
static void h_composition(Req *r, Resp *w) {
    Unit u;
    const char *v = req_param_src(r, "unit", SRC_QUERY);
    int64_t id = v && *v ? atoll(v) : r->who->scope_unit;
    if (id <= 0 || org_unit(r, id, &u) != 0) { page_error(r, w, 404, NULL); return; }
    Composition *rows = arena_alloc(r->arena, sizeof(Composition) * UNIT_PAGE * 4), total;
    int n = composition_rollup(&u, date_today(), rows, UNIT_PAGE * 4, &total);
    if (n < 0) { page_error(r, w, 500, NULL); return; }
    Crumb crumbs[ORG_CRUMBS_MAX];
    int nc = org_crumbs(r, &u, crumbs, ORG_CRUMBS_MAX - 1);
    crumbs[nc++] = (Crumb){T(r, "组委会成员结构"), NULL};
    page_begin(r, w, T(r, "组委会成员结构"), &(PageOpts){.crumbs = crumbs, .ncrumbs = nc, .menu = "/committees", .unit = u.name});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s</h1></div><div class=\"stats\">", u.name, T(r, "组委会成员结构"));
    ui_stat(b, total.committees, T(r, "组委会"));
    ui_stat(b, total.members, T(r, "成员"));
    ui_stat(b, total.party, T(r, "党员"));
    ui_stat(b, total.women, T(r, "女性"));
    ui_stat(b, total.groups - total.committees, T(r, "未组建的村民组"));
    html(b, "</div><div class=\"tablewrap\"><table class=\"list wide\"><thead><tr><th>%s</th>", T(r, "单位"));
    static const char *const heads[] = {"村民组", "组委会", "成员", "党员", "女性", "春晖使者", "致富能手", "复转军人",
                                        "退休公职人员", "村两委干部", "35岁及以下", "36–50岁", "51–60岁", "60岁以上", "需关注", "无理事长"};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) html(b, "<th class=\"num\">%s</th>", T(r, heads[i]));
    html_raw(b, "</tr></thead><tbody>");
    for (int i = 0; i < n; i++)
        composition_row(r, b, &rows[i], u.kind == UNIT_VILLAGE ? arena_printf(r->arena, "/groups/%lld/committee", (long long)rows[i].unit_id)
                                                             : arena_printf(r->arena, "/committees/composition?unit=%lld", (long long)rows[i].unit_id));
    str_copy(total.name, sizeof total.name, T(r, "合计"));
    composition_row(r, b, &total, NULL);
    html_raw(b, "</tbody></table></div>");
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * Formations: the meeting facts */

static const Field facts_fields[] = {
    {"held_on", "会议日期", FT_DATE, true, 0, 0, NULL, NULL, "也是本届组委会任期的开始"},
    {"place", "会议地点", FT_TEXT, false, 0, 60, NULL, NULL, NULL},
    {"body", "会议形式", FT_ENUM, true, 0, 0, formation_body_choices, NULL, NULL},
    {"method", "产生方式", FT_ENUM, true, 0, 0, formation_method_choices, NULL, "户代表选举：应到人数为会议当天的户代表人数；直接推选：为18周岁以上组民人数。均按名册自动计算"},
    {"convened_by", "召集单位", FT_TEXT, false, 0, 100, NULL, NULL, "例如：村“两委”、党小组"},
    {"seats", "应选名额", FT_INT, true, 1, 9, NULL, NULL, "一般为3至5名"},
    {"present", "实到人数", FT_INT, true, 0, 100000, NULL, NULL, NULL},
    {"ballots_issued", "发出选票", FT_INT, false, 0, 100000, NULL, NULL, NULL},
    {"ballots_returned", "收回选票", FT_INT, false, 0, 100000, NULL, NULL, NULL},
    {"ballots_void", "无效票", FT_INT, false, 0, 100000, NULL, NULL, NULL},
};
enum { NFACTS = sizeof facts_fields / sizeof facts_fields[0] };

static void fill_facts(const Form *f, int64_t unit_id, FormationInput *in) {
    memset(in, 0, sizeof *in);
    in->unit_id = unit_id;
    in->held_on = form_s(f, "held_on");
    in->place = form_s(f, "place");
    in->body = form_s(f, "body");
    in->method = form_s(f, "method");
    in->convened_by = form_s(f, "convened_by");
    in->seats = (int)form_i(f, "seats");
    in->present = (int)form_i(f, "present");
    in->issued = (int)form_i(f, "ballots_issued");
    in->returned = (int)form_i(f, "ballots_returned");
    in->void_ballots = (int)form_i(f, "ballots_void");
}

void formation_input_of(Req *r, const Formation *f, FormationInput *in) {
    memset(in, 0, sizeof *in);
    in->unit_id = f->unit_id;
    in->held_on = f->held_on;
    in->place = f->place;
    in->body = f->body;
    in->method = f->method;
    in->convened_by = f->convened_by;
    in->seats = f->seats;
    in->present = f->present;
    in->issued = f->issued;
    in->returned = f->returned;
    in->void_ballots = f->void_ballots;
    in->runoff_issued = f->r_issued;
    in->runoff_returned = f->r_returned;
    in->runoff_void = f->r_void;
    in->size_note = f->size_note;
    FCand *c = arena_alloc(r->arena, sizeof(FCand) * CANDS_MAX);
    int n = formation_cands(f->id, c, CANDS_MAX);
    FormationCandidateIn *ci = arena_alloc(r->arena, sizeof(FormationCandidateIn) * CANDS_MAX);
    for (int i = 0; i < n; i++)
        ci[i] = (FormationCandidateIn){c[i].person_id, c[i].post, c[i].post_name, c[i].votes, c[i].runoff_votes,
                                       c[i].cadre_reason, c[i].outside_reason};
    in->cands = ci;
    in->ncands = n < 0 ? 0 : n;
    FProxy *x = arena_alloc(r->arena, sizeof(FProxy) * PROXIES_MAX);
    int k = formation_proxies(f->id, x, PROXIES_MAX);
    FormationProxyIn *xi = arena_alloc(r->arena, sizeof(FormationProxyIn) * PROXIES_MAX);
    for (int i = 0; i < k; i++) xi[i] = (FormationProxyIn){x[i].voter_id, x[i].proxy_id, x[i].relation};
    in->proxies = xi;
    in->nproxies = k < 0 ? 0 : k;
}

static void facts_form(Req *r, Buf *b, const Form *f, const char *action, const char *general, const char *button) {
    if (general) html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", general);
    html(b, "<form class=\"form\" method=\"post\" action=\"%s\" novalidate>", action);
    ui_csrf(r, b);
    html_raw(b, "<input type=\"hidden\" name=\"action\" value=\"facts\">");
    for (int i = 0; i < NFACTS; i++) ui_field(r, b, f, facts_fields[i].name);
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form>", button);
}

/* GET/POST /groups/:id/formations/new — the facts of a formation meeting. */
static void h_formation_new(Req *r, Resp *w) {
    Unit g;
    if (!cm_load_group(r, w, &g)) return;
    if (!cm_may_record(r, g.path)) { page_error(r, w, 403, NULL); return; }
    Form f;
    const char *general = NULL;
    if (r->method == HTTP_POST) {
        if (form_read(r, &f, facts_fields, NFACTS) == 0) {
            FormationInput in;
            fill_facts(&f, g.id, &in);
            Actor a = actor_of(r);
            int64_t id = 0;
            char why[200];
            int rc = formation_save(&a, &id, &in, false, why, sizeof why);
            if (rc == 0) {
                resp_redirect_flash(r, w, arena_printf(r->arena, "/formations/%lld", (long long)id), T(r, "已保存，请登记候选人和得票"));
                return;
            }
            if (rc == FORMATION_DB) { page_error(r, w, 500, NULL); return; }
            general = T(r, arena_strdup(r->arena, why));
        }
    } else {
        form_init(&f, facts_fields, NFACTS);
        char today[11];
        date_format(date_today(), today, sizeof today);
        form_set(&f, "held_on", arena_strdup(r->arena, today));
        form_set(&f, "body", "assembly");
        form_set(&f, "method", "household_reps");
        form_set(&f, "seats", "5");
        form_set(&f, "convened_by", "村“两委”、党小组");
    }
    const char *title = T(r, "登记换届选举");
    group_page_begin(r, w, &g, title, title);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s</h1></div><section class=\"card\">", g.name, title);
    facts_form(r, b, &f, r->path, general, T(r, "下一步：登记候选人"));
    html_raw(b, "</section>");
    form_end(r, w, f.submitted && (f.nerr || general));
}

/* ---------------------------------------------------------------------------------------------
 * Formations: candidates, tallies, proxies, verdict */

static bool load_formation(Req *r, Resp *w, Formation *f) {
    int64_t id = path_id(r, "id");
    if (id > 0 && formation_get(auth_scope(r), id, f) == 0) return true;
    page_error(r, w, 404, NULL);
    return false;
}

typedef struct Picked { PersonRow rows[20]; int n; } Picked;

static int pick_row(void *ctx, const PersonRow *p) {
    Picked *k = ctx;
    if (k->n < 20) k->rows[k->n++] = *p;
    return k->n >= 20;
}

/* Finds up to 20 people of the group at `group_path` matching q (name, pinyin initials, last
 * four of the ID number). Returns the count. */
static int find_people(Req *r, const char *group_path, const char *q, Picked *k) {
    k->n = 0;
    if (!q || !*q) return 0;
    PeopleQuery pq = {group_path, q, 0, NULL, AGE_ANY, date_today()};
    people_search(&pq, 0, 20, pick_row, k);
    return k->n;
}

static void post_select(Req *r, Buf *b, const char *name) {
    html(b, "<select name=\"%s\" aria-label=\"%s\">", name, T(r, "职务"));
    for (const Choice *c = committee_post_choices; c->value; c++)
        html(b, "<option value=\"%s\"%s>%s</option>", c->value, strcmp(c->value, "member") == 0 ? " selected" : "", T(r, c->label));
    html_raw(b, "</select>");
}

/* The candidate picker: a search box (type-ahead with JS via /groups/:id/people.json; without JS
 * the page shows the matches, each with an "add" button). */
static void candidate_picker(Req *r, Buf *b, const Formation *f) {
    const char *q = req_param_src(r, "q", SRC_QUERY);
    html(b, "<h3>%s</h3><form class=\"filters\" method=\"get\" action=\"/formations/%lld\">"
            "<input type=\"search\" name=\"q\" value=\"%s\" placeholder=\"%s\" data-people=\"/groups/%lld/people.json\">"
            "<button type=\"submit\">%s</button></form>",
         T(r, "添加候选人"), (long long)f->id, q ? q : "", T(r, "姓名、拼音首字母或身份证后四位"), (long long)f->unit_id, T(r, "查找"));
    Picked k;
    if (!q || !*q) return;
    if (find_people(r, f->unit_path, q, &k) == 0) { html(b, "<p class=\"hint\">%s</p>", T(r, "本组没有找到这个人。")); return; }
    html_raw(b, "<div class=\"tablewrap\"><table class=\"list\"><tbody>");
    for (int i = 0; i < k.n; i++) {
        const PersonRow *p = &k.rows[i];
        html(b, "<tr><td>%s</td><td data-label=\"%s\">%s · %s · %s</td><td><form class=\"inline\" method=\"post\" action=\"/formations/%lld\">",
             p->name, T(r, "身份"), p->sex == 'F' ? T(r, "女") : T(r, "男"), Tn(r, "{n} 岁", age_of(p->birth)), p->idmask,
             (long long)f->id);
        ui_csrf(r, b);
        html(b, "<input type=\"hidden\" name=\"action\" value=\"add_candidate\"><input type=\"hidden\" name=\"person_id\" value=\"%lld\">",
             (long long)p->id);
        post_select(r, b, "post");
        html(b, "<input name=\"post_name\" maxlength=\"20\" placeholder=\"%s\"><button type=\"submit\">%s</button></form></td></tr>",
             T(r, "其他职务名称"), T(r, "添加"));
    }
    html_raw(b, "</tbody></table></div>");
}

/* The tallies form: votes (and run-off votes) per candidate, reasons for cadres and outsiders. */
static void tallies_form(Req *r, Buf *b, const Formation *f, const FCand *c, int n, bool draft) {
    html(b, "<form method=\"post\" action=\"/formations/%lld\">", (long long)f->id);
    ui_csrf(r, b);
    html_raw(b, "<input type=\"hidden\" name=\"action\" value=\"tallies\">");
    static const UiCol cols[] = {{"候选人", false}, {"职务", false}, {"得票", false},
                                 {"另行选举得票", false}, {"理由", false}, {NULL, false}};
    UiTable t;
    ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
    for (int i = 0; i < n; i++) {
        ui_td(b, &t, 0);
        html(b, "%s ", c[i].name);
        flag_badges(r, b, c[i].flags & (PF_PARTY | PF_CADRE));
        if (c[i].elected) html(b, "<span class=\"badge ok\">%s</span>", T(r, "当选"));
        ui_td(b, &t, 1);
        html(b, "%s", T(r, committee_post_label(c[i].post, c[i].post_name)));
        ui_td(b, &t, 2);
        html(b, "<input name=\"votes_%lld\" inputmode=\"numeric\" value=\"%d\"%s>", (long long)c[i].id, c[i].votes,
             draft ? "" : " disabled");
        ui_td(b, &t, 3);
        html(b, "<input name=\"runoff_%lld\" inputmode=\"numeric\" value=\"%s\"%s>", (long long)c[i].id,
             c[i].runoff_votes >= 0 ? arena_printf(r->arena, "%d", c[i].runoff_votes) : "", draft ? "" : " disabled");
        ui_td(b, &t, 4);
        if (c[i].flags & PF_CADRE)
            html(b, "<input name=\"cadre_%lld\" maxlength=\"200\" value=\"%s\" placeholder=\"%s\"%s>", (long long)c[i].id,
                 c[i].cadre_reason, T(r, "村“两委”干部担任的理由"), draft ? "" : " disabled");
        html(b, "<input name=\"outside_%lld\" maxlength=\"200\" value=\"%s\" placeholder=\"%s\"%s>", (long long)c[i].id,
             c[i].outside_reason, T(r, "外组人员担任的理由（本组组民不填）"), draft ? "" : " disabled");
        ui_td(b, &t, 5);
        if (draft)
            html(b, "<button class=\"link\" type=\"submit\" name=\"remove_candidate\" value=\"%lld\">%s</button>", (long long)c[i].id, T(r, "移除"));
        ui_tr_end(b);
    }
    ui_table_end(b);
    if (draft) {
        html(b, "<div class=\"form\"><div class=\"field\"><label for=\"f-ri\">%s</label><input id=\"f-ri\" name=\"runoff_issued\" inputmode=\"numeric\" value=\"%d\"></div>"
                "<div class=\"field\"><label for=\"f-rr\">%s</label><input id=\"f-rr\" name=\"runoff_returned\" inputmode=\"numeric\" value=\"%d\"></div>"
                "<div class=\"field\"><label for=\"f-rv\">%s</label><input id=\"f-rv\" name=\"runoff_void\" inputmode=\"numeric\" value=\"%d\"></div>"
                "<p class=\"hint\">%s</p></div>",
             T(r, "另行选举发出选票"), f->r_issued, T(r, "另行选举收回选票"), f->r_returned, T(r, "另行选举无效票"), f->r_void,
             T(r, "没有另行选举时，另行选举的各项留空或填 0。"));
        html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div>", T(r, "保存得票"));
    }
    html_raw(b, "</form>");
}

static void proxies_card(Req *r, Buf *b, const Formation *f, bool draft, const char *error) {
    FProxy *x = arena_alloc(r->arena, sizeof(FProxy) * PROXIES_MAX);
    int n = formation_proxies(f->id, x, PROXIES_MAX);
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "委托投票"));
    if (n > 0) {
        static const UiCol cols[] = {{"委托人", false}, {"受托人", false}, {"关系", false}, {NULL, false}};
        UiTable t;
        ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
        for (int i = 0; i < n; i++) {
            ui_td(b, &t, 0);
            html(b, "%s", x[i].voter_name);
            ui_td(b, &t, 1);
            html(b, "%s", x[i].proxy_name);
            ui_td(b, &t, 2);
            html(b, "%s", x[i].relation);
            ui_td(b, &t, 3);
            if (draft) {
                html(b, "<form class=\"inline\" method=\"post\" action=\"/formations/%lld\">", (long long)f->id);
                ui_csrf(r, b);
                html(b, "<input type=\"hidden\" name=\"action\" value=\"remove_proxy\"><input type=\"hidden\" name=\"proxy_row\" value=\"%lld\">"
                        "<button class=\"link\" type=\"submit\">%s</button></form>", (long long)x[i].id, T(r, "移除"));
            }
            ui_tr_end(b);
        }
        ui_table_end(b);
    } else {
        html(b, "<p class=\"hint\">%s</p>", T(r, "没有委托投票。"));
    }
    if (draft) {
        html(b, "<form class=\"form\" method=\"post\" action=\"/formations/%lld\">", (long long)f->id);
        ui_csrf(r, b);
        html(b, "<input type=\"hidden\" name=\"action\" value=\"add_proxy\">"
                "<div class=\"field%s\"><label for=\"f-voter\">%s</label><input id=\"f-voter\" name=\"voter\" value=\"%s\" data-people=\"/groups/%lld/people.json\"></div>"
                "<div class=\"field\"><label for=\"f-proxy\">%s</label><input id=\"f-proxy\" name=\"proxy\" value=\"%s\" data-people=\"/groups/%lld/people.json\"></div>"
                "<div class=\"field\"><label for=\"f-rel\">%s</label><input id=\"f-rel\" name=\"relation\" maxlength=\"10\" value=\"%s\" placeholder=\"%s\"></div>",
             error ? " has-error" : "", T(r, "委托人（姓名或身份证后四位）"), req_param_src(r, "voter", SRC_FORM) ? req_param_src(r, "voter", SRC_FORM) : "",
             (long long)f->unit_id, T(r, "受托人（近亲属）"), req_param_src(r, "proxy", SRC_FORM) ? req_param_src(r, "proxy", SRC_FORM) : "",
             (long long)f->unit_id, T(r, "关系"), req_param_src(r, "relation", SRC_FORM) ? req_param_src(r, "relation", SRC_FORM) : "",
             T(r, "配偶、子女、父母等"));
        if (error) html(b, "<p class=\"error\">%s</p>", error);
        html(b, "<div class=\"actions\"><button type=\"submit\">%s</button></div></form>", T(r, "添加委托"));
    }
    html_raw(b, "</section>");
}

/* The verdict card: every problem, and the confirmation form when the result may be confirmed. */
static void verdict_card(Req *r, Buf *b, const Formation *f, const FCand *c, int n, const Verdict *v) {
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "结果核验"));
    html(b, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>",
         T(r, "应到（按名册）"), Tn(r, "{n} 人", f->eligible), T(r, "实到"), Tn(r, "{n} 人", f->present), T(r, "法定到会人数"),
         Tn(r, "至少 {n} 人", v->quorum_required));
    if (v->nproblems) {
        html_raw(b, "<ul class=\"problems\">");
        for (int i = 0; i < v->nproblems; i++)
            html(b, "<li class=\"%s\"><span class=\"badge %s\">%s</span> %s</li>", v->problems[i].warning ? "warn" : "err",
                 v->problems[i].warning ? "warn" : "err", v->problems[i].warning ? T(r, "提示") : T(r, "不能确认"),
                 verdict_problem_text(r, &v->problems[i], c, n));
        html_raw(b, "</ul>");
    }
    if (v->nwinners) {
        html(b, "<p>%s", T(r, "当选："));
        for (int i = 0; i < v->nwinners; i++)
            html(b, "%s%s%s", i ? "、" : "", c[v->winners[i]].name,
                 Tparen(r, T(r, committee_post_label(c[v->winners[i]].post, c[v->winners[i]].post_name))));
        html_raw(b, "</p>");
    }
    if (strcmp(f->status, "draft") != 0) {
        html(b, "<p><span class=\"badge ok\">%s</span> <a href=\"/groups/%lld/committee\">%s</a> · <a href=\"/formations/%lld/notice\">%s</a></p></section>",
             T(r, "已确认"), (long long)f->unit_id, T(r, "查看组委会"), (long long)f->id, T(r, "打印选举结果公告"));
        return;
    }
    bool blocked_only_by_size = !v->confirmable;
    for (int i = 0; i < v->nproblems; i++)
        if (!v->problems[i].warning && v->problems[i].code != VP_SIZE) blocked_only_by_size = false;
    if ((v->confirmable || blocked_only_by_size) && cm_may_confirm(r, f->unit_path)) {
        html(b, "<form class=\"form\" method=\"post\" action=\"/formations/%lld/confirm\">", (long long)f->id);
        ui_csrf(r, b);
        if (v->size_warning)
            html(b, "<div class=\"field\"><label for=\"f-size_note\">%s</label><textarea id=\"f-size_note\" name=\"size_note\" rows=\"2\" maxlength=\"200\">%s</textarea></div>",
                 T(r, "人数不在规定范围的理由"), f->size_note);
        html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\" data-confirm=\"%s\">%s</button></div></form>",
             T(r, "确认后将产生新一届组委会，本组上一届组委会同时结束。确定吗？"), T(r, "确认选举结果"));
    } else if (!v->confirmable) {
        html(b, "<p class=\"hint\">%s</p>", T(r, "改正上面的问题后才能确认。"));
    }
    html_raw(b, "</section>");
}

static void formation_page(Req *r, Resp *w, const Formation *f, Form *facts, const char *general, const char *proxy_error,
                           const Verdict *given) {
    Unit g;
    if (org_unit(r, f->unit_id, &g) != 0) { page_error(r, w, 404, NULL); return; }
    bool draft = strcmp(f->status, "draft") == 0, can = cm_may_record(r, f->unit_path) && draft;
    FCand *c = arena_alloc(r->arena, sizeof(FCand) * CANDS_MAX);
    int n = formation_cands(f->id, c, CANDS_MAX);
    if (n < 0) n = 0;
    Verdict *v = arena_alloc(r->arena, sizeof(Verdict));
    if (given) *v = *given;
    else formation_evaluate(f, c, n, f->size_note, v);
    const char *title = T(r, "换届选举");
    group_page_begin(r, w, &g, arena_printf(r->arena, "%s · %s", g.name, title), title);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s · %s</h1><div class=\"actions\"><a class=\"button\" href=\"/formations/%lld/notice\">%s</a></div></div>",
         g.name, title, fdate(r, f->held_on), (long long)f->id, T(r, "选举结果公告"));
    if (general) html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", general);
    verdict_card(r, b, f, c, n, v);
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "候选人和得票"));
    if (n) tallies_form(r, b, f, c, n, can);
    else html(b, "<p class=\"hint\">%s</p>", T(r, "还没有候选人。在下面按姓名查找本组组民并添加。"));
    if (can) candidate_picker(r, b, f);
    html_raw(b, "</section>");
    proxies_card(r, b, f, can, proxy_error);
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "会议情况"));
    if (can) {
        facts_form(r, b, facts, arena_printf(r->arena, "/formations/%lld", (long long)f->id), NULL, T(r, "保存会议情况"));
    } else {
        html(b, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
                "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>",
             T(r, "会议地点"), f->place, T(r, "会议形式"), T(r, choice_zh(formation_body_choices, f->body)), T(r, "产生方式"),
             T(r, choice_zh(formation_method_choices, f->method)), T(r, "召集单位"), f->convened_by, T(r, "应选名额"), Tn(r, "{n} 名", f->seats),
             T(r, "选票"), arena_printf(r->arena, "%d / %d / %d", f->issued, f->returned, f->void_ballots));
    }
    html_raw(b, "</section>");
    page_end(r, w);
}

/* Fills the facts form with a stored formation. */
static void facts_of(Req *r, Form *fm, const Formation *f) {
    form_init(fm, facts_fields, NFACTS);
    form_set(fm, "held_on", f->held_on);
    form_set(fm, "place", f->place);
    form_set(fm, "body", f->body);
    form_set(fm, "method", f->method);
    form_set(fm, "convened_by", f->convened_by);
    form_set(fm, "seats", arena_printf(r->arena, "%d", f->seats));
    form_set(fm, "present", arena_printf(r->arena, "%d", f->present));
    form_set(fm, "ballots_issued", arena_printf(r->arena, "%d", f->issued));
    form_set(fm, "ballots_returned", arena_printf(r->arena, "%d", f->returned));
    form_set(fm, "ballots_void", arena_printf(r->arena, "%d", f->void_ballots));
}

/* Reads a non-negative count from the form; -1 when empty, -2 when not a number. */
static int form_count(const Req *r, const char *name) {
    const char *v = req_param_src(r, name, SRC_FORM);
    if (!v || !*v) return -1;
    char *end;
    long n = strtol(v, &end, 10);
    return *end || n < 0 || n > 100000 ? -2 : (int)n;
}

/* Builds the input of formation f with the candidates' votes, run-off votes and reasons and the
 * run-off ballots taken from the tallies form. Returns NULL or the Chinese error. */
static const char *tallies_input(Req *r, const Formation *f, FormationInput *in) {
    formation_input_of(r, f, in);
    FCand *c = arena_alloc(r->arena, sizeof(FCand) * CANDS_MAX);
    int n = formation_cands(f->id, c, CANDS_MAX);
    FormationCandidateIn *ci = (FormationCandidateIn *)in->cands;
    bool any_runoff = false;
    for (int i = 0; i < n && i < in->ncands; i++) {
        int v = form_count(r, arena_printf(r->arena, "votes_%lld", (long long)c[i].id));
        int rv = form_count(r, arena_printf(r->arena, "runoff_%lld", (long long)c[i].id));
        if (v == -2 || rv == -2) return T(r, "得票应填写不小于 0 的整数");
        ci[i].votes = v < 0 ? 0 : v;
        ci[i].runoff_votes = rv;
        any_runoff |= rv >= 0;
        const char *cr = req_param_src(r, arena_printf(r->arena, "cadre_%lld", (long long)c[i].id), SRC_FORM);
        const char *orr = req_param_src(r, arena_printf(r->arena, "outside_%lld", (long long)c[i].id), SRC_FORM);
        if (cr) ci[i].cadre_reason = cr;
        if (orr) ci[i].outside_reason = orr;
        if (utf8_chars(ci[i].cadre_reason) > 200 || utf8_chars(ci[i].outside_reason) > 200) return T(r, "理由不能超过 200 个字");
    }
    int ri = form_count(r, "runoff_issued"), rr = form_count(r, "runoff_returned"), rv = form_count(r, "runoff_void");
    if (ri == -2 || rr == -2 || rv == -2) return T(r, "票数应填写不小于 0 的整数");
    in->runoff_issued = ri < 0 ? 0 : ri;
    in->runoff_returned = rr < 0 ? 0 : rr;
    in->runoff_void = rv < 0 ? 0 : rv;
    if (any_runoff && in->runoff_returned == 0) return T(r, "登记了另行选举得票，请同时填写另行选举收回的选票数");
    return NULL;
}

/* Resolves a typed name (or last four of the ID) to one person of the group. Returns the id, or
 * 0 with *err set. */
static int64_t resolve_person(Req *r, const char *group_path, const char *q, const char **err) {
    Picked k;
    int n = find_people(r, group_path, q, &k);
    if (n == 1) return k.rows[0].id;
    for (int i = 0; i < n; i++)
        if (strcmp(k.rows[i].name, q) == 0) {
            for (int j = i + 1; j < n; j++)
                if (strcmp(k.rows[j].name, q) == 0) { *err = T(r, "本组有同名的人，请改填身份证后四位"); return 0; }
            return k.rows[i].id;
        }
    *err = n ? T(r, "找到多个人，请输入完整姓名或身份证后四位") : T(r, "本组没有找到这个人");
    return 0;
}

/* GET/POST /formations/:id — a formation draft: facts, candidates and tallies, proxies, verdict.
 * POST carries `action`: facts | tallies | add_candidate | add_proxy | remove_proxy (and a
 * remove_candidate button inside the tallies form). */
static void h_formation(Req *r, Resp *w) {
    Formation f;
    if (!load_formation(r, w, &f)) return;
    Form facts;
    facts_of(r, &facts, &f);
    if (r->method != HTTP_POST) { formation_page(r, w, &f, &facts, NULL, NULL, NULL); return; }
    if (!cm_may_record(r, f.unit_path)) { page_error(r, w, 403, NULL); return; }
    if (strcmp(f.status, "draft") != 0) { page_error(r, w, 409, T(r, "只有草稿状态的选举记录可以修改")); return; }
    const char *action = req_param_src(r, "action", SRC_FORM);
    if (!action && strstr(r->path, "/runoff")) action = "tallies";   /* POST /formations/:id/runoff */
    const char *remove = req_param_src(r, "remove_candidate", SRC_FORM);
    Actor a = actor_of(r);
    char why[200] = "";
    int rc = 0;
    const char *general = NULL, *proxy_error = NULL, *flash = T(r, "已保存");
    const char *back = arena_printf(r->arena, "/formations/%lld", (long long)f.id);
    if (remove) {
        rc = formation_cand_remove(&a, &f, atoll(remove));
    } else if (action && strcmp(action, "facts") == 0) {
        if (form_read(r, &facts, facts_fields, NFACTS) == 0) {
            FormationInput in, now;
            formation_input_of(r, &f, &now);
            fill_facts(&facts, f.unit_id, &in);
            in.runoff_issued = now.runoff_issued;
            in.runoff_returned = now.runoff_returned;
            in.runoff_void = now.runoff_void;
            in.size_note = now.size_note;
            int64_t id = f.id;
            rc = formation_save(&a, &id, &in, false, why, sizeof why);
        } else {
            rc = FORMATION_INVALID;
            general = T(r, "会议情况有误，请看下面的提示");
        }
    } else if (action && strcmp(action, "tallies") == 0) {
        FormationInput in;
        general = tallies_input(r, &f, &in);
        if (general) rc = FORMATION_INVALID;
        else {
            int64_t id = f.id;
            rc = formation_save(&a, &id, &in, true, why, sizeof why);
        }
    } else if (action && strcmp(action, "add_candidate") == 0) {
        const char *pid = req_param_src(r, "person_id", SRC_FORM), *post = req_param_src(r, "post", SRC_FORM);
        rc = formation_cand_add(&a, &f, pid ? atoll(pid) : 0, post ? post : "", req_param_src(r, "post_name", SRC_FORM), why, sizeof why);
        flash = T(r, "已添加候选人");
    } else if (action && strcmp(action, "add_proxy") == 0) {
        const char *err = NULL;
        int64_t voter = resolve_person(r, f.unit_path, req_param_src(r, "voter", SRC_FORM), &err);
        int64_t proxy = voter ? resolve_person(r, f.unit_path, req_param_src(r, "proxy", SRC_FORM), &err) : 0;
        if (!voter || !proxy) { rc = FORMATION_INVALID; proxy_error = err; }
        else {
            rc = formation_proxy_add(&a, &f, voter, proxy, req_param_src(r, "relation", SRC_FORM), why, sizeof why);
            if (rc == FORMATION_INVALID) proxy_error = T(r, arena_strdup(r->arena, why));
        }
    } else if (action && strcmp(action, "remove_proxy") == 0) {
        const char *row = req_param_src(r, "proxy_row", SRC_FORM);
        rc = formation_proxy_remove(&a, &f, row ? atoll(row) : 0);
    } else {
        page_error(r, w, 400, NULL);
        return;
    }
    if (rc == 0) { resp_redirect_flash(r, w, back, flash); return; }
    if (rc == FORMATION_DB) { page_error(r, w, 500, NULL); return; }
    if (!general && !proxy_error) general = why[0] ? T(r, arena_strdup(r->arena, why)) : T(r, "没有保存：记录不存在或已变化");
    formation_get(auth_scope(r), f.id, &f);
    formation_page(r, w, &f, &facts, general, proxy_error, NULL);
    w->status = 422;
}

/* POST /formations/:id/confirm — confirms a valid result: the committee is created. */
static void h_formation_confirm(Req *r, Resp *w) {
    Formation f;
    if (!load_formation(r, w, &f)) return;
    if (!cm_may_confirm(r, f.unit_path)) { page_error(r, w, 403, NULL); return; }
    static const Field note_field[] = {{"size_note", "理由", FT_TEXTAREA, false, 0, 200, NULL, NULL, NULL}};
    Form nf;
    form_read(r, &nf, note_field, 1);   /* from the form or the JSON body */
    const char *note = nf.nerr ? NULL : form_s(&nf, "size_note");
    Actor a = actor_of(r);
    int64_t cid;
    Verdict v;
    int rc = formation_confirm(&a, &f, note, &cid, &v);
    if (rc == 0) {
        resp_redirect_flash(r, w, arena_printf(r->arena, "/groups/%lld/committee", (long long)f.unit_id), T(r, "选举结果已确认，新一届组委会已产生"));
        return;
    }
    if (rc == FORMATION_DB) { page_error(r, w, 500, NULL); return; }
    Form facts;
    facts_of(r, &facts, &f);
    formation_page(r, w, &f, &facts, strcmp(f.status, "draft") ? T(r, "这次选举已经确认过了") : T(r, "选举结果不符合规定，不能确认。"), NULL, &v);
    w->status = 422;
}

/* GET /groups/:id/people.json?q= — type-ahead within the group: id, name, masked ID, age. */
static void h_people_json(Req *r, Resp *w) {
    Unit g;
    if (!cm_load_group(r, w, &g)) return;
    Picked k;
    find_people(r, g.path, req_param_src(r, "q", SRC_QUERY), &k);
    json_t *items = json_array();
    for (int i = 0; i < k.n; i++)
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:i, s:s, s:s}", "id", (json_int_t)k.rows[i].id, "name", k.rows[i].name,
                                               "idmask", k.rows[i].idmask, "age", age_of(k.rows[i].birth), "sex",
                                               k.rows[i].sex == 'F' ? "F" : "M", "status", k.rows[i].status));
    json_send(w, 200, json_pack("{s:o}", "items", items));
}

/* ---------------------------------------------------------------------------------------------
 * Member changes */

static bool load_committee(Req *r, Resp *w, Committee *c) {
    int64_t id = path_id(r, "id");
    if (id > 0 && committee_get(auth_scope(r), id, c) == 0) return true;
    page_error(r, w, 404, NULL);
    return false;
}

static void committee_page_begin(Req *r, Resp *w, const Committee *c, const char *title) {
    Unit g;
    if (org_unit(r, c->unit_id, &g) != 0) { page_begin(r, w, title, NULL); return; }
    group_page_begin(r, w, &g, title, title);
}

static const Field end_fields[] = {
    {"end_date", "离任日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
    {"end_reason", "离任原因", FT_ENUM, true, 0, 0, member_end_choices, NULL, NULL},
    {"end_note", "说明", FT_TEXTAREA, false, 0, 200, NULL, NULL, "例如辞职申请的日期、调配的决定"},
};

/* GET/POST /committees/:id/members/:mid/end — a member leaves the committee. */
static void h_member_end(Req *r, Resp *w) {
    Committee c;
    if (!load_committee(r, w, &c)) return;
    if (!cm_may_record(r, c.unit_path)) { page_error(r, w, 403, NULL); return; }
    int64_t mid = path_id(r, "mid");
    Member *m = arena_alloc(r->arena, sizeof(Member) * MEMBERS_MAX);
    int n = committee_members(c.id, true, m, MEMBERS_MAX), k = -1;
    for (int i = 0; i < n; i++)
        if (m[i].id == mid) k = i;
    if (k < 0) { page_error(r, w, 404, NULL); return; }
    Form f;
    const char *general = NULL;
    if (r->method == HTTP_POST) {
        if (form_read(r, &f, end_fields, 3) == 0) {
            Actor a = actor_of(r);
            char why[200];
            int rc = member_end(&a, &c, mid, form_s(&f, "end_date"), form_s(&f, "end_reason"), form_s(&f, "end_note"), why, sizeof why);
            if (rc == 0) {
                resp_redirect_flash(r, w, arena_printf(r->arena, "/groups/%lld/committee", (long long)c.unit_id), T(r, "已登记离任"));
                return;
            }
            if (rc == FORMATION_DB) { page_error(r, w, 500, NULL); return; }
            general = T(r, arena_strdup(r->arena, why));
        }
    } else {
        form_init(&f, end_fields, 3);
        char today[11];
        date_format(date_today(), today, sizeof today);
        form_set(&f, "end_date", arena_strdup(r->arena, today));
    }
    const char *title = T(r, "成员离任");
    committee_page_begin(r, w, &c, title);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s%s</h1></div><section class=\"card\">", title, m[k].name,
         Tparen(r, T(r, committee_post_label(m[k].post, m[k].post_name))));
    if (general) html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", general);
    html(b, "<form class=\"form\" method=\"post\" action=\"%s\" novalidate>", r->path);
    ui_csrf(r, b);
    for (int i = 0; i < 3; i++) ui_field(r, b, &f, end_fields[i].name);
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button><a class=\"button\" href=\"/groups/%lld/committee\">%s</a></div></form></section>",
         T(r, "登记离任"), (long long)c.unit_id, T(r, "取消"));
    form_end(r, w, f.submitted && (f.nerr || general));
}

static const Field add_fields[] = {
    {"person_id", "人员", FT_ID, true, 0, 0, NULL, NULL, NULL},
    {"post", "职务", FT_ENUM, true, 0, 0, committee_post_choices, NULL, NULL},
    {"post_name", "其他职务名称", FT_TEXT, false, 0, 20, NULL, NULL, "选择“其他职务”时填写，如：产业委员"},
    {"start_date", "任职日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
    {"how", "产生方式", FT_ENUM, true, 0, 0, member_joined_choices + 1, NULL, NULL},
    {"note", "理由", FT_TEXTAREA, true, 1, 200, NULL, NULL, "补选的会议情况，或调配的决定"},
    {"replaces", "接替的成员", FT_ID, false, 0, 0, NULL, NULL, NULL},
    {"cadre_reason", "村“两委”干部担任的理由", FT_TEXT, false, 0, 200, NULL, NULL, "只有村“两委”干部需要填写"},
    {"outside_reason", "外组人员担任的理由", FT_TEXT, false, 0, 200, NULL, NULL, "本组组民不填"},
};
enum { NADD = sizeof add_fields / sizeof add_fields[0] };

/* GET/POST /committees/:id/members/new — by-election (补选) or assignment (调配) of one member. */
static void h_member_new(Req *r, Resp *w) {
    Committee c;
    if (!load_committee(r, w, &c)) return;
    if (!cm_may_record(r, c.unit_path) || c.ended_on[0]) { page_error(r, w, 403, NULL); return; }
    Form f;
    const char *general = NULL;
    if (r->method == HTTP_POST) {
        if (form_read(r, &f, add_fields, NADD) == 0) {
            MemberIn in = {form_i(&f, "person_id"), form_s(&f, "post"), form_s(&f, "post_name"), form_s(&f, "start_date"),
                           form_s(&f, "how"), form_s(&f, "note"), form_s(&f, "cadre_reason"), form_s(&f, "outside_reason"),
                           form_i(&f, "replaces")};
            Actor a = actor_of(r);
            char why[200] = "";
            int code;
            /* A person outside the caller's scope is reported like one that does not exist. */
            int rc = person_in_scope(auth_scope(r), in.person_id, NULL) ? member_add(&a, &c, &in, &code, why, sizeof why) : FORMATION_INVALID;
            if (rc == 0) {
                resp_redirect_flash(r, w, arena_printf(r->arena, "/groups/%lld/committee", (long long)c.unit_id), T(r, "已登记新成员"));
                return;
            }
            if (rc == FORMATION_DB) { page_error(r, w, 500, NULL); return; }
            if (!why[0] || rc != FORMATION_INVALID) str_copy(why, sizeof why, "找不到这个人，请从本组组民中选择");
            form_fail(&f, "person_id", "rule", T(r, arena_strdup(r->arena, why)));
        }
    } else {
        form_init(&f, add_fields, NADD);
        char today[11];
        date_format(date_today(), today, sizeof today);
        form_set(&f, "start_date", arena_strdup(r->arena, today));
        form_set(&f, "how", "by_election");
        form_set(&f, "post", "member");
    }
    const char *title = T(r, "补选或调配成员");
    committee_page_begin(r, w, &c, title);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s</h1></div><section class=\"card\">", c.unit_name, title);
    if (general) html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", general);
    const char *q = req_param_src(r, "q", SRC_QUERY);
    html(b, "<form class=\"filters\" method=\"get\"><input type=\"search\" name=\"q\" value=\"%s\" placeholder=\"%s\" data-people=\"/groups/%lld/people.json\">"
            "<button type=\"submit\">%s</button></form>",
         q ? q : "", T(r, "姓名、拼音首字母或身份证后四位"), (long long)c.unit_id, T(r, "查找"));
    html(b, "<form class=\"form\" method=\"post\" action=\"%s\" novalidate>", r->path);
    ui_csrf(r, b);
    /* The person: the matches of the search as radio buttons (no-JS picker). */
    Picked k;
    find_people(r, c.unit_path, q, &k);
    int pi = 0;
    for (; pi < NADD && strcmp(add_fields[pi].name, "person_id") != 0; pi++) {}
    html(b, "<fieldset class=\"field%s\"><legend>%s *</legend><div class=\"choices\">", f.err[pi] ? " has-error" : "", T(r, "人员"));
    const char *chosen = form_s(&f, "person_id");
    if (chosen && k.n == 0) {
        PersonRow p;
        if (person_row_get(c.unit_path, atoll(chosen), &p)) k.rows[k.n++] = p;
    }
    for (int i = 0; i < k.n; i++)
        html(b, "<label><input type=\"radio\" name=\"person_id\" value=\"%lld\"%s> %s · %s · %s</label>", (long long)k.rows[i].id,
             chosen && atoll(chosen) == k.rows[i].id ? " checked" : "", k.rows[i].name, Tn(r, "{n} 岁", age_of(k.rows[i].birth)), k.rows[i].idmask);
    if (!k.n) html(b, "<p class=\"hint\">%s</p>", T(r, "先在上面按姓名查找本组组民。"));
    html_raw(b, "</div>");
    if (f.err[pi]) html(b, "<p class=\"error\">%s</p>", f.err[pi]);
    html_raw(b, "</fieldset>");
    for (int i = 1; i < NADD; i++) {
        if (strcmp(add_fields[i].name, "replaces") == 0) {
            Member *m = arena_alloc(r->arena, sizeof(Member) * MEMBERS_MAX);
            int n = committee_members(c.id, true, m, MEMBERS_MAX);
            html(b, "<div class=\"field\"><label for=\"f-replaces\">%s</label><select id=\"f-replaces\" name=\"replaces\"><option value=\"\">%s</option>",
                 T(r, "接替的成员"), T(r, "不接替任何人"));
            for (int j = 0; j < n; j++)
                html(b, "<option value=\"%lld\"%s>%s%s</option>", (long long)m[j].id, form_i(&f, "replaces") == m[j].id ? " selected" : "",
                     m[j].name, Tparen(r, T(r, committee_post_label(m[j].post, m[j].post_name))));
            html(b, "</select><p class=\"hint\">%s</p></div>", T(r, "选择后，被接替的成员以“调配”离任"));
            continue;
        }
        ui_field(r, b, &f, add_fields[i].name);
    }
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button><a class=\"button\" href=\"/groups/%lld/committee\">%s</a></div></form></section>",
         T(r, "保存"), (long long)c.unit_id, T(r, "取消"));
    form_end(r, w, f.submitted && (f.nerr || general));
}

/* POST /committees/:id/ack — records why the committee's size is outside the policy. */
static void h_committee_ack(Req *r, Resp *w) {
    Committee c;
    if (!load_committee(r, w, &c)) return;
    if (!cm_may_record(r, c.unit_path)) { page_error(r, w, 403, NULL); return; }
    Actor a = actor_of(r);
    static const Field ack_fields[] = {{"size_note", "理由", FT_TEXTAREA, true, 1, 200, NULL, NULL, NULL}};
    Form f;
    form_read(r, &f, ack_fields, 1);   /* from the form or the JSON body */
    const char *note = form_s(&f, "size_note");
    int rc = committee_ack(&a, &c, note);
    if (rc == FORMATION_DB) { page_error(r, w, 500, NULL); return; }
    const char *back = arena_printf(r->arena, "/groups/%lld/committee", (long long)c.unit_id);
    if (rc) {
        if (r->want_json) { json_error(r, w, 422, "required", "size_note", T(r, "请填写理由（不超过 200 个字）")); return; }
        resp_redirect_error(r, w, back, T(r, "请填写理由（不超过 200 个字）"));
        return;
    }
    if (r->want_json) { json_send(w, 200, committee_json(r, &c)); return; }
    resp_redirect_flash(r, w, back, T(r, "已记录理由"));
}

/* ---------------------------------------------------------------------------------------------
 * For the registry's household pages */

void committee_seats_note(Req *r, Buf *b, int64_t household_id) {
    Stmt *st = db_prep("SELECT p.name, m.post, m.post_name, u.name FROM person p"
                       " JOIN committee_member m ON m.person_id = p.id AND m.end_date IS NULL"
                       " JOIN committee c ON c.id = m.committee_id AND c.ended_on IS NULL JOIN unit u ON u.id = c.unit_id"
                       " WHERE p.household_id = :hh AND (p.status = 'resident' OR p.status = 'migrant') ORDER BY p.id");
    if (!st) return;
    db_bind_int(st, ":hh", household_id);
    bool any = false;
    while (db_step(st) == SQLITE_ROW) {
        if (!any) html(b, "<div class=\"flash warn\" role=\"status\"><p>%s</p><ul>",
                       T(r, "户内有组委会成员。迁走后仍在原组组委会任职；如需调整，请到组委会页面办理。"));
        any = true;
        html(b, "<li>%s：%s%s</li>", db_col_text(st, 0), db_col_text(st, 3),
             Tparen(r, T(r, committee_post_label(db_col_text(st, 1), db_col_text(st, 2)))));
    }
    sqlite3_reset(st);
    if (any) html_raw(b, "</ul></div>");
}

const Route committee_routes[] = {
    {HTTP_GET, "/committees", h_committees, CAP_VIEW, 0, NULL},
    {HTTP_GET, "/committees/composition", h_composition, CAP_VIEW, 0, NULL},
    {HTTP_GET, "/committees/export.xlsx", h_committees_export, CAP_EXPORT, 0, NULL},
    {HTTP_GET, "/committees/export.csv", h_committees_export, CAP_EXPORT, 0, NULL},
    {HTTP_GET, "/groups/:id/committee", h_group_committee, CAP_VIEW, 0, NULL},
    {HTTP_GET, "/groups/:id/people.json", h_people_json, CAP_VIEW, ROUTE_JSON, NULL},
    {HTTP_GET | HTTP_POST, "/groups/:id/formations/new", h_formation_new, CAP_EDIT, 0, NULL},
    {HTTP_GET, "/formations/:id", h_formation, CAP_VIEW, 0, NULL},
    {HTTP_POST, "/formations/:id", h_formation, CAP_EDIT, 0, NULL},
    {HTTP_POST, "/formations/:id/confirm", h_formation_confirm, CAP_REVIEW, 0, NULL},
    {HTTP_POST, "/formations/:id/runoff", h_formation, CAP_EDIT, 0, NULL},
    {HTTP_GET, "/formations/:id/notice", h_formation_notice, CAP_VIEW, 0, NULL},
    {HTTP_GET | HTTP_POST, "/committees/:id/members/:mid/end", h_member_end, CAP_EDIT, 0, NULL},
    {HTTP_GET | HTTP_POST, "/committees/:id/members/new", h_member_new, CAP_EDIT, 0, NULL},
    {HTTP_POST, "/committees/:id/ack", h_committee_ack, CAP_EDIT, 0, NULL},
    {HTTP_GET, "/api/v1/committees", api_committees, CAP_VIEW, ROUTE_JSON, NULL},
    {HTTP_GET, "/api/v1/committees/composition", api_composition, CAP_VIEW, ROUTE_JSON, NULL},
    {HTTP_GET, "/api/v1/committees/:id", api_committee_get, CAP_VIEW, ROUTE_JSON, NULL},
    {HTTP_POST, "/api/v1/committees/:id/ack", h_committee_ack, CAP_EDIT, ROUTE_JSON, NULL},
    {HTTP_POST, "/api/v1/committees/:id/members", api_member_add, CAP_EDIT, ROUTE_JSON, NULL},
    {HTTP_POST, "/api/v1/committees/:id/members/:mid/end", api_member_end, CAP_EDIT, ROUTE_JSON, NULL},
    {HTTP_GET, "/api/v1/groups/:id/committee", api_group_committee, CAP_VIEW, ROUTE_JSON, NULL},
    {HTTP_POST, "/api/v1/groups/:id/formations", api_formation_create, CAP_EDIT, ROUTE_JSON, NULL},
    {HTTP_GET, "/api/v1/formations/:id", api_formation_get, CAP_VIEW, ROUTE_JSON, NULL},
    {HTTP_POST, "/api/v1/formations/:id", api_formation_update, CAP_EDIT, ROUTE_JSON, NULL},
    {HTTP_POST, "/api/v1/formations/:id/confirm", api_formation_confirm, CAP_REVIEW, ROUTE_JSON, NULL},
    {0, NULL, NULL, 0, 0, NULL},
};
