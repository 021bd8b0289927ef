/* store.c — scoped queries of the registry (see store.h).
 *
 * Speed at county scale (240,000 people) comes from letting one index drive each query. Across
 * the whole county a name prefix walks person_name and initials walk person_initials; inside a
 * township or smaller the scope's units are walked by path and each group's people probed through
 * person_unit_name (unit_id, name, id, then the list filters' columns) — a name prefix as a range
 * of that index, "contains" and the filters as tests on its entries — and initials are a range of
 * person_village_initials (village_id, initials, unit_id): one per village of a township, one
 * for a village or a group (docs/decisions/0006). A scope's whole roll, and its people of one
 * status or with one flag, are counted by unit_roll's counters; a list filtered by a rare status
 * or flag walks the groups through a partial index that holds only such people (015). The last four of an ID number use
 * person_tail, a whole ID number the unique blind index. The scope test and filters are checked
 * on the rows the index yields, and counts stop at a cap. CROSS JOIN fixes the join order so the
 * planner cannot pick a scan instead.
 *
 * A page of the whole roll of a scope, or of an initials search, comes from the roll's lists in
 * memory instead when they hold this snapshot's roll (rollindex.h, page_from_index): the same rows
 * in the same order, without a b-tree read per row. */
#include "people/store.h"
#include "people/rollindex.h"
#include "org/units.h"
#include "people/idnum.h"
#include "platform/date.h"
#include "platform/db.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of a PersonRow, read by row_from(). */
#define PR_COLS                                                                                                     \
    "SELECT p.id, p.unit_id, coalesce(p.household_id, 0), p.name, p.sex, p.birth, p.idnum_mask, p.idnum_legacy,"  \
    " p.phone, p.ethnicity, p.education, p.status, coalesce(p.status_date, ''), p.relation, p.flags, u.name,"     \
    " coalesce(h.hh_no, ''), coalesce(h.head_id = p.id, 0), coalesce(h.rep_id = p.id, 0)"
/* Person first: an index on person drives the query. */
#define PR_FROM_PERSON " FROM person p CROSS JOIN unit u ON u.id = p.unit_id LEFT JOIN household h ON h.id = p.household_id"
/* Units first: the scope's units by path, then each group's people by name. */
#define PR_FROM_UNIT " FROM unit u CROSS JOIN person p ON p.unit_id = u.id LEFT JOIN household h ON h.id = p.household_id"
/* The initials search inside a township: its villages in their order (unit_parent), then each
 * village's people through person_village_initials, in initials order, so a page needs no sort. */
#define VILLAGES_INI " FROM unit v INDEXED BY unit_parent CROSS JOIN person p INDEXED BY person_village_initials" \
    " ON p.village_id = v.id"
#define PR_FROM_VILLAGES VILLAGES_INI " CROSS JOIN unit u ON u.id = p.unit_id LEFT JOIN household h ON h.id = p.household_id"
#define IN_TOWNSHIP_INI " WHERE v.parent_id = :sid AND p.initials >= :lo AND p.initials < :hi"
/* The initials search inside a village or one of its groups (:gid, 0 for the whole village). */
#define VILLAGE_INI " FROM person p INDEXED BY person_village_initials"
#define PR_FROM_VILLAGE VILLAGE_INI " CROSS JOIN unit u ON u.id = p.unit_id LEFT JOIN household h ON h.id = p.household_id"
#define IN_VILLAGE_INI " WHERE p.village_id = :vid AND (:gid = 0 OR p.unit_id = :gid) AND p.initials >= :lo AND p.initials < :hi"
#define CNT_FROM_PERSON "SELECT count(*) FROM (SELECT 1 FROM person p CROSS JOIN unit u ON u.id = p.unit_id"
/* A county-wide initials search with a rare status or flag walks person_rare_initials (019), which
 * holds only the people of the rare statuses and flags: a statement uses a partial index only when
 * its WHERE states the index's condition, as RARE_INITIALS does. */
#define PR_FROM_RARE_INITIALS " FROM person p INDEXED BY person_rare_initials CROSS JOIN unit u ON u.id = p.unit_id" \
    " LEFT JOIN household h ON h.id = p.household_id"
#define CNT_FROM_RARE_INITIALS "SELECT count(*) FROM (SELECT 1 FROM person p INDEXED BY person_rare_initials" \
    " CROSS JOIN unit u ON u.id = p.unit_id"
#define RARE_INITIALS " WHERE p.initials >= :lo AND p.initials < :hi AND (p.status != 'resident' OR p.flags & 127 != 0)"
#define CNT_FROM_UNIT "SELECT count(*) FROM (SELECT 1 FROM unit u CROSS JOIN person p ON p.unit_id = u.id"
/* The scope alone, for counts without list filters: no person row is read to test them. */
#define PQ_SCOPE " AND u.path BETWEEN :scope AND :scope || '~'"
/* The list filters (status, flag, age band), each neutral when not chosen. */
#define PQ_LIST_FILTERS \
    " AND (:status = '' OR p.status = :status) AND (:flag = 0 OR (p.flags & :flag) != 0) AND p.birth BETWEEN :bfrom AND :bto"
/* The scope and the list filters, common to every search. */
#define PQ_FILTERS PQ_SCOPE PQ_LIST_FILTERS
/* The scope from the unit :from on, in path order: a deep page of a counted walk starts at the unit
 * roll_seek() finds (:from is the scope itself otherwise). */
#define PQ_FROM " AND u.path BETWEEN :from AND :scope || '~'"
/* A count over a county-wide index when the scope is the whole tree: index entries only. */
#define CNT_WHOLE "SELECT count(*) FROM (SELECT 1 FROM person p"
#define PAGED " LIMIT :lim OFFSET :off"
#define CAPPED " LIMIT :cap)"

/* How a search is served. The *_UNITS modes and Q_CONTAINS walk the scope's units and each
 * group's people, the Q_INITIALS_TOWNSHIP and _VILLAGE modes the villages' ranges of initials; the
 * others walk an index on person across the county and test the scope on each row, which is the
 * cheaper way only when the scope is the whole county or the key is rare (an ID number). */
typedef enum { Q_ALL, Q_NAME, Q_NAME_UNITS, Q_CONTAINS, Q_INITIALS, Q_INITIALS_TOWNSHIP, Q_INITIALS_VILLAGE, Q_TAIL,
               Q_IDNUM } QMode;

/* The bounds of one search: its mode and the values bound as :lo and :hi. */
/* Which index a filtered walk of everyone in the scope's groups takes (015_rare_filters.sql):
 * person_unit_name holds everyone, person_unit_status the people of a status but 'resident',
 * person_unit_flagged the people with a flag but labour force. */
typedef enum { WALK_EVERYONE, WALK_RARE_STATUS, WALK_RARE_FLAG } Walk;

typedef struct QPlan {
    QMode mode;
    Walk walk;               /* Q_ALL with filters */
    bool bare;               /* no status, flag or age filter */
    bool whole;              /* the scope is the root of the only tree: every person is in it (counts only) */
    char lo[200], hi[208];
    char bfrom[11], bto[11];
    char from[UNIT_PATH_SIZE];   /* a walk of Q_ALL starts at this unit's path (roll_seek); "" for the scope */
    int64_t sid, vid, gid;   /* Q_INITIALS_TOWNSHIP: the township; Q_INITIALS_VILLAGE: the village, the group or 0 */
} QPlan;

bool people_query_contains(const PeopleQuery *q) { return unit_path_levels(q->scope) >= 3; }

/* True when the scope is a township or smaller: few enough groups that probing each one's
 * (unit_id, name) index beats walking a county-wide index. */
static bool scope_small(const PeopleQuery *q) { return unit_path_levels(q->scope) >= 2; }

/* The day `years` years before `day`, keeping month and day (29 February → 28 February). */
static int32_t years_before(int32_t day, int years) {
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    y -= years;
    int last = date_days_in_month(y, m);
    return days_from_civil(y, m, d > last ? last : d);
}

/* Turns an age band into a birth-date range so that age is tested without a function on the
 * column: aged at least a ⇔ born on or before the day a years ago (the birthday counts). */
static void age_range(AgeBand band, int32_t today, char from[11], char to[11]) {
    int32_t lo = INT32_MIN, hi = INT32_MAX;
    switch (band) {
    case AGE_0_17: lo = years_before(today, 18) + 1; hi = today; break;
    case AGE_18_35: lo = years_before(today, 36) + 1; hi = years_before(today, 18); break;
    case AGE_36_59: lo = years_before(today, 60) + 1; hi = years_before(today, 36); break;
    case AGE_60_UP: hi = years_before(today, 60); break;
    case AGE_ANY: break;
    }
    if (lo == INT32_MIN) snprintf(from, 11, "0000-00-00");
    else date_format(lo, from, 11);
    if (hi == INT32_MAX) snprintf(to, 11, "9999-99-99");
    else date_format(hi, to, 11);
}

static bool is_tail(const char *s) {
    if (strlen(s) != 4) return false;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)s[i]) && !(i == 3 && (s[i] == 'X' || s[i] == 'x'))) return false;
    return true;
}

static bool is_letters(const char *s) {
    if (!*s || strlen(s) > 30) return false;
    for (; *s; s++)
        if (!isalpha((unsigned char)*s)) return false;
    return true;
}

/* Reads the ids on a scope path ("/county/township/village/group/") into ids[4]; returns how many. */
static int path_ids(const char *scope, int64_t ids[4]) {
    int n = 0;
    for (const char *c = scope; *c && n < 4; c++)
        if (*c == '/' && c[1]) ids[n++] = strtoll(c + 1, NULL, 10);
    return n;
}

/* Plans an initials search inside a township, a village or a group from the ids on its path. */
static void plan_initials_below(const char *scope, QPlan *pl) {
    int64_t ids[4] = {0};
    int n = path_ids(scope, ids);
    if (n == 2) {
        pl->mode = Q_INITIALS_TOWNSHIP;
        pl->sid = ids[1];
    } else {
        pl->mode = Q_INITIALS_VILLAGE;
        pl->vid = ids[2];
        pl->gid = n == 4 ? ids[3] : 0;
    }
}

/* The index of a filtered walk: the rarer of a rare status and a rare flag. Migrant workers are
 * one in ten and the rare flags together one in twelve, so a rare flag leads a migrant status;
 * moved out and deceased are rarer than any flag. */
static Walk walk_of(const PeopleQuery *q) {
    bool status = q->status && *q->status && strcmp(q->status, "resident") != 0;
    bool flag = q->flag && !(q->flag & ~(unsigned)PF_RARE);
    if (flag && (!status || strcmp(q->status, "migrant") == 0)) return WALK_RARE_FLAG;
    return status ? WALK_RARE_STATUS : WALK_EVERYONE;
}

/* Reads the shape of q into a plan (see people_search). */
static void plan_query(const PeopleQuery *q, QPlan *pl) {
    memset(pl, 0, sizeof *pl);
    age_range(q->age, q->today, pl->bfrom, pl->bto);
    pl->bare = q->flag == 0 && (!q->status || !*q->status) && q->age == AGE_ANY;
    pl->walk = walk_of(q);
    const char *s = q->q ? q->q : "";
    while (*s == ' ') s++;
    str_copy(pl->lo, sizeof pl->lo, s);
    size_t n = strlen(pl->lo);
    while (n && pl->lo[n - 1] == ' ') pl->lo[--n] = 0;
    if (!n) { pl->mode = Q_ALL; return; }
    if ((n == 15 || n == 18) && idnum_valid(pl->lo)) {
        char blind[33];
        people_idnum_blind(pl->lo, blind);
        str_copy(pl->lo, sizeof pl->lo, blind);
        pl->mode = Q_IDNUM;
    } else if (is_tail(pl->lo)) {
        pl->lo[3] = (char)toupper((unsigned char)pl->lo[3]);
        pl->mode = Q_TAIL;
    } else if (is_letters(pl->lo)) {
        for (char *c = pl->lo; *c; c++) *c = (char)toupper((unsigned char)*c);
        snprintf(pl->hi, sizeof pl->hi, "%s~", pl->lo);          /* initials are A–Z and '?', all below '~' */
        if (scope_small(q)) plan_initials_below(q->scope, pl);
        else pl->mode = Q_INITIALS;
    } else if (people_query_contains(q)) {
        pl->mode = Q_CONTAINS;
    } else {
        snprintf(pl->hi, sizeof pl->hi, "%s\xF4\x8F\xBF\xBF", pl->lo);   /* U+10FFFF sorts after any name character */
        pl->mode = scope_small(q) ? Q_NAME_UNITS : Q_NAME;
    }
}

/* A filtered walk of everyone in the scope's groups, through the index of pl->walk: the ids of a
 * page in the lists' order (page_rows_by_id), the capped count, or whole rows (an export's
 * people_search). Each is a join, then a WHERE: a partial index serves only a statement whose
 * WHERE states the index's own condition, hence the tests that look redundant. */
#define WALK_RARE_STATUS_JOIN " FROM unit u CROSS JOIN person p INDEXED BY person_unit_status" \
    " ON p.unit_id = u.id AND p.status = :status"
#define WALK_RARE_STATUS_WHERE " WHERE p.status != 'resident'"
#define WALK_RARE_FLAG_JOIN " FROM unit u CROSS JOIN person p INDEXED BY person_unit_flagged ON p.unit_id = u.id"
#define WALK_RARE_FLAG_WHERE " WHERE p.flags & 127 != 0"
#define WALK_EVERYONE_JOIN " FROM unit u CROSS JOIN person p ON p.unit_id = u.id"
#define WALK_EVERYONE_WHERE " WHERE 1"
typedef enum { WALK_IDS, WALK_COUNT, WALK_ROWS } WalkOut;
#define WALK_ORDER " ORDER BY u.path, p.name, p.id" PAGED
#define WALK(join, where)                                                                                    \
    (out == WALK_COUNT ? db_prep("SELECT count(*) FROM (SELECT 1" join where PQ_FILTERS CAPPED)                 \
     : out == WALK_IDS ? db_prep("SELECT p.id" join where PQ_FROM PQ_LIST_FILTERS WALK_ORDER)                  \
                       : db_prep(PR_COLS join " LEFT JOIN household h ON h.id = p.household_id" where PQ_FROM    \
                                 PQ_LIST_FILTERS WALK_ORDER))
static Stmt *walk_stmt(const QPlan *pl, WalkOut out) {
    switch (pl->walk) {
    case WALK_RARE_STATUS: return WALK(WALK_RARE_STATUS_JOIN, WALK_RARE_STATUS_WHERE);
    case WALK_RARE_FLAG: return WALK(WALK_RARE_FLAG_JOIN, WALK_RARE_FLAG_WHERE);
    case WALK_EVERYONE: break;
    }
    return WALK(WALK_EVERYONE_JOIN, WALK_EVERYONE_WHERE);
}
#undef WALK
#undef WALK_ORDER

/* The prepared statement of a plan: the list (counting false) or the capped count. */
static Stmt *plan_stmt(const QPlan *pl, bool counting) {
    switch (pl->mode) {
    case Q_NAME:
        return counting ? db_prep(CNT_FROM_PERSON " WHERE p.name >= :lo AND p.name < :hi" PQ_FILTERS CAPPED)
                        : db_prep(PR_COLS PR_FROM_PERSON " WHERE p.name >= :lo AND p.name < :hi" PQ_FILTERS
                                  " ORDER BY p.name, p.id" PAGED);
    case Q_NAME_UNITS:
        return counting ? db_prep(CNT_FROM_UNIT " WHERE p.name >= :lo AND p.name < :hi" PQ_FILTERS CAPPED)
                        : db_prep(PR_COLS PR_FROM_UNIT " WHERE p.name >= :lo AND p.name < :hi" PQ_FILTERS
                                  " ORDER BY u.path, p.name, p.id" PAGED);
    case Q_INITIALS_TOWNSHIP:   /* its villages' people are in scope: the count reads the index alone (021) */
        return counting ? db_prep("SELECT count(*) FROM (SELECT 1" VILLAGES_INI IN_TOWNSHIP_INI PQ_LIST_FILTERS CAPPED)
                        : db_prep(PR_COLS PR_FROM_VILLAGES IN_TOWNSHIP_INI PQ_FILTERS
                                  " ORDER BY v.sort, v.name, v.id, p.initials, p.unit_id, p.id" PAGED);
    case Q_INITIALS_VILLAGE:
        return counting ? db_prep("SELECT count(*) FROM (SELECT 1" VILLAGE_INI IN_VILLAGE_INI PQ_LIST_FILTERS CAPPED)
                        : db_prep(PR_COLS PR_FROM_VILLAGE IN_VILLAGE_INI PQ_FILTERS
                                  " ORDER BY p.initials, p.unit_id, p.id" PAGED);
    case Q_INITIALS:
        if (pl->walk != WALK_EVERYONE)   /* a rare filter: only its candidates, from the index (019) */
            return counting ? db_prep(CNT_FROM_RARE_INITIALS RARE_INITIALS PQ_FILTERS CAPPED)
                            : db_prep(PR_COLS PR_FROM_RARE_INITIALS RARE_INITIALS PQ_FILTERS " ORDER BY p.initials, p.id" PAGED);
        return counting ? db_prep(CNT_FROM_PERSON " WHERE p.initials >= :lo AND p.initials < :hi" PQ_FILTERS CAPPED)
                        : db_prep(PR_COLS PR_FROM_PERSON " WHERE p.initials >= :lo AND p.initials < :hi" PQ_FILTERS
                                  " ORDER BY p.initials, p.id" PAGED);
    case Q_TAIL:
        return counting ? db_prep(CNT_FROM_PERSON " WHERE p.idnum_tail = :lo" PQ_FILTERS CAPPED)
                        : db_prep(PR_COLS PR_FROM_PERSON " WHERE p.idnum_tail = :lo" PQ_FILTERS " ORDER BY p.id" PAGED);
    case Q_IDNUM:
        return counting ? db_prep(CNT_FROM_PERSON " WHERE p.idnum_blind = :lo" PQ_FILTERS CAPPED)
                        : db_prep(PR_COLS PR_FROM_PERSON " WHERE p.idnum_blind = :lo" PQ_FILTERS " ORDER BY p.id" PAGED);
    case Q_CONTAINS:
        return counting ? db_prep(CNT_FROM_UNIT " WHERE instr(p.name, :lo) > 0" PQ_FILTERS CAPPED)
                        : db_prep(PR_COLS PR_FROM_UNIT " WHERE instr(p.name, :lo) > 0" PQ_FILTERS
                                  " ORDER BY u.path, p.name, p.id" PAGED);
    case Q_ALL:
        break;
    }
    return walk_stmt(pl, counting ? WALK_COUNT : WALK_ROWS);
}

/* The capped count of a plan without list filters (pl->bare). The scope is the only test, and it is
 * read from the index that drives the query and the unit, so no person row is fetched; across the
 * whole tree not even the units are. NULL for Q_ALL, which reads the scope unit's counter. */
static Stmt *bare_count_stmt(const QPlan *pl) {
    switch (pl->mode) {
    case Q_NAME:   /* over the whole tree: range_count_stmt() */
        return db_prep(CNT_FROM_PERSON " WHERE p.name >= :lo AND p.name < :hi" PQ_SCOPE CAPPED);
    case Q_INITIALS:
        return db_prep(CNT_FROM_PERSON " WHERE p.initials >= :lo AND p.initials < :hi" PQ_SCOPE CAPPED);
    case Q_TAIL:
        return pl->whole ? db_prep(CNT_WHOLE " WHERE p.idnum_tail = :lo" CAPPED)
                         : db_prep(CNT_FROM_PERSON " WHERE p.idnum_tail = :lo" PQ_SCOPE CAPPED);
    case Q_IDNUM:
        return pl->whole ? db_prep(CNT_WHOLE " WHERE p.idnum_blind = :lo" CAPPED)
                         : db_prep(CNT_FROM_PERSON " WHERE p.idnum_blind = :lo" PQ_SCOPE CAPPED);
    case Q_NAME_UNITS:
        return db_prep(CNT_FROM_UNIT " WHERE p.name >= :lo AND p.name < :hi" PQ_SCOPE CAPPED);
    case Q_INITIALS_TOWNSHIP:   /* the township's villages hold only its people: no unit is read */
        return db_prep("SELECT count(*) FROM (SELECT 1" VILLAGES_INI IN_TOWNSHIP_INI CAPPED);
    case Q_INITIALS_VILLAGE:
        return db_prep("SELECT count(*) FROM (SELECT 1" VILLAGE_INI IN_VILLAGE_INI CAPPED);
    case Q_CONTAINS:
        return db_prep(CNT_FROM_UNIT " WHERE instr(p.name, :lo) > 0" PQ_SCOPE CAPPED);
    case Q_ALL:
        break;
    }
    return NULL;
}

/* The two statements of a bare count over the whole tree, a range of one county-wide index: a
 * probe for an entry past the first :skip, and the plain count. Stepping over an entry is 3 VDBE
 * instructions in either and 8 in CAPPED's LIMIT subquery, but the b-tree's own step costs as
 * much again: a range past the cap (common across a county) costs 60 % of CAPPED (probe only),
 * one under it 150 % (probe, then count). NULL for any other plan. */
#define PROBE_OR_COUNT(from_where) \
    (probe ? db_prep("SELECT 1" from_where " LIMIT 1 OFFSET :skip") : db_prep("SELECT count(*)" from_where))
static Stmt *range_count_stmt(const QPlan *pl, bool probe) {
    switch (pl->mode) {
    case Q_NAME: return pl->whole ? PROBE_OR_COUNT(" FROM person p WHERE p.name >= :lo AND p.name < :hi") : NULL;
    case Q_INITIALS:
        return pl->whole ? PROBE_OR_COUNT(" FROM person p WHERE p.initials >= :lo AND p.initials < :hi") : NULL;
    default: return NULL;
    }
}
#undef PROBE_OR_COUNT

/* Binds a text parameter when the statement has it (the bare counts lack the filters). */
static void bind_text_if(Stmt *st, const char *name, const char *v) {
    if (sqlite3_bind_parameter_index(st, name) > 0) db_bind_text(st, name, v);
}

/* Binds the scope, the filters and the plan's bounds. */
static void bind_query(Stmt *st, const PeopleQuery *q, const QPlan *pl) {
    bind_text_if(st, ":scope", q->scope);
    bind_text_if(st, ":from", pl->from[0] ? pl->from : q->scope);
    bind_text_if(st, ":status", q->status ? q->status : "");
    if (sqlite3_bind_parameter_index(st, ":flag") > 0) db_bind_int(st, ":flag", q->flag);
    bind_text_if(st, ":bfrom", pl->bfrom);
    bind_text_if(st, ":bto", pl->bto);
    if (pl->mode != Q_ALL) db_bind_text(st, ":lo", pl->lo);
    if (pl->mode == Q_NAME || pl->mode == Q_NAME_UNITS || pl->mode == Q_INITIALS || pl->mode == Q_INITIALS_TOWNSHIP
        || pl->mode == Q_INITIALS_VILLAGE)
        db_bind_text(st, ":hi", pl->hi);
    if (pl->mode == Q_INITIALS_TOWNSHIP) db_bind_int(st, ":sid", pl->sid);
    if (pl->mode == Q_INITIALS_VILLAGE) {
        db_bind_int(st, ":vid", pl->vid);
        db_bind_int(st, ":gid", pl->gid);
    }
}

/* Which of unit_roll's counts (people.h, 014_roll_filters.sql) is q's total: the whole roll of
 * the scope, or one status or one flag without search text or age band. COUNTER_RESIDENT is the
 * people less the three other statuses; COUNTER_NONE: the matches must be counted. */
enum { COUNTER_NONE = -1, COUNTER_RESIDENT = -2 };
static int counter_of(const PeopleQuery *q) {
    const char *s = q->q ? q->q : "";
    while (*s == ' ') s++;
    bool status = q->status && *q->status;
    if (*s || q->age != AGE_ANY || (status && q->flag)) return COUNTER_NONE;
    if (q->flag) return q->flag & (q->flag - 1) ? COUNTER_NONE : ROLL_FLAG_COL + __builtin_ctz(q->flag);
    if (!status) return 0;
    RollStatus st;   /* unit_roll's status columns follow RollStatus from ROLL_MIGRANT on */
    if (roll_status_parse(q->status, &st) != 0) return COUNTER_NONE;
    return st == ROLL_RESIDENT ? COUNTER_RESIDENT : ROLL_STATUS_COL + (int)(st - ROLL_MIGRANT);
}

/* The count `col` (counter_of) of a unit_roll row whose ROLL_COLS begin at column `at`. */
static long long roll_pick(Stmt *st, int at, int col) {
    if (col != COUNTER_RESIDENT) return db_col_int(st, at + col);
    long long n = db_col_int(st, at);
    for (int i = 0; i < 3; i++) n -= db_col_int(st, at + ROLL_STATUS_COL + i);
    return n;
}

/* q's total from the row of its scope's unit in unit_roll (counter_of); -1 on error. */
static long long counter_total(const PeopleQuery *q) {
    int64_t ids[4] = {0};
    int n = path_ids(q->scope, ids);
    if (!n) return -1;
    Stmt *st = db_prep("SELECT " ROLL_COLS " FROM unit_roll WHERE unit_id = :id");
    if (!st) return -1;
    db_bind_int(st, ":id", ids[n - 1]);
    int rc = db_step(st);
    long long total = rc == SQLITE_ROW ? roll_pick(st, 0, counter_of(q)) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? total : -1;
}

/* A page deep in a list that unit_roll counts (counter_of) need not walk the matches before it.
 * The list runs in path order, and a unit's path sorts before its subtree's, which sorts before
 * its next sibling's ('/' is below every digit): so a unit's own people come first, then each
 * child's subtree in path order. From the scope down, the counts of each unit's children lead to
 * the unit where the page starts; pl->from is set to its path and the offset left inside it is
 * returned, or -1 on error. Some 3 levels of 10–20 counts
 * replace a walk of up to 240,000 rows. */
enum { SEEK_CHILDREN = 256 };   /* a unit with more children is walked from its start instead */
static long long roll_seek(const PeopleQuery *q, QPlan *pl, long long offset) {
    int64_t ids[4] = {0};
    int depth = path_ids(q->scope, ids), col = counter_of(q);
    long long inside = counter_total(q);   /* the matches in the current unit's subtree */
    if (!depth || inside < 0) return -1;
    if (offset >= inside) {   /* past the end: an empty range of units, not a walk of them all */
        snprintf(pl->from, sizeof pl->from, "%s~", q->scope);
        return 0;
    }
    Stmt *st = db_prep("SELECT u.id, " ROLL_COLS " FROM unit u LEFT JOIN unit_roll ON unit_roll.unit_id = u.id"
                       " WHERE u.parent_id = :id ORDER BY u.path");
    if (!st) return -1;
    int64_t unit = ids[depth - 1];
    str_copy(pl->from, sizeof pl->from, q->scope);
    for (;;) {   /* offset counts from the start of unit's subtree, which holds `inside` > offset */
        int64_t child[SEEK_CHILDREN];
        long long count[SEEK_CHILDREN], children = 0;
        int n = 0, rc;
        db_bind_int(st, ":id", unit);
        while ((rc = db_step(st)) == SQLITE_ROW && n < SEEK_CHILDREN) {
            child[n] = db_col_int(st, 0);
            count[n] = roll_pick(st, 1, col);
            children += count[n++];
        }
        sqlite3_reset(st);
        if (rc == SQLITE_ROW) return offset;
        if (rc != SQLITE_DONE) return -1;
        long long own = inside - children;
        if (offset < own) return offset;   /* in the unit's own people (all of a group's) */
        offset -= own;
        int i = 0;
        while (i < n && offset >= count[i]) offset -= count[i++];
        if (i == n) return -1;   /* the children held fewer than their counts: not in one snapshot */
        if (unit_child_path(pl->from, pl->from, child[i]) != 0) return -1;
        unit = child[i];
        inside = count[i];
    }
}

/* The offset of a page inside pl's walk: a counted Q_ALL from the fifth page on starts at the unit
 * roll_seek() finds. Nearer the start, walking the rows before the page costs less than the
 * descent (~140 k instructions) and the walk inside the group it lands in, which may be the first. */
enum { SEEK_FROM = 4 * PEOPLE_PAGE };
static long long walk_offset(const PeopleQuery *q, QPlan *pl, long long offset) {
    if (pl->mode != Q_ALL || offset < SEEK_FROM || counter_of(q) == COUNTER_NONE) return offset;
    return roll_seek(q, pl, offset);
}

/* Copies the PR_COLS columns of the current row. */
static void row_from(Stmt *st, PersonRow *p) {
    memset(p, 0, sizeof *p);
    p->id = db_col_int(st, 0);
    p->unit_id = db_col_int(st, 1);
    p->household_id = db_col_int(st, 2);
    str_copy(p->name, sizeof p->name, db_col_text(st, 3));
    p->sex = db_col_text(st, 4)[0];
    str_copy(p->birth, sizeof p->birth, db_col_text(st, 5));
    str_copy(p->idmask, sizeof p->idmask, db_col_text(st, 6));
    p->idnum_legacy = db_col_int(st, 7) != 0;
    str_copy(p->phone, sizeof p->phone, db_col_text(st, 8));
    str_copy(p->ethnicity, sizeof p->ethnicity, db_col_text(st, 9));
    str_copy(p->education, sizeof p->education, db_col_text(st, 10));
    str_copy(p->status, sizeof p->status, db_col_text(st, 11));
    str_copy(p->status_date, sizeof p->status_date, db_col_text(st, 12));
    str_copy(p->relation, sizeof p->relation, db_col_text(st, 13));
    p->flags = (unsigned)db_col_int(st, 14);
    str_copy(p->unit_name, sizeof p->unit_name, db_col_text(st, 15));
    str_copy(p->hh_no, sizeof p->hh_no, db_col_text(st, 16));
    p->is_head = db_col_int(st, 17) != 0;
    p->is_rep = db_col_int(st, 18) != 0;
}

int people_search(const PeopleQuery *q, int offset, int limit, PersonRowFn fn, void *ctx) {
    QPlan pl;
    plan_query(q, &pl);
    long long skip = walk_offset(q, &pl, offset);
    Stmt *st = skip < 0 ? NULL : plan_stmt(&pl, false);
    if (!st) return -1;
    bind_query(st, q, &pl);
    db_bind_int(st, ":lim", limit);
    db_bind_int(st, ":off", skip);
    int n = 0, rc;
    PersonRow row;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        row_from(st, &row);
        n++;
        if (fn(ctx, &row)) break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

/* Counts the matches of q, stopping at `cap` (so cap means "cap or more"); -1 on error. */
static long long people_count(const PeopleQuery *q, long long cap) {
    if (counter_of(q) != COUNTER_NONE) return counter_total(q);
    QPlan pl;
    plan_query(q, &pl);
    bool group;
    unit_scope_shape(q->scope, &group, &pl.whole);
    Stmt *st = pl.bare ? range_count_stmt(&pl, true) : NULL;
    if (st) {   /* is there an entry past cap - 1? If not, count them */
        bind_query(st, q, &pl);
        db_bind_int(st, ":skip", cap - 1);
        int rc = db_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_ROW) return cap;
        if (rc != SQLITE_DONE) return -1;
        st = range_count_stmt(&pl, false);
        bind_query(st, q, &pl);
        return db_one_int(st, -1);
    }
    st = pl.bare ? bare_count_stmt(&pl) : plan_stmt(&pl, true);
    if (!st) return -1;
    bind_query(st, q, &pl);
    db_bind_int(st, ":cap", cap);
    return db_one_int(st, -1);
}

/* The ids of a page of a search that walks the scope's groups and tests each entry of their
 * people (Q_NAME_UNITS and Q_CONTAINS test the name, a filtered Q_ALL the list filters through
 * walk_stmt), in its order. Most entries walked do not match, and person_unit_name holds the name and the filters
 * (014), so the walk reads the index alone; only the page's rows are read (page_rows_by_id). */
#define IDS_BY_UNIT(match, tests) \
    db_prep("SELECT p.id FROM unit u CROSS JOIN person p ON p.unit_id = u.id WHERE " match tests \
            " ORDER BY u.path, p.name, p.id LIMIT :lim OFFSET :off")
static Stmt *ids_by_unit_stmt(const QPlan *pl) {
    if (pl->mode == Q_NAME_UNITS)
        return pl->bare ? IDS_BY_UNIT("p.name >= :lo AND p.name < :hi", PQ_SCOPE) : IDS_BY_UNIT("p.name >= :lo AND p.name < :hi", PQ_FILTERS);
    if (pl->mode == Q_CONTAINS)
        return pl->bare ? IDS_BY_UNIT("instr(p.name, :lo) > 0", PQ_SCOPE) : IDS_BY_UNIT("instr(p.name, :lo) > 0", PQ_FILTERS);
    return walk_stmt(pl, WALK_IDS);
}

/* True when a plan's page is found by ids_by_unit_stmt: the walks that test most entries in vain.
 * (A bare Q_ALL lists everyone: its rows are read as they are walked.) */
static bool walks_ids(const QPlan *pl) {
    return pl->mode == Q_NAME_UNITS || pl->mode == Q_CONTAINS || (pl->mode == Q_ALL && !pl->bare);
}
#undef IDS_BY_UNIT

/* Fills pg with the rows of a page walked by ids_by_unit_stmt, read in one statement and put in the
 * walk's order here (json_each gives the ids; no sort of whole rows in SQL). One more id than the
 * page is walked, to know whether another follows. Returns the number of ids walked, or -1. */
static int page_rows_by_id(const PeopleQuery *q, QPlan *pl, int offset, PeoplePage *pg) {
    int64_t ids[PEOPLE_PAGE + 1];
    int n = 0, rc = SQLITE_DONE;
    long long skip = walk_offset(q, pl, offset);
    Stmt *st = skip < 0 ? NULL : ids_by_unit_stmt(pl);
    if (!st) return -1;
    bind_query(st, q, pl);
    db_bind_int(st, ":lim", PEOPLE_PAGE + 1);
    db_bind_int(st, ":off", skip);
    while (n < PEOPLE_PAGE + 1 && (rc = db_step(st)) == SQLITE_ROW) ids[n++] = db_col_int(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return -1;
    pg->more = n > PEOPLE_PAGE;
    int rows = pg->more ? PEOPLE_PAGE : n;
    if (!rows) return 0;
    /* The walk and this read share the request's snapshot, so every id is found; one that were not
     * would be left out rather than shown empty. */
    st = db_prep(PR_COLS " FROM json_each(:ids) j CROSS JOIN person p ON p.id = j.value CROSS JOIN unit u ON u.id = p.unit_id"
                 " LEFT JOIN household h ON h.id = p.household_id");
    if (!st) return -1;
    db_bind_ids(st, ":ids", ids, rows);
    bool found[PEOPLE_PAGE] = {false};
    while ((rc = db_step(st)) == SQLITE_ROW) {
        int64_t id = db_col_int(st, 0);
        for (int i = 0; i < rows; i++)
            if (ids[i] == id) { row_from(st, &pg->rows[i]); found[i] = true; break; }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return -1;
    for (int i = 0; i < rows; i++) {
        if (!found[i]) continue;
        if (pg->n != i) pg->rows[pg->n] = pg->rows[i];
        pg->n++;
    }
    return n;
}

/* Copies a row of people_page's search into the page, or notes that one follows it. */
static int keep_row(void *ctx, const PersonRow *p) {
    PeoplePage *pg = ctx;
    if (pg->n < PEOPLE_PAGE) pg->rows[pg->n++] = *p;
    else pg->more = true;
    return 0;
}

/* The list of a plan as the roll's index walks it (rollindex.h): the whole roll of a scope, and the
 * initials searches. False for the other plans, which SQL serves. */
static bool roll_walk_of(const PeopleQuery *q, const QPlan *pl, RollWalk *w) {
    *w = (RollWalk){.scope = q->scope, .lo = pl->lo, .hi = pl->hi, .status = q->status, .flag = q->flag,
                    .bfrom = pl->bfrom, .bto = pl->bto};
    switch (pl->mode) {
    case Q_ALL: w->order = ROLL_BY_PATH; return pl->bare;   /* a filter's walk is SQL's partial indexes' */
    case Q_INITIALS: w->order = ROLL_BY_INITIALS; return true;
    case Q_INITIALS_TOWNSHIP: w->order = ROLL_BY_VILLAGE; w->township = pl->sid; return true;
    case Q_INITIALS_VILLAGE:
        w->order = ROLL_BY_VILLAGE;
        w->village = pl->vid;
        w->group = pl->gid;
        return true;
    default: return false;
    }
}

/* Fills pg from the roll's index when it holds this snapshot's roll and serves the plan: returns
 * the rows, with *count the matches (exact for the whole roll, else to PEOPLE_COUNT_CAP + 1); -1
 * when SQL must answer. */
static int page_from_index(const PeopleQuery *q, const QPlan *pl, int offset, PeoplePage *pg, long long *count) {
    RollWalk w;
    if (!roll_walk_of(q, pl, &w)) return -1;
    RollIndex *ix = roll_index_acquire();
    if (!ix) return -1;
    pg->n = roll_index_page(ix, &w, offset, pg->rows, PEOPLE_PAGE, &pg->more, pl->mode == Q_ALL ? 0 : PEOPLE_COUNT_CAP + 1,
                            count);
    roll_index_release(ix);
    return pg->n;
}

int people_page(const PeopleQuery *q, int offset, PeoplePage *pg) {
    pg->n = 0;
    pg->more = pg->capped = false;
    QPlan pl;
    plan_query(q, &pl);
    long long counted_here = -1;
    int n = page_from_index(q, &pl, offset, pg, &counted_here);
    if (n < 0) n = walks_ids(&pl) ? page_rows_by_id(q, &pl, offset, pg) : people_search(q, offset, PEOPLE_PAGE + 1, keep_row, pg);
    if (n < 0) return -1;
    bool counted = counter_of(q) != COUNTER_NONE;
    if (!counted && !pg->more && (n || !offset)) {   /* the list's walk saw every match */
        pg->total = offset + pg->n;
        return 0;
    }
    pg->total = counted_here >= 0 ? counted_here : people_count(q, PEOPLE_COUNT_CAP + 1);
    if (pg->total < 0) return -1;
    if (!counted && pg->total > PEOPLE_COUNT_CAP) {
        pg->total = PEOPLE_COUNT_CAP;
        pg->capped = true;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Single rows */

/* Reads an InScope from the current row (id, path, name). */
static bool where_from(Stmt *st, InScope *w) {
    bool found = db_step(st) == SQLITE_ROW;
    if (found && w) {
        w->unit_id = db_col_int(st, 0);
        str_copy(w->unit_path, sizeof w->unit_path, db_col_text(st, 1));
        str_copy(w->unit_name, sizeof w->unit_name, db_col_text(st, 2));
    }
    if (st) sqlite3_reset(st);
    return found;
}

bool person_in_scope(const char *scope, int64_t id, InScope *w) {
    Stmt *st = db_prep("SELECT u.id, u.path, u.name FROM person p JOIN unit u ON u.id = p.unit_id"
                       " WHERE p.id = :id AND u.path BETWEEN :scope AND :scope || '~'");
    if (!st) return false;
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", scope);
    return where_from(st, w);
}

bool household_in_scope(const char *scope, int64_t id, InScope *w) {
    Stmt *st = db_prep("SELECT u.id, u.path, u.name FROM household h JOIN unit u ON u.id = h.unit_id"
                       " WHERE h.id = :id AND u.path BETWEEN :scope AND :scope || '~'");
    if (!st) return false;
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", scope);
    return where_from(st, w);
}

bool person_row_get(const char *scope, int64_t id, PersonRow *p) {
    Stmt *st = db_prep(PR_COLS " FROM person p JOIN unit u ON u.id = p.unit_id LEFT JOIN household h ON h.id = p.household_id"
                               " WHERE p.id = :id AND u.path BETWEEN :scope AND :scope || '~'");
    if (!st) return false;
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", scope);
    bool found = db_step(st) == SQLITE_ROW;
    if (found) row_from(st, p);
    sqlite3_reset(st);
    return found;
}

int household_members(int64_t household_id, PersonRow *out, int max) {
    Stmt *st = db_prep(PR_COLS " FROM person p JOIN unit u ON u.id = p.unit_id LEFT JOIN household h ON h.id = p.household_id"
                               " WHERE p.household_id = :hh"
                               " ORDER BY h.head_id = p.id DESC, p.status IN ('moved', 'deceased'), p.birth, p.id LIMIT :max");
    if (!st) return -1;
    db_bind_int(st, ":hh", household_id);
    db_bind_int(st, ":max", max);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) row_from(st, &out[n++]);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

int group_households(int64_t unit_id, int offset, int limit, HouseholdRow *out, long long *total) {
    /* 户号 are numbers written as text: shorter first keeps 2 before 10. */
    Stmt *st = db_prep("SELECT id, hh_no, head_name, poverty, members, labour, migrants, farmland_c FROM household"
                       " WHERE unit_id = :unit AND ended_at IS NULL ORDER BY length(hh_no), hh_no, id LIMIT :lim OFFSET :off");
    if (!st) return -1;
    db_bind_int(st, ":unit", unit_id);
    db_bind_int(st, ":lim", limit);
    db_bind_int(st, ":off", offset);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        HouseholdRow *h = &out[n++];
        h->id = db_col_int(st, 0);
        str_copy(h->hh_no, sizeof h->hh_no, db_col_text(st, 1));
        str_copy(h->head_name, sizeof h->head_name, db_col_text(st, 2));
        str_copy(h->poverty, sizeof h->poverty, db_col_text(st, 3));
        h->members = (int)db_col_int(st, 4);
        h->labour = (int)db_col_int(st, 5);
        h->migrants = (int)db_col_int(st, 6);
        h->farmland_c = db_col_int(st, 7);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return -1;
    if (offset == 0 && n < limit) {   /* the whole group on its first page, as for most groups */
        *total = n;
        return n;
    }
    /* A group's current households are counted with its profile (024_unit_profile.sql): one row,
     * where counting the list's index stepped through every entry. */
    st = db_prep("SELECT coalesce((SELECT households FROM unit_profile WHERE unit_id = :unit), 0)");
    if (!st) return -1;
    db_bind_int(st, ":unit", unit_id);
    *total = db_one_int(st, -1);
    return *total < 0 ? -1 : n;
}

int group_ended_households(int64_t unit_id, int offset, int limit, HouseholdRow *out) {
    Stmt *st = db_prep("SELECT id, hh_no, head_name, members, ended_at, coalesce(end_reason, '') FROM household"
                       " INDEXED BY household_ended WHERE unit_id = :unit AND ended_at IS NOT NULL"
                       " ORDER BY ended_at DESC, id DESC LIMIT :lim OFFSET :off");
    if (!st) return -1;
    db_bind_int(st, ":unit", unit_id);
    db_bind_int(st, ":lim", limit);
    db_bind_int(st, ":off", offset);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        HouseholdRow *h = &out[n++];
        memset(h, 0, sizeof *h);
        h->id = db_col_int(st, 0);
        str_copy(h->hh_no, sizeof h->hh_no, db_col_text(st, 1));
        str_copy(h->head_name, sizeof h->head_name, db_col_text(st, 2));
        h->members = (int)db_col_int(st, 3);
        str_copy(h->ended_at, sizeof h->ended_at, db_col_text(st, 4));
        str_copy(h->end_reason, sizeof h->end_reason, db_col_text(st, 5));
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

long long group_ended_count(int64_t unit_id) {
    Stmt *st = db_prep("SELECT count(*) FROM household INDEXED BY household_ended WHERE unit_id = :unit AND ended_at IS NOT NULL");
    if (!st) return -1;
    db_bind_int(st, ":unit", unit_id);
    return db_one_int(st, -1);
}

int scope_households(const char *scope, int limit, HouseholdLineFn fn, void *ctx) {
    Stmt *st = db_prep("SELECT coalesce(t.name, ''), coalesce(v.name, ''), u.name, h.hh_no, h.address, h.head_name,"
                       " coalesce(rp.name, ''), h.poverty, h.members, h.labour, h.migrants, h.farmland_c, h.forest_c, h.livestock,"
                       " h.poultry FROM unit u CROSS JOIN household h ON h.unit_id = u.id LEFT JOIN unit v ON v.id = u.parent_id"
                       " LEFT JOIN unit t ON t.id = v.parent_id LEFT JOIN person rp ON rp.id = h.rep_id"
                       " WHERE u.path BETWEEN :scope AND :scope || '~' AND u.kind = 'group' AND h.ended_at IS NULL"
                       " ORDER BY u.path, length(h.hh_no), h.hh_no, h.id LIMIT :lim");
    if (!st) return -1;
    db_bind_text(st, ":scope", scope);
    db_bind_int(st, ":lim", limit);
    HouseholdLine h;
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        str_copy(h.township, sizeof h.township, db_col_text(st, 0));
        str_copy(h.village, sizeof h.village, db_col_text(st, 1));
        str_copy(h.group, sizeof h.group, db_col_text(st, 2));
        str_copy(h.hh_no, sizeof h.hh_no, db_col_text(st, 3));
        str_copy(h.address, sizeof h.address, db_col_text(st, 4));
        str_copy(h.head_name, sizeof h.head_name, db_col_text(st, 5));
        str_copy(h.rep_name, sizeof h.rep_name, db_col_text(st, 6));
        str_copy(h.poverty, sizeof h.poverty, db_col_text(st, 7));
        h.members = (int)db_col_int(st, 8);
        h.labour = (int)db_col_int(st, 9);
        h.migrants = (int)db_col_int(st, 10);
        h.farmland_c = db_col_int(st, 11);
        h.forest_c = db_col_int(st, 12);
        h.livestock = db_col_int(st, 13);
        h.poultry = db_col_int(st, 14);
        n++;
        if (fn(ctx, &h)) break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

int64_t household_by_no(int64_t unit_id, const char *hh_no) {
    Stmt *st = db_prep("SELECT id FROM household WHERE unit_id = :unit AND hh_no = :no AND ended_at IS NULL ORDER BY id LIMIT 1");
    if (!st) return 0;
    db_bind_int(st, ":unit", unit_id);
    db_bind_text(st, ":no", hh_no);
    return db_one_int(st, 0);
}

bool household_end_day(int64_t id, int32_t *day) {
    Stmt *st = db_prep("SELECT ended_at FROM household WHERE id = :id AND ended_at IS NOT NULL");
    if (!st) return false;
    db_bind_int(st, ":id", id);
    bool ended = db_step(st) == SQLITE_ROW && date_parse(db_col_text(st, 0), day) == 0;
    sqlite3_reset(st);
    return ended;
}

bool hh_no_numeric(const char *s) {
    size_t n = strlen(s);
    if (!n || n > 9) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

void hh_no_format(char out[24], long long v, int width) {
    char digits[24];
    int k = 0;
    do { digits[k++] = (char)('0' + v % 10); v /= 10; } while (v && k < 20);
    int n = 0;
    for (int pad = width - k; pad > 0; pad--) out[n++] = '0';
    while (k) out[n++] = digits[--k];
    out[n] = 0;
}

void household_next_no(int64_t unit_id, char out[24]) {
    Stmt *st = db_prep("SELECT hh_no FROM household WHERE unit_id = :unit");
    long long top = 0;
    int width = 1;
    if (st) {
        db_bind_int(st, ":unit", unit_id);
        while (db_step(st) == SQLITE_ROW) {
            const char *no = db_col_text(st, 0);
            if (!hh_no_numeric(no)) continue;
            if (strtoll(no, NULL, 10) > top) top = strtoll(no, NULL, 10);
            if ((int)strlen(no) > width) width = (int)strlen(no);
        }
        sqlite3_reset(st);
    }
    hh_no_format(out, top + 1, width);
}

bool household_no_taken(int64_t unit_id, const char *hh_no, int64_t except_id) {
    Stmt *st = db_prep("SELECT count(*) FROM household WHERE unit_id = :unit AND hh_no = :no AND id != :id AND ended_at IS NULL");
    if (!st) return false;
    db_bind_int(st, ":unit", unit_id);
    db_bind_text(st, ":no", hh_no);
    db_bind_int(st, ":id", except_id);
    return db_one_int(st, 0) > 0;
}

int person_events(const char *scope, int64_t person_id, PersonEvent *out, int max) {
    Stmt *st = db_prep("SELECT e.kind, e.on_date, e.detail,"
                       " CASE WHEN fu.path BETWEEN :scope AND :scope || '~' THEN fu.name ELSE '' END,"
                       " CASE WHEN tu.path BETWEEN :scope AND :scope || '~' THEN tu.name ELSE '' END,"
                       " coalesce(e.from_household, 0), coalesce(e.to_household, 0), coalesce(fh.hh_no, ''), coalesce(th.hh_no, '')"
                       " FROM person_event e LEFT JOIN unit fu ON fu.id = e.from_unit LEFT JOIN unit tu ON tu.id = e.to_unit"
                       " LEFT JOIN household fh ON fh.id = e.from_household LEFT JOIN household th ON th.id = e.to_household"
                       " WHERE e.person_id = :p ORDER BY e.id DESC LIMIT :max");
    if (!st) return -1;
    db_bind_text(st, ":scope", scope);
    db_bind_int(st, ":p", person_id);
    db_bind_int(st, ":max", max);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        PersonEvent *e = &out[n++];
        str_copy(e->kind, sizeof e->kind, db_col_text(st, 0));
        str_copy(e->on_date, sizeof e->on_date, db_col_text(st, 1));
        str_copy(e->detail, sizeof e->detail, db_col_text(st, 2));
        str_copy(e->from_unit, sizeof e->from_unit, db_col_text(st, 3));
        str_copy(e->to_unit, sizeof e->to_unit, db_col_text(st, 4));
        e->from_household = db_col_int(st, 5);
        e->to_household = db_col_int(st, 6);
        str_copy(e->from_hh_no, sizeof e->from_hh_no, db_col_text(st, 7));
        str_copy(e->to_hh_no, sizeof e->to_hh_no, db_col_text(st, 8));
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

/* ---------------------------------------------------------------------------------------------
 * The roll of a group on a date */

int group_roll(int64_t group_id, RollEntry **out) {
    *out = NULL;
    /* A person joined the group on the date of their latest move into it; people entered on the
     * roll directly have always been there. */
    Stmt *st = db_prep("SELECT p.birth, p.status, coalesce(p.status_date, ''), coalesce(h.rep_id = p.id, 0), p.flags,"
                       " coalesce((SELECT max(e.on_date) FROM person_event e WHERE e.person_id = p.id AND e.kind = 'moved'"
                       " AND e.to_unit = p.unit_id), '')"
                       " FROM person p LEFT JOIN household h ON h.id = p.household_id WHERE p.unit_id = :unit");
    if (!st) return -1;
    db_bind_int(st, ":unit", group_id);
    int n = 0, cap = 0, rc;
    RollEntry *v = NULL;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        if (n == cap) v = xrealloc(v, sizeof *v * (size_t)(cap = cap ? cap * 2 : 256));
        RollEntry *e = &v[n];
        *e = (RollEntry){0, ROLL_RESIDENT, 0, INT32_MIN, db_col_int(st, 3) != 0, (unsigned)db_col_int(st, 4)};
        if (date_parse(db_col_text(st, 0), &e->birth) != 0 || roll_status_parse(db_col_text(st, 1), &e->status) != 0)
            continue;   /* the schema's checks make this unreachable; a bad row is left out, not guessed */
        if (*db_col_text(st, 2)) date_parse(db_col_text(st, 2), &e->status_date);
        if (*db_col_text(st, 5)) date_parse(db_col_text(st, 5), &e->joined);
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(v);
        return -1;
    }
    *out = v;
    return n;
}

int group_roll_counts(int64_t group_id, int32_t on, RollCounts *out) {
    RollEntry *v;
    int n = group_roll(group_id, &v);
    if (n < 0) return -1;
    *out = roll_count(v, n, on);
    free(v);
    return 0;
}

int group_eligible_counts(int64_t group_id, int32_t on, int *adults, int *reps) {
    RollCounts c;
    if (group_roll_counts(group_id, on, &c) != 0) return -1;
    *adults = c.adults;
    *reps = c.reps;
    return 0;
}
