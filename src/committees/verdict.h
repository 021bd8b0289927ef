/* verdict.h — may this recorded formation (组委会选举/推选) be confirmed?
 *
 * A pure function over the facts of one formation meeting and its candidates, so every rule can be
 * pinned by a unit test without a database. It joins the three rule sets the product has:
 *  - the meeting (deliberation/vote.h): a group assembly (组民大会, Art. 28) needs at least 2/3 of
 *    the villagers aged 18+ (直接推选) or of the household representatives (户代表选举) present; a
 *    representatives' meeting (组民代表会议, Art. 26) at least 2/3 of its members;
 *  - the ballots and the count (election.h): returned ≤ issued ≤ eligible, void ≤ returned, more
 *    than half of the eligible voting, > 1/2 of votes cast to win, a tie → re-vote, unfilled seats →
 *    run-off (另行选举) won with ≥ 1/3 of that round's ballots;
 *  - the committee it makes (rules.h): size within the policy (outside only with an acknowledgement
 *    reason), exactly one chair, members 18+, living in the group, cadres only with a reason, nobody
 *    on two committees.
 * Candidates stand for a post. Each named post (chair, mediator, supervisor, environment, or a
 * custom post name) is one seat counted on its own; plain members (委员) share the seats left. */
#ifndef ZW_COMMITTEES_VERDICT_H
#define ZW_COMMITTEES_VERDICT_H
#include "committees/election.h"
#include "committees/rules.h"
#include <stdbool.h>
#include <stdint.h>

enum { VERDICT_MAX_PROBLEMS = 24, VERDICT_MAX_CANDS = ELECTION_MAX_CANDIDATES };

/* The meeting and its ballots (formation row). */
typedef struct MeetingFacts {
    bool representatives;      /* 组民代表会议 rather than 组民大会 */
    bool household_reps;       /* 户代表选举 rather than 直接推选 */
    int seats;                 /* 应选名额 */
    int eligible, present;     /* 应到 (from the roll) / 实到 */
    int issued, returned, void_ballots;
    int r_issued, r_returned, r_void;   /* run-off ballots; r_returned 0 = no run-off held */
    int32_t start;             /* the term's start (day number): the rules are checked on it */
    int64_t group_id;
    bool size_acknowledged;    /* a non-blank reason for a size outside the policy was given */
} MeetingFacts;

/* A candidate with the facts the rules need. */
typedef struct CandFacts {
    int64_t person_id;
    Post post;
    const char *post_name;     /* custom post (按需设职); "" otherwise */
    int votes;
    int runoff_votes;          /* -1 when not in a run-off */
    int32_t birth;
    PersonStatus status;
    int64_t group_id;
    bool is_cadre;
    const char *cadre_reason, *outside_reason;
    int64_t other_committee;   /* an active committee of ANOTHER group the person sits on, else 0 */
} CandFacts;

typedef enum {
    VP_NO_ELIGIBLE = 1,        /* nobody on the roll to vote */
    VP_PRESENT_OVER,           /* a: present, b: eligible */
    VP_QUORUM,                 /* a: eligible, b: present, c: required */
    VP_ISSUED_OVER,            /* a: issued, b: eligible (round 1 or run-off: round) */
    VP_RETURNED_OVER,          /* a: returned, b: issued */
    VP_VOID_OVER,              /* a: void, b: returned */
    VP_TURNOUT,                /* a: eligible, b: returned, c: required */
    VP_NO_CANDIDATES,
    VP_POSTS_OVER_SEATS,       /* a: named posts, b: seats */
    VP_NO_MEMBER_SEATS,        /* a: plain-member candidates, b: seats, c: named posts */
    VP_FEW_CANDIDATES,         /* a: candidates, b: seats of the post */
    VP_VOTES_INPUT,            /* impossible tallies: text from election.c */
    VP_REVOTE,                 /* a: tied, b: seats */
    VP_RUNOFF_NEEDED,          /* a: seats left */
    VP_VACANT,                 /* a: seats left vacant after the run-off (warning) */
    VP_RULE,                   /* rules.h code in a; person in person_id */
    VP_SIZE,                   /* warning: a size, b min, c max; blocks unless acknowledged */
} VerdictCode;

typedef struct Problem {
    VerdictCode code;
    int a, b, c;
    int round;                 /* 1 or 2 for ballot problems */
    int64_t person_id;
    Post post;                 /* for count problems: the post concerned */
    const char *post_name;
    const char *text;          /* VP_VOTES_INPUT: Chinese reason from election.c (static) */
    bool warning;              /* shown, does not block confirmation */
} Problem;

typedef struct Verdict {
    bool confirmable;          /* no blocking problem */
    bool needs_runoff;         /* a run-off would fill seats left open */
    bool size_warning;         /* the size is outside the policy (acknowledged or not) */
    int quorum_required;
    int nwinners;
    int winners[ELECTION_MAX_SEATS];   /* indexes into the candidate array */
    int nproblems;
    Problem problems[VERDICT_MAX_PROBLEMS];
} Verdict;

/* Judges a formation: fills v with the winners (indexes into c) and every problem found. Returns
 * the number of blocking problems (0 = may be confirmed). */
int formation_judge(const MeetingFacts *m, const CandFacts *c, int n, const CommitteePolicy *p, Verdict *v);
/* True when two candidates stand for the same seat group (same post, same custom name). */
bool verdict_same_post(const CandFacts *a, const CandFacts *b);

#endif
