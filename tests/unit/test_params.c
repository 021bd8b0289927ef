/* test_params.c -- unit tests for query, form, cookie and multipart parsing (src/platform/params.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform/buf.h"
#include "platform/http.h"

/* Makes a fresh request with its own arena before each test. */
static int setup(void **state) {
    Req *r = calloc(1, sizeof *r);
    r->arena = arena_new();
    r->method = HTTP_GET;
    *state = r;
    return 0;
}

/* Frees the request made by setup. */
static int teardown(void **state) {
    Req *r = *state;
    arena_free(r->arena);
    free(r);
    return 0;
}

/* Decodes `in` (first n bytes when n >= 0, else all) and checks result and returned length. */
static void check_decode(const char *in, int n, const char *want, size_t wantlen) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", in);
    size_t len = url_decode(buf, n >= 0 ? (size_t)n : strlen(buf));
    assert_int_equal(len, wantlen);
    assert_memory_equal(buf, want, wantlen);
    assert_int_equal(buf[len], 0);
}

/* %XX (either case) and '+' are decoded; bad or partial escapes are left as they are. */
static void test_url_decode(void **state) {
    check_decode("abc", -1, "abc", 3);
    check_decode("", -1, "", 0);
    check_decode("a%41b", -1, "aAb", 3);
    check_decode("%41", -1, "A", 1);
    check_decode("a+b++", -1, "a b  ", 5);
    check_decode("%2B%2b", -1, "++", 2);
    check_decode("%e7%BB%84", -1, "组", 3);
    check_decode("%", -1, "%", 1);
    check_decode("%4", -1, "%4", 2);
    check_decode("x%4", -1, "x%4", 3);
    check_decode("%zz", -1, "%zz", 3);
    check_decode("%4g%g4", -1, "%4g%g4", 6);
    check_decode("%%41", -1, "%A", 2);
    check_decode("%00x", -1, "\0x", 2);
    /* Only the first n bytes count: an escape cut off by n is left as is. */
    check_decode("%41", 2, "%4", 2);
    check_decode("ab+cd", 3, "ab ", 3);
}

/* Pairs separated by '&': empty pairs skipped, a name without '=' gets an empty value, values may
 * contain '=', and names and values are both decoded. */
static void test_urlencoded_basic(void **state) {
    Req *r = *state;
    const char *q = "a=1&&b=two+words&flag&c=x=y&&%E7%BB%84=%E5%A7%94%E4%BC%9A&e=&";
    assert_int_equal(parse_urlencoded(r, q, strlen(q), SRC_QUERY), 0);
    assert_int_equal(r->nparams, 6);
    assert_string_equal(req_param(r, "a"), "1");
    assert_string_equal(req_param(r, "b"), "two words");
    assert_string_equal(req_param(r, "flag"), "");
    assert_string_equal(req_param(r, "c"), "x=y");
    assert_string_equal(req_param(r, "组"), "委会");
    assert_string_equal(req_param(r, "e"), "");
    assert_null(req_param(r, "missing"));
    assert_int_equal(r->params[1].len, 9);
    assert_int_equal(r->params[4].len, 6);
    for (size_t i = 0; i < r->nparams; i++) assert_int_equal(r->params[i].src, SRC_QUERY);
}

/* Empty input and lone separators add nothing; only the first n bytes are read. */
static void test_urlencoded_empty(void **state) {
    Req *r = *state;
    assert_int_equal(parse_urlencoded(r, "", 0, SRC_QUERY), 0);
    assert_int_equal(parse_urlencoded(r, "&&&", 3, SRC_QUERY), 0);
    assert_int_equal(r->nparams, 0);
    assert_int_equal(parse_urlencoded(r, "k=v&z=9", 3, SRC_QUERY), 0);
    assert_int_equal(r->nparams, 1);
    assert_string_equal(req_param(r, "k"), "v");
    assert_null(req_param(r, "z"));
}

/* With a duplicate name, the first value wins. */
static void test_urlencoded_duplicates(void **state) {
    Req *r = *state;
    const char *q = "a=first&a=second&a=third";
    assert_int_equal(parse_urlencoded(r, q, strlen(q), SRC_QUERY), 0);
    assert_int_equal(r->nparams, 3);
    assert_string_equal(req_param(r, "a"), "first");
}

/* On a POST, req_param reads only the form (and path); on a GET only the query (and path). */
static void test_source_precedence(void **state) {
    Req *r = *state;
    const char *q = "a=fromquery&onlyq=1";
    const char *f = "a=fromform&onlyf=2";
    assert_int_equal(parse_urlencoded(r, q, strlen(q), SRC_QUERY), 0);
    assert_int_equal(parse_urlencoded(r, f, strlen(f), SRC_FORM), 0);
    parse_cookies(r, "a=fromcookie; onlyc=3");
    r->method = HTTP_POST;
    assert_string_equal(req_param(r, "a"), "fromform");
    assert_null(req_param(r, "onlyq"));
    assert_string_equal(req_param(r, "onlyf"), "2");
    assert_null(req_param(r, "onlyc"));
    assert_string_equal(req_param_src(r, "onlyq", SRC_QUERY), "1");
    r->method = HTTP_GET;
    assert_string_equal(req_param(r, "a"), "fromquery");
    assert_null(req_param(r, "onlyf"));
    assert_string_equal(req_param(r, "onlyq"), "1");
    assert_string_equal(req_cookie(r, "a"), "fromcookie");
    assert_null(req_cookie(r, "onlyq"));
    assert_string_equal(req_param_src(r, "a", SRC_FORM | SRC_COOKIE), "fromform");
    /* A path parameter counts for both methods. */
    assert_true(req_add_param(r, "id", "7", 1, SRC_PATH));
    assert_string_equal(req_param(r, "id"), "7");
    r->method = HTTP_POST;
    assert_string_equal(req_param(r, "id"), "7");
}

/* Invalid UTF-8 in a name or value, raw or escaped, is refused with 400. */
static void test_urlencoded_invalid_utf8(void **state) {
    static const char *const bad[] = {
        "a=%FF", "a=%C3", "a=%C0%80", "a=%ED%A0%80", "%FE=1", "a=\xff", "ok=1&a=%E7%BB", "a=%F5%80%80%80",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        Req r = {.arena = arena_new(), .method = HTTP_GET};
        if (parse_urlencoded(&r, bad[i], strlen(bad[i]), SRC_QUERY) != 400) fail_msg("accepted %s", bad[i]);
        arena_free(r.arena);
    }
    Req *r = *state;
    const char *good = "a=%C3%A9&b=%F0%9F%98%80";
    assert_int_equal(parse_urlencoded(r, good, strlen(good), SRC_QUERY), 0);
    assert_string_equal(req_param(r, "a"), "é");
    assert_string_equal(req_param(r, "b"), "😀");
}

/* A NUL byte smuggled in with %00 (in a value or a name) is refused with 400. */
static void test_urlencoded_nul(void **state) {
    Req *r = *state;
    assert_int_equal(parse_urlencoded(r, "a=x%00y", 7, SRC_QUERY), 400);
    assert_int_equal(parse_urlencoded(r, "a%00b=1", 7, SRC_QUERY), 400);
    assert_int_equal(parse_urlencoded(r, "a=%00", 5, SRC_QUERY), 400);
    /* A raw NUL inside the given length too. */
    assert_int_equal(parse_urlencoded(r, "a=x\0y", 5, SRC_QUERY), 400);
}

/* Appends n fields "fK=K&" to b. */
static void make_fields(Buf *b, int n) {
    for (int k = 0; k < n; k++) buf_printf(b, "f%d=%d&", k, k);
}

/* Exactly MAX_FIELDS parameters are accepted; one more is refused with 413, across sources too. */
static void test_field_cap(void **state) {
    Req *r = *state;
    Buf b = BUF_INIT;
    make_fields(&b, MAX_FIELDS);
    assert_int_equal(parse_urlencoded(r, b.p, b.len, SRC_FORM), 0);
    assert_int_equal(r->nparams, MAX_FIELDS);
    r->method = HTTP_POST;
    assert_string_equal(req_param(r, "f999"), "999");
    assert_false(req_add_param(r, "x", "y", 1, SRC_PATH));
    assert_int_equal(parse_urlencoded(r, "one=1", 5, SRC_QUERY), 413);

    Req r2 = {.arena = arena_new(), .method = HTTP_GET};
    buf_reset(&b);
    make_fields(&b, MAX_FIELDS + 1);
    assert_int_equal(parse_urlencoded(&r2, b.p, b.len, SRC_QUERY), 413);
    arena_free(r2.arena);

    Req r3 = {.arena = arena_new(), .method = HTTP_POST};
    buf_reset(&b);
    make_fields(&b, MAX_FIELDS - 1);
    assert_int_equal(parse_urlencoded(&r3, b.p, b.len, SRC_QUERY), 0);
    assert_int_equal(parse_urlencoded(&r3, "a=1", 3, SRC_FORM), 0);
    assert_int_equal(parse_urlencoded(&r3, "b=2", 3, SRC_FORM), 413);
    arena_free(r3.arena);
    buf_free(&b);
}

/* Cookies: spaces around separators skipped, pairs without '=' or with an empty name ignored,
 * invalid UTF-8 cookies dropped without losing the others. */
static void test_cookies(void **state) {
    Req *r = *state;
    parse_cookies(r, "  sid=abc;lang=en;   junk;=noname; t=a=b;bad=\xff\xfe; ok=1;");
    assert_string_equal(req_cookie(r, "sid"), "abc");
    assert_string_equal(req_cookie(r, "lang"), "en");
    assert_string_equal(req_cookie(r, "t"), "a=b");
    assert_string_equal(req_cookie(r, "ok"), "1");
    assert_null(req_cookie(r, "junk"));
    assert_null(req_cookie(r, "bad"));
    assert_null(req_cookie(r, ""));
    assert_int_equal(r->nparams, 4);
    for (size_t i = 0; i < r->nparams; i++) assert_int_equal(r->params[i].src, SRC_COOKIE);
    /* Cookies never answer req_param. */
    assert_null(req_param(r, "sid"));
    assert_int_equal(r->params[2].len, 3);
    parse_cookies(r, NULL);
    parse_cookies(r, "");
    parse_cookies(r, ";;; ;");
    parse_cookies(r, "noequals");
    assert_int_equal(r->nparams, 4);
    parse_cookies(r, "empty=");
    assert_string_equal(req_cookie(r, "empty"), "");
    parse_cookies(r, "\xe7\xbb=x; zh=\xe7\xbb\x84");
    assert_string_equal(req_cookie(r, "zh"), "组");
    assert_int_equal(r->nparams, 6);
}

/* A well-formed body: a Chinese text field, a file with name and type whose data keeps its inner
 * CRLFs (and the boundary without CRLF before it), a file without type, an empty field and a preamble before the first delimiter. */
static void test_multipart_ok(void **state) {
    Req *r = *state;
    r->method = HTTP_POST;
    static const char body[] =
        "preamble to ignore\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"title\"\r\n"
        "\r\n"
        "组委会 会议\r\n"
        "--XyZ\r\n"
        "content-disposition: form-data; name=\"file\"; filename=\"名单.csv\"\r\n"
        "Content-Type: text/csv\r\n"
        "\r\n"
        "x,y\r\n1,2 --XyZ\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"empty\"\r\n"
        "\r\n"
        "\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"bin\"; filename=\"b.dat\"\r\n"
        "\r\n"
        "\x00\xff\x01\r\n"
        "--XyZ--\r\n"
        "epilogue";
    assert_int_equal(parse_multipart(r, body, sizeof body - 1, "XyZ"), 0);
    assert_string_equal(req_param(r, "title"), "组委会 会议");
    assert_int_equal(r->params[0].len, strlen("组委会 会议"));
    assert_int_equal(r->params[0].src, SRC_FORM);
    assert_string_equal(req_param(r, "empty"), "");
    assert_null(req_param(r, "file"));
    assert_int_equal(r->nuploads, 2);
    const Upload *u = req_upload(r, "file");
    assert_non_null(u);
    assert_string_equal(u->filename, "名单.csv");
    assert_string_equal(u->content_type, "text/csv");
    const char *want = "x,y\r\n1,2 --XyZ";
    assert_int_equal(u->len, strlen(want));
    assert_memory_equal(u->data, want, u->len);
    const Upload *b = req_upload(r, "bin");
    assert_non_null(b);
    assert_string_equal(b->content_type, "application/octet-stream");
    assert_int_equal(b->len, 3);
    assert_memory_equal(b->data, "\x00\xff\x01", 3);
    assert_null(req_upload(r, "title"));
}

/* The first delimiter may open the body directly; a body with only the closing delimiter is empty. */
static void test_multipart_edges(void **state) {
    Req *r = *state;
    static const char one[] = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--";
    assert_int_equal(parse_multipart(r, one, sizeof one - 1, "b"), 0);
    r->method = HTTP_POST;
    assert_string_equal(req_param(r, "a"), "1");
    assert_int_equal(parse_multipart(r, "--b--", 5, "b"), 0);
    assert_int_equal(r->nparams, 1);
    /* A 200-byte boundary is allowed. */
    char bnd[202];
    memset(bnd, 'q', 200);
    bnd[200] = 0;
    Buf b = BUF_INIT;
    buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"long\"\r\n\r\nv\r\n--%s--\r\n", bnd, bnd);
    assert_int_equal(parse_multipart(r, b.p, b.len, bnd), 0);
    assert_string_equal(req_param(r, "long"), "v");
    /* 201 bytes and the empty boundary are refused. */
    bnd[200] = 'q';
    bnd[201] = 0;
    buf_reset(&b);
    buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n--%s--\r\n", bnd, bnd);
    assert_int_equal(parse_multipart(r, b.p, b.len, bnd), 400);
    assert_int_equal(parse_multipart(r, "----", 4, ""), 400);
    assert_null(req_param(r, "x"));
    buf_free(&b);
}

/* Checks that parse_multipart(body, boundary "B") answers `want`. */
static void check_multipart(const char *body, size_t n, int want) {
    Req r = {.arena = arena_new(), .method = HTTP_POST};
    int got = parse_multipart(&r, body, n, "B");
    if (got != want) fail_msg("got %d want %d for: %.*s", got, want, (int)n, body);
    arena_free(r.arena);
}

#define CHECK_MP(lit, want) check_multipart(lit, sizeof lit - 1, want)
#define CD "Content-Disposition: form-data; name=\"a\""

/* Malformed bodies are refused with 400: missing delimiters, bare LF, no name, bad UTF-8. */
static void test_multipart_malformed(void **state) {
    CHECK_MP("--B\r\n" CD "\r\n\r\nvalue\r\n--B--", 0);             /* the good baseline */
    CHECK_MP("--B\r\n" CD "\r\n\r\nvalue\r\n--B", 400);             /* closing "--" missing */
    CHECK_MP("--B\r\n" CD "\r\n\r\nvalue\r\n--B\r\n", 400);         /* ends after a delimiter */
    CHECK_MP("--B\r\n" CD "\r\n\r\nvalue", 400);                    /* no delimiter after data */
    CHECK_MP("--B\r\n" CD "\r\n\r\nvalue\r\n", 400);
    CHECK_MP("--B\r\n" CD "\r\n", 400);                             /* head never ends */
    CHECK_MP("", 400);
    CHECK_MP("no delimiter at all", 400);
    CHECK_MP("--B", 400);
    CHECK_MP("--B\n" CD "\n\nvalue\n--B--", 400);                   /* bare LF line ends */
    CHECK_MP("--B\r\n" CD "\r\n\r\nvalue\n--B--", 400);             /* delimiter needs CRLF before */
    CHECK_MP("--Bx\r\n" CD "\r\n\r\nv\r\n--B--", 400);              /* longer boundary */
    CHECK_MP("--B\r\nContent-Type: text/plain\r\n\r\nv\r\n--B--", 400);                 /* no name */
    CHECK_MP("--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--B--", 400);  /* unclosed quote */
    CHECK_MP("--B\r\n" CD "\r\n\r\nbad \xff\r\n--B--", 400);        /* invalid UTF-8 text */
    CHECK_MP("--B\r\n" CD "\r\n\r\n\xe7\xbb\r\n--B--", 400);        /* truncated UTF-8 text */
    CHECK_MP("--B\r\n" CD "\r\n\r\nnul \0 byte\r\n--B--", 400);     /* NUL in a text field */
    CHECK_MP("--B\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\nv\r\n--B--", 400);
    CHECK_MP("--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\xc0\"\r\n\r\nv\r\n--B--", 400);
}

/* At most 16 uploads per request, and text fields count against MAX_FIELDS. */
static void test_multipart_caps(void **state) {
    Buf b = BUF_INIT;
    for (int k = 0; k < 16; k++)
        buf_printf(&b, "--B\r\nContent-Disposition: form-data; name=\"f%d\"; filename=\"%d.txt\"\r\n\r\n%d\r\n", k, k, k);
    Buf closed = BUF_INIT;
    buf_append(&closed, b.p, b.len);
    buf_puts(&closed, "--B--");
    Req r = {.arena = arena_new(), .method = HTTP_POST};
    assert_int_equal(parse_multipart(&r, closed.p, closed.len, "B"), 0);
    assert_int_equal(r.nuploads, 16);
    assert_memory_equal(req_upload(&r, "f15")->data, "15", 2);
    arena_free(r.arena);
    buf_puts(&b, "--B\r\nContent-Disposition: form-data; name=\"f16\"; filename=\"x\"\r\n\r\nx\r\n--B--");
    r = (Req){.arena = arena_new(), .method = HTTP_POST};
    assert_int_equal(parse_multipart(&r, b.p, b.len, "B"), 413);
    arena_free(r.arena);

    buf_reset(&b);
    for (int k = 0; k <= MAX_FIELDS; k++)
        buf_printf(&b, "--B\r\nContent-Disposition: form-data; name=\"t%d\"\r\n\r\n%d\r\n", k, k);
    buf_puts(&b, "--B--");
    r = (Req){.arena = arena_new(), .method = HTTP_POST};
    assert_int_equal(parse_multipart(&r, b.p, b.len, "B"), 413);
    assert_int_equal(r.nparams, MAX_FIELDS);
    arena_free(r.arena);
    buf_free(&b);
    buf_free(&closed);
}

/* Runs the params tests. */
int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_decode),
        cmocka_unit_test_setup_teardown(test_urlencoded_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_urlencoded_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_urlencoded_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_source_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_urlencoded_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_urlencoded_nul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cookies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multipart_ok, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multipart_edges, setup, teardown),
        cmocka_unit_test(test_multipart_malformed),
        cmocka_unit_test(test_multipart_caps),
    };
    return cmocka_run_group_tests_name("params", tests, NULL, NULL);
}
