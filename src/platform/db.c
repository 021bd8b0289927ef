/* db.c — per-thread SQLite connections, the statement cache, transactions, migrations and the
 * protected-table authorizer (see db.h). */
#include "platform/db.h"
#include "platform/buf.h"
#include "platform/embed.h"
#include "platform/log.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *g_path;
static _Atomic uint64_t g_statements;

enum { CACHE_SLOTS = 512 };           /* power of two; a connection uses a few hundred statements */

typedef struct Conn {
    sqlite3 *db;
    const char *sql[CACHE_SLOTS];     /* keyed by the literal's address, then compared by text */
    Stmt *st[CACHE_SLOTS];
    int key[CACHE_SLOTS];             /* the protected-table key held when a writing statement was prepared */
    bool in_tx;
    bool in_snapshot;                 /* a deferred read transaction opened by db_snapshot_begin */
    int unlocked;                     /* key of the protected tables this thread may write now */
} Conn;

static __thread Conn *tls;

/* Protected tables: name → key. Set at start-up only, read by every connection's authorizer. */
enum { MAX_PROTECTED = 16 };
typedef struct Protected { const char *table; int key; } Protected;
static Protected protected_tables[MAX_PROTECTED];
static int nprotected;

void db_configure(const char *path) {
    /* Memory statistics take one process-wide mutex on every SQLite allocation, which the worker
     * threads fight over; we never read them. Only possible before the first connection opens. */
    static bool configured;
    if (!configured) sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    configured = true;
    free(g_path);
    g_path = xstrdup(path);
}

const char *db_path(void) { return g_path; }

void db_protect(const char *table, int key) {
    for (int i = 0; i < nprotected; i++)
        if (strcmp(protected_tables[i].table, table) == 0) return;
    if (nprotected < MAX_PROTECTED) protected_tables[nprotected++] = (Protected){table, key};
}

int db_unlock(int key) {
    if (!db_conn()) return 0;
    int prev = tls->unlocked;
    tls->unlocked = key;
    return prev;
}

void db_relock(int previous) { if (tls) tls->unlocked = previous; }

/* The authorizer: refuses INSERT/UPDATE/DELETE on a protected table unless this connection holds
 * that table's key at the moment the statement is prepared or run. */
static int authorizer(void *ud, int action, const char *a1, const char *a2, const char *a3, const char *a4) {
    Conn *c = ud;
    const char *table = NULL;
    if (action == SQLITE_INSERT || action == SQLITE_DELETE) table = a1;
    else if (action == SQLITE_UPDATE) table = a1;
    if (!table) return SQLITE_OK;
    for (int i = 0; i < nprotected; i++)
        if (strcmp(protected_tables[i].table, table) == 0)
            return c->unlocked == protected_tables[i].key ? SQLITE_OK : SQLITE_DENY;
    return SQLITE_OK;
}

static int exec_literal(sqlite3 *db, const char *sql) {
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) log_error("sqlite: %s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return rc;
}

static pthread_key_t conn_key;
static pthread_once_t conn_key_once = PTHREAD_ONCE_INIT;

/* Closes a connection: its cached statements, then the database handle. */
static void conn_free(void *p) {
    Conn *c = p;
    for (int i = 0; i < CACHE_SLOTS; i++) sqlite3_finalize(c->st[i]);
    sqlite3_close(c->db);
    free(c);
}

/* Worker threads end without calling db_close_thread (the HTTP library owns them): the key's
 * destructor closes their connections when they exit. */
static void make_conn_key(void) { pthread_key_create(&conn_key, conn_free); }

sqlite3 *db_conn(void) {
    if (tls) return tls->db;
    if (!g_path) return NULL;
    sqlite3 *db;
    int rc = sqlite3_open_v2(g_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        log_error("cannot open database %s: %s", g_path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    /* A 32 MiB page cache per connection holds a county's hot pages. No mmap: with one connection
     * per thread, every commit made SQLite unmap and re-fault the other connections' maps, which
     * took half the CPU of a visit-recording run (docs/decisions/0003-no-mmap.md). */
    if (exec_literal(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                         "PRAGMA cache_size=-32768; PRAGMA mmap_size=0; PRAGMA temp_store=MEMORY;") != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    tls = xmalloc(sizeof *tls);
    memset(tls, 0, sizeof *tls);
    tls->db = db;
    sqlite3_set_authorizer(db, authorizer, tls);
    pthread_once(&conn_key_once, make_conn_key);
    pthread_setspecific(conn_key, tls);
    return db;
}

void db_close_thread(void) {
    if (!tls) return;
    db_rollback();   /* a transaction left open (a failed test's early return) must free the writers' lock */
    pthread_setspecific(conn_key, NULL);
    conn_free(tls);
    tls = NULL;
}

static uint32_t ptr_hash(const void *p) {
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= 0xed5ad4bbU;
    x ^= x >> 11;
    return (uint32_t)x;
}

/* Prepares sql on this thread's connection; the authorizer runs now, under the key held now. */
static Stmt *prepare(const char *sql) {
    Stmt *st = NULL;
    if (sqlite3_prepare_v3(tls->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        log_error("sqlite prepare: %s in: %.200s", sqlite3_errmsg(tls->db), sql);
        return NULL;
    }
    return st;
}

Stmt *db_prep(const char *sql) {
    if (!db_conn()) return NULL;
    uint32_t i = ptr_hash(sql) & (CACHE_SLOTS - 1);
    for (uint32_t probes = 0; probes < CACHE_SLOTS; probes++, i = (i + 1) & (CACHE_SLOTS - 1)) {
        if (tls->sql[i] == sql) {
            Stmt *st = tls->st[i];
            /* Same address, other text: SQL that was not a literal (the lint forbids it) and whose
             * buffer was reused. Never run the wrong statement: prepare this one in its place. */
            if (strcmp(sqlite3_sql(st), sql) != 0) {
                Stmt *fresh = prepare(sql);
                if (!fresh) return NULL;
                sqlite3_finalize(st);
                tls->st[i] = st = fresh;
                tls->key[i] = tls->unlocked;
            }
            /* A writing statement authorised under one key must not run under another: the
             * authorizer only looks at statements when they are prepared, so prepare it again. */
            if (tls->key[i] != tls->unlocked && !sqlite3_stmt_readonly(st)) {
                Stmt *fresh = prepare(sql);
                if (!fresh) return NULL;
                sqlite3_finalize(st);
                tls->st[i] = st = fresh;
                tls->key[i] = tls->unlocked;
            }
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            atomic_fetch_add_explicit(&g_statements, 1, memory_order_relaxed);
            return st;
        }
        if (!tls->sql[i]) break;
    }
    Stmt *st = prepare(sql);
    if (!st) return NULL;
    if (!tls->sql[i]) {
        tls->sql[i] = sql;
        tls->st[i] = st;
        tls->key[i] = tls->unlocked;
    } else {
        log_error("statement cache full");   /* still usable, but leaks until thread exit */
    }
    atomic_fetch_add_explicit(&g_statements, 1, memory_order_relaxed);
    return st;
}

static int param_index(Stmt *st, const char *name) {
    int i = sqlite3_bind_parameter_index(st, name);
    if (i == 0) log_error("no parameter %s in: %.120s", name, sqlite3_sql(st));
    return i;
}

void db_bind_text(Stmt *st, const char *name, const char *v) {
    if (!st) return;
    int i = param_index(st, name);
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, i);
}

void db_bind_textn(Stmt *st, const char *name, const char *v, int n) {
    if (!st) return;
    sqlite3_bind_text(st, param_index(st, name), v, n, SQLITE_TRANSIENT);
}

void db_bind_int(Stmt *st, const char *name, int64_t v) {
    if (st) sqlite3_bind_int64(st, param_index(st, name), v);
}

void db_bind_null(Stmt *st, const char *name) {
    if (st) sqlite3_bind_null(st, param_index(st, name));
}

void db_bind_ids(Stmt *st, const char *name, const int64_t *ids, int n) {
    if (!st) return;
    Buf list = BUF_INIT;
    buf_putc(&list, '[');
    for (int i = 0; i < n; i++) {
        if (i) buf_putc(&list, ',');
        buf_put_int(&list, ids[i]);
    }
    buf_putc(&list, ']');
    sqlite3_bind_text(st, param_index(st, name), list.p, (int)list.len, SQLITE_TRANSIENT);
    buf_free(&list);
}

void db_bind_blob(Stmt *st, const char *name, const void *data, int n) {
    if (st) sqlite3_bind_blob(st, param_index(st, name), data, n, SQLITE_TRANSIENT);
}

int db_step(Stmt *st) {
    if (!st) return SQLITE_MISUSE;
    if (tls && tls->in_snapshot && !sqlite3_stmt_readonly(st)) db_snapshot_end();
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        log_error("sqlite step: %s in: %.200s", sqlite3_errmsg(sqlite3_db_handle(st)), sqlite3_sql(st));
    return rc;
}

int db_exec(Stmt *st) {
    if (!st) return SQLITE_MISUSE;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {}
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : rc;
}

int64_t db_one_int(Stmt *st, int64_t dflt) {
    int64_t v = dflt;
    if (db_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) v = sqlite3_column_int64(st, 0);
    if (st) sqlite3_reset(st);
    return v;
}

const char *db_col_text(Stmt *st, int col) {
    const unsigned char *s = sqlite3_column_text(st, col);
    return s ? (const char *)s : "";
}

int64_t db_col_int(Stmt *st, int col) { return sqlite3_column_int64(st, col); }
bool db_col_null(Stmt *st, int col) { return sqlite3_column_type(st, col) == SQLITE_NULL; }

/* Writers of this process queue on a mutex before BEGIN IMMEDIATE: SQLite's busy handler would
 * make a waiting writer sleep 1, 2, 5, 10 ms…, which shows in the tail latency of field writes
 * (measured in bench/RESULTS.md). Other processes (the CLI) still meet the busy timeout. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

int db_begin(void) {
    if (!db_conn()) return SQLITE_CANTOPEN;
    db_snapshot_end();
    pthread_mutex_lock(&write_lock);
    int rc = db_exec(db_prep("BEGIN IMMEDIATE"));
    if (rc == 0) tls->in_tx = true;
    else pthread_mutex_unlock(&write_lock);
    return rc;
}

int db_commit(void) {
    int rc = db_exec(db_prep("COMMIT"));
    if (rc != 0) {
        db_rollback();
        return rc;
    }
    tls->in_tx = false;
    pthread_mutex_unlock(&write_lock);
    return 0;
}

void db_rollback(void) {
    if (!tls || !tls->in_tx) return;
    /* ROLLBACK must not be refused by a busy statement: reset everything first. */
    for (Stmt *st = NULL; (st = sqlite3_next_stmt(tls->db, st));) sqlite3_reset(st);
    exec_literal(tls->db, "ROLLBACK");
    tls->in_tx = false;
    pthread_mutex_unlock(&write_lock);
}

bool db_in_tx(void) { return tls && tls->in_tx; }

void db_bulk_mode(bool on) {
    sqlite3 *db = db_conn();
    if (!db || db_in_tx()) return;
    exec_literal(db, on ? "PRAGMA main.journal_mode = DELETE; PRAGMA temp_store = FILE"
                        : "PRAGMA main.journal_mode = WAL; PRAGMA temp_store = MEMORY");
    /* A read opens the WAL again; without it a later wal_checkpoint on this connection fails
     * ("database table is locked"). */
    if (!on) db_one_int(db_prep("SELECT count(*) FROM sqlite_schema"), 0);
}

void db_release_memory(void) {
    if (tls) sqlite3_db_release_memory(tls->db);
}

void db_snapshot_begin(void) {
    if (!db_conn() || tls->in_tx || tls->in_snapshot) return;
    tls->in_snapshot = db_exec(db_prep("BEGIN")) == 0;
}

/* COMMIT of a read transaction cannot fail on pending reads: a statement still stepping keeps its
 * read lock until it is reset, as it would in autocommit mode. */
void db_snapshot_end(void) {
    if (!tls || !tls->in_snapshot) return;
    tls->in_snapshot = false;
    if (db_exec(db_prep("COMMIT")) != 0) {   /* not expected; but never keep an old snapshot open */
        for (Stmt *st = NULL; (st = sqlite3_next_stmt(tls->db, st));) sqlite3_reset(st);
        exec_literal(tls->db, "ROLLBACK");
    }
}

int64_t db_last_id(void) { return tls ? sqlite3_last_insert_rowid(tls->db) : 0; }
int db_changes(void) { return tls ? sqlite3_changes(tls->db) : 0; }
const char *db_errmsg(void) { return tls ? sqlite3_errmsg(tls->db) : "no connection"; }
uint64_t db_statement_count(void) { return atomic_load(&g_statements); }

void db_checkpoint(void) {
    if (db_conn()) exec_literal(tls->db, "PRAGMA wal_checkpoint(TRUNCATE)");
}

/* ---------------------------------------------------------------------------------------------
 * Migrations */

/* Returns the migration number of an embedded file name like "src/migrations/012_org.sql", or -1
 * when the name is not a migration. */
static int migration_number(const char *name) {
    const char *prefix = "src/migrations/";
    size_t pl = strlen(prefix);
    if (strncmp(name, prefix, pl) != 0) return -1;
    const char *p = name + pl;
    int n = 0, digits = 0;
    while (*p >= '0' && *p <= '9') { n = n * 10 + (*p++ - '0'); digits++; }
    if (digits != 3 || *p != '_') return -1;
    size_t len = strlen(name);
    if (len < 4 || strcmp(name + len - 4, ".sql") != 0) return -1;
    return n;
}

int db_schema_version_known(void) {
    int max = 0;
    for (const EmbeddedFile *f = embedded_files; f->name; f++) {
        int n = migration_number(f->name);
        if (n > max) max = n;
    }
    return max;
}

int db_schema_version(void) {
    if (!db_conn()) return -1;
    return (int)db_one_int(db_prep("PRAGMA user_version"), -1);
}

/* Finds the embedded migration with number n, or NULL. */
static const EmbeddedFile *migration(int n) {
    for (const EmbeddedFile *f = embedded_files; f->name; f++)
        if (migration_number(f->name) == n) return f;
    return NULL;
}

int db_migrate(char *err, size_t errsz) {
    sqlite3 *db = db_conn();
    if (!db) { snprintf(err, errsz, "cannot open database %s", g_path ? g_path : "(none)"); return -1; }
    int have = db_schema_version(), known = db_schema_version_known();
    if (have > known) {
        snprintf(err, errsz, "database schema version %d is newer than this binary knows (%d): upgrade zuwei first",
                 have, known);
        return -1;
    }
    for (int n = have + 1; n <= known; n++) {
        const EmbeddedFile *f = migration(n);
        if (!f) { snprintf(err, errsz, "migration %03d is missing from the binary", n); return -1; }
        char *msg = NULL;
        Buf sql = BUF_INIT;
        /* user_version is set inside the same transaction, so a crash leaves either both or neither. */
        buf_puts(&sql, "BEGIN IMMEDIATE;\n");
        buf_append(&sql, f->data, embed_size(f));
        buf_printf(&sql, "\n;PRAGMA user_version=%d;\nCOMMIT;", n); /* lint:sql-ok: a number, not input */
        int rc = sqlite3_exec(db, sql.p, NULL, NULL, &msg);
        buf_free(&sql);
        if (rc != SQLITE_OK) {
            snprintf(err, errsz, "migration %s failed: %s", f->name, msg ? msg : sqlite3_errstr(rc));
            sqlite3_free(msg);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}
