/* test_contact_counters.c — the compliance counters of src/contact/ against a real database:
 * visits and voids move the member's row and every ancestor's totals in the same transaction,
 * seat changes are recounted, a rebuild agrees with the incremental path, and contact_check()
 * finds a corrupted counter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "contact/contact.h"
#include "contact/store.h"
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

static int32_t D(const char *iso) {
    int32_t d;
    assert_int_equal(date_parse(iso, &d), 0);
    return d;
}

/* county 1 → township 2 → village 3 → groups 4 and 5; member 10 (joined 2026-03-20) and 11 on
 * group 4's committee; households 20, 21 in group 4. Today is pinned to 2026-04-15. */
static int setup(void **state) {
    snprintf(dir, sizeof dir, "/tmp/zw-contact-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[128], key[128], err[256];
    snprintf(path, sizeof path, "%s/t.db", dir);
    snprintf(key, sizeof key, "%s/t.key", dir);
    setenv("ZUWEI_TODAY", "2026-04-15", 1);
    assert_int_equal(crypto_load_key(key, true, err, sizeof err), 0);
    db_configure(path);
    assert_int_equal(db_migrate(err, sizeof err), 0);
    sql("INSERT INTO unit (id, parent_id, kind, name, path, depth, start_date) VALUES"
        " (1, NULL, 'county', '县', '/1/', 0, '2020-01-01'), (2, 1, 'township', '镇', '/1/2/', 1, '2020-01-01'),"
        " (3, 2, 'village', '村', '/1/2/3/', 2, '2020-01-01'), (4, 3, 'group', '一组', '/1/2/3/4/', 3, '2020-01-01'),"
        " (5, 3, 'group', '二组', '/1/2/3/5/', 3, '2020-01-01');"
        "INSERT INTO person (id, unit_id, name, sex, birth) VALUES (10, 4, '王一', 'M', '1970-01-01'), (11, 4, '李二', 'F', '1975-01-01'),"
        " (12, 4, '张三', 'M', '1960-01-01'), (13, 4, '赵四', 'M', '1960-01-01');"
        "INSERT INTO household (id, unit_id, hh_no, head_id) VALUES (20, 4, '1', 12), (21, 4, '2', 13);"
        "INSERT INTO committee (id, unit_id, term_start, term_end) VALUES (30, 4, '2025-01-01', '2028-01-01');"
        "INSERT INTO committee_member (committee_id, person_id, post, start_date) VALUES (30, 10, 'chair', '2026-03-20'),"
        " (30, 11, 'member', '2025-01-01');");
    return 0;
}

static int teardown(void **state) {
    db_close_thread();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static int64_t add_visit(int64_t member, const char *day) {
    Visit v = {0};
    v.member_id = member;
    v.member_unit = 4;
    v.household_id = 20;
    v.unit_id = 4;
    v.day = D(day);
    v.duties = 1;
    v.purpose = "了解情况";
    assert_int_equal(db_begin(), 0);
    assert_int_equal(visit_insert(&v), 0);
    assert_int_equal(db_commit(), 0);
    return v.id;
}

/* Member 10 joined on 20 March (12 of 31 days): owes 2 in March, 5 in April; member 11 owes 5 in
 * each. Visits move done, capped per member in the unit totals, up the whole chain. */
static void test_visits_and_rollup(void **state) {
    add_visit(10, "2026-03-21");
    for (int i = 0; i < 3; i++) add_visit(10, "2026-03-25");   /* 4 visits, 2 owed */
    add_visit(11, "2026-03-02");
    assert_int_equal(q1("SELECT owed FROM visit_count WHERE person_id = 10 AND month = 202603"), 2);
    assert_int_equal(q1("SELECT done FROM visit_count WHERE person_id = 10 AND month = 202603"), 4);
    assert_int_equal(q1("SELECT owed FROM visit_count WHERE person_id = 11 AND month = 202603"), 5);
    for (int u = 1; u <= 4; u++) {
        char s[160];
        snprintf(s, sizeof s, "SELECT expected * 1000000 + done * 10000 + behind * 100 + visits FROM unit_month WHERE unit_id = %d AND month = 202603", u);
        /* expected 7, done min(4,2)+min(1,5) = 3, behind 1 (member 11), visits 5 */
        assert_int_equal(q1(s), 7 * 1000000 + 3 * 10000 + 1 * 100 + 5);
    }
    assert_int_equal(q1("SELECT count(*) FROM unit_month WHERE unit_id = 5 AND expected > 0"), 0);
    /* The visit list's totals (by household group) follow on every level, none for group 5. */
    for (int u = 1; u <= 4; u++) {
        char s[120];
        snprintf(s, sizeof s, "SELECT visits * 100 + voided FROM visit_tally WHERE unit_id = %d AND month = 202603", u);
        assert_int_equal(q1(s), 500);
    }
    assert_int_equal(q1("SELECT count(*) FROM visit_tally WHERE unit_id = 5"), 0);
    assert_int_equal(contact_check(), 0);
}

/* Voiding takes the visit out of every counter. */
static void test_void(void **state) {
    int64_t id = add_visit(11, "2026-03-03");
    assert_int_equal(q1("SELECT done FROM visit_count WHERE person_id = 11 AND month = 202603"), 2);
    Arena *a = arena_new();
    Visit v;
    assert_true(visit_load(a, "/", id, &v));
    assert_int_equal(db_begin(), 0);
    assert_int_equal(visit_void(&v, "录错了", 0), 0);
    assert_int_equal(db_commit(), 0);
    arena_free(a);
    assert_int_equal(q1("SELECT done FROM visit_count WHERE person_id = 11 AND month = 202603"), 1);
    assert_int_equal(q1("SELECT visits FROM unit_month WHERE unit_id = 1 AND month = 202603"), 5);
    assert_int_equal(q1("SELECT visits * 100 + voided FROM visit_tally WHERE unit_id = 1 AND month = 202603"), 501);
    assert_int_equal(contact_check(), 0);
}

/* Moving a visit to another month and household group moves its list totals. */
static void test_tally_move(void **state) {
    sql("INSERT INTO household (id, unit_id, hh_no, head_id) VALUES (22, 5, '1', NULL)");
    int64_t id = add_visit(11, "2026-03-04");
    Arena *a = arena_new();
    Visit b, v;
    assert_true(visit_load(a, "/", id, &b));
    v = b;
    v.household_id = 22;
    v.unit_id = 5;
    v.day = D("2026-02-10");
    assert_int_equal(db_begin(), 0);
    assert_int_equal(visit_update(&b, &v), 0);
    assert_int_equal(db_commit(), 0);
    arena_free(a);
    assert_int_equal(q1("SELECT visits FROM visit_tally WHERE unit_id = 4 AND month = 202603"), 5);
    assert_int_equal(q1("SELECT visits FROM visit_tally WHERE unit_id = 5 AND month = 202602"), 1);
    assert_int_equal(q1("SELECT visits FROM visit_tally WHERE unit_id = 3 AND month = 202602"), 1);
    assert_int_equal(contact_check(), 0);
    sql("UPDATE visit_tally SET visits = visits + 1 WHERE unit_id = 2 AND month = 202602");
    assert_true(contact_check() > 0);
    assert_int_equal(contact_rebuild(), 0);
    assert_int_equal(contact_check(), 0);
}

/* A seat that ends is recounted at the next prepare: member 11 left on 10 April (10 of 30 days)
 * owes ceil(5 * 10 / 30) = 2 in April. */
static void test_seat_change(void **state) {
    assert_int_equal(contact_prepare_month(202604, false), 0);
    assert_int_equal(q1("SELECT owed FROM visit_count WHERE person_id = 11 AND month = 202604"), 5);
    assert_int_equal(q1("SELECT expected FROM unit_month WHERE unit_id = 1 AND month = 202604"), 10);
    sql("UPDATE committee_member SET end_date = '2026-04-10', end_reason = 'resigned' WHERE person_id = 11");
    assert_int_equal(q1("SELECT count(*) FROM contact_dirty"), 1);
    assert_int_equal(contact_prepare_month(202604, false), 0);
    assert_int_equal(q1("SELECT count(*) FROM contact_dirty"), 0);
    assert_int_equal(q1("SELECT owed FROM visit_count WHERE person_id = 11 AND month = 202604"), 2);
    assert_int_equal(q1("SELECT expected FROM unit_month WHERE unit_id = 2 AND month = 202604"), 7);
    assert_int_equal(contact_check(), 0);
}

/* Guidance: a cadre assigned to committee 30 owes 1 per quarter; a contact clears it. */
static void test_guidance(void **state) {
    sql("INSERT INTO user (id, username, display_name, role, scope_unit, password_hash) VALUES (7, 'cadre', '村干部', 'village', 3, 'x')");
    assert_int_equal(db_begin(), 0);
    assert_int_equal(assign_guide(7, 30, 4, "2026-01-01", 0), 0);
    assert_int_equal(db_commit(), 0);
    assert_int_equal(contact_prepare_quarter(20262, false), 0);
    assert_int_equal(q1("SELECT expected * 100 + done * 10 + behind FROM unit_quarter WHERE unit_id = 1 AND quarter = 20262"), 101);
    Guidance g = {0};
    g.user_id = 7;
    g.committee_id = 30;
    g.unit_id = 4;
    g.day = D("2026-04-02");
    g.how = "site";
    assert_int_equal(db_begin(), 0);
    assert_int_equal(guidance_insert(&g), 0);
    assert_int_equal(db_commit(), 0);
    assert_int_equal(q1("SELECT expected * 100 + done * 10 + behind FROM unit_quarter WHERE unit_id = 1 AND quarter = 20262"), 110);
    assert_int_equal(contact_check(), 0);
}

/* A corrupted counter is found by the check; a rebuild repairs it. */
static void test_check_finds_corruption(void **state) {
    assert_int_equal(contact_check(), 0);
    sql("UPDATE unit_month SET done = done + 1 WHERE unit_id = 2 AND month = 202603");
    assert_true(contact_check() > 0);
    sql("UPDATE visit_count SET done = done + 3 WHERE person_id = 10 AND month = 202603");
    assert_true(contact_check() >= 2);
    assert_int_equal(contact_rebuild(), 0);
    assert_int_equal(contact_check(), 0);
    assert_int_equal(q1("SELECT done FROM visit_count WHERE person_id = 10 AND month = 202603"), 4);
}

/* The demo bulk path: raw inserts, then one rebuild; the check passes. */
static void test_demo_bulk(void **state) {
    assert_int_equal(contact_demo_begin(), 0);
    assert_int_equal(db_begin(), 0);
    for (int i = 0; i < 500; i++) {
        ContactDemoVisit v = {10, 4, 21, 0, D("2026-04-01") + i % 14, 2, "入户", NULL, NULL, NULL, NULL, 0, 0};
        assert_int_equal(contact_demo_visits(&v, 1), 0);
    }
    assert_int_equal(contact_demo_assign_household(10, 21, 4, D("2026-04-01")), 0);
    assert_int_equal(db_commit(), 0);
    assert_int_equal(contact_demo_finish(), 0);
    assert_int_equal(q1("SELECT done FROM visit_count WHERE person_id = 10 AND month = 202604"), 500);
    assert_int_equal(q1("SELECT done FROM unit_month WHERE unit_id = 1 AND month = 202604"), 5 + 0);
    assert_int_equal(contact_check(), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_visits_and_rollup),
        cmocka_unit_test(test_void),
        cmocka_unit_test(test_tally_move),
        cmocka_unit_test(test_seat_change),
        cmocka_unit_test(test_guidance),
        cmocka_unit_test(test_check_finds_corruption),
        cmocka_unit_test(test_demo_bulk),
    };
    return cmocka_run_group_tests_name("contact_counters", tests, setup, teardown);
}
