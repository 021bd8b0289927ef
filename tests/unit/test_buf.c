/* test_buf.c -- unit tests for the growable buffer and the request arena (src/platform/buf.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform/buf.h"

/* A megabyte of small appends of varying length keeps every byte in place and the NUL after it. */
static void test_growth_many_appends(void **state) {
    Buf b = BUF_INIT;
    char piece[8];
    size_t total = 0;
    for (size_t i = 0; total < (1u << 20); i++) {
        size_t n = 1 + i % 7;
        for (size_t k = 0; k < n; k++) piece[k] = (char)('a' + (i + k) % 26);
        buf_append(&b, piece, n);
        total += n;
    }
    assert_int_equal(b.len, total);
    assert_true(b.cap > b.len);
    assert_int_equal(b.p[b.len], 0);
    size_t off = 0;
    for (size_t i = 0; off < total; i++) {
        size_t n = 1 + i % 7;
        for (size_t k = 0; k < n; k++)
            if (b.p[off + k] != (char)('a' + (i + k) % 26)) fail_msg("byte %zu differs", off + k);
        off += n;
    }
    buf_free(&b);
}

/* putc and puts grow the buffer too and keep it a C string. */
static void test_putc_puts(void **state) {
    Buf b = BUF_INIT;
    for (int i = 0; i < 10000; i++) buf_putc(&b, (char)('0' + i % 10));
    assert_int_equal(b.len, 10000);
    assert_int_equal(strlen(b.p), 10000);
    assert_int_equal(b.p[9999], '9');
    buf_puts(&b, "end");
    assert_string_equal(b.p + 10000, "end");
    buf_append(&b, "", 0);
    assert_int_equal(b.len, 10003);
    buf_free(&b);
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
}

/* A formatted string longer than the initial capacity is written in full. */
static void test_printf_larger_than_capacity(void **state) {
    Buf b = BUF_INIT;
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = 0;
    buf_puts(&b, "<");
    buf_printf(&b, "%s|%d|%s", big, 42, "tail");
    assert_int_equal(b.len, 1 + 4999 + 4 + 4);
    assert_int_equal(b.p[0], '<');
    assert_int_equal(b.p[1], 'x');
    assert_int_equal(b.p[4999], 'x');
    assert_string_equal(b.p + 5000, "|42|tail");
    buf_printf(&b, "%05d", 7);
    assert_string_equal(b.p + b.len - 5, "00007");
    buf_free(&b);
}

/* Reset empties the buffer but keeps its memory for reuse. */
static void test_reset(void **state) {
    Buf b = BUF_INIT;
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    buf_puts(&b, "hello world");
    size_t cap = b.cap;
    char *p = b.p;
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.p, "");
    assert_int_equal(b.cap, cap);
    assert_ptr_equal(b.p, p);
    buf_puts(&b, "again");
    assert_string_equal(b.p, "again");
    buf_free(&b);
}

/* Checks buf_put_grouped(v) writes exactly `want`, appended after existing content. */
static void check_grouped(long long v, const char *want) {
    Buf b = BUF_INIT;
    buf_puts(&b, "[");
    buf_put_grouped(&b, v);
    assert_string_equal(b.p + 1, want);
    assert_int_equal(b.len, 1 + strlen(want));
    buf_free(&b);
}

/* Thousands separators at the group boundaries, for negatives and at the extremes of long long. */
static void test_grouped(void **state) {
    check_grouped(0, "0");
    check_grouped(7, "7");
    check_grouped(999, "999");
    check_grouped(1000, "1,000");
    check_grouped(240000, "240,000");
    check_grouped(1000000, "1,000,000");
    check_grouped(-1, "-1");
    check_grouped(-999, "-999");
    check_grouped(-1234567, "-1,234,567");
    check_grouped(INT64_MAX, "9,223,372,036,854,775,807");
    check_grouped(INT64_MIN, "-9,223,372,036,854,775,808");
}

/* Every arena allocation is aligned for any type, small or big, and memory stays distinct. */
static void test_arena_alignment(void **state) {
    Arena *a = arena_new();
    char *prev = NULL;
    for (size_t n = 0; n < 300; n++) {
        char *p = arena_alloc(a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        memset(p, (int)(n & 0xff), n);
        if (prev) assert_ptr_not_equal(p, prev);
        prev = n ? p : prev;
    }
    arena_free(a);
}

/* Big allocations get their own block; small ones before and after stay valid and untouched. */
static void test_arena_big(void **state) {
    Arena *a = arena_new();
    char *small1 = arena_strdup(a, "before");
    size_t big_n = 3u << 20;
    unsigned char *big = arena_alloc(a, big_n);
    assert_int_equal((uintptr_t)big % _Alignof(max_align_t), 0);
    memset(big, 0xAB, big_n);
    char *small2 = arena_strdup(a, "after");
    unsigned char *big2 = arena_alloc(a, 20000);
    memset(big2, 0xCD, 20000);
    /* Many small allocations spanning several blocks. */
    char *keep[2000];
    for (int i = 0; i < 2000; i++) keep[i] = arena_printf(a, "item-%d", i);
    assert_string_equal(small1, "before");
    assert_string_equal(small2, "after");
    for (size_t i = 0; i < big_n; i += 4093) assert_int_equal(big[i], 0xAB);
    assert_int_equal(big[big_n - 1], 0xAB);
    for (size_t i = 0; i < 20000; i += 999) assert_int_equal(big2[i], 0xCD);
    for (int i = 0; i < 2000; i++) {
        char want[32];
        snprintf(want, sizeof want, "item-%d", i);
        assert_string_equal(keep[i], want);
    }
    arena_free(a);
    arena_free(NULL);
}

/* strndup copies exactly n bytes and terminates; printf formats into the arena at any length. */
static void test_arena_strings(void **state) {
    Arena *a = arena_new();
    const char *src = "abcdef";
    char *s = arena_strndup(a, src, 3);
    assert_string_equal(s, "abc");
    assert_ptr_not_equal(s, src);
    char *e = arena_strndup(a, src, 0);
    assert_string_equal(e, "");
    char *zh = arena_strdup(a, "组委会");
    assert_string_equal(zh, "组委会");
    char *f = arena_printf(a, "%s-%d-%05.1f", "x", -12, 3.14159);
    assert_string_equal(f, "x--12-003.1");
    char *empty = arena_printf(a, "%s", "");
    assert_string_equal(empty, "");
    char big[20000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = 0;
    char *g = arena_printf(a, "<%s>", big);
    assert_int_equal(strlen(g), sizeof big - 1 + 2);
    assert_int_equal(g[0], '<');
    assert_int_equal(g[sizeof big], '>');
    arena_free(a);
}

/* xstrdup makes an independent copy. */
static void test_xstrdup(void **state) {
    char src[] = "copy me";
    char *d = xstrdup(src);
    src[0] = 'X';
    assert_string_equal(d, "copy me");
    free(d);
}

/* Runs the buf tests. */
/* str_copy cuts a text that does not fit before the character that would not fit whole. */
static void test_str_copy_cuts_whole_characters(void **state) {
    (void)state;
    char out[8];
    assert_string_equal(str_copy(out, sizeof out, "ab杨文华"), "ab杨");      /* 2 + 3 bytes fit, not 2 + 6 */
    assert_string_equal(str_copy(out, sizeof out, "杨文"), "杨文");          /* 6 bytes: fits whole */
    assert_string_equal(str_copy(out, 4, "杨文"), "杨");
    assert_string_equal(str_copy(out, 3, "杨文"), "");
    assert_string_equal(str_copy(out, 4, "abcdef"), "abc");
    assert_string_equal(str_copy(out, sizeof out, NULL), "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_growth_many_appends),
        cmocka_unit_test(test_putc_puts),
        cmocka_unit_test(test_printf_larger_than_capacity),
        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_grouped),
        cmocka_unit_test(test_arena_alignment),
        cmocka_unit_test(test_arena_big),
        cmocka_unit_test(test_arena_strings),
        cmocka_unit_test(test_xstrdup),
        cmocka_unit_test(test_str_copy_cuts_whole_characters),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
