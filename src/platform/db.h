/* db.h — the SQLite store: one connection per worker thread, cached statements, named binding.
 *
 * Every thread that touches the database gets its own connection on first use (WAL mode, foreign
 * keys on, a busy timeout, synchronous=NORMAL). Statements are prepared once per connection and
 * reused: db_prep() takes the SQL text, which must be a string literal (the lint checks), and
 * returns the cached statement reset and with its bindings cleared. Parameters are bound by name
 * only (:name) — SQL is never assembled from strings. Errors are returned, never fatal: a database
 * error in one request must not take the server down. */
#ifndef ZW_DB_H
#define ZW_DB_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef sqlite3_stmt Stmt;

/* Sets the database file every thread will open. Call once before any other db_ function. */
void db_configure(const char *path);
const char *db_path(void);
/* Returns this thread's connection, opening it if needed; NULL when it cannot be opened. */
sqlite3 *db_conn(void);
/* Closes this thread's connection and its cached statements. */
void db_close_thread(void);
/* Gives back the memory of this thread's page cache (a thread that read much once and rests).
 * Not a close: closing a WAL connection takes the database's exclusive lock for a moment, and
 * another process reading without a busy timeout (the sqlite3 shell) is refused meanwhile. */
void db_release_memory(void);

/* Returns the cached statement for `sql`, reset, or NULL on error (logged). */
Stmt *db_prep(const char *sql);
/* Binds by parameter name (":unit"). A name the statement does not have is a programming error:
 * it is logged and the statement will fail to run. */
void db_bind_text(Stmt *st, const char *name, const char *value);
void db_bind_textn(Stmt *st, const char *name, const char *value, int n);
void db_bind_int(Stmt *st, const char *name, int64_t value);
void db_bind_null(Stmt *st, const char *name);
/* Binds the n ids as a JSON array ("[3,1,2]"), for a statement that reads rows by id in one go
 * through json_each(:name). */
void db_bind_ids(Stmt *st, const char *name, const int64_t *ids, int n);
void db_bind_blob(Stmt *st, const char *name, const void *data, int n);
/* Steps once: returns SQLITE_ROW, SQLITE_DONE, or an error code (logged). */
int db_step(Stmt *st);
/* Runs a statement to completion and resets it; returns 0 or an SQLite error code. */
int db_exec(Stmt *st);
/* Runs a statement that returns one integer; returns `dflt` when there is no row or on error. */
int64_t db_one_int(Stmt *st, int64_t dflt);

const char *db_col_text(Stmt *st, int col);   /* "" for NULL */
int64_t db_col_int(Stmt *st, int col);
bool db_col_null(Stmt *st, int col);

/* Transactions. db_begin starts BEGIN IMMEDIATE (writers queue up front instead of failing on
 * upgrade); nesting is not supported. Return 0 or an SQLite error code. */
int db_begin(void);
int db_commit(void);
void db_rollback(void);
bool db_in_tx(void);

/* For one transaction that writes mostly new pages (a bulk load, `zuwei demo`): with `on` the
 * connection leaves WAL for a rollback journal, which copies only the few existing pages the
 * transaction changes, where WAL writes every page twice (into the WAL, then by the checkpoint into
 * the database); a crash still rolls the whole transaction back. And its temporary store goes to a
 * file: with it in memory SQLite's sorter (CREATE INDEX) allocates every key on its own, with a
 * file it packs them into runs of the page cache's size (~15% off an index build). Call outside a
 * transaction, with false again afterwards. When another connection has the database open the
 * journal stays WAL. */
void db_bulk_mode(bool on);

/* Read snapshots. A GET opens one (deferred BEGIN) so that all its statements share one read
 * transaction: one WAL read lock per request instead of one per statement, and a consistent view.
 * Any writing statement, or db_begin, ends the snapshot first; db_snapshot_end is a no-op when
 * none is open. */
void db_snapshot_begin(void);
void db_snapshot_end(void);

int64_t db_last_id(void);
int db_changes(void);
const char *db_errmsg(void);

/* Applies embedded migrations (src/migrations/NNN_name.sql) newer than the database's
 * user_version, each in its own transaction. Returns 0, or -1 with a message in err (including
 * "database is newer than this binary"). */
int db_migrate(char *err, size_t errsz);
/* Highest migration number embedded in this binary. */
int db_schema_version_known(void);
int db_schema_version(void);
/* Checkpoints the WAL into the main file (used at shutdown and by backup). */
void db_checkpoint(void);

/* Total statements executed, for /metrics. */
uint64_t db_statement_count(void);

/* Protected tables: writes to a table listed with db_protect() are refused by an SQLite authorizer
 * unless the calling code holds its key (db_unlock/db_relock around the write). Defence in depth:
 * a bug elsewhere cannot rewrite logins or the audit log. */
void db_protect(const char *table, int key);
/* Grants this thread the key until db_relock(previous); returns the key held before. */
int db_unlock(int key);
void db_relock(int previous);

#endif
