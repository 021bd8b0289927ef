/* test_i18n.c -- unit tests for the message tables (src/platform/i18n.c, src/app.c). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "app.h"
#include "platform/buf.h"
#include "platform/html.h"
#include "platform/i18n.h"

/* The message tables are one map keyed by the Chinese text: a text listed by two mechanisms must
 * carry the same English in both, or one page shows the other's wording. */
static void test_app_tables_agree(void **state) {
    const char *first = NULL;
    int conflicts = app_messages(&first);
    if (conflicts) print_error("first conflicting text: %s\n", first);
    assert_int_equal(conflicts, 0);
}

/* A conflict is counted and named; the same English twice is not a conflict. */
static void test_conflict_reported(void **state) {
    static const Msg a[] = {{"户", "Household"}, {"人", "person"}, {NULL, NULL}};
    static const Msg b[] = {{"户", "Household"}, {"人", "people"}, {NULL, NULL}};
    const char *first;
    assert_int_equal(i18n_init((const Msg *const[]){a, b, NULL}, &first), 1);
    assert_string_equal(first, "人");
    assert_int_equal(i18n_init((const Msg *const[]){a, a, NULL}, &first), 0);
    assert_null(first);
}

/* "{n} person|{n} people": one form for 1, the other for any other number; Chinese has one. */
static void test_number_forms(void **state) {
    static const Msg m[] = {{"{n} 人", "{n} person|{n} people"}, {"{n} / {m} 人", "{n} of {m} present"}, {NULL, NULL}};
    i18n_init((const Msg *const[]){m, NULL}, NULL);
    Req r = {0};
    r.arena = arena_new();
    r.lang = LANG_EN;
    assert_string_equal(Tn(&r, "{n} 人", 1), "1 person");
    assert_string_equal(Tn(&r, "{n} 人", 0), "0 people");
    assert_string_equal(Tn(&r, "{n} 人", 2), "2 people");
    assert_string_equal(Tn(&r, "{n} 人", -1), "-1 people");
    assert_string_equal(Tn2(&r, "{n} / {m} 人", 3, 40), "3 of 40 present");
    r.lang = LANG_ZH;
    assert_string_equal(Tn(&r, "{n} 人", 1), "1 人");
    assert_string_equal(Tn(&r, "{n} 人", 1234567890123LL), "1234567890123 人");
    arena_free(r.arena);
}

/* html_Tn writes what html(b, "%s", Tn(…)) writes: each form, several {n}, text that needs
 * escaping, a text with no entry, in both languages. */
static void test_html_tn_as_tn(void **state) {
    static const Msg m[] = {{"{n} 人", "{n} person|{n} people"}, {"第 {n} 行", "row {n}"},
                            {"{n} 户 <{n}>", "{n} & {n} \"households\""}, {NULL, NULL}};
    i18n_init((const Msg *const[]){m, NULL}, NULL);
    Req r = {0};
    r.arena = arena_new();
    static const char *const texts[] = {"{n} 人", "第 {n} 行", "{n} 户 <{n}>", "没有英文 {n}", "{n}", "{"};
    static const long long numbers[] = {0, 1, 2, -7, 1234567890123LL};
    for (int lang = 0; lang < 2; lang++) {
        r.lang = lang ? LANG_EN : LANG_ZH;
        for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
            for (size_t k = 0; k < sizeof numbers / sizeof numbers[0]; k++) {
                Buf want = BUF_INIT, got = BUF_INIT;
                html(&want, "%s", Tn(&r, texts[t], numbers[k]));
                html_Tn(&got, &r, texts[t], numbers[k]);
                assert_string_equal(got.p ? got.p : "", want.p ? want.p : "");
                buf_free(&want);
                buf_free(&got);
            }
    }
    arena_free(r.arena);
}

/* Counts get thousands separators, in both languages, up to the widest number; Tn never does. */
static void test_grouped_counts(void **state) {
    static const Msg m[] = {{"共 {n} 条", "{n} in all"}, {NULL, NULL}};
    i18n_init((const Msg *const[]){m, NULL}, NULL);
    Req r = {0};
    r.arena = arena_new();
    r.lang = LANG_ZH;
    assert_string_equal(Tcount(&r, "共 {n} 条", 0), "共 0 条");
    assert_string_equal(Tcount(&r, "共 {n} 条", 999), "共 999 条");
    assert_string_equal(Tcount(&r, "共 {n} 条", 2367), "共 2,367 条");
    assert_string_equal(Tcount(&r, "共 {n} 条", 237120), "共 237,120 条");
    assert_string_equal(Tcount(&r, "共 {n} 条", -1234567), "共 -1,234,567 条");
    assert_string_equal(Tcount(&r, "{n}", LLONG_MIN), "-9,223,372,036,854,775,808");
    assert_string_equal(Tn(&r, "共 {n} 条", 2026), "共 2026 条");
    r.lang = LANG_EN;
    assert_string_equal(Tcount(&r, "共 {n} 条", 1000000), "1,000,000 in all");
    arena_free(r.arena);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_app_tables_agree),
        cmocka_unit_test(test_conflict_reported),
        cmocka_unit_test(test_number_forms),
        cmocka_unit_test(test_html_tn_as_tn),
        cmocka_unit_test(test_grouped_counts),
    };
    return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
