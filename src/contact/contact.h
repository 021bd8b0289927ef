/* contact.h — the two-way contact mechanism (M3 双向联系机制): what other parts of the program use.
 *
 * Village cadres guide the committees assigned to them (联系指导, ≥ 1 per committee per quarter);
 * committee members visit the households assigned to them (入户走访, ≥ 5 per month). The pages,
 * the JSON API and the offline batch upload live in this folder; compliance is kept in counters
 * per person, unit and period, updated in the same transaction as each write (docs/compliance.md).
 *
 * Wiring: contact_routes and contact_msgs go into src/app.c; contact_todo() is the home page's
 * to-do block; contact_household_facts() is the "last visited" card of a household page;
 * contact_check() belongs to `zuwei check`; the contact_demo_* calls are for `zuwei demo`. */
#ifndef ZW_CONTACT_H
#define ZW_CONTACT_H
#include "platform/buf.h"
#include "platform/i18n.h"
#include "platform/router.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern const Route contact_routes[];
extern const Msg contact_msgs[];

/* Writes the logged-in user's to-do card for the home page: visits still owed this month and the
 * assigned households not visited for longest (members), guidance contacts owed this quarter
 * (cadres), last period's shortfalls, and how many people in scope are behind (office staff).
 * Writes nothing for users with nothing to do here. */
void contact_todo(Req *r, Buf *b);

/* Writes the "走访情况" card of a household page: last visit, visits this year, the member
 * assigned to the household and a link to its visits. The caller has checked the household is in
 * scope. An ended household (`open` false) keeps its visits but is assigned to nobody and takes no
 * new visit. */
void contact_household_facts(Req *r, Buf *b, int64_t household_id, bool open);

/* Recounts every counter from the raw rows (visits, guidance contacts, seats, assignments,
 * settings) and compares. Prints each mismatch to stderr and a summary to stdout. Returns the
 * number of mismatches (0 when everything agrees), or -1 on a database error. Needs the database
 * open (db_configure). */
int contact_check(void);

/* Recomputes every counter from the raw rows in one transaction (after a bulk load or to repair
 * what contact_check found). Returns 0 or -1. */
int contact_rebuild(void);

/* ---- Bulk path for the demo generator (`zuwei demo`) ----
 *
 * Call contact_demo_begin(), then any number of contact_demo_* inserts inside the caller's own
 * transactions, then contact_demo_finish(), which rebuilds every counter in one pass. Inserts
 * write no audit entries and check only what the schema checks; the caller supplies consistent
 * data (members with a seat covering the date, households in scope). Each insert returns 0 or an
 * SQLite error code.
 *
 * A caller that also reports its visits as sums (contact_demo_visit_sum: every inserted visit
 * counted exactly once) spares the rebuild reading a million visits back: contact_demo_finish
 * then counts the visits from the sums. `zuwei check` recounts from the rows, so a sum that
 * disagrees with the rows shows there. */
typedef struct ContactDemoVisit {
    int64_t member_id;          /* person id of the committee member */
    int64_t member_unit;        /* the member's village group */
    int64_t household_id;
    int64_t unit_id;            /* the household's village group */
    int32_t day;                /* days since 1970-01-01 */
    unsigned duties;            /* 八大员 bits, 1..255 */
    const char *purpose, *requests, *problems, *help, *follow_up;   /* NULL = "" */
    int64_t entered_by;         /* user id, 0 when none */
    int64_t township_id;        /* the township of unit_id; 0: looked up by the insert trigger (018) */
} ContactDemoVisit;

typedef struct ContactDemoGuidance {
    int64_t user_id, committee_id, unit_id;
    int32_t day;
    const char *how;            /* "site", "phone" or "meeting" */
    const char *checked, *problems, *advice, *follow_up;
    unsigned duties;
} ContactDemoGuidance;

int contact_demo_begin(void);
/* Writes the visits v[0..n) in that order through one statement. Returns 0 or an SQLite error code. */
int contact_demo_visits(const ContactDemoVisit *v, size_t n);
int contact_demo_guidance(const ContactDemoGuidance *g);
/* Assigns a household to a member (person) from `start` (ending any current assignment). */
int contact_demo_assign_household(int64_t member_id, int64_t household_id, int64_t unit_id, int32_t start);
/* Assigns a cadre login to a committee from `start`. */
int contact_demo_assign_guide(int64_t user_id, int64_t committee_id, int64_t unit_id, int32_t start);
/* Adds `visits` visits of member `member_id` (group `member_unit`) to households of group
 * `unit_id` in month `month` (YYYYMM) to the sums contact_demo_finish counts from. */
int contact_demo_visit_sum(int64_t member_id, int64_t member_unit, int64_t unit_id, int month, int visits);
/* Rebuilds all counters (like contact_rebuild; from the sums when any were given), inside the
 * caller's transaction when one is open, else in its own. Returns 0 or -1. */
int contact_demo_finish(void);

#endif
