/* bulk.c — bulk load of the roll (批量写入): many new households and people inside one transaction,
 * shared by the roster import (import.c) and the demo county (demo/demo.c). See people.h for the
 * order of the calls.
 *
 * Three things make a bulk load cheap, each measured with bench/import:
 *   - rows reach their table by one INSERT … SELECT from a table-valued function over the rows in
 *     memory (household_new(:src), person_new(:src)). An INSERT per row took twice the time: SQLite
 *     opens the table's cursors and, because of the foreign keys, keeps a statement journal of the
 *     pages it changes for every statement;
 *   - the counting triggers (person's unit_roll_ins and person_counts_ins, household's
 *     household_profile_ins) are switched off on this connection while the rows go in, since per
 *     row they are a third of the insert, and their work is done set-based at the end (count_new);
 *   - optionally person's nine secondary indexes and household's list and head indexes are dropped
 *     at the start and built again at the end, with the definitions of the migrations: building
 *     an index sorts its entries once, keeping it up to date inserts every entry at a random place. The UNIQUE index of idnum_blind
 *     belongs to the table and stays.
 * Everything happens in the caller's transaction: a failure rolls the dropped indexes back too. */
#include "people/people.h"
#include "org/units.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/memtable.h"
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * The new rows as tables (platform/memtable.h): household_new(:src) and person_new(:src) */

/* Returns text that stays in place until the statement is done (the rows outlive it). */
static void result_text(sqlite3_context *ctx, const char *s) { sqlite3_result_text(ctx, s, -1, SQLITE_STATIC); }

/* Returns an id, NULL for 0. */
static void result_id(sqlite3_context *ctx, int64_t id) {
    if (id) sqlite3_result_int64(ctx, id);
    else sqlite3_result_null(ctx);
}

/* Returns a date (days since 1970-01-01) as YYYY-MM-DD. */
static void result_date(sqlite3_context *ctx, int32_t day) {
    char date[16];
    date_format(day, date, sizeof date);
    sqlite3_result_text(ctx, date, -1, SQLITE_TRANSIENT);
}

enum { HC_ID, HC_UNIT, HC_NO, HC_HEAD, HC_REP, HC_FARM, HC_FOREST, HC_LIVE, HC_POUL, HC_POV, HC_ADDR, HC_SRC };

/* Column col of household i, as household_insert() and household_set_head_rep() write it. */
static void household_column(const void *rows, size_t i, sqlite3_context *ctx, int col) {
    const NewHousehold *h = (const NewHousehold *)rows + i;
    switch (col) {
    case HC_ID: sqlite3_result_int64(ctx, h->id); break;
    case HC_UNIT: sqlite3_result_int64(ctx, h->unit_id); break;
    case HC_NO: result_text(ctx, h->hh_no); break;
    case HC_HEAD: result_id(ctx, h->head_id); break;
    case HC_REP: result_id(ctx, h->rep_id); break;
    case HC_FARM: sqlite3_result_int64(ctx, h->farmland_c); break;
    case HC_FOREST: sqlite3_result_int64(ctx, h->forest_c); break;
    case HC_LIVE: sqlite3_result_int64(ctx, h->livestock); break;
    case HC_POUL: sqlite3_result_int64(ctx, h->poultry); break;
    case HC_POV: result_text(ctx, h->poverty[0] ? h->poverty : "none"); break;
    case HC_ADDR: result_text(ctx, h->address ? h->address : ""); break;
    default: sqlite3_result_null(ctx); break;
    }
}

static const MemTable household_table = {
    "household_new",
    "CREATE TABLE x (id, unit_id, hh_no, head_id, rep_id, farmland_c, forest_c, livestock, poultry, poverty, address, src HIDDEN)",
    "zuwei_household_new", HC_SRC,
};

enum { PC_ID, PC_UNIT, PC_HH, PC_REL, PC_NAME, PC_INI, PC_SEX, PC_BIRTH, PC_SEALED, PC_BLIND, PC_MASK, PC_TAIL,
       PC_LEGACY, PC_PHONE, PC_ETH, PC_EDU, PC_STATUS, PC_SDATE, PC_FLAGS, PC_SRC };

/* Column col of person i, as person_insert() writes it. */
static void person_column(const void *rows, size_t i, sqlite3_context *ctx, int col) {
    const NewPerson *n = (const NewPerson *)rows + i;
    const Person *p = n->p;
    const SealedId *s = n->id;
    switch (col) {
    case PC_ID: sqlite3_result_int64(ctx, p->id); break;
    case PC_UNIT: sqlite3_result_int64(ctx, p->unit_id); break;
    case PC_HH: result_id(ctx, p->household_id); break;
    case PC_REL: result_text(ctx, p->relation); break;
    case PC_NAME: result_text(ctx, p->name); break;
    case PC_INI: result_text(ctx, n->initials); break;
    case PC_SEX: sqlite3_result_text(ctx, &p->sex, 1, SQLITE_STATIC); break;
    case PC_BIRTH: result_date(ctx, p->birth); break;
    case PC_SEALED: if (s->present) result_text(ctx, s->sealed); else sqlite3_result_null(ctx); break;
    case PC_BLIND: if (s->present) result_text(ctx, s->blind); else sqlite3_result_null(ctx); break;
    case PC_MASK: result_text(ctx, s->mask); break;
    case PC_TAIL: result_text(ctx, s->tail); break;
    case PC_LEGACY: sqlite3_result_int(ctx, s->present && strlen(p->idnum) == 15); break;
    case PC_PHONE: result_text(ctx, p->phone); break;
    case PC_ETH: result_text(ctx, p->ethnicity); break;
    case PC_EDU: result_text(ctx, p->education); break;
    case PC_STATUS: result_text(ctx, p->status); break;
    case PC_SDATE: if (p->status_date) result_date(ctx, p->status_date); else sqlite3_result_null(ctx); break;
    case PC_FLAGS: sqlite3_result_int64(ctx, p->flags); break;
    default: sqlite3_result_null(ctx); break;
    }
}

static const MemTable person_table = {
    "person_new",
    "CREATE TABLE x (id, unit_id, household_id, relation, name, initials, sex, birth, idnum_sealed, idnum_blind,"
    " idnum_mask, idnum_tail, idnum_legacy, phone, ethnicity, education, status, status_date, flags, src HIDDEN)",
    "zuwei_person_new", PC_SRC,
};

/* ---------------------------------------------------------------------------------------------
 * Indexes, triggers and their set-based work */

/* The indexes a big load drops: person's nine secondary indexes and household's list and head
 * indexes. The load rewrites every new household's entry in the list index twice (its head, then
 * its counts), and building an index once at the end is cheaper than growing it row by row. */
#define BULK_INDEXES "'person_unit_name', 'person_household', 'person_name', 'person_initials'," \
    " 'person_village_initials', 'person_tail', 'person_unit_status', 'person_unit_flagged', 'person_rare_initials'," \
    " 'household_list', 'household_head'"

/* Keeps the schema's own CREATE statements of the BULK_INDEXES in b->index_sql, then drops them,
 * so that they come back exactly as the latest migration defined them. Returns 0 or -1. */
static int drop_indexes(PeopleBulk *b) {
    Stmt *st = db_prep("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND name IN (" BULK_INDEXES ") ORDER BY name");
    if (!st) return -1;
    Buf drop = BUF_INIT, create = BUF_INIT;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        buf_puts(&drop, "DROP INDEX ");
        buf_puts(&drop, db_col_text(st, 0));
        buf_puts(&drop, ";");
        buf_puts(&create, db_col_text(st, 1));
        buf_puts(&create, ";");
    }
    sqlite3_reset(st);
    bool ok = rc == SQLITE_DONE && create.len < sizeof b->index_sql
              && (!drop.p || sqlite3_exec(db_conn(), drop.p, NULL, NULL, NULL) == SQLITE_OK);
    if (ok) memcpy(b->index_sql, create.p ? create.p : "", create.len + 1);
    buf_free(&drop);
    buf_free(&create);
    return ok ? 0 : -1;
}

/* Builds the indexes drop_indexes() dropped again. Returns 0 or -1. */
static int create_indexes(PeopleBulk *b) {
    return sqlite3_exec(db_conn(), b->index_sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* True when person's and household's only triggers are those the load knows: the INSERT work of
 * 005_people.sql's, 010_household_list.sql's and 024_unit_profile.sql's count_new() and
 * people_bulk_heads() do set-based, 011_person_village.sql's the INSERT itself (it names each
 * person's village), and 006_committees.sql's person_committee_tally, 011's person_village_move,
 * 022_household_end.sql's household_end_assignment and 024's household_profile_upd fire only on
 * updates the load never makes; 026_roll_version.sql's count a change, which people_bulk_end
 * counts itself. Another trigger added later keeps the triggers switched on.
 * (Until person_committee_tally was on this list, the triggers always ran row by row.) */
static bool known_triggers_only(void) {
    return db_one_int(db_prep("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN ('person', 'household')"
                              " AND name NOT IN ('unit_roll_ins', 'unit_roll_move', 'person_counts_ins', 'person_counts_upd',"
                              " 'person_committee_tally', 'person_head_name_ins', 'person_head_name', 'person_village_ins',"
                              " 'person_village_move',"
                              " 'household_head_name_ins', 'household_head_name', 'household_end_assignment',"
                              " 'household_profile_ins', 'household_profile_upd', 'roll_version_person_ins',"
                              " 'roll_version_person_upd', 'roll_version_person_del', 'roll_version_household')"),
                      -1) == 0;
}

/* Adds up the counts `sums` of the rows `rows` (with unit_id, from id :first on) per group into
 * `table`'s counters `cols` of each group and its ancestors: `totals` sums them, `add` adds. */
#define ADD_UP(table, cols, totals, sums, rows, add)                                                        \
    "INSERT INTO " table " (unit_id, " cols ") SELECT j.value, " totals " FROM (SELECT unit_id, " sums    \
    " FROM " rows " GROUP BY unit_id) AS c JOIN unit g ON g.id = c.unit_id, " UNIT_PATH_IDS("g.path") " AS j" \
    " WHERE true GROUP BY j.value ON CONFLICT (unit_id) DO UPDATE SET " add

/* Runs a statement that adds the rows from id :first on to their counters. Returns 0 or -1. */
static int add_up(Stmt *st, int64_t first) {
    db_bind_int(st, ":first", first);
    return db_exec(st) ? -1 : 0;
}

/* Does for all new people (ids from `first` on) and households (from `first_hh` on) at once what
 * the INSERT triggers unit_roll_ins, person_counts_ins and household_profile_ins do for one: the
 * roll counts and profiles of their groups and of each group's ancestors (012, 014_roll_filters.sql,
 * 024_unit_profile.sql), and each household's members, labour and migrants. Returns 0 or -1. */
static int count_new(int64_t first, int64_t first_hh) {
    if (add_up(db_prep(ADD_UP("unit_roll", ROLL_COLS, ROLL_TOTALS, ROLL_SUMS, "person WHERE id >= :first", ROLL_ADD)), first)
        || add_up(db_prep(ADD_UP("unit_profile", FLAG_COLS, FLAG_TOTALS, FLAG_SUMS,
                                 "person WHERE id >= :first AND (status = 'resident' OR status = 'migrant')", FLAG_ADD)),
                  first)
        || add_up(db_prep(ADD_UP("unit_profile", PROFILE_HH_COLS, PROFILE_HH_TOTALS, PROFILE_HH_SUMS,
                                 "household WHERE id >= :first AND ended_at IS NULL", PROFILE_HH_ADD)),
                  first_hh))
        return -1;
    return add_up(db_prep("UPDATE household SET members = members + c.n_members, labour = labour + c.n_labour,"
                          " migrants = migrants + c.n_migrants FROM (SELECT household_id,"
                          " sum(status IN ('resident', 'migrant')) AS n_members,"
                          " sum(status IN ('resident', 'migrant') AND (flags & 128) != 0) AS n_labour,"
                          " sum(status = 'migrant') AS n_migrants"
                          " FROM person WHERE id >= :first AND household_id IS NOT NULL GROUP BY household_id) AS c"
                          " WHERE household.id = c.household_id"),
                  first);
}

/* Writes the 'created' history rows of all new people (ids from `first` on), as person_insert()
 * writes them one by one. Returns 0 or -1. */
static int write_history(int64_t first, const char *date) {
    Stmt *st = db_prep("INSERT INTO person_event (person_id, kind, on_date, to_unit, to_household)"
                       " SELECT id, 'created', :d, unit_id, household_id FROM person WHERE id >= :first ORDER BY id");
    db_bind_text(st, ":d", date);
    db_bind_int(st, ":first", first);
    return db_exec(st) ? -1 : 0;
}

/* ---------------------------------------------------------------------------------------------
 * The bulk load */

/* Runs st with triggers switched off when the load does their work itself (b->bypass_triggers).
 * Returns 0 or -1. */
static int exec_without_triggers(PeopleBulk *b, Stmt *st) {
    sqlite3 *db = db_conn();
    if (b->bypass_triggers) sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
    int rc = db_exec(st);
    if (b->bypass_triggers) sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, (int *)NULL);
    return rc ? -1 : 0;
}

int people_bulk_begin(PeopleBulk *b, bool drop) {
    memset(b, 0, sizeof *b);
    if (!db_in_tx()) return -1;
    b->first_person = db_one_int(db_prep("SELECT coalesce(max(id), 0) + 1 FROM person"), -1);
    b->first_household = db_one_int(db_prep("SELECT coalesce(max(id), 0) + 1 FROM household"), -1);
    if (b->first_person < 0 || b->first_household < 0) return -1;
    b->next_person = b->first_person;
    b->next_household = b->first_household;
    if (mem_table_register(&household_table) != 0 || mem_table_register(&person_table) != 0) return -1;
    if (drop && drop_indexes(b) != 0) return -1;
    b->indexes_dropped = drop;
    b->bypass_triggers = known_triggers_only();
    return 0;
}

int people_bulk_households(PeopleBulk *b, const NewHousehold *rows, size_t n) {
    if (n == 0) return 0;
    MemSource src = {rows, n, household_column};
    Stmt *st = db_prep("INSERT INTO household (id, unit_id, hh_no, address, farmland_c, forest_c, livestock, poultry, poverty)"
                       " SELECT id, unit_id, hh_no, address, farmland_c, forest_c, livestock, poultry, poverty FROM household_new(:src)");
    if (!st) return -1;
    mem_table_bind(st, &household_table, &src);
    return exec_without_triggers(b, st);
}

/* Heads and representatives are set only once their people are on the roll: a household naming
 * a person still to come is a pending deferred foreign-key violation, and while one is pending
 * SQLite looks for the households naming every person inserted — a scan of household each time,
 * as rep_id has no index and household_head is dropped for a big load. */
int people_bulk_heads(PeopleBulk *b, const NewHousehold *rows, size_t n) {
    if (n == 0) return 0;
    MemSource src = {rows, n, household_column};
    Stmt *st = db_prep("UPDATE household SET head_id = n.head_id, rep_id = n.rep_id,"
                       " head_name = coalesce((SELECT name FROM person WHERE id = n.head_id), '')"
                       " FROM household_new(:src) AS n WHERE household.id = n.id");
    if (!st) return -1;
    mem_table_bind(st, &household_table, &src);
    return exec_without_triggers(b, st);
}

int people_bulk_people(PeopleBulk *b, const NewPerson *rows, size_t n) {
    if (n == 0) return 0;
    MemSource src = {rows, n, person_column};
    Stmt *st = db_prep("INSERT INTO person (id, unit_id, household_id, relation, name, initials, sex, birth, idnum_sealed,"
                       " idnum_blind, idnum_mask, idnum_tail, idnum_legacy, phone, ethnicity, education, status, status_date,"
                       " flags, village_id) SELECT id, unit_id, household_id, relation, name, initials, sex, birth, idnum_sealed,"
                       " idnum_blind, idnum_mask, idnum_tail, idnum_legacy, phone, ethnicity, education, status, status_date,"
                       " flags, (SELECT parent_id FROM unit WHERE id = n.unit_id) FROM person_new(:src) AS n");
    if (!st) return -1;
    mem_table_bind(st, &person_table, &src);
    return exec_without_triggers(b, st);
}

int people_bulk_end(PeopleBulk *b, const char *event_date) {
    if (b->bypass_triggers && count_new(b->first_person, b->first_household) != 0) return -1;   /* before household_list is built */
    if (db_exec(db_prep("UPDATE roll_version SET v = v + 1 WHERE id = 1"))) return -1;   /* the roll changed (026) */
    if (b->indexes_dropped && create_indexes(b) != 0) return -1;
    b->indexes_dropped = false;
    return write_history(b->first_person, event_date);
}
