/* test_compliance.c -- unit tests for src/contact/compliance.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "contact/compliance.h"
#include "platform/date.h"

static int32_t D(const char *iso) {
    int32_t d = 0;
    assert_int_equal(date_parse(iso, &d), 0);
    return d;
}

static const CompliancePolicy P = COMPLIANCE_POLICY_DEFAULT;

static void test_policy_default(void **state) {
    assert_int_equal(P.visits_per_month, 5);
    assert_int_equal(P.guidance_per_quarter, 1);
}

static void test_days_held(void **state) {
    assert_int_equal(compliance_days_held(D("2026-03-20"), DATE_OPEN, D("2026-03-01"), D("2026-03-31")), 12);
    assert_int_equal(compliance_days_held(D("2026-01-01"), D("2026-03-10"), D("2026-03-01"), D("2026-03-31")), 10);
    assert_int_equal(compliance_days_held(D("2026-04-01"), DATE_OPEN, D("2026-03-01"), D("2026-03-31")), 0);
    assert_int_equal(compliance_days_held(D("2026-01-01"), D("2026-02-28"), D("2026-03-01"), D("2026-03-31")), 0);
    assert_int_equal(compliance_days_held(D("2026-03-31"), D("2026-03-31"), D("2026-03-01"), D("2026-03-31")), 1);
    assert_int_equal(compliance_days_held(D("2026-03-02"), D("2026-03-01"), D("2026-03-01"), D("2026-03-31")),
                     COMPLIANCE_ERR_POST_RANGE);
    assert_int_equal(compliance_days_held(D("2026-03-01"), DATE_OPEN, D("2026-03-31"), D("2026-03-01")),
                     COMPLIANCE_ERR_PERIOD_RANGE);
}

/* The examples written in compliance.h. */
static void test_documented_examples(void **state) {
    assert_int_equal(compliance_visits_owed(&P, D("2026-03-20"), DATE_OPEN, D("2026-03-01"), D("2026-03-31")), 2);
    assert_int_equal(compliance_visits_owed(&P, D("2026-01-01"), D("2026-06-10"), D("2026-06-01"), D("2026-06-30")), 2);
    assert_int_equal(compliance_visits_owed(&P, D("2026-06-01"), D("2026-06-01"), D("2026-06-01"), D("2026-06-30")), 1);
    /* joined 20 March: nothing owed for February */
    assert_int_equal(compliance_visits_owed(&P, D("2026-03-20"), DATE_OPEN, D("2026-02-01"), D("2026-02-28")), 0);
    assert_int_equal(compliance_visits_owed(&P, D("2026-03-20"), DATE_OPEN, D("2026-02-01"), D("2026-03-31")), 2);
}

static void test_whole_months(void **state) {
    /* every whole month owes exactly 5, whatever its length */
    for (int m = 1; m <= 12; m++) {
        int32_t first = days_from_civil(2024, m, 1);
        int32_t last = date_month_last(first);
        assert_int_equal(compliance_visits_owed(&P, D("2020-01-01"), DATE_OPEN, first, last), 5);
    }
    assert_int_equal(compliance_visits_owed(&P, D("2020-01-01"), DATE_OPEN, D("2026-01-01"), D("2026-12-31")), 60);
    assert_int_equal(compliance_visits_owed(&P, D("2020-01-01"), DATE_OPEN, D("2026-01-01"), D("2026-03-31")), 15);
    /* after leaving: nothing */
    assert_int_equal(compliance_visits_owed(&P, D("2020-01-01"), D("2025-12-31"), D("2026-01-01"), D("2026-12-31")), 0);
    /* left on the last day of a month: that month is whole */
    assert_int_equal(compliance_visits_owed(&P, D("2026-01-01"), D("2026-02-28"), D("2026-01-01"), D("2026-12-31")), 10);
}

/* Joining on each day of a 31-day, 30-day, 29-day and 28-day month. */
static void test_join_each_day(void **state) {
    static const char *months[] = {"2026-03-01", "2026-04-01", "2024-02-01", "2026-02-01"};
    for (int k = 0; k < 4; k++) {
        int32_t first = D(months[k]), last = date_month_last(first);
        int len = (int)(last - first + 1);
        int prev = 6;
        for (int day = 1; day <= len; day++) {
            int held = len - day + 1;
            int want = (5 * held + len - 1) / len;
            int got = compliance_visits_owed(&P, first + day - 1, DATE_OPEN, first, last);
            assert_int_equal(got, want);
            assert_true(got <= prev && got >= 1 && got <= 5);   /* later joining never owes more */
            prev = got;
        }
    }
    /* a few values by hand for March (31 days) */
    int32_t mar = D("2026-03-01"), end = D("2026-03-31");
    assert_int_equal(compliance_visits_owed(&P, D("2026-03-02"), DATE_OPEN, mar, end), 5);   /* 30 days: 150/31 = 4.8 */
    assert_int_equal(compliance_visits_owed(&P, D("2026-03-08"), DATE_OPEN, mar, end), 4);   /* 24: 3.87 */
    assert_int_equal(compliance_visits_owed(&P, D("2026-03-25"), DATE_OPEN, mar, end), 2);   /* 7: 1.13 */
    assert_int_equal(compliance_visits_owed(&P, D("2026-03-26"), DATE_OPEN, mar, end), 1);   /* 6: 0.97 */
    assert_int_equal(compliance_visits_owed(&P, D("2026-03-31"), DATE_OPEN, mar, end), 1);
}

/* Brute force: walk day by day and count held days per month. */
static int brute_visits(int per_month, int32_t s, int32_t e, int32_t from, int32_t to) {
    int total = 0;
    int held = 0, cur_y = 0, cur_m = 0;
    for (int32_t d = from; d <= to + 1; d++) {
        int y, m, dd;
        civil_from_days(d, &y, &m, &dd);
        if (d == to + 1 || (d > from && (y != cur_y || m != cur_m))) {
            int len = date_days_in_month(cur_y, cur_m);
            total += (per_month * held + len - 1) / len;
            held = 0;
        }
        if (d == to + 1) break;
        cur_y = y;
        cur_m = m;
        if (d >= s && d <= e) held++;
    }
    return total;
}

static void test_against_brute_force(void **state) {
    CompliancePolicy p7 = {7, 1};
    int32_t base = D("2025-11-01");
    for (int32_t s = base; s < base + 200; s += 7) {
        for (int32_t e = s; e < base + 260; e += 11) {
            int32_t from = D("2025-12-01"), to = D("2026-05-31");
            assert_int_equal(compliance_visits_owed(&P, s, e, from, to), brute_visits(5, s, e, from, to));
            assert_int_equal(compliance_visits_owed(&p7, s, e, from, to), brute_visits(7, s, e, from, to));
            /* a period cut in mid-month */
            from = D("2025-12-15");
            to = D("2026-04-10");
            assert_int_equal(compliance_visits_owed(&P, s, e, from, to), brute_visits(5, s, e, from, to));
        }
    }
}

static void test_owed_month(void **state) {
    int32_t s = D("2026-03-20");
    assert_int_equal(compliance_visits_owed_month(&P, s, DATE_OPEN, D("2026-03-05"), D("2026-01-01"), D("2026-12-31")), 2);
    assert_int_equal(compliance_visits_owed_month(&P, s, DATE_OPEN, D("2026-02-05"), D("2026-01-01"), D("2026-12-31")), 0);
    assert_int_equal(compliance_visits_owed_month(&P, s, DATE_OPEN, D("2026-04-30"), D("2026-01-01"), D("2026-12-31")), 5);
    /* a month outside the period owes nothing */
    assert_int_equal(compliance_visits_owed_month(&P, s, DATE_OPEN, D("2027-04-30"), D("2026-01-01"), D("2026-12-31")), 0);
}

static void test_visit_errors(void **state) {
    CompliancePolicy bad = {-1, 1};
    assert_int_equal(compliance_visits_owed(&bad, D("2026-01-01"), DATE_OPEN, D("2026-01-01"), D("2026-01-31")),
                     COMPLIANCE_ERR_POLICY);
    assert_int_equal(compliance_visits_owed(&P, D("2026-02-01"), D("2026-01-01"), D("2026-01-01"), D("2026-01-31")),
                     COMPLIANCE_ERR_POST_RANGE);
    assert_int_equal(compliance_visits_owed(&P, D("2026-01-01"), DATE_OPEN, D("2026-01-31"), D("2026-01-01")),
                     COMPLIANCE_ERR_PERIOD_RANGE);
    assert_int_equal(compliance_visits_owed(&P, D("2026-01-01"), DATE_OPEN, D("2026-01-01"), DATE_OPEN),
                     COMPLIANCE_ERR_PERIOD_RANGE);
    CompliancePolicy zero = {0, 0};
    assert_int_equal(compliance_visits_owed(&zero, D("2026-01-01"), DATE_OPEN, D("2026-01-01"), D("2026-12-31")), 0);
}

static void test_guidance(void **state) {
    int32_t y0 = D("2026-01-01"), y1 = D("2026-12-31");
    assert_int_equal(compliance_guidance_owed(&P, D("2025-06-01"), DATE_OPEN, y0, y1), 4);
    /* assigned on the last day of Q1: Q1 counts */
    assert_int_equal(compliance_guidance_owed(&P, D("2026-03-31"), DATE_OPEN, y0, y1), 4);
    assert_int_equal(compliance_guidance_owed(&P, D("2026-04-01"), DATE_OPEN, y0, y1), 3);
    /* left on the first day of Q3 */
    assert_int_equal(compliance_guidance_owed(&P, D("2025-06-01"), D("2026-07-01"), y0, y1), 3);
    assert_int_equal(compliance_guidance_owed(&P, D("2025-06-01"), D("2026-06-30"), y0, y1), 2);
    /* a one-day assignment still owes that quarter */
    assert_int_equal(compliance_guidance_owed(&P, D("2026-08-15"), D("2026-08-15"), y0, y1), 1);
    /* outside the period */
    assert_int_equal(compliance_guidance_owed(&P, D("2027-01-01"), DATE_OPEN, y0, y1), 0);
    assert_int_equal(compliance_guidance_owed(&P, D("2020-01-01"), D("2025-12-31"), y0, y1), 0);
    /* one quarter report */
    assert_int_equal(compliance_guidance_owed(&P, D("2025-06-01"), DATE_OPEN, D("2026-04-01"), D("2026-06-30")), 1);
    /* across a year boundary */
    assert_int_equal(compliance_guidance_owed(&P, D("2025-11-20"), D("2026-02-01"), D("2025-01-01"), D("2026-12-31")), 2);
    CompliancePolicy two = {5, 2};
    assert_int_equal(compliance_guidance_owed(&two, D("2025-06-01"), DATE_OPEN, y0, y1), 8);
    CompliancePolicy bad = {5, -1};
    assert_int_equal(compliance_guidance_owed(&bad, y0, DATE_OPEN, y0, y1), COMPLIANCE_ERR_POLICY);
    assert_int_equal(compliance_guidance_owed(&P, y1, y0, y0, y1), COMPLIANCE_ERR_POST_RANGE);
    assert_int_equal(compliance_guidance_owed(&P, y0, DATE_OPEN, y1, y0), COMPLIANCE_ERR_PERIOD_RANGE);
}

/* Every start day of 2026 against a per-quarter count done by hand. */
static void test_guidance_every_start(void **state) {
    for (int32_t s = D("2026-01-01"); s <= D("2026-12-31"); s++) {
        int y, m, d;
        civil_from_days(s, &y, &m, &d);
        int want = 4 - (m - 1) / 3;
        assert_int_equal(compliance_guidance_owed(&P, s, DATE_OPEN, D("2026-01-01"), D("2026-12-31")), want);
    }
}

static void test_rate(void **state) {
    ComplianceRate r = compliance_rate(3, 5);
    assert_int_equal(r.rate_pct, 60);
    assert_false(r.na);
    r = compliance_rate(5, 5);
    assert_int_equal(r.rate_pct, 100);
    r = compliance_rate(9, 5);                  /* never above 100 */
    assert_int_equal(r.rate_pct, 100);
    assert_int_equal(r.done, 9);
    r = compliance_rate(-2, 5);                 /* never below 0 */
    assert_int_equal(r.rate_pct, 0);
    assert_int_equal(r.done, 0);
    r = compliance_rate(0, 0);
    assert_true(r.na);
    assert_int_equal(r.rate_pct, 0);
    r = compliance_rate(4, 0);                  /* did visits while owing none: still n/a */
    assert_true(r.na);
    r = compliance_rate(2, 3);                  /* 66.7 -> 66 */
    assert_int_equal(r.rate_pct, 66);
    r = compliance_rate(1, -3);
    assert_true(r.na);
    r = compliance_rate(2147483647, 2147483646);
    assert_int_equal(r.rate_pct, 100);
    r = compliance_rate(2147483646, 2147483647);
    assert_int_equal(r.rate_pct, 99);
    for (int owed = 1; owed <= 60; owed++)
        for (int done = 0; done <= 70; done++) {
            r = compliance_rate(done, owed);
            assert_true(r.rate_pct >= 0 && r.rate_pct <= 100);
            assert_int_equal(r.rate_pct == 100, done >= owed);
        }
}

static void test_messages(void **state) {
    assert_string_not_equal(compliance_error_zh(COMPLIANCE_ERR_POST_RANGE), compliance_error_zh(COMPLIANCE_ERR_PERIOD_RANGE));
    assert_string_not_equal(compliance_error_zh(COMPLIANCE_ERR_POLICY), compliance_error_zh(COMPLIANCE_ERR_PERIOD_RANGE));
    assert_string_equal(compliance_error_zh(-42), "履职统计参数无效");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_default),
        cmocka_unit_test(test_days_held),
        cmocka_unit_test(test_documented_examples),
        cmocka_unit_test(test_whole_months),
        cmocka_unit_test(test_join_each_day),
        cmocka_unit_test(test_against_brute_force),
        cmocka_unit_test(test_owed_month),
        cmocka_unit_test(test_visit_errors),
        cmocka_unit_test(test_guidance),
        cmocka_unit_test(test_guidance_every_start),
        cmocka_unit_test(test_rate),
        cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests_name("compliance", tests, NULL, NULL);
}
