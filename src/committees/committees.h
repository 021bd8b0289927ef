/* committees.h — group committees (组委会), party groups, posts and elections (M2 定编制、定职责):
 * what other parts of the program use. The routes and messages are listed in src/app.c; the demo
 * generator forms committees through formation_record_and_confirm(), the same path as the web
 * form. The eight duties (八大员) are in committees/duties.h. */
#ifndef ZW_COMMITTEES_H
#define ZW_COMMITTEES_H
#include "committees/duties.h"
#include "platform/audit.h"
#include "platform/buf.h"
#include "platform/http.h"
#include "platform/i18n.h"
#include "platform/router.h"
#include <stddef.h>
#include <stdint.h>

extern const Route committee_routes[];
extern const Msg committee_msgs[];

/* A warning before a household leaves its group (并户, 整户迁组): which of its living members sit
 * on a committee, and on which, since they keep their seat until the committee's page changes it.
 * Writes nothing when none does. */
void committee_seats_note(Req *r, Buf *b, int64_t household_id);

/* One candidate of a formation. post: "chair" 理事长/召集人, "mediator" 调解委员, "supervisor" 监督委员,
 * "environment" 环保委员, "member" 委员, "custom" (post_name says which, 按需设职). */
typedef struct FormationCandidateIn {
    int64_t person_id;
    const char *post, *post_name;
    int votes;
    int runoff_votes;              /* -1 when the candidate is not in a run-off */
    const char *cadre_reason;      /* required when the person is a 村两委干部 */
    const char *outside_reason;    /* required when the person belongs to another group */
} FormationCandidateIn;

/* A written proxy (委托投票) by a close relative. */
typedef struct FormationProxyIn {
    int64_t voter_id, proxy_id;
    const char *relation;          /* 配偶, 子女, 父母 ... */
} FormationProxyIn;

/* The facts of a formation meeting. The number of eligible voters is not an input: it is counted
 * from the group's roll on held_on (household representatives, or villagers aged 18+). */
typedef struct FormationInput {
    int64_t unit_id;               /* the village group */
    const char *held_on;           /* YYYY-MM-DD: the meeting, and the start of the term */
    const char *place;
    const char *body;              /* "assembly" 组民大会 | "representatives" 组民代表会议 */
    const char *method;            /* "household_reps" 户代表选举 | "direct" 直接推选 */
    const char *convened_by;       /* e.g. 村"两委"、党小组 */
    int seats;
    int present, issued, returned, void_ballots;
    int runoff_issued, runoff_returned, runoff_void;   /* all 0 when no run-off was held */
    const FormationCandidateIn *cands;
    int ncands;
    const FormationProxyIn *proxies;
    int nproxies;
    const char *size_note;         /* acknowledgement when the committee's size is outside the policy */
} FormationInput;

/* Errors of the formation functions (besides 0). */
enum {
    FORMATION_INVALID = 1,         /* bad input (unknown group, person outside the group, ...): see why */
    FORMATION_REFUSED = 2,         /* the result fails a rule and cannot be confirmed: see why */
    FORMATION_DB = -1,
};

/* Records a formation and confirms it in one transaction with audit entries: the formation, its
 * candidates and proxies, the new committee and its members; the group's previous committee and
 * its members end on held_on (term_end). `why` gets the first reason in Chinese when it fails.
 * Returns 0 and sets *committee_id, or a FORMATION_* error. */
int formation_record_and_confirm(const Actor *a, const FormationInput *in, int64_t *committee_id, char *why,
                                 size_t whysz);
/* The same inside the caller's open transaction (for the demo generator's batches): writes with
 * audit_append() and leaves commit or rollback to the caller. */
int formation_record_and_confirm_tx(const Actor *a, const FormationInput *in, int64_t *committee_id, char *why,
                                    size_t whysz);

/* Recounts the kept committee counts (committee_tally, committee_births and each active committee's
 * path, members, party, women, chairs and chair_id, kept by the triggers of 006_committees.sql) from the rows.
 * Returns the number of units, birth rows and committees whose kept counts differ (0 when all are
 * right), or -1 on a database error. For `zuwei check`. */
int committee_counts_check(void);

#endif
