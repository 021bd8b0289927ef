/* counters.c — the compliance counters of the two-way contact mechanism, kept incrementally.
 *
 * visit_count holds one row per member and month (owed, done) and unit_month the totals of each
 * unit and every ancestor; guide_count and unit_quarter do the same for guidance contacts per
 * cadre, committee and quarter. A record write changes one row and one chain of unit totals in
 * the writer's transaction (bump_*). Months and quarters are materialised on first use from the
 * seats and assignments (build_*); seat changes made by the committees mechanism are marked in
 * contact_dirty by triggers and recounted before the next contact read or write (refresh_*).
 * visit_tally keeps the visit list's totals per household group, its ancestors and month.
 * contact_rebuild() recomputes everything from the raw rows; contact_check() does so inside a
 * transaction it rolls back, and reports every row where the kept counters differ. */
#include "contact/contact.h"
#include "contact/store.h"
#include "org/units.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Settings and small helpers */

/* Reads an integer setting; returns dflt when it is absent or not a non-negative number. */
static int setting_int(const char *key, int dflt) {
    Stmt *st = db_prep("SELECT value FROM setting WHERE key = :k");
    db_bind_text(st, ":k", key);
    int v = dflt;
    if (db_step(st) == SQLITE_ROW) {
        const char *s = db_col_text(st, 0);
        char *end;
        long n = strtol(s, &end, 10);
        if (*s && !*end && n >= 0 && n <= 1000) v = (int)n;
    }
    if (st) sqlite3_reset(st);
    return v;
}

CompliancePolicy contact_policy(void) {
    CompliancePolicy p = COMPLIANCE_POLICY_DEFAULT;
    p.visits_per_month = setting_int("contact.visits_per_month", p.visits_per_month);
    p.guidance_per_quarter = setting_int("contact.guidance_per_quarter", p.guidance_per_quarter);
    return p;
}

void path_ids_json(const char *path, char *out, size_t outsz) {
    size_t n = 0;
    out[n++] = '[';
    bool first = true;
    for (const char *p = path; *p && n + 24 < outsz; p++) {
        if (*p < '0' || *p > '9') continue;
        if (!first) out[n++] = ',';
        first = false;
        while (*p >= '0' && *p <= '9' && n + 2 < outsz) out[n++] = *p++;
        if (!*p) break;
    }
    out[n++] = ']';
    out[n] = 0;
}

/* Parses a stored 'YYYY-MM-DD' (or "" / NULL for an open end) into a day number; `open` is
 * returned for an empty text. */
static int32_t day_of(const char *s, int32_t open) {
    int32_t d;
    if (!s || !*s || date_parse(s, &d) != 0) return open;
    return d;
}

static bool all_zero(const ComplianceTally *t) {
    return !t->expected && !t->done && !t->behind && !t->owing && !t->count;
}

/* ---------------------------------------------------------------------------------------------
 * Rows in memory as a table
 *
 * contact_rows(:src), a MemTable (platform/memtable.h): its columns c0..c15 are what the rows'
 * column function gives. The demo's 1.26 M visits and a rebuild's counter rows (~380 k for the demo county) each reach
 * their table by one INSERT … SELECT from it. An INSERT per row opens the table's cursors and
 * starts and ends a statement for every row: the visits took twice as long that way (2.6 s against
 * 1.3 s), the counter rows, whose cost is mostly their indexes, about 15% longer. */

static const MemTable contact_rows_table = {
    "contact_rows",
    "CREATE TABLE x (c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, src HIDDEN)",
    "zuwei_contact_rows", 16,
};

int contact_rows_register(void) { return mem_table_register(&contact_rows_table); }

int contact_rows_exec(Stmt *st, const MemSource *rows) {
    if (!st) return SQLITE_ERROR;
    mem_table_bind(st, &contact_rows_table, rows);
    return db_exec(st);
}

/* Adds `d` to the totals of unit `unit_id` and each of its ancestors for a month (quarter false)
 * or quarter. Returns 0 or -1. */
static int chain_add(bool quarter, int64_t unit_id, int period, ComplianceTally d) {
    if (all_zero(&d)) return 0;
    Stmt *st = db_prep("SELECT path FROM unit WHERE id = :id");
    db_bind_int(st, ":id", unit_id);
    char ids[256] = "";
    if (db_step(st) == SQLITE_ROW) path_ids_json(db_col_text(st, 0), ids, sizeof ids);
    if (st) sqlite3_reset(st);
    if (!*ids) return -1;
    st = quarter
        ? db_prep("INSERT INTO unit_quarter (unit_id, quarter, expected, done, behind, owing, visits)"
                  " SELECT value, :p, :e, :d, :b, :o, :c FROM json_each(:ids) WHERE true"
                  " ON CONFLICT (unit_id, quarter) DO UPDATE SET expected = expected + excluded.expected,"
                  " done = done + excluded.done, behind = behind + excluded.behind, owing = owing + excluded.owing,"
                  " visits = visits + excluded.visits")
        : db_prep("INSERT INTO unit_month (unit_id, month, expected, done, behind, owing, visits)"
                  " SELECT value, :p, :e, :d, :b, :o, :c FROM json_each(:ids) WHERE true"
                  " ON CONFLICT (unit_id, month) DO UPDATE SET expected = expected + excluded.expected,"
                  " done = done + excluded.done, behind = behind + excluded.behind, owing = owing + excluded.owing,"
                  " visits = visits + excluded.visits");
    db_bind_int(st, ":p", period);
    db_bind_int(st, ":e", d.expected);
    db_bind_int(st, ":d", d.done);
    db_bind_int(st, ":b", d.behind);
    db_bind_int(st, ":o", d.owing);
    db_bind_int(st, ":c", d.count);
    db_bind_text(st, ":ids", ids);
    return db_exec(st) == 0 ? 0 : -1;
}

static ComplianceTally tally_neg(ComplianceTally t) {
    return (ComplianceTally){-t.expected, -t.done, -t.behind, -t.owing, -t.count};
}

/* Moves a counter row's contribution from (unit0, owed0, done0) to (unit1, owed1, done1). */
static int chain_move(bool quarter, int period, int64_t unit0, int owed0, int done0, int64_t unit1, int owed1,
                      int done1) {
    if (unit0 == unit1) return chain_add(quarter, unit1, period, compliance_tally_delta(owed0, done0, owed1, done1));
    if (unit0 && chain_add(quarter, unit0, period, tally_neg(compliance_tally(owed0, done0))) != 0) return -1;
    return chain_add(quarter, unit1, period, compliance_tally(owed1, done1));
}

/* ---------------------------------------------------------------------------------------------
 * Members and months */

/* One seat of a member: the committee's group and the days held. */
typedef struct Seat { int64_t unit; int32_t start, end; } Seat;

/* What a member owes in a month given their seats (sorted by start): sets *owed and *unit (the
 * group of the last seat touching the month) and returns true, or false when no seat touches it. */
static bool seats_owed(const CompliancePolicy *p, const Seat *s, int n, int month, int *owed, int64_t *unit) {
    CompliancePeriod per = compliance_month_period(month);
    int len = (int)(per.to - per.from + 1), held = 0;
    bool any = false;
    for (int i = 0; i < n; i++) {
        int h = compliance_days_held(s[i].start, s[i].end, per.from, per.to);
        if (h <= 0) continue;
        held += h;
        *unit = s[i].unit;
        any = true;
    }
    if (!any) return false;
    int o = compliance_visits_owed_days(p, held > len ? len : held, len);
    *owed = o < 0 ? 0 : o;
    return true;
}

/* One visit_count row as it is written: what a member owes in a month and the visits done. */
typedef struct MemberMonth { int64_t person, unit; int month, owed, done; } MemberMonth;

/* A growing list of visit_count rows. */
typedef struct MemberMonths { MemberMonth *v; size_t n, cap; } MemberMonths;

/* Appends row m to list r, growing it as needed (xrealloc exits when memory runs out). */
static void member_months_push(MemberMonths *r, MemberMonth m) {
    if (r->n == r->cap) r->v = xrealloc(r->v, (r->cap = r->cap ? r->cap * 2 : 1024) * sizeof *r->v);
    r->v[r->n++] = m;
}

/* Puts member m's visits of the month into their row among out->v[*i..to) (the rows in person
 * order, the members given in person order), or appends a row owing nothing for a member who
 * visited without a seat. */
static void merge_done(MemberMonths *out, size_t *i, size_t to, MemberMonth m) {
    while (*i < to && out->v[*i].person < m.person) (*i)++;
    if (*i < to && out->v[*i].person == m.person) out->v[*i].done = m.done;
    else member_months_push(out, m);
}

/* Appends to *out the final visit_count rows of month `month`: one per member holding a seat in
 * it (what they owe), with the visits already recorded (counted from the visits, or with `sums`
 * from the demo's sums of the month, sums[0..nsums) in member order), and one owing nothing for a
 * member who visited without a seat. Each row is complete here, so it is written once. Returns 0
 * or -1. */
static int member_month_rows(const CompliancePolicy *p, int month, const ContactVisitSum *sums, size_t nsums,
                             MemberMonths *out) {
    CompliancePeriod per = compliance_month_period(month);
    char first[DATE_ISO_SIZE], last[DATE_ISO_SIZE];
    date_format(per.from, first, sizeof first);
    date_format(per.to, last, sizeof last);
    Stmt *st = db_prep("SELECT cm.person_id, c.unit_id, cm.start_date, coalesce(cm.end_date, '')"
                       " FROM committee_member cm JOIN committee c ON c.id = cm.committee_id"
                       " WHERE cm.start_date <= :last AND (cm.end_date IS NULL OR cm.end_date >= :first)"
                       " ORDER BY cm.person_id, cm.start_date");
    if (!st) return -1;
    db_bind_text(st, ":first", first);
    db_bind_text(st, ":last", last);
    size_t from = out->n;
    int64_t person = 0;
    Seat seats[16];
    int k = 0;
    /* Seats come by person: a person's row is made when the next person's first seat arrives. */
    for (bool more = true; more;) {
        more = db_step(st) == SQLITE_ROW;
        int64_t next = more ? db_col_int(st, 0) : 0;
        if (k && (!more || next != person)) {
            MemberMonth m = {person, 0, month, 0, 0};
            if (seats_owed(p, seats, k, month, &m.owed, &m.unit)) member_months_push(out, m);
            k = 0;
        }
        if (!more) break;
        person = next;
        if (k < 16) {
            seats[k].unit = db_col_int(st, 1);
            seats[k].start = day_of(db_col_text(st, 2), 0);
            seats[k].end = day_of(db_col_text(st, 3), DATE_OPEN);
            k++;
        }
    }
    size_t to = out->n, i = from;
    /* The visits by member, merged into the rows above (both in person order). */
    if (sums) {
        for (size_t j = 0; j < nsums;) {
            MemberMonth m = {sums[j].member, sums[j].member_unit, month, 0, 0};
            for (; j < nsums && sums[j].member == m.person; j++) {
                m.done += sums[j].visits;
                if (sums[j].member_unit < m.unit) m.unit = sums[j].member_unit;
            }
            merge_done(out, &i, to, m);
        }
        return 0;
    }
    st = db_prep("SELECT member_id, min(member_unit), count(*) FROM visit"
                 " WHERE visited_on BETWEEN :first AND :last AND void_at IS NULL GROUP BY member_id ORDER BY member_id");
    db_bind_text(st, ":first", first);
    db_bind_text(st, ":last", last);
    if (!st) return -1;
    while (db_step(st) == SQLITE_ROW)
        merge_done(out, &i, to, (MemberMonth){db_col_int(st, 0), db_col_int(st, 1), month, 0, (int)db_col_int(st, 2)});
    return 0;
}

/* Column col of visit_count row i (person, month, unit, owed, done) for contact_rows. */
static void member_month_column(const void *rows, size_t i, sqlite3_context *ctx, int col) {
    const MemberMonth *m = (const MemberMonth *)rows + i;
    int64_t v[] = {m->person, m->month, m->unit, m->owed, m->done};
    if (col < 5) sqlite3_result_int64(ctx, v[col]);
    else sqlite3_result_null(ctx);
}

/* Writes rows v[0..n) into visit_count. Returns 0 or -1. */
static int put_member_months(const MemberMonth *v, size_t n) {
    MemSource rows = {v, n, member_month_column};
    Stmt *st = contact_rows_prep("INSERT INTO visit_count (person_id, month, unit_id, owed, done)"
                                 " SELECT c0, c1, c2, c3, c4 FROM contact_rows(:src)");
    return contact_rows_exec(st, &rows) == 0 ? 0 : -1;
}

/* Materialises month `month` (first used after the visits of it were recorded, or new): its
 * visit_count rows, the unit totals and its contact_month mark. Returns 0 or -1. */
static int build_month(const CompliancePolicy *p, int month) {
    MemberMonths rows = {0};
    int rc = member_month_rows(p, month, NULL, 0, &rows) == 0 && put_member_months(rows.v, rows.n) == 0 ? 0 : -1;
    free(rows.v);
    if (rc) return -1;
    Stmt *st = db_prep("SELECT unit_id, sum(owed), sum(min(done, owed)), sum(owed > 0 AND done < owed), sum(owed > 0), sum(done)"
                       " FROM visit_count WHERE month = :m GROUP BY unit_id");
    db_bind_int(st, ":m", month);
    size_t nu = 0, capu = 64;
    struct Tot { int64_t unit; ComplianceTally t; } *tot = xmalloc(capu * sizeof *tot);
    while (db_step(st) == SQLITE_ROW) {
        if (nu == capu) tot = xrealloc(tot, (capu *= 2) * sizeof *tot);
        tot[nu].unit = db_col_int(st, 0);
        tot[nu].t = (ComplianceTally){db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), db_col_int(st, 4),
                                      db_col_int(st, 5)};
        nu++;
    }
    for (size_t i = 0; i < nu && rc == 0; i++) rc = chain_add(false, tot[i].unit, month, tot[i].t);
    free(tot);
    if (rc) return -1;
    st = db_prep("INSERT OR IGNORE INTO contact_month (month) VALUES (:m)");
    db_bind_int(st, ":m", month);
    return db_exec(st) == 0 ? 0 : -1;
}

/* Recounts what member `person` owes in every materialised month after their seats changed. */
static int refresh_member(const CompliancePolicy *p, int64_t person) {
    Seat seats[16];
    int k = 0;
    Stmt *st = db_prep("SELECT c.unit_id, cm.start_date, coalesce(cm.end_date, '') FROM committee_member cm"
                       " JOIN committee c ON c.id = cm.committee_id WHERE cm.person_id = :p ORDER BY cm.start_date");
    db_bind_int(st, ":p", person);
    while (db_step(st) == SQLITE_ROW && k < 16) {
        seats[k].unit = db_col_int(st, 0);
        seats[k].start = day_of(db_col_text(st, 1), 0);
        seats[k].end = day_of(db_col_text(st, 2), DATE_OPEN);
        if (seats[k].end >= seats[k].start) k++;
    }
    int months[1200], nm = 0;
    st = db_prep("SELECT month FROM contact_month ORDER BY month");
    while (db_step(st) == SQLITE_ROW && nm < 1200) months[nm++] = (int)db_col_int(st, 0);
    for (int i = 0; i < nm; i++) {
        int owed = 0, owed0 = 0, done = 0;
        int64_t unit = 0, unit0 = 0;
        bool seated = seats_owed(p, seats, k, months[i], &owed, &unit);
        st = db_prep("SELECT unit_id, owed, done FROM visit_count WHERE person_id = :p AND month = :m");
        db_bind_int(st, ":p", person);
        db_bind_int(st, ":m", months[i]);
        bool had = db_step(st) == SQLITE_ROW;
        if (had) {
            unit0 = db_col_int(st, 0);
            owed0 = (int)db_col_int(st, 1);
            done = (int)db_col_int(st, 2);
        }
        if (st) sqlite3_reset(st);
        if (!had && !seated) continue;
        if (!seated) unit = unit0, owed = 0;
        if (had && unit == unit0 && owed == owed0) continue;
        if (chain_move(false, months[i], had ? unit0 : 0, owed0, done, unit, owed, done) != 0) return -1;
        st = db_prep("INSERT INTO visit_count (person_id, month, unit_id, owed, done) VALUES (:p, :m, :u, :o, :d)"
                     " ON CONFLICT (person_id, month) DO UPDATE SET unit_id = excluded.unit_id, owed = excluded.owed");
        db_bind_int(st, ":p", person);
        db_bind_int(st, ":m", months[i]);
        db_bind_int(st, ":u", unit);
        db_bind_int(st, ":o", owed);
        db_bind_int(st, ":d", done);
        if (db_exec(st) != 0) return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Cadres and quarters */

/* Materialises quarter `quarter`: a row per cadre–committee pair assigned during it, the contacts
 * already recorded, and the unit totals. Returns 0 or -1. */
static int build_quarter(const CompliancePolicy *p, int quarter) {
    CompliancePeriod per = compliance_quarter_period(quarter);
    char first[DATE_ISO_SIZE], last[DATE_ISO_SIZE];
    date_format(per.from, first, sizeof first);
    date_format(per.to, last, sizeof last);
    Stmt *st = db_prep("INSERT OR IGNORE INTO guide_count (user_id, committee_id, quarter, unit_id, owed, done)"
                       " SELECT user_id, committee_id, :q, unit_id, :owed, 0 FROM guide_assignment"
                       " WHERE start_date <= :last AND (end_date IS NULL OR end_date >= :first)");
    db_bind_int(st, ":q", quarter);
    db_bind_int(st, ":owed", p->guidance_per_quarter);
    db_bind_text(st, ":first", first);
    db_bind_text(st, ":last", last);
    if (db_exec(st) != 0) return -1;
    st = db_prep("INSERT INTO guide_count (user_id, committee_id, quarter, unit_id, owed, done)"
                 " SELECT user_id, committee_id, :q, min(unit_id), 0, count(*) FROM guidance WHERE quarter = :q AND void_at IS NULL"
                 " GROUP BY user_id, committee_id ON CONFLICT (user_id, committee_id, quarter) DO UPDATE SET done = excluded.done");
    db_bind_int(st, ":q", quarter);
    if (db_exec(st) != 0) return -1;
    st = db_prep("SELECT unit_id, sum(owed), sum(min(done, owed)), sum(owed > 0 AND done < owed), sum(owed > 0), sum(done)"
                 " FROM guide_count WHERE quarter = :q GROUP BY unit_id");
    db_bind_int(st, ":q", quarter);
    size_t nu = 0, capu = 64;
    struct Tot { int64_t unit; ComplianceTally t; } *tot = xmalloc(capu * sizeof *tot);
    while (db_step(st) == SQLITE_ROW) {
        if (nu == capu) tot = xrealloc(tot, (capu *= 2) * sizeof *tot);
        tot[nu].unit = db_col_int(st, 0);
        tot[nu].t = (ComplianceTally){db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3), db_col_int(st, 4),
                                      db_col_int(st, 5)};
        nu++;
    }
    int rc = 0;
    for (size_t i = 0; i < nu && rc == 0; i++) rc = chain_add(true, tot[i].unit, quarter, tot[i].t);
    free(tot);
    if (rc) return -1;
    st = db_prep("INSERT OR IGNORE INTO contact_quarter (quarter) VALUES (:q)");
    db_bind_int(st, ":q", quarter);
    return db_exec(st) == 0 ? 0 : -1;
}

/* Recounts the pair (cadre, committee) in every materialised quarter after its assignments
 * changed. Returns 0 or -1. */
int contact_refresh_pair(int64_t user_id, int64_t committee_id) {
    CompliancePolicy p = contact_policy();
    int qs[400], nq = 0;
    Stmt *st = db_prep("SELECT quarter FROM contact_quarter ORDER BY quarter");
    while (db_step(st) == SQLITE_ROW && nq < 400) qs[nq++] = (int)db_col_int(st, 0);
    for (int i = 0; i < nq; i++) {
        CompliancePeriod per = compliance_quarter_period(qs[i]);
        char first[DATE_ISO_SIZE], last[DATE_ISO_SIZE];
        date_format(per.from, first, sizeof first);
        date_format(per.to, last, sizeof last);
        st = db_prep("SELECT unit_id FROM guide_assignment WHERE user_id = :u AND committee_id = :c"
                     " AND start_date <= :last AND (end_date IS NULL OR end_date >= :first) LIMIT 1");
        db_bind_int(st, ":u", user_id);
        db_bind_int(st, ":c", committee_id);
        db_bind_text(st, ":first", first);
        db_bind_text(st, ":last", last);
        int64_t unit = db_one_int(st, 0);
        int owed = unit ? p.guidance_per_quarter : 0, owed0 = 0, done = 0;
        int64_t unit0 = 0;
        st = db_prep("SELECT unit_id, owed, done FROM guide_count WHERE user_id = :u AND committee_id = :c AND quarter = :q");
        db_bind_int(st, ":u", user_id);
        db_bind_int(st, ":c", committee_id);
        db_bind_int(st, ":q", qs[i]);
        bool had = db_step(st) == SQLITE_ROW;
        if (had) {
            unit0 = db_col_int(st, 0);
            owed0 = (int)db_col_int(st, 1);
            done = (int)db_col_int(st, 2);
        }
        if (st) sqlite3_reset(st);
        if (!had && !unit) continue;
        if (!unit) unit = unit0;
        if (had && owed == owed0) continue;
        if (chain_move(true, qs[i], had ? unit0 : 0, owed0, done, unit, owed, done) != 0) return -1;
        st = db_prep("INSERT INTO guide_count (user_id, committee_id, quarter, unit_id, owed, done) VALUES (:u, :c, :q, :unit, :o, :d)"
                     " ON CONFLICT (user_id, committee_id, quarter) DO UPDATE SET owed = excluded.owed");
        db_bind_int(st, ":u", user_id);
        db_bind_int(st, ":c", committee_id);
        db_bind_int(st, ":q", qs[i]);
        db_bind_int(st, ":unit", unit);
        db_bind_int(st, ":o", owed);
        db_bind_int(st, ":d", done);
        if (db_exec(st) != 0) return -1;
    }
    return 0;
}

/* Throws away the guidance counters and builds the same quarters again (after a new threshold). */
static int rebuild_quarters(const CompliancePolicy *p) {
    int qs[400], nq = 0;
    Stmt *st = db_prep("SELECT quarter FROM contact_quarter ORDER BY quarter");
    while (db_step(st) == SQLITE_ROW && nq < 400) qs[nq++] = (int)db_col_int(st, 0);
    if (db_exec(db_prep("DELETE FROM guide_count")) || db_exec(db_prep("DELETE FROM unit_quarter")) ||
        db_exec(db_prep("DELETE FROM contact_quarter")))
        return -1;
    for (int i = 0; i < nq; i++)
        if (build_quarter(p, qs[i]) != 0) return -1;
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Preparing a period */

/* Recounts every member marked in contact_dirty (and every pair for the marker -1). */
static int refresh_dirty(const CompliancePolicy *p) {
    int64_t ids[512];
    int n;
    do {
        n = 0;
        Stmt *st = db_prep("SELECT person_id FROM contact_dirty ORDER BY person_id LIMIT 512");
        while (db_step(st) == SQLITE_ROW) ids[n++] = db_col_int(st, 0);
        for (int i = 0; i < n; i++) {
            int rc = ids[i] == -1 ? rebuild_quarters(p) : refresh_member(p, ids[i]);
            if (rc) return -1;
            st = db_prep("DELETE FROM contact_dirty WHERE person_id = :p");
            db_bind_int(st, ":p", ids[i]);
            if (db_exec(st) != 0) return -1;
        }
    } while (n == 512);
    return 0;
}

/* Prepares a month (quarter false) or quarter: refreshes dirty members, builds the period when
 * it is new and not in the future. */
static int prepare(bool quarter, int code, bool in_tx) {
    int32_t today = date_today();
    bool future = quarter ? code > compliance_quarter_of(today) : code > compliance_month_of(today);
    Stmt *st = db_prep("SELECT EXISTS (SELECT 1 FROM contact_dirty)");
    bool dirty = db_one_int(st, 0) != 0;
    st = quarter ? db_prep("SELECT count(*) FROM contact_quarter WHERE quarter = :c")
                 : db_prep("SELECT count(*) FROM contact_month WHERE month = :c");
    db_bind_int(st, ":c", code);
    bool ready = future || db_one_int(st, 0) != 0;
    if (!dirty && ready) return 0;
    if (!in_tx && db_begin() != 0) return -1;
    CompliancePolicy p = contact_policy();
    int rc = dirty ? refresh_dirty(&p) : 0;
    if (rc == 0 && !ready) rc = quarter ? build_quarter(&p, code) : build_month(&p, code);
    if (!in_tx) {
        if (rc == 0 && db_commit() == 0) return 0;
        db_rollback();
        return -1;
    }
    return rc;
}

int contact_prepare_month(int month, bool in_tx) { return prepare(false, month, in_tx); }
int contact_prepare_quarter(int quarter, bool in_tx) { return prepare(true, quarter, in_tx); }

/* ---------------------------------------------------------------------------------------------
 * One record more or less */

/* Changes a member's visits in a month by d (+1 or -1) and the totals of their group's chain.
 * The month must be prepared. Returns 0 or -1. */
int contact_bump_visit(int64_t person, int64_t member_unit, int month, int d) {
    Stmt *st = db_prep("INSERT INTO visit_count (person_id, month, unit_id, owed, done) VALUES (:p, :m, :u, 0, 0)"
                       " ON CONFLICT (person_id, month) DO NOTHING");
    db_bind_int(st, ":p", person);
    db_bind_int(st, ":m", month);
    db_bind_int(st, ":u", member_unit);
    if (db_exec(st) != 0) return -1;
    st = db_prep("UPDATE visit_count SET done = done + :d WHERE person_id = :p AND month = :m RETURNING unit_id, owed, done");
    db_bind_int(st, ":d", d);
    db_bind_int(st, ":p", person);
    db_bind_int(st, ":m", month);
    if (db_step(st) != SQLITE_ROW) { if (st) sqlite3_reset(st); return -1; }
    int64_t unit = db_col_int(st, 0);
    int owed = (int)db_col_int(st, 1), done = (int)db_col_int(st, 2);
    sqlite3_reset(st);
    return chain_add(false, unit, month, compliance_tally_delta(owed, done - d, owed, done));
}

/* Adds dv to the visits in force and dx to the voided visits of household group `unit_id` and
 * each of its ancestors in `month` (visit_tally, the visit list's totals). Returns 0 or -1. */
int contact_tally_visit(int64_t unit_id, int month, int dv, int dx) {
    if (!dv && !dx) return 0;
    Stmt *st = db_prep("INSERT INTO visit_tally (unit_id, month, visits, voided)"
                       " SELECT j.value, :m, :dv, :dx FROM unit g, " UNIT_PATH_IDS("g.path") " j"
                       " WHERE g.id = :u ON CONFLICT (unit_id, month) DO UPDATE SET visits = visits + excluded.visits,"
                       " voided = voided + excluded.voided");
    db_bind_int(st, ":m", month);
    db_bind_int(st, ":dv", dv);
    db_bind_int(st, ":dx", dx);
    db_bind_int(st, ":u", unit_id);
    return db_exec(st) == 0 && db_changes() > 0 ? 0 : -1;
}

/* Changes a cadre's guidance contacts with a committee in a quarter by d. */
int contact_bump_guidance(int64_t user_id, int64_t committee_id, int64_t unit_id, int quarter, int d) {
    Stmt *st = db_prep("INSERT INTO guide_count (user_id, committee_id, quarter, unit_id, owed, done) VALUES (:u, :c, :q, :unit, 0, 0)"
                       " ON CONFLICT (user_id, committee_id, quarter) DO NOTHING");
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":c", committee_id);
    db_bind_int(st, ":q", quarter);
    db_bind_int(st, ":unit", unit_id);
    if (db_exec(st) != 0) return -1;
    st = db_prep("UPDATE guide_count SET done = done + :d WHERE user_id = :u AND committee_id = :c AND quarter = :q"
                 " RETURNING unit_id, owed, done");
    db_bind_int(st, ":d", d);
    db_bind_int(st, ":u", user_id);
    db_bind_int(st, ":c", committee_id);
    db_bind_int(st, ":q", quarter);
    if (db_step(st) != SQLITE_ROW) { if (st) sqlite3_reset(st); return -1; }
    int64_t unit = db_col_int(st, 0);
    int owed = (int)db_col_int(st, 1), done = (int)db_col_int(st, 2);
    sqlite3_reset(st);
    return chain_add(true, unit, quarter, compliance_tally_delta(owed, done - d, owed, done));
}

/* ---------------------------------------------------------------------------------------------
 * Rebuild and check */

/* Next month / quarter code. */
static int next_month(int m) { return m % 100 == 12 ? (m / 100 + 1) * 100 + 1 : m + 1; }
static int next_quarter(int q) { return q % 10 == 4 ? (q / 10 + 1) * 10 + 1 : q + 1; }

static int cmp_int(const void *a, const void *b) { return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b); }

/* Adds to the n period codes in out those a statement returns and [fill_from..fill_to] when
 * fill_from is set, and sorts them without duplicates. Returns the count (at most max). */
static int period_set(Stmt *st, int *out, int n, int max, int fill_from, int fill_to, bool quarter) {
    while (db_step(st) == SQLITE_ROW && n < max) out[n++] = (int)db_col_int(st, 0);
    for (int c = fill_from; fill_from && c <= fill_to && n < max; c = quarter ? next_quarter(c) : next_month(c)) out[n++] = c;
    qsort(out, (size_t)n, sizeof *out, cmp_int);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!k || out[k - 1] != out[i]) out[k++] = out[i];
    return k;
}

/* Orders visit_count rows by their key (person, month). */
static int cmp_member_month(const void *a, const void *b) {
    const MemberMonth *x = a, *y = b;
    if (x->person != y->person) return (x->person > y->person) - (x->person < y->person);
    return (x->month > y->month) - (x->month < y->month);
}

/* A unit's totals for one month while the rebuild adds them up. */
typedef struct UnitMonth { int64_t unit; int month; ComplianceTally t; } UnitMonth;

/* Orders unit totals by their key (unit, month). */
static int cmp_unit_month(const void *a, const void *b) {
    const UnitMonth *x = a, *y = b;
    if (x->unit != y->unit) return (x->unit > y->unit) - (x->unit < y->unit);
    return (x->month > y->month) - (x->month < y->month);
}

/* Sorts v[0..n) by key and adds up the entries of each key into one, dropping those whose totals
 * are all zero (chain_add adds nothing for them). Returns the count left. */
static size_t unit_months_merge(UnitMonth *v, size_t n) {
    if (n) qsort(v, n, sizeof *v, cmp_unit_month);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        UnitMonth u = v[i++];
        for (; i < n && v[i].unit == u.unit && v[i].month == u.month; i++) {
            u.t.expected += v[i].t.expected;
            u.t.done += v[i].t.done;
            u.t.behind += v[i].t.behind;
            u.t.owing += v[i].t.owing;
            u.t.count += v[i].t.count;
        }
        if (!all_zero(&u.t)) v[k++] = u;
    }
    return k;
}

/* A unit and the ids on its path (itself and every ancestor). */
typedef struct UnitChain { int64_t id; int n; int64_t ids[16]; } UnitChain;

/* Orders unit paths by unit id. */
static int cmp_unit_chain(const void *a, const void *b) {
    const UnitChain *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Reads every unit's path, ordered by id, into *out. Returns the count, or -1 for a path deeper
 * than UnitChain holds. */
static long unit_chains(UnitChain **out) {
    size_t n = 0, cap = 1024;
    UnitChain *v = xmalloc(cap * sizeof *v);
    Stmt *st = db_prep("SELECT id, path FROM unit ORDER BY id");
    while (db_step(st) == SQLITE_ROW) {
        if (n == cap) v = xrealloc(v, (cap *= 2) * sizeof *v);
        UnitChain *c = &v[n++];
        c->id = db_col_int(st, 0);
        c->n = 0;
        for (const char *p = db_col_text(st, 1); *p;) {
            if (*p < '0' || *p > '9') { p++; continue; }
            char *end;
            int64_t id = strtoll(p, &end, 10);
            if (c->n == 16) { sqlite3_reset(st); free(v); return -1; }
            c->ids[c->n++] = id;
            p = end;
        }
    }
    *out = v;
    return (long)n;
}

/* Column col of unit totals row i (unit, month, expected, done, behind, owing, count) for
 * contact_rows. */
static void unit_month_column(const void *rows, size_t i, sqlite3_context *ctx, int col) {
    const UnitMonth *u = (const UnitMonth *)rows + i;
    int64_t v[] = {u->unit, u->month, u->t.expected, u->t.done, u->t.behind, u->t.owing, u->t.count};
    if (col < 7) sqlite3_result_int64(ctx, v[col]);
    else sqlite3_result_null(ctx);
}

/* Adds up the entries of own[0..n) (reordered) per unit and month, then adds each to its unit's
 * ancestors too: into *out, every unit and month once, in key order. Returns the count, or -1 for
 * a unit without a path (as chain_add). */
static long unit_months_up(UnitMonth *own, size_t n, UnitMonth **out) {
    size_t nown = unit_months_merge(own, n), nall = 0, cap = nown * 4 + 16;
    UnitChain *chains = NULL;
    long nchains = unit_chains(&chains);
    UnitMonth *all = xmalloc(cap * sizeof *all);
    int rc = nchains < 0 ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < nown; i++) {
        UnitChain key = {.id = own[i].unit};
        const UnitChain *c = bsearch(&key, chains, (size_t)nchains, sizeof *chains, cmp_unit_chain);
        if (!c || !c->n) { rc = -1; break; }
        for (int j = 0; j < c->n; j++) {
            if (nall == cap) all = xrealloc(all, (cap *= 2) * sizeof *all);
            all[nall++] = (UnitMonth){c->ids[j], own[i].month, own[i].t};
        }
    }
    free(chains);
    *out = all;
    return rc == 0 ? (long)unit_months_merge(all, nall) : -1;
}

/* Adds the per-group rows own[0..n) up to every ancestor (unit_months_up) and writes them all with
 * st, a statement reading contact_rows(:src); frees own. Returns 0 or -1. */
static int put_up(UnitMonth *own, size_t n, Stmt *st) {
    UnitMonth *all;
    long nall = unit_months_up(own, n, &all);
    MemSource rows = {all, nall > 0 ? (size_t)nall : 0, unit_month_column};
    int rc = nall >= 0 && contact_rows_exec(st, &rows) == 0 ? 0 : -1;
    free(own);
    free(all);
    return rc;
}

/* Writes the unit_month rows of the member rows v[0..n): each row's tally (compliance_tally)
 * added up per group and month, then to the group and every ancestor, each unit and month
 * written once. Returns 0 or -1 (also for a group without a path, as chain_add). */
static int put_unit_months(const MemberMonth *v, size_t n) {
    UnitMonth *own = xmalloc((n ? n : 1) * sizeof *own);
    for (size_t i = 0; i < n; i++) own[i] = (UnitMonth){v[i].unit, v[i].month, compliance_tally(v[i].owed, v[i].done)};
    return put_up(own, n, contact_rows_prep("INSERT INTO unit_month (unit_id, month, expected, done, behind, owing, visits)"
                                            " SELECT c0, c1, c2, c3, c4, c5, c6 FROM contact_rows(:src)"));
}

/* Writes visit_tally counted from the visit rows. Returns 0 or -1. */
static int put_row_tally(void) {
    Stmt *st = db_prep("INSERT INTO visit_tally (unit_id, month, visits, voided) SELECT j.value, t.month, sum(t.visits), sum(t.voided)"
                       " FROM (SELECT unit_id, month, sum(void_at IS NULL) AS visits, sum(void_at IS NOT NULL) AS voided FROM visit"
                       " GROUP BY unit_id, month) t JOIN unit g ON g.id = t.unit_id,"
                       " " UNIT_PATH_IDS("g.path") " j GROUP BY j.value, t.month");
    return db_exec(st) == 0 ? 0 : -1;
}

/* Writes visit_tally from the demo's sums s[0..n): the visits of each group and month, added to
 * the group and every ancestor. Returns 0 or -1. */
static int put_sum_tally(const ContactVisitSum *s, size_t n) {
    UnitMonth *own = xmalloc((n ? n : 1) * sizeof *own);
    for (size_t i = 0; i < n; i++) own[i] = (UnitMonth){s[i].unit, s[i].month, {.count = s[i].visits}};
    return put_up(own, n, contact_rows_prep("INSERT INTO visit_tally (unit_id, month, visits, voided)"
                                            " SELECT c0, c1, c6, 0 FROM contact_rows(:src)"));
}

/* Materialises months[0..nm) at once after the counters were emptied: every visit_count row and
 * every unit_month row written once, in key order. With sums (in month order) the visits are
 * counted from them. Returns 0 or -1. */
static int rebuild_months(const CompliancePolicy *p, const int *months, int nm, const ContactVisitSum *sums, size_t nsums) {
    MemberMonths rows = {0};
    int rc = 0;
    size_t k = 0;   /* the first sum of months[i] or later */
    for (int i = 0; rc == 0 && i < nm; i++) {
        while (k < nsums && sums[k].month < months[i]) k++;
        size_t end = k;
        while (end < nsums && sums[end].month == months[i]) end++;
        rc = member_month_rows(p, months[i], sums ? sums + k : NULL, end - k, &rows);
        k = end;
    }
    if (rc == 0 && rows.n) qsort(rows.v, rows.n, sizeof *rows.v, cmp_member_month);
    if (rc == 0) rc = put_member_months(rows.v, rows.n);
    if (rc == 0) rc = put_unit_months(rows.v, rows.n);
    free(rows.v);
    for (int i = 0; rc == 0 && i < nm; i++) {
        Stmt *st = db_prep("INSERT OR IGNORE INTO contact_month (month) VALUES (:m)");
        db_bind_int(st, ":m", months[i]);
        rc = db_exec(st) == 0 ? 0 : -1;
    }
    return rc;
}

/* Orders the demo's sums by month, then member. */
static int cmp_visit_sum(const void *a, const void *b) {
    const ContactVisitSum *x = a, *y = b;
    if (x->month != y->month) return (x->month > y->month) - (x->month < y->month);
    return (x->member > y->member) - (x->member < y->member);
}

/* The distinct months of sums s[0..n) (in month order) into out. Returns their count (at most max). */
static int sum_months(const ContactVisitSum *s, size_t n, int *out, int max) {
    int k = 0;
    for (size_t i = 0; i < n && k < max; i++)
        if (!k || out[k - 1] != s[i].month) out[k++] = s[i].month;
    return k;
}

/* Recomputes all counters inside the caller's transaction for the months and quarters already
 * materialised and those holding records; with `fill`, also every one from the first record to
 * today (a repair or a bulk load), so that months without records still show what was owed.
 * With sums (nsums > 0, the demo's bulk load; sorted here) the visits are counted from them
 * instead of being read back. */
static int rebuild_tx(bool fill, ContactVisitSum *sums, size_t nsums) {
    CompliancePolicy p = contact_policy();
    int32_t today = date_today();
    int cur_m = compliance_month_of(today), cur_q = compliance_quarter_of(today);
    if (nsums) qsort(sums, nsums, sizeof *sums, cmp_visit_sum);
    else sums = NULL;
    int first_m = sums ? sums[0].month
                       : (int)db_one_int(db_prep("SELECT coalesce(CAST(strftime('%Y%m', min(visited_on)) AS INTEGER), 0) FROM visit"), 0);
    int first_q = (int)db_one_int(db_prep("SELECT coalesce(min(quarter), 0) FROM guidance"), 0);
    if (!first_m || first_m > cur_m) first_m = cur_m;
    if (!first_q || first_q > cur_q) first_q = cur_q;
    int *months = xmalloc(2400 * sizeof *months), *quarters = xmalloc(800 * sizeof *quarters);
    int nm = period_set(sums ? db_prep("SELECT month FROM contact_month")
                             : db_prep("SELECT month FROM contact_month UNION SELECT DISTINCT month FROM visit WHERE void_at IS NULL"),
                        months, sums ? sum_months(sums, nsums, months, 2400) : 0, 2400, fill ? first_m : 0, cur_m, false);
    int nq = period_set(db_prep("SELECT quarter FROM contact_quarter UNION SELECT DISTINCT quarter FROM guidance WHERE void_at IS NULL"),
                        quarters, 0, 800, fill ? first_q : 0, cur_q, true);
    if (db_exec(db_prep("DELETE FROM visit_count")) || db_exec(db_prep("DELETE FROM unit_month")) ||
        db_exec(db_prep("DELETE FROM contact_month")) || db_exec(db_prep("DELETE FROM guide_count")) ||
        db_exec(db_prep("DELETE FROM unit_quarter")) || db_exec(db_prep("DELETE FROM contact_quarter")) ||
        db_exec(db_prep("DELETE FROM contact_dirty")) || db_exec(db_prep("DELETE FROM visit_tally")))
        nm = nq = -1;
    int rc = nm < 0 ? -1 : 0;
    if (rc == 0) rc = sums ? put_sum_tally(sums, nsums) : put_row_tally();
    if (rc == 0) rc = rebuild_months(&p, months, nm, sums, nsums);
    for (int i = 0; rc == 0 && i < nq; i++) rc = build_quarter(&p, quarters[i]);
    free(months);
    free(quarters);
    return rc;
}

int contact_rebuild(void) {
    if (db_begin() != 0) return -1;
    if (rebuild_tx(true, NULL, 0) != 0 || db_commit() != 0) {
        log_error("contact rebuild failed: %s", db_errmsg());
        db_rollback();
        return -1;
    }
    return 0;
}

int contact_rebuild_tx(ContactVisitSum *sums, size_t n) {
    if (rebuild_tx(true, sums, n) != 0) {
        log_error("contact rebuild failed: %s", db_errmsg());
        return -1;
    }
    return 0;
}

/* Prints the rows of a comparison query (label, key..., values...) and returns how many. */
static int print_diff(Stmt *st, const char *what) {
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        int cols = sqlite3_column_count(st);
        fprintf(stderr, "contact check: %s", what);
        for (int c = 0; c < cols; c++) fprintf(stderr, " %s", db_col_text(st, c));
        fputc('\n', stderr);
        n++;
    }
    return n;
}

int contact_check(void) {
    if (db_begin() != 0) return -1;
    int bad = 0;
    /* Count waiting seat changes the way the next page would, snapshot what is kept, recount
     * inside this transaction, compare, and roll back. */
    CompliancePolicy pol = contact_policy();
    if (refresh_dirty(&pol) != 0 ||
        db_exec(db_prep("CREATE TEMP TABLE IF NOT EXISTS chk_vc (person_id, month, unit_id, owed, done)")) ||
        db_exec(db_prep("CREATE TEMP TABLE IF NOT EXISTS chk_um (unit_id, month, expected, done, behind, owing, visits)")) ||
        db_exec(db_prep("CREATE TEMP TABLE IF NOT EXISTS chk_gc (user_id, committee_id, quarter, unit_id, owed, done)")) ||
        db_exec(db_prep("CREATE TEMP TABLE IF NOT EXISTS chk_uq (unit_id, quarter, expected, done, behind, owing, visits)")) ||
        db_exec(db_prep("CREATE TEMP TABLE IF NOT EXISTS chk_vt (unit_id, month, visits, voided)")) ||
        db_exec(db_prep("DELETE FROM temp.chk_vt")) ||
        db_exec(db_prep("INSERT INTO temp.chk_vt SELECT unit_id, month, visits, voided FROM visit_tally WHERE visits != 0 OR voided != 0")) ||
        db_exec(db_prep("DELETE FROM temp.chk_vc")) || db_exec(db_prep("DELETE FROM temp.chk_um")) ||
        db_exec(db_prep("DELETE FROM temp.chk_gc")) || db_exec(db_prep("DELETE FROM temp.chk_uq")) ||
        db_exec(db_prep("INSERT INTO temp.chk_vc SELECT person_id, month, unit_id, owed, done FROM visit_count"
                        " WHERE owed != 0 OR done != 0")) ||
        db_exec(db_prep("INSERT INTO temp.chk_um SELECT unit_id, month, expected, done, behind, owing, visits FROM unit_month"
                        " WHERE expected != 0 OR done != 0 OR behind != 0 OR owing != 0 OR visits != 0")) ||
        db_exec(db_prep("INSERT INTO temp.chk_gc SELECT user_id, committee_id, quarter, unit_id, owed, done FROM guide_count"
                        " WHERE owed != 0 OR done != 0")) ||
        db_exec(db_prep("INSERT INTO temp.chk_uq SELECT unit_id, quarter, expected, done, behind, owing, visits FROM unit_quarter"
                        " WHERE expected != 0 OR done != 0 OR behind != 0 OR owing != 0 OR visits != 0"))) {
        db_rollback();
        return -1;
    }
    if (rebuild_tx(false, NULL, 0) != 0) { db_rollback(); return -1; }
    bad += print_diff(db_prep("SELECT * FROM temp.chk_vc EXCEPT SELECT person_id, month, unit_id, owed, done FROM visit_count"),
                      "visit_count kept (person month unit owed done):");
    bad += print_diff(db_prep("SELECT person_id, month, unit_id, owed, done FROM visit_count WHERE owed != 0 OR done != 0"
                              " EXCEPT SELECT * FROM temp.chk_vc"),
                      "visit_count recounted (person month unit owed done):");
    bad += print_diff(db_prep("SELECT * FROM temp.chk_um EXCEPT SELECT unit_id, month, expected, done, behind, owing, visits FROM unit_month"),
                      "unit_month kept (unit month expected done behind owing visits):");
    bad += print_diff(db_prep("SELECT unit_id, month, expected, done, behind, owing, visits FROM unit_month"
                              " WHERE expected != 0 OR done != 0 OR behind != 0 OR owing != 0 OR visits != 0 EXCEPT SELECT * FROM temp.chk_um"),
                      "unit_month recounted (unit month expected done behind owing visits):");
    bad += print_diff(db_prep("SELECT * FROM temp.chk_gc EXCEPT SELECT user_id, committee_id, quarter, unit_id, owed, done FROM guide_count"),
                      "guide_count kept (user committee quarter unit owed done):");
    bad += print_diff(db_prep("SELECT user_id, committee_id, quarter, unit_id, owed, done FROM guide_count WHERE owed != 0 OR done != 0"
                              " EXCEPT SELECT * FROM temp.chk_gc"),
                      "guide_count recounted (user committee quarter unit owed done):");
    bad += print_diff(db_prep("SELECT * FROM temp.chk_uq EXCEPT SELECT unit_id, quarter, expected, done, behind, owing, visits FROM unit_quarter"),
                      "unit_quarter kept (unit quarter expected done behind owing visits):");
    bad += print_diff(db_prep("SELECT unit_id, quarter, expected, done, behind, owing, visits FROM unit_quarter"
                              " WHERE expected != 0 OR done != 0 OR behind != 0 OR owing != 0 OR visits != 0 EXCEPT SELECT * FROM temp.chk_uq"),
                      "unit_quarter recounted (unit quarter expected done behind owing visits):");
    bad += print_diff(db_prep("SELECT * FROM temp.chk_vt EXCEPT SELECT unit_id, month, visits, voided FROM visit_tally"),
                      "visit_tally kept (unit month visits voided):");
    bad += print_diff(db_prep("SELECT unit_id, month, visits, voided FROM visit_tally WHERE visits != 0 OR voided != 0"
                              " EXCEPT SELECT * FROM temp.chk_vt"),
                      "visit_tally recounted (unit month visits voided):");
    bad += print_diff(db_prep("SELECT id, visited_on, month FROM visit WHERE month != CAST(strftime('%Y%m', visited_on) AS INTEGER)"),
                      "visit with a wrong month (id date month):");
    bad += print_diff(db_prep("SELECT v.id, v.unit_id, coalesce(v.township_id, 'none') FROM visit v"
                              " LEFT JOIN group_township t ON t.unit_id = v.unit_id WHERE v.township_id IS NOT t.township_id"),
                      "visit with a wrong township (id group township):");
    bad += print_diff(db_prep("SELECT id, held_on, quarter FROM guidance WHERE quarter !="
                              " CAST(strftime('%Y', held_on) AS INTEGER) * 10 + (CAST(strftime('%m', held_on) AS INTEGER) + 2) / 3"),
                      "guidance with a wrong quarter (id date quarter):");
    db_rollback();
    printf("contact: counters %s (%d mismatches)\n", bad ? "DIFFER from the records" : "agree with the records", bad);
    return bad;
}
