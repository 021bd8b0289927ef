/* vote.h -- quorum and majority rules of village meetings (村民委员会组织法).
 *
 * Three bodies, selected by VoteBody:
 *  - group meeting (村民小组会议, Art. 28): quorum at least 2/3 of the group's
 *    villagers aged 18+, or at least 2/3 of its household representatives
 *    (户代表); passes with more than half of those present;
 *  - villagers' meeting (村民会议, Arts. 21-22): quorum more than half of the
 *    villagers aged 18+, or at least 2/3 of the household representatives;
 *    passes with more than half of those present;
 *  - representatives' meeting (村民代表会议, Art. 26): quorum at least 2/3 of
 *    its members; passes with more than half of those present.
 * All fractions are compared in integer arithmetic (3*present >= 2*eligible,
 * 2*for > present); no floating point. */
#ifndef ZUWEI_DELIBERATION_VOTE_H
#define ZUWEI_DELIBERATION_VOTE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    BODY_GROUP_MEETING,            /* 村民小组会议 / 组民大会, Art. 28 */
    BODY_VILLAGERS_MEETING,        /* 村民会议, Arts. 21-22 */
    BODY_REPRESENTATIVES_MEETING,  /* 村民代表会议, Art. 26 */
} VoteBody;

/* Who counts as "eligible" for the quorum. */
typedef enum {
    BASIS_VILLAGERS_18,      /* villagers aged 18 and over (18周岁以上村民) */
    BASIS_HOUSEHOLD_REPS,    /* household representatives (户代表) */
    BASIS_MEMBERS,           /* the members of a representatives' meeting */
} QuorumBasis;

typedef enum {
    VOTE_OK = 0,
    VOTE_FAIL_QUORUM = 1,              /* too few present */
    VOTE_FAIL_MAJORITY = 2,            /* not more than half of those present in favour */
    VOTE_ERR_NEGATIVE = -1,            /* a count below zero */
    VOTE_ERR_NO_ELIGIBLE = -2,         /* nobody eligible */
    VOTE_ERR_PRESENT_OVER = -3,        /* more present than eligible */
    VOTE_ERR_BALLOTS_OVER = -4,        /* for + against + abstain > present */
    VOTE_ERR_BASIS = -5,               /* basis not allowed for this body */
    VOTE_ERR_BODY = -6,                /* unknown body */
} VoteStatus;

/* The counts of one vote. Only `eligible` and `present` matter for quorum. */
typedef struct {
    int eligible;       /* 应到 */
    int present;        /* 实到 */
    int votes_for;      /* 赞成 */
    int votes_against;  /* 反对 */
    int abstentions;    /* 弃权 */
} VoteTally;

/* The outcome of vote_check(). */
typedef struct {
    bool ok;              /* quorum met and motion carried */
    VoteStatus status;    /* VOTE_OK, the failed rule, or an input error */
    int required;         /* least number present (quorum) or in favour (majority) */
    int shortfall;        /* how many were missing for the failed rule, else 0 */
} VoteCheck;

bool quorum_met(int present, int eligible, QuorumBasis basis);
bool quorum_met_body(VoteBody body, QuorumBasis basis, int present, int eligible);
int quorum_required(VoteBody body, QuorumBasis basis, int eligible);
bool vote_passes(int votes_for, int present);
int majority_required(int present);
int vote_validate(VoteBody body, QuorumBasis basis, const VoteTally *t);
VoteCheck vote_check(VoteBody body, QuorumBasis basis, const VoteTally *t, char *msg, size_t msgsz);
const char *vote_status_zh(int status);

#endif
