/* auditlog.c — the audit viewer (操作日志), the login log (登录日志) and `zuwei check`.
 *
 * Admins and auditors (CAP_AUDIT) see the entries of their subtree: an entry belongs to the unit
 * path recorded when it was written; entries with no unit (logins, settings) are shown to the
 * county level only, i.e. to a user whose scope is a root. */
#include "committees/committees.h"
#include "contact/contact.h"
#include "deliberation/deliberation.h"
#include "org/org_auth.h"
#include "org/units.h"
#include "people/people.h"
#include "platform/auth.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include "platform/page.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const Field audit_filters[] = {
    {"user", "用户", FT_TEXT, false, 0, 32, NULL, NULL, NULL},
    {"unit", "单位编号", FT_ID, false, 0, 0, NULL, NULL, NULL},
    {"entity", "对象", FT_TEXT, false, 0, 32, NULL, NULL, NULL},
    {"action", "操作", FT_TEXT, false, 0, 32, NULL, NULL, NULL},
    {"from", "起始日期", FT_DATE, false, 0, 0, NULL, NULL, NULL},
    {"to", "截止日期", FT_DATE, false, 0, 0, NULL, NULL, NULL},
};
enum { NFILTERS = sizeof audit_filters / sizeof audit_filters[0] };

/* The subtree to show: the chosen unit when it lies inside the caller's scope, else the scope. */
static const char *filter_scope(Req *r, const Form *f) {
    if (form_has(f, "unit")) {
        Stmt *st = db_prep("SELECT path FROM unit WHERE id = :id AND path BETWEEN :scope AND :scope || '~'");
        db_bind_int(st, ":id", form_i(f, "unit"));
        db_bind_text(st, ":scope", auth_scope(r));
        const char *p = NULL;
        if (db_step(st) == SQLITE_ROW) p = arena_strdup(r->arena, db_col_text(st, 0));
        if (st) sqlite3_reset(st);
        if (p) return p;
    }
    return auth_scope(r);
}

/* True when the caller's scope is a root unit, who also sees entries not tied to any unit. */
static bool sees_unitless(const Req *r) {
    const char *p = auth_scope(r);
    return p[0] == '/' && strchr(p + 1, '/') && !strchr(strchr(p + 1, '/') + 1, '/');
}

/* ?before=ID: the page of the entries older than ID (the keyset pager's "更早"); INT64_MAX when
 * absent, 0 when it is not an id. */
static int64_t audit_before(const Req *r) {
    const char *v = req_param_src(r, "before", SRC_QUERY);
    return v ? id_parse(v) : INT64_MAX;
}

/* Binds the filters; `before` bounds the ids (INT64_MAX: none), as a plain range so that the walk
 * newest first seeks to it rather than testing every newer entry. */
static void bind_filters(Req *r, Stmt *st, const Form *f, int64_t before) {
    db_bind_int(st, ":before", before);
    db_bind_text(st, ":scope", filter_scope(r, f));
    db_bind_text(st, ":user", form_s(f, "user"));
    db_bind_text(st, ":entity", form_s(f, "entity"));
    db_bind_text(st, ":action", form_s(f, "action"));
    db_bind_text(st, ":from", form_s(f, "from"));
    db_bind_text(st, ":to", form_s(f, "to") ? arena_printf(r->arena, "%sT99", form_s(f, "to")) : NULL);
}

/* The filters other than the scope, checked on each row the scope yields. */
#define AUDIT_FILTERS \
    " AND id < :before AND (:user IS NULL OR username = :user) AND (:entity IS NULL OR entity = :entity)" \
    " AND (:action IS NULL OR action = :action) AND (:from IS NULL OR at >= :from) AND (:to IS NULL OR at <= :to)"
/* The county level: every entry, newest first by rowid (unit_path is not an index key here). */
#define AUDIT_ROOT " FROM audit WHERE (+unit_path BETWEEN :scope AND :scope || '~' OR +unit_path = '')" AUDIT_FILTERS
/* A township: entries of its subtree are a good share of the log, so walk the log newest first. */
#define AUDIT_WIDE " FROM audit WHERE +unit_path BETWEEN :scope AND :scope || '~'" AUDIT_FILTERS
/* A village or group (and any count below the county): the subtree's range of audit_unit. */
#define AUDIT_NARROW " FROM audit WHERE unit_path BETWEEN :scope AND :scope || '~'" AUDIT_FILTERS
#define AUDIT_CAPPED(from) "SELECT count(*) FROM (SELECT 1" from " LIMIT :cap)"
#define AUDIT_PAGE " ORDER BY id DESC LIMIT :lim OFFSET :off"

enum { AUDIT_PER_PAGE = 50, AUDIT_COUNT_CAP = 1000 };   /* counts stop at the cap: "1,000+" */

/* The row source of a page: 0 the whole log newest first (the county level), 1 the log newest
 * first tested against the subtree (a township with more than the cap of entries, a good share of
 * the log), 2 the subtree's ids from audit_unit, sorted (fewer than the cap, or a village or group). */
static int audit_plan(Req *r, const Form *f, long long total) {
    if (sees_unitless(r) && !form_has(f, "unit")) return 0;
    if (total <= AUDIT_COUNT_CAP) return 2;
    return unit_path_levels(filter_scope(r, f)) <= 2 ? 1 : 2;   /* a county or a township */
}

/* True when no filter but the unit is chosen: the scope's total is then kept in audit_tally. */
static bool audit_unfiltered(const Form *f) {
    return !form_s(f, "user") && !form_s(f, "entity") && !form_s(f, "action") && !form_s(f, "from") && !form_s(f, "to");
}

/* Counts the entries the caller would see, stopping at `cap` (as the filtered count stops, so
 * that the page shows the same capped total either way). */
static long long audit_count(Req *r, const Form *f, long long cap) {
    bool root = sees_unitless(r) && !form_has(f, "unit");
    if (audit_unfiltered(f)) {
        /* The entries under the scope's path, and those of no unit for the county level. */
        Stmt *st = db_prep("SELECT coalesce(sum(entries), 0) FROM audit_tally WHERE path IN (:scope, :unitless)");
        const char *scope = filter_scope(r, f);
        db_bind_text(st, ":scope", scope);
        db_bind_text(st, ":unitless", root ? "" : scope);
        long long n = db_one_int(st, 0);
        return n < cap ? n : cap;
    }
    Stmt *st = root ? db_prep(AUDIT_CAPPED(AUDIT_ROOT)) : db_prep(AUDIT_CAPPED(AUDIT_NARROW));
    bind_filters(r, st, f, INT64_MAX);
    db_bind_int(st, ":cap", cap);
    return db_one_int(st, 0);
}

#define AUDIT_HTML_COLS \
    "SELECT id, at, username, on_behalf, action, entity, coalesce(entity_id, 0), coalesce(before, ''), coalesce(after, '')"
#define AUDIT_JSON_COLS \
    "SELECT id, at, username, on_behalf, action, entity, entity_id, unit_id, coalesce(before, ''), coalesce(after, '')"
#define AUDIT_BY_IDS " FROM audit WHERE id IN (SELECT id" AUDIT_NARROW AUDIT_PAGE ") ORDER BY id DESC"

/* The id of the newest entry when the caller sees every entry of the log (the county level of the
 * only tree: the tallies of its subtree and of no unit add up to the whole log), else 0. */
static int64_t whole_log_last(Req *r, const Form *f) {
    Stmt *st = db_prep("SELECT coalesce(sum(entries), 0) = (SELECT coalesce(max(id), 0) FROM audit),"
                       " (SELECT coalesce(max(id), 0) FROM audit) FROM audit_tally WHERE path IN (:scope, '')");
    db_bind_text(st, ":scope", filter_scope(r, f));
    int64_t last = 0;
    if (db_step(st) == SQLITE_ROW && db_col_int(st, 0)) last = db_col_int(st, 1);
    if (st) sqlite3_reset(st);
    return last;
}

/* Where a page starts reading: its cursor (?before=), or for a numbered page of the whole log (the
 * county level, no filter) the id it begins with, as the chain keeps the log's ids gapless from 1;
 * INT64_MAX for any other numbered page, which skips the entries before it. */
static int64_t page_start(Req *r, const Form *f, int page, long long total, int64_t before) {
    if (before != INT64_MAX || page == 1 || audit_plan(r, f, total) != 0 || !audit_unfiltered(f)) return before;
    int64_t last = whole_log_last(r, f);
    if (!last) return before;
    int64_t start = last + 1 - (int64_t)(page - 1) * AUDIT_PER_PAGE;
    return start < 1 ? 1 : start;   /* past the end: an empty page */
}

/* Prepares the query of one page of entries, newest first, from `from` (page_start): the JSON
 * columns or the page's. */
static Stmt *audit_page(Req *r, const Form *f, int page, long long total, int64_t from, bool json) {
    Stmt *st = NULL;
    switch (audit_plan(r, f, total)) {   /* each statement a literal: prepared once, never assembled */
    case 0: st = json ? db_prep(AUDIT_JSON_COLS AUDIT_ROOT AUDIT_PAGE) : db_prep(AUDIT_HTML_COLS AUDIT_ROOT AUDIT_PAGE); break;
    case 1: st = json ? db_prep(AUDIT_JSON_COLS AUDIT_WIDE AUDIT_PAGE) : db_prep(AUDIT_HTML_COLS AUDIT_WIDE AUDIT_PAGE); break;
    default: st = json ? db_prep(AUDIT_JSON_COLS AUDIT_BY_IDS) : db_prep(AUDIT_HTML_COLS AUDIT_BY_IDS); break;
    }
    bind_filters(r, st, f, from);
    db_bind_int(st, ":lim", AUDIT_PER_PAGE);
    db_bind_int(st, ":off", from == INT64_MAX ? (int64_t)(page - 1) * AUDIT_PER_PAGE : 0);
    return st;
}

/* A numbered page past the counted ones of a capped log that would skip its predecessors (`from`
 * INT64_MAX): only a hand-made link asks for one (the pager reads on with before=), and the skip
 * would walk up to the whole log. */
#define DEEP_PAGE "页码太大：请用“更早”翻页，或用筛选缩小范围。"
static bool deep_page(bool capped, int64_t from, int page) {
    return capped && from == INT64_MAX && page > AUDIT_COUNT_CAP / AUDIT_PER_PAGE;
}

/* The pager of a log page: read on from its last entry (`older_than`, 0 when it was the last)
 * when the log is capped or was read from a cursor, else numbered pages. */
static void log_pager(Req *r, Buf *b, bool capped, int64_t before, int page, int64_t older_than, long long total) {
    if (capped || before != INT64_MAX)
        ui_keyset_pager(r, b, before != INT64_MAX || page > 1, older_than, capped ? -1 : total);
    else ui_pager(r, b, page, AUDIT_PER_PAGE, total);
}

static void h_audit(Req *r, Resp *w) {
    Form f;
    form_read(r, &f, audit_filters, NFILTERS);
    int page = ui_page_param(r);
    int64_t before = audit_before(r);
    if (!before) { page_error(r, w, 422, T(r, "before 应是一条记录的编号。")); return; }
    long long total = audit_count(r, &f, AUDIT_COUNT_CAP + 1);
    bool capped = total > AUDIT_COUNT_CAP;
    int64_t from = page_start(r, &f, page, total, before);
    if (deep_page(capped, from, page)) {
        page_error(r, w, 422, T(r, DEEP_PAGE));
        return;
    }
    Stmt *st;
    int64_t last = 0;   /* the id of the page's last entry: the next page is before it */
    int n = 0;
    if (r->want_json) {
        json_t *arr = json_array();
        st = audit_page(r, &f, page, total, from, true);
        while (db_step(st) == SQLITE_ROW) {
            last = db_col_int(st, 0);
            n++;
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s}", "id",
                                                 (json_int_t)db_col_int(st, 0), "at", db_col_text(st, 1), "user",
                                                 db_col_text(st, 2), "on_behalf", db_col_text(st, 3), "action",
                                                 db_col_text(st, 4), "entity", db_col_text(st, 5), "entity_id",
                                                 (json_int_t)db_col_int(st, 6), "unit_id", (json_int_t)db_col_int(st, 7),
                                                 "before", db_col_text(st, 8), "after", db_col_text(st, 9)));
        }
        if (st) sqlite3_reset(st);
        json_send(w, 200, json_pack("{s:o, s:I, s:b, s:o}", "entries", arr, "total",
                                    (json_int_t)(capped ? AUDIT_COUNT_CAP : total), "total_capped", capped, "next_before",
                                    n == AUDIT_PER_PAGE ? json_integer(last) : json_null()));
        return;
    }
    page_begin(r, w, T(r, "操作日志"), &(PageOpts){.menu = "/audit"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1><div class=\"actions\"><a class=\"button\" href=\"/audit/logins\">%s</a></div></div>",
         T(r, "操作日志"), T(r, "登录日志"));
    html_raw(b, "<form class=\"filters\" method=\"get\" action=\"/audit\">");
    for (int i = 0; i < NFILTERS; i++) ui_field(r, b, &f, audit_filters[i].name);
    html(b, "<button type=\"submit\">%s</button></form>", T(r, "筛选"));
    if (!total) {
        html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "没有符合条件的记录。"));
        page_end(r, w);
        return;
    }
    html(b, "<div class=\"tablewrap\"><table class=\"list wide\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "时间"), T(r, "用户"), T(r, "操作"), T(r, "对象"), T(r, "变更"));
    st = audit_page(r, &f, page, total, from, false);
    while (db_step(st) == SQLITE_ROW) {
        n++;
        last = db_col_int(st, 0);
        html(b, "<tr><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s", T(r, "时间"), db_col_text(st, 1), T(r, "用户"),
             db_col_text(st, 2));
        if (*db_col_text(st, 3)) html(b, " <span class=\"badge\">%s %s</span>", T(r, "代"), db_col_text(st, 3));
        html(b, "</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s #%lld</td><td data-label=\"%s\"><code>%s</code> → <code>%s</code></td></tr>",
             T(r, "操作"), db_col_text(st, 4), T(r, "对象"), db_col_text(st, 5), (long long)db_col_int(st, 6),
             T(r, "变更"), db_col_text(st, 7), db_col_text(st, 8));
    }
    if (st) sqlite3_reset(st);
    html_raw(b, "</tbody></table></div>");
    log_pager(r, b, capped, before, page, n == AUDIT_PER_PAGE ? last : 0, total);
    page_end(r, w);
}

/* 登录日志: the login events of users in the caller's scope (and, for the county level, of
 * unknown names too, since failed attempts at unknown accounts belong to no unit), newest first.
 * Like the audit log it grows without end: its count stops at the cap, its pages read on from a
 * cursor (?before=ID), and a username is read through its own index (023). */
#define LOGINS_FROM \
    " FROM login_log l LEFT JOIN user u ON u.id = l.user_id LEFT JOIN unit s ON s.id = u.scope_unit" \
    " WHERE l.id < :before AND (s.path BETWEEN :scope AND :scope || '~' OR (l.user_id IS NULL AND :root))"
#define LOGINS_USER " AND l.username = :user"
#define LOGINS_COLS "SELECT l.id, l.at, l.username, l.event, l.ip, l.detail"
#define LOGINS_PAGE " ORDER BY l.id DESC LIMIT :lim OFFSET :off"

/* Prepares the capped count (count true) or a page of the login log, for one username or all. */
static Stmt *logins_stmt(Req *r, const char *user, int64_t before, bool count) {
    Stmt *st = count ? (user ? db_prep(AUDIT_CAPPED(LOGINS_FROM LOGINS_USER)) : db_prep(AUDIT_CAPPED(LOGINS_FROM)))
                     : (user ? db_prep(LOGINS_COLS LOGINS_FROM LOGINS_USER LOGINS_PAGE) : db_prep(LOGINS_COLS LOGINS_FROM LOGINS_PAGE));
    db_bind_int(st, ":before", before);
    db_bind_text(st, ":scope", auth_scope(r));
    db_bind_int(st, ":root", sees_unitless(r));
    db_bind_text(st, ":user", user);
    return st;
}

static void h_logins(Req *r, Resp *w) {
    int page = ui_page_param(r);
    int64_t before = audit_before(r);
    const char *q = req_param(r, "user");
    const char *user = q && *q ? q : NULL;
    if (!before) { page_error(r, w, 422, T(r, "before 应是一条记录的编号。")); return; }
    Stmt *st = logins_stmt(r, user, INT64_MAX, true);
    db_bind_int(st, ":cap", AUDIT_COUNT_CAP + 1);
    long long total = db_one_int(st, 0);
    bool capped = total > AUDIT_COUNT_CAP;
    if (deep_page(capped, before, page)) {
        page_error(r, w, 422, T(r, DEEP_PAGE));
        return;
    }
    page_begin(r, w, T(r, "登录日志"), &(PageOpts){.menu = "/audit", .back = "/audit"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div>", T(r, "登录日志"));
    html(b, "<form class=\"filters\" method=\"get\"><input type=\"search\" name=\"user\" value=\"%s\" placeholder=\"%s\"><button type=\"submit\">%s</button></form>",
         q ? q : "", T(r, "用户名"), T(r, "筛选"));
    static const UiCol cols[] = {{"时间", false}, {"用户名", false}, {"事件", false}, {"地址", false}, {"说明", false}};
    UiTable t;
    ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
    st = logins_stmt(r, user, before, false);
    db_bind_int(st, ":lim", AUDIT_PER_PAGE);
    db_bind_int(st, ":off", before == INT64_MAX ? (int64_t)(page - 1) * AUDIT_PER_PAGE : 0);
    static const char *const events[][2] = {{"login", "登录"}, {"logout", "退出"}, {"fail", "失败"}, {"locked", "锁定"},
                                            {"password", "改密"}, {"expired", "过期"}, {"token", "令牌"}};
    int n = 0;
    int64_t last = 0;
    while (db_step(st) == SQLITE_ROW) {
        n++;
        last = db_col_int(st, 0);
        const char *ev = db_col_text(st, 3);
        for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
            if (strcmp(events[i][0], ev) == 0) ev = T(r, events[i][1]);
        ui_td(b, &t, 0);
        html(b, "%s", db_col_text(st, 1));
        ui_td(b, &t, 1);
        html(b, "%s", db_col_text(st, 2));
        ui_td(b, &t, 2);
        html(b, "%s", ev);
        ui_td(b, &t, 3);
        html(b, "%s", db_col_text(st, 4));
        ui_td(b, &t, 4);
        html(b, "%s", db_col_text(st, 5));
        ui_tr_end(b);
    }
    if (st) sqlite3_reset(st);
    ui_table_end(b);
    log_pager(r, b, capped, before, page, n == AUDIT_PER_PAGE ? last : 0, total);
    page_end(r, w);
}

const Route auditlog_routes[] = {
    {HTTP_GET, "/audit", h_audit, CAP_AUDIT, 0, NULL},
    {HTTP_GET, "/audit/logins", h_logins, CAP_AUDIT, 0, NULL},
    {HTTP_GET, "/api/v1/audit", h_audit, CAP_AUDIT, ROUTE_JSON, NULL},
    {0, NULL, NULL, 0, 0, NULL},
};

/* ---------------------------------------------------------------------------------------------
 * zuwei check */

int cmd_check(int argc, char **argv) {
    (void)argv;
    if (argc > 1) { fprintf(stderr, "zuwei check: unexpected argument %s\n", argv[1]); return 2; }
    int bad = 0;
    Stmt *st = db_prep("PRAGMA quick_check");
    const char *res = db_step(st) == SQLITE_ROW ? db_col_text(st, 0) : "no answer";
    if (strcmp(res, "ok") != 0) { printf("database: %s\n", res); bad = 1; }
    else printf("database: ok\n");
    if (st) sqlite3_reset(st);
    st = db_prep("PRAGMA foreign_key_check");
    int fk = 0;
    while (db_step(st) == SQLITE_ROW) fk++;
    printf("foreign keys: %s\n", fk ? "broken references found" : "ok");
    if (fk) bad = 1;
    char why[256] = "";
    int64_t checked = 0;
    int64_t first = audit_verify(why, sizeof why, &checked);
    if (first) { printf("audit chain: BROKEN at entry %lld: %s\n", (long long)first, why); bad = 1; }
    else printf("audit chain: ok (%lld entries)\n", (long long)checked);
    int below = units_below_check();   /* the units counted below each unit, against the tree */
    if (below == 0) printf("units below: ok\n");
    else printf("units below: MISMATCH in %d units\n", below);
    if (below != 0) bad = 1;
    if (people_counts_check() != 0) bad = 1;   /* household and group counters against a recount */
    if (contact_check() != 0) bad = 1;   /* visit and guidance counters against a full recount */
    int tallies = committee_counts_check();   /* committee composition counters, likewise */
    printf("committee counters: %s\n", tallies == 0 ? "ok" : "MISMATCH (see above)");
    if (tallies != 0) bad = 1;
    int matters = matter_counts_check(), logins = user_paths_check();
    if (matters == 0) printf("matter counters: ok\n");
    else printf("matter counters: MISMATCH in %d (unit, stage, category)\n", matters);
    if (logins == 0) printf("login scope paths: ok\n");
    else printf("login scope paths: %d logins differ from their unit's path\n", logins);
    if (matters != 0 || logins != 0) bad = 1;
    int audits = audit_tally_check();
    if (audits == 0) printf("audit tally: ok\n");
    else printf("audit tally: MISMATCH in %d unit paths\n", audits);
    if (audits != 0) bad = 1;
    return bad;
}
