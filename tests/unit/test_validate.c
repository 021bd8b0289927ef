/* test_validate.c -- unit tests for declared fields and their checks (src/platform/validate.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform/buf.h"
#include "platform/i18n.h"
#include "platform/page.h"
#include "platform/validate.h"

/* Registers the platform message table once and makes a fresh Chinese GET request per test. */
static int setup(void **state) {
    static const Msg *const tables[] = {platform_msgs, NULL};
    i18n_init(tables, NULL);
    Req *r = calloc(1, sizeof *r);
    r->arena = arena_new();
    r->method = HTTP_GET;
    r->lang = LANG_ZH;
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

/* Checks field_check accepts v and stores `want` as the typed value. */
static void ok_value(const Req *r, const Field *fd, const char *v, int64_t want) {
    int64_t out = -999;
    const char *code = "unset";
    const char *msg = field_check(r, fd, v, &out, &code);
    if (msg) fail_msg("field %s refused \"%s\": %s (%s)", fd->name, v ? v : "(null)", msg, code ? code : "-");
    assert_null(code);
    assert_int_equal(out, want);
}

/* Checks field_check refuses v with the error code `want`; returns the message. */
static const char *bad_value(const Req *r, const Field *fd, const char *v, const char *want) {
    int64_t out;
    const char *code = NULL;
    const char *msg = field_check(r, fd, v, &out, &code);
    if (!msg) fail_msg("field %s accepted \"%s\"", fd->name, v ? v : "(null)");
    assert_non_null(code);
    if (strcmp(code, want) != 0) fail_msg("field %s \"%s\": code %s, want %s", fd->name, v, code, want);
    return msg;
}

/* Returns a string of n copies of the UTF-8 character ch, allocated in r's arena. */
static const char *repeat(const Req *r, const char *ch, int n) {
    Buf b = BUF_INIT;
    for (int i = 0; i < n; i++) buf_puts(&b, ch);
    const char *s = arena_strdup(r->arena, b.p ? b.p : "");
    buf_free(&b);
    return s;
}

/* FT_TEXT length is counted in characters: 200 Chinese characters (600 bytes) pass, 201 do not. */
static void test_text_length_in_characters(void **state) {
    Req *r = *state;
    Field f = {.name = "name", .type = FT_TEXT};
    ok_value(r, &f, repeat(r, "组", 200), 0);
    bad_value(r, &f, repeat(r, "组", 201), "too_long");
    ok_value(r, &f, repeat(r, "a", 200), 0);
    bad_value(r, &f, repeat(r, "a", 201), "too_long");
    ok_value(r, &f, repeat(r, "😀", 200), 0);
    Field g = {.name = "code", .type = FT_TEXT, .min = 2, .max = 5};
    ok_value(r, &g, "组委会组委", 0);
    ok_value(r, &g, "ab", 0);
    bad_value(r, &g, "组委会组委会", "too_long");
    bad_value(r, &g, "组", "too_short");
    assert_string_equal(bad_value(r, &g, "abcdef", "too_long"), "不能超过 5 个字");
    assert_int_equal(utf8_chars("组委a😀"), 4);
    assert_int_equal(utf8_chars(""), 0);
}

/* Control characters are refused in one-line text and passwords; a textarea takes line breaks and
 * tabs but no other control characters. */
static void test_control_characters(void **state) {
    Req *r = *state;
    Field t = {.name = "t", .type = FT_TEXT};
    Field p = {.name = "p", .type = FT_PASSWORD};
    Field a = {.name = "a", .type = FT_TEXTAREA};
    bad_value(r, &t, "line1\nline2", "format");
    bad_value(r, &t, "tab\there", "format");
    bad_value(r, &t, "cr\r", "format");
    bad_value(r, &t, "\x1b[31m", "format");
    bad_value(r, &p, "pass\nword", "format");
    ok_value(r, &p, "pa ss w0rd!", 0);
    ok_value(r, &a, "第一行\n第二行\r\n\t第三行", 0);
    bad_value(r, &a, "bell\x07", "format");
    bad_value(r, &a, "\x01", "format");
    bad_value(r, &a, "esc \x1b[2J", "format");
    ok_value(r, &a, repeat(r, "组", 5000), 0);
    bad_value(r, &a, repeat(r, "组", 5001), "too_long");
}

/* FT_INT: digits with an optional minus, at most 15 digits, within [min, max] when set. */
static void test_int(void **state) {
    Req *r = *state;
    Field any = {.name = "n", .type = FT_INT};
    ok_value(r, &any, "0", 0);
    ok_value(r, &any, "42", 42);
    ok_value(r, &any, "-17", -17);
    ok_value(r, &any, "007", 7);
    ok_value(r, &any, "999999999999999", 999999999999999LL);
    bad_value(r, &any, "1000000000000000", "format");
    bad_value(r, &any, "-", "format");
    bad_value(r, &any, "+5", "format");
    bad_value(r, &any, "1.5", "format");
    bad_value(r, &any, "12a", "format");
    bad_value(r, &any, "--1", "format");
    bad_value(r, &any, " 1", "format");
    bad_value(r, &any, "１２", "format");
    Field range = {.name = "age", .type = FT_INT, .min = 1, .max = 120};
    ok_value(r, &range, "1", 1);
    ok_value(r, &range, "120", 120);
    bad_value(r, &range, "0", "range");
    bad_value(r, &range, "121", "range");
    bad_value(r, &range, "-5", "range");
    assert_string_equal(bad_value(r, &range, "200", "range"), "应在 1 到 120 之间");
    Field neg = {.name = "delta", .type = FT_INT, .min = -10, .max = -1};
    ok_value(r, &neg, "-10", -10);
    ok_value(r, &neg, "-1", -1);
    bad_value(r, &neg, "0", "range");
    bad_value(r, &neg, "-11", "range");
}

/* FT_DECIMAL: non-negative, at most two decimals, stored in hundredths, max in whole units. */
static void test_decimal(void **state) {
    Req *r = *state;
    Field f = {.name = "area", .type = FT_DECIMAL};
    ok_value(r, &f, "12.5", 1250);
    ok_value(r, &f, "12.50", 1250);
    ok_value(r, &f, "12", 1200);
    ok_value(r, &f, "0.05", 5);
    ok_value(r, &f, "0", 0);
    ok_value(r, &f, "100000000000", 10000000000000LL);
    bad_value(r, &f, "1.234", "format");
    bad_value(r, &f, "1.", "format");
    bad_value(r, &f, ".", "format");
    bad_value(r, &f, "-1", "format");
    bad_value(r, &f, "1,5", "format");
    bad_value(r, &f, "1e3", "format");
    bad_value(r, &f, "1.2.3", "format");
    bad_value(r, &f, "100000000001", "format");
    Field m = {.name = "km", .type = FT_DECIMAL, .max = 100};
    ok_value(r, &m, "100", 10000);
    ok_value(r, &m, "100.00", 10000);
    bad_value(r, &m, "100.01", "range");
}

/* FT_DATE: exactly YYYY-MM-DD naming a real day; the value is days since 1970-01-01. */
static void test_date(void **state) {
    Req *r = *state;
    Field f = {.name = "d", .type = FT_DATE};
    ok_value(r, &f, "1970-01-01", 0);
    ok_value(r, &f, "1970-01-02", 1);
    ok_value(r, &f, "1969-12-31", -1);
    ok_value(r, &f, "2024-02-29", 19782);
    bad_value(r, &f, "2023-02-29", "format");
    bad_value(r, &f, "2024-13-01", "format");
    bad_value(r, &f, "2024-04-31", "format");
    bad_value(r, &f, "2024-1-1", "format");
    bad_value(r, &f, "2024/01/01", "format");
    bad_value(r, &f, "2024-01-01x", "format");
    bad_value(r, &f, "yesterday", "format");
    Field range = {.name = "d2", .type = FT_DATE, .min = 19782, .max = 19783};
    ok_value(r, &range, "2024-03-01", 19783);
    bad_value(r, &range, "2024-02-28", "range");
    bad_value(r, &range, "2024-03-02", "range");
}

/* FT_ENUM takes exactly one of the declared values. */
static void test_enum(void **state) {
    Req *r = *state;
    static const Choice sex[] = {{"m", "男"}, {"f", "女"}, {NULL, NULL}};
    Field f = {.name = "sex", .type = FT_ENUM, .choices = sex};
    ok_value(r, &f, "m", 0);
    ok_value(r, &f, "f", 0);
    bad_value(r, &f, "x", "choice");
    bad_value(r, &f, "男", "choice");
    bad_value(r, &f, "mf", "choice");
    bad_value(r, &f, "M", "choice");
    Field none = {.name = "none", .type = FT_ENUM};
    bad_value(r, &none, "m", "choice");
}

/* FT_BOOL: 1/on/true → 1, 0/off/false and absence → 0, anything else refused; never "required". */
static void test_bool(void **state) {
    Req *r = *state;
    Field f = {.name = "ok", .type = FT_BOOL, .required = true};
    ok_value(r, &f, "1", 1);
    ok_value(r, &f, "on", 1);
    ok_value(r, &f, "true", 1);
    ok_value(r, &f, "0", 0);
    ok_value(r, &f, "off", 0);
    ok_value(r, &f, "false", 0);
    ok_value(r, &f, NULL, 0);
    ok_value(r, &f, "", 0);
    bad_value(r, &f, "yes", "format");
    bad_value(r, &f, "2", "format");
}

/* FT_ID: a positive integer; zero, negatives and non-digits refused. */
static void test_id(void **state) {
    Req *r = *state;
    Field f = {.name = "id", .type = FT_ID};
    ok_value(r, &f, "1", 1);
    ok_value(r, &f, "123456789", 123456789);
    bad_value(r, &f, "0", "format");
    bad_value(r, &f, "-3", "format");
    bad_value(r, &f, "1x", "format");
    bad_value(r, &f, "1000000000000000", "format");
}

/* FT_IDS: a list of positive ids as "1,2,3"; an entry that is not one, or too many, refused. */
static void test_ids_check(void **state) {
    Req *r = *state;
    Field f = {.name = "ids", .type = FT_IDS, .max = 3};
    ok_value(r, &f, "7", 1);
    ok_value(r, &f, "1,22,333", 3);
    bad_value(r, &f, "1,2,3,4", "range");
    for (const char *const *v = (const char *const[]){"0", "1,,2", "1,", ",1", "x", "1,-2", "01", "1 2", "1000000000000000", "\x01", NULL};
         *v; v++)
        bad_value(r, &f, *v, "format");
}

/* FT_IDS reads the repeated form field, or a JSON array; form_ids gives the ids back. */
static void test_ids_read(void **state) {
    Req *r = *state;
    static const Field fields[] = {{"members", "成员", FT_IDS, true, 0, 0, NULL, NULL, NULL}};
    assert_true(req_add_param(r, "members", "12", 2, SRC_FORM));
    assert_true(req_add_param(r, "other", "9", 1, SRC_FORM));
    assert_true(req_add_param(r, "members", "5", 1, SRC_FORM));
    assert_true(req_add_param(r, "members", "77", 2, SRC_QUERY));
    Form f;
    assert_int_equal(form_read(r, &f, fields, 1), 0);
    int64_t ids[4];
    assert_int_equal(form_i(&f, "members"), 2);
    assert_int_equal(form_ids(&f, "members", ids, 4), 2);
    assert_true(ids[0] == 12 && ids[1] == 5);
    assert_int_equal(form_ids(&f, "members", ids, 1), 1);
    r->method = HTTP_POST;
    static const char *const json[][2] = {{"{\"members\":[3,4]}", NULL}, {"{\"members\":[]}", "required"},
                                          {"{\"members\":[3,\"4\"]}", "format"}, {"{\"members\":[3,1.5]}", "format"},
                                          {"{\"members\":3}", "format"}, {"{\"members\":[3,-4]}", "format"},
                                          {"{}", "required"}};
    for (size_t i = 0; i < sizeof json / sizeof json[0]; i++) {
        r->body = json[i][0];
        r->body_len = strlen(json[i][0]);
        int errors = form_read(r, &f, fields, 1);
        if (errors != (json[i][1] != NULL) || (json[i][1] && strcmp(f.code[0], json[i][1]) != 0))
            fail_msg("%s: %d errors, code %s", json[i][0], errors, f.code[0] ? f.code[0] : "-");
    }
    r->body = "{\"members\":[3,4]}";
    r->body_len = strlen(r->body);
    assert_int_equal(form_read(r, &f, fields, 1), 0);
    assert_int_equal(form_ids(&f, "members", ids, 4), 2);
    assert_true(ids[0] == 3 && ids[1] == 4);
}

/* FT_PHONE: an 11-digit mobile starting with 1, or 0 + 2–3 digit area code + '-' + 7–8 digits. */
static void test_phone(void **state) {
    Req *r = *state;
    Field f = {.name = "tel", .type = FT_PHONE};
    ok_value(r, &f, "13800138000", 0);
    ok_value(r, &f, "0856-1234567", 0);
    ok_value(r, &f, "0856-12345678", 0);
    ok_value(r, &f, "010-12345678", 0);
    bad_value(r, &f, "1380013800", "format");
    bad_value(r, &f, "138001380001", "format");
    bad_value(r, &f, "23800138000", "format");
    bad_value(r, &f, "1380013800a", "format");
    bad_value(r, &f, "08561234567", "format");
    bad_value(r, &f, "0856-123456", "format");
    bad_value(r, &f, "0856-123456789", "format");
    bad_value(r, &f, "0-1234567", "format");
    bad_value(r, &f, "08567-1234567", "format");
    bad_value(r, &f, "0a56-1234567", "format");
    bad_value(r, &f, "0856-12a4567", "format");
    bad_value(r, &f, "0856-1234-567", "format");
    bad_value(r, &f, "856-1234567", "format");
    bad_value(r, &f, "-", "format");
}

/* FT_DIGITS: digits only, with min/max lengths; an exact length gets its own message. */
static void test_digits(void **state) {
    Req *r = *state;
    Field exact = {.name = "code", .type = FT_DIGITS, .min = 6, .max = 6};
    ok_value(r, &exact, "522600", 0);
    ok_value(r, &exact, "000000", 0);
    assert_string_equal(bad_value(r, &exact, "52260", "format"), "应为 6 位数字");
    bad_value(r, &exact, "5226001", "format");
    bad_value(r, &exact, "52260a", "format");
    Field any = {.name = "n", .type = FT_DIGITS};
    ok_value(r, &any, "1", 0);
    ok_value(r, &any, "0123456789012345678901234567890", 0);
    assert_string_equal(bad_value(r, &any, "12-3", "format"), "只能填写数字");
    Field range = {.name = "r", .type = FT_DIGITS, .min = 2, .max = 4};
    ok_value(r, &range, "12", 0);
    ok_value(r, &range, "1234", 0);
    bad_value(r, &range, "1", "format");
    bad_value(r, &range, "12345", "format");
}

/* Required fields refuse absence and the empty string; optional ones accept both. */
static void test_required_optional(void **state) {
    Req *r = *state;
    static const FieldType types[] = {FT_TEXT, FT_TEXTAREA, FT_INT, FT_DECIMAL, FT_DATE,
                                      FT_ENUM, FT_ID, FT_PHONE, FT_DIGITS, FT_PASSWORD, FT_IDS};
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        Field req = {.name = "x", .type = types[i], .required = true};
        Field opt = {.name = "x", .type = types[i]};
        assert_string_equal(bad_value(r, &req, NULL, "required"), "必填");
        bad_value(r, &req, "", "required");
        ok_value(r, &opt, NULL, 0);
        ok_value(r, &opt, "", 0);
    }
}

/* Refuses values that start with "x", as a handler-supplied rule. */
static const char *no_x(const char *v) { return v[0] == 'x' ? "编号已被使用" : NULL; }

/* The custom check runs after the type check and its refusal is a "format" error. */
static void test_custom_check(void **state) {
    Req *r = *state;
    Field f = {.name = "code", .type = FT_TEXT, .max = 4, .check = no_x};
    ok_value(r, &f, "abc", 0);
    assert_string_equal(bad_value(r, &f, "xyz", "format"), "编号已被使用");
    /* The type check comes first: a too-long value is reported as such. */
    bad_value(r, &f, "xxxxx", "too_long");
    Field opt = {.name = "c2", .type = FT_TEXT, .check = no_x};
    ok_value(r, &opt, NULL, 0);
}

/* With English on, messages come from the platform table and numbers are filled in. */
static void test_english_messages(void **state) {
    Req *r = *state;
    r->lang = LANG_EN;
    Field req = {.name = "x", .type = FT_TEXT, .required = true};
    assert_string_equal(bad_value(r, &req, NULL, "required"), "Required");
    assert_string_equal(bad_value(r, &req, repeat(r, "组", 201), "too_long"), "At most 200 characters");
    Field range = {.name = "n", .type = FT_INT, .min = 1, .max = 10};
    assert_string_equal(bad_value(r, &range, "11", "range"), "Must be between 1 and 10");
    Field digits = {.name = "d", .type = FT_DIGITS, .min = 18, .max = 18};
    assert_string_equal(bad_value(r, &digits, "1", "format"), "Must be 18 digits");
    Field date = {.name = "d", .type = FT_DATE};
    assert_string_equal(bad_value(r, &date, "2023-02-29", "format"), "Date must look like 2026-03-07");
    r->lang = LANG_ZH;
    assert_string_equal(bad_value(r, &range, "11", "range"), "应在 1 到 10 之间");
}

static const Choice kinds[] = {{"a", "甲"}, {"b", "乙"}, {NULL, NULL}};
static const Field person[] = {
    {.name = "name", .label = "姓名", .type = FT_TEXT, .required = true, .max = 10},
    {.name = "age", .label = "年龄", .type = FT_INT, .min = 0, .max = 150},
    {.name = "area", .label = "面积", .type = FT_DECIMAL},
    {.name = "ok", .label = "同意", .type = FT_BOOL},
    {.name = "kind", .label = "类别", .type = FT_ENUM, .choices = kinds},
    {.name = "note", .label = "备注", .type = FT_TEXTAREA},
};
enum { NPERSON = sizeof person / sizeof *person };

/* form_read takes form fields on a POST (ignoring the query), trims them and types them. */
static void test_form_read_form(void **state) {
    Req *r = *state;
    r->method = HTTP_POST;
    assert_true(req_add_param(r, "name", "smuggled", 8, SRC_QUERY));
    assert_true(req_add_param(r, "name", " \t张三 \r\n", 11, SRC_FORM));
    assert_true(req_add_param(r, "age", " 42 ", 4, SRC_FORM));
    assert_true(req_add_param(r, "area", "12.5", 4, SRC_FORM));
    assert_true(req_add_param(r, "ok", "on", 2, SRC_FORM));
    assert_true(req_add_param(r, "kind", "b", 1, SRC_FORM));
    assert_true(req_add_param(r, "note", "多行\n文字", 13, SRC_FORM));
    Form f;
    assert_int_equal(form_read(r, &f, person, NPERSON), 0);
    assert_true(f.submitted);
    assert_int_equal(f.nerr, 0);
    assert_string_equal(form_s(&f, "name"), "张三");
    assert_int_equal(form_i(&f, "age"), 42);
    assert_int_equal(form_i(&f, "area"), 1250);
    assert_int_equal(form_i(&f, "ok"), 1);
    assert_string_equal(form_s(&f, "kind"), "b");
    assert_string_equal(form_s(&f, "note"), "多行\n文字");
    assert_true(form_has(&f, "age"));
    assert_null(form_s(&f, "nosuch"));
    assert_int_equal(form_i(&f, "nosuch"), 0);
}

/* form_read counts every failing field and keeps a code and message for each. */
static void test_form_read_errors(void **state) {
    Req *r = *state;
    r->method = HTTP_POST;
    assert_true(req_add_param(r, "name", "   ", 3, SRC_FORM));
    assert_true(req_add_param(r, "age", "200", 3, SRC_FORM));
    assert_true(req_add_param(r, "area", "1.234", 5, SRC_FORM));
    assert_true(req_add_param(r, "kind", "c", 1, SRC_FORM));
    assert_true(req_add_param(r, "age", "1", 1, SRC_QUERY));
    Form f;
    assert_int_equal(form_read(r, &f, person, NPERSON), 4);
    assert_int_equal(f.nerr, 4);
    assert_string_equal(f.code[0], "required");
    assert_string_equal(f.code[1], "range");
    assert_string_equal(f.code[2], "format");
    assert_null(f.err[3]);
    assert_int_equal(f.i[3], 0);
    assert_string_equal(f.code[4], "choice");
    assert_null(f.err[5]);
    assert_null(f.s[5]);
    assert_false(form_has(&f, "name"));
    /* On a GET the same fields come from the query. */
    Req g = {.arena = r->arena, .method = HTTP_GET};
    assert_true(req_add_param(&g, "name", "李四", 6, SRC_QUERY));
    assert_true(req_add_param(&g, "name", "表单", 6, SRC_FORM));
    assert_int_equal(form_read(&g, &f, person, NPERSON), 0);
    assert_string_equal(form_s(&f, "name"), "李四");
}

/* Reads `json` as the body of an API POST into f with the person fields; returns the errors. */
static int read_json(Req *r, Form *f, const char *json) {
    r->method = HTTP_POST;
    r->body = json;
    r->body_len = strlen(json);
    return form_read(r, f, person, NPERSON);
}

/* A JSON body: strings trimmed, numbers and booleans converted to their text, null is absent,
 * arrays and objects refused; invalid JSON or a non-object is one "bad_json" error. */
static void test_form_read_json(void **state) {
    Req *r = *state;
    assert_true(req_add_param(r, "name", "fromform", 8, SRC_FORM));
    Form f;
    assert_int_equal(read_json(r, &f, "{\"name\":\" 王五 \",\"age\":42,\"area\":12.5,\"ok\":true,"
                                      "\"kind\":\"a\",\"note\":null}"), 0);
    assert_string_equal(form_s(&f, "name"), "王五");
    assert_int_equal(form_i(&f, "age"), 42);
    assert_int_equal(form_i(&f, "area"), 1250);
    assert_int_equal(form_i(&f, "ok"), 1);
    assert_null(f.s[5]);
    assert_int_equal(read_json(r, &f, "{\"name\":\"x\",\"ok\":false,\"area\":3,\"age\":-1}"), 1);
    assert_int_equal(form_i(&f, "ok"), 0);
    assert_int_equal(form_i(&f, "area"), 300);
    assert_string_equal(f.code[1], "range");
    /* A JSON number with more than two decimals is refused, not rounded. */
    assert_int_equal(read_json(r, &f, "{\"name\":\"x\",\"area\":1.234}"), 1);
    assert_string_equal(f.code[2], "format");
    assert_int_equal(read_json(r, &f, "{\"name\":\"x\",\"area\":0.1,\"age\":7.0}"), 0);
    assert_int_equal(form_i(&f, "area"), 10);
    assert_int_equal(form_i(&f, "age"), 7);
    /* Arrays and objects are refused by every text type, including the textarea. */
    assert_int_equal(read_json(r, &f, "{\"name\":[\"x\"],\"note\":{\"a\":1},\"kind\":[]}"), 3);
    assert_string_equal(f.code[0], "format");
    assert_string_equal(f.code[4], "choice");
    assert_string_equal(f.code[5], "format");
    /* Broken or non-object bodies. */
    static const char *const broken[] = {"{bad", "[1,2]", "\"text\"", "", "{\"name\":\"a\",\"name\":\"b\"}"};
    for (size_t i = 0; i < sizeof broken / sizeof *broken; i++) {
        if (read_json(r, &f, broken[i]) != 1) fail_msg("not one error for %s", broken[i]);
        assert_string_equal(f.code[0], "bad_json");
        assert_non_null(f.err[0]);
        for (int k = 1; k < NPERSON; k++) assert_null(f.err[k]);
    }
    r->lang = LANG_EN;
    read_json(r, &f, "nope");
    assert_string_equal(f.err[0], "The body is not a valid JSON object");
}

/* form_fail adds a handler-level error (counted once per field); form_init/form_set prefill. */
static void test_form_fail_and_init(void **state) {
    Req *r = *state;
    r->method = HTTP_POST;
    assert_true(req_add_param(r, "name", "赵六", 6, SRC_FORM));
    Form f;
    assert_int_equal(form_read(r, &f, person, NPERSON), 0);
    form_fail(&f, "name", "taken", "名称已被使用");
    assert_int_equal(f.nerr, 1);
    assert_string_equal(f.code[0], "taken");
    assert_string_equal(f.err[0], "名称已被使用");
    form_fail(&f, "name", "taken2", "again");
    assert_int_equal(f.nerr, 1);
    assert_string_equal(f.code[0], "taken2");
    form_fail(&f, "age", "range", "太大");
    assert_int_equal(f.nerr, 2);
    assert_string_equal(f.err[1], "太大");
    form_fail(&f, "unknown", "x", "y");
    assert_int_equal(f.nerr, 2);
    assert_string_equal(f.code[0], "x");

    form_init(&f, person, NPERSON);
    assert_false(f.submitted);
    assert_int_equal(f.nerr, 0);
    assert_null(form_s(&f, "name"));
    form_set(&f, "name", "初始值");
    form_set(&f, "nosuch", "ignored");
    assert_string_equal(form_s(&f, "name"), "初始值");
    form_set(&f, "kind", "");
    assert_null(form_s(&f, "kind"));
    assert_false(form_has(&f, "kind"));
}

/* Runs the validate tests. */
int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text_length_in_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_control_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_int, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decimal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bool, setup, teardown),
        cmocka_unit_test_setup_teardown(test_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_digits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_required_optional, setup, teardown),
        cmocka_unit_test_setup_teardown(test_custom_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_english_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_read_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_read_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_read_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ids_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ids_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_form_fail_and_init, setup, teardown),
    };
    return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
