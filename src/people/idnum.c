/* idnum.c -- validation, parsing and masking of resident identity numbers. */
#include "people/idnum.h"

#include <stdio.h>
#include <string.h>

#include "platform/date.h"

/* Return true when the `n` characters at `s` are all ASCII digits. */
static bool all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* Return the integer value of the `n` digits at `s` (already checked). */
static int digits_value(const char *s, size_t n) {
    int v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

/* Return the check character ('0'..'9' or 'X') for the first 17 digits at
 * `first17`, or '\0' when any of them is not a digit. */
char idnum_check_char(const char *first17) {
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char map[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    int sum = 0;
    if (!all_digits(first17, 17)) return '\0';
    for (int i = 0; i < 17; i++) sum += (first17[i] - '0') * weight[i];
    return map[sum % 11];
}

/* Parse and validate `id` (an 18-character number, or a legacy 15-digit
 * one) and, when `info` is not NULL, fill it in. A lowercase final 'x' is
 * accepted and normalised to 'X'. Returns IDNUM_OK or a negative IdnumError:
 * wrong length, a stray character, a birth date that does not exist (or lies
 * before IDNUM_MIN_YEAR), or a wrong check character. */
int idnum_parse(const char *id, IdnumInfo *info) {
    if (id == NULL || id[0] == '\0') return IDNUM_ERR_EMPTY;
    size_t len = strlen(id);
    if (len != 18 && len != 15) return IDNUM_ERR_LENGTH;

    char number[IDNUM_SIZE];
    memcpy(number, id, len + 1);
    bool legacy = len == 15;
    if (!legacy && number[17] == 'x') number[17] = 'X';
    if (!all_digits(number, legacy ? 15 : 17)) return IDNUM_ERR_CHAR;
    if (!legacy && number[17] != 'X' && !all_digits(number + 17, 1)) return IDNUM_ERR_CHAR;

    int year = legacy ? 1900 + digits_value(number + 6, 2) : digits_value(number + 6, 4);
    const char *md = number + (legacy ? 8 : 10);
    int32_t birth;
    if (year < IDNUM_MIN_YEAR ||
        date_from_ymd(year, digits_value(md, 2), digits_value(md + 2, 2), &birth) != 0)
        return IDNUM_ERR_BIRTH_DATE;
    if (!legacy && idnum_check_char(number) != number[17]) return IDNUM_ERR_CHECK;

    if (info != NULL) {
        int seq_last = number[legacy ? 14 : 16] - '0';
        memcpy(info->number, number, len + 1);
        info->birth = birth;
        info->sex = seq_last % 2 ? IDNUM_SEX_MALE : IDNUM_SEX_FEMALE;
        info->legacy15 = legacy;
    }
    return IDNUM_OK;
}

/* Return true when `id` is a valid 18- or 15-character number. */
bool idnum_valid(const char *id) {
    return idnum_parse(id, NULL) == IDNUM_OK;
}

/* Check that `id` is valid and that the birth date and sex it carries agree
 * with a person's record. Returns IDNUM_OK, the validation error of
 * idnum_parse(), IDNUM_ERR_BIRTH_MISMATCH, or (birth dates agreeing)
 * IDNUM_ERR_SEX_MISMATCH. */
int idnum_check_against(const char *id, int32_t birth, IdnumSex sex) {
    IdnumInfo info;
    int rc = idnum_parse(id, &info);
    if (rc != IDNUM_OK) return rc;
    if (info.birth != birth) return IDNUM_ERR_BIRTH_MISMATCH;
    if (info.sex != sex) return IDNUM_ERR_SEX_MISMATCH;
    return IDNUM_OK;
}

/* Write a masked copy of `id` into `out` for pages, exports and logs: the
 * first 4 and last 4 characters kept, everything between replaced by '*'
 * ("5206**********123X"). A trailing 'x' is shown as 'X'. Works on any
 * text, valid or not, so a bad number never leaks whole; text of 8 or fewer
 * characters is starred completely. Returns 0, or IDNUM_ERR_ARG when `id` is
 * NULL or `out` is too small for strlen(id) + 1 bytes. */
int idnum_mask(const char *id, char *out, size_t outsz) {
    if (id == NULL || out == NULL) return IDNUM_ERR_ARG;
    size_t len = strlen(id);
    if (outsz < len + 1) return IDNUM_ERR_ARG;
    for (size_t i = 0; i < len; i++) {
        bool keep = len > 8 && (i < 4 || i >= len - 4);
        out[i] = keep ? id[i] : '*';
    }
    if (len > 8 && out[len - 1] == 'x') out[len - 1] = 'X';
    out[len] = '\0';
    return 0;
}

/* Build an 18-character number from a 6-digit address code, a birth date
 * and a sequence number 0..999 (odd for men), computing the check
 * character; used by the demo generator and tests. Returns 0, or
 * IDNUM_ERR_ARG when the address is not 6 digits, the sequence is out of
 * range, or the birth date is outside IDNUM_MIN_YEAR..9999. */
int idnum_make(const char *addr6, int32_t birth, int seq, char out[IDNUM_SIZE]) {
    int y, m, d;
    if (addr6 == NULL || strlen(addr6) != 6 || !all_digits(addr6, 6)) return IDNUM_ERR_ARG;
    if (seq < 0 || seq > 999) return IDNUM_ERR_ARG;
    civil_from_days(birth, &y, &m, &d);
    if (y < IDNUM_MIN_YEAR || y > DATE_MAX_YEAR) return IDNUM_ERR_ARG;
    snprintf(out, IDNUM_SIZE, "%s%04d%02d%02d%03d", addr6, y, m, d, seq);
    out[17] = idnum_check_char(out);
    out[18] = '\0';
    return 0;
}

/* Return the Simplified Chinese message for an IdnumError code. */
const char *idnum_error_zh(int code) {
    switch (code) {
    case IDNUM_OK: return "身份证号有效";
    case IDNUM_ERR_EMPTY: return "请填写身份证号";
    case IDNUM_ERR_LENGTH: return "身份证号应为18位（旧证为15位）";
    case IDNUM_ERR_CHAR: return "身份证号只能由数字组成，最后一位可以是X";
    case IDNUM_ERR_BIRTH_DATE: return "身份证号中的出生日期不是有效日期";
    case IDNUM_ERR_CHECK: return "身份证号校验位不正确，请核对每一位数字";
    case IDNUM_ERR_BIRTH_MISMATCH: return "身份证号中的出生日期与登记的出生日期不一致";
    case IDNUM_ERR_SEX_MISMATCH: return "身份证号中的性别与登记的性别不一致";
    case IDNUM_ERR_ARG: return "生成或显示身份证号的参数无效";
    default: return "身份证号无效";
    }
}
