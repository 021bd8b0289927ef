/* test_csv.c -- RFC 4180 reader (every rule, caps, truncated input) and the
 * writer (quoting, BOM, formula-injection defence, round trip). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/csv.h"

/* Collects parsed records as one string: fields joined by '|', records
 * ended by ';', each record prefixed with its row number, e.g. "1:a|b;". */
typedef struct {
    char out[4096];
    size_t len;
    size_t rows;
    size_t stop_at; /* return non-zero on this row (0: never) */
} Sink;

static void sink_add(Sink *s, const char *p, size_t n) {
    assert_true(s->len + n < sizeof s->out);
    memcpy(s->out + s->len, p, n);
    s->len += n;
    s->out[s->len] = '\0';
}

static int collect(void *ctx, size_t row, size_t nf, const char *const *f, const size_t *lens) {
    Sink *s = ctx;
    char num[32];
    s->rows++;
    assert_int_equal(row, s->rows); /* rows are numbered 1, 2, 3 ... */
    snprintf(num, sizeof num, "%zu:", row);
    sink_add(s, num, strlen(num));
    for (size_t i = 0; i < nf; i++) {
        assert_int_equal(f[i][lens[i]], '\0'); /* every field NUL-terminated */
        if (i) sink_add(s, "|", 1);
        sink_add(s, f[i], lens[i]);
    }
    sink_add(s, ";", 1);
    return s->stop_at && row == s->stop_at;
}

/* Parses the literal and returns what collect() built; fails on error. */
static const char *parse_ok(Sink *s, const char *data, size_t n) {
    CsvError e;
    memset(s, 0, sizeof *s);
    int rc = csv_parse(data, n, NULL, collect, s, &e);
    if (rc != CSV_OK) fail_msg("rc %d at %zu:%zu for [%s]", rc, e.row, e.col, data);
    assert_int_equal(e.code, CSV_OK);
    return s->out;
}

#define P(s, lit) parse_ok(s, lit, sizeof(lit) - 1)

static void test_simple_fields_and_line_ends(void **state) {
    Sink s;
    assert_string_equal(P(&s, "a,b,c"), "1:a|b|c;");
    assert_string_equal(P(&s, "a,b\r\nc,d\r\n"), "1:a|b;2:c|d;");
    assert_string_equal(P(&s, "a,b\nc,d\n"), "1:a|b;2:c|d;");
    assert_string_equal(P(&s, "a,b\rc,d\r"), "1:a|b;2:c|d;");
    assert_string_equal(P(&s, "a\r\nb\nc\rd"), "1:a;2:b;3:c;4:d;");
    assert_string_equal(P(&s, "张三,男\r\n"), "1:张三|男;");
}

static void test_empty_fields_and_lines(void **state) {
    Sink s;
    assert_string_equal(P(&s, ",,"), "1:||;");
    assert_string_equal(P(&s, "a,\r\n,b\r\n"), "1:a|;2:|b;");
    /* a blank line in the middle is a record with one empty field */
    assert_string_equal(P(&s, "a\r\n\r\nb\r\n"), "1:a;2:;3:b;");
    /* trailing line breaks make no records; an empty file has none */
    assert_string_equal(P(&s, "a\r\n\r\n\n"), "1:a;");
    assert_string_equal(P(&s, ""), "");
    assert_string_equal(P(&s, "\r\n"), "");
    assert_int_equal(s.rows, 0);
    /* a quoted empty field is a real record */
    assert_string_equal(P(&s, "a\n\"\"\n"), "1:a;2:;");
}

static void test_quoted_fields(void **state) {
    Sink s;
    assert_string_equal(P(&s, "\"a,b\",c"), "1:a,b|c;");
    assert_string_equal(P(&s, "\"say \"\"hi\"\"\",x"), "1:say \"hi\"|x;");
    assert_string_equal(P(&s, "\"\"\"\""), "1:\";");
    assert_string_equal(P(&s, "\"\",\"\""), "1:|;");
    assert_string_equal(P(&s, "\"line1\r\nline2\nline3\",z\r\nnext"), "1:line1\r\nline2\nline3|z;2:next;");
    assert_string_equal(P(&s, "x,\"\r\n\"\r\n"), "1:x|\r\n;");
    /* a quote inside an unquoted field is literal, as in Excel */
    assert_string_equal(P(&s, "5\"2,b"), "1:5\"2|b;");
}

static void test_bom_skipped(void **state) {
    Sink s;
    assert_string_equal(P(&s, "\xEF\xBB\xBF姓名,电话\r\n"), "1:姓名|电话;");
    assert_string_equal(P(&s, "\xEF\xBB\xBF"), "");
}

static void test_nul_bytes_kept_by_length(void **state) {
    static const char in[] = "a\0b,c";
    Sink s;
    parse_ok(&s, in, sizeof in - 1);
    static const char want[] = "1:a\0b|c;";
    assert_int_equal(s.len, sizeof want - 1);
    assert_memory_equal(s.out, want, s.len);
}

/* Runs csv_parse on data and returns its error. */
static CsvError parse_err(const char *data, size_t n, const CsvLimits *lim, Sink *s) {
    CsvError e = {0};
    memset(s, 0, sizeof *s);
    int rc = csv_parse(data, n, lim, collect, s, &e);
    assert_int_equal(rc, e.code);
    return e;
}

static void test_unterminated_quote(void **state) {
    Sink s;
    static const char in[] = "a,b\r\nc,\"open field\r\nstill open";
    CsvError e = parse_err(in, sizeof in - 1, NULL, &s);
    assert_int_equal(e.code, CSV_EUNTERMINATED);
    assert_int_equal(e.row, 2);
    assert_int_equal(e.col, 2);
    assert_string_equal(s.out, "1:a|b;"); /* rows before the error were delivered */

    /* every prefix of a valid file either parses or fails cleanly; run on a
     * heap copy of exactly that size so ASan catches any read past the end */
    static const char full[] = "x,\"q\"\"uo\r\nted\",y\r\n\"z\",\"\"\r\n";
    for (size_t n = 0; n <= sizeof full - 1; n++) {
        char *cut = malloc(n ? n : 1);
        memcpy(cut, full, n);
        CsvError ce = parse_err(cut, n, NULL, &s);
        assert_true(ce.code == CSV_OK || ce.code == CSV_EUNTERMINATED);
        free(cut);
    }
    e = parse_err("\"", 1, NULL, &s);
    assert_int_equal(e.code, CSV_EUNTERMINATED);
    assert_int_equal(e.row, 1);
    e = parse_err("\"ab\"\"", 5, NULL, &s);
    assert_int_equal(e.code, CSV_EUNTERMINATED);
}

static void test_text_after_closing_quote(void **state) {
    Sink s;
    CsvError e = parse_err("ok\r\na,\"b\"c,d", 12, NULL, &s);
    assert_int_equal(e.code, CSV_EAFTERQUOTE);
    assert_int_equal(e.row, 2);
    assert_int_equal(e.col, 2);
}

static void test_caps(void **state) {
    Sink s;
    CsvLimits lim = {.max_fields = 3, .max_field_len = 5, .max_rows = 2};
    CsvError e;

    e = parse_err("a,b,c\r\n1,2,3,4\r\n", 16, &lim, &s);
    assert_int_equal(e.code, CSV_ETOOMANYFIELDS);
    assert_int_equal(e.row, 2);
    assert_int_equal(e.col, 4);

    e = parse_err("a,12345,123456", 14, &lim, &s);
    assert_int_equal(e.code, CSV_EFIELDTOOLONG);
    assert_int_equal(e.row, 1);
    assert_int_equal(e.col, 3);
    /* the cap counts unquoted bytes: "ab""cd" is 5 bytes of content */
    e = parse_err("\"ab\"\"cd\"", 8, &lim, &s);
    assert_int_equal(e.code, CSV_OK);
    e = parse_err("\"ab\"\"cde\"", 9, &lim, &s);
    assert_int_equal(e.code, CSV_EFIELDTOOLONG);

    e = parse_err("a\nb\nc\n", 6, &lim, &s);
    assert_int_equal(e.code, CSV_ETOOMANYROWS);
    assert_int_equal(e.row, 3);
    assert_int_equal(s.rows, 2);
    e = parse_err("a\nb\n\n\n", 6, &lim, &s); /* trailing blank lines are not rows */
    assert_int_equal(e.code, CSV_OK);
}

static void test_callback_stops(void **state) {
    Sink s;
    memset(&s, 0, sizeof s);
    s.stop_at = 2;
    CsvError e;
    assert_int_equal(csv_parse("a\nb\nc\n", 6, NULL, collect, &s, &e), CSV_ESTOP);
    assert_int_equal(e.row, 2);
    assert_int_equal(s.rows, 2);
    assert_non_null(csv_error_zh(CSV_ESTOP));
    assert_string_not_equal(csv_error_zh(CSV_EUNTERMINATED), csv_error_zh(12345));
}

/* Checks every record of the generated file: "i,r<i>" in row i + 1. */
static int check_row(void *ctx, size_t row, size_t nf, const char *const *f, const size_t *lens) {
    size_t *count = ctx;
    char want[32];
    assert_int_equal(nf, 2);
    snprintf(want, sizeof want, "%zu", row - 1);
    assert_string_equal(f[0], want);
    snprintf(want, sizeof want, "r%zu", row - 1);
    assert_string_equal(f[1], want);
    (*count)++;
    return 0;
}

static void test_many_rows(void **state) {
    size_t n = 20000, cap = n * 24, len = 0, count = 0;
    char *buf = malloc(cap);
    for (size_t i = 0; i < n; i++) len += (size_t)snprintf(buf + len, cap - len, "%zu,\"r%zu\"\r\n", i, i);
    CsvError e;
    assert_int_equal(csv_parse(buf, len, NULL, check_row, &count, &e), CSV_OK);
    assert_int_equal(count, n);
    CsvLimits lim = {.max_rows = n - 1};
    count = 0;
    assert_int_equal(csv_parse(buf, len, &lim, check_row, &count, &e), CSV_ETOOMANYROWS);
    assert_int_equal(e.row, n);
    assert_int_equal(count, n - 1);
    free(buf);
}

/* ---- writer ---- */

typedef struct {
    char out[4096];
    size_t len;
} Out;

static void put(void *ctx, const char *s, size_t n) {
    Out *o = ctx;
    assert_true(o->len + n < sizeof o->out);
    memcpy(o->out + o->len, s, n);
    o->len += n;
    o->out[o->len] = '\0';
}

static void test_writer_quoting_and_bom(void **state) {
    Out o = {0};
    CsvWriter w;
    csv_writer_init(&w, put, &o, CSV_WRITE_BOM);
    const char *row1[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "", "村委会"};
    csv_write_row(&w, 6, row1, NULL);
    assert_string_equal(o.out, "\xEF\xBB\xBFplain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,村委会\r\n");

    Out o2 = {0};
    csv_writer_init(&w, put, &o2, 0);
    csv_write_field(&w, "x", 1);
    csv_end_row(&w);
    assert_string_equal(o2.out, "x\r\n");
}

static void test_writer_formula_injection(void **state) {
    Out o = {0};
    CsvWriter w;
    csv_writer_init(&w, put, &o, 0);
    const char *row[] = {"=1+2", "+86 138", "-x", "@SUM(A1)", "\tcmd", "-12.5", "+3", "a=b", "=\"x\",y"};
    csv_write_row(&w, 9, row, NULL);
    assert_string_equal(o.out, "'=1+2,'+86 138,'-x,'@SUM(A1),'\tcmd,-12.5,+3,a=b,\"'=\"\"x\"\",y\"\r\n");
}

/* Whatever the writer produces, the reader gives back the same fields
 * (dangerous ones with the defusing quote in front). */
static void test_round_trip(void **state) {
    const char *fields[] = {"姓名", "a,b", "\"q\"", "x\r\ny", "", " sp ", "=cmd", "end\""};
    size_t nf = sizeof fields / sizeof fields[0];
    Out o = {0};
    CsvWriter w;
    csv_writer_init(&w, put, &o, CSV_WRITE_BOM);
    csv_write_row(&w, nf, fields, NULL);
    csv_write_row(&w, nf, fields, NULL);

    Sink s;
    const char *got = parse_ok(&s, o.out, o.len);
    char want[1024] = "";
    for (int r = 1; r <= 2; r++) {
        snprintf(want + strlen(want), sizeof want - strlen(want), "%d:", r);
        for (size_t i = 0; i < nf; i++) {
            if (i) strcat(want, "|");
            if (fields[i][0] == '=') strcat(want, "'");
            strcat(want, fields[i]);
        }
        strcat(want, ";");
    }
    assert_string_equal(got, want);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_fields_and_line_ends),
        cmocka_unit_test(test_empty_fields_and_lines),
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_bom_skipped),
        cmocka_unit_test(test_nul_bytes_kept_by_length),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_text_after_closing_quote),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_writer_quoting_and_bom),
        cmocka_unit_test(test_writer_formula_injection),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
