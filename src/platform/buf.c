/* buf.c — growable buffers and the request arena (see buf.h). */
#include "platform/buf.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) { fputs("zuwei: out of memory\n", stderr); abort(); }
    return p;
}

void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) { fputs("zuwei: out of memory\n", stderr); abort(); }
    return q;
}

char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

void buf_grow(Buf *b, size_t need) {
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) cap += cap / 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void buf_append(Buf *b, const void *data, size_t n) {
    buf_reserve(b, n);
    if (n) memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = 0;
}

void buf_puts(Buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_putc(Buf *b, char c) {
    buf_reserve(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = 0;
}

void buf_vprintf(Buf *b, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    buf_reserve(b, 64);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    if (n < 0) { va_end(ap2); return; }
    if ((size_t)n >= b->cap - b->len) {
        buf_reserve(b, (size_t)n);
        vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap2);
    }
    va_end(ap2);
    b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_reset(Buf *b) {
    b->len = 0;
    if (b->p) b->p[0] = 0;
}

void buf_free(Buf *b) {
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* Appends v in decimal, with a comma between groups of three digits when `grouped`. */
static void put_decimal(Buf *b, long long v, bool grouped) {
    char tmp[32];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int n = 0, digits = 0;
    do {
        if (grouped && digits && digits % 3 == 0) tmp[n++] = ',';
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
        digits++;
    } while (u);
    if (v < 0) tmp[n++] = '-';
    buf_reserve(b, (size_t)n);
    while (n) b->p[b->len++] = tmp[--n];
    b->p[b->len] = 0;
}

void buf_put_grouped(Buf *b, long long v) { put_decimal(b, v, true); }

char *str_copy(char *dst, size_t n, const char *src) {
    if (!n) return dst;
    size_t len = src ? strnlen(src, n - 1) : 0;
    if (len && src[len])   /* cut: not inside a UTF-8 character, whose later bytes are 10xxxxxx */
        while (len && ((unsigned char)src[len] & 0xC0) == 0x80) len--;
    if (len) memcpy(dst, src, len);
    dst[len] = 0;
    return dst;
}
void buf_put_int(Buf *b, long long v) { put_decimal(b, v, false); }

/* ---------------------------------------------------------------------------------------------
 * Arena: a chain of blocks; big requests get a block of their own. */

typedef struct Block {
    struct Block *next;
    size_t used, cap;
    max_align_t data[];
} Block;

struct Arena { Block *head; };

enum { ARENA_BLOCK = 16 * 1024 };

Arena *arena_new(void) {
    Arena *a = xmalloc(sizeof *a);
    a->head = NULL;
    return a;
}

void arena_free(Arena *a) {
    if (!a) return;
    for (Block *b = a->head, *n; b; b = n) { n = b->next; free(b); }
    free(a);
}

/* Returns `n` bytes aligned for any type; never NULL. */
void *arena_alloc(Arena *a, size_t n) {
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    Block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK / 2 ? n : ARENA_BLOCK;
        b = xmalloc(sizeof(Block) + cap);
        b->used = 0;
        b->cap = cap;
        if (n > ARENA_BLOCK / 2 && a->head) {   /* keep the current block open for small requests */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(Arena *a, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap2);
    va_end(ap2);
    return p;
}
