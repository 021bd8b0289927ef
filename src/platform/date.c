/* date.c -- civil dates as day numbers since 1970-01-01.
 *
 * The two conversions follow the algorithms Howard Hinnant published in
 * "chrono-Compatible Low-Level Date Algorithms": count in 400-year eras
 * whose years start on 1 March, so the leap day is the last day of a year
 * and the month lengths fall out of one linear formula. */
#include "platform/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Return true when `year` is a Gregorian leap year. */
bool date_is_leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Return the number of days in `month` (1..12) of `year`, or 0 when the
 * month is out of range. */
int date_days_in_month(int year, int month) {
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    if (month == 2 && date_is_leap(year)) return 29;
    return len[month - 1];
}

/* Return true when year/month/day names a real date within the supported
 * range (years 1..9999). */
bool date_valid_ymd(int year, int month, int day) {
    if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR) return false;
    if (month < 1 || month > 12) return false;
    return day >= 1 && day <= date_days_in_month(year, month);
}

/* Return the day number of year/month/day. The caller guarantees a valid
 * date (see date_valid_ymd); nothing is checked here. */
int32_t days_from_civil(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;                                   /* [0, 399] */
    int mp = month > 2 ? month - 3 : month + 9;                /* March = 0 */
    int doy = (153 * mp + 2) / 5 + day - 1;                    /* [0, 365] */
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return (int32_t)era * 146097 + doe - 719468;
}

/* Store the year, month (1..12) and day (1..31) of day number `days`. */
void civil_from_days(int32_t days, int *year, int *month, int *day) {
    int64_t z = (int64_t)days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = (int)(z - era * 146097);                         /* [0, 146096] */
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);         /* [0, 365] */
    int mp = (5 * doy + 2) / 153;                              /* March = 0 */
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(yoe + era * 400) + (m <= 2);
    *month = m;
    *day = d;
}

/* Store the day number of year/month/day in *out. Returns 0, or DATE_ERR
 * when the date is not real or outside years 1..9999 (*out is untouched). */
int date_from_ymd(int year, int month, int day, int32_t *out) {
    if (!date_valid_ymd(year, month, day)) return DATE_ERR;
    *out = days_from_civil(year, month, day);
    return 0;
}

/* Read `n` ASCII digits from `s` into *value. Returns false on a non-digit. */
static bool read_digits(const char *s, int n, int *value) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return true;
}

/* Parse exactly "YYYY-MM-DD" (no spaces, no other separators, zero-padded)
 * into *out. Returns 0, or DATE_ERR when the text has another shape or
 * names a date that does not exist, such as 2025-02-29. */
int date_parse(const char *s, int32_t *out) {
    int y, m, d;
    if (s == NULL) return DATE_ERR;
    if (!read_digits(s, 4, &y) || s[4] != '-' || !read_digits(s + 5, 2, &m) ||
        s[7] != '-' || !read_digits(s + 8, 2, &d) || s[10] != '\0')
        return DATE_ERR;
    return date_from_ymd(y, m, d, out);
}

/* Write `days` as "YYYY-MM-DD" into out. Returns 0, or DATE_ERR when the
 * buffer is too small or the date lies outside years 1..9999. */
int date_format(int32_t days, char *out, size_t outsz) {
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR) return DATE_ERR;
    int n = snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
    return n < 0 || (size_t)n >= outsz ? DATE_ERR : 0;
}

/* Write `days` the way Chinese documents print dates, "2026年3月7日"
 * (no zero padding). Returns 0, or DATE_ERR as date_format(). */
int date_format_zh(int32_t days, char *out, size_t outsz) {
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR) return DATE_ERR;
    int n = snprintf(out, outsz, "%d年%d月%d日", y, m, d);
    return n < 0 || (size_t)n >= outsz ? DATE_ERR : 0;
}

/* Return the age in whole years (周岁) on day `on` of a person born on
 * `birth`: the age goes up on the birthday itself. Someone born on 29
 * February has their birthday on 1 March in common years, because on
 * 28 February the full twelve months are not yet complete. Returns DATE_ERR
 * when `on` is before `birth`. */
int age_on(int32_t birth, int32_t on) {
    int by, bm, bd, y, m, d;
    if (on < birth) return DATE_ERR;
    civil_from_days(birth, &by, &bm, &bd);
    civil_from_days(on, &y, &m, &d);
    int age = y - by;
    if (bm == 2 && bd == 29 && !date_is_leap(y)) {
        bm = 3;
        bd = 1;
    }
    if (m < bm || (m == bm && d < bd)) age--;
    return age;
}

/* Return the quarter (1..4) containing `days`. */
int date_quarter(int32_t days) {
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    return (m - 1) / 3 + 1;
}

/* Return the first day of the month containing `days`. */
int32_t date_month_first(int32_t days) {
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    return days - (d - 1);
}

/* Return the number of days in the month containing `days`. */
int date_days_in_month_of(int32_t days) {
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    return date_days_in_month(y, m);
}

/* Return the last day of the month containing `days`. */
int32_t date_month_last(int32_t days) {
    int32_t first = date_month_first(days);
    return first + date_days_in_month_of(first) - 1;
}

/* Return the first day of the quarter containing `days`. */
int32_t date_quarter_first(int32_t days) {
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    return days_from_civil(y, (m - 1) / 3 * 3 + 1, 1);
}

/* Return the last day of the quarter containing `days`. */
int32_t date_quarter_last(int32_t days) {
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    int last_month = (m - 1) / 3 * 3 + 3;
    return days_from_civil(y, last_month, date_days_in_month(y, last_month));
}

/* Return the first day of the month `months` months after (or, when
 * negative, before) the month containing `days`. */
int32_t date_add_months(int32_t days, int months) {
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    int index = y * 12 + (m - 1) + months;
    int ny = index >= 0 ? index / 12 : (index - 11) / 12;
    return days_from_civil(ny, index - ny * 12 + 1, 1);
}

/* Return today's date in UTC. When the environment variable ZUWEI_TODAY
 * holds a valid "YYYY-MM-DD" that date is returned instead, so tests and
 * demos can pin "today"; an invalid override is ignored. */
int32_t date_today(void) {
    const char *fixed = getenv("ZUWEI_TODAY");
    int32_t day;
    if (fixed != NULL && date_parse(fixed, &day) == 0) return day;
    time_t now = time(NULL);
    int64_t secs = (int64_t)now;
    return (int32_t)(secs >= 0 ? secs / 86400 : (secs - 86399) / 86400);
}
