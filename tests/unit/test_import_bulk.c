/* test_import_bulk.c — the roll's bulk load (people/bulk.c, people_bulk_*), directly and as the
 * roster import of a large file uses it (people/import.c): dropping and rebuilding person's
 * secondary indexes inside the transaction, the INSERT … SELECT from the rows in memory with the
 * counting triggers off and their work done set-based, and the two threads that read the file
 * and seal ID numbers. The demo county (tests/unit/test_demo.c) uses the same bulk load.
 *
 * Each test works on a fresh temporary database (migrated, with a key) holding one village with
 * two groups, and imports a generated CSV of 24,000 people (8,000 households of a head, a spouse
 * and a child; every tenth child without an ID number) — more than the bulk threshold and more
 * than the chunks the threads share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "org/units.h"
#include "people/idnum.h"
#include "people/import.h"
#include "people/people.h"
#include "platform/crypto.h"
#include "platform/date.h"
#include "platform/db.h"
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { HOUSEHOLDS = 8000, PEOPLE = 3 * HOUSEHOLDS };

static char tmpdir[64];

/* Opens a new database in the temporary folder with 江口县 → 太平镇 → 云舍村 and its groups 001 and
 * 002. */
static void fresh_db(void) {
    fixture_fresh_db(tmpdir);
    Unit town, village;
    fixture_tree(&town, &village);
}

/* Writes the ID number of person k (k < 3 * PEOPLE) into out: distinct birth dates from
 * 1950 on, sequence by sex. */
static void id_of(int k, char out[IDNUM_SIZE]) {
    int32_t birth = days_from_civil(1950, 1, 1) + k / 3;
    int seq = (k % 3 == 1 ? 2 : 1) + 2 * (k % 3 == 2);   /* head and child men (1, 3), spouse a woman (2) */
    assert_int_equal(idnum_make("522222", birth, seq, out), IDNUM_OK);
}

/* The generated roster of people first..first + PEOPLE - 1: household h has its head (party member when h % 7 == 0), a spouse away as
 * a migrant worker when h is odd, and a child, without ID number when h % 10 == 0. Row `bad_row`
 * (a data row, 0 for none) gets an unknown group. Returns a malloc'ed text of *n bytes. */
static char *roster(int first, int bad_row, size_t *n) {
    size_t cap = (size_t)PEOPLE * 128 + 256, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    len += (size_t)snprintf(out, cap, "姓名,性别,身份证号,出生日期,与户主关系,户主身份证号,组,人员状态,党员,劳动力\r\n");
    for (int h = first / 3; h < first / 3 + HOUSEHOLDS; h++) {
        char head[IDNUM_SIZE], id[IDNUM_SIZE], birth[16];
        id_of(3 * h, head);
        for (int m = 0; m < 3; m++) {
            int k = 3 * h + m;
            id_of(k, id);
            date_format(days_from_civil(1950, 1, 1) + k / 3, birth, sizeof birth);
            const char *group = k - first + 1 == bad_row ? "522222101001009" : h % 2 ? "522222101001002" : "522222101001001";
            len += (size_t)snprintf(out + len, cap - len, "%s%d,%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n", m == 0 ? "杨" : m == 1 ? "张" : "吴", k,
                                    m == 1 ? "女" : "男", m == 2 && h % 10 == 0 ? "" : id, birth,
                                    m == 0 ? "户主" : m == 1 ? "配偶" : "子女", head, group,
                                    m == 1 && h % 2 ? "外出务工" : "", m == 0 && h % 7 == 0 ? "是" : "", m < 2 ? "是" : "");
        }
    }
    *n = len;
    return out;
}

/* Imports as the command line does (the sole user of the database). */
static int run(const char *data, size_t n, bool valid_only, ImportReport *rep) {
    Actor a = actor_cli();
    ImportOpts o = {"/", 0, "bulk.csv", valid_only, false, true};
    return import_people(&a, data, n, &o, rep);
}

static void assert_wal(void) {
    Stmt *st = db_prep("PRAGMA journal_mode");
    assert_int_equal(db_step(st), SQLITE_ROW);
    assert_string_equal(db_col_text(st, 0), "wal");
    sqlite3_reset(st);
}

static int64_t one(Stmt *st) { return db_one_int(st, -1); }

/* Person's secondary indexes as 005_people.sql, 011_person_village.sql, 014_roll_filters.sql,
 * 015_rare_filters.sql, 019_rare_initials.sql and 021_village_initials_filters.sql leave them, in
 * name order. */
static const char *const person_indexes =
    "CREATE INDEX person_household ON person (household_id)|"
    "CREATE INDEX person_initials ON person (initials)|"
    "CREATE INDEX person_name ON person (name)|"
    "CREATE INDEX person_rare_initials ON person (initials, id, unit_id, status, flags, birth)\n"
    "    WHERE status != 'resident' OR flags & 127 != 0|"
    "CREATE INDEX person_tail ON person (idnum_tail)|"
    "CREATE INDEX person_unit_flagged ON person (unit_id, name, id, status, flags, birth) WHERE flags & 127 != 0|"
    "CREATE INDEX person_unit_name ON person (unit_id, name, id, status, flags, birth)|"
    "CREATE INDEX person_unit_status ON person (unit_id, status, name, id, flags, birth) WHERE status != 'resident'|"
    "CREATE INDEX person_village_initials ON person (village_id, initials, unit_id, id, status, flags, birth)|";

/* Household's indexes as 005_people.sql, 010_household_list.sql, 013_household_list_covering.sql and
 * 022_household_end.sql leave them, in name order. */
static const char *const household_indexes =
    "CREATE INDEX household_ended ON household (unit_id, ended_at) WHERE ended_at IS NOT NULL|"
    "CREATE INDEX household_head ON household (head_id) WHERE head_id IS NOT NULL|"
    "CREATE INDEX household_list ON household (unit_id, length(hh_no), hh_no, id, head_name, poverty, members, labour,"
    " migrants, farmland_c, ended_at) WHERE ended_at IS NULL|"
    "CREATE INDEX household_unit ON household (unit_id, hh_no)|";

/* Asserts that `table`'s indexes, in name order, are exactly `want` ("|" after each). */
static void assert_index_sql(const char *table, const char *want) {
    char got[1024] = "";
    Stmt *st = db_prep("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = :t AND sql IS NOT NULL ORDER BY name");
    db_bind_text(st, ":t", table);
    while (db_step(st) == SQLITE_ROW) {
        size_t l = strlen(got);
        snprintf(got + l, sizeof got - l, "%s|", db_col_text(st, 0));
    }
    assert_string_equal(got, want);
}

/* Asserts that person and household have exactly the migrations' indexes and that they agree with
 * the tables. */
static void assert_indexes_intact(void) {
    assert_index_sql("person", person_indexes);
    assert_index_sql("household", household_indexes);
    Stmt *st = db_prep("PRAGMA integrity_check");
    assert_int_equal(db_step(st), SQLITE_ROW);
    assert_string_equal(db_col_text(st, 0), "ok");
    sqlite3_reset(st);
}

/* Asserts that counters and history agree with the roll (the rule of the counting triggers). */
static void assert_counts_agree(void) {
    assert_int_equal(one(db_prep("SELECT count(*) FROM household h WHERE h.members != (SELECT count(*) FROM person p"
                                 " WHERE p.household_id = h.id AND p.status IN ('resident', 'migrant'))"
                                 " OR h.labour != (SELECT count(*) FROM person p WHERE p.household_id = h.id"
                                 " AND p.status IN ('resident', 'migrant') AND (p.flags & 128) != 0)"
                                 " OR h.migrants != (SELECT count(*) FROM person p WHERE p.household_id = h.id"
                                 " AND p.status = 'migrant')")), 0);
    assert_int_equal(one(db_prep("SELECT count(*) FROM unit_roll c JOIN unit a ON a.id = c.unit_id WHERE c.people !="
                                 " (SELECT count(*) FROM person p JOIN unit g ON g.id = p.unit_id"
                                 " WHERE g.path BETWEEN a.path AND a.path || '~')")), 0);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person p WHERE (SELECT count(*) FROM person_event e"
                                 " WHERE e.person_id = p.id AND e.kind = 'created') != 1")), 0);
    assert_int_equal(people_counts_check(), 0);   /* zuwei check's recount, head names included */
}

static void test_bulk_import_into_empty_roll(void **state) {
    fresh_db();
    size_t n;
    char *csv = roster(0, 0, &n);
    ImportReport rep;
    assert_int_equal(run(csv, n, false, &rep), IMPORT_OK);
    assert_int_equal(rep.created, PEOPLE);
    assert_int_equal(rep.households, HOUSEHOLDS);
    assert_int_equal(rep.bad, 0);
    import_report_free(&rep);
    assert_wal();   /* back from the bulk load's rollback journal */
    assert_int_equal(one(db_prep("SELECT count(*) FROM person")), PEOPLE);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person WHERE idnum_sealed IS NULL")), HOUSEHOLDS / 10);
    assert_int_equal(one(db_prep("SELECT count(*) FROM household WHERE head_id IS NULL OR rep_id != head_id")), 0);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person WHERE status = 'migrant'")), HOUSEHOLDS / 2);
    assert_int_equal(one(db_prep("SELECT sum(members) FROM household")), PEOPLE);
    assert_int_equal(one(db_prep("SELECT sum(migrants) FROM household")), HOUSEHOLDS / 2);
    assert_int_equal(one(db_prep("SELECT sum(labour) FROM household")), 2 * HOUSEHOLDS);
    assert_indexes_intact();
    assert_counts_agree();
    /* The recount sees a unit whose count of one flag is off, and only that unit. */
    assert_int_equal(db_exec(db_prep("UPDATE unit_roll SET labour = labour + 1 WHERE unit_id = 1")), 0);
    assert_int_equal(people_counts_check(), 1);
    assert_int_equal(db_exec(db_prep("UPDATE unit_roll SET labour = labour - 1 WHERE unit_id = 1")), 0);
    /* Rows sealed on either thread open to their own number, and the blind index finds them. */
    for (int k = 0; k < PEOPLE; k += 997) {
        char id[IDNUM_SIZE], back[20], name[32];
        id_of(k, id);
        snprintf(name, sizeof name, "%s%d", k % 3 == 0 ? "杨" : k % 3 == 1 ? "张" : "吴", k);
        Stmt *st = db_prep("SELECT id FROM person WHERE name = :n");
        db_bind_text(st, ":n", name);
        int64_t pid = one(st);
        assert_true(pid > 0);
        if (k % 3 == 2 && (k / 3) % 10 == 0) continue;   /* a child without ID number */
        assert_int_equal(person_id_by_idnum(id), pid);
        assert_int_equal(person_reveal_idnum(pid, back), 0);
        assert_string_equal(back, id);
    }
    /* The same file again changes nothing. */
    int64_t events = one(db_prep("SELECT count(*) FROM person_event"));
    assert_int_equal(run(csv, n, false, &rep), IMPORT_OK);
    assert_int_equal(rep.created, 0);
    assert_int_equal(rep.updated, 0);
    assert_int_equal(rep.unchanged, PEOPLE);
    import_report_free(&rep);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person")), PEOPLE);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person_event")), events);
    free(csv);
    /* As many people again, new: bulk again, on the same connection. */
    csv = roster(PEOPLE, 0, &n);
    assert_int_equal(run(csv, n, false, &rep), IMPORT_OK);
    assert_int_equal(rep.created, PEOPLE);
    import_report_free(&rep);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person")), 2 * PEOPLE);
    assert_indexes_intact();
    assert_counts_agree();
    free(csv);
}

static void test_bad_row_in_large_file(void **state) {
    fresh_db();
    size_t n;
    char *csv = roster(0, 12345, &n);
    ImportReport rep;
    assert_int_equal(run(csv, n, false, &rep), IMPORT_BAD_ROWS);
    assert_int_equal(rep.bad, 1);
    assert_int_equal((int)rep.nissues, 1);
    assert_int_equal((int)rep.issues[0].row, 12345 + 1);   /* the header is line 1 */
    assert_string_equal(rep.issues[0].column, "组");
    import_report_free(&rep);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person")), 0);
    assert_int_equal(one(db_prep("SELECT count(*) FROM household")), 0);
    assert_indexes_intact();
    /* With --valid-only the other rows go in (row 12345 is a child: its household stays). */
    assert_int_equal(run(csv, n, true, &rep), IMPORT_OK);
    assert_int_equal(rep.created, PEOPLE - 1);
    import_report_free(&rep);
    assert_indexes_intact();
    assert_counts_agree();
    free(csv);
}

/* A failure inside the write (here a trigger that refuses a person_event row, added after the
 * indexes were dropped and the people inserted) rolls everything back, indexes included. */
static void test_failed_bulk_write_rolls_back(void **state) {
    fresh_db();
    assert_int_equal(sqlite3_exec(db_conn(), "CREATE TRIGGER refuse_history BEFORE INSERT ON person_event"
                                             " BEGIN SELECT raise(ABORT, 'refused'); END", NULL, NULL, NULL), SQLITE_OK);
    size_t n;
    char *csv = roster(0, 0, &n);
    ImportReport rep;
    assert_int_equal(run(csv, n, false, &rep), IMPORT_DB_ERROR);
    assert_false(rep.written);
    import_report_free(&rep);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person")), 0);
    assert_int_equal(one(db_prep("SELECT count(*) FROM household")), 0);
    assert_int_equal(one(db_prep("SELECT count(*) FROM unit_roll WHERE people != 0")), 0);
    assert_indexes_intact();
    free(csv);
}

/* The id of the unit with this code. */
static int64_t group_id(const char *code) {
    Stmt *st = db_prep("SELECT id FROM unit WHERE code = :c");
    db_bind_text(st, ":c", code);
    return one(st);
}

/* Loads `nh` households of three people (head, spouse away as a migrant worker in odd
 * households, child without ID number in every fifth) straight through the bulk API, the heads
 * their households' heads and the spouses their representatives. Person k's ID number is
 * id_of(base + k). Returns the first new person's id. */
static int64_t bulk_load(int nh, int base, bool drop) {
    int np = 3 * nh;
    NewHousehold *hh = calloc((size_t)nh, sizeof *hh);
    Person *ps = calloc((size_t)np, sizeof *ps);
    SealedId *ids = calloc((size_t)np, sizeof *ids);
    NewPerson *rows = calloc((size_t)np, sizeof *rows);
    assert_true(hh && ps && ids && rows);
    int64_t g1 = group_id("522222101001001"), g2 = group_id("522222101001002");
    PeopleBulk b;
    assert_int_equal(db_begin(), 0);
    assert_int_equal(people_bulk_begin(&b, drop), 0);
    assert_true(b.bypass_triggers);   /* on the whole schema the triggers' work is done set-based */
    int64_t first = b.first_person;
    for (int h = 0; h < nh; h++) {
        hh[h].id = b.next_household++;
        hh[h].unit_id = h % 2 ? g2 : g1;
        snprintf(hh[h].hh_no, sizeof hh[h].hh_no, "%04d", h + 1);
        hh[h].farmland_c = 250;
        for (int m = 0; m < 3; m++) {
            int k = 3 * h + m;
            Person *p = &ps[k];
            p->id = b.next_person++;
            p->unit_id = hh[h].unit_id;
            p->household_id = hh[h].id;
            snprintf(p->name, sizeof p->name, "%s%d", m == 0 ? "杨" : m == 1 ? "张" : "吴", k);
            p->sex = m == 1 ? 'F' : 'M';
            p->birth = days_from_civil(1950, 1, 1) + (base + k) / 3;
            snprintf(p->relation, sizeof p->relation, "%s", m == 0 ? "head" : m == 1 ? "spouse" : "child");
            snprintf(p->status, sizeof p->status, "%s", m == 1 && h % 2 ? "migrant" : "resident");
            if (m == 1 && h % 2) p->status_date = days_from_civil(2024, 1, 1);
            p->flags = m < 2 ? PF_LABOUR : 0;
            if (!(m == 2 && h % 5 == 0)) id_of(base + k, p->idnum);
            assert_int_equal(people_seal_idnum(p->idnum, &ids[k]), 0);
            rows[k] = (NewPerson){p, &ids[k], m == 0 ? "Y" : m == 1 ? "Z" : "W"};
        }
        hh[h].head_id = ps[3 * h].id;
        hh[h].rep_id = ps[3 * h + 1].id;
    }
    if (drop)
        assert_int_equal(one(db_prep("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'person'"
                                     " AND sql IS NOT NULL")), 0);
    /* In two parts, as the demo writes its chunks. */
    int half = nh / 2;
    assert_int_equal(people_bulk_households(&b, hh, (size_t)half), 0);
    assert_int_equal(people_bulk_people(&b, rows, (size_t)half * 3), 0);
    assert_int_equal(people_bulk_heads(&b, hh, (size_t)half), 0);
    assert_int_equal(people_bulk_households(&b, hh + half, (size_t)(nh - half)), 0);
    assert_int_equal(people_bulk_people(&b, rows + 3 * half, (size_t)(nh - half) * 3), 0);
    assert_int_equal(people_bulk_heads(&b, hh + half, (size_t)(nh - half)), 0);
    assert_int_equal(people_bulk_end(&b, "2021-03-04"), 0);
    assert_int_equal(db_commit(), 0);
    free(hh);
    free(ps);
    free(ids);
    free(rows);
    return first;
}

/* The bulk API itself: households and people written in parts, then indexes, counters, history,
 * heads and sealed numbers as the one-by-one write path leaves them; the triggers are on again
 * afterwards; a second load without dropping indexes adds to the counters. */
static void test_bulk_api(void **state) {
    fresh_db();
    enum { NH = 2000 };
    int64_t first = bulk_load(NH, 0, true);
    assert_int_equal(first, 1);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person")), 3 * NH);
    assert_int_equal(one(db_prep("SELECT count(*) FROM household")), NH);
    assert_indexes_intact();
    assert_counts_agree();
    assert_int_equal(one(db_prep("SELECT sum(members) FROM household")), 3 * NH);
    assert_int_equal(one(db_prep("SELECT sum(migrants) FROM household")), NH / 2);
    assert_int_equal(one(db_prep("SELECT sum(labour) FROM household")), 2 * NH);
    assert_int_equal(one(db_prep("SELECT people FROM unit_roll r JOIN unit u ON u.id = r.unit_id WHERE u.parent_id IS NULL")),
                     3 * NH);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person_event WHERE kind = 'created' AND on_date = '2021-03-04'"
                                 " AND to_unit IS NOT NULL AND to_household IS NOT NULL AND from_unit IS NULL")), 3 * NH);
    assert_int_equal(one(db_prep("SELECT count(*) FROM household h JOIN person hp ON hp.id = h.head_id"
                                 " JOIN person rp ON rp.id = h.rep_id WHERE hp.relation = 'head' AND rp.relation = 'spouse'"
                                 " AND hp.household_id = h.id AND rp.household_id = h.id AND h.farmland_c = 250"
                                 " AND h.poverty = 'none'")), NH);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person WHERE idnum_sealed IS NULL")), NH / 5);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person WHERE status_date = '2024-01-01'")), NH / 2);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person WHERE initials = 'Z' AND sex = 'F'")), NH);
    char id[IDNUM_SIZE], back[20];
    id_of(3 * 7 + 1, id);
    int64_t pid = person_id_by_idnum(id);
    assert_int_equal(pid, first + 3 * 7 + 1);
    assert_int_equal(person_reveal_idnum(pid, back), 0);
    assert_string_equal(back, id);
    assert_int_equal(one(db_prep("PRAGMA foreign_key_check")), -1);   /* no row: no violation */
    /* The counting triggers work again for a person written one by one. */
    Person p = {0};
    p.unit_id = group_id("522222101001001");
    p.household_id = 1;
    snprintf(p.name, sizeof p.name, "杨新");
    p.sex = 'M';
    p.birth = days_from_civil(2000, 1, 1);
    snprintf(p.relation, sizeof p.relation, "child");
    snprintf(p.status, sizeof p.status, "resident");
    assert_int_equal(db_begin(), 0);
    assert_int_equal(person_insert(&p, "2025-01-01"), 0);
    assert_int_equal(db_commit(), 0);
    assert_counts_agree();
    /* A second load on a full roll, keeping the indexes: ids go on, counters add up. */
    assert_int_equal(bulk_load(NH / 2, 3 * NH, false), 3 * NH + 2);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person")), 3 * NH + 1 + 3 * (NH / 2));
    assert_indexes_intact();
    assert_counts_agree();
}

/* A bulk load rolled back by its caller leaves nothing, and person's indexes as they were. */
static void test_bulk_api_rollback(void **state) {
    fresh_db();
    PeopleBulk b;
    assert_int_equal(db_begin(), 0);
    assert_int_equal(people_bulk_begin(&b, true), 0);
    NewHousehold h = {.id = b.next_household++, .unit_id = group_id("522222101001001"), .hh_no = "0001"};
    assert_int_equal(people_bulk_households(&b, &h, 1), 0);
    db_rollback();
    assert_int_equal(one(db_prep("SELECT count(*) FROM household")), 0);
    assert_indexes_intact();
    /* Outside a transaction it refuses to start. */
    assert_int_equal(people_bulk_begin(&b, true), -1);
    assert_indexes_intact();
}

static int setup(void **state) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/zw-import-bulk-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
    db_close_thread();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bulk_import_into_empty_roll),
        cmocka_unit_test(test_bad_row_in_large_file),
        cmocka_unit_test(test_failed_bulk_write_rolls_back),
        cmocka_unit_test(test_bulk_api),
        cmocka_unit_test(test_bulk_api_rollback),
    };
    return cmocka_run_group_tests_name("import_bulk", tests, setup, teardown);
}
