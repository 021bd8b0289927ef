/* buf.h — growable byte buffers and the per-request arena.
 *
 * Buf is the one string builder of the program: pages, JSON and CSV are written into a Buf.
 * Arena hands out memory that lives until the request ends and is freed in one go, so handlers
 * never track ownership. Allocation failure aborts the process: a server that cannot get a few
 * kilobytes cannot answer anyway, and every caller staying simple is worth more (as in Redis). */
#ifndef ZW_BUF_H
#define ZW_BUF_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Buf {
    char *p;        /* always NUL-terminated when cap > 0 */
    size_t len;
    size_t cap;
} Buf;

#define BUF_INIT {NULL, 0, 0}

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Grows b to hold at least `need` bytes (the slow path of buf_reserve). */
void buf_grow(Buf *b, size_t need);
/* Makes room for `extra` more bytes plus the terminating NUL, growing by 1.5x. Inline: every
 * append of every page calls it, and it almost never has to grow. */
static inline void buf_reserve(Buf *b, size_t extra) {
    if (b->len + extra + 1 > b->cap) buf_grow(b, b->len + extra + 1);
}
void buf_append(Buf *b, const void *data, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void buf_reset(Buf *b);
void buf_free(Buf *b);
/* Appends an integer with thousands separators ("240,000"). */
void buf_put_grouped(Buf *b, long long v);
/* Appends an integer in decimal, without printf. */
void buf_put_int(Buf *b, long long v);

/* Copies src (NULL: "") into dst of size n, cut to fit and always terminated — snprintf's "%s"
 * without printf's cost — but never inside a UTF-8 character. Returns dst. */
char *str_copy(char *dst, size_t n, const char *src);

typedef struct Arena Arena;

Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t n);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
