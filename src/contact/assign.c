/* assign.c — who contacts whom: households assigned to committee members (every household of a
 * group covered by some member; the page shows which are not) and committees assigned to village
 * cadres for guidance. Assignments start and end on dates and are never deleted. */
#include "contact/pages.h"
#include "org/org.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include <stdlib.h>
#include <string.h>

/* Reads the ids given as repeated form fields `name`, or as a JSON array under `name`. Returns the
 * count (at most max). */
static int ids_of(Req *r, const char *name, int64_t *out, int max) {
    int n = 0;
    if (r->body) {
        json_t *o = json_loadb(r->body, r->body_len, 0, NULL);
        json_t *a = json_object_get(o, name), *v;
        size_t i;
        json_array_foreach(a, i, v) if (json_is_integer(v) && n < max) out[n++] = json_integer_value(v);
        json_decref(o);
        return n;
    }
    for (size_t i = 0; i < r->nparams && n < max; i++)
        if (r->params[i].src == SRC_FORM && strcmp(r->params[i].name, name) == 0 && atoll(r->params[i].value) > 0)
            out[n++] = atoll(r->params[i].value);
    return n;
}

/* The group (unit of kind group) named by ?unit= / "unit" inside the scope: its path and name. */
static bool group_of(Req *r, int64_t id, char *path, size_t pathsz, const char **name) {
    Stmt *st = db_prep("SELECT path, name FROM unit WHERE id = :id AND kind = 'group' AND path BETWEEN :scope AND :scope || '~'");
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", auth_scope(r));
    bool ok = db_step(st) == SQLITE_ROW;
    if (ok) {
        str_copy(path, pathsz, db_col_text(st, 0));
        *name = arena_strdup(r->arena, db_col_text(st, 1));
    }
    if (st) sqlite3_reset(st);
    return ok;
}

static int64_t param_or_json_int(Req *r, const char *name) {
    if (r->body) {
        json_t *o = json_loadb(r->body, r->body_len, 0, NULL);
        int64_t v = json_integer_value(json_object_get(o, name));
        json_decref(o);
        return v;
    }
    const char *s = req_param(r, name);
    return s ? atoll(s) : 0;
}

static const char *param_or_json_text(Req *r, const char *name) {
    if (r->body) {
        json_t *o = json_loadb(r->body, r->body_len, 0, NULL);
        const char *s = json_string_value(json_object_get(o, name));
        const char *v = s ? arena_strdup(r->arena, s) : NULL;
        json_decref(o);
        return v;
    }
    return req_param(r, name);
}

/* ---------------------------------------------------------------------------------------------
 * Households → members */

void h_assign_households(Req *r, Resp *w) {
    const char *u = req_param_src(r, "unit", SRC_QUERY);
    char path[200];
    const char *gname;
    int64_t unit = u ? atoll(u) : r->who->scope_unit;
    if (!group_of(r, unit, path, sizeof path, &gname)) { page_error(r, w, 404, T(r, "请从一个村民组进入分配页面。")); return; }
    Stmt *st = db_prep("SELECT h.id, coalesce(p.name, ''), h.hh_no, a.id, coalesce(m.name, ''), coalesce(a.start_date, '')"
                       " FROM household h LEFT JOIN person p ON p.id = h.head_id"
                       " LEFT JOIN visit_assignment a ON a.household_id = h.id AND a.end_date IS NULL LEFT JOIN person m ON m.id = a.person_id"
                       " WHERE h.unit_id = :u AND h.ended_at IS NULL ORDER BY a.id IS NOT NULL, h.hh_no LIMIT 500");
    db_bind_int(st, ":u", unit);
    if (r->want_json) {
        json_t *arr = json_array();
        int uncovered = 0;
        while (db_step(st) == SQLITE_ROW) {
            bool has = !db_col_null(st, 3);
            uncovered += !has;
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:o, s:s?}", "household_id", (json_int_t)db_col_int(st, 0), "head",
                                                 db_col_text(st, 1), "hh_no", db_col_text(st, 2), "assignment_id",
                                                 has ? json_integer(db_col_int(st, 3)) : json_null(), "member", has ? db_col_text(st, 4) : NULL));
        }
        json_send(w, 200, json_pack("{s:o, s:i}", "households", arr, "uncovered", uncovered));
        return;
    }
    page_begin(r, w, T(r, "分配联系农户"), &(PageOpts){.menu = "/visits/new", .unit = gname});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s</h1></div><form class=\"form\" method=\"post\" action=\"/contact/assign\">", T(r, "分配联系农户"), gname);
    ui_csrf(r, b);
    html(b, "<input type=\"hidden\" name=\"unit\" value=\"%lld\"><section class=\"card\"><div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
         (long long)unit, T(r, "农户"), T(r, "联系成员"), T(r, "选择"));
    int uncovered = 0, n = 0;
    while (db_step(st) == SQLITE_ROW) {
        n++;
        bool has = !db_col_null(st, 3);
        uncovered += !has;
        html(b, "<tr><td>%s %s</td><td data-label=\"%s\">", db_col_text(st, 1), db_col_text(st, 2), T(r, "联系成员"));
        if (has) html(b, "%s <span class=\"hint\">%s %s</span>", db_col_text(st, 4), T(r, "自"), db_col_text(st, 5));
        else html(b, "<span class=\"badge warn\">%s</span>", T(r, "未覆盖"));
        html(b, "</td><td><label class=\"check\"><input type=\"checkbox\" name=\"household\" value=\"%lld\"%s> %s</label></td></tr>",
             (long long)db_col_int(st, 0), has ? "" : " checked", T(r, "分配"));
    }
    if (st) sqlite3_reset(st);
    html(b, "</tbody></table></div><p>%s</p></section>", Tn2(r, "共 {n} 户，其中 {m} 户还没有联系成员。", n, uncovered));
    st = db_prep("SELECT DISTINCT p.id, p.name FROM committee c JOIN committee_member cm ON cm.committee_id = c.id AND cm.end_date IS NULL"
                 " JOIN person p ON p.id = cm.person_id WHERE c.unit_id = :u AND c.ended_on IS NULL ORDER BY p.name");
    db_bind_int(st, ":u", unit);
    html(b, "<section class=\"card\"><div class=\"field\"><label for=\"f-member\">%s *</label><select id=\"f-member\" name=\"member\" required><option value=\"\">%s</option>",
         T(r, "分配给"), T(r, "请选择成员"));
    while (db_step(st) == SQLITE_ROW) html(b, "<option value=\"%lld\">%s</option>", (long long)db_col_int(st, 0), db_col_text(st, 1));
    if (st) sqlite3_reset(st);
    html(b, "</select></div><div class=\"field\"><label for=\"f-start\">%s</label><input id=\"f-start\" type=\"date\" name=\"start\" value=\"%s\"></div>"
            "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></section></form>",
         T(r, "开始日期"), contact_today_iso(r), T(r, "分配选中的农户"));
    page_end(r, w);
}

typedef struct AssignCtx { int64_t member, unit, by; const int64_t *hh; int n; const char *start; int64_t id; const char *end, *note; } AssignCtx;

static int apply_assign(void *ctx, int64_t *id) {
    AssignCtx *c = ctx;
    for (int i = 0; i < c->n; i++)
        if (assign_household(c->member, c->hh[i], c->unit, c->start, c->by) != 0) return -1;
    *id = c->member;
    return 0;
}

void h_assign_households_post(Req *r, Resp *w) {
    int64_t unit = param_or_json_int(r, "unit"), member = param_or_json_int(r, "member");
    const char *start = param_or_json_text(r, "start");
    int32_t day;
    if (!start || !*start || date_parse(start, &day) != 0) start = contact_today_iso(r);
    char path[200];
    const char *gname;
    if (!group_of(r, unit, path, sizeof path, &gname) || !auth_can(r, CAP_EDIT, path)) { page_error(r, w, 404, NULL); return; }
    int64_t *hh = arena_alloc(r->arena, 500 * sizeof *hh);
    int n = ids_of(r, "household", hh, 500);
    if (!n && r->body) n = ids_of(r, "households", hh, 500);
    /* Every household must belong to this group and the member must sit on its committee. */
    Stmt *st = db_prep("SELECT count(*) FROM committee c JOIN committee_member cm ON cm.committee_id = c.id AND cm.end_date IS NULL"
                       " WHERE c.unit_id = :u AND c.ended_on IS NULL AND cm.person_id = :m");
    db_bind_int(st, ":u", unit);
    db_bind_int(st, ":m", member);
    const char *err = db_one_int(st, 0) ? NULL : T(r, "请选择本组在任的组委会成员");
    for (int i = 0; !err && i < n; i++) {
        st = db_prep("SELECT count(*) FROM household WHERE id = :h AND unit_id = :u AND ended_at IS NULL");
        db_bind_int(st, ":h", hh[i]);
        db_bind_int(st, ":u", unit);
        if (!db_one_int(st, 0)) err = T(r, "只能分配本组的农户");
    }
    if (!err && !n) err = T(r, "请至少选择一户");
    if (err) {
        if (r->want_json) { json_error(r, w, 422, "invalid", "household", err); return; }
        resp_redirect_error(r, w, arena_printf(r->arena, "/contact/assign?unit=%lld", (long long)unit), err);
        return;
    }
    AssignCtx ctx = {member, unit, r->who->user_id, hh, n, start, 0, NULL, NULL};
    json_t *list = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(list, json_integer(hh[i]));
    Change c = {"assign", "visit_assignment", member, unit, NULL, json_pack("{s:I, s:o, s:s}", "member_id", (json_int_t)member, "households", list, "start", start),
                apply_assign, &ctx};
    Actor a = actor_of(r);
    if (change_apply(&a, &c) != 0) { page_error(r, w, 500, NULL); return; }
    if (r->want_json) { json_send(w, 200, json_pack("{s:i}", "assigned", n)); return; }
    resp_redirect_flash(r, w, arena_printf(r->arena, "/contact/assign?unit=%lld", (long long)unit), Tn(r, "已分配 {n} 户。", n));
}

static int apply_assign_end(void *ctx, int64_t *id) {
    AssignCtx *c = ctx;
    *id = c->id;
    return c->note ? assign_guide_end(c->id, c->end, c->note) : assign_household_end(c->id, c->end);
}

void h_assign_household_end(Req *r, Resp *w) {
    int64_t id = path_id(r, "id");
    Stmt *st = db_prep("SELECT a.unit_id, u.path FROM visit_assignment a JOIN unit u ON u.id = a.unit_id WHERE a.id = :id AND a.end_date IS NULL"
                       " AND u.path BETWEEN :scope AND :scope || '~'");
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", auth_scope(r));
    int64_t unit = 0;
    if (db_step(st) == SQLITE_ROW) unit = db_col_int(st, 0);
    if (st) sqlite3_reset(st);
    if (!unit) { page_error(r, w, 404, NULL); return; }
    AssignCtx ctx = {0, unit, 0, NULL, 0, NULL, id, contact_today_iso(r), NULL};
    Change c = {"end", "visit_assignment", id, unit, NULL, json_pack("{s:s}", "end", ctx.end), apply_assign_end, &ctx};
    Actor a = actor_of(r);
    if (change_apply(&a, &c) != 0) { page_error(r, w, 500, NULL); return; }
    if (r->want_json) { json_send(w, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "ended", 1)); return; }
    resp_redirect_flash(r, w, arena_printf(r->arena, "/contact/assign?unit=%lld", (long long)unit), T(r, "已结束分配。"));
}

/* ---------------------------------------------------------------------------------------------
 * Committees → village cadres */

enum { GUIDES_PAGE = 100 };   /* committees per page: a township's fit on one or two */

void h_assign_guides(Req *r, Resp *w) {
    const char *scope = org_scope_param(r);
    if (!scope) { page_error(r, w, 404, NULL); return; }
    int page = ui_page_param(r);
    /* The total is the scope's kept count of active committees (committee_tally, 006); the page
     * walks committee.path (kept equal to its group's path) in order through committee_active_path. */
    Stmt *st = db_prep("SELECT t.committees FROM unit u JOIN committee_tally t ON t.unit_id = u.id WHERE u.path = :scope");
    db_bind_text(st, ":scope", scope);
    long long total = db_one_int(st, 0);
    st = db_prep("SELECT c.id, u.name, a.id, coalesce(us.display_name, ''), coalesce(a.start_date, '') FROM committee c"
                 " JOIN unit u ON u.id = c.unit_id LEFT JOIN guide_assignment a ON a.committee_id = c.id AND a.end_date IS NULL"
                 " LEFT JOIN user us ON us.id = a.user_id WHERE c.ended_on IS NULL AND c.path BETWEEN :scope AND :scope || '~'"
                 " ORDER BY c.path LIMIT :lim OFFSET :off");
    db_bind_text(st, ":scope", scope);
    db_bind_int(st, ":lim", GUIDES_PAGE);
    db_bind_int(st, ":off", (long long)(page - 1) * GUIDES_PAGE);
    if (r->want_json) {
        json_t *arr = json_array();
        while (db_step(st) == SQLITE_ROW)
            json_array_append_new(arr, json_pack("{s:I, s:s, s:o, s:s}", "committee_id", (json_int_t)db_col_int(st, 0), "unit", db_col_text(st, 1),
                                                 "assignment_id", db_col_null(st, 2) ? json_null() : json_integer(db_col_int(st, 2)),
                                                 "cadre", db_col_text(st, 3)));
        if (st) sqlite3_reset(st);
        json_send(w, 200, json_pack("{s:o, s:I, s:i, s:i}", "committees", arr, "total", (json_int_t)total, "page", page,
                                    "per_page", (int)GUIDES_PAGE));
        return;
    }
    page_begin(r, w, T(r, "分配联系的组委会"), &(PageOpts){.menu = "/visits/new"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><form class=\"filters\" method=\"get\" action=\"/contact/guides\">",
         T(r, "分配联系的组委会"));
    org_unit_select(r, b);
    html(b, "<button type=\"submit\">%s</button></form><form class=\"form\" method=\"post\" action=\"/contact/guides\">",
         T(r, "查找"));
    ui_csrf(r, b);
    html(b, "<section class=\"card\"><div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "组委会"), T(r, "联系村干部"), T(r, "选择"));
    while (db_step(st) == SQLITE_ROW) {
        html(b, "<tr><td>%s</td><td data-label=\"%s\">", db_col_text(st, 1), T(r, "村干部"));
        if (!db_col_null(st, 2)) html(b, "%s <span class=\"hint\">%s %s</span>", db_col_text(st, 3), T(r, "自"), db_col_text(st, 4));
        else html(b, "<span class=\"badge warn\">%s</span>", T(r, "未分配"));
        html(b, "</td><td><label class=\"check\"><input type=\"checkbox\" name=\"committee\" value=\"%lld\"> %s</label></td></tr>",
             (long long)db_col_int(st, 0), T(r, "分配"));
    }
    if (st) sqlite3_reset(st);
    html_raw(b, "</tbody></table></div>");
    ui_pager(r, b, page, GUIDES_PAGE, total);
    html_raw(b, "</section>");
    st = db_prep("SELECT us.id, us.display_name, u.name FROM user us CROSS JOIN unit u ON u.id = us.scope_unit"
                 " WHERE us.role = 'village' AND us.active = 1"
                 " AND u.path BETWEEN :scope AND :scope || '~' ORDER BY u.path, us.display_name LIMIT 300");
    db_bind_text(st, ":scope", auth_scope(r));
    html(b, "<section class=\"card\"><div class=\"field\"><label for=\"f-cadre\">%s *</label><select id=\"f-cadre\" name=\"cadre\" required><option value=\"\">%s</option>",
         T(r, "村干部"), T(r, "请选择"));
    while (db_step(st) == SQLITE_ROW)
        html(b, "<option value=\"%lld\">%s · %s</option>", (long long)db_col_int(st, 0), db_col_text(st, 1), db_col_text(st, 2));
    if (st) sqlite3_reset(st);
    html(b, "</select></div><div class=\"field\"><label for=\"f-start\">%s</label><input id=\"f-start\" type=\"date\" name=\"start\" value=\"%s\"></div>"
            "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></section></form>",
         T(r, "开始日期"), contact_today_iso(r), T(r, "分配选中的组委会"));
    page_end(r, w);
}

typedef struct GuideAssignCtx { int64_t cadre, by; const int64_t *cm, *units; int n; const char *start; } GuideAssignCtx;

static int apply_guides(void *ctx, int64_t *id) {
    GuideAssignCtx *c = ctx;
    for (int i = 0; i < c->n; i++)
        if (assign_guide(c->cadre, c->cm[i], c->units[i], c->start, c->by) != 0) return -1;
    *id = c->cadre;
    return 0;
}

void h_assign_guides_post(Req *r, Resp *w) {
    int64_t cadre = param_or_json_int(r, "cadre");
    const char *start = param_or_json_text(r, "start");
    int32_t day;
    if (!start || !*start || date_parse(start, &day) != 0) start = contact_today_iso(r);
    int64_t *cm = arena_alloc(r->arena, 500 * sizeof *cm), *units = arena_alloc(r->arena, 500 * sizeof *units);
    int n = ids_of(r, "committee", cm, 500);
    if (!n && r->body) n = ids_of(r, "committees", cm, 500);
    Stmt *st = db_prep("SELECT u.path FROM user us JOIN unit u ON u.id = us.scope_unit WHERE us.id = :id AND us.active = 1");
    db_bind_int(st, ":id", cadre);
    char cpath[200] = "";
    if (db_step(st) == SQLITE_ROW) str_copy(cpath, sizeof cpath, db_col_text(st, 0));
    if (st) sqlite3_reset(st);
    const char *err = *cpath && auth_can(r, CAP_EDIT, cpath) ? NULL : T(r, "请选择管辖范围内的村干部");
    for (int i = 0; !err && i < n; i++) {
        st = db_prep("SELECT c.unit_id FROM committee c JOIN unit u ON u.id = c.unit_id WHERE c.id = :c AND c.ended_on IS NULL"
                     " AND u.path BETWEEN :scope AND :scope || '~'");
        db_bind_int(st, ":c", cm[i]);
        db_bind_text(st, ":scope", auth_scope(r));
        units[i] = db_one_int(st, 0);
        if (!units[i]) err = T(r, "找不到这个组委会，或不在您的管辖范围内");
    }
    if (!err && !n) err = T(r, "请至少选择一个组委会");
    if (err) {
        if (r->want_json) { json_error(r, w, 422, "invalid", "committee", err); return; }
        resp_redirect_error(r, w, "/contact/guides", err);
        return;
    }
    GuideAssignCtx ctx = {cadre, r->who->user_id, cm, units, n, start};
    Change c = {"assign", "guide_assignment", cadre, r->who->scope_unit, NULL,
                json_pack("{s:I, s:i, s:s}", "cadre", (json_int_t)cadre, "committees", n, "start", start), apply_guides, &ctx};
    Actor a = actor_of(r);
    if (change_apply(&a, &c) != 0) { page_error(r, w, 500, NULL); return; }
    if (r->want_json) { json_send(w, 200, json_pack("{s:i}", "assigned", n)); return; }
    resp_redirect_flash(r, w, "/contact/guides", Tn(r, "已分配 {n} 个组委会。", n));
}

void h_assign_guide_end(Req *r, Resp *w) {
    int64_t id = path_id(r, "id");
    Stmt *st = db_prep("SELECT a.unit_id FROM guide_assignment a JOIN unit u ON u.id = a.unit_id WHERE a.id = :id AND a.end_date IS NULL"
                       " AND u.path BETWEEN :scope AND :scope || '~'");
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", auth_scope(r));
    int64_t unit = db_one_int(st, 0);
    if (!unit) { page_error(r, w, 404, NULL); return; }
    const char *note = param_or_json_text(r, "note");
    AssignCtx ctx = {0, unit, 0, NULL, 0, NULL, id, contact_today_iso(r), note ? note : ""};
    Change c = {"end", "guide_assignment", id, unit, NULL, json_pack("{s:s}", "end", ctx.end), apply_assign_end, &ctx};
    Actor a = actor_of(r);
    if (change_apply(&a, &c) != 0) { page_error(r, w, 500, NULL); return; }
    if (r->want_json) { json_send(w, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "ended", 1)); return; }
    resp_redirect_flash(r, w, "/contact/guides", T(r, "已结束分配。"));
}
