/* date.h -- civil (Gregorian) calendar dates as day numbers.
 *
 * A date is an int32_t counting days since 1970-01-01 (day 0), negative
 * before it. Day numbers make ranges, comparisons and "how many days" plain
 * integer arithmetic; conversion to and from year/month/day uses the
 * days_from_civil / civil_from_days algorithms described by Howard Hinnant.
 * Everything here is pure except date_today(), which reads the clock (or the
 * ZUWEI_TODAY override used by tests and demos). */
#ifndef ZUWEI_PLATFORM_DATE_H
#define ZUWEI_PLATFORM_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DATE_ERR   (-1)               /* returned by functions that fail */
#define DATE_OPEN  INT32_MAX          /* "no end date": a post still held */
#define DATE_ISO_SIZE 11              /* "YYYY-MM-DD" + NUL */
#define DATE_ZH_SIZE  24              /* "2026年12月31日" + NUL, with room */
#define DATE_MIN_YEAR 1
#define DATE_MAX_YEAR 9999

bool date_is_leap(int year);
int date_days_in_month(int year, int month);
bool date_valid_ymd(int year, int month, int day);
int32_t days_from_civil(int year, int month, int day);
void civil_from_days(int32_t days, int *year, int *month, int *day);
int date_from_ymd(int year, int month, int day, int32_t *out);
int date_parse(const char *s, int32_t *out);
int date_format(int32_t days, char *out, size_t outsz);
int date_format_zh(int32_t days, char *out, size_t outsz);
int age_on(int32_t birth, int32_t on);
int date_quarter(int32_t days);
int32_t date_month_first(int32_t days);
int32_t date_month_last(int32_t days);
int32_t date_quarter_first(int32_t days);
int32_t date_quarter_last(int32_t days);
int date_days_in_month_of(int32_t days);
int32_t date_add_months(int32_t month_first, int months);
int32_t date_today(void);

#endif
