/* test_committee_counts.c — the committee counts kept by the triggers of 006_committees.sql against
 * a real database: seats, people, committees and units moving change the composition of every
 * ancestor in the same statement, the list reads them, and committee_counts_check() agrees with the
 * rows and finds a corrupted counter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "committees/committees.h"
#include "committees/store.h"
#include "platform/crypto.h"
#include "platform/date.h"
#include "platform/db.h"

static char dir[64];

static void sql(const char *s) {
    char *err = NULL;
    if (sqlite3_exec(db_conn(), s, NULL, NULL, &err) != SQLITE_OK) fail_msg("%s: %s", s, err);
}

static int64_t q1(const char *s) {
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db_conn(), s, -1, &st, NULL), SQLITE_OK);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -999;
    sqlite3_finalize(st);
    return v;
}

/* county 1 → township 2 → village 3 → groups 4, 5; township 6 → village 7 → group 8. Group 4's
 * committee 30: 王一 chair (party, born 1990-04-16: 35 today), 李二 (woman, 1990-04-15: 36),
 * 张三 (1975-04-16: 50). Group 8's committee 31: 赵四 (1965-04-15: 61) without a chair. Today is
 * pinned to 2026-04-15. */
static int setup(void **state) {
    snprintf(dir, sizeof dir, "/tmp/zw-cmcount-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[128], key[128], err[256];
    snprintf(path, sizeof path, "%s/t.db", dir);
    snprintf(key, sizeof key, "%s/t.key", dir);
    setenv("ZUWEI_TODAY", "2026-04-15", 1);
    assert_int_equal(crypto_load_key(key, true, err, sizeof err), 0);
    db_configure(path);
    assert_int_equal(db_migrate(err, sizeof err), 0);
    sql("INSERT INTO unit (id, parent_id, kind, name, path, depth, start_date) VALUES"
        " (1, NULL, 'county', '县', '/1/', 0, '2020-01-01'), (2, 1, 'township', '甲镇', '/1/2/', 1, '2020-01-01'),"
        " (3, 2, 'village', '甲村', '/1/2/3/', 2, '2020-01-01'), (4, 3, 'group', '一组', '/1/2/3/4/', 3, '2020-01-01'),"
        " (5, 3, 'group', '二组', '/1/2/3/5/', 3, '2020-01-01'), (6, 1, 'township', '乙镇', '/1/6/', 1, '2020-01-01'),"
        " (7, 6, 'village', '乙村', '/1/6/7/', 2, '2020-01-01'), (8, 7, 'group', '三组', '/1/6/7/8/', 3, '2020-01-01');"
        "INSERT INTO person (id, unit_id, name, sex, birth, flags) VALUES (10, 4, '王一', 'M', '1990-04-16', 1),"
        " (11, 4, '李二', 'F', '1990-04-15', 0), (12, 4, '张三', 'M', '1975-04-16', 0), (13, 8, '赵四', 'M', '1965-04-15', 32);"
        "INSERT INTO committee (id, unit_id, term_start, term_end, attention) VALUES (30, 4, '2025-01-01', '2030-01-01', 0),"
        " (31, 8, '2025-01-01', '2026-05-01', 1);"
        "INSERT INTO committee_member (id, committee_id, person_id, post, start_date) VALUES"
        " (40, 30, 10, 'chair', '2025-01-01'), (41, 30, 11, 'member', '2025-01-01'), (42, 30, 12, 'mediator', '2025-01-01'),"
        " (43, 31, 13, 'member', '2025-01-01');");
    return 0;
}

static int teardown(void **state) {
    db_close_thread();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

/* The composition of unit `id` on the pinned day: its total, and its children in *rows. */
static Composition compose(int64_t id, Composition *rows, int *n) {
    Unit u;
    assert_int_equal(unit_get("/1/", id, &u), 0);
    Composition total;
    *n = composition_rollup(&u, date_today(), rows, 20, &total);
    assert_true(*n >= 0);
    return total;
}

static const Composition *child(const Composition *rows, int n, int64_t id) {
    for (int i = 0; i < n; i++)
        if (rows[i].unit_id == id) return &rows[i];
    fail_msg("no row for unit %lld", (long long)id);
    return NULL;
}

/* The county's numbers come from the kept counts, per township and in all, ages by birthday. */
static void test_rollup(void **state) {
    Composition rows[20];
    int n;
    Composition t = compose(1, rows, &n);
    assert_int_equal(n, 2);
    assert_int_equal(t.groups, 3);
    assert_int_equal(t.committees, 2);
    assert_int_equal(t.members, 4);
    assert_int_equal(t.party, 1);
    assert_int_equal(t.women, 1);
    assert_int_equal(t.cadres, 1);
    assert_int_equal(t.attention, 1);
    assert_int_equal(t.nochair, 1);
    assert_int_equal(t.age[0], 1);   /* 王一, 35 */
    assert_int_equal(t.age[1], 2);   /* 李二 36 today, 张三 50 */
    assert_int_equal(t.age[2], 0);
    assert_int_equal(t.age[3], 1);   /* 赵四 61 today */
    const Composition *a = child(rows, n, 2), *b = child(rows, n, 6);
    assert_int_equal(a->groups, 2);
    assert_int_equal(a->members, 3);
    assert_int_equal(a->nochair, 0);
    assert_int_equal(b->members, 1);
    assert_int_equal(b->nochair, 1);
    /* A day later 李二's age band has not changed, 张三 turns 51. */
    setenv("ZUWEI_TODAY", "2026-04-16", 1);
    t = compose(1, rows, &n);
    setenv("ZUWEI_TODAY", "2026-04-15", 1);
    assert_int_equal(t.age[0], 0);   /* 王一 turns 36 */
    assert_int_equal(t.age[1], 2);
    assert_int_equal(t.age[2], 1);
    assert_int_equal(committee_counts_check(), 0);
}

/* Seats ending, posts and people changing, committees ending: every ancestor follows. */
static void test_changes(void **state) {
    Composition rows[20];
    int n;
    sql("UPDATE committee_member SET end_date = '2026-04-01', end_reason = 'resigned' WHERE id = 40");   /* the chair */
    Composition t = compose(1, rows, &n);
    assert_int_equal(t.members, 3);
    assert_int_equal(t.party, 0);
    assert_int_equal(t.nochair, 2);
    assert_int_equal(q1("SELECT chairs FROM committee WHERE id = 30"), 0);
    assert_int_equal(q1("SELECT chair_id FROM committee WHERE id = 30"), 0);
    sql("UPDATE person SET flags = 1, sex = 'F' WHERE id = 12");
    t = compose(2, rows, &n);
    assert_int_equal(t.party, 1);
    assert_int_equal(t.women, 2);
    sql("UPDATE committee_member SET post = 'chair' WHERE id = 42");
    assert_int_equal(compose(1, rows, &n).nochair, 1);
    assert_int_equal(q1("SELECT chair_id FROM committee WHERE id = 30"), 12);
    sql("UPDATE committee SET attention = 0 WHERE id = 31");
    assert_int_equal(compose(1, rows, &n).attention, 0);
    sql("UPDATE committee SET ended_on = '2026-04-10', end_reason = 'dissolved' WHERE id = 31");
    t = compose(1, rows, &n);
    assert_int_equal(t.committees, 1);
    assert_int_equal(t.members, 2);
    assert_int_equal(t.cadres, 0);
    assert_int_equal(t.age[3], 0);
    assert_int_equal(compose(6, rows, &n).members, 0);
    sql("DELETE FROM committee_member WHERE id = 41");
    assert_int_equal(compose(3, rows, &n).members, 1);
    assert_int_equal(committee_counts_check(), 0);
}

/* A village moving to another township takes its groups' counts along; ending a group too. */
static void test_move(void **state) {
    Composition rows[20];
    int n;
    sql("UPDATE unit SET parent_id = 6 WHERE id = 3;"
        "UPDATE unit SET path = '/1/6/3/' || substr(path, length('/1/2/3/') + 1) WHERE path BETWEEN '/1/2/3/' AND '/1/2/3/~'");
    assert_int_equal(compose(2, rows, &n).members, 0);
    assert_int_equal(compose(2, rows, &n).groups, 0);
    Composition t = compose(6, rows, &n);
    assert_int_equal(t.members, 4);
    assert_int_equal(t.groups, 3);
    assert_int_equal(t.age[0], 1);
    assert_int_equal(compose(1, rows, &n).members, 4);
    assert_int_equal(q1("SELECT count(*) FROM committee WHERE path = '/1/6/3/4/'"), 1);
    sql("UPDATE unit SET end_date = '2026-04-01' WHERE id = 5");
    assert_int_equal(compose(1, rows, &n).groups, 2);
    assert_int_equal(committee_counts_check(), 0);
}

typedef struct Seen { int n; int64_t ids[8]; char chairs[8][96]; int members[8]; } Seen;

static int seen(void *ctx, const CommitteeRow *row) {
    Seen *s = ctx;
    if (s->n < 8) {
        snprintf(s->chairs[s->n], sizeof s->chairs[s->n], "%s", row->chair);
        s->members[s->n] = row->members;
        s->ids[s->n++] = row->id;
    }
    return 0;
}

/* The list pages in unit order through the filters; its totals are the kept counts. */
static void test_list(void **state) {
    CommitteeFilter f = {"/1/", false, false, 0, date_today()};
    Seen s = {0};
    long long total = -1;
    assert_int_equal(committee_list(&f, 0, 50, seen, &s, &total), 2);
    assert_int_equal(total, 2);
    assert_int_equal(s.ids[0], 30);
    assert_int_equal(s.ids[1], 31);
    assert_string_equal(s.chairs[0], "王一");
    assert_string_equal(s.chairs[1], "");
    assert_int_equal(s.members[0], 3);
    f.nochair = true;
    s.n = 0;
    assert_int_equal(committee_list(&f, 0, 50, seen, &s, &total), 1);
    assert_int_equal(total, 1);
    assert_int_equal(s.ids[0], 31);
    f.nochair = false;
    f.ending_days = 30;                      /* committee 31's term ends 2026-05-01 */
    s.n = 0;
    assert_int_equal(committee_list(&f, 0, 50, seen, &s, &total), 1);
    assert_int_equal(total, 1);
    assert_int_equal(s.ids[0], 31);
    f.ending_days = 0;
    f.attention = true;
    f.scope = "/1/2/";
    assert_int_equal(committee_list(&f, 0, 50, seen, &s, &total), 0);
    assert_int_equal(total, 0);
}

/* Each kind of kept count, corrupted, is found by the recount. */
static void test_check_finds_corruption(void **state) {
    assert_int_equal(committee_counts_check(), 0);
    sql("UPDATE committee_tally SET members = members + 1 WHERE unit_id = 2");
    assert_int_equal(committee_counts_check(), 1);
    sql("UPDATE committee_tally SET members = members - 1 WHERE unit_id = 2");
    sql("UPDATE committee_births SET n = n + 1 WHERE unit_id = 1 AND level = 2 AND key = '1990-04-16'");
    assert_int_equal(committee_counts_check(), 1);
    sql("DELETE FROM committee_births WHERE unit_id = 1 AND level = 2 AND key = '1990-04-16'");
    assert_int_equal(committee_counts_check(), 1);
    sql("INSERT INTO committee_births VALUES (1, 2, '1990-04-16', 1)");
    assert_int_equal(committee_counts_check(), 0);
    sql("UPDATE committee_tally SET nochair = 0 WHERE unit_id = 8");
    assert_int_equal(committee_counts_check(), 1);
    sql("UPDATE committee_tally SET nochair = 1 WHERE unit_id = 8");
    sql("INSERT INTO committee_tally (unit_id, groups) VALUES (99, 1)");
    assert_int_equal(committee_counts_check(), 1);
    sql("DELETE FROM committee_tally WHERE unit_id = 99");
    sql("UPDATE committee SET women = 0 WHERE id = 30");
    assert_int_equal(committee_counts_check(), 1);
    sql("UPDATE committee SET women = 1, chair_id = 11 WHERE id = 30");
    assert_int_equal(committee_counts_check(), 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rollup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_move, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_finds_corruption, setup, teardown),
    };
    return cmocka_run_group_tests_name("committee_counts", tests, NULL, NULL);
}
