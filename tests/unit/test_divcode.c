/* test_divcode.c -- unit tests for src/org/divcode.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "org/divcode.h"

static void test_county(void **state) {
    assert_int_equal(divcode_validate("520602000000", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_OK);
    assert_int_equal(divcode_validate("110105000000", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_OK);
    assert_int_equal(divcode_validate("520602001000", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_ERR_NOT_ZERO);
    assert_int_equal(divcode_validate("520602000001", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_ERR_NOT_ZERO);
    assert_int_equal(divcode_validate("520600000000", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_ERR_COUNTY); /* prefecture */
    assert_int_equal(divcode_validate("520000000000", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_ERR_COUNTY); /* province */
    assert_int_equal(divcode_validate("520002000000", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_ERR_COUNTY);
    assert_int_equal(divcode_validate("050602000000", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_ERR_COUNTY);
    assert_int_equal(divcode_validate("100602000000", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_ERR_COUNTY);
    assert_int_equal(divcode_validate("520602", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_ERR_LENGTH);
    assert_int_equal(divcode_validate("5206020000000", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_ERR_LENGTH);
    assert_int_equal(divcode_validate("52060200000O", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_ERR_DIGITS);
    assert_int_equal(divcode_validate("", UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_ERR_EMPTY);
    assert_int_equal(divcode_validate(NULL, UNIT_COUNTY, TOWNSHIP_ANY), DIVCODE_ERR_EMPTY);
    assert_int_equal(divcode_validate("520602000000", (UnitKind)9, TOWNSHIP_ANY), DIVCODE_ERR_KIND);
}

/* Every township number 000..999 lands in exactly the documented range. */
static void test_township_ranges(void **state) {
    char code[32];
    for (int t = 0; t <= 999; t++) {
        snprintf(code, sizeof code, "520602%03d000", t);
        int rc = divcode_validate(code, UNIT_TOWNSHIP, TOWNSHIP_ANY);
        TownshipKind want = t == 0 ? TOWNSHIP_ANY : t <= 99 ? TOWNSHIP_STREET
                          : t <= 199 ? TOWNSHIP_TOWN : t <= 399 ? TOWNSHIP_XIANG : TOWNSHIP_ANY;
        assert_int_equal(divcode_township_kind(code), want);
        if (want == TOWNSHIP_ANY) {
            assert_int_equal(rc, DIVCODE_ERR_TOWNSHIP);
            continue;
        }
        assert_int_equal(rc, DIVCODE_OK);
        for (int sub = TOWNSHIP_STREET; sub <= TOWNSHIP_XIANG; sub++)
            assert_int_equal(divcode_validate(code, UNIT_TOWNSHIP, (TownshipKind)sub),
                             sub == (int)want ? DIVCODE_OK : DIVCODE_ERR_TOWNSHIP_KIND);
    }
}

static void test_township_edges(void **state) {
    assert_int_equal(divcode_validate("520602001000", UNIT_TOWNSHIP, TOWNSHIP_STREET), DIVCODE_OK);
    assert_int_equal(divcode_validate("520602099000", UNIT_TOWNSHIP, TOWNSHIP_STREET), DIVCODE_OK);
    assert_int_equal(divcode_validate("520602100000", UNIT_TOWNSHIP, TOWNSHIP_STREET), DIVCODE_ERR_TOWNSHIP_KIND);
    assert_int_equal(divcode_validate("520602100000", UNIT_TOWNSHIP, TOWNSHIP_TOWN), DIVCODE_OK);
    assert_int_equal(divcode_validate("520602199000", UNIT_TOWNSHIP, TOWNSHIP_TOWN), DIVCODE_OK);
    assert_int_equal(divcode_validate("520602200000", UNIT_TOWNSHIP, TOWNSHIP_TOWN), DIVCODE_ERR_TOWNSHIP_KIND);
    assert_int_equal(divcode_validate("520602200000", UNIT_TOWNSHIP, TOWNSHIP_XIANG), DIVCODE_OK);
    assert_int_equal(divcode_validate("520602399000", UNIT_TOWNSHIP, TOWNSHIP_XIANG), DIVCODE_OK);
    assert_int_equal(divcode_validate("520602400000", UNIT_TOWNSHIP, TOWNSHIP_XIANG), DIVCODE_ERR_TOWNSHIP);
    assert_int_equal(divcode_validate("520602100001", UNIT_TOWNSHIP, TOWNSHIP_ANY), DIVCODE_ERR_NOT_ZERO);
    assert_int_equal(divcode_validate("520600100000", UNIT_TOWNSHIP, TOWNSHIP_ANY), DIVCODE_ERR_COUNTY);
    assert_int_equal(divcode_township_kind("52060"), TOWNSHIP_ANY);
    assert_int_equal(divcode_township_kind(NULL), TOWNSHIP_ANY);
    assert_int_equal(divcode_township_kind("520602a00000"), TOWNSHIP_ANY);
    assert_string_equal(township_kind_zh(TOWNSHIP_STREET), "街道");
    assert_string_equal(township_kind_zh(TOWNSHIP_TOWN), "镇");
    assert_string_equal(township_kind_zh(TOWNSHIP_XIANG), "乡");
}

static void test_village(void **state) {
    assert_int_equal(divcode_validate("520602100201", UNIT_VILLAGE, TOWNSHIP_ANY), DIVCODE_OK);
    assert_int_equal(divcode_validate("520602100001", UNIT_VILLAGE, TOWNSHIP_ANY), DIVCODE_OK);
    assert_int_equal(divcode_validate("520602100999", UNIT_VILLAGE, TOWNSHIP_ANY), DIVCODE_OK);
    assert_int_equal(divcode_validate("520602100000", UNIT_VILLAGE, TOWNSHIP_ANY), DIVCODE_ERR_VILLAGE);
    assert_int_equal(divcode_validate("520602000201", UNIT_VILLAGE, TOWNSHIP_ANY), DIVCODE_ERR_TOWNSHIP);
    assert_int_equal(divcode_validate("520602500201", UNIT_VILLAGE, TOWNSHIP_ANY), DIVCODE_ERR_TOWNSHIP);
    assert_int_equal(divcode_validate("520602100201001", UNIT_VILLAGE, TOWNSHIP_ANY), DIVCODE_ERR_LENGTH);
}

static void test_group(void **state) {
    assert_int_equal(divcode_validate("520602100201001", UNIT_GROUP, TOWNSHIP_ANY), DIVCODE_OK);
    assert_int_equal(divcode_validate("520602100201999", UNIT_GROUP, TOWNSHIP_ANY), DIVCODE_OK);
    assert_int_equal(divcode_validate("520602100201000", UNIT_GROUP, TOWNSHIP_ANY), DIVCODE_ERR_GROUP);
    assert_int_equal(divcode_validate("520602100000001", UNIT_GROUP, TOWNSHIP_ANY), DIVCODE_ERR_VILLAGE);
    assert_int_equal(divcode_validate("520602100201", UNIT_GROUP, TOWNSHIP_ANY), DIVCODE_ERR_LENGTH);
    assert_int_equal(divcode_validate("52060210020100a", UNIT_GROUP, TOWNSHIP_ANY), DIVCODE_ERR_DIGITS);
    assert_int_equal(divcode_length(UNIT_GROUP), 15);
    assert_int_equal(divcode_length(UNIT_VILLAGE), 12);
}

static void test_kind_fits_parent(void **state) {
    for (int c = UNIT_COUNTY; c <= UNIT_GROUP; c++)
        for (int p = UNIT_COUNTY; p <= UNIT_GROUP; p++)
            assert_int_equal(kind_fits_parent((UnitKind)c, (UnitKind)p), c == p + 1);
}

static void test_check_parent(void **state) {
    assert_int_equal(divcode_check_parent("520602100000", UNIT_TOWNSHIP, "520602000000", UNIT_COUNTY), DIVCODE_OK);
    assert_int_equal(divcode_check_parent("520603100000", UNIT_TOWNSHIP, "520602000000", UNIT_COUNTY), DIVCODE_ERR_NOT_CHILD);
    assert_int_equal(divcode_check_parent("520602100201", UNIT_VILLAGE, "520602100000", UNIT_TOWNSHIP), DIVCODE_OK);
    assert_int_equal(divcode_check_parent("520602101201", UNIT_VILLAGE, "520602100000", UNIT_TOWNSHIP), DIVCODE_ERR_NOT_CHILD);
    assert_int_equal(divcode_check_parent("520603100201", UNIT_VILLAGE, "520602100000", UNIT_TOWNSHIP), DIVCODE_ERR_NOT_CHILD);
    assert_int_equal(divcode_check_parent("520602100201007", UNIT_GROUP, "520602100201", UNIT_VILLAGE), DIVCODE_OK);
    assert_int_equal(divcode_check_parent("520602100202007", UNIT_GROUP, "520602100201", UNIT_VILLAGE), DIVCODE_ERR_NOT_CHILD);
    /* kinds that skip a level or go upward */
    assert_int_equal(divcode_check_parent("520602100201", UNIT_VILLAGE, "520602000000", UNIT_COUNTY), DIVCODE_ERR_PARENT_KIND);
    assert_int_equal(divcode_check_parent("520602000000", UNIT_COUNTY, "520602100000", UNIT_TOWNSHIP), DIVCODE_ERR_PARENT_KIND);
    assert_int_equal(divcode_check_parent("520602100201001", UNIT_GROUP, "520602100000", UNIT_TOWNSHIP), DIVCODE_ERR_PARENT_KIND);
    /* invalid codes on either side */
    assert_int_equal(divcode_check_parent("520602100200", UNIT_VILLAGE, "520602100000", UNIT_TOWNSHIP), DIVCODE_OK);
    assert_int_equal(divcode_check_parent("520602100000", UNIT_VILLAGE, "520602100000", UNIT_TOWNSHIP), DIVCODE_ERR_VILLAGE);
    assert_int_equal(divcode_check_parent("520602100201", UNIT_VILLAGE, "520602100201", UNIT_TOWNSHIP), DIVCODE_ERR_PARENT_CODE);
    assert_int_equal(divcode_check_parent("520602100201001", UNIT_GROUP, "52060210020", UNIT_VILLAGE), DIVCODE_ERR_PARENT_CODE);
}

static void test_make_group(void **state) {
    char out[DIVCODE_SIZE];
    assert_int_equal(divcode_make_group("520602100201", 7, out), 0);
    assert_string_equal(out, "520602100201007");
    assert_int_equal(divcode_check_parent(out, UNIT_GROUP, "520602100201", UNIT_VILLAGE), DIVCODE_OK);
    assert_int_equal(divcode_make_group("520602100201", 999, out), 0);
    assert_string_equal(out, "520602100201999");
    assert_int_equal(divcode_make_group("520602100201", 0, out), DIVCODE_ERR_ARG);
    assert_int_equal(divcode_make_group("520602100201", 1000, out), DIVCODE_ERR_ARG);
    assert_int_equal(divcode_make_group("520602100000", 1, out), DIVCODE_ERR_ARG);
}

static void test_messages(void **state) {
    for (int a = DIVCODE_ERR_ARG; a <= DIVCODE_OK; a++) {
        assert_true(strlen(divcode_error_zh(a)) > 0);
        for (int b = a + 1; b <= DIVCODE_OK; b++)
            assert_string_not_equal(divcode_error_zh(a), divcode_error_zh(b));
    }
    assert_string_equal(divcode_error_zh(-100), "区划代码无效");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_county),
        cmocka_unit_test(test_township_ranges),
        cmocka_unit_test(test_township_edges),
        cmocka_unit_test(test_village),
        cmocka_unit_test(test_group),
        cmocka_unit_test(test_kind_fits_parent),
        cmocka_unit_test(test_check_parent),
        cmocka_unit_test(test_make_group),
        cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests_name("divcode", tests, NULL, NULL);
}
