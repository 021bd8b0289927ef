/* tally.c — the composition of the active committees (成员结构): per unit, read from the counts
 * that the triggers of 006_committees.sql keep in committee_tally and committee_births in the same
 * transaction as every write, so that a county costs as much as a group; per committee, counted
 * from its few members; and the recount that checks the kept counts against the rows. */
#include "committees/store.h"
#include "org/units.h"
#include "platform/date.h"
#include "platform/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The day `years` years before `day` (29 February → 28 February). */
static int32_t years_before(int32_t day, int years) {
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    y -= years;
    int last = date_days_in_month(y, m);
    return days_from_civil(y, m, d > last ? last : d);
}

/* The birth-date bounds of the age bands: aged at most 35 ⇔ born after the day 36 years ago, and
 * so on (the birthday counts). Fills b[0..2] with the days 36, 51 and 61 years before today. */
static void age_bounds(int32_t today, char b[3][11]) {
    static const int years[3] = {36, 51, 61};
    for (int k = 0; k < 3; k++) date_format(years_before(today, years[k]), b[k], sizeof b[k]);
}

/* ---------------------------------------------------------------------------------------------
 * Per unit */

/* Binds, for each bound k (1..3), the day of the bound as :dk and, unless days_only, its year and
 * month as :yk and :mk. */
static void bind_bounds(Stmt *st, int32_t today, bool days_only) {
    char b[3][11];
    age_bounds(today, b);
    static const char *const names[3][3] = {{":y1", ":m1", ":d1"}, {":y2", ":m2", ":d2"}, {":y3", ":m3", ":d3"}};
    for (int k = 0; k < 3; k++) {
        db_bind_text(st, names[k][2], b[k]);
        if (days_only) continue;
        char y[5], m[8];
        snprintf(y, sizeof y, "%.4s", b[k]);
        snprintf(m, sizeof m, "%.7s", b[k]);
        db_bind_text(st, names[k][0], y);
        db_bind_text(st, names[k][1], m);
    }
}

/* The members of unit k born after bound K: in a later year, a later month of its year, or a later
 * day of its month — at most a few dozen rows of committee_births whatever the county's size. */
#define BORN_AFTER(K)                                                                                          \
    " (SELECT coalesce(sum(n), 0) FROM committee_births b WHERE b.unit_id = k.id AND b.level = 0"             \
    " AND b.key > :y" K ")"                                                                                      \
    " + (SELECT coalesce(sum(n), 0) FROM committee_births b WHERE b.unit_id = k.id AND b.level = 1"             \
    " AND b.key > :m" K " AND b.key <= :y" K " || '-12')"                                                       \
    " + (SELECT coalesce(sum(n), 0) FROM committee_births b WHERE b.unit_id = k.id AND b.level = 2"             \
    " AND b.key > :d" K " AND b.key <= :m" K " || '-31')"

/* The kept counts of unit k and its members born after each of the three bounds. */
#define TALLY_OF_K                                                                                             \
    "SELECT k.id, k.name, coalesce(t.groups, 0), coalesce(t.committees, 0), coalesce(t.members, 0),"           \
    " coalesce(t.party, 0), coalesce(t.chunhui, 0), coalesce(t.wealth, 0), coalesce(t.veteran, 0),"            \
    " coalesce(t.retired, 0), coalesce(t.cadres, 0), coalesce(t.women, 0), coalesce(t.attention, 0),"          \
    " coalesce(t.nochair, 0)," BORN_AFTER("1") "," BORN_AFTER("2") "," BORN_AFTER("3")                           \
    " FROM unit k LEFT JOIN committee_tally t ON t.unit_id = k.id"

/* Fills c (id, name, counts) from a row of TALLY_OF_K. */
static void tally_from(Stmt *st, Composition *c) {
    memset(c, 0, sizeof *c);
    c->unit_id = db_col_int(st, 0);
    str_copy(c->name, sizeof c->name, db_col_text(st, 1));
    long long v[15];
    for (int k = 0; k < 15; k++) v[k] = db_col_int(st, 2 + k);
    c->groups = v[0];
    c->committees = v[1];
    c->members = v[2];
    c->party = v[3];
    c->chunhui = v[4];
    c->wealth = v[5];
    c->veteran = v[6];
    c->retired = v[7];
    c->cadres = v[8];
    c->women = v[9];
    c->attention = v[10];
    c->nochair = v[11];
    c->age[0] = v[12];                /* born after the day 36 years ago: 35 or younger */
    c->age[1] = v[13] - v[12];        /* 36–50 */
    c->age[2] = v[14] - v[13];        /* 51–60 */
    c->age[3] = v[2] - v[14];         /* over 60 */
}

int composition_rollup(const Unit *u, int32_t today, Composition *rows, int max, Composition *total) {
    memset(total, 0, sizeof *total);
    /* The children not ended, in the order of the unit tree (u itself is in the caller's scope). */
    Stmt *st = db_prep(TALLY_OF_K " WHERE k.parent_id = :p AND k.end_date IS NULL ORDER BY k.sort, k.name, k.id LIMIT :max");
    if (!st) return -1;
    db_bind_int(st, ":p", u->id);
    db_bind_int(st, ":max", max);
    bind_bounds(st, today, false);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) tally_from(st, &rows[n++]);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return -1;
    st = db_prep(TALLY_OF_K " WHERE k.id = :u");
    if (!st) return -1;
    db_bind_int(st, ":u", u->id);
    bind_bounds(st, today, false);
    rc = db_step(st);
    if (rc == SQLITE_ROW) tally_from(st, total);
    sqlite3_reset(st);
    total->unit_id = 0;
    total->name[0] = '\0';
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

/* ---------------------------------------------------------------------------------------------
 * Per committee */

void committee_composition(int64_t committee_id, int32_t today, Composition *out) {
    memset(out, 0, sizeof *out);
    Stmt *st = db_prep("SELECT count(*), sum(p.flags & 1 != 0), sum(p.flags & 2 != 0), sum(p.flags & 4 != 0),"
                       " sum(p.flags & 8 != 0), sum(p.flags & 16 != 0), sum(p.flags & 32 != 0), sum(p.sex = 'F'),"
                       " sum(p.birth > :d1), sum(p.birth <= :d1 AND p.birth > :d2), sum(p.birth <= :d2 AND p.birth > :d3),"
                       " sum(p.birth <= :d3), c.attention"
                       " FROM committee c JOIN committee_member m ON m.committee_id = c.id AND m.end_date IS NULL"
                       " JOIN person p ON p.id = m.person_id WHERE c.id = :c");
    if (!st) return;
    db_bind_int(st, ":c", committee_id);
    bind_bounds(st, today, true);
    if (db_step(st) == SQLITE_ROW && db_col_int(st, 0) > 0) {
        out->committees = 1;
        out->members = db_col_int(st, 0);
        out->party = db_col_int(st, 1);
        out->chunhui = db_col_int(st, 2);
        out->wealth = db_col_int(st, 3);
        out->veteran = db_col_int(st, 4);
        out->retired = db_col_int(st, 5);
        out->cadres = db_col_int(st, 6);
        out->women = db_col_int(st, 7);
        for (int k = 0; k < 4; k++) out->age[k] = db_col_int(st, 8 + k);
        out->attention = db_col_int(st, 12) != 0;
    }
    sqlite3_reset(st);
}

/* ---------------------------------------------------------------------------------------------
 * The recount */

/* What committee_tally should hold, counted from the rows: each group's own numbers, added to the
 * group and to every unit on its path. */
#define WANT_TALLY                                                                                               \
    "WITH seat AS (SELECT c.unit_id, count(*) AS members, sum(p.flags & 1 != 0) AS party,"                     \
    " sum(p.flags & 2 != 0) AS chunhui, sum(p.flags & 4 != 0) AS wealth, sum(p.flags & 8 != 0) AS veteran,"    \
    " sum(p.flags & 16 != 0) AS retired, sum(p.flags & 32 != 0) AS cadres, sum(p.sex = 'F') AS women"          \
    " FROM committee c JOIN committee_member m ON m.committee_id = c.id AND m.end_date IS NULL"                  \
    " JOIN person p ON p.id = m.person_id WHERE c.ended_on IS NULL GROUP BY c.unit_id),"                        \
    " com AS (SELECT c.unit_id, count(*) AS committees, sum(c.attention != 0) AS attention,"                    \
    " sum(NOT EXISTS (SELECT 1 FROM committee_member x WHERE x.committee_id = c.id AND x.end_date IS NULL"        \
    " AND x.post = 'chair')) AS nochair FROM committee c WHERE c.ended_on IS NULL GROUP BY c.unit_id),"          \
    " own AS (SELECT g.id, g.path, (g.kind = 'group' AND g.end_date IS NULL) AS groups,"                        \
    " coalesce(com.committees, 0) AS committees, coalesce(s.members, 0) AS members, coalesce(s.party, 0) AS party," \
    " coalesce(s.chunhui, 0) AS chunhui, coalesce(s.wealth, 0) AS wealth, coalesce(s.veteran, 0) AS veteran,"   \
    " coalesce(s.retired, 0) AS retired, coalesce(s.cadres, 0) AS cadres, coalesce(s.women, 0) AS women,"       \
    " coalesce(com.attention, 0) AS attention, coalesce(com.nochair, 0) AS nochair"                              \
    " FROM unit g LEFT JOIN com ON com.unit_id = g.id LEFT JOIN seat s ON s.unit_id = g.id),"                   \
    " want AS (SELECT j.value AS unit_id, sum(groups) AS groups, sum(committees) AS committees,"                 \
    " sum(members) AS members, sum(party) AS party, sum(chunhui) AS chunhui, sum(wealth) AS wealth,"            \
    " sum(veteran) AS veteran, sum(retired) AS retired, sum(cadres) AS cadres, sum(women) AS women,"            \
    " sum(attention) AS attention, sum(nochair) AS nochair"                                                      \
    " FROM own, " UNIT_PATH_IDS("own.path") " j GROUP BY j.value)"

#define TALLY_COLS "unit_id, groups, committees, members, party, chunhui, wealth, veteran, retired, cadres, women, attention, nochair"
#define TALLY_NONZERO                                                                                            \
    " (groups != 0 OR committees != 0 OR members != 0 OR party != 0 OR chunhui != 0 OR wealth != 0"            \
    " OR veteran != 0 OR retired != 0 OR cadres != 0 OR women != 0 OR attention != 0 OR nochair != 0)"

/* What committee_births should hold: each counted member's birth year, month and day, for the
 * group and every unit on its path. */
#define WANT_BIRTHS                                                                                              \
    "WITH want AS (SELECT j.value AS unit_id, l.level, substr(p.birth, 1, l.len) AS key, count(*) AS n"       \
    " FROM committee c JOIN committee_member m ON m.committee_id = c.id AND m.end_date IS NULL"                  \
    " JOIN person p ON p.id = m.person_id JOIN unit g ON g.id = c.unit_id,"                                      \
    " " UNIT_PATH_IDS("g.path") " j,"                                        \
    " (SELECT 0 AS level, 4 AS len UNION ALL SELECT 1, 7 UNION ALL SELECT 2, 10) l"                              \
    " WHERE c.ended_on IS NULL GROUP BY 1, 2, 3)"

/* What each active committee's own counts, path and first chair's seat should be. */
#define WANT_COMMITTEE                                                                                           \
    "WITH want AS (SELECT c.id, g.path, count(m.id) AS members, coalesce(sum(p.flags & 1 != 0), 0) AS party,"  \
    " coalesce(sum(p.sex = 'F'), 0) AS women, coalesce(sum(m.post = 'chair'), 0) AS chairs,"                   \
    " coalesce(min(CASE WHEN m.post = 'chair' THEN m.id END), 0) AS chair_seat"                                  \
    " FROM committee c JOIN unit g ON g.id = c.unit_id"                                                          \
    " LEFT JOIN committee_member m ON m.committee_id = c.id AND m.end_date IS NULL"                             \
    " LEFT JOIN person p ON p.id = m.person_id WHERE c.ended_on IS NULL GROUP BY c.id)"

int committee_counts_check(void) {
    Stmt *st = db_prep(WANT_TALLY ", diff AS (SELECT " TALLY_COLS " FROM want WHERE" TALLY_NONZERO
                       " EXCEPT SELECT " TALLY_COLS " FROM committee_tally"
                       " UNION ALL SELECT * FROM (SELECT " TALLY_COLS " FROM committee_tally WHERE" TALLY_NONZERO
                       " EXCEPT SELECT " TALLY_COLS " FROM want))"
                       " SELECT count(DISTINCT unit_id) FROM diff");
    if (!st) return -1;
    int64_t bad = db_one_int(st, -1);
    if (bad < 0) return -1;
    st = db_prep(WANT_BIRTHS ", diff AS (SELECT unit_id, level, key, n FROM want EXCEPT"
                 " SELECT unit_id, level, key, n FROM committee_births"
                 " UNION ALL SELECT * FROM (SELECT unit_id, level, key, n FROM committee_births WHERE n != 0"
                 " EXCEPT SELECT unit_id, level, key, n FROM want))"
                 " SELECT count(*) FROM (SELECT DISTINCT unit_id, level, key FROM diff)");
    if (!st) return -1;
    int64_t births = db_one_int(st, -1);
    if (births < 0) return -1;
    st = db_prep(WANT_COMMITTEE " SELECT count(*) FROM (SELECT w.id, w.path, w.members, w.party, w.women, w.chairs,"
                 " coalesce(s.person_id, 0) FROM want w LEFT JOIN committee_member s ON s.id = w.chair_seat"
                 " EXCEPT SELECT id, path, members, party, women, chairs, chair_id FROM committee WHERE ended_on IS NULL)");
    if (!st) return -1;
    int64_t rows = db_one_int(st, -1);
    if (rows < 0) return -1;
    return (int)(bad + births + rows);
}
