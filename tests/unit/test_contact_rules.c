/* test_contact_rules.c — the pure pieces of src/contact/: owed visits from held days, the tally
 * a counter row adds to its unit (never above 100%), periods, and photo metadata removal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "contact/compliance.h"
#include "contact/photo.h"
#include "platform/date.h"

static const CompliancePolicy P = COMPLIANCE_POLICY_DEFAULT;

static void test_owed_days(void **state) {
    assert_int_equal(compliance_visits_owed_days(&P, 31, 31), 5);
    assert_int_equal(compliance_visits_owed_days(&P, 12, 31), 2);    /* joined on the 20th */
    assert_int_equal(compliance_visits_owed_days(&P, 1, 30), 1);
    assert_int_equal(compliance_visits_owed_days(&P, 0, 28), 0);
    assert_int_equal(compliance_visits_owed_days(&P, 32, 31), COMPLIANCE_ERR_PERIOD_RANGE);
    CompliancePolicy bad = {-1, 1};
    assert_int_equal(compliance_visits_owed_days(&bad, 3, 31), COMPLIANCE_ERR_POLICY);
    /* agrees with the month function for every join day of March */
    int32_t first = days_from_civil(2026, 3, 1), last = date_month_last(first);
    for (int d = 0; d < 31; d++)
        assert_int_equal(compliance_visits_owed_days(&P, 31 - d, 31),
                         compliance_visits_owed_month(&P, first + d, DATE_OPEN, first, first, last));
}

static void test_tally(void **state) {
    ComplianceTally t = compliance_tally(5, 9);   /* a busy member counts 5, not 9 */
    assert_int_equal(t.expected, 5);
    assert_int_equal(t.done, 5);
    assert_int_equal(t.behind, 0);
    assert_int_equal(t.count, 9);
    t = compliance_tally(5, 3);
    assert_int_equal(t.done, 3);
    assert_int_equal(t.behind, 1);
    t = compliance_tally(0, 2);
    assert_int_equal(t.owing, 0);
    assert_int_equal(t.behind, 0);
    assert_int_equal(t.done, 0);
    ComplianceTally d = compliance_tally_delta(5, 4, 5, 5);   /* the visit that meets the target */
    assert_int_equal(d.done, 1);
    assert_int_equal(d.behind, -1);
    d = compliance_tally_delta(5, 5, 5, 6);                   /* one more changes only the raw count */
    assert_int_equal(d.done, 0);
    assert_int_equal(d.count, 1);
    d = compliance_tally_delta(5, 0, 2, 0);                   /* a seat ending lowers what is expected */
    assert_int_equal(d.expected, -3);
    /* a unit of a member at 9/5 and one at 0/5 is at 50%, never more */
    ComplianceTally a = compliance_tally(5, 9), b = compliance_tally(5, 0);
    ComplianceRate r = compliance_rate((int)(a.done + b.done), (int)(a.expected + b.expected));
    assert_int_equal(r.rate_pct, 50);
}

static void test_periods(void **state) {
    CompliancePeriod p;
    char s[16];
    assert_int_equal(compliance_period_parse("2026-11", &p), 0);
    assert_false(p.quarter);
    assert_int_equal(p.code, 202611);
    assert_int_equal(p.from, days_from_civil(2026, 11, 1));
    assert_int_equal(p.to, days_from_civil(2026, 11, 30));
    assert_int_equal(compliance_period_parse("2026Q4", &p), 0);
    assert_true(p.quarter);
    assert_int_equal(p.code, 20264);
    assert_int_equal(p.to, days_from_civil(2026, 12, 31));
    compliance_period_format(&p, s, sizeof s);
    assert_string_equal(s, "2026Q4");
    assert_int_equal(compliance_period_parse("2026-q1", &p), 0);
    assert_int_equal(p.from, days_from_civil(2026, 1, 1));
    assert_int_equal(compliance_period_parse("2026-13", &p), -1);
    assert_int_equal(compliance_period_parse("2026Q5", &p), -1);
    assert_int_equal(compliance_period_parse("1999-01", &p), -1);
    assert_int_equal(compliance_period_parse("2026-1", &p), -1);
    assert_int_equal(compliance_period_parse("", &p), -1);
    assert_int_equal(compliance_month_of(days_from_civil(2024, 2, 29)), 202402);
    assert_int_equal(compliance_quarter_of(days_from_civil(2024, 9, 30)), 20243);
    assert_int_equal(compliance_quarter_of(days_from_civil(2024, 10, 1)), 20244);
}

/* A JPEG with APP0, an APP1 EXIF segment holding "GPS", a comment, then the scan. */
static const unsigned char jpeg[] = {
    0xFF, 0xD8,
    0xFF, 0xE0, 0x00, 0x06, 'J', 'F', 'I', 'F',
    0xFF, 0xE1, 0x00, 0x0B, 'E', 'x', 'i', 'f', 0, 0, 'G', 'P', 'S',
    0xFF, 0xFE, 0x00, 0x05, 'h', 'i', '!',
    0xFF, 0xDB, 0x00, 0x04, 0x01, 0x02,
    0xFF, 0xDA, 0x00, 0x04, 0x03, 0x04, 0x55, 0xFF, 0x00, 0x66,
    0xFF, 0xD9,
};

static void test_jpeg(void **state) {
    Buf out = BUF_INIT;
    const char *mime = NULL;
    assert_int_equal(photo_clean(jpeg, sizeof jpeg, 1 << 20, &out, &mime), PHOTO_OK);
    assert_string_equal(mime, "image/jpeg");
    assert_null(memmem(out.p, out.len, "GPS", 3));
    assert_null(memmem(out.p, out.len, "Exif", 4));
    assert_null(memmem(out.p, out.len, "hi!", 3));
    assert_non_null(memmem(out.p, out.len, "JFIF", 4));
    /* everything else is kept byte for byte: SOI + APP0 + DQT + SOS.. EOI */
    assert_int_equal(out.len, sizeof jpeg - 13 - 7);
    assert_memory_equal(out.p + out.len - 14, jpeg + sizeof jpeg - 14, 14);
    assert_int_equal(photo_clean(jpeg, 20, 1 << 20, &out, &mime), PHOTO_CORRUPT);      /* cut inside APP1 */
    assert_int_equal(out.len, 0);
    assert_int_equal(photo_clean(jpeg, sizeof jpeg, 10, &out, &mime), PHOTO_TOO_BIG);
    assert_int_equal(photo_clean((const unsigned char *)"GIF89a....", 10, 100, &out, &mime), PHOTO_NOT_IMAGE);
    assert_int_equal(photo_clean(jpeg, 0, 100, &out, &mime), PHOTO_EMPTY);
    buf_free(&out);
}

static void test_png(void **state) {
    static const unsigned char png[] = {
        0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
        0, 0, 0, 2, 'I', 'H', 'D', 'R', 1, 2, 9, 9, 9, 9,
        0, 0, 0, 3, 'e', 'X', 'I', 'f', 'G', 'P', 'S', 9, 9, 9, 9,
        0, 0, 0, 1, 'I', 'D', 'A', 'T', 7, 9, 9, 9, 9,
        0, 0, 0, 0, 'I', 'E', 'N', 'D', 9, 9, 9, 9,
    };
    Buf out = BUF_INIT;
    const char *mime = NULL;
    assert_int_equal(photo_clean(png, sizeof png, 1 << 20, &out, &mime), PHOTO_OK);
    assert_string_equal(mime, "image/png");
    assert_null(memmem(out.p, out.len, "GPS", 3));
    assert_int_equal(out.len, sizeof png - 15);
    assert_non_null(memmem(out.p, out.len, "IDAT", 4));
    assert_int_equal(photo_clean(png, sizeof png - 4, 1 << 20, &out, &mime), PHOTO_CORRUPT);
    buf_free(&out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_owed_days), cmocka_unit_test(test_tally), cmocka_unit_test(test_periods),
        cmocka_unit_test(test_jpeg), cmocka_unit_test(test_png),
    };
    return cmocka_run_group_tests_name("contact_rules", tests, NULL, NULL);
}
