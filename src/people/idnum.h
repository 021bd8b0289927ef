/* idnum.h -- resident identity numbers (居民身份证号码, GB 11643-1999).
 *
 * An 18-character number is a 6-digit address code, the birth date as
 * YYYYMMDD, a 3-digit sequence (odd = male, even = female) and a check
 * character computed from the first 17 digits (ISO 7064 MOD 11-2, weights
 * 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, remainder 0..10 -> 1 0 X 9 8 7 6 5 4 3 2).
 * Old 15-digit numbers (address, YYMMDD in the 1900s, 3-digit sequence) have
 * no check character; they are accepted and flagged as legacy. The numbers
 * are sensitive personal information: show them masked (idnum_mask). */
#ifndef ZUWEI_PEOPLE_IDNUM_H
#define ZUWEI_PEOPLE_IDNUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDNUM_SIZE 19          /* 18 characters + NUL */
#define IDNUM_MIN_YEAR 1800    /* birth years before this are rejected */

typedef enum {
    IDNUM_OK = 0,
    IDNUM_ERR_EMPTY = -1,           /* nothing given */
    IDNUM_ERR_LENGTH = -2,          /* not 15 or 18 characters */
    IDNUM_ERR_CHAR = -3,            /* a character other than a digit (or a final X) */
    IDNUM_ERR_BIRTH_DATE = -4,      /* the embedded birth date does not exist */
    IDNUM_ERR_CHECK = -5,           /* the check character is wrong */
    IDNUM_ERR_BIRTH_MISMATCH = -6,  /* birth date differs from the person's record */
    IDNUM_ERR_SEX_MISMATCH = -7,    /* sex differs from the person's record */
    IDNUM_ERR_ARG = -8,             /* bad argument to idnum_make / idnum_mask */
} IdnumError;

typedef enum { IDNUM_SEX_MALE = 1, IDNUM_SEX_FEMALE = 2 } IdnumSex;

/* What a valid number says about its holder. */
typedef struct {
    char number[IDNUM_SIZE];   /* normalised: trailing 'x' -> 'X' */
    int32_t birth;             /* day number, see platform/date.h */
    IdnumSex sex;
    bool legacy15;             /* an old 15-digit number */
} IdnumInfo;

char idnum_check_char(const char *first17);
int idnum_parse(const char *id, IdnumInfo *info);
bool idnum_valid(const char *id);
int idnum_check_against(const char *id, int32_t birth, IdnumSex sex);
int idnum_mask(const char *id, char *out, size_t outsz);
int idnum_make(const char *addr6, int32_t birth, int seq, char out[IDNUM_SIZE]);
const char *idnum_error_zh(int code);

#endif
