/* compliance.c -- visits and guidance owed, pro-rated to the time a post
 * was held, and the compliance rate (the rule is written out in
 * compliance.h). */
#include "contact/compliance.h"

#include "platform/date.h"

#include <stdio.h>
#include <string.h>

/* Return true when from..to is a usable period: in order and within the
 * years date.h supports (so DATE_OPEN cannot be a period end). */
static bool period_ok(int32_t from, int32_t to) {
    return from <= to && from >= days_from_civil(DATE_MIN_YEAR, 1, 1) &&
           to <= days_from_civil(DATE_MAX_YEAR, 12, 31);
}

/* Return the later of two days. */
static int32_t day_max(int32_t a, int32_t b) { return a > b ? a : b; }

/* Return the earlier of two days. */
static int32_t day_min(int32_t a, int32_t b) { return a < b ? a : b; }

/* Return the number of days that are both in the post [post_start,
 * post_end] and in [from, to] (all inclusive; post_end may be DATE_OPEN),
 * 0 when they do not meet. Returns COMPLIANCE_ERR_POST_RANGE or
 * COMPLIANCE_ERR_PERIOD_RANGE when a range ends before it starts. */
int compliance_days_held(int32_t post_start, int32_t post_end, int32_t from, int32_t to) {
    if (post_end < post_start) return COMPLIANCE_ERR_POST_RANGE;
    if (to < from) return COMPLIANCE_ERR_PERIOD_RANGE;
    int32_t a = day_max(post_start, from), b = day_min(post_end, to);
    return b < a ? 0 : (int)(b - a + 1);
}

/* Return the visits owed for the calendar month containing `month_day`
 * when the post ran post_start..post_end and the report covers from..to:
 * ceil(visits_per_month * H / M), H the counted days of the month, M its
 * length. Returns a negative ComplianceError for bad ranges or policy. */
int compliance_visits_owed_month(const CompliancePolicy *p, int32_t post_start, int32_t post_end,
                                 int32_t month_day, int32_t from, int32_t to) {
    if (p->visits_per_month < 0) return COMPLIANCE_ERR_POLICY;
    if (!period_ok(from, to)) return COMPLIANCE_ERR_PERIOD_RANGE;
    int32_t first = date_month_first(month_day), last = date_month_last(month_day);
    int held = compliance_days_held(post_start, post_end, day_max(first, from), day_min(last, to));
    if (held == COMPLIANCE_ERR_PERIOD_RANGE) return 0;   /* the period misses this month */
    if (held < 0) return held;
    int64_t m = last - first + 1;
    return (int)(((int64_t)p->visits_per_month * held + m - 1) / m);
}

/* Return the household visits a committee member owes for the period
 * from..to: the sum of compliance_visits_owed_month() over every month the
 * period touches. Returns a negative ComplianceError for bad ranges (a
 * period must lie within years 1..9999) or policy. */
int compliance_visits_owed(const CompliancePolicy *p, int32_t post_start, int32_t post_end,
                           int32_t from, int32_t to) {
    if (p->visits_per_month < 0) return COMPLIANCE_ERR_POLICY;
    if (post_end < post_start) return COMPLIANCE_ERR_POST_RANGE;
    if (!period_ok(from, to)) return COMPLIANCE_ERR_PERIOD_RANGE;
    int total = 0;
    for (int32_t month = date_month_first(from); month <= to; month = date_add_months(month, 1))
        total += compliance_visits_owed_month(p, post_start, post_end, month, from, to);
    return total;
}

/* Return the guidance contacts a village cadre owes one assigned committee
 * for the period from..to: guidance_per_quarter for every calendar quarter
 * holding at least one day that is in both the assignment and the period.
 * Returns a negative ComplianceError for bad ranges or policy. */
int compliance_guidance_owed(const CompliancePolicy *p, int32_t assign_start, int32_t assign_end,
                             int32_t from, int32_t to) {
    if (p->guidance_per_quarter < 0) return COMPLIANCE_ERR_POLICY;
    if (assign_end < assign_start) return COMPLIANCE_ERR_POST_RANGE;
    if (!period_ok(from, to)) return COMPLIANCE_ERR_PERIOD_RANGE;
    if (compliance_days_held(assign_start, assign_end, from, to) == 0) return 0;
    int32_t a = day_max(assign_start, from), b = day_min(assign_end, to);
    int quarters = 0;
    for (int32_t q = date_quarter_first(a); q <= b; q = date_add_months(q, 3)) quarters++;
    return quarters * p->guidance_per_quarter;
}

/* Return the compliance rate for `done` out of `owed`: 100 when done >=
 * owed, else floor(done * 100 / owed), clamped to 0..100 with negative
 * counts taken as 0; `na` set (and rate 0) when nothing was owed. */
ComplianceRate compliance_rate(int done, int owed) {
    ComplianceRate r;
    r.done = done < 0 ? 0 : done;
    r.owed = owed < 0 ? 0 : owed;
    r.na = r.owed == 0;
    if (r.na) r.rate_pct = 0;
    else if (r.done >= r.owed) r.rate_pct = 100;
    else r.rate_pct = (int)((int64_t)r.done * 100 / r.owed);
    return r;
}

/* Return the Simplified Chinese message for a ComplianceError code. */
const char *compliance_error_zh(int code) {
    switch (code) {
    case COMPLIANCE_ERR_POST_RANGE: return "任职结束日期早于开始日期";
    case COMPLIANCE_ERR_PERIOD_RANGE: return "统计期间的结束日期早于开始日期";
    case COMPLIANCE_ERR_POLICY: return "走访或联系指导次数的设置不能为负数";
    default: return "履职统计参数无效";
    }
}

/* Return the visits owed for a month with `held` counted days out of
 * `month_len`: ceil(visits_per_month * held / month_len); a negative
 * ComplianceError for a negative policy or a held count out of range. */
int compliance_visits_owed_days(const CompliancePolicy *p, int held, int month_len) {
    if (p->visits_per_month < 0) return COMPLIANCE_ERR_POLICY;
    if (month_len <= 0 || held < 0 || held > month_len) return COMPLIANCE_ERR_PERIOD_RANGE;
    return (int)(((int64_t)p->visits_per_month * held + month_len - 1) / month_len);
}

/* Return what a row (owed, done) contributes to its unit's totals (see
 * compliance.h); negative inputs count as 0. */
ComplianceTally compliance_tally(int owed, int done) {
    if (owed < 0) owed = 0;
    if (done < 0) done = 0;
    ComplianceTally t = {owed, done < owed ? done : owed, owed > 0 && done < owed, owed > 0, done};
    return t;
}

/* Return the change of a unit's totals when a row goes from (owed0, done0)
 * to (owed1, done1). */
ComplianceTally compliance_tally_delta(int owed0, int done0, int owed1, int done1) {
    ComplianceTally a = compliance_tally(owed0, done0), b = compliance_tally(owed1, done1);
    ComplianceTally d = {b.expected - a.expected, b.done - a.done, b.behind - a.behind, b.owing - a.owing,
                         b.count - a.count};
    return d;
}

/* Return the YYYYMM code of the month containing `day`. */
int compliance_month_of(int32_t day) {
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    return y * 100 + m;
}

/* Return the YYYYQ code of the quarter containing `day`. */
int compliance_quarter_of(int32_t day) {
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    return y * 10 + (m - 1) / 3 + 1;
}

/* Return the period of a YYYYMM code (the caller passes a valid one). */
CompliancePeriod compliance_month_period(int code) {
    CompliancePeriod p = {false, code, 0, 0};
    p.from = days_from_civil(code / 100, code % 100, 1);
    p.to = date_month_last(p.from);
    return p;
}

/* Return the period of a YYYYQ code (the caller passes a valid one). */
CompliancePeriod compliance_quarter_period(int code) {
    CompliancePeriod p = {true, code, 0, 0};
    p.from = days_from_civil(code / 10, (code % 10 - 1) * 3 + 1, 1);
    p.to = date_quarter_last(p.from);
    return p;
}

/* Return the value of n decimal digits at s, or -1 when one is not a digit. */
static int digits(const char *s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Parse "YYYY-MM", "YYYYQn" or "YYYY-Qn" (q in either case) into *out.
 * Returns 0, or -1 when the text is anything else or the year is outside
 * 2000..2999. */
int compliance_period_parse(const char *s, CompliancePeriod *out) {
    if (!s) return -1;
    size_t n = strlen(s);
    int y = n >= 4 ? digits(s, 4) : -1;
    if (y < 2000 || y > 2999) return -1;
    const char *t = s + 4;
    if (*t == '-' && (t[1] == 'Q' || t[1] == 'q')) t++;
    if ((*t == 'Q' || *t == 'q') && t[1] >= '1' && t[1] <= '4' && t[2] == 0) {
        *out = compliance_quarter_period(y * 10 + (t[1] - '0'));
        return 0;
    }
    if (*t == '-' && n == 7) {
        int m = digits(t + 1, 2);
        if (m < 1 || m > 12) return -1;
        *out = compliance_month_period(y * 100 + m);
        return 0;
    }
    return -1;
}

/* Write a period as "2026-11" or "2026Q4". */
void compliance_period_format(const CompliancePeriod *p, char *out, size_t outsz) {
    if (p->quarter) snprintf(out, outsz, "%04dQ%d", p->code / 10, p->code % 10);
    else snprintf(out, outsz, "%04d-%02d", p->code / 100, p->code % 100);
}
