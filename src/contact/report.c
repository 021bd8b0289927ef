/* report.c — compliance (履职统计) per unit and period from the counters, its Excel export, the
 * daily digest of who is behind, a member's printable monthly sheet, the home page's to-do card
 * and the household page's visit facts.
 *
 * Every figure here is read from visit_count / unit_month / guide_count / unit_quarter: no page
 * counts visits, so a county page costs the same at ten times the records. */
#include "committees/duties.h"
#include "contact/contact.h"
#include "contact/pages.h"
#include "org/units.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/csv.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "platform/xlsxout.h"
#include <xlsxwriter.h>

/* Totals of a unit or a person for a period. */
typedef struct Fig { long long expected, done, behind, owing, count; } Fig;

/* The report's unit and period from ?unit= and ?period= (default: the caller's scope unit and
 * this month). Returns false when the unit is outside the scope or either is malformed; the
 * malformed one is then recorded in *bad (see scope_refused). */
typedef struct Scope { int64_t unit; const char *path, *name, *kind; CompliancePeriod per; int m1, m2, q; char label[12]; } Scope;

static bool read_scope(Req *r, Scope *s, FilterError *bad) {
    memset(bad, 0, sizeof *bad);
    s->unit = filter_id(r, "unit", bad);
    bool has = contact_period_filter(r, "period", true, &s->per, bad);
    if (bad->field) return false;
    if (!s->unit) s->unit = r->who->scope_unit;
    Stmt *st = db_prep("SELECT path, name, kind FROM unit WHERE id = :id AND path BETWEEN :scope AND :scope || '~'");
    db_bind_int(st, ":id", s->unit);
    db_bind_text(st, ":scope", auth_scope(r));
    bool ok = db_step(st) == SQLITE_ROW;
    if (ok) {
        s->path = arena_strdup(r->arena, db_col_text(st, 0));
        s->name = arena_strdup(r->arena, db_col_text(st, 1));
        s->kind = arena_strdup(r->arena, db_col_text(st, 2));
    }
    if (st) sqlite3_reset(st);
    if (!ok) return false;
    if (!has) s->per = compliance_month_period(compliance_month_of(date_today()));
    s->m1 = compliance_month_of(s->per.from);
    s->m2 = compliance_month_of(s->per.to);
    s->q = compliance_quarter_of(s->per.from);
    compliance_period_format(&s->per, s->label, sizeof s->label);
    return true;
}

/* Answers a request whose scope read_scope refused: 422 naming a malformed unit or period, else
 * 404 (a unit outside the caller's scope is not found). */
static void scope_refused(Req *r, Resp *w, const FilterError *bad) {
    if (!bad->field) page_error(r, w, 404, NULL);
    else if (r->want_json) json_error(r, w, 422, bad->code, bad->field, bad->message);
    else page_error(r, w, 422, bad->message);
}

/* Materialises what the period needs (each month, and the quarter). Returns 0 or -1. */
static int prepare_scope(const Scope *s) {
    for (int m = s->m1; m <= s->m2; m = m % 100 == 12 ? (m / 100 + 1) * 100 + 1 : m + 1)
        if (contact_prepare_month(m, false) != 0) return -1;
    return contact_prepare_quarter(s->q, false);
}

static Fig unit_visits(int64_t unit, int m1, int m2) {
    Stmt *st = db_prep("SELECT coalesce(sum(expected), 0), coalesce(sum(done), 0), coalesce(sum(behind), 0), coalesce(sum(owing), 0),"
                       " coalesce(sum(visits), 0) FROM unit_month WHERE unit_id = :u AND month BETWEEN :a AND :b");
    db_bind_int(st, ":u", unit);
    db_bind_int(st, ":a", m1);
    db_bind_int(st, ":b", m2);
    Fig f = {0};
    if (db_step(st) == SQLITE_ROW) f = (Fig){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), db_col_int(st, 4)};
    if (st) sqlite3_reset(st);
    return f;
}

static Fig unit_guidance(int64_t unit, int q) {
    Stmt *st = db_prep("SELECT expected, done, behind, owing, visits FROM unit_quarter WHERE unit_id = :u AND quarter = :q");
    db_bind_int(st, ":u", unit);
    db_bind_int(st, ":q", q);
    Fig f = {0};
    if (db_step(st) == SQLITE_ROW) f = (Fig){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), db_col_int(st, 4)};
    if (st) sqlite3_reset(st);
    return f;
}

/* "85%" or "—" (nothing owed), in the arena. */
static const char *rate_text(Req *r, long long done, long long expected) {
    ComplianceRate c = compliance_rate((int)done, (int)expected);
    return c.na ? "—" : arena_printf(r->arena, "%d%%", c.rate_pct);
}

static json_t *fig_json(const Fig *f) {
    ComplianceRate c = compliance_rate((int)f->done, (int)f->expected);
    return json_pack("{s:I, s:I, s:o, s:I, s:I}", "expected", (json_int_t)f->expected, "done", (json_int_t)f->done, "rate",
                     c.na ? json_null() : json_integer(c.rate_pct), "behind", (json_int_t)f->behind, "records", (json_int_t)f->count);
}

/* Calls fn for each member behind in the subtree and period (fewest done first, ties by person
 * id), paged, and returns how many are behind. A one-month period takes the count from unit_month
 * and reads the rows from an index holding every column it shows of visit_count (016): the
 * county's in display order through visit_count_behind, any smaller scope's group by group through
 * visit_count_behind_unit, sorted (a township's ~190 rows; walking the county's 1,662 in order and
 * testing each one's group cost 7 M instructions). A longer period sums each member's months
 * (members × months rows, never the visits). */
typedef void (*BehindFn)(void *ctx, int64_t id, const char *name, const char *unit, long long owed, long long done);

static long long members_behind(const Scope *s, int offset, int limit, BehindFn fn, void *ctx) {
    long long total = 0;
    Stmt *st;
    if (s->m1 == s->m2) {
        bool group, whole;
        unit_scope_shape(s->path, &group, &whole);
        st = whole ? db_prep("SELECT vc.person_id, p.name, g.name, vc.owed, vc.done FROM visit_count vc INDEXED BY visit_count_behind"
                             " JOIN unit g ON g.id = vc.unit_id JOIN person p ON p.id = vc.person_id"
                             " WHERE vc.month = :a AND vc.done < vc.owed AND +g.path BETWEEN :path AND :path || '~'"
                             " ORDER BY vc.done * 1.0 / vc.owed, vc.person_id LIMIT :lim OFFSET :off")
                   : db_prep("SELECT vc.person_id, p.name, g.name, vc.owed, vc.done FROM unit g"
                             " CROSS JOIN visit_count vc INDEXED BY visit_count_behind_unit ON vc.month = :a AND vc.unit_id = g.id"
                             " JOIN person p ON p.id = vc.person_id"
                             " WHERE g.path BETWEEN :path AND :path || '~' AND vc.done < vc.owed"
                             " ORDER BY vc.done * 1.0 / vc.owed, vc.person_id LIMIT :lim OFFSET :off");
        total = unit_visits(s->unit, s->m1, s->m1).behind;
    } else {
        st = db_prep("SELECT vc.person_id, p.name, g.name, sum(vc.owed), sum(min(vc.done, vc.owed)), count(*) OVER ()"
                     " FROM visit_count vc JOIN unit g ON g.id = vc.unit_id JOIN person p ON p.id = vc.person_id"
                     " WHERE vc.month BETWEEN :a AND :b AND g.path BETWEEN :path AND :path || '~'"
                     " GROUP BY vc.person_id HAVING sum(min(vc.done, vc.owed)) < sum(vc.owed)"
                     " ORDER BY sum(min(vc.done, vc.owed)) * 1.0 / sum(vc.owed), p.name LIMIT :lim OFFSET :off");
        db_bind_int(st, ":b", s->m2);
    }
    db_bind_int(st, ":a", s->m1);
    db_bind_text(st, ":path", s->path);
    db_bind_int(st, ":lim", limit);
    db_bind_int(st, ":off", offset);
    while (db_step(st) == SQLITE_ROW) {
        if (s->m1 != s->m2) total = db_col_int(st, 5);
        fn(ctx, db_col_int(st, 0), db_col_text(st, 1), db_col_text(st, 2), db_col_int(st, 3), db_col_int(st, 4));
    }
    if (st) sqlite3_reset(st);
    return total;
}

/* Calls fn for each cadre–committee pair behind on guidance in the quarter (by name), paged; the
 * pairs behind are read through guide_count_behind. */
static void cadres_behind(const Scope *s, int offset, int limit, BehindFn fn, void *ctx) {
    Stmt *st = db_prep("SELECT gc.user_id, coalesce(us.display_name, ''), g.name, gc.owed, gc.done"
                       " FROM guide_count gc JOIN unit g ON g.id = gc.unit_id LEFT JOIN user us ON us.id = gc.user_id"
                       " WHERE gc.quarter = :q AND gc.done < gc.owed AND +g.path BETWEEN :path AND :path || '~'"
                       " ORDER BY us.display_name, g.name LIMIT :lim OFFSET :off");
    db_bind_int(st, ":q", s->q);
    db_bind_text(st, ":path", s->path);
    db_bind_int(st, ":lim", limit);
    db_bind_int(st, ":off", offset);
    while (db_step(st) == SQLITE_ROW)
        fn(ctx, db_col_int(st, 0), db_col_text(st, 1), db_col_text(st, 2), db_col_int(st, 3), db_col_int(st, 4));
    if (st) sqlite3_reset(st);
}

/* ---------------------------------------------------------------------------------------------
 * The compliance page and its JSON */

typedef struct RowsCtx { Req *r; Buf *b; json_t *arr; int n; bool member; const char *month; } RowsCtx;

static void behind_row(void *ctx, int64_t id, const char *name, const char *unit, long long owed, long long done) {
    RowsCtx *c = ctx;
    if (c->arr) {
        json_array_append_new(c->arr, json_pack("{s:I, s:s, s:s, s:I, s:I}", "id", (json_int_t)id, "name", name, "unit", unit,
                                                "expected", (json_int_t)owed, "done", (json_int_t)done));
        return;
    }
    Req *r = c->r;
    if (c->member)
        html(c->b, "<tr><td><a href=\"/members/%lld/sheet?month=%s\">%s</a></td>", (long long)id, c->month, name);
    else
        html(c->b, "<tr><td>%s</td>", name);
    html(c->b, "<td data-label=\"%s\">%s</td><td class=\"num\" data-label=\"%s\">%lld / %lld</td><td class=\"num\" data-label=\"%s\">%s</td></tr>",
         T(r, "单位"), unit, T(r, "完成"), done, owed, T(r, "完成率"), rate_text(r, done, owed));
    c->n++;
}

void h_compliance(Req *r, Resp *w) {
    Scope s;
    FilterError bad;
    if (!read_scope(r, &s, &bad)) { scope_refused(r, w, &bad); return; }
    if (prepare_scope(&s) != 0) { page_error(r, w, 500, NULL); return; }
    Fig v = unit_visits(s.unit, s.m1, s.m2), g = unit_guidance(s.unit, s.q);
    Stmt *st = db_prep("SELECT u.id, u.name, (SELECT coalesce(sum(expected), 0) FROM unit_month m WHERE m.unit_id = u.id AND m.month BETWEEN :a AND :b),"
                       " (SELECT coalesce(sum(done), 0) FROM unit_month m WHERE m.unit_id = u.id AND m.month BETWEEN :a AND :b),"
                       " (SELECT coalesce(sum(behind), 0) FROM unit_month m WHERE m.unit_id = u.id AND m.month BETWEEN :a AND :b),"
                       " coalesce(q.expected, 0), coalesce(q.done, 0), coalesce(q.behind, 0)"
                       " FROM unit u LEFT JOIN unit_quarter q ON q.unit_id = u.id AND q.quarter = :q"
                       " WHERE u.parent_id = :u AND u.end_date IS NULL ORDER BY u.sort, u.name");
    db_bind_int(st, ":a", s.m1);
    db_bind_int(st, ":b", s.m2);
    db_bind_int(st, ":q", s.q);
    db_bind_int(st, ":u", s.unit);
    int page = ui_page_param(r);
    if (r->want_json) {
        json_t *kids = json_array();
        while (db_step(st) == SQLITE_ROW) {
            Fig cv = {db_col_int(st, 2), db_col_int(st, 3), db_col_int(st, 4), 0, 0}, cg = {db_col_int(st, 5), db_col_int(st, 6), db_col_int(st, 7), 0, 0};
            json_array_append_new(kids, json_pack("{s:I, s:s, s:o, s:o}", "unit_id", (json_int_t)db_col_int(st, 0), "name",
                                                  db_col_text(st, 1), "visits", fig_json(&cv), "guidance", fig_json(&cg)));
        }
        RowsCtx mc = {r, NULL, json_array(), 0, true, s.label}, cc = {r, NULL, json_array(), 0, false, s.label};
        members_behind(&s, (page - 1) * CONTACT_PAGE, CONTACT_PAGE, behind_row, &mc);
        cadres_behind(&s, 0, CONTACT_PAGE, behind_row, &cc);
        json_send(w, 200, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "unit_id", (json_int_t)s.unit, "unit", s.name, "period",
                                    s.label, "visits", fig_json(&v), "guidance", fig_json(&g), "children", kids, "members_behind",
                                    mc.arr, "cadres_behind", cc.arr));
        return;
    }
    page_begin(r, w, T(r, "履职统计"), &(PageOpts){.menu = "/visits/new", .unit = s.name});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s · %s</h1><div class=\"actions\">", T(r, "履职统计"), s.name, s.label);
    if (auth_has(r, CAP_EXPORT))
        html(b, "<a class=\"button\" href=\"/contact/compliance.xlsx?unit=%lld&amp;period=%s\">%s</a>", (long long)s.unit, s.label, T(r, "导出 Excel"));
    html(b, "</div></div><form class=\"filters\" method=\"get\"><input type=\"hidden\" name=\"unit\" value=\"%lld\">"
            "<input name=\"period\" value=\"%s\" aria-label=\"%s\" placeholder=\"2026-11 / 2026Q4\"><button type=\"submit\">%s</button></form>",
         (long long)s.unit, s.label, T(r, "统计期间"), T(r, "查看"));
    html_raw(b, "<div class=\"stats\">");
    ui_stat(b, v.done, T(r, "走访完成（次）"));
    ui_stat(b, v.expected, T(r, "走访应完成（次）"));
    html(b, "<div class=\"stat\"><b>%s</b><span>%s</span></div>", rate_text(r, v.done, v.expected), T(r, "走访完成率"));
    html(b, "<div class=\"stat\"><b>%s</b><span>%s</span></div>", rate_text(r, g.done, g.expected), T(r, "本季度联系指导完成率"));
    html_raw(b, "</div>");
    html(b, "<p class=\"hint\">%s</p>", T(r, "只统计成员在任期间，入职或离任当月按在任天数折算；每人完成数超过应完成数的部分不计入单位完成率。"));
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        if (!n++)
            html(b, "<div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
                    "<th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead><tbody>",
                 T(r, "下级单位"), T(r, "走访 完成/应完成"), T(r, "走访完成率"), T(r, "未达标（人次）"), T(r, "联系指导完成率"));
        long long e = db_col_int(st, 2), d = db_col_int(st, 3);
        html(b, "<tr><td><a href=\"/contact/compliance?unit=%lld&amp;period=%s\">%s</a></td><td class=\"num\" data-label=\"%s\">%lld / %lld</td>"
                "<td class=\"num\" data-label=\"%s\">%s</td><td class=\"num\" data-label=\"%s\">%lld</td><td class=\"num\" data-label=\"%s\">%s</td></tr>",
             (long long)db_col_int(st, 0), s.label, db_col_text(st, 1), T(r, "走访"), d, e, T(r, "完成率"), rate_text(r, d, e),
             T(r, "未达标"), (long long)db_col_int(st, 4), T(r, "联系指导"), rate_text(r, db_col_int(st, 6), db_col_int(st, 5)));
    }
    if (st) sqlite3_reset(st);
    if (n) html_raw(b, "</tbody></table></div>");
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "走访未达标的成员"));
    html(b, "<div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead><tbody>",
         T(r, "姓名"), T(r, "单位"), T(r, "完成"), T(r, "完成率"));
    RowsCtx mc = {r, b, NULL, 0, true, s.label};
    long long total = members_behind(&s, (page - 1) * CONTACT_PAGE, CONTACT_PAGE, behind_row, &mc);
    html_raw(b, "</tbody></table></div>");
    if (!mc.n) html(b, "<p>%s</p>", T(r, "没有未达标的成员。"));
    else ui_pager(r, b, page, CONTACT_PAGE, total);
    html(b, "</section><section class=\"card\"><h2>%s</h2><div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th>"
            "<th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead><tbody>",
         T(r, "本季度未完成联系指导的村干部"), T(r, "姓名"), T(r, "组委会"), T(r, "完成"), T(r, "完成率"));
    RowsCtx cc = {r, b, NULL, 0, false, s.label};
    cadres_behind(&s, 0, CONTACT_PAGE, behind_row, &cc);
    html_raw(b, "</tbody></table></div>");
    if (!cc.n) html(b, "<p>%s</p>", T(r, "没有未完成的联系指导。"));
    html_raw(b, "</section>");
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * Exports */

typedef struct XlsCtx { lxw_worksheet *ws; int row; } XlsCtx;

static void xls_row(void *ctx, int64_t id, const char *name, const char *unit, long long owed, long long done) {
    XlsCtx *c = ctx;
    worksheet_write_string(c->ws, (lxw_row_t)c->row, 0, name, NULL);
    worksheet_write_string(c->ws, (lxw_row_t)c->row, 1, unit, NULL);
    worksheet_write_number(c->ws, (lxw_row_t)c->row, 2, (double)owed, NULL);
    worksheet_write_number(c->ws, (lxw_row_t)c->row, 3, (double)done, NULL);
    ComplianceRate rt = compliance_rate((int)done, (int)owed);
    if (!rt.na) worksheet_write_number(c->ws, (lxw_row_t)c->row, 4, rt.rate_pct / 100.0, NULL);
    c->row++;
}

/* Records an export of `what` (compliance, digest) for scope s, as every list export is: it names
 * people, so the processing record keeps who took it. Returns 0 or -1. */
static int audit_export(Req *r, const char *what, const char *format, const Scope *s) {
    Actor a = actor_of(r);
    return audit_event(&a, "export", what, 0, s->unit,
                       json_pack("{s:s, s:s, s:s}", "format", format, "scope", s->path, "period", s->label));
}

/* Writes the compliance workbook of a scope into w (children, members behind, cadres behind). */
static void send_workbook(Req *r, Resp *w, const Scope *s, const char *filename) {
    XlsxOut out;
    lxw_workbook *wb = xlsx_out_open(&out, false);
    if (!wb) { page_error(r, w, 500, NULL); return; }
    static const char *const heads[] = {"单位", "走访应完成（次）", "走访完成（次）", "走访完成率", "联系指导应完成（次）", "联系指导完成（次）", "联系指导完成率"};
    lxw_worksheet *ws = workbook_add_worksheet(wb, T(r, "履职统计"));
    for (int i = 0; i < 7; i++) worksheet_write_string(ws, 0, (lxw_col_t)i, T(r, heads[i]), NULL);
    Stmt *st = db_prep("SELECT u.id, u.name FROM unit u WHERE (u.parent_id = :u OR u.id = :u) AND u.end_date IS NULL ORDER BY u.id = :u DESC, u.sort, u.name");
    db_bind_int(st, ":u", s->unit);
    int row = 1;
    int64_t ids[400];
    char *names[400];
    int n = 0;
    while (db_step(st) == SQLITE_ROW && n < 400) {
        ids[n] = db_col_int(st, 0);
        names[n++] = arena_strdup(r->arena, db_col_text(st, 1));
    }
    if (st) sqlite3_reset(st);
    for (int i = 0; i < n; i++, row++) {
        Fig v = unit_visits(ids[i], s->m1, s->m2), g = unit_guidance(ids[i], s->q);
        worksheet_write_string(ws, (lxw_row_t)row, 0, names[i], NULL);
        worksheet_write_number(ws, (lxw_row_t)row, 1, (double)v.expected, NULL);
        worksheet_write_number(ws, (lxw_row_t)row, 2, (double)v.done, NULL);
        ComplianceRate rv = compliance_rate((int)v.done, (int)v.expected), rg = compliance_rate((int)g.done, (int)g.expected);
        if (!rv.na) worksheet_write_number(ws, (lxw_row_t)row, 3, rv.rate_pct / 100.0, NULL);
        worksheet_write_number(ws, (lxw_row_t)row, 4, (double)g.expected, NULL);
        worksheet_write_number(ws, (lxw_row_t)row, 5, (double)g.done, NULL);
        if (!rg.na) worksheet_write_number(ws, (lxw_row_t)row, 6, rg.rate_pct / 100.0, NULL);
    }
    static const char *const bheads[] = {"姓名", "单位", "应完成（次）", "完成（次）", "完成率"};
    XlsCtx mc = {workbook_add_worksheet(wb, T(r, "走访未达标成员")), 1}, cc = {workbook_add_worksheet(wb, T(r, "联系指导未完成")), 1};
    for (int i = 0; i < 5; i++) {
        worksheet_write_string(mc.ws, 0, (lxw_col_t)i, T(r, bheads[i]), NULL);
        worksheet_write_string(cc.ws, 0, (lxw_col_t)i, T(r, bheads[i]), NULL);
    }
    members_behind(s, 0, 100000, xls_row, &mc);
    cadres_behind(s, 0, 100000, xls_row, &cc);
    buf_reset(&w->body);
    if (xlsx_out_finish(&out, &w->body) != 0 || audit_export(r, filename, "xlsx", s) != 0) {
        buf_reset(&w->body);
        page_error(r, w, 500, NULL);
        return;
    }
    resp_attachment(r, w, XLSX_TYPE, arena_printf(r->arena, "%s-%s.xlsx", filename, s->label), NULL);
}

void h_compliance_xlsx(Req *r, Resp *w) {
    Scope s;
    FilterError bad;
    if (!read_scope(r, &s, &bad)) { scope_refused(r, w, &bad); return; }
    if (prepare_scope(&s) != 0) { page_error(r, w, 500, NULL); return; }
    send_workbook(r, w, &s, "compliance");
}

/* ---------------------------------------------------------------------------------------------
 * Digest: who in my scope is behind (one page a day instead of a flood of notifications) */

void h_digest(Req *r, Resp *w) {
    Scope s;
    FilterError bad;
    if (!read_scope(r, &s, &bad)) { scope_refused(r, w, &bad); return; }
    if (prepare_scope(&s) != 0) { page_error(r, w, 500, NULL); return; }
    page_begin(r, w, T(r, "每日提醒"), &(PageOpts){.menu = "/visits/new"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s</h1><div class=\"actions\">", T(r, "每日提醒"), s.name);
    if (auth_has(r, CAP_EXPORT))
        html(b, "<a class=\"button\" href=\"/contact/digest.xlsx?unit=%lld\">%s</a><a class=\"button\" href=\"/contact/digest.csv?unit=%lld\">%s</a>",
             (long long)s.unit, T(r, "导出 Excel"), (long long)s.unit, T(r, "导出 CSV"));
    html(b, "</div></div><p class=\"hint\">%s</p>", Tn(r, "今天是本月第 {n} 天。下面是管辖范围内本月走访未达标的成员和本季度还没有联系指导的村干部。",
                                                        date_today() - s.per.from + 1));
    html(b, "<section class=\"card\"><h2>%s</h2><div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead><tbody>",
         T(r, "走访未达标的成员"), T(r, "姓名"), T(r, "单位"), T(r, "完成"), T(r, "完成率"));
    RowsCtx mc = {r, b, NULL, 0, true, s.label};
    members_behind(&s, 0, 200, behind_row, &mc);
    html_raw(b, "</tbody></table></div>");
    if (!mc.n) html(b, "<p>%s</p>", T(r, "没有未达标的成员。"));
    html(b, "</section><section class=\"card\"><h2>%s</h2><div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead><tbody>",
         T(r, "本季度未完成联系指导的村干部"), T(r, "姓名"), T(r, "组委会"), T(r, "完成"), T(r, "完成率"));
    RowsCtx cc = {r, b, NULL, 0, false, s.label};
    cadres_behind(&s, 0, 200, behind_row, &cc);
    html_raw(b, "</tbody></table></div>");
    if (!cc.n) html(b, "<p>%s</p>", T(r, "没有未完成的联系指导。"));
    html_raw(b, "</section>");
    page_end(r, w);
}

static void csv_put(void *ctx, const char *s, size_t n) { buf_append(ctx, s, n); }

typedef struct CsvCtx { CsvWriter *cw; const char *kind; } CsvCtx;

static void csv_row(void *ctx, int64_t id, const char *name, const char *unit, long long owed, long long done) {
    CsvCtx *c = ctx;
    char o[24], d[24], rt[8] = "";
    snprintf(o, sizeof o, "%lld", owed);
    snprintf(d, sizeof d, "%lld", done);
    ComplianceRate x = compliance_rate((int)done, (int)owed);
    if (!x.na) snprintf(rt, sizeof rt, "%d%%", x.rate_pct);
    const char *f[] = {c->kind, name, unit, o, d, rt};
    size_t l[6];
    for (int i = 0; i < 6; i++) l[i] = strlen(f[i]);
    csv_write_row(c->cw, 6, f, l);
}

void h_digest_csv(Req *r, Resp *w) {
    Scope s;
    FilterError bad;
    if (!read_scope(r, &s, &bad)) { scope_refused(r, w, &bad); return; }
    if (prepare_scope(&s) != 0) { page_error(r, w, 500, NULL); return; }
    buf_reset(&w->body);
    CsvWriter cw;
    csv_writer_init(&cw, csv_put, &w->body, CSV_WRITE_BOM);
    const char *head[] = {T(r, "类别"), T(r, "姓名"), T(r, "单位"), T(r, "应完成（次）"), T(r, "完成（次）"), T(r, "完成率")};
    size_t l[6];
    for (int i = 0; i < 6; i++) l[i] = strlen(head[i]);
    csv_write_row(&cw, 6, head, l);
    CsvCtx mc = {&cw, T(r, "入户走访")}, cc = {&cw, T(r, "联系指导")};
    members_behind(&s, 0, 100000, csv_row, &mc);
    cadres_behind(&s, 0, 100000, csv_row, &cc);
    if (audit_export(r, "digest", "csv", &s) != 0) {
        buf_reset(&w->body);
        page_error(r, w, 500, NULL);
        return;
    }
    resp_attachment(r, w, "text/csv; charset=utf-8", arena_printf(r->arena, "digest-%s.csv", s.label), NULL);
}

void h_digest_xlsx(Req *r, Resp *w) {
    Scope s;
    FilterError bad;
    if (!read_scope(r, &s, &bad)) { scope_refused(r, w, &bad); return; }
    if (prepare_scope(&s) != 0) { page_error(r, w, 500, NULL); return; }
    send_workbook(r, w, &s, "digest");
}

/* ---------------------------------------------------------------------------------------------
 * A member's monthly sheet (the paper handbook offices still file) */

void h_member_sheet(Req *r, Resp *w) {
    int64_t id = path_id(r, "id");
    CompliancePeriod per;
    FilterError bad = {0};
    if (!contact_period_filter(r, "month", false, &per, &bad)) per = compliance_month_period(compliance_month_of(date_today()));
    if (bad.field) { page_error(r, w, 422, bad.message); return; }
    /* The member's open seat in scope (committee_member_one_seat), else their latest seat in scope. */
    Stmt *st = db_prep("SELECT p.name, u.name, u.path FROM committee_member cm JOIN committee c ON c.id = cm.committee_id"
                       " JOIN unit u ON u.id = c.unit_id JOIN person p ON p.id = cm.person_id"
                       " WHERE cm.person_id = :p AND cm.end_date IS NULL AND u.path BETWEEN :scope AND :scope || '~'");
    db_bind_int(st, ":p", id);
    db_bind_text(st, ":scope", auth_scope(r));
    if (db_step(st) != SQLITE_ROW) {
        if (st) sqlite3_reset(st);
        st = db_prep("SELECT p.name, u.name, u.path FROM committee_member cm JOIN committee c ON c.id = cm.committee_id"
                     " JOIN unit u ON u.id = c.unit_id JOIN person p ON p.id = cm.person_id"
                     " WHERE cm.person_id = :p AND u.path BETWEEN :scope AND :scope || '~' ORDER BY cm.start_date DESC LIMIT 1");
        db_bind_int(st, ":p", id);
        db_bind_text(st, ":scope", auth_scope(r));
        if (db_step(st) != SQLITE_ROW) { if (st) sqlite3_reset(st); page_error(r, w, 404, NULL); return; }
    }
    const char *name = arena_strdup(r->arena, db_col_text(st, 0)), *unit = arena_strdup(r->arena, db_col_text(st, 1));
    sqlite3_reset(st);
    int month = compliance_month_of(per.from);
    if (contact_prepare_month(month, false) != 0) { page_error(r, w, 500, NULL); return; }
    st = db_prep("SELECT owed, done FROM visit_count WHERE person_id = :p AND month = :m");
    db_bind_int(st, ":p", id);
    db_bind_int(st, ":m", month);
    long long owed = 0, done = 0;
    if (db_step(st) == SQLITE_ROW) { owed = db_col_int(st, 0); done = db_col_int(st, 1); }
    if (st) sqlite3_reset(st);
    char label[12];
    compliance_period_format(&per, label, sizeof label);
    page_begin(r, w, T(r, "走访记录表"), &(PageOpts){.print = true});
    Buf *b = &w->body;
    html(b, "<div class=\"print-doc\"><h1>%s</h1><p>%s%s　%s%s　%s%s</p>", T(r, "组委会成员入户走访记录表"), T(r, "单位："), unit,
         T(r, "成员："), name, T(r, "月份："), label);
    html(b, "<p>%s</p>", Tn2(r, "本月应走访 {n} 次，已走访 {m} 次。", owed, done));
    char from[DATE_ISO_SIZE], to[DATE_ISO_SIZE];
    date_format(per.from, from, sizeof from);
    date_format(per.to, to, sizeof to);
    st = db_prep("SELECT v.visited_on, coalesce(hp.name, ''), h.hh_no, v.purpose, v.requests, v.help, v.duties FROM visit v"
                 " JOIN household h ON h.id = v.household_id LEFT JOIN person hp ON hp.id = h.head_id"
                 " WHERE v.member_id = :p AND v.visited_on BETWEEN :a AND :b AND v.void_at IS NULL ORDER BY v.visited_on, v.id");
    db_bind_int(st, ":p", id);
    db_bind_text(st, ":a", from);
    db_bind_text(st, ":b", to);
    html(b, "<table class=\"list wide\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "日期"), T(r, "农户"), T(r, "走访目的"), T(r, "群众诉求"), T(r, "帮助解决情况"), T(r, "履职类别"));
    while (db_step(st) == SQLITE_ROW) {
        html(b, "<tr><td>%s</td><td>%s %s</td><td>%s</td><td>%s</td><td>%s</td><td>", db_col_text(st, 0), db_col_text(st, 1),
             db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 4), db_col_text(st, 5));
        ui_duty_badges(r, b, (unsigned)db_col_int(st, 6));
        html_raw(b, "</td></tr>");
    }
    if (st) sqlite3_reset(st);
    html(b, "</tbody></table><p class=\"sign\">%s<span class=\"line\"></span></p><p class=\"sign\">%s<span class=\"line\"></span></p></div>",
         T(r, "成员签字："), T(r, "村干部审核："));
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * The home page's to-do card */

void contact_todo(Req *r, Buf *b) {
    if (!r->who) return;
    int32_t today = date_today();
    int month = compliance_month_of(today), quarter = compliance_quarter_of(today);
    int last_month = compliance_month_of(date_add_months(today, -1));
    if (contact_prepare_month(month, false) != 0 || contact_prepare_quarter(quarter, false) != 0) return;
    int items = 0;
    html(b, "<section class=\"card todo\"><h2>%s</h2><ul class=\"todo-list\">", T(r, "走访与联系指导"));
    int64_t me = contact_my_member_id(r);
    if (me) {
        Stmt *st = db_prep("SELECT owed, done FROM visit_count WHERE person_id = :p AND month = :m");
        db_bind_int(st, ":p", me);
        db_bind_int(st, ":m", month);
        long long owed = 0, done = 0;
        if (db_step(st) == SQLITE_ROW) { owed = db_col_int(st, 0); done = db_col_int(st, 1); }
        if (st) sqlite3_reset(st);
        if (done < owed) {
            html(b, "<li><a href=\"/visits/new\">%s</a></li>", Tn2(r, "本月还需走访 {n} 次（已走访 {m} 次）", owed - done, done));
            items++;
        }
        if (contact_prepare_month(last_month, false) == 0) {
            st = db_prep("SELECT owed, done FROM visit_count WHERE person_id = :p AND month = :m AND done < owed");
            db_bind_int(st, ":p", me);
            db_bind_int(st, ":m", last_month);
            if (db_step(st) == SQLITE_ROW) {
                html(b, "<li class=\"overdue\">%s</li>", Tn2(r, "逾期：上月应走访 {n} 次，只完成 {m} 次", db_col_int(st, 0), db_col_int(st, 1)));
                items++;
            }
            if (st) sqlite3_reset(st);
        }
        st = db_prep("SELECT h.id, coalesce(p.name, ''), h.hh_no, (SELECT max(v.visited_on) FROM visit v WHERE v.household_id = h.id AND v.void_at IS NULL)"
                     " FROM visit_assignment a JOIN household h ON h.id = a.household_id LEFT JOIN person p ON p.id = h.head_id"
                     " WHERE a.person_id = :p AND a.end_date IS NULL ORDER BY 4 NULLS FIRST LIMIT 3");
        db_bind_int(st, ":p", me);
        while (db_step(st) == SQLITE_ROW) {
            const char *last = db_col_text(st, 3);
            html(b, "<li><a href=\"/visits/new?household=%lld\">%s %s</a> <span class=\"hint\">%s</span></li>", (long long)db_col_int(st, 0),
                 db_col_text(st, 1), db_col_text(st, 2), *last ? arena_printf(r->arena, "%s %s", T(r, "上次走访"), last) : T(r, "还没有走访过"));
            items++;
        }
        if (st) sqlite3_reset(st);
    }
    Stmt *st = db_prep("SELECT gc.committee_id, u.name, gc.owed - gc.done FROM guide_count gc JOIN unit u ON u.id = gc.unit_id"
                       " WHERE gc.user_id = :u AND gc.quarter = :q AND gc.done < gc.owed ORDER BY u.name LIMIT 20");
    db_bind_int(st, ":u", r->who->user_id);
    db_bind_int(st, ":q", quarter);
    while (db_step(st) == SQLITE_ROW) {
        html(b, "<li><a href=\"/guidance/new?committee=%lld\">%s</a></li>", (long long)db_col_int(st, 0),
             arena_printf(r->arena, "%s%s%s", T(r, "本季度联系指导："), db_col_text(st, 1), Tn(r, "（还差 {n} 次）", db_col_int(st, 2))));
        items++;
    }
    if (st) sqlite3_reset(st);
    if (auth_has(r, CAP_REVIEW)) {
        Fig v = unit_visits(r->who->scope_unit, month, month);
        if (v.behind) {
            html(b, "<li><a href=\"/contact/digest\">%s</a></li>", Tn(r, "管辖范围内本月有 {n} 名成员走访未达标", v.behind));
            items++;
        }
        Fig g = unit_guidance(r->who->scope_unit, quarter);
        if (g.behind) {
            html(b, "<li><a href=\"/contact/digest\">%s</a></li>", Tn(r, "本季度有 {n} 个组委会还没有村干部联系指导", g.behind));
            items++;
        }
    }
    if (!items) html(b, "<li>%s</li>", T(r, "走访和联系指导都已按时完成。"));
    html_raw(b, "</ul></section>");
}

/* ---------------------------------------------------------------------------------------------
 * A household's visit facts */

void contact_household_facts(Req *r, Buf *b, int64_t household_id, bool open) {
    Stmt *st = db_prep("SELECT max(visited_on), sum(visited_on >= :y), count(*) FROM visit WHERE household_id = :h AND void_at IS NULL");
    db_bind_int(st, ":h", household_id);
    char year[DATE_ISO_SIZE];
    int yy, mm, dd;
    civil_from_days(date_today(), &yy, &mm, &dd);
    snprintf(year, sizeof year, "%04d-01-01", yy);
    db_bind_text(st, ":y", year);
    const char *last = "";
    long long this_year = 0, all = 0;
    if (db_step(st) == SQLITE_ROW) {
        last = arena_strdup(r->arena, db_col_text(st, 0));
        this_year = db_col_int(st, 1);
        all = db_col_int(st, 2);
    }
    if (st) sqlite3_reset(st);
    html(b, "<section class=\"card\"><h2>%s</h2><dl class=\"facts\"><dt>%s</dt><dd>", T(r, "走访情况"), T(r, "联系成员"));
    st = open ? db_prep("SELECT p.id, p.name, a.start_date FROM visit_assignment a JOIN person p ON p.id = a.person_id"
                        " WHERE a.household_id = :h AND a.end_date IS NULL") : NULL;
    db_bind_int(st, ":h", household_id);
    if (!open) html_raw(b, "—");
    else if (db_step(st) == SQLITE_ROW) html(b, "%s <span class=\"hint\">%s %s</span>", db_col_text(st, 1), T(r, "自"), db_col_text(st, 2));
    else html(b, "<span class=\"badge warn\">%s</span>", T(r, "未分配"));
    if (st) sqlite3_reset(st);
    int32_t lastday;
    html(b, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>", T(r, "上次走访"),
         *last && date_parse(last, &lastday) == 0 ? fmt_date(r, lastday) : T(r, "还没有走访过"), T(r, "今年走访"),
         Tn(r, "{n} 次", this_year));
    if (all && auth_has(r, CAP_VIEW))   /* the visit list is the registry side: not for a villager */
        html(b, "<p><a href=\"/visits?household=%lld\">%s</a></p>", (long long)household_id, T(r, "查看走访记录"));
    if (open && auth_has(r, CAP_FIELD)) html(b, "<p><a class=\"button\" href=\"/visits/new?household=%lld\">%s</a></p>", (long long)household_id, T(r, "登记走访"));
    html_raw(b, "</section>");
}
