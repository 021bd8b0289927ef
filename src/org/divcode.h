/* divcode.h -- statistical division codes (统计用区划代码) of org units.
 *
 * County, township and village codes are 12 digits: positions 1-6 the county
 * (GB/T 2260), 7-9 the township (001-099 街道 street, 100-199 镇 town,
 * 200-399 乡 township), 10-12 the village committee (001-999). A county code
 * ends in 000000 and a township code in 000. Village groups have no official
 * code: the product gives them the village code plus a 3-digit group number
 * 001-999 (15 digits). The tree is county -> township -> village -> group,
 * and a child's code must extend its parent's. */
#ifndef ZUWEI_ORG_DIVCODE_H
#define ZUWEI_ORG_DIVCODE_H

#include <stdbool.h>
#include <stddef.h>

#define DIVCODE_SIZE 16          /* 15 digits + NUL: large enough for any kind */

typedef enum { UNIT_COUNTY, UNIT_TOWNSHIP, UNIT_VILLAGE, UNIT_GROUP } UnitKind;

/* What kind of township a township code denotes (from digits 7-9). */
typedef enum {
    TOWNSHIP_ANY = 0,      /* in divcode_validate: do not check the sub-kind */
    TOWNSHIP_STREET,       /* 街道 001-099 */
    TOWNSHIP_TOWN,         /* 镇   100-199 */
    TOWNSHIP_XIANG,        /* 乡   200-399 */
} TownshipKind;

typedef enum {
    DIVCODE_OK = 0,
    DIVCODE_ERR_EMPTY = -1,
    DIVCODE_ERR_LENGTH = -2,         /* not 12 digits (15 for a group) */
    DIVCODE_ERR_DIGITS = -3,         /* a character that is not a digit */
    DIVCODE_ERR_COUNTY = -4,         /* digits 1-6 are not a county code */
    DIVCODE_ERR_TOWNSHIP = -5,       /* digits 7-9 not in 001-399 */
    DIVCODE_ERR_TOWNSHIP_KIND = -6,  /* township number in the wrong range for 街道/镇/乡 */
    DIVCODE_ERR_VILLAGE = -7,        /* digits 10-12 are 000 for a village */
    DIVCODE_ERR_GROUP = -8,          /* digits 13-15 are 000 */
    DIVCODE_ERR_NOT_ZERO = -9,       /* a county/township code with non-zero tail */
    DIVCODE_ERR_KIND = -10,          /* unknown unit kind */
    DIVCODE_ERR_PARENT_KIND = -11,   /* this kind cannot sit under that parent kind */
    DIVCODE_ERR_PARENT_CODE = -12,   /* the parent's own code is invalid */
    DIVCODE_ERR_NOT_CHILD = -13,     /* the code does not extend the parent's code */
    DIVCODE_ERR_ARG = -14,           /* bad argument to divcode_make_group */
} DivcodeError;

size_t divcode_length(UnitKind kind);
TownshipKind divcode_township_kind(const char *code);
int divcode_validate(const char *code, UnitKind kind, TownshipKind sub);
bool kind_fits_parent(UnitKind child, UnitKind parent);
int divcode_check_parent(const char *child, UnitKind child_kind,
                         const char *parent, UnitKind parent_kind);
int divcode_make_group(const char *village, int group_no, char out[DIVCODE_SIZE]);
const char *divcode_error_zh(int code);
const char *township_kind_zh(TownshipKind kind);

#endif
