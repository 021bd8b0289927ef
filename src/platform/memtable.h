/* memtable.h — rows in memory read by SQL as a table, for loads of many rows at once.
 *
 * A MemTable is an eponymous-only, read-only virtual table: NAME(:src) exists on every connection
 * that registered it, with no CREATE VIRTUAL TABLE, and lists the rows of the MemSource bound to
 * :src. One INSERT … SELECT from it writes them all: an INSERT per row opens the table's cursors
 * and (with foreign keys on) starts a statement journal for every row, which took about twice the
 * time (bench/import, the demo's visits). */
#ifndef ZUWEI_MEMTABLE_H
#define ZUWEI_MEMTABLE_H
#include "platform/db.h"
#include <stddef.h>

/* The rows: column(rows, i, ctx, col) gives column col of row i with sqlite3_result_*; text must
 * stay in place until the statement is done. */
typedef struct MemSource {
    const void *rows;
    size_t n;
    void (*column)(const void *rows, size_t i, sqlite3_context *ctx, int col);
} MemSource;

typedef struct MemTable {
    const char *name;           /* the table's name in SQL */
    const char *schema;         /* its declared columns, the last one "src HIDDEN" */
    const char *pointer_type;   /* the sqlite3_bind_pointer type of :src */
    int src_col;                /* index of the hidden src column */
} MemTable;

/* Registers t on this connection unless it is there already (registering again would replace the
 * module under a cached statement). Returns 0 or -1. */
int mem_table_register(const MemTable *t);
/* Binds src to the parameter :src of st, a statement reading t(:src). */
void mem_table_bind(Stmt *st, const MemTable *t, const MemSource *src);

#endif
