/* divcode.c -- validation of statistical division codes and of how codes
 * nest in the county -> township -> village -> group tree. */
#include "org/divcode.h"

#include <stdio.h>
#include <string.h>

/* Return the value of the `n` digits at `s` (already checked to be digits). */
static int digits_value(const char *s, size_t n) {
    int v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

/* Return true when the `n` characters at `s` are all '0'. */
static bool all_zero(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != '0') return false;
    return true;
}

/* Return the number of digits in a code of `kind` (12, or 15 for a group),
 * or 0 for an unknown kind. */
size_t divcode_length(UnitKind kind) {
    switch (kind) {
    case UNIT_COUNTY:
    case UNIT_TOWNSHIP:
    case UNIT_VILLAGE: return 12;
    case UNIT_GROUP: return 15;
    }
    return 0;
}

/* Return the township kind that the township number `t` (1..399) denotes, or
 * TOWNSHIP_ANY when it is outside every range. */
static TownshipKind kind_of_number(int t) {
    if (t >= 1 && t <= 99) return TOWNSHIP_STREET;
    if (t >= 100 && t <= 199) return TOWNSHIP_TOWN;
    if (t >= 200 && t <= 399) return TOWNSHIP_XIANG;
    return TOWNSHIP_ANY;
}

/* Return the township kind denoted by digits 7-9 of `code`, or TOWNSHIP_ANY
 * when the code is too short, not digits there, or outside 001-399. */
TownshipKind divcode_township_kind(const char *code) {
    if (code == NULL || strlen(code) < 9) return TOWNSHIP_ANY;
    for (int i = 6; i < 9; i++)
        if (code[i] < '0' || code[i] > '9') return TOWNSHIP_ANY;
    return kind_of_number(digits_value(code + 6, 3));
}

/* Check that the first 6 digits look like a county-level GB/T 2260 code:
 * a province 11-99 and a county part that is not 00 (which would name a
 * province or prefecture rather than a county). */
static bool county_part_ok(const char *code) {
    return digits_value(code, 2) >= 11 && !all_zero(code + 2, 2) && !all_zero(code + 4, 2);
}

/* Validate `code` as the division code of a unit of `kind`. For a township,
 * `sub` other than TOWNSHIP_ANY also requires the township number to be in
 * that sub-kind's range. Returns DIVCODE_OK or a negative DivcodeError. */
int divcode_validate(const char *code, UnitKind kind, TownshipKind sub) {
    size_t want = divcode_length(kind);
    if (want == 0) return DIVCODE_ERR_KIND;
    if (code == NULL || code[0] == '\0') return DIVCODE_ERR_EMPTY;
    size_t len = strlen(code);
    for (size_t i = 0; i < len; i++)
        if (code[i] < '0' || code[i] > '9') return DIVCODE_ERR_DIGITS;
    if (len != want) return DIVCODE_ERR_LENGTH;
    if (!county_part_ok(code)) return DIVCODE_ERR_COUNTY;
    if (kind == UNIT_COUNTY) return all_zero(code + 6, 6) ? DIVCODE_OK : DIVCODE_ERR_NOT_ZERO;

    TownshipKind tk = kind_of_number(digits_value(code + 6, 3));
    if (tk == TOWNSHIP_ANY) return DIVCODE_ERR_TOWNSHIP;
    if (kind == UNIT_TOWNSHIP) {
        if (sub != TOWNSHIP_ANY && sub != tk) return DIVCODE_ERR_TOWNSHIP_KIND;
        return all_zero(code + 9, 3) ? DIVCODE_OK : DIVCODE_ERR_NOT_ZERO;
    }
    if (all_zero(code + 9, 3)) return DIVCODE_ERR_VILLAGE;
    if (kind == UNIT_GROUP && all_zero(code + 12, 3)) return DIVCODE_ERR_GROUP;
    return DIVCODE_OK;
}

/* Return true when a unit of kind `child` may sit directly under a unit of
 * kind `parent`: county -> township -> village -> group. */
bool kind_fits_parent(UnitKind child, UnitKind parent) {
    return (parent == UNIT_COUNTY && child == UNIT_TOWNSHIP) ||
           (parent == UNIT_TOWNSHIP && child == UNIT_VILLAGE) ||
           (parent == UNIT_VILLAGE && child == UNIT_GROUP);
}

/* Return how many leading digits of a child code repeat its parent's code
 * when the parent is of `parent_kind`: 6 under a county, 9 under a township,
 * 12 under a village. */
static size_t inherited_digits(UnitKind parent_kind) {
    return parent_kind == UNIT_COUNTY ? 6 : parent_kind == UNIT_TOWNSHIP ? 9 : 12;
}

/* Check that `child` (of child_kind) may be placed under `parent` (of
 * parent_kind): the kinds must nest, both codes must be valid, and the child
 * must repeat the parent's county (6), township (9) or village (12) digits.
 * Returns DIVCODE_OK, DIVCODE_ERR_PARENT_KIND, the child's own validation
 * error, DIVCODE_ERR_PARENT_CODE or DIVCODE_ERR_NOT_CHILD. */
int divcode_check_parent(const char *child, UnitKind child_kind,
                         const char *parent, UnitKind parent_kind) {
    if (!kind_fits_parent(child_kind, parent_kind)) return DIVCODE_ERR_PARENT_KIND;
    int rc = divcode_validate(child, child_kind, TOWNSHIP_ANY);
    if (rc != DIVCODE_OK) return rc;
    if (divcode_validate(parent, parent_kind, TOWNSHIP_ANY) != DIVCODE_OK) return DIVCODE_ERR_PARENT_CODE;
    size_t n = inherited_digits(parent_kind);
    return memcmp(child, parent, n) == 0 ? DIVCODE_OK : DIVCODE_ERR_NOT_CHILD;
}

/* Write the 15-digit code of group number `group_no` (1..999) of the village
 * whose 12-digit code is `village`. Returns 0, or DIVCODE_ERR_ARG when the
 * village code is invalid or the number out of range. */
int divcode_make_group(const char *village, int group_no, char out[DIVCODE_SIZE]) {
    if (group_no < 1 || group_no > 999) return DIVCODE_ERR_ARG;
    if (divcode_validate(village, UNIT_VILLAGE, TOWNSHIP_ANY) != DIVCODE_OK) return DIVCODE_ERR_ARG;
    memcpy(out, village, 12);
    out[12] = (char)('0' + group_no / 100);
    out[13] = (char)('0' + group_no / 10 % 10);
    out[14] = (char)('0' + group_no % 10);
    out[15] = '\0';
    return 0;
}

/* Return the Chinese name of a township kind ("街道", "镇", "乡"), or
 * "乡镇" for TOWNSHIP_ANY. */
const char *township_kind_zh(TownshipKind kind) {
    switch (kind) {
    case TOWNSHIP_STREET: return "街道";
    case TOWNSHIP_TOWN: return "镇";
    case TOWNSHIP_XIANG: return "乡";
    case TOWNSHIP_ANY: break;
    }
    return "乡镇";
}

/* Return the Simplified Chinese message for a DivcodeError code. */
const char *divcode_error_zh(int code) {
    switch (code) {
    case DIVCODE_OK: return "区划代码有效";
    case DIVCODE_ERR_EMPTY: return "请填写区划代码";
    case DIVCODE_ERR_LENGTH: return "区划代码位数不对：县、乡镇、村为12位，村民组为15位";
    case DIVCODE_ERR_DIGITS: return "区划代码只能由数字组成";
    case DIVCODE_ERR_COUNTY: return "区划代码前6位不是有效的县级代码";
    case DIVCODE_ERR_TOWNSHIP: return "区划代码第7至9位应为乡镇代码001至399";
    case DIVCODE_ERR_TOWNSHIP_KIND:
        return "乡镇代码与乡镇类型不符：街道为001至099，镇为100至199，乡为200至399";
    case DIVCODE_ERR_VILLAGE: return "村级区划代码第10至12位不能为000";
    case DIVCODE_ERR_GROUP: return "村民组编号（第13至15位）应为001至999";
    case DIVCODE_ERR_NOT_ZERO: return "县级代码后6位、乡镇代码后3位应为0";
    case DIVCODE_ERR_KIND: return "未知的组织层级";
    case DIVCODE_ERR_PARENT_KIND: return "上级组织层级不对：应为县—乡镇—村—村民组逐级隶属";
    case DIVCODE_ERR_PARENT_CODE: return "上级组织的区划代码无效";
    case DIVCODE_ERR_NOT_CHILD: return "区划代码与上级组织的区划代码不对应";
    case DIVCODE_ERR_ARG: return "生成村民组代码的参数无效";
    default: return "区划代码无效";
    }
}
