/* test_date.c -- unit tests for src/platform/date.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "platform/date.h"

/* Day number of a valid date, failing the test if it is not valid. */
static int32_t D(const char *iso) {
    int32_t d = 0;
    assert_int_equal(date_parse(iso, &d), 0);
    return d;
}

static void test_epoch_and_anchors(void **state) {
    assert_int_equal(days_from_civil(1970, 1, 1), 0);
    assert_int_equal(days_from_civil(1969, 12, 31), -1);
    assert_int_equal(days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(days_from_civil(1, 1, 1), -719162);
    assert_int_equal(days_from_civil(9999, 12, 31), 2932896);
}

/* Walk every day from 0001-01-01 to 9999-12-31 with a naive calendar
 * counter and check both conversions agree with it. */
static void test_every_day_round_trip(void **state) {
    int y = 1, m = 1, d = 1;
    int32_t n = days_from_civil(1, 1, 1);
    for (;;) {
        int cy, cm, cd;
        assert_int_equal(days_from_civil(y, m, d), n);
        civil_from_days(n, &cy, &cm, &cd);
        if (cy != y || cm != m || cd != d) fail_msg("day %d: %d-%d-%d", (int)n, cy, cm, cd);
        if (y == 9999 && m == 12 && d == 31) break;
        n++;
        if (++d > date_days_in_month(y, m)) {
            d = 1;
            if (++m > 12) { m = 1; y++; }
        }
    }
}

/* Compare with the C library's timegm over 1900..2100. */
static void test_matches_timegm(void **state) {
    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            struct tm tm = {0};
            tm.tm_year = y - 1900;
            tm.tm_mon = m - 1;
            tm.tm_mday = date_days_in_month(y, m);
            time_t t = timegm(&tm);
            assert_int_equal(days_from_civil(y, m, tm.tm_mday), (int32_t)(t / 86400 - (t % 86400 < 0)));
        }
    }
}

static void test_leap_years(void **state) {
    assert_true(date_is_leap(2024));
    assert_true(date_is_leap(2000));
    assert_true(date_is_leap(1600));
    assert_false(date_is_leap(1900));
    assert_false(date_is_leap(2100));
    assert_false(date_is_leap(2025));
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2025, 2), 28);
    assert_int_equal(date_days_in_month(1900, 2), 28);
    assert_int_equal(date_days_in_month(2000, 2), 29);
    assert_int_equal(date_days_in_month(2025, 4), 30);
    assert_int_equal(date_days_in_month(2025, 12), 31);
    assert_int_equal(date_days_in_month(2025, 0), 0);
    assert_int_equal(date_days_in_month(2025, 13), 0);
}

static void test_parse_valid(void **state) {
    int32_t d;
    assert_int_equal(date_parse("1970-01-01", &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(date_parse("2024-02-29", &d), 0);
    assert_int_equal(d, days_from_civil(2024, 2, 29));
    assert_int_equal(date_parse("2000-02-29", &d), 0);
    assert_int_equal(date_parse("0001-01-01", &d), 0);
    assert_int_equal(d, days_from_civil(1, 1, 1));
    assert_int_equal(date_parse("9999-12-31", &d), 0);
    assert_int_equal(date_parse("2026-11-30", &d), 0);
    assert_int_equal(d, days_from_civil(2026, 11, 30));
}

static void test_parse_invalid(void **state) {
    static const char *bad[] = {
        "", "2025-02-29", "1900-02-29", "2024-02-30", "2025-04-31", "2025-13-01",
        "2025-00-10", "2025-01-00", "2025-01-32", "0000-01-01", "2025-1-01",
        "2025-01-1", "25-01-01", "2025/01/01", "20250101", "2025-01-01 ",
        " 2025-01-01", "2025-01-01T00", "2025-0a-01", "２０２５-01-01", "2025--1-01",
        "+025-01-01", "2025-01-0x",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t d = 12345;
        if (date_parse(bad[i], &d) != DATE_ERR) fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(d, 12345);
    }
    int32_t d;
    assert_int_equal(date_parse(NULL, &d), DATE_ERR);
    assert_int_equal(date_from_ymd(2023, 2, 29, &d), DATE_ERR);
    assert_int_equal(date_from_ymd(10000, 1, 1, &d), DATE_ERR);
}

static void test_format(void **state) {
    char buf[DATE_ISO_SIZE];
    assert_int_equal(date_format(0, buf, sizeof buf), 0);
    assert_string_equal(buf, "1970-01-01");
    assert_int_equal(date_format(D("2026-03-07"), buf, sizeof buf), 0);
    assert_string_equal(buf, "2026-03-07");
    assert_int_equal(date_format(days_from_civil(1, 1, 1), buf, sizeof buf), 0);
    assert_string_equal(buf, "0001-01-01");
    assert_int_equal(date_format(0, buf, 10), DATE_ERR);
    assert_int_equal(date_format(days_from_civil(9999, 12, 31) + 1, buf, sizeof buf), DATE_ERR);
    assert_int_equal(date_format(days_from_civil(1, 1, 1) - 1, buf, sizeof buf), DATE_ERR);
}

static void test_format_zh(void **state) {
    char buf[DATE_ZH_SIZE];
    assert_int_equal(date_format_zh(D("2026-03-07"), buf, sizeof buf), 0);
    assert_string_equal(buf, "2026年3月7日");
    assert_int_equal(date_format_zh(D("2026-12-31"), buf, sizeof buf), 0);
    assert_string_equal(buf, "2026年12月31日");
    assert_int_equal(date_format_zh(D("2026-12-31"), buf, 17), DATE_ERR);
    assert_int_equal(date_format_zh(D("2026-12-31"), buf, 18), 0);
}

static void test_parse_format_round_trip(void **state) {
    char buf[DATE_ISO_SIZE];
    for (int32_t d = days_from_civil(1899, 1, 1); d <= days_from_civil(2101, 1, 1); d++) {
        int32_t back;
        assert_int_equal(date_format(d, buf, sizeof buf), 0);
        assert_int_equal(date_parse(buf, &back), 0);
        assert_int_equal(back, d);
    }
}

static void test_age(void **state) {
    int32_t b = D("2008-06-15");
    assert_int_equal(age_on(b, D("2026-06-14")), 17);
    assert_int_equal(age_on(b, D("2026-06-15")), 18);
    assert_int_equal(age_on(b, D("2026-06-16")), 18);
    assert_int_equal(age_on(b, D("2027-06-14")), 18);
    assert_int_equal(age_on(b, b), 0);
    assert_int_equal(age_on(b, b - 1), DATE_ERR);
    assert_int_equal(age_on(D("1949-12-31"), D("2026-01-01")), 76);
    assert_int_equal(age_on(D("1949-12-31"), D("2025-12-30")), 75);
}

static void test_age_feb29(void **state) {
    int32_t b = D("2008-02-29");
    assert_int_equal(age_on(b, D("2026-02-28")), 17);  /* common year */
    assert_int_equal(age_on(b, D("2026-03-01")), 18);
    assert_int_equal(age_on(b, D("2028-02-28")), 19);  /* leap year */
    assert_int_equal(age_on(b, D("2028-02-29")), 20);
    assert_int_equal(age_on(b, D("2009-02-28")), 0);
    assert_int_equal(age_on(b, D("2009-03-01")), 1);
    /* 28 Feb and 1 Mar birthdays are unaffected by leap years. */
    assert_int_equal(age_on(D("2008-02-28"), D("2026-02-28")), 18);
    assert_int_equal(age_on(D("2008-03-01"), D("2028-02-29")), 19);
    assert_int_equal(age_on(D("2008-03-01"), D("2028-03-01")), 20);
}

static void test_month_helpers(void **state) {
    assert_int_equal(date_month_first(D("2026-03-07")), D("2026-03-01"));
    assert_int_equal(date_month_last(D("2026-03-07")), D("2026-03-31"));
    assert_int_equal(date_month_first(D("2026-03-01")), D("2026-03-01"));
    assert_int_equal(date_month_last(D("2026-03-31")), D("2026-03-31"));
    assert_int_equal(date_month_last(D("2024-02-10")), D("2024-02-29"));
    assert_int_equal(date_month_last(D("2025-02-10")), D("2025-02-28"));
    assert_int_equal(date_month_last(D("1969-12-05")), D("1969-12-31"));
    assert_int_equal(date_days_in_month_of(D("2024-02-10")), 29);
    assert_int_equal(date_days_in_month_of(D("2025-11-30")), 30);
    assert_int_equal(date_add_months(D("2026-03-07"), 1), D("2026-04-01"));
    assert_int_equal(date_add_months(D("2026-12-31"), 1), D("2027-01-01"));
    assert_int_equal(date_add_months(D("2026-01-15"), -1), D("2025-12-01"));
    assert_int_equal(date_add_months(D("2026-01-15"), -13), D("2024-12-01"));
    assert_int_equal(date_add_months(D("2026-01-15"), 24), D("2028-01-01"));
    assert_int_equal(date_add_months(D("2026-05-20"), 0), D("2026-05-01"));
}

static void test_quarter_helpers(void **state) {
    static const char *firsts[4] = {"2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"};
    static const char *lasts[4] = {"2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"};
    for (int m = 1; m <= 12; m++) {
        int32_t d = days_from_civil(2026, m, 15);
        int q = (m - 1) / 3;
        assert_int_equal(date_quarter(d), q + 1);
        assert_int_equal(date_quarter_first(d), D(firsts[q]));
        assert_int_equal(date_quarter_last(d), D(lasts[q]));
    }
    assert_int_equal(date_quarter_first(D("2026-03-31")), D("2026-01-01"));
    assert_int_equal(date_quarter_first(D("2026-04-01")), D("2026-04-01"));
    assert_int_equal(date_quarter_last(D("2024-01-01")), D("2024-03-31"));
}

static void test_today_override(void **state) {
    setenv("ZUWEI_TODAY", "2026-03-07", 1);
    assert_int_equal(date_today(), D("2026-03-07"));
    setenv("ZUWEI_TODAY", "2026-02-30", 1);   /* invalid: falls back to clock */
    int32_t clock_day = (int32_t)(time(NULL) / 86400);
    int32_t got = date_today();
    assert_true(got == clock_day || got == clock_day + 1);
    unsetenv("ZUWEI_TODAY");
    got = date_today();
    assert_true(got == clock_day || got == clock_day + 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epoch_and_anchors),
        cmocka_unit_test(test_every_day_round_trip),
        cmocka_unit_test(test_matches_timegm),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_zh),
        cmocka_unit_test(test_parse_format_round_trip),
        cmocka_unit_test(test_age),
        cmocka_unit_test(test_age_feb29),
        cmocka_unit_test(test_month_helpers),
        cmocka_unit_test(test_quarter_helpers),
        cmocka_unit_test(test_today_override),
    };
    return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
