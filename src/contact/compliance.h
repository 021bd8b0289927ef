/* compliance.h -- what committee members and village cadres owe under the
 * two-way contact mechanism (双向联系机制), pro-rated to the time they held
 * the post, and the compliance rate.
 *
 * THE RULE (county settings in CompliancePolicy, defaults in brackets):
 *
 * Dates are whole days. A post (or a cadre's assignment to a committee) is
 * held from its start date to its end date, both days included; a post
 * still held has end = DATE_OPEN. A report covers a period from..to, both
 * days included, within years 1..9999 (DATE_OPEN is not a period end).
 * Only days that are both held and inside the period count.
 *
 * 1. Household visits by a committee member [visits_per_month = 5].
 *    For each calendar month, let H be the number of counted days in that
 *    month and M the number of days in the month. The member owes
 *        ceil(visits_per_month * H / M)
 *    visits for that month. A whole month owes exactly visits_per_month;
 *    a month with no counted day owes nothing (so a member who joined on
 *    20 March owes nothing for February). Example: joined on the 20th of a
 *    31-day month: H = 12, ceil(5 * 12 / 31) = 2. Left on 10 June (30
 *    days): ceil(5 * 10 / 30) = 2. Joined 1 June, left 1 June: ceil(5/30) = 1.
 *    A period that cuts a month is pro-rated the same way. The total owed is
 *    the sum over the months of the period.
 *
 * 2. Guidance contacts by a village cadre [guidance_per_quarter = 1].
 *    For each assigned committee and each calendar quarter with at least one
 *    counted day of the assignment, the cadre owes guidance_per_quarter
 *    contacts; no pro-rating inside a quarter (one contact is the least
 *    that can be asked). Sum over the cadre's assignments for the total.
 *    Reports on guidance should cover whole quarters.
 *
 * 3. Rate. rate = 100 when done >= owed, else floor(done * 100 / owed);
 *    never above 100 or below 0 (negative done counts as 0). When owed is 0
 *    the rate is not applicable ("n/a"): the person owed nothing in the
 *    period, which is neither 0% nor 100%; such people are left out of
 *    averages and roll-ups.
 */
#ifndef ZUWEI_CONTACT_COMPLIANCE_H
#define ZUWEI_CONTACT_COMPLIANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int visits_per_month;       /* 5: 每月不少于5次走进群众家中 */
    int guidance_per_quarter;   /* 1: 每季度至少联系指导1次以上 */
} CompliancePolicy;

#define COMPLIANCE_POLICY_DEFAULT ((CompliancePolicy){5, 1})

typedef enum {
    COMPLIANCE_ERR_POST_RANGE = -1,    /* post ends before it starts */
    COMPLIANCE_ERR_PERIOD_RANGE = -2,  /* period ends before it starts */
    COMPLIANCE_ERR_POLICY = -3,        /* negative thresholds */
} ComplianceError;

typedef struct {
    int owed;
    int done;        /* as given, negative clamped to 0 */
    int rate_pct;    /* 0..100; 0 when na */
    bool na;         /* owed == 0: no rate */
} ComplianceRate;

int compliance_days_held(int32_t post_start, int32_t post_end, int32_t from, int32_t to);
int compliance_visits_owed_month(const CompliancePolicy *p, int32_t post_start, int32_t post_end,
                                 int32_t month_day, int32_t from, int32_t to);
int compliance_visits_owed(const CompliancePolicy *p, int32_t post_start, int32_t post_end,
                           int32_t from, int32_t to);
int compliance_guidance_owed(const CompliancePolicy *p, int32_t assign_start, int32_t assign_end,
                             int32_t from, int32_t to);
ComplianceRate compliance_rate(int done, int owed);
const char *compliance_error_zh(int code);

/* ---- Pieces the counters are built from (contact/store.c) ---- */

/* Visits owed in one month when `held` of its `month_len` days were counted (the sum over the
 * member's seats in that month, capped at month_len): ceil(visits_per_month * held / month_len).
 * Returns a negative ComplianceError for a negative policy or a held count outside 0..month_len. */
int compliance_visits_owed_days(const CompliancePolicy *p, int held, int month_len);

/* What one person-period row adds to its unit's totals: expected = owed, done = min(done, owed)
 * (so one busy member cannot hide another's shortfall and no rate exceeds 100%), behind = 1 when
 * owed > 0 and done < owed, owing = 1 when owed > 0, count = done as recorded. */
typedef struct ComplianceTally {
    int64_t expected, done, behind, owing, count;
} ComplianceTally;

ComplianceTally compliance_tally(int owed, int done);
/* The change of a unit's totals when a row goes from (owed0, done0) to (owed1, done1). */
ComplianceTally compliance_tally_delta(int owed0, int done0, int owed1, int done1);

/* A reporting period: a calendar month ("2026-11", code 202611) or quarter ("2026Q4" or
 * "2026-Q4", code 20264), with its first and last day. */
typedef struct CompliancePeriod {
    bool quarter;
    int code;           /* YYYYMM or YYYYQ */
    int32_t from, to;
} CompliancePeriod;

/* Parses a period as above. Returns 0, or -1 for anything else (years 2000..2999 only). */
int compliance_period_parse(const char *s, CompliancePeriod *out);
/* The month (YYYYMM) and quarter (YYYYQ) codes of a day, and the period of a code. */
int compliance_month_of(int32_t day);
int compliance_quarter_of(int32_t day);
CompliancePeriod compliance_month_period(int month_code);
CompliancePeriod compliance_quarter_period(int quarter_code);
/* Writes a period as "2026-11" or "2026Q4" into out (at least 8 bytes). */
void compliance_period_format(const CompliancePeriod *p, char *out, size_t outsz);

#endif
