/* test_html.c -- unit tests for the escaping HTML writer (src/platform/html.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform/html.h"
#include "platform/page.h"

/* Every %s is escaped: the five characters that matter in text and attributes. */
static void test_escape_all_specials(void **state) {
    Buf b = BUF_INIT;
    html(&b, "<p>%s</p>", "a&b<c>d\"e'f");
    assert_string_equal(b.p, "<p>a&amp;b&lt;c&gt;d&quot;e&#39;f</p>");
    buf_reset(&b);
    html(&b, "%s", "<script>alert('x')</script>");
    assert_null(strchr(b.p, '<'));
    assert_null(strchr(b.p, '\''));
    assert_string_equal(b.p, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    buf_reset(&b);
    html(&b, "%s%s", "&&", "");
    assert_string_equal(b.p, "&amp;&amp;");
    buf_free(&b);
}

/* A value with quotes cannot close a double- or single-quoted attribute. */
static void test_attribute_context(void **state) {
    Buf b = BUF_INIT;
    html(&b, "<input value=\"%s\">", "x\" onfocus=\"alert(1)");
    assert_string_equal(b.p, "<input value=\"x&quot; onfocus=&quot;alert(1)\">");
    /* Exactly two raw quotes remain: the ones of the format string. */
    int quotes = 0;
    for (const char *p = b.p; *p; p++) quotes += *p == '"';
    assert_int_equal(quotes, 2);
    buf_reset(&b);
    html(&b, "<a title='%s'>", "it's' onclick='x");
    assert_string_equal(b.p, "<a title='it&#39;s&#39; onclick=&#39;x'>");
    buf_free(&b);
}

/* %.*s takes at most n bytes of the argument (and escapes them); a larger n takes the whole string. */
static void test_precision_string(void **state) {
    Buf b = BUF_INIT;
    html(&b, "[%.*s]", 3, "a<bcdef");
    assert_string_equal(b.p, "[a&lt;b]");
    buf_reset(&b);
    html(&b, "[%.*s]", 100, "short");
    assert_string_equal(b.p, "[short]");
    buf_reset(&b);
    html(&b, "[%.*s]", 0, "gone");
    assert_string_equal(b.p, "[]");
    buf_free(&b);
}

/* Integer conversions of every supported size, hex, chars and %% are formatted as printf does. */
static void test_numbers(void **state) {
    Buf b = BUF_INIT;
    html(&b, "%d %d %i", 0, -42, 7);
    assert_string_equal(b.p, "0 -42 7");
    buf_reset(&b);
    html(&b, "%lld %lld", (long long)INT64_MAX, (long long)INT64_MIN);
    assert_string_equal(b.p, "9223372036854775807 -9223372036854775808");
    buf_reset(&b);
    html(&b, "%zu %u %x %lu %llu", (size_t)123456789012ULL, 4000000000u, 255u, 99ul, 18446744073709551615ULL);
    assert_string_equal(b.p, "123456789012 4000000000 ff 99 18446744073709551615");
    buf_reset(&b);
    html(&b, "%ld|%zx|%llx", -5L, (size_t)4096, 0xdeadbeefULL);
    assert_string_equal(b.p, "-5|1000|deadbeef");
    buf_reset(&b);
    html(&b, "100%% %d%%", 5);
    assert_string_equal(b.p, "100% 5%");
    buf_reset(&b);
    html(&b, "%.2f %.0f", 3.14159, 2.5);
    assert_string_equal(b.p, "3.14 2");
    buf_reset(&b);
    html(&b, "%c%c%c", 'a', '<', '"');
    assert_string_equal(b.p, "a&lt;&quot;");
    buf_reset(&b);
    /* Arguments after a string are taken in order. */
    html(&b, "%s=%d;%s=%zu", "a", 1, "b&", (size_t)2);
    assert_string_equal(b.p, "a=1;b&amp;=2");
    buf_free(&b);
}

/* A NULL string prints as nothing rather than crashing or printing "(null)". */
static void test_null_string(void **state) {
    Buf b = BUF_INIT;
    const char *volatile none = NULL;   /* volatile: keeps gcc from flagging the NULL at compile time */
    html(&b, "<b>%s</b>%d", none, 3);
    assert_string_equal(b.p, "<b></b>3");
    buf_free(&b);
}

/* html_raw appends markup unchanged; html_escape escapes exactly n bytes. */
static void test_raw_and_escape(void **state) {
    Buf b = BUF_INIT;
    html_raw(&b, "<svg class=\"i\">&nbsp;</svg>");
    assert_string_equal(b.p, "<svg class=\"i\">&nbsp;</svg>");
    buf_reset(&b);
    html_escape(&b, "<a>&<b>", 4);
    assert_string_equal(b.p, "&lt;a&gt;&amp;");
    buf_reset(&b);
    html_escape(&b, "plain", 5);
    assert_string_equal(b.p, "plain");
    buf_free(&b);
}

/* The escaper reads eight bytes at a time: every special byte at every offset of strings of every
 * length up to 40, in Chinese, letters, digits and punctuation, comes out as a byte-by-byte escaper
 * writes it. */
static void test_escape_every_offset(void **state) {
    static const char *const fill[] = {"组", "ab", "12", "/-:", "\x80"};
    static const char specials[] = "&<>\"'";
    Buf b = BUF_INIT, want = BUF_INIT;
    char in[64];
    for (size_t f = 0; f < sizeof fill / sizeof fill[0]; f++) {
        for (size_t len = 0; len <= 40; len++) {
            size_t k = 0, fl = strlen(fill[f]);
            while (k + fl <= len) { memcpy(in + k, fill[f], fl); k += fl; }
            while (k < len) in[k++] = 'x';
            for (size_t pos = 0; pos <= len; pos++) {
                for (size_t c = 0; c < 5; c++) {
                    char s[64];
                    memcpy(s, in, len);
                    size_t n = len;
                    if (pos < len) s[pos] = specials[c];
                    buf_reset(&b);
                    buf_reset(&want);
                    html_escape(&b, s, n);
                    for (size_t i = 0; i < n; i++) {
                        switch (s[i]) {
                        case '&': buf_puts(&want, "&amp;"); break;
                        case '<': buf_puts(&want, "&lt;"); break;
                        case '>': buf_puts(&want, "&gt;"); break;
                        case '"': buf_puts(&want, "&quot;"); break;
                        case '\'': buf_puts(&want, "&#39;"); break;
                        default: buf_putc(&want, s[i]);
                        }
                    }
                    assert_int_equal(b.len, want.len);
                    assert_memory_equal(b.p ? b.p : "", want.p ? want.p : "", want.len);
                }
            }
        }
    }
    buf_free(&b);
    buf_free(&want);
}

/* Chinese text (multi-byte UTF-8) passes through both the format and the arguments untouched. */
static void test_chinese_passthrough(void **state) {
    Buf b = BUF_INIT;
    html(&b, "<h1>村民小组：%s</h1>", "红星村第一组（“示范”）");
    assert_string_equal(b.p, "<h1>村民小组：红星村第一组（“示范”）</h1>");
    buf_reset(&b);
    html(&b, "%.*s", 6, "组委会");
    assert_string_equal(b.p, "组委");
    buf_free(&b);
}

/* url_escape keeps unreserved characters and percent-encodes everything else, byte by byte. */
static void test_url_escape(void **state) {
    Buf b = BUF_INIT;
    url_escape(&b, "AZaz09-_.~");
    assert_string_equal(b.p, "AZaz09-_.~");
    buf_reset(&b);
    url_escape(&b, "a b&c=d/e?f#g+h%\"<'");
    assert_string_equal(b.p, "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25%22%3C%27");
    buf_reset(&b);
    url_escape(&b, "组");
    assert_string_equal(b.p, "%E7%BB%84");
    buf_reset(&b);
    url_escape(&b, "");
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

/* Literal text around and between conversions is copied exactly, including a trailing part. */
static void test_literals(void **state) {
    Buf b = BUF_INIT;
    html(&b, "no conversions & <raw> markup");
    assert_string_equal(b.p, "no conversions & <raw> markup");
    buf_reset(&b);
    html(&b, "%d", 1);
    html(&b, "-%s-", "x");
    assert_string_equal(b.p, "1-x-");
    buf_free(&b);
}

/* A list table: the header row, then cells that carry their column's translated, escaped label
 * (none for a column without one), the first one opening the row; a column past the table's
 * width writes nothing. */
static void test_list_table(void **state) {
    static const Msg msgs[] = {{"户号", "No."}, {"户主", "Head \"of\" <house>"}, {NULL, NULL}};
    static const Msg *const tables[] = {msgs, NULL};
    i18n_init(tables, NULL);
    Req r = {0};
    r.arena = arena_new();
    r.lang = LANG_EN;
    static const UiCol cols[] = {{"户号", false}, {"户主", false}, {"人口", true}, {NULL, false}};
    Buf b = BUF_INIT;
    UiTable t;
    ui_table_begin(&r, &b, &t, cols, 4);
    assert_string_equal(b.p, "<div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>No.</th>"
                             "<th>Head &quot;of&quot; &lt;house&gt;</th><th class=\"num\">人口</th><th></th></tr></thead><tbody>");
    buf_reset(&b);
    for (int row = 0; row < 2; row++) {
        ui_td(&b, &t, 0);
        html(&b, "%d", row);
        ui_td(&b, &t, 1);
        ui_td(&b, &t, 2);
        ui_td(&b, &t, 3);
        ui_td(&b, &t, 4);
        ui_tr_end(&b);
    }
    ui_table_end(&b);
#define ROW(k) "<tr><td data-label=\"No.\">" k "</td><td data-label=\"Head &quot;of&quot; &lt;house&gt;\"></td>" \
                   "<td class=\"num\" data-label=\"人口\"></td><td></td></tr>"
    const char *want = ROW("0") ROW("1") "</tbody></table></div>";
#undef ROW
    assert_string_equal(b.p, want);
    buf_free(&b);
    arena_free(r.arena);
    i18n_init((const Msg *const[]){NULL}, NULL);
}

/* Runs the html tests. */
int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_all_specials),
        cmocka_unit_test(test_attribute_context),
        cmocka_unit_test(test_precision_string),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_null_string),
        cmocka_unit_test(test_raw_and_escape),
        cmocka_unit_test(test_escape_every_offset),
        cmocka_unit_test(test_chinese_passthrough),
        cmocka_unit_test(test_url_escape),
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_list_table),
    };
    return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
