/* test_textenc.c -- strict UTF-8 validation and GB18030/BOM handling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "platform/textenc.h"

typedef struct {
    const char *name;
    const char *bytes;
    size_t n;
    bool valid;
} Case;

#define C(name, lit, ok) {name, lit, sizeof(lit) - 1, ok}

static const Case cases[] = {
    C("empty", "", true),
    C("ascii", "hello, world", true),
    C("nul byte", "a\0b", true),
    C("2-byte min U+0080", "\xC2\x80", true),
    C("2-byte max U+07FF", "\xDF\xBF", true),
    C("3-byte min U+0800", "\xE0\xA0\x80", true),
    C("chinese", "\xE6\x9D\x91\xE5\xA7\x94\xE4\xBC\x9A", true), /* 村委会 */
    C("U+D7FF before surrogates", "\xED\x9F\xBF", true),
    C("U+E000 after surrogates", "\xEE\x80\x80", true),
    C("U+FFFF", "\xEF\xBF\xBF", true),
    C("4-byte min U+10000", "\xF0\x90\x80\x80", true),
    C("4-byte max U+10FFFF", "\xF4\x8F\xBF\xBF", true),
    C("emoji", "\xF0\x9F\x98\x80", true),
    C("overlong NUL C0 80", "\xC0\x80", false),
    C("overlong C1 BF", "\xC1\xBF", false),
    C("overlong 3-byte E0 80 80", "\xE0\x80\x80", false),
    C("overlong 3-byte E0 9F BF", "\xE0\x9F\xBF", false),
    C("overlong 4-byte F0 80 80 80", "\xF0\x80\x80\x80", false),
    C("overlong 4-byte F0 8F BF BF", "\xF0\x8F\xBF\xBF", false),
    C("surrogate U+D800", "\xED\xA0\x80", false),
    C("surrogate U+DFFF", "\xED\xBF\xBF", false),
    C("surrogate pair CESU", "\xED\xA0\xBD\xED\xB8\x80", false),
    C("above U+10FFFF F4 90", "\xF4\x90\x80\x80", false),
    C("F5 lead", "\xF5\x80\x80\x80", false),
    C("FF byte", "\xFF", false),
    C("FE byte", "\xFE", false),
    C("lone continuation", "\x80", false),
    C("continuation after ascii", "abc\xBF", false),
    C("truncated 2-byte", "\xC3", false),
    C("truncated 3-byte", "\xE6\x9D", false),
    C("truncated 4-byte", "\xF0\x9F\x98", false),
    C("bad continuation 2nd", "\xE6\x41\x91", false),
    C("bad continuation 3rd", "\xE6\x9D\x41", false),
    C("bad continuation 4th", "\xF0\x9F\x98\x41", false),
    C("5-byte form", "\xF8\x88\x80\x80\x80", false),
    C("gbk bytes of 村", "\xB4\xE5", false),
};

/* Every table case, alone and embedded at several offsets inside long ASCII
 * runs, so both the 16-byte fast path and its hand-over are exercised. */
static void test_utf8_table(void **state) {
    char buf[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const Case *c = &cases[i];
        if (utf8_valid(c->bytes, c->n) != c->valid) fail_msg("case '%s'", c->name);
        for (size_t pre = 0; pre <= 40; pre += 5) {
            memset(buf, 'x', sizeof buf);
            memcpy(buf + pre, c->bytes, c->n);
            size_t total = pre + c->n + (c->valid ? 37 : 0);
            /* an invalid sequence must stay invalid at any offset, including
             * when it is the very end (truncated cases) */
            if (utf8_valid(buf, total) != c->valid) fail_msg("case '%s' at offset %zu", c->name, pre);
        }
    }
}

/* Invalid byte placed deep after a long ASCII run is still caught, and a
 * length that cuts a valid sequence is refused. */
static void test_utf8_fastpath_boundaries(void **state) {
    char buf[1000];
    memset(buf, 'a', sizeof buf);
    assert_true(utf8_valid(buf, sizeof buf));
    for (size_t pos = 0; pos < 64; pos++) {
        buf[500 + pos] = (char)0x80;
        assert_false(utf8_valid(buf, sizeof buf));
        buf[500 + pos] = 'a';
    }
    const char *s = "\xE6\x9D\x91"; /* 村 */
    assert_true(utf8_valid(s, 3));
    assert_false(utf8_valid(s, 2));
    assert_false(utf8_valid(s, 1));
    assert_true(utf8_valid(NULL, 0));
}

/* Exhaustive check of all 2- and 3-byte sequences against the definition:
 * valid iff the decoded code point needs exactly that length and is not a
 * surrogate. */
static void test_utf8_exhaustive_short(void **state) {
    unsigned char b[3];
    for (unsigned a = 0xC0; a <= 0xDF; a++)
        for (unsigned c = 0; c <= 0xFF; c++) {
            b[0] = (unsigned char)a;
            b[1] = (unsigned char)c;
            unsigned cp = (a & 0x1F) << 6 | (c & 0x3F);
            bool want = (c & 0xC0) == 0x80 && cp >= 0x80;
            assert_int_equal(utf8_valid((char *)b, 2), want);
        }
    for (unsigned a = 0xE0; a <= 0xEF; a++)
        for (unsigned c = 0; c <= 0xFF; c++)
            for (unsigned d = 0x70; d <= 0xC0; d += 0x10) {
                b[0] = (unsigned char)a;
                b[1] = (unsigned char)c;
                b[2] = (unsigned char)d;
                unsigned cp = (a & 0x0F) << 12 | (c & 0x3F) << 6 | (d & 0x3F);
                bool want = (c & 0xC0) == 0x80 && (d & 0xC0) == 0x80 && cp >= 0x800 &&
                            (cp < 0xD800 || cp > 0xDFFF);
                assert_int_equal(utf8_valid((char *)b, 3), want);
            }
}

/* Converts UTF-8 to GB18030 with iconv, as Excel on Chinese Windows would
 * save it. Returns a malloc'd buffer and its length in *n. */
static char *to_gb18030(const char *utf8, size_t *n) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t inleft = strlen(utf8), cap = inleft * 2 + 8, outleft = cap;
    char *out = malloc(cap), *in = (char *)utf8, *o = out;
    assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    iconv_close(cd);
    *n = cap - outleft;
    return out;
}

static const char *ROSTER = "姓名,性别,村民小组\r\n张三,男,第一组\r\n李四,女,第二组😀\r\n";

static void test_gb18030_converted(void **state) {
    size_t gn, outn;
    char *gb = to_gb18030(ROSTER, &gn);
    assert_false(utf8_valid(gb, gn)); /* the fixture really is not UTF-8 */
    char *out = NULL;
    const char *det = NULL;
    assert_int_equal(textenc_to_utf8(gb, gn, &out, &outn, &det), TEXTENC_OK);
    assert_string_equal(det, TEXTENC_NAME_GB18030);
    assert_int_equal(outn, strlen(ROSTER));
    assert_memory_equal(out, ROSTER, outn);
    assert_int_equal(out[outn], '\0');
    free(out);
    free(gb);
}

static void test_utf8_passthrough_and_bom(void **state) {
    char *out = NULL;
    size_t outn;
    const char *det = NULL;
    assert_int_equal(textenc_to_utf8(ROSTER, strlen(ROSTER), &out, &outn, &det), TEXTENC_OK);
    assert_string_equal(det, TEXTENC_NAME_UTF8);
    assert_string_equal(out, ROSTER);
    free(out);

    size_t n = strlen(ROSTER) + 3;
    char *bom = malloc(n);
    memcpy(bom, "\xEF\xBB\xBF", 3);
    memcpy(bom + 3, ROSTER, n - 3);
    assert_int_equal(textenc_to_utf8(bom, n, &out, &outn, NULL), TEXTENC_OK);
    assert_int_equal(outn, n - 3);
    assert_string_equal(out, ROSTER);
    free(out);
    free(bom);

    assert_int_equal(textenc_to_utf8("\xEF\xBB\xBF", 3, &out, &outn, &det), TEXTENC_OK);
    assert_int_equal(outn, 0);
    assert_string_equal(out, "");
    free(out);
}

static void test_gb18030_bom_stripped(void **state) {
    const char in[] = "\x84\x31\x95\x33\xB4\xE5"; /* GB18030 BOM + 村 */
    char *out = NULL;
    size_t outn;
    assert_int_equal(textenc_to_utf8(in, sizeof in - 1, &out, &outn, NULL), TEXTENC_OK);
    assert_string_equal(out, "村");
    free(out);
}

static void test_undecodable_refused(void **state) {
    char *out = (char *)"untouched";
    size_t outn = 7;
    /* 0xFF is never valid in GB18030; 0x81 at the end is a truncated lead */
    assert_int_equal(textenc_to_utf8("ab\xFF" "cd", 5, &out, &outn, NULL), TEXTENC_EENCODING);
    assert_int_equal(textenc_to_utf8("ab\x81", 3, &out, &outn, NULL), TEXTENC_EENCODING);
    assert_string_equal(out, "untouched");
    assert_int_equal(outn, 7);
    assert_non_null(strstr(textenc_error_zh(TEXTENC_EENCODING), "UTF-8"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_table),
        cmocka_unit_test(test_utf8_fastpath_boundaries),
        cmocka_unit_test(test_utf8_exhaustive_short),
        cmocka_unit_test(test_gb18030_converted),
        cmocka_unit_test(test_utf8_passthrough_and_bom),
        cmocka_unit_test(test_gb18030_bom_stripped),
        cmocka_unit_test(test_undecodable_refused),
    };
    return cmocka_run_group_tests_name("textenc", tests, NULL, NULL);
}
