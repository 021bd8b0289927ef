/* test_idnum.c -- unit tests for src/people/idnum.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "people/idnum.h"
#include "platform/date.h"

static int32_t D(const char *iso) {
    int32_t d = 0;
    assert_int_equal(date_parse(iso, &d), 0);
    return d;
}

/* ISO 7064 MOD 11-2 written the textbook way (weights 2^(17-i) mod 11),
 * independent of the table in idnum.c. */
static char iso7064(const char *s) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int w = 1;
        for (int k = 0; k < 17 - i; k++) w = w * 2 % 11;
        sum += (s[i] - '0') * w;
    }
    int c = (12 - sum % 11) % 11;
    return c == 10 ? 'X' : (char)('0' + c);
}

static void test_known_valid(void **state) {
    IdnumInfo info;
    assert_int_equal(idnum_parse("11010519491231002X", &info), IDNUM_OK);
    assert_string_equal(info.number, "11010519491231002X");
    assert_int_equal(info.birth, D("1949-12-31"));
    assert_int_equal(info.sex, IDNUM_SEX_FEMALE);
    assert_false(info.legacy15);

    assert_int_equal(idnum_parse("440524188001010014", &info), IDNUM_OK);
    assert_int_equal(info.birth, D("1880-01-01"));
    assert_int_equal(info.sex, IDNUM_SEX_MALE);
    assert_true(idnum_valid("440524188001010014"));
    assert_true(idnum_valid("11010519491231002X"));
}

static void test_lowercase_x_normalised(void **state) {
    IdnumInfo info;
    assert_int_equal(idnum_parse("11010519491231002x", &info), IDNUM_OK);
    assert_string_equal(info.number, "11010519491231002X");
    /* x only counts as the check character, never inside. */
    assert_int_equal(idnum_parse("1101051949123100x2", NULL), IDNUM_ERR_CHAR);
    assert_int_equal(idnum_parse("11010519491231002Y", NULL), IDNUM_ERR_CHAR);
}

static void test_check_char_matches_iso7064(void **state) {
    char id[IDNUM_SIZE] = "52060219800101001";
    for (int seq = 0; seq < 1000; seq++) {
        id[14] = (char)('0' + seq / 100);
        id[15] = (char)('0' + seq / 10 % 10);
        id[16] = (char)('0' + seq % 10);
        assert_int_equal(idnum_check_char(id), iso7064(id));
    }
    assert_int_equal(idnum_check_char("1101051949123100"), '\0');  /* NUL in position 17 */
    assert_int_equal(idnum_check_char("11010519491231A02"), '\0');
}

/* Changing any one of the first 17 digits breaks the number: a wrong check
 * digit, or a birth date that no longer exists. */
static void test_each_digit_position(void **state) {
    static const char *valid[] = {"11010519491231002X", "440524188001010014"};
    for (int v = 0; v < 2; v++) {
        for (int pos = 0; pos < 17; pos++) {
            for (int delta = 1; delta <= 9; delta++) {
                char id[IDNUM_SIZE];
                strcpy(id, valid[v]);
                id[pos] = (char)('0' + (id[pos] - '0' + delta) % 10);
                int rc = idnum_parse(id, NULL);
                if (pos < 6 || pos >= 14)
                    assert_int_equal(rc, IDNUM_ERR_CHECK);
                else if (rc != IDNUM_ERR_CHECK && rc != IDNUM_ERR_BIRTH_DATE)
                    fail_msg("%s accepted or wrong code %d", id, rc);
            }
        }
    }
}

/* Exactly one of the eleven possible check characters is accepted. */
static void test_each_check_char(void **state) {
    static const char chars[] = "0123456789X";
    char id[IDNUM_SIZE] = "440524188001010014";
    int accepted = 0;
    for (int i = 0; i < 11; i++) {
        id[17] = chars[i];
        int rc = idnum_parse(id, NULL);
        if (rc == IDNUM_OK) accepted++;
        else assert_int_equal(rc, IDNUM_ERR_CHECK);
    }
    assert_int_equal(accepted, 1);
}

static void test_lengths_and_chars(void **state) {
    assert_int_equal(idnum_parse("", NULL), IDNUM_ERR_EMPTY);
    assert_int_equal(idnum_parse(NULL, NULL), IDNUM_ERR_EMPTY);
    assert_int_equal(idnum_parse("44052418800101001", NULL), IDNUM_ERR_LENGTH);    /* 17 */
    assert_int_equal(idnum_parse("4405241880010100140", NULL), IDNUM_ERR_LENGTH);  /* 19 */
    assert_int_equal(idnum_parse("44052418800101", NULL), IDNUM_ERR_LENGTH);       /* 14 */
    assert_int_equal(idnum_parse("4405241880010100", NULL), IDNUM_ERR_LENGTH);     /* 16 */
    assert_int_equal(idnum_parse(" 44052418800101001", NULL), IDNUM_ERR_CHAR);
    assert_int_equal(idnum_parse("44052418800101001 ", NULL), IDNUM_ERR_CHAR);
    assert_int_equal(idnum_parse("4405241880O1010014", NULL), IDNUM_ERR_CHAR);     /* letter O */
    assert_int_equal(idnum_parse("A40524188001010014", NULL), IDNUM_ERR_CHAR);
    assert_int_equal(idnum_parse("44052418800101-014", NULL), IDNUM_ERR_CHAR);
    assert_int_equal(idnum_parse("X40524188001010014", NULL), IDNUM_ERR_CHAR);
    assert_int_equal(idnum_parse("44052418800101001X", NULL), IDNUM_ERR_CHECK);
    assert_int_equal(idnum_parse("11010549123100X", NULL), IDNUM_ERR_CHAR);        /* 15 with X */
}

static void test_bad_birth_dates(void **state) {
    char id[IDNUM_SIZE];
    static const char *dates[] = {"19490230", "20230229", "19001301", "19490000",
                                  "19491232", "17991231", "00000101", "19490431"};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        /* give it a correct check digit so only the date is wrong */
        memcpy(id, "110105", 6);
        memcpy(id + 6, dates[i], 8);
        memcpy(id + 14, "002", 3);
        id[17] = idnum_check_char(id);
        id[18] = '\0';
        if (idnum_parse(id, NULL) != IDNUM_ERR_BIRTH_DATE) fail_msg("%s", id);
    }
    /* a real leap day is fine */
    char ok[IDNUM_SIZE];
    assert_int_equal(idnum_make("110105", D("2000-02-29"), 2, ok), 0);
    assert_int_equal(idnum_parse(ok, NULL), IDNUM_OK);
}

static void test_legacy15(void **state) {
    IdnumInfo info;
    assert_int_equal(idnum_parse("110105491231002", &info), IDNUM_OK);
    assert_true(info.legacy15);
    assert_int_equal(info.birth, D("1949-12-31"));
    assert_int_equal(info.sex, IDNUM_SEX_FEMALE);
    assert_string_equal(info.number, "110105491231002");
    assert_int_equal(idnum_parse("440524800101001", &info), IDNUM_OK);
    assert_int_equal(info.birth, D("1980-01-01"));
    assert_int_equal(info.sex, IDNUM_SEX_MALE);
    assert_int_equal(idnum_parse("440524000229001", &info), IDNUM_ERR_BIRTH_DATE);  /* 1900 not leap */
    assert_int_equal(idnum_parse("440524960229001", &info), IDNUM_OK);
    assert_int_equal(idnum_parse("440524801301001", NULL), IDNUM_ERR_BIRTH_DATE);
    assert_int_equal(idnum_parse("44052480010100a", NULL), IDNUM_ERR_CHAR);
}

static void test_sex_from_sequence(void **state) {
    char id[IDNUM_SIZE];
    IdnumInfo info;
    for (int seq = 0; seq < 1000; seq += 37) {
        assert_int_equal(idnum_make("520602", D("1990-05-06"), seq, id), 0);
        assert_int_equal(idnum_parse(id, &info), IDNUM_OK);
        assert_int_equal(info.sex, seq % 2 ? IDNUM_SEX_MALE : IDNUM_SEX_FEMALE);
        assert_int_equal(info.birth, D("1990-05-06"));
    }
}

static void test_check_against(void **state) {
    const char *id = "11010519491231002X";
    assert_int_equal(idnum_check_against(id, D("1949-12-31"), IDNUM_SEX_FEMALE), IDNUM_OK);
    assert_int_equal(idnum_check_against("11010519491231002x", D("1949-12-31"), IDNUM_SEX_FEMALE), IDNUM_OK);
    assert_int_equal(idnum_check_against(id, D("1949-12-30"), IDNUM_SEX_FEMALE), IDNUM_ERR_BIRTH_MISMATCH);
    assert_int_equal(idnum_check_against(id, D("1949-12-31"), IDNUM_SEX_MALE), IDNUM_ERR_SEX_MISMATCH);
    assert_int_equal(idnum_check_against(id, D("1950-01-01"), IDNUM_SEX_MALE), IDNUM_ERR_BIRTH_MISMATCH);
    assert_int_equal(idnum_check_against("11010519491231003X", D("1949-12-31"), IDNUM_SEX_FEMALE), IDNUM_ERR_CHECK);
    assert_int_equal(idnum_check_against("110105491231002", D("1949-12-31"), IDNUM_SEX_FEMALE), IDNUM_OK);
    assert_int_equal(idnum_check_against("110105491231002", D("1949-12-31"), IDNUM_SEX_MALE), IDNUM_ERR_SEX_MISMATCH);
    assert_int_not_equal(idnum_check_against("", 0, IDNUM_SEX_MALE), IDNUM_OK);
}

static void test_mask(void **state) {
    char out[IDNUM_SIZE];
    assert_int_equal(idnum_mask("52060219800101123X", out, sizeof out), 0);
    assert_string_equal(out, "5206**********123X");
    assert_int_equal(idnum_mask("52060219800101123x", out, sizeof out), 0);
    assert_string_equal(out, "5206**********123X");
    assert_int_equal(idnum_mask("440524800101001", out, sizeof out), 0);
    assert_string_equal(out, "4405*******1001");
    assert_int_equal(idnum_mask("12345678", out, sizeof out), 0);
    assert_string_equal(out, "********");
    assert_int_equal(idnum_mask("123456789", out, sizeof out), 0);
    assert_string_equal(out, "1234*6789");
    assert_int_equal(idnum_mask("", out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(idnum_mask("52060219800101123X", out, 18), IDNUM_ERR_ARG);
    assert_int_equal(idnum_mask(NULL, out, sizeof out), IDNUM_ERR_ARG);
    /* the middle never survives, whatever the input */
    assert_int_equal(idnum_mask("44052418800101001499", out, sizeof out), IDNUM_ERR_ARG);
    char big[32];
    assert_int_equal(idnum_mask("44052418800101001499", big, sizeof big), 0);
    assert_string_equal(big, "4405************1499");
}

static void test_make(void **state) {
    char id[IDNUM_SIZE];
    assert_int_equal(idnum_make("110105", D("1949-12-31"), 2, id), 0);
    assert_string_equal(id, "11010519491231002X");
    assert_int_equal(idnum_make("440524", D("1880-01-01"), 1, id), 0);
    assert_string_equal(id, "440524188001010014");
    assert_int_equal(idnum_make("44052", D("1880-01-01"), 1, id), IDNUM_ERR_ARG);
    assert_int_equal(idnum_make("4405245", D("1880-01-01"), 1, id), IDNUM_ERR_ARG);
    assert_int_equal(idnum_make("44a524", D("1880-01-01"), 1, id), IDNUM_ERR_ARG);
    assert_int_equal(idnum_make("440524", D("1880-01-01"), 1000, id), IDNUM_ERR_ARG);
    assert_int_equal(idnum_make("440524", D("1880-01-01"), -1, id), IDNUM_ERR_ARG);
    assert_int_equal(idnum_make("440524", D("1799-12-31"), 1, id), IDNUM_ERR_ARG);
    assert_int_equal(idnum_make(NULL, D("1880-01-01"), 1, id), IDNUM_ERR_ARG);
    /* every day of a year round-trips through make and parse */
    for (int32_t d = D("2024-01-01"); d <= D("2024-12-31"); d++) {
        IdnumInfo info;
        assert_int_equal(idnum_make("520602", d, 123, id), 0);
        assert_int_equal(idnum_parse(id, &info), IDNUM_OK);
        assert_int_equal(info.birth, d);
    }
}

static void test_messages(void **state) {
    assert_string_equal(idnum_error_zh(IDNUM_ERR_CHECK), "身份证号校验位不正确，请核对每一位数字");
    assert_string_equal(idnum_error_zh(IDNUM_ERR_BIRTH_MISMATCH), "身份证号中的出生日期与登记的出生日期不一致");
    int codes[] = {IDNUM_OK, IDNUM_ERR_EMPTY, IDNUM_ERR_LENGTH, IDNUM_ERR_CHAR, IDNUM_ERR_BIRTH_DATE,
                   IDNUM_ERR_CHECK, IDNUM_ERR_BIRTH_MISMATCH, IDNUM_ERR_SEX_MISMATCH, IDNUM_ERR_ARG};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        for (size_t j = i + 1; j < sizeof codes / sizeof codes[0]; j++)
            assert_string_not_equal(idnum_error_zh(codes[i]), idnum_error_zh(codes[j]));
        assert_non_null(strstr(idnum_error_zh(codes[i]), "身份证号"));
    }
    assert_string_equal(idnum_error_zh(-99), "身份证号无效");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_valid),
        cmocka_unit_test(test_lowercase_x_normalised),
        cmocka_unit_test(test_check_char_matches_iso7064),
        cmocka_unit_test(test_each_digit_position),
        cmocka_unit_test(test_each_check_char),
        cmocka_unit_test(test_lengths_and_chars),
        cmocka_unit_test(test_bad_birth_dates),
        cmocka_unit_test(test_legacy15),
        cmocka_unit_test(test_sex_from_sequence),
        cmocka_unit_test(test_check_against),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_make),
        cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests_name("idnum", tests, NULL, NULL);
}
