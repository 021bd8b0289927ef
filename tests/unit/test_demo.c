/* test_demo.c — the living demo county: `zuwei demo --small --seed 7` forms a committee in every
 * group through the formation path, takes matters through every stage, writes visits and guidance
 * through the contact module's bulk path, and does it the same way twice; `zuwei check` agrees
 * with the result. ZUWEI_TODAY pins the day so both runs see the same calendar. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "contact/contact.h"
#include "demo/demo.h"
#include "org/org_auth.h"
#include "platform/buf.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[64];

/* Opens a new empty, migrated database with a key. */
static void fresh_db(void) {
    fixture_fresh_db(tmpdir);
}

static long long q(const char *sql) { return (long long)db_one_int(db_prep(sql), -1); }

/* Runs the small demo on a fresh database, checks what must hold of any run, and returns a
 * fingerprint of what was made (counts and a checksum over the visits). */
static char *run_demo(void) {
    fresh_db();
    char *argv[] = {"demo", "--small", "--seed", "7", NULL};
    assert_int_equal(cmd_demo(4, argv), 0);

    /* Every group has exactly one active committee, formed by a confirmed formation. */
    assert_int_equal(q("SELECT count(*) FROM unit g WHERE g.kind = 'group' AND (SELECT count(*) FROM committee c"
                       " WHERE c.unit_id = g.id AND c.ended_on IS NULL) != 1"), 0);
    assert_int_equal(q("SELECT count(*) FROM committee c JOIN formation f ON f.id = c.formation_id WHERE f.status = 'confirmed'"),
                     q("SELECT count(*) FROM committee"));
    /* One first formation missed its quorum and stayed a draft; sizes outside 3–5 carry a reason;
     * a village cadre sits with a reason; one member resigned and one was replaced (调配). */
    assert_true(q("SELECT count(*) FROM formation WHERE status = 'draft' AND 3 * present < 2 * eligible") >= 1);
    assert_true(q("SELECT count(*) FROM committee WHERE size_note != ''") >= 1);
    assert_true(q("SELECT count(*) FROM committee_member cm JOIN person p ON p.id = cm.person_id"
                  " WHERE p.flags & 32 AND cm.cadre_reason != ''") >= 1);
    assert_true(q("SELECT count(*) FROM committee_member WHERE end_reason = 'resigned'") >= 1);
    assert_true(q("SELECT count(*) FROM committee_member WHERE joined_how = 'assigned'") >= 1);
    /* Every party group is led by a party member of its own group. */
    assert_int_equal(q("SELECT count(*) FROM party_org o LEFT JOIN person p ON p.id = o.leader_person_id"
                       " WHERE o.kind = 'group' AND (p.id IS NULL OR p.unit_id != o.unit_id OR p.flags & 1 = 0)"), 0);
    /* Matters in stages 1–3 and done; failed votes name quorum and majority; one waits > 30 days. */
    assert_true(q("SELECT count(DISTINCT stage) FROM matter") == 5);
    assert_true(q("SELECT count(*) FROM vote WHERE result = 'failed' AND reason LIKE '%法定人数%'") >= 1);
    assert_true(q("SELECT count(*) FROM vote WHERE result = 'failed' AND reason LIKE '%表决未通过%'") >= 1);
    assert_true(q("SELECT count(*) FROM matter WHERE stage = 'decide' AND julianday('2025-06-01') - julianday(stage_since) > 30"
                  " AND NOT EXISTS (SELECT 1 FROM vote v WHERE v.matter_id = matter.id)") >= 1);
    assert_true(q("SELECT count(*) FROM group_rule") >= 3);
    /* Visits only while the member holds the seat, and many of them. */
    assert_true(q("SELECT count(*) FROM visit") > 1000);
    assert_int_equal(q("SELECT count(*) FROM visit v WHERE NOT EXISTS (SELECT 1 FROM committee_member cm WHERE cm.person_id ="
                       " v.member_id AND cm.start_date <= v.visited_on AND (cm.end_date IS NULL OR cm.end_date > v.visited_on))"), 0);
    assert_true(q("SELECT count(*) FROM guidance") > 10);
    /* The logins share one password hash, and each works with the demo password and was audited. */
    assert_int_equal(q("SELECT count(*) FROM user"), 6);
    assert_int_equal(q("SELECT count(DISTINCT password_hash) FROM user"), 1);
    assert_true(user_password_matches(q("SELECT id FROM user WHERE username = 'demo_admin'"), "Zuwei-demo-2024"));
    assert_true(user_password_matches(q("SELECT id FROM user WHERE username = 'demo_villager'"), "Zuwei-demo-2024"));
    assert_false(user_password_matches(q("SELECT id FROM user WHERE username = 'demo_villager'"), "Zuwei-demo-2025"));
    assert_int_equal(q("SELECT count(*) FROM audit WHERE action = 'create' AND entity = 'user'"), 6);
    /* visit_recent, dropped for the bulk load, is back as the migration made it. */
    assert_int_equal(q("SELECT count(*) FROM sqlite_schema WHERE name = 'visit_recent'"
                       " AND sql = 'CREATE INDEX visit_recent ON visit (visited_on, id, unit_id, void_at, duties)'"), 1);
    assert_int_equal(q("PRAGMA foreign_keys"), 1);
    /* One audit entry per part, and `zuwei check` (audit chain, database, contact counters) agrees. */
    assert_int_equal(q("SELECT count(*) FROM audit WHERE action = 'demo'"), 4);
    assert_int_equal(contact_check(), 0);
    char *check[] = {"check", NULL};
    assert_int_equal(cmd_check(1, check), 0);

    Buf b = BUF_INIT;
    buf_printf(&b, "committees %lld members %lld formations %lld | matters", q("SELECT count(*) FROM committee"),
               q("SELECT count(*) FROM committee_member"), q("SELECT count(*) FROM formation"));
    Stmt *st = db_prep("SELECT stage, count(*) FROM matter GROUP BY stage ORDER BY stage");
    while (db_step(st) == SQLITE_ROW) buf_printf(&b, " %s=%lld", db_col_text(st, 0), (long long)db_col_int(st, 1));
    sqlite3_reset(st);
    buf_printf(&b, " | votes %lld meetings %lld | visits %lld sum %lld guidance %lld assignments %lld",
               q("SELECT count(*) FROM vote"), q("SELECT count(*) FROM meeting"), q("SELECT count(*) FROM visit"),
               q("SELECT sum(member_id * 7 + household_id * 13 + julianday(visited_on) + duties) % 1000000007 FROM visit"),
               q("SELECT count(*) FROM guidance"), q("SELECT count(*) FROM visit_assignment"));
    return b.p;
}

static void test_demo_same_seed_same_county(void **state) {
    char *a = run_demo(), *b = run_demo();
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* The index definitions of visit and guidance, one per line in name order, into a new string. */
static char *contact_indexes(void) {
    Buf b = BUF_INIT;
    Stmt *st = db_prep("SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('visit', 'guidance')"
                       " ORDER BY name");
    while (db_step(st) == SQLITE_ROW) buf_printf(&b, "%s: %s\n", db_col_text(st, 0), db_col_text(st, 1));
    sqlite3_reset(st);
    return b.p;
}

/* The contact part drops the indexes of visit and guidance for its bulk load and creates them
 * again as the migration made them; the database is back in WAL mode and can be checkpointed;
 * every visit carries its creation time in the column default's format. */
static void test_demo_contact_indexes_back(void **state) {
    fresh_db();
    char *before = contact_indexes();
    assert_non_null(strstr(before, "visit_recent: CREATE INDEX visit_recent"));
    assert_non_null(strstr(before, "guidance_quarter: CREATE INDEX guidance_quarter"));
    char *argv[] = {"demo", "--small", "--seed", "7", NULL};
    assert_int_equal(cmd_demo(4, argv), 0);
    /* First thing after the demo, as `zuwei` does on exit. */
    assert_int_equal(sqlite3_exec(db_conn(), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), SQLITE_OK);
    char *after = contact_indexes();
    assert_string_equal(before, after);
    Stmt *st = db_prep("PRAGMA journal_mode");
    assert_int_equal(db_step(st), SQLITE_ROW);
    assert_string_equal(db_col_text(st, 0), "wal");
    sqlite3_reset(st);
    assert_true(q("SELECT count(*) FROM visit") > 1000);
    assert_int_equal(q("SELECT count(*) FROM visit WHERE created_at NOT GLOB"
                       " '20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'"), 0);
    assert_int_equal(q("SELECT count(*) FROM visit WHERE julianday('now') - julianday(created_at) NOT BETWEEN -0.001 AND 0.01"), 0);
    free(before);
    free(after);
}

/* An index whose definition differs from the migration's (as a later migration might leave it) is
 * not dropped and rebuilt under its old definition: it stays as it is, kept up row by row, and the
 * counters still agree with the rows. */
static void test_demo_contact_changed_index_kept(void **state) {
    fresh_db();
    assert_int_equal(sqlite3_exec(db_conn(), "DROP INDEX visit_unit; CREATE INDEX visit_unit ON visit (unit_id)", NULL, NULL, NULL),
                     SQLITE_OK);
    char *before = contact_indexes();
    char *argv[] = {"demo", "--small", "--seed", "7", NULL};
    assert_int_equal(cmd_demo(4, argv), 0);
    char *after = contact_indexes();
    assert_string_equal(before, after);
    assert_non_null(strstr(after, "visit_unit: CREATE INDEX visit_unit ON visit (unit_id)\n"));
    assert_int_equal(q("SELECT count(*) FROM visit INDEXED BY visit_unit WHERE unit_id > 0"), q("SELECT count(*) FROM visit"));
    assert_int_equal(contact_check(), 0);
    free(before);
    free(after);
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/zuwei-test-demo-XXXXXX");
    if (!mkdtemp(tmpdir)) return 1;
    setenv("ZUWEI_TODAY", "2025-06-01", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_same_seed_same_county),
        cmocka_unit_test(test_demo_contact_indexes_back),
        cmocka_unit_test(test_demo_contact_changed_index_kept),
    };
    int rc = cmocka_run_group_tests_name("demo", tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0) rc = rc ? rc : 1;
    return rc;
}
