/* records.c — visits, guidance contacts, photos and assignments: reading and writing rows.
 *
 * Writes run inside the caller's transaction and move the compliance counters with them
 * (counters.c), so a visit and its counts are committed or rolled back together. Reads take the
 * caller's scope and treat a row outside it exactly like a missing one. */
#include "contact/contact.h"
#include "contact/store.h"
#include "platform/date.h"
#include "platform/db.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The text of column c in the arena ("" for NULL). */
static const char *col(Arena *a, Stmt *st, int c) { return arena_strdup(a, db_col_text(st, c)); }

static const char *nz(const char *s) { return s ? s : ""; }

/* ---------------------------------------------------------------------------------------------
 * Visits */

bool visit_load(Arena *a, const char *scope, int64_t id, Visit *v) {
    Stmt *st = db_prep("SELECT v.id, v.member_id, v.member_unit, v.household_id, v.unit_id, v.entered_by, v.visited_on, v.duties,"
                       " v.on_behalf, v.void_at IS NOT NULL, v.client_id, v.purpose, v.requests, v.problems, v.help, v.follow_up,"
                       " v.created_at, v.void_reason, p.name, coalesce(hp.name, ''), h.hh_no, u.name, u.path,"
                       " coalesce(eu.display_name, ''), EXISTS (SELECT 1 FROM visit_photo f WHERE f.visit_id = v.id)"
                       " FROM visit v JOIN unit u ON u.id = v.unit_id JOIN person p ON p.id = v.member_id"
                       " JOIN household h ON h.id = v.household_id LEFT JOIN person hp ON hp.id = h.head_id"
                       " LEFT JOIN user eu ON eu.id = v.entered_by"
                       " WHERE v.id = :id AND u.path BETWEEN :scope AND :scope || '~'");
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", scope);
    bool found = db_step(st) == SQLITE_ROW;
    if (found) {
        memset(v, 0, sizeof *v);
        v->id = db_col_int(st, 0);
        v->member_id = db_col_int(st, 1);
        v->member_unit = db_col_int(st, 2);
        v->household_id = db_col_int(st, 3);
        v->unit_id = db_col_int(st, 4);
        v->entered_by = db_col_int(st, 5);
        date_parse(db_col_text(st, 6), &v->day);
        v->duties = (unsigned)db_col_int(st, 7);
        v->on_behalf = db_col_int(st, 8) != 0;
        v->voided = db_col_int(st, 9) != 0;
        v->client_id = db_col_null(st, 10) ? NULL : col(a, st, 10);
        v->purpose = col(a, st, 11);
        v->requests = col(a, st, 12);
        v->problems = col(a, st, 13);
        v->help = col(a, st, 14);
        v->follow_up = col(a, st, 15);
        v->created_at = col(a, st, 16);
        v->void_reason = col(a, st, 17);
        v->member_name = col(a, st, 18);
        const char *head = db_col_text(st, 19), *no = db_col_text(st, 20);
        v->hh_label = *no ? arena_printf(a, "%s（%s）", *head ? head : "—", no) : arena_strdup(a, *head ? head : "—");
        v->unit_name = col(a, st, 21);
        v->unit_path = col(a, st, 22);
        v->entered_name = col(a, st, 23);
        v->has_photo = db_col_int(st, 24) != 0;
    }
    if (st) sqlite3_reset(st);
    return found;
}

int64_t visit_by_client_id(const char *client_id) {
    Stmt *st = db_prep("SELECT id FROM visit WHERE client_id = :c");
    db_bind_text(st, ":c", client_id);
    return db_one_int(st, 0);
}

int visit_insert(Visit *v) {
    int month = compliance_month_of(v->day);
    if (contact_prepare_month(month, true) != 0) return -1;
    char day[DATE_ISO_SIZE];
    date_format(v->day, day, sizeof day);
    Stmt *st = db_prep("INSERT INTO visit (client_id, member_id, member_unit, household_id, unit_id, visited_on, month, purpose,"
                       " requests, problems, help, follow_up, duties, entered_by, on_behalf)"
                       " VALUES (:cid, :m, :mu, :h, :u, :d, :month, :pu, :rq, :pr, :he, :fu, :du, :eb, :ob)");
    db_bind_text(st, ":cid", v->client_id);
    db_bind_int(st, ":m", v->member_id);
    db_bind_int(st, ":mu", v->member_unit);
    db_bind_int(st, ":h", v->household_id);
    db_bind_int(st, ":u", v->unit_id);
    db_bind_text(st, ":d", day);
    db_bind_int(st, ":month", month);
    db_bind_text(st, ":pu", nz(v->purpose));
    db_bind_text(st, ":rq", nz(v->requests));
    db_bind_text(st, ":pr", nz(v->problems));
    db_bind_text(st, ":he", nz(v->help));
    db_bind_text(st, ":fu", nz(v->follow_up));
    db_bind_int(st, ":du", v->duties);
    db_bind_int(st, ":eb", v->entered_by);
    db_bind_int(st, ":ob", v->on_behalf);
    if (db_exec(st) != 0) return -1;
    v->id = db_last_id();
    if (contact_tally_visit(v->unit_id, month, +1, 0) != 0) return -1;
    return contact_bump_visit(v->member_id, v->member_unit, month, +1);
}

int visit_update(const Visit *b, const Visit *a) {
    int m0 = compliance_month_of(b->day), m1 = compliance_month_of(a->day);
    bool moved = m0 != m1 || b->member_id != a->member_id;
    if (moved && contact_prepare_month(m1, true) != 0) return -1;
    char day[DATE_ISO_SIZE];
    date_format(a->day, day, sizeof day);
    Stmt *st = db_prep("UPDATE visit SET member_id = :m, member_unit = :mu, household_id = :h, unit_id = :u, visited_on = :d,"
                       " month = :month, purpose = :pu, requests = :rq, problems = :pr, help = :he, follow_up = :fu,"
                       " duties = :du, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = :id AND void_at IS NULL");
    db_bind_int(st, ":id", b->id);
    db_bind_int(st, ":m", a->member_id);
    db_bind_int(st, ":mu", a->member_unit);
    db_bind_int(st, ":h", a->household_id);
    db_bind_int(st, ":u", a->unit_id);
    db_bind_text(st, ":d", day);
    db_bind_int(st, ":month", m1);
    db_bind_text(st, ":pu", nz(a->purpose));
    db_bind_text(st, ":rq", nz(a->requests));
    db_bind_text(st, ":pr", nz(a->problems));
    db_bind_text(st, ":he", nz(a->help));
    db_bind_text(st, ":fu", nz(a->follow_up));
    db_bind_int(st, ":du", a->duties);
    if (db_exec(st) != 0 || db_changes() != 1) return -1;
    if ((m0 != m1 || b->unit_id != a->unit_id) &&
        (contact_tally_visit(b->unit_id, m0, -1, 0) != 0 || contact_tally_visit(a->unit_id, m1, +1, 0) != 0))
        return -1;
    if (!moved) return 0;
    if (contact_bump_visit(b->member_id, b->member_unit, m0, -1) != 0) return -1;
    return contact_bump_visit(a->member_id, a->member_unit, m1, +1);
}

int visit_void(const Visit *v, const char *reason, int64_t by) {
    Stmt *st = db_prep("UPDATE visit SET void_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), void_reason = :r, void_by = :by"
                       " WHERE id = :id AND void_at IS NULL");
    db_bind_int(st, ":id", v->id);
    db_bind_text(st, ":r", reason);
    db_bind_int(st, ":by", by);
    if (db_exec(st) != 0 || db_changes() != 1) return -1;
    int month = compliance_month_of(v->day);
    if (contact_prepare_month(month, true) != 0 || contact_tally_visit(v->unit_id, month, -1, +1) != 0) return -1;
    return contact_bump_visit(v->member_id, v->member_unit, month, -1);
}

int visit_photo_put(int64_t visit_id, const char *mime, const void *data, size_t n) {
    Stmt *st = db_prep("INSERT INTO visit_photo (visit_id, mime, bytes, size) VALUES (:v, :m, :b, :n)"
                       " ON CONFLICT (visit_id) DO UPDATE SET mime = excluded.mime, bytes = excluded.bytes, size = excluded.size");
    db_bind_int(st, ":v", visit_id);
    db_bind_text(st, ":m", mime);
    db_bind_blob(st, ":b", data, (int)n);
    db_bind_int(st, ":n", (int64_t)n);
    return db_exec(st) == 0 ? 0 : -1;
}

int64_t member_unit_on(int64_t person_id, int32_t day) {
    char d[DATE_ISO_SIZE];
    date_format(day, d, sizeof d);
    Stmt *st = db_prep("SELECT c.unit_id FROM committee_member cm JOIN committee c ON c.id = cm.committee_id"
                       " WHERE cm.person_id = :p AND cm.start_date <= :d AND (cm.end_date IS NULL OR cm.end_date >= :d)"
                       " ORDER BY cm.start_date DESC LIMIT 1");
    db_bind_int(st, ":p", person_id);
    db_bind_text(st, ":d", d);
    return db_one_int(st, 0);
}

/* ---------------------------------------------------------------------------------------------
 * Guidance contacts */

bool guidance_load(Arena *a, const char *scope, int64_t id, Guidance *g) {
    Stmt *st = db_prep("SELECT g.id, g.user_id, g.committee_id, g.unit_id, g.entered_by, g.held_on, g.duties,"
                       " g.void_at IS NOT NULL, g.client_id, g.how, g.checked, g.problems, g.advice, g.follow_up,"
                       " g.created_at, g.void_reason, coalesce(us.display_name, ''), u.name, u.path"
                       " FROM guidance g JOIN unit u ON u.id = g.unit_id LEFT JOIN user us ON us.id = g.user_id"
                       " WHERE g.id = :id AND u.path BETWEEN :scope AND :scope || '~'");
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", scope);
    bool found = db_step(st) == SQLITE_ROW;
    if (found) {
        memset(g, 0, sizeof *g);
        g->id = db_col_int(st, 0);
        g->user_id = db_col_int(st, 1);
        g->committee_id = db_col_int(st, 2);
        g->unit_id = db_col_int(st, 3);
        g->entered_by = db_col_int(st, 4);
        date_parse(db_col_text(st, 5), &g->day);
        g->duties = (unsigned)db_col_int(st, 6);
        g->voided = db_col_int(st, 7) != 0;
        g->client_id = db_col_null(st, 8) ? NULL : col(a, st, 8);
        g->how = col(a, st, 9);
        g->checked = col(a, st, 10);
        g->problems = col(a, st, 11);
        g->advice = col(a, st, 12);
        g->follow_up = col(a, st, 13);
        g->created_at = col(a, st, 14);
        g->void_reason = col(a, st, 15);
        g->cadre_name = col(a, st, 16);
        g->unit_name = col(a, st, 17);
        g->unit_path = col(a, st, 18);
    }
    if (st) sqlite3_reset(st);
    return found;
}

int64_t guidance_by_client_id(const char *client_id) {
    Stmt *st = db_prep("SELECT id FROM guidance WHERE client_id = :c");
    db_bind_text(st, ":c", client_id);
    return db_one_int(st, 0);
}

int guidance_insert(Guidance *g) {
    int q = compliance_quarter_of(g->day);
    if (contact_prepare_quarter(q, true) != 0) return -1;
    char day[DATE_ISO_SIZE];
    date_format(g->day, day, sizeof day);
    Stmt *st = db_prep("INSERT INTO guidance (client_id, user_id, committee_id, unit_id, held_on, quarter, how, checked, problems,"
                       " advice, follow_up, duties, entered_by) VALUES (:cid, :u, :c, :unit, :d, :q, :how, :ch, :pr, :ad, :fu, :du, :eb)");
    db_bind_text(st, ":cid", g->client_id);
    db_bind_int(st, ":u", g->user_id);
    db_bind_int(st, ":c", g->committee_id);
    db_bind_int(st, ":unit", g->unit_id);
    db_bind_text(st, ":d", day);
    db_bind_int(st, ":q", q);
    db_bind_text(st, ":how", g->how);
    db_bind_text(st, ":ch", nz(g->checked));
    db_bind_text(st, ":pr", nz(g->problems));
    db_bind_text(st, ":ad", nz(g->advice));
    db_bind_text(st, ":fu", nz(g->follow_up));
    db_bind_int(st, ":du", g->duties);
    db_bind_int(st, ":eb", g->entered_by);
    if (db_exec(st) != 0) return -1;
    g->id = db_last_id();
    return contact_bump_guidance(g->user_id, g->committee_id, g->unit_id, q, +1);
}

int guidance_update(const Guidance *b, const Guidance *a) {
    int q0 = compliance_quarter_of(b->day), q1 = compliance_quarter_of(a->day);
    bool moved = q0 != q1 || b->committee_id != a->committee_id || b->user_id != a->user_id;
    if (moved && (contact_prepare_quarter(q0, true) != 0 || contact_prepare_quarter(q1, true) != 0)) return -1;
    char day[DATE_ISO_SIZE];
    date_format(a->day, day, sizeof day);
    Stmt *st = db_prep("UPDATE guidance SET user_id = :u, committee_id = :c, unit_id = :unit, held_on = :d, quarter = :q, how = :how,"
                       " checked = :ch, problems = :pr, advice = :ad, follow_up = :fu, duties = :du,"
                       " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = :id AND void_at IS NULL");
    db_bind_int(st, ":id", b->id);
    db_bind_int(st, ":u", a->user_id);
    db_bind_int(st, ":c", a->committee_id);
    db_bind_int(st, ":unit", a->unit_id);
    db_bind_text(st, ":d", day);
    db_bind_int(st, ":q", q1);
    db_bind_text(st, ":how", a->how);
    db_bind_text(st, ":ch", nz(a->checked));
    db_bind_text(st, ":pr", nz(a->problems));
    db_bind_text(st, ":ad", nz(a->advice));
    db_bind_text(st, ":fu", nz(a->follow_up));
    db_bind_int(st, ":du", a->duties);
    if (db_exec(st) != 0 || db_changes() != 1) return -1;
    if (!moved) return 0;
    if (contact_bump_guidance(b->user_id, b->committee_id, b->unit_id, q0, -1) != 0) return -1;
    return contact_bump_guidance(a->user_id, a->committee_id, a->unit_id, q1, +1);
}

int guidance_void(const Guidance *g, const char *reason, int64_t by) {
    Stmt *st = db_prep("UPDATE guidance SET void_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), void_reason = :r, void_by = :by"
                       " WHERE id = :id AND void_at IS NULL");
    db_bind_int(st, ":id", g->id);
    db_bind_text(st, ":r", reason);
    db_bind_int(st, ":by", by);
    if (db_exec(st) != 0 || db_changes() != 1) return -1;
    int q = compliance_quarter_of(g->day);
    if (contact_prepare_quarter(q, true) != 0) return -1;
    return contact_bump_guidance(g->user_id, g->committee_id, g->unit_id, q, -1);
}

int64_t guide_assigned_on(int64_t user_id, int64_t committee_id, int32_t day) {
    char d[DATE_ISO_SIZE];
    date_format(day, d, sizeof d);
    Stmt *st = db_prep("SELECT unit_id FROM guide_assignment WHERE user_id = :u AND committee_id = :c AND start_date <= :d"
                       " AND (end_date IS NULL OR end_date >= :d) LIMIT 1");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":c", committee_id);
    db_bind_text(st, ":d", d);
    return db_one_int(st, 0);
}

/* ---------------------------------------------------------------------------------------------
 * Assignments */

int assign_household(int64_t person_id, int64_t household_id, int64_t unit_id, const char *start, int64_t by) {
    /* A household already with this member stays as it is; another member's assignment ends the
     * day before (or on the day, when it started that day). */
    Stmt *st = db_prep("SELECT count(*) FROM visit_assignment WHERE household_id = :h AND person_id = :p AND end_date IS NULL");
    db_bind_int(st, ":h", household_id);
    db_bind_int(st, ":p", person_id);
    if (db_one_int(st, 0) > 0) return 0;
    st = db_prep("UPDATE visit_assignment SET end_date = max(start_date, date(:s, '-1 day'))"
                 " WHERE household_id = :h AND end_date IS NULL");
    db_bind_text(st, ":s", start);
    db_bind_int(st, ":h", household_id);
    if (db_exec(st) != 0) return -1;
    st = db_prep("INSERT INTO visit_assignment (person_id, household_id, unit_id, start_date, created_by) VALUES (:p, :h, :u, :s, :by)");
    db_bind_int(st, ":p", person_id);
    db_bind_int(st, ":h", household_id);
    db_bind_int(st, ":u", unit_id);
    db_bind_text(st, ":s", start);
    db_bind_int(st, ":by", by);
    return db_exec(st) == 0 ? 0 : -1;
}

int assign_household_end(int64_t id, const char *end) {
    Stmt *st = db_prep("UPDATE visit_assignment SET end_date = max(start_date, :e) WHERE id = :id AND end_date IS NULL");
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":e", end);
    return db_exec(st) == 0 && db_changes() == 1 ? 0 : -1;
}

int assign_guide(int64_t user_id, int64_t committee_id, int64_t unit_id, const char *start, int64_t by) {
    Stmt *st = db_prep("SELECT count(*) FROM guide_assignment WHERE user_id = :u AND committee_id = :c AND end_date IS NULL");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":c", committee_id);
    if (db_one_int(st, 0) > 0) return 0;
    st = db_prep("INSERT INTO guide_assignment (user_id, committee_id, unit_id, start_date, created_by) VALUES (:u, :c, :unit, :s, :by)");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":c", committee_id);
    db_bind_int(st, ":unit", unit_id);
    db_bind_text(st, ":s", start);
    db_bind_int(st, ":by", by);
    if (db_exec(st) != 0) return -1;
    return contact_refresh_pair(user_id, committee_id);
}

int assign_guide_end(int64_t id, const char *end, const char *note) {
    Stmt *st = db_prep("UPDATE guide_assignment SET end_date = max(start_date, :e), end_note = :n WHERE id = :id AND end_date IS NULL"
                       " RETURNING user_id, committee_id");
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":e", end);
    db_bind_text(st, ":n", note ? note : "");
    if (db_step(st) != SQLITE_ROW) { if (st) sqlite3_reset(st); return -1; }
    int64_t u = db_col_int(st, 0), c = db_col_int(st, 1);
    sqlite3_reset(st);
    return contact_refresh_pair(u, c);
}

/* ---------------------------------------------------------------------------------------------
 * Bulk path for the demo generator */

/* The sums given by contact_demo_visit_sum since contact_demo_begin, for contact_demo_finish
 * (per thread, like the connection they belong to). */
static _Thread_local struct DemoSums { ContactVisitSum *v; size_t n, cap; } demo_sums;

static void demo_sums_clear(void) {
    free(demo_sums.v);
    demo_sums = (struct DemoSums){0};
}

int contact_demo_begin(void) {
    demo_sums_clear();
    Stmt *st = db_prep("SELECT count(*) FROM visit");
    return st && db_one_int(st, -1) >= 0 ? 0 : -1;
}

int contact_demo_visit_sum(int64_t member_id, int64_t member_unit, int64_t unit_id, int month, int visits) {
    if (demo_sums.n == demo_sums.cap) {
        demo_sums.cap = demo_sums.cap ? demo_sums.cap * 2 : 4096;
        demo_sums.v = xrealloc(demo_sums.v, demo_sums.cap * sizeof *demo_sums.v);
    }
    demo_sums.v[demo_sums.n++] = (ContactVisitSum){member_id, member_unit, unit_id, month, visits};
    return 0;
}

/* Text that stays in place until the statement is done ("" for NULL). */
static void result_kept(sqlite3_context *ctx, const char *s) { sqlite3_result_text(ctx, nz(s), -1, SQLITE_STATIC); }

/* The columns c0..c13 of a demo visit in contact_rows, as contact_demo_visits reads them. */
enum { DV_MEMBER, DV_MEMBER_UNIT, DV_HOUSEHOLD, DV_UNIT, DV_DATE, DV_MONTH, DV_PURPOSE, DV_REQUESTS, DV_PROBLEMS, DV_HELP,
       DV_FOLLOW_UP, DV_DUTIES, DV_ENTERED_BY, DV_TOWNSHIP };

/* Column col of demo visit i for contact_rows. The visits of a day come together, so the date
 * and month of the last day asked for are kept. */
static void demo_visit_column(const void *rows, size_t i, sqlite3_context *ctx, int col) {
    static _Thread_local struct { int32_t day; int month; char date[DATE_ISO_SIZE]; } last = {INT32_MIN, 0, ""};
    const ContactDemoVisit *v = (const ContactDemoVisit *)rows + i;
    if ((col == DV_DATE || col == DV_MONTH) && v->day != last.day) {
        last.day = v->day;
        last.month = compliance_month_of(v->day);
        date_format(v->day, last.date, sizeof last.date);
    }
    switch (col) {
    case DV_MEMBER: sqlite3_result_int64(ctx, v->member_id); break;
    case DV_MEMBER_UNIT: sqlite3_result_int64(ctx, v->member_unit); break;
    case DV_HOUSEHOLD: sqlite3_result_int64(ctx, v->household_id); break;
    case DV_UNIT: sqlite3_result_int64(ctx, v->unit_id); break;
    case DV_DATE: sqlite3_result_text(ctx, last.date, -1, SQLITE_TRANSIENT); break;
    case DV_MONTH: sqlite3_result_int(ctx, last.month); break;
    case DV_PURPOSE: result_kept(ctx, v->purpose); break;
    case DV_REQUESTS: result_kept(ctx, v->requests); break;
    case DV_PROBLEMS: result_kept(ctx, v->problems); break;
    case DV_HELP: result_kept(ctx, v->help); break;
    case DV_FOLLOW_UP: result_kept(ctx, v->follow_up); break;
    case DV_DUTIES: sqlite3_result_int64(ctx, v->duties); break;
    case DV_ENTERED_BY: sqlite3_result_int64(ctx, v->entered_by); break;
    case DV_TOWNSHIP: sqlite3_result_int64(ctx, v->township_id); break;
    default: sqlite3_result_null(ctx); break;
    }
}

int contact_demo_visits(const ContactDemoVisit *v, size_t n) {
    Stmt *st = contact_rows_prep("INSERT INTO visit (member_id, member_unit, household_id, unit_id, visited_on, month, purpose,"
                                 " requests, problems, help, follow_up, duties, entered_by, created_at, township_id)"
                                 " SELECT c0, c1, c2,"
                                 " coalesce(nullif(c3, 0), (SELECT h.unit_id FROM household h WHERE h.id = r.c2)),"
                                 " c4, c5, c6, c7, c8, c9, c10, c11, c12, :at, nullif(c13, 0) FROM contact_rows(:src) r");
    /* created_at as the column's default would write it, formatted once here rather than by
     * SQLite's strftime for every row. */
    char at[24];
    time_t now = time(NULL);
    struct tm tm;
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    db_bind_text(st, ":at", at);
    MemSource rows = {v, n, demo_visit_column};
    return contact_rows_exec(st, &rows);
}

int contact_demo_guidance(const ContactDemoGuidance *g) {
    char day[DATE_ISO_SIZE];
    date_format(g->day, day, sizeof day);
    Stmt *st = db_prep("INSERT INTO guidance (user_id, committee_id, unit_id, held_on, quarter, how, checked, problems, advice,"
                       " follow_up, duties, entered_by) VALUES (:u, :c, :unit, :d, :q, :how, :ch, :pr, :ad, :fu, :du, :u)");
    db_bind_int(st, ":u", g->user_id);
    db_bind_int(st, ":c", g->committee_id);
    db_bind_int(st, ":unit", g->unit_id);
    db_bind_text(st, ":d", day);
    db_bind_int(st, ":q", compliance_quarter_of(g->day));
    db_bind_text(st, ":how", g->how ? g->how : "site");
    db_bind_text(st, ":ch", nz(g->checked));
    db_bind_text(st, ":pr", nz(g->problems));
    db_bind_text(st, ":ad", nz(g->advice));
    db_bind_text(st, ":fu", nz(g->follow_up));
    db_bind_int(st, ":du", g->duties);
    return db_exec(st);
}

int contact_demo_assign_household(int64_t member_id, int64_t household_id, int64_t unit_id, int32_t start) {
    char day[DATE_ISO_SIZE];
    date_format(start, day, sizeof day);
    return assign_household(member_id, household_id, unit_id, day, 0) == 0 ? 0 : SQLITE_ERROR;
}

int contact_demo_assign_guide(int64_t user_id, int64_t committee_id, int64_t unit_id, int32_t start) {
    char day[DATE_ISO_SIZE];
    date_format(start, day, sizeof day);
    Stmt *st = db_prep("INSERT INTO guide_assignment (user_id, committee_id, unit_id, start_date) VALUES (:u, :c, :unit, :s)");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":c", committee_id);
    db_bind_int(st, ":unit", unit_id);
    db_bind_text(st, ":s", day);
    return db_exec(st);
}

/* Rebuilds the counters from the sums s[0..n) (from the rows when n is 0) inside the caller's
 * transaction when one is open, else in its own. Returns 0 or -1. */
static int demo_rebuild(ContactVisitSum *s, size_t n) {
    if (db_in_tx()) return contact_rebuild_tx(s, n);
    if (db_begin() != 0) return -1;
    if (contact_rebuild_tx(s, n) == 0 && db_commit() == 0) return 0;
    db_rollback();
    return -1;
}

int contact_demo_finish(void) {
    int rc = demo_rebuild(demo_sums.v, demo_sums.n);
    demo_sums_clear();
    return rc;
}
