/* test_import_bulk.c — the roster import of a large file (people/import.c): the bulk path that
 * drops and rebuilds person's secondary indexes inside the import's transaction, the two threads
 * that read the file and seal ID numbers, and the INSERT … SELECT from the rows in memory.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { HOUSEHOLDS = 8000, PEOPLE = 3 * HOUSEHOLDS };

static char tmpdir[64];

/* Opens a new database in the temporary folder with 江口县 → 太平镇 → 云舍村 and its groups 001 and
 * 002. */
static void fresh_db(void) {
    static int n;
    char path[128], err[256];
    db_close_thread();
    snprintf(path, sizeof path, "%s/db%d.sqlite", tmpdir, ++n);
    db_configure(path);
    snprintf(path, sizeof path, "%s/key", tmpdir);
    assert_int_equal(crypto_load_key(path, true, err, sizeof err), 0);
    assert_int_equal(db_migrate(err, sizeof err), 0);
    Unit county, town, village;
    int64_t id;
    assert_int_equal(db_begin(), 0);
    assert_int_equal(unit_insert_tx(NULL, UNIT_COUNTY, "", "江口县", "522222000000", 0, "2020-01-01", &id), 0);
    unit_get(SCOPE_ALL, id, &county);
    assert_int_equal(unit_insert_tx(&county, UNIT_TOWNSHIP, "town", "太平镇", "522222101000", 0, "2020-01-01", &id), 0);
    unit_get(SCOPE_ALL, id, &town);
    assert_int_equal(unit_insert_tx(&town, UNIT_VILLAGE, "", "云舍村", "522222101001", 0, "2020-01-01", &id), 0);
    unit_get(SCOPE_ALL, id, &village);
    assert_int_equal(unit_insert_tx(&village, UNIT_GROUP, "hamlet", "杨家寨", "522222101001001", 1, "2020-01-01", &id), 0);
    assert_int_equal(unit_insert_tx(&village, UNIT_GROUP, "group", "二组", "522222101001002", 2, "2020-01-01", &id), 0);
    assert_int_equal(db_commit(), 0);
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

static int run(const char *data, size_t n, bool valid_only, ImportReport *rep) {
    Actor a = actor_cli();
    ImportOpts o = {"/", 0, "bulk.csv", valid_only, false};
    return import_people(&a, data, n, &o, rep);
}

static int64_t one(Stmt *st) { return db_one_int(st, -1); }

/* Person's secondary indexes as 005_people.sql creates them, in name order. */
static const char *const person_indexes =
    "CREATE INDEX person_household ON person (household_id)|"
    "CREATE INDEX person_initials ON person (initials)|"
    "CREATE INDEX person_name ON person (name)|"
    "CREATE INDEX person_tail ON person (idnum_tail)|"
    "CREATE INDEX person_unit_initials ON person (unit_id, initials)|"
    "CREATE INDEX person_unit_name ON person (unit_id, name)|";

/* Asserts that person has exactly the migration's indexes and that they agree with the table. */
static void assert_indexes_intact(void) {
    char got[1024] = "";
    Stmt *st = db_prep("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'person' AND sql IS NOT NULL ORDER BY name");
    while (db_step(st) == SQLITE_ROW) {
        size_t l = strlen(got);
        snprintf(got + l, sizeof got - l, "%s|", db_col_text(st, 0));
    }
    assert_string_equal(got, person_indexes);
    st = db_prep("PRAGMA integrity_check");
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
    assert_int_equal(one(db_prep("SELECT count(*) FROM unit_roll c WHERE c.people !="
                                 " (SELECT count(*) FROM person p WHERE p.unit_id = c.unit_id)")), 0);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person p WHERE (SELECT count(*) FROM person_event e"
                                 " WHERE e.person_id = p.id AND e.kind = 'created') != 1")), 0);
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
    assert_int_equal(one(db_prep("SELECT count(*) FROM person")), PEOPLE);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person WHERE idnum_sealed IS NULL")), HOUSEHOLDS / 10);
    assert_int_equal(one(db_prep("SELECT count(*) FROM household WHERE head_id IS NULL OR rep_id != head_id")), 0);
    assert_int_equal(one(db_prep("SELECT count(*) FROM person WHERE status = 'migrant'")), HOUSEHOLDS / 2);
    assert_int_equal(one(db_prep("SELECT sum(members) FROM household")), PEOPLE);
    assert_int_equal(one(db_prep("SELECT sum(migrants) FROM household")), HOUSEHOLDS / 2);
    assert_int_equal(one(db_prep("SELECT sum(labour) FROM household")), 2 * HOUSEHOLDS);
    assert_indexes_intact();
    assert_counts_agree();
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
    };
    return cmocka_run_group_tests_name("import_bulk", tests, setup, teardown);
}
