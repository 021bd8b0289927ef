/* test_migrate.c -- unit tests for migrations, the statement cache and protected tables
 * (src/platform/db.c), each on a fresh temporary database file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "platform/db.h"
#include "platform/embed.h"

typedef struct TmpDb {
    char dir[64];
    char path[96];
} TmpDb;

/* Makes a temporary directory and points the store at a database file in it. */
static int setup(void **state) {
    TmpDb *t = calloc(1, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/zw-migrate-XXXXXX");
    if (!mkdtemp(t->dir)) return -1;
    snprintf(t->path, sizeof t->path, "%s/test.db", t->dir);
    db_close_thread();
    db_configure(t->path);
    *state = t;
    return 0;
}

/* Closes the connection and removes the database with its WAL files and the directory. */
static int teardown(void **state) {
    TmpDb *t = *state;
    db_close_thread();
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s%s", t->path, suffix[i]);
        unlink(p);
    }
    rmdir(t->dir);
    free(t);
    return 0;
}

/* Returns the user_version read with a raw query, independently of db_schema_version(). */
static int raw_user_version(void) {
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db_conn(), "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Returns whether a table of that name exists. */
static bool table_exists(const char *name) {
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db_conn(), "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    bool yes = sqlite3_column_int(st, 0) == 1;
    sqlite3_finalize(st);
    return yes;
}

/* Runs SQL on this thread's connection and fails the test if it does not succeed. */
static void must_exec(const char *sql) {
    char *msg = NULL;
    if (sqlite3_exec(db_conn(), sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* The embedded migrations are numbered 001..known without gaps or duplicates. */
static void test_embedded_numbering(void **state) {
    int known = db_schema_version_known();
    assert_true(known >= 1);
    int seen[1000] = {0};
    const char *prefix = "src/migrations/";
    for (const EmbeddedFile *f = embedded_files; f->name; f++) {
        if (strncmp(f->name, prefix, strlen(prefix)) != 0) continue;
        const char *base = f->name + strlen(prefix);
        if (strlen(base) < 9 || base[3] != '_' || strcmp(base + strlen(base) - 4, ".sql") != 0) continue;
        int n = atoi(base);
        assert_true(n >= 1 && n <= known);
        seen[n]++;
        assert_true(embed_size(f) > 0);
    }
    for (int n = 1; n <= known; n++)
        if (seen[n] != 1) fail_msg("migration %03d embedded %d times", n, seen[n]);
}

/* A fresh database gets every migration: user_version equals the highest known number and the
 * tables of 001 exist with their seed row. */
static void test_fresh_migrate(void **state) {
    char err[256] = "";
    assert_non_null(db_conn());
    assert_int_equal(raw_user_version(), 0);
    assert_false(table_exists("setting"));
    if (db_migrate(err, sizeof err) != 0) fail_msg("migrate: %s", err);
    assert_int_equal(raw_user_version(), db_schema_version_known());
    assert_int_equal(db_schema_version(), db_schema_version_known());
    assert_true(table_exists("setting"));
    assert_true(table_exists("instance"));
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM instance WHERE id = 1"), -1), 1);
    assert_false(db_in_tx());
}

/* Running the migrations again changes nothing: no error, same version, data kept. */
static void test_migrate_again_is_noop(void **state) {
    char err[256] = "";
    assert_int_equal(db_migrate(err, sizeof err), 0);
    must_exec("INSERT INTO setting (key, value) VALUES ('k', 'v')");
    int before = raw_user_version();
    if (db_migrate(err, sizeof err) != 0) fail_msg("second migrate: %s", err);
    assert_int_equal(raw_user_version(), before);
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM setting WHERE key = 'k'"), -1), 1);
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM instance"), -1), 1);
    /* And again on a new connection to the same file. */
    db_close_thread();
    assert_int_equal(db_migrate(err, sizeof err), 0);
    assert_int_equal(raw_user_version(), before);
}

/* Only migrations newer than user_version run: a database at version 1 (001 applied by hand)
 * is brought up to date without 001 being run a second time. */
static void test_migrate_from_version_one(void **state) {
    const EmbeddedFile *m1 = embed_find("src/migrations/001_platform.sql");
    assert_non_null(m1);
    must_exec((const char *)m1->data);
    must_exec("PRAGMA user_version = 1");
    char err[256] = "";
    if (db_migrate(err, sizeof err) != 0) fail_msg("migrate from 1: %s", err);
    assert_int_equal(raw_user_version(), db_schema_version_known());
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM instance"), -1), 1);
}

/* A database from a newer binary (higher user_version) is refused and left untouched. */
static void test_newer_database_refused(void **state) {
    int newer = db_schema_version_known() + 1;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", newer);
    must_exec(sql);
    char err[256] = "";
    assert_int_equal(db_migrate(err, sizeof err), -1);
    assert_non_null(strstr(err, "newer"));
    assert_int_equal(raw_user_version(), newer);
    assert_false(table_exists("setting"));
}

/* db_prep returns the same cached statement for the same literal, reset and with bindings
 * cleared; a different literal gets a different statement. */
static void test_statement_cache(void **state) {
    char err[256];
    assert_int_equal(db_migrate(err, sizeof err), 0);
    must_exec("CREATE TABLE probe (key TEXT PRIMARY KEY); INSERT INTO probe (key) VALUES ('a'), ('b')");
    static const char q[] = "SELECT key FROM probe WHERE key >= :k ORDER BY key";
    Stmt *s1 = db_prep(q);
    assert_non_null(s1);
    db_bind_text(s1, ":k", "a");
    assert_int_equal(db_step(s1), SQLITE_ROW);
    assert_string_equal(db_col_text(s1, 0), "a");
    uint64_t count = db_statement_count();
    Stmt *s2 = db_prep(q);
    assert_ptr_equal(s1, s2);
    assert_int_equal(db_statement_count(), count + 1);
    /* Reset and cleared: an unbound :k is NULL, so no row compares >= it. */
    assert_int_equal(db_step(s2), SQLITE_DONE);
    s2 = db_prep(q);
    db_bind_text(s2, ":k", "b");
    assert_int_equal(db_step(s2), SQLITE_ROW);
    assert_string_equal(db_col_text(s2, 0), "b");
    Stmt *other = db_prep("SELECT count(*) FROM probe");
    assert_non_null(other);
    assert_ptr_not_equal(other, s1);
    assert_int_equal(db_one_int(other, -1), 2);
    assert_null(db_prep("SELECT * FROM no_such_table"));
}

enum { KEY_GUARD = 7, KEY_OTHER = 8 };

/* Writes to a protected table are refused unless its key is held; reads are always allowed. */
static void test_protected_table(void **state) {
    must_exec("CREATE TABLE guarded (x INTEGER)");
    must_exec("CREATE TABLE open_table (x INTEGER)");
    db_protect("guarded", KEY_GUARD);
    sqlite3 *db = db_conn();
    /* Without the key: refused at prepare time. */
    assert_null(db_prep("INSERT INTO guarded (x) VALUES (1)"));
    assert_int_not_equal(sqlite3_exec(db, "INSERT INTO guarded (x) VALUES (2)", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE guarded SET x = 3", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM guarded", NULL, NULL, NULL), SQLITE_OK);
    /* The wrong key does not open it. */
    int prev = db_unlock(KEY_OTHER);
    assert_int_equal(prev, 0);
    assert_int_not_equal(sqlite3_exec(db, "INSERT INTO guarded (x) VALUES (4)", NULL, NULL, NULL), SQLITE_OK);
    db_relock(prev);
    /* Other tables are not affected. */
    assert_int_equal(db_exec(db_prep("INSERT INTO open_table (x) VALUES (1)")), 0);
    /* With the key: allowed; unlocking reports the key held before, relocking restores it. */
    prev = db_unlock(KEY_GUARD);
    assert_int_equal(db_exec(db_prep("INSERT INTO guarded (x) VALUES (5)")), 0);
    int inner = db_unlock(KEY_OTHER);
    assert_int_equal(inner, KEY_GUARD);
    assert_int_not_equal(sqlite3_exec(db, "INSERT INTO guarded (x) VALUES (8)", NULL, NULL, NULL), SQLITE_OK);
    db_relock(inner);
    assert_int_equal(sqlite3_exec(db, "UPDATE guarded SET x = 6 WHERE x = 5", NULL, NULL, NULL), SQLITE_OK);
    db_relock(prev);
    assert_int_not_equal(sqlite3_exec(db, "INSERT INTO guarded (x) VALUES (7)", NULL, NULL, NULL), SQLITE_OK);
    /* Reading stays possible while locked. */
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM guarded WHERE x = 6"), -1), 1);
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM guarded"), -1), 1);
}

/* Inserts one row into snap_t through a connection of its own, as another thread or process would. */
static void other_writer_inserts(const char *path) {
    sqlite3 *other;
    assert_int_equal(sqlite3_open_v2(path, &other, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(other, 2000);
    assert_int_equal(sqlite3_exec(other, "INSERT INTO snap_t (x) VALUES (9)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);
}

static int64_t snap_rows(void) { return db_one_int(db_prep("SELECT count(*) FROM snap_t"), -1); }

/* A snapshot reads one version of the database until it ends; a write or db_begin inside it ends
 * it first and succeeds although another connection wrote since the snapshot began; a statement
 * still stepping when the snapshot ends goes on returning its rows. */
static void test_read_snapshot(void **state) {
    TmpDb *t = *state;
    must_exec("PRAGMA journal_mode=WAL");
    must_exec("CREATE TABLE snap_t (x INTEGER)");
    must_exec("INSERT INTO snap_t (x) VALUES (1)");
    db_snapshot_begin();
    assert_int_equal(snap_rows(), 1);
    other_writer_inserts(t->path);
    assert_int_equal(snap_rows(), 1);          /* the snapshot does not see the other write */
    db_snapshot_end();
    assert_int_equal(snap_rows(), 2);

    db_snapshot_begin();
    assert_int_equal(snap_rows(), 2);
    other_writer_inserts(t->path);
    assert_int_equal(db_exec(db_prep("INSERT INTO snap_t (x) VALUES (2)")), 0);   /* no SQLITE_BUSY_SNAPSHOT */
    assert_int_equal(snap_rows(), 4);
    db_snapshot_end();

    db_snapshot_begin();
    assert_int_equal(snap_rows(), 4);
    other_writer_inserts(t->path);
    assert_int_equal(db_begin(), 0);
    assert_int_equal(db_exec(db_prep("INSERT INTO snap_t (x) VALUES (3)")), 0);
    assert_int_equal(db_commit(), 0);
    assert_int_equal(snap_rows(), 6);

    db_snapshot_begin();
    Stmt *st = db_prep("SELECT x FROM snap_t ORDER BY rowid");
    assert_int_equal(db_step(st), SQLITE_ROW);
    db_snapshot_end();
    int more = 0;
    while (db_step(st) == SQLITE_ROW) more++;
    sqlite3_reset(st);
    assert_int_equal(more, 5);
    db_snapshot_end();                          /* a second end is harmless */
    assert_false(db_in_tx());
}

/* Runs the migrate tests. */
int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedded_numbering),
        cmocka_unit_test_setup_teardown(test_fresh_migrate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_again_is_noop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_from_version_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_database_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statement_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_protected_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_snapshot, setup, teardown),
    };
    return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
