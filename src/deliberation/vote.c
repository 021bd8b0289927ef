/* vote.c -- quorum and majority checks for group meetings, villagers'
 * meetings and representatives' meetings. */
#include "deliberation/vote.h"

#include <stdint.h>
#include <stdio.h>

/* Return true when `basis` may be used for the quorum of `body`: villagers
 * 18+ or household representatives for the two assemblies, the members for
 * a representatives' meeting. */
static bool basis_allowed(VoteBody body, QuorumBasis basis) {
    if (body == BODY_REPRESENTATIVES_MEETING) return basis == BASIS_MEMBERS;
    return basis == BASIS_VILLAGERS_18 || basis == BASIS_HOUSEHOLD_REPS;
}

/* Return true when the quorum is "more than half" rather than "at least
 * two thirds": only a villagers' meeting counted by villagers 18+. */
static bool quorum_is_half(VoteBody body, QuorumBasis basis) {
    return body == BODY_VILLAGERS_MEETING && basis == BASIS_VILLAGERS_18;
}

/* Return the least number present that meets the quorum of `body` counted
 * by `basis` when `eligible` may attend: ceil(2/3 * eligible), or
 * floor(eligible/2) + 1 for "more than half". Returns -1 when the basis is
 * not allowed for the body or eligible is negative. Note that for
 * eligible == 0 this is 0 under 2/3 but nobody can attend a meeting of no
 * one: vote_check() refuses it as VOTE_ERR_NO_ELIGIBLE. */
int quorum_required(VoteBody body, QuorumBasis basis, int eligible) {
    if (eligible < 0 || !basis_allowed(body, basis)) return -1;
    int64_t e = eligible;
    return (int)(quorum_is_half(body, basis) ? e / 2 + 1 : (2 * e + 2) / 3);
}

/* Return true when `present` meets the quorum of `body` (see vote.h).
 * Returns false for an unknown body, a basis not allowed for it, negative
 * counts, nobody eligible, or more present than eligible. */
bool quorum_met_body(VoteBody body, QuorumBasis basis, int present, int eligible) {
    if (body != BODY_GROUP_MEETING && body != BODY_VILLAGERS_MEETING &&
        body != BODY_REPRESENTATIVES_MEETING)
        return false;
    if (!basis_allowed(body, basis)) return false;
    if (present < 0 || eligible <= 0 || present > eligible) return false;
    int64_t p = present, e = eligible;
    return quorum_is_half(body, basis) ? 2 * p > e : 3 * p >= 2 * e;
}

/* Return true when `present` meets the quorum of a village group meeting
 * (Art. 28): at least 2/3 of the villagers 18+ or of the household
 * representatives, whichever `basis` says was counted. */
bool quorum_met(int present, int eligible, QuorumBasis basis) {
    return quorum_met_body(BODY_GROUP_MEETING, basis, present, eligible);
}

/* Return true when `votes_for` is more than half of `present` (2*for >
 * present). False when nobody is present or a count is negative. */
bool vote_passes(int votes_for, int present) {
    if (votes_for < 0 || present <= 0 || votes_for > present) return false;
    return 2 * (int64_t)votes_for > present;
}

/* Return the least number of votes in favour that carries a motion when
 * `present` attend: floor(present/2) + 1. */
int majority_required(int present) {
    return present < 0 ? 0 : present / 2 + 1;
}

/* Check the counts of `t` for `body` and `basis` before any rule is
 * applied. Returns VOTE_OK or a negative VoteStatus. */
int vote_validate(VoteBody body, QuorumBasis basis, const VoteTally *t) {
    if (body != BODY_GROUP_MEETING && body != BODY_VILLAGERS_MEETING &&
        body != BODY_REPRESENTATIVES_MEETING)
        return VOTE_ERR_BODY;
    if (!basis_allowed(body, basis)) return VOTE_ERR_BASIS;
    if (t->eligible < 0 || t->present < 0 || t->votes_for < 0 || t->votes_against < 0 ||
        t->abstentions < 0)
        return VOTE_ERR_NEGATIVE;
    if (t->eligible == 0) return VOTE_ERR_NO_ELIGIBLE;
    if (t->present > t->eligible) return VOTE_ERR_PRESENT_OVER;
    if ((int64_t)t->votes_for + t->votes_against + t->abstentions > t->present)
        return VOTE_ERR_BALLOTS_OVER;
    return VOTE_OK;
}

/* Return the Chinese word for the people counted by `basis`. */
static const char *basis_zh(QuorumBasis basis) {
    switch (basis) {
    case BASIS_VILLAGERS_18: return "18周岁以上村民";
    case BASIS_HOUSEHOLD_REPS: return "户代表";
    case BASIS_MEMBERS: return "代表";
    }
    return "";
}

/* Apply the quorum and majority rules of `body` to the tally `t` and, when
 * `msg` is not NULL, write a one-line Chinese explanation with the numbers
 * into it (truncated to msgsz). The result says whether the decision
 * stands, which rule failed first (quorum before majority) with the number
 * required and the shortfall, or which input error was found. */
VoteCheck vote_check(VoteBody body, QuorumBasis basis, const VoteTally *t, char *msg, size_t msgsz) {
    VoteCheck r = {false, VOTE_OK, 0, 0};
    int rc = vote_validate(body, basis, t);
    if (rc != VOTE_OK) {
        r.status = (VoteStatus)rc;
        if (msg != NULL && msgsz > 0) snprintf(msg, msgsz, "%s", vote_status_zh(rc));
        return r;
    }
    r.required = quorum_required(body, basis, t->eligible);
    if (!quorum_met_body(body, basis, t->present, t->eligible)) {
        r.status = VOTE_FAIL_QUORUM;
        r.shortfall = r.required - t->present;
        if (msg != NULL && msgsz > 0)
            snprintf(msg, msgsz, "法定人数不足：应到 %d 人，实到 %d 人，至少需 %d 人（按%s计）",
                     t->eligible, t->present, r.required, basis_zh(basis));
        return r;
    }
    r.required = majority_required(t->present);
    if (!vote_passes(t->votes_for, t->present)) {
        r.status = VOTE_FAIL_MAJORITY;
        r.shortfall = r.required - t->votes_for;
        if (msg != NULL && msgsz > 0)
            snprintf(msg, msgsz, "表决未通过：实到 %d 人，赞成 %d 票，须超过半数即至少 %d 票",
                     t->present, t->votes_for, r.required);
        return r;
    }
    r.ok = true;
    if (msg != NULL && msgsz > 0)
        snprintf(msg, msgsz, "表决通过：应到 %d 人，实到 %d 人，赞成 %d 票，反对 %d 票，弃权 %d 票",
                 t->eligible, t->present, t->votes_for, t->votes_against, t->abstentions);
    return r;
}

/* Return the Simplified Chinese message for a VoteStatus code. */
const char *vote_status_zh(int status) {
    switch (status) {
    case VOTE_OK: return "表决通过";
    case VOTE_FAIL_QUORUM: return "到会人数未达到法定人数";
    case VOTE_FAIL_MAJORITY: return "赞成票未超过到会人数的一半，表决未通过";
    case VOTE_ERR_NEGATIVE: return "人数和票数不能为负数";
    case VOTE_ERR_NO_ELIGIBLE: return "应到人数为0，无法召开会议";
    case VOTE_ERR_PRESENT_OVER: return "实到人数不能多于应到人数";
    case VOTE_ERR_BALLOTS_OVER: return "赞成、反对、弃权票数之和不能多于实到人数";
    case VOTE_ERR_BASIS: return "该会议不能按此口径计算法定人数";
    case VOTE_ERR_BODY: return "未知的会议类型";
    default: return "表决数据无效";
    }
}
