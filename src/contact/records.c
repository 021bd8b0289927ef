/* records.c — visits, guidance contacts, photos and assignments: reading and writing rows.
 *
 * Writes run inside the caller's transaction and move the compliance counters with them
 * (counters.c), so a visit and its counts are committed or rolled back together. Reads take the
 * caller's scope and treat a row outside it exactly like a missing one. */
#include "contact/contact.h"
#include "contact/store.h"
#include "platform/date.h"
#include "platform/db.h"
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

int contact_demo_begin(void) {
    Stmt *st = db_prep("SELECT count(*) FROM visit");
    if (!st || db_one_int(st, -1) < 0) return -1;
    if (db_exec(db_prep("CREATE TEMP TABLE IF NOT EXISTS contact_demo_sum"
                        " (member_id INTEGER, member_unit INTEGER, unit_id INTEGER, month INTEGER, visits INTEGER)")))
        return -1;
    return db_exec(db_prep("DELETE FROM temp.contact_demo_sum")) ? -1 : 0;
}

int contact_demo_visit_sum(int64_t member_id, int64_t member_unit, int64_t unit_id, int month, int visits) {
    Stmt *st = db_prep("INSERT INTO temp.contact_demo_sum (member_id, member_unit, unit_id, month, visits)"
                       " VALUES (:m, :mu, :u, :month, :n)");
    db_bind_int(st, ":m", member_id);
    db_bind_int(st, ":mu", member_unit);
    db_bind_int(st, ":u", unit_id);
    db_bind_int(st, ":month", month);
    db_bind_int(st, ":n", visits);
    return db_exec(st);
}

/* The parameters of the demo's visit insert below, numbered as SQLite numbers named parameters:
 * in the order they first appear in the statement. Binding by number spares 14 name lookups for
 * each of the 1.26 M visits of the demo county. */
enum { VP_M = 1, VP_MU, VP_H, VP_U, VP_D, VP_MONTH, VP_PU, VP_RQ, VP_PR, VP_HE, VP_FU, VP_DU, VP_EB, VP_AT };

/* Binds text `v` ("" for NULL) to parameter `i` without copying it: the caller keeps it alive
 * until the statement has run and its bindings are cleared. */
static void bind_kept(Stmt *st, int i, const char *v) { sqlite3_bind_text(st, i, nz(v), -1, SQLITE_STATIC); }

int contact_demo_visit(const ContactDemoVisit *d) {
    Stmt *st = db_prep("INSERT INTO visit (member_id, member_unit, household_id, unit_id, visited_on, month, purpose, requests,"
                       " problems, help, follow_up, duties, entered_by, created_at)"
                       " VALUES (:m, :mu, :h, coalesce(nullif(:u, 0), (SELECT unit_id FROM household WHERE id = :h)), :d, :month,"
                       " :pu, :rq, :pr, :he, :fu, :du, :eb, :at)");
    if (!st) return SQLITE_ERROR;
    /* created_at as the column's default would write it, formatted here rather than by SQLite's
     * strftime for every row (~0.5 µs a row, ~0.6 s over the demo county's visits). */
    char day[DATE_ISO_SIZE], at[24];
    time_t now = time(NULL);
    struct tm tm;
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    date_format(d->day, day, sizeof day);
    sqlite3_bind_int64(st, VP_M, d->member_id);
    sqlite3_bind_int64(st, VP_MU, d->member_unit);
    sqlite3_bind_int64(st, VP_H, d->household_id);
    sqlite3_bind_int64(st, VP_U, d->unit_id);
    bind_kept(st, VP_D, day);
    sqlite3_bind_int64(st, VP_MONTH, compliance_month_of(d->day));
    bind_kept(st, VP_PU, d->purpose);
    bind_kept(st, VP_RQ, d->requests);
    bind_kept(st, VP_PR, d->problems);
    bind_kept(st, VP_HE, d->help);
    bind_kept(st, VP_FU, d->follow_up);
    sqlite3_bind_int64(st, VP_DU, d->duties);
    sqlite3_bind_int64(st, VP_EB, d->entered_by);
    bind_kept(st, VP_AT, at);
    int rc = db_exec(st);
    sqlite3_clear_bindings(st);
    return rc;
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

int contact_demo_finish(void) {
    /* The rebuild reads the sums month by month, grouped by member: an index made once here, by
     * one sort, instead of kept up with every sum. */
    if (db_exec(db_prep("CREATE INDEX IF NOT EXISTS temp.contact_demo_sum_month ON contact_demo_sum (month, member_id)")))
        return -1;
    bool sums = db_one_int(db_prep("SELECT EXISTS (SELECT 1 FROM temp.contact_demo_sum)"), 0) != 0;
    if (db_in_tx()) return contact_rebuild_tx(sums);
    if (db_begin() != 0) return -1;
    if (contact_rebuild_tx(sums) == 0 && db_commit() == 0) return 0;
    db_rollback();
    return -1;
}
