/* guidance.c — guidance contacts (联系指导手册): a village cadre's contact with a committee they
 * are assigned to — the form, the list, one entry, editing it and voiding it. The author may edit
 * for CONTACT_EDIT_DAYS, a reviewer at any time; every edit is audited (before → after) and moves
 * the counters when the date changes quarter or the committee changes. */
#include "committees/duties.h"
#include "contact/pages.h"
#include "org/units.h"
#include "people/store.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include <stdlib.h>
#include <string.h>

static const Choice how_choices[] = {{"site", "实地"}, {"phone", "电话"}, {"meeting", "会议"}, {NULL, NULL}};

static const Field guidance_fields[] = {
    {"held_on", "联系日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
    {"committee", "组委会", FT_ID, true, 0, 0, NULL, NULL, NULL},
    {"how", "联系方式", FT_ENUM, true, 0, 0, how_choices, NULL, NULL},
    {"checked", "检查内容", FT_TEXTAREA, true, 1, 2000, NULL, NULL, "例如：走访台账、议事记录、公开栏"},
    {"problems", "发现的问题", FT_TEXTAREA, false, 0, 2000, NULL, NULL, NULL},
    {"advice", "指导意见", FT_TEXTAREA, false, 0, 2000, NULL, NULL, NULL},
    {"follow_up", "后续跟进", FT_TEXTAREA, false, 0, 2000, NULL, NULL, NULL},
    {"client_id", "离线编号", FT_TEXT, false, 8, 64, NULL, NULL, NULL},
};
enum { NGUIDE = sizeof guidance_fields / sizeof guidance_fields[0] };

/* Writes the committee choice of the form: for a new contact the caller's current assignments,
 * for an edit every committee the contact's cadre (`cadre`) was ever assigned to. */
static void committee_choice(Req *r, Buf *b, const Form *f, int64_t cadre, bool edit) {
    Stmt *st = edit ? db_prep("SELECT a.committee_id, min(u.name) FROM guide_assignment a JOIN unit u ON u.id = a.unit_id"
                              " WHERE a.user_id = :u GROUP BY a.committee_id ORDER BY min(u.path)")
                    : db_prep("SELECT a.committee_id, u.name FROM guide_assignment a JOIN unit u ON u.id = a.unit_id"
                              " WHERE a.user_id = :u AND a.end_date IS NULL ORDER BY u.path");
    db_bind_int(st, ":u", cadre);
    html(b, "<div class=\"field%s\"><label for=\"f-committee\">%s *</label><select id=\"f-committee\" name=\"committee\"><option value=\"\">%s</option>",
         f->err[1] ? " has-error" : "", T(r, "组委会"), T(r, "请选择"));
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        n++;
        html(b, "<option value=\"%lld\"%s>%s</option>", (long long)db_col_int(st, 0), db_col_int(st, 0) == f->i[1] ? " selected" : "",
             db_col_text(st, 1));
    }
    if (st) sqlite3_reset(st);
    html_raw(b, "</select>");
    if (!n) html(b, "<p class=\"hint\">%s</p>", T(r, "您还没有被分配联系的组委会，请联系乡镇干部分配。"));
    if (f->err[1]) html(b, "<p class=\"error\">%s</p>", f->err[1]);
    html_raw(b, "</div>");
}

/* Writes the form page: a new contact (old NULL) or the edit of `old`, with `duty_set` ticked. */
static void guidance_form_page(Req *r, Resp *w, Form *f, const Guidance *old, unsigned duty_set) {
    const char *title = old ? T(r, "修改联系指导") : T(r, "登记联系指导");
    const char *back = old ? arena_printf(r->arena, "/guidance/%lld", (long long)old->id) : "/guidance";
    page_begin(r, w, title, &(PageOpts){.menu = "/visits/new", .back = back});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><section class=\"card\"><form class=\"form\" method=\"post\" action=\"%s\">",
         title, old ? arena_printf(r->arena, "/guidance/%lld/edit", (long long)old->id) : "/guidance/new");
    ui_csrf(r, b);
    ui_field(r, b, f, "held_on");
    committee_choice(r, b, f, old ? old->user_id : r->who->user_id, old != NULL);
    ui_field(r, b, f, "how");
    ui_field(r, b, f, "checked");
    ui_field(r, b, f, "problems");
    ui_field(r, b, f, "advice");
    ui_field(r, b, f, "follow_up");
    ui_duty_checkboxes(r, b, "duty", duty_set, NULL);
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form></section>", T(r, "保存"));
    page_end(r, w);
}

void h_guidance_new(Req *r, Resp *w) {
    Form f;
    form_init(&f, guidance_fields, NGUIDE);
    form_set(&f, "held_on", contact_today_iso(r));
    form_set(&f, "how", "site");
    const char *c = req_param_src(r, "committee", SRC_QUERY);
    if (c) f.i[1] = atoll(c);
    guidance_form_page(r, w, &f, NULL, contact_duties_of(r));
}

static json_t *guidance_json(const Guidance *g) {
    char day[DATE_ISO_SIZE];
    date_format(g->day, day, sizeof day);
    return json_pack("{s:I, s:I, s:s?, s:I, s:s?, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:b}", "id", (json_int_t)g->id, "user_id",
                     (json_int_t)g->user_id, "cadre", g->cadre_name, "committee_id", (json_int_t)g->committee_id, "unit", g->unit_name,
                     "held_on", day, "how", g->how, "checked", g->checked, "problems", g->problems, "advice", g->advice, "follow_up",
                     g->follow_up, "duties", duties_json(g->duties), "voided", g->voided);
}

typedef struct GuideCtx { Guidance *g; const Guidance *before; const char *reason; int64_t by; } GuideCtx;

static int apply_guidance_create(void *ctx, int64_t *id) {
    GuideCtx *c = ctx;
    if (guidance_insert(c->g) != 0) return -1;
    *id = c->g->id;
    return 0;
}

static int apply_guidance_update(void *ctx, int64_t *id) {
    GuideCtx *c = ctx;
    *id = c->before->id;
    return guidance_update(c->before, c->g);
}

static int apply_guidance_void(void *ctx, int64_t *id) {
    GuideCtx *c = ctx;
    *id = c->before->id;
    return guidance_void(c->before, c->reason, c->by);
}

/* What the audit log keeps of a guidance contact: the facts, not the free text. */
static json_t *guidance_audit_json(const Guidance *g) {
    char day[DATE_ISO_SIZE];
    date_format(g->day, day, sizeof day);
    return json_pack("{s:I, s:s, s:s, s:i}", "committee_id", (json_int_t)g->committee_id, "held_on", day, "how", g->how,
                     "duties", (int)g->duties);
}

/* Checks a submitted contact of cadre `cadre` and fills g: the date is not in the future and the
 * cadre was assigned to the committee on it, inside the caller's reach. Errors land on the form;
 * returns their number. */
static int guidance_check(Req *r, Form *f, Guidance *g, int64_t cadre) {
    memset(g, 0, sizeof *g);
    g->day = (int32_t)form_i(f, "held_on");
    if (form_s(f, "held_on") && g->day > date_today()) form_fail(f, "held_on", "future", T(r, "联系日期不能晚于今天"));
    g->committee_id = form_i(f, "committee");
    g->user_id = cadre;
    if (!f->nerr) {
        g->unit_id = guide_assigned_on(g->user_id, g->committee_id, g->day);
        Stmt *st = db_prep("SELECT path FROM unit WHERE id = :id");
        db_bind_int(st, ":id", g->unit_id);
        char path[200] = "";
        if (db_step(st) == SQLITE_ROW) str_copy(path, sizeof path, db_col_text(st, 0));
        if (st) sqlite3_reset(st);
        if (!g->unit_id || !auth_can(r, CAP_FIELD, path))
            form_fail(f, "committee", "not_assigned", cadre == r->who->user_id ? T(r, "您在这个日期没有被分配联系这个组委会")
                                                                               : T(r, "这位村干部在这个日期没有被分配联系这个组委会"));
    }
    g->how = form_s(f, "how");
    g->checked = form_s(f, "checked");
    g->problems = form_s(f, "problems");
    g->advice = form_s(f, "advice");
    g->follow_up = form_s(f, "follow_up");
    g->client_id = form_s(f, "client_id");
    g->duties = contact_duties_of(r);
    g->entered_by = r->who->user_id;
    return f->nerr;
}

void h_guidance_create(Req *r, Resp *w) {
    Form f;
    form_read(r, &f, guidance_fields, NGUIDE);
    Guidance g;
    if (guidance_check(r, &f, &g, r->who->user_id)) {
        if (r->want_json) { form_json_error(r, w, &f); return; }
        w->status = 422;
        guidance_form_page(r, w, &f, NULL, g.duties);
        return;
    }
    int64_t dup = g.client_id ? guidance_by_client_id(g.client_id) : 0;
    if (!dup) {
        GuideCtx ctx = {&g, NULL, NULL, 0};
        Change c = {"create", "guidance", 0, g.unit_id, NULL, guidance_audit_json(&g), apply_guidance_create, &ctx};
        Actor a = actor_of(r);
        if (change_apply(&a, &c) != 0) { page_error(r, w, 500, NULL); return; }
    } else {
        g.id = dup;
    }
    if (r->want_json) {
        Guidance stored;
        if (!guidance_load(r->arena, auth_scope(r), g.id, &stored)) { page_error(r, w, 500, NULL); return; }
        json_send(w, dup ? 200 : 201, guidance_json(&stored));
        return;
    }
    resp_redirect_flash(r, w, "/guidance", T(r, "联系指导已保存。"));
}

/* The list's row sources, one literal statement each, chosen by the scope: the group's contacts,
 * all of them by date (guidance_recent) for the county, or by date tested against the units in
 * scope. The period is always present: the whole range when none is chosen. */
#define GW_GROUP " FROM guidance x WHERE x.unit_id = :g AND x.held_on BETWEEN :from AND :to"
#define GW_ALL " FROM guidance x WHERE x.held_on BETWEEN :from AND :to"
#define GW_SCOPE " FROM guidance x WHERE +x.unit_id IN (SELECT id FROM unit WHERE path BETWEEN :scope AND :scope || '~')" \
    " AND x.held_on BETWEEN :from AND :to"
#define GUIDANCE_COUNT(where) "SELECT count(*) FROM (SELECT 1" where " LIMIT :cap)"
#define GUIDANCE_PAGE(where)                                                                                     \
    "SELECT g.id, g.held_on, coalesce(us.display_name, ''), u.name, g.how, g.checked, g.void_at IS NOT NULL"     \
    " FROM guidance g JOIN unit u ON u.id = g.unit_id LEFT JOIN user us ON us.id = g.user_id"                    \
    " WHERE g.id IN (SELECT x.id" where " ORDER BY x.held_on DESC, x.id DESC LIMIT :lim OFFSET :off)"           \
    " ORDER BY g.held_on DESC, g.id DESC"

typedef enum { GD_GROUP, GD_ALL, GD_SCOPE } GuidanceDriver;

/* Which row source fits the caller's scope. */
static GuidanceDriver guidance_driver(Req *r) {
    bool group, whole;
    unit_scope_shape(auth_scope(r), &group, &whole);
    return group ? GD_GROUP : whole ? GD_ALL : GD_SCOPE;
}

/* Binds the scope and the period into a statement of the list. */
static void guidance_bind(Req *r, Stmt *st, const char *from, const char *to) {
    if (!st) return;
    if (sqlite3_bind_parameter_index(st, ":scope")) db_bind_text(st, ":scope", auth_scope(r));
    if (sqlite3_bind_parameter_index(st, ":g")) db_bind_int(st, ":g", r->who->scope_unit);
    db_bind_text(st, ":from", *from ? from : "0000-00-00");
    db_bind_text(st, ":to", *to ? to : "9999-99-99");
}

/* The guidance list's total for the caller's scope: contacts in force from unit_quarter (kept
 * with every write) plus the voided ones (few, read through guidance_voided); with a period, the
 * rows counted through the list's index, at most `cap`, and *capped says whether it stopped there. */
static long long guidance_total(Req *r, GuidanceDriver d, const char *from, const char *to, long long cap, bool *capped) {
    Stmt *st;
    *capped = false;
    if (!*from) {
        st = db_prep("SELECT coalesce(sum(visits), 0) FROM unit_quarter WHERE unit_id = :u");
        db_bind_int(st, ":u", r->who->scope_unit);
        long long n = db_one_int(st, 0);
        /* Every voided contact of the county is tested against the scope: they are few, where
         * the units of a scope are up to the county's 1,736 (each probed, 4 M instructions). */
        st = db_prep("SELECT count(*) FROM guidance g CROSS JOIN unit u ON u.id = g.unit_id"
                     " WHERE g.void_at IS NOT NULL AND u.path BETWEEN :scope AND :scope || '~'");
        db_bind_text(st, ":scope", auth_scope(r));
        return n + db_one_int(st, 0);
    }
    st = d == GD_GROUP ? db_prep(GUIDANCE_COUNT(GW_GROUP)) : d == GD_ALL ? db_prep(GUIDANCE_COUNT(GW_ALL))
                                                                       : db_prep(GUIDANCE_COUNT(GW_SCOPE));
    guidance_bind(r, st, from, to);
    db_bind_int(st, ":cap", cap);
    long long n = db_one_int(st, 0);
    *capped = n >= cap;
    return n;
}

void h_guidance_list(Req *r, Resp *w) {
    const char *period = req_param_src(r, "period", SRC_QUERY);
    CompliancePeriod per;
    FilterError bad = {0};
    bool has = contact_period_filter(r, "period", true, &per, &bad);
    if (bad.field && r->want_json) { json_error(r, w, 422, bad.code, bad.field, bad.message); return; }
    char from[DATE_ISO_SIZE] = "", to[DATE_ISO_SIZE] = "";
    if (has) { date_format(per.from, from, sizeof from); date_format(per.to, to, sizeof to); }
    int page = ui_page_param(r);
    int64_t offset = (int64_t)(page - 1) * CONTACT_PAGE;
    GuidanceDriver d = guidance_driver(r);
    bool capped = false;
    long long total = bad.field ? 0 : guidance_total(r, d, from, to, offset + 1000, &capped);
    Stmt *st = NULL;
    if (offset < total)
        st = d == GD_GROUP ? db_prep(GUIDANCE_PAGE(GW_GROUP)) : d == GD_ALL ? db_prep(GUIDANCE_PAGE(GW_ALL))
                                                                          : db_prep(GUIDANCE_PAGE(GW_SCOPE));
    guidance_bind(r, st, from, to);
    if (st) { db_bind_int(st, ":lim", CONTACT_PAGE); db_bind_int(st, ":off", offset); }
    if (r->want_json) {
        json_t *items = json_array();
        while (st && db_step(st) == SQLITE_ROW) {
            json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)db_col_int(st, 0), "held_on",
                                                   db_col_text(st, 1), "cadre", db_col_text(st, 2), "unit", db_col_text(st, 3), "how",
                                                   db_col_text(st, 4), "voided", db_col_int(st, 6) != 0));
        }
        json_send(w, 200, json_pack("{s:o, s:i, s:I, s:b}", "items", items, "page", page, "total", (json_int_t)total,
                                    "total_capped", capped));
        return;
    }
    page_begin(r, w, T(r, "联系指导"), &(PageOpts){.menu = "/visits/new"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1><div class=\"actions\"><a class=\"button primary\" href=\"/guidance/new\">%s</a></div></div>",
         T(r, "联系指导"), T(r, "登记联系指导"));
    html(b, "<form class=\"filters\" method=\"get\"><input name=\"period\" value=\"%s\" placeholder=\"2026-11 / 2026Q4\" aria-label=\"%s\">"
            "<button type=\"submit\">%s</button></form>", has ? period : "", T(r, "统计期间"), T(r, "筛选"));
    if (bad.field) { ui_filter_refused(r, w, bad.message); return; }
    int n = 0;
    while (st && db_step(st) == SQLITE_ROW) {
        if (!n++)
            html(b, "<div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                 T(r, "组委会"), T(r, "日期"), T(r, "村干部"), T(r, "联系方式"));
        html(b, "<tr><td><a href=\"/guidance/%lld\">%s</a>", (long long)db_col_int(st, 0), db_col_text(st, 3));
        if (db_col_int(st, 6)) html(b, " <span class=\"badge muted\">%s</span>", T(r, "已作废"));
        html(b, "</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td></tr>", T(r, "日期"),
             db_col_text(st, 1), T(r, "村干部"), db_col_text(st, 2), T(r, "方式"), T(r, choice_label(how_choices, db_col_text(st, 4))));
    }
    if (st) sqlite3_reset(st);
    if (!n) html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "还没有联系指导记录。"));
    else {
        html_raw(b, "</tbody></table></div>");
        if (capped) ui_capped_pager(r, b, page, true);
        else ui_pager(r, b, page, CONTACT_PAGE, total);
    }
    page_end(r, w);
}

void h_guidance_get(Req *r, Resp *w) {
    Guidance g;
    if (!guidance_load(r->arena, auth_scope(r), path_id(r, "id"), &g)) { page_error(r, w, 404, NULL); return; }
    if (r->want_json) { json_send(w, 200, guidance_json(&g)); return; }
    page_begin(r, w, T(r, "联系指导"), &(PageOpts){.menu = "/visits/new", .back = "/guidance"});
    Buf *b = &w->body;
    bool can = !g.voided && contact_may_edit(r, g.entered_by, g.created_at, g.unit_path);
    html(b, "<div class=\"pagehead\"><h1>%s · %s</h1>", T(r, "联系指导"), g.unit_name);
    if (can) html(b, "<div class=\"actions\"><a class=\"button\" href=\"/guidance/%lld/edit\">%s</a></div>", (long long)g.id, T(r, "修改"));
    html_raw(b, "</div>");
    if (g.voided) html(b, "<p class=\"flash warn\">%s%s</p>", T(r, "已作废："), g.void_reason);
    html(b, "<section class=\"card\"><dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>"
            "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>",
         T(r, "联系日期"), fmt_date(r, g.day), T(r, "村干部"), g.cadre_name, T(r, "联系方式"), T(r, choice_label(how_choices, g.how)),
         T(r, "检查内容"), g.checked, T(r, "发现的问题"), g.problems, T(r, "指导意见"), g.advice, T(r, "后续跟进"), g.follow_up, T(r, "履职类别"));
    ui_duty_badges(r, b, g.duties);
    html_raw(b, "</dd></dl></section>");
    if (can) {
        html(b, "<section class=\"card\"><form class=\"form\" method=\"post\" action=\"/guidance/%lld/void\">", (long long)g.id);
        ui_csrf(r, b);
        html(b, "<div class=\"field\"><label for=\"f-reason\">%s *</label><input id=\"f-reason\" name=\"reason\" required maxlength=\"200\"></div>"
                "<div class=\"actions\"><button class=\"danger\" type=\"submit\">%s</button></div></form></section>",
             T(r, "作废原因"), T(r, "作废这条记录"));
    }
    page_end(r, w);
}

void h_guidance_edit(Req *r, Resp *w) {
    Guidance old;
    if (!guidance_load(r->arena, auth_scope(r), path_id(r, "id"), &old)) { page_error(r, w, 404, NULL); return; }
    if (old.voided || !contact_may_edit(r, old.entered_by, old.created_at, old.unit_path)) {
        page_error(r, w, 403, T(r, "超过 7 天的记录只能由审核人修改；已作废的记录不能修改。"));
        return;
    }
    Form f;
    if (r->method == HTTP_GET) {
        form_init(&f, guidance_fields, NGUIDE);
        char day[DATE_ISO_SIZE];
        date_format(old.day, day, sizeof day);
        form_set(&f, "held_on", arena_strdup(r->arena, day));
        form_set(&f, "committee", arena_printf(r->arena, "%lld", (long long)old.committee_id));
        f.i[1] = old.committee_id;
        form_set(&f, "how", old.how);
        form_set(&f, "checked", old.checked);
        form_set(&f, "problems", old.problems);
        form_set(&f, "advice", old.advice);
        form_set(&f, "follow_up", old.follow_up);
        guidance_form_page(r, w, &f, &old, old.duties);
        return;
    }
    form_read(r, &f, guidance_fields, NGUIDE);
    Guidance g;
    if (guidance_check(r, &f, &g, old.user_id)) {
        if (r->want_json) { form_json_error(r, w, &f); return; }
        w->status = 422;
        guidance_form_page(r, w, &f, &old, g.duties);
        return;
    }
    g.id = old.id;
    g.client_id = old.client_id;
    g.entered_by = old.entered_by;
    GuideCtx ctx = {&g, &old, NULL, 0};
    Change c = {"update", "guidance", old.id, g.unit_id, guidance_audit_json(&old), guidance_audit_json(&g), apply_guidance_update, &ctx};
    Actor a = actor_of(r);
    if (change_apply(&a, &c) != 0) { page_error(r, w, 500, NULL); return; }
    if (r->want_json) {
        Guidance stored;
        if (!guidance_load(r->arena, auth_scope(r), old.id, &stored)) { page_error(r, w, 500, NULL); return; }
        json_send(w, 200, guidance_json(&stored));
        return;
    }
    resp_redirect_flash(r, w, arena_printf(r->arena, "/guidance/%lld", (long long)old.id), T(r, "已保存。"));
}

void h_guidance_void(Req *r, Resp *w) {
    Guidance g;
    if (!guidance_load(r->arena, auth_scope(r), path_id(r, "id"), &g)) { page_error(r, w, 404, NULL); return; }
    if (g.voided || !contact_may_edit(r, g.entered_by, g.created_at, g.unit_path)) { page_error(r, w, 403, NULL); return; }
    static const Field void_fields[] = {{"reason", "作废原因", FT_TEXT, true, 2, 200, NULL, NULL, NULL}};
    Form f;
    if (form_read(r, &f, void_fields, 1)) {
        if (r->want_json) { form_json_error(r, w, &f); return; }
        resp_redirect_error(r, w, arena_printf(r->arena, "/guidance/%lld", (long long)g.id), T(r, "请填写作废原因。"));
        return;
    }
    GuideCtx ctx = {NULL, &g, form_s(&f, "reason"), r->who->user_id};
    Change c = {"void", "guidance", g.id, g.unit_id, NULL, json_pack("{s:s}", "reason", ctx.reason), apply_guidance_void, &ctx};
    Actor a = actor_of(r);
    if (change_apply(&a, &c) != 0) { page_error(r, w, 500, NULL); return; }
    if (r->want_json) { json_send(w, 200, json_pack("{s:I, s:b}", "id", (json_int_t)g.id, "voided", 1)); return; }
    resp_redirect_flash(r, w, arena_printf(r->arena, "/guidance/%lld", (long long)g.id), T(r, "记录已作废。"));
}
