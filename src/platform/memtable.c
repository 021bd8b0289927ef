/* memtable.c — rows in memory as an eponymous virtual table (see memtable.h). */
#include "platform/memtable.h"
#include <string.h>

typedef struct MemVtab { sqlite3_vtab base; const MemTable *t; } MemVtab;
typedef struct MemCursor { sqlite3_vtab_cursor base; const MemSource *src; size_t at; } MemCursor;

/* Declares the columns of the table given as aux and allocates it. */
static int mt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
    const MemTable *t = aux;
    int rc = sqlite3_declare_vtab(db, t->schema);
    if (rc != SQLITE_OK) return rc;
    MemVtab *vt = sqlite3_malloc(sizeof *vt);
    if (!vt) return SQLITE_NOMEM;
    memset(vt, 0, sizeof *vt);
    vt->t = t;
    *out = &vt->base;
    return SQLITE_OK;
}

/* Frees the table. */
static int mt_disconnect(sqlite3_vtab *vt) {
    sqlite3_free(vt);
    return SQLITE_OK;
}

/* Only a scan given its source (src = :src) can run. */
static int mt_best_index(sqlite3_vtab *vt, sqlite3_index_info *ii) {
    int src_col = ((MemVtab *)vt)->t->src_col;
    for (int i = 0; i < ii->nConstraint; i++)
        if (ii->aConstraint[i].iColumn == src_col && ii->aConstraint[i].op == SQLITE_INDEX_CONSTRAINT_EQ) {
            if (!ii->aConstraint[i].usable) return SQLITE_CONSTRAINT;
            ii->aConstraintUsage[i].argvIndex = 1;
            ii->aConstraintUsage[i].omit = 1;
            ii->estimatedCost = 1;
            return SQLITE_OK;
        }
    return SQLITE_CONSTRAINT;
}

/* Allocates a cursor, positioned by mt_filter(). */
static int mt_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out) {
    MemCursor *c = sqlite3_malloc(sizeof *c);
    if (!c) return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

/* Frees a cursor. */
static int mt_close(sqlite3_vtab_cursor *cur) {
    sqlite3_free(cur);
    return SQLITE_OK;
}

/* Starts a scan of the source given as argument, at its first row. */
static int mt_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs, int argc, sqlite3_value **argv) {
    MemCursor *c = (MemCursor *)cur;
    const MemTable *t = ((MemVtab *)cur->pVtab)->t;
    c->src = argc == 1 ? sqlite3_value_pointer(argv[0], t->pointer_type) : NULL;
    c->at = 0;
    return SQLITE_OK;
}

/* Moves to the next row. */
static int mt_next(sqlite3_vtab_cursor *cur) {
    ((MemCursor *)cur)->at++;
    return SQLITE_OK;
}

/* Returns true past the last row (or without a source). */
static int mt_eof(sqlite3_vtab_cursor *cur) {
    const MemCursor *c = (const MemCursor *)cur;
    return !c->src || c->at >= c->src->n;
}

/* Returns the position as rowid. */
static int mt_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid) {
    *rowid = (sqlite3_int64)((MemCursor *)cur)->at;
    return SQLITE_OK;
}

/* Returns column col of the current row (NULL for the hidden src). */
static int mt_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
    const MemCursor *c = (const MemCursor *)cur;
    if (col < ((MemVtab *)cur->pVtab)->t->src_col) c->src->column(c->src->rows, c->at, ctx, col);
    else sqlite3_result_null(ctx);
    return SQLITE_OK;
}

static const sqlite3_module mem_module = {
    .xConnect = mt_connect, .xBestIndex = mt_best_index, .xDisconnect = mt_disconnect, .xOpen = mt_open,
    .xClose = mt_close, .xFilter = mt_filter, .xNext = mt_next, .xEof = mt_eof, .xColumn = mt_column,
    .xRowid = mt_rowid,
};

int mem_table_register(const MemTable *t) {
    Stmt *st = db_prep("SELECT count(*) FROM pragma_module_list WHERE name = :name");
    db_bind_text(st, ":name", t->name);
    int64_t have = db_one_int(st, -1);
    if (have < 0) return -1;
    if (have == 0 && sqlite3_create_module(db_conn(), t->name, &mem_module, (void *)t) != SQLITE_OK) return -1;
    return 0;
}

void mem_table_bind(Stmt *st, const MemTable *t, const MemSource *src) {
    sqlite3_bind_pointer(st, sqlite3_bind_parameter_index(st, ":src"), (void *)src, t->pointer_type, NULL);
}
