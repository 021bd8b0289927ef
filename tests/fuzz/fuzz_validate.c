/* fuzz_validate.c -- libFuzzer target for field checking (src/platform/validate.c): the input is
 * cut at its first NUL into a value and a second value, and each is checked against every field
 * type, with and without limits, in Chinese and English. A JSON form read runs on the whole input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platform/buf.h"
#include "platform/i18n.h"
#include "platform/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const Choice choices[] = {{"a", "甲"}, {"组委", "乙"}, {NULL, NULL}};

/* Refuses values starting with 'x', to run the custom check path. */
static const char *no_x(const char *v) { return v[0] == 'x' ? "编号已被使用" : NULL; }

/* The field types with no limits, with limits, and with a custom check. */
static const Field fields[] = {
    {.name = "t", .type = FT_TEXT},
    {.name = "t2", .type = FT_TEXT, .min = 2, .max = 5, .check = no_x},
    {.name = "ta", .type = FT_TEXTAREA},
    {.name = "i", .type = FT_INT},
    {.name = "i2", .type = FT_INT, .min = -100, .max = 100, .required = true},
    {.name = "d", .type = FT_DECIMAL},
    {.name = "d2", .type = FT_DECIMAL, .max = 1000},
    {.name = "dt", .type = FT_DATE},
    {.name = "dt2", .type = FT_DATE, .min = 0, .max = 20000},
    {.name = "e", .type = FT_ENUM, .choices = choices},
    {.name = "b", .type = FT_BOOL},
    {.name = "id", .type = FT_ID, .required = true},
    {.name = "ph", .type = FT_PHONE},
    {.name = "dg", .type = FT_DIGITS},
    {.name = "dg2", .type = FT_DIGITS, .min = 18, .max = 18},
    {.name = "pw", .type = FT_PASSWORD, .max = 64},
};
enum { NFIELDS = sizeof fields / sizeof *fields };

/* Checks v against every field and traps when a refusal has no code or an acceptance has one. */
static void check_all(const Req *r, const char *v) {
    for (int k = 0; k < NFIELDS; k++) {
        int64_t out;
        const char *code;
        const char *msg = field_check(r, &fields[k], v, &out, &code);
        if ((msg == NULL) != (code == NULL)) __builtin_trap();
        if (msg) (void)strlen(msg);
    }
    if (v) (void)utf8_chars(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const Msg *const no_tables[] = {NULL};
    i18n_init(no_tables, NULL);
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    size_t first = strlen(s);
    const char *second = first < size ? s + first + 1 : NULL;

    for (int lang = LANG_ZH; lang <= LANG_EN; lang++) {
        Req r = {.arena = arena_new(), .method = HTTP_POST, .lang = lang};
        check_all(&r, s);
        check_all(&r, second);
        arena_free(r.arena);
    }

    /* The whole input as a JSON body, and the first value as a form field of every name. */
    Req r = {.arena = arena_new(), .method = HTTP_POST, .body = s, .body_len = size};
    Form f;
    int nerr = form_read(&r, &f, fields, NFIELDS);
    if (nerr < 0 || nerr > NFIELDS) __builtin_trap();
    r.body = NULL;
    for (int k = 0; k < NFIELDS; k++) req_add_param(&r, fields[k].name, s, first, SRC_FORM);
    nerr = form_read(&r, &f, fields, NFIELDS);
    if (nerr < 0 || nerr > NFIELDS) __builtin_trap();
    arena_free(r.arena);
    free(s);
    return 0;
}
