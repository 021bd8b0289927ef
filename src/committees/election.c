/* election.c -- first-round count and run-off of a committee election. */
#include "committees/election.h"

#include <stdio.h>
#include <string.h>

/* Check counts that no real election can produce: negatives, void ballots
 * beyond those returned, a candidate with more votes than valid ballots,
 * more votes in all than valid ballots times seats, a seat count outside
 * 1..ELECTION_MAX_SEATS or too many candidates. Returns 0 or
 * ELECTION_ERR_INPUT with a reason written. */
static int check_input(const BallotCount *b, const Candidate *cands, int ncands, int seats,
                       ElectionResult *out) {
    const char *why = NULL;
    if (b->registered < 0 || b->issued < 0 || b->returned < 0 || b->void_ballots < 0)
        why = "选民数和票数不能为负数";
    else if (seats < 1 || seats > ELECTION_MAX_SEATS)
        why = "应选名额必须在1到16之间";
    else if (ncands < 0 || ncands > ELECTION_MAX_CANDIDATES || (ncands > 0 && cands == NULL))
        why = "候选人数量无效";
    else if (b->void_ballots > b->returned)
        why = "无效票不能多于收回的选票";
    if (why == NULL) {
        int64_t valid = (int64_t)b->returned - b->void_ballots, total = 0;
        for (int i = 0; i < ncands && why == NULL; i++) {
            if (cands[i].votes < 0) why = "候选人得票不能为负数";
            else if (cands[i].votes > valid) why = "候选人得票不能多于有效票数";
            total += cands[i].votes;
        }
        if (why == NULL && total > valid * seats) why = "得票总数超过有效票数乘以应选名额";
    }
    if (why == NULL) return 0;
    out->status = ELECTION_ERR_INPUT;
    snprintf(out->reason, sizeof out->reason, "%s", why);
    return ELECTION_ERR_INPUT;
}

/* Decide whether the ballots make the election valid: not more returned
 * than issued, not more issued than registered, and more than half of the
 * registered voters voting. Returns true, or false with status
 * ELECTION_INVALID and a reason written. */
static bool election_valid(const BallotCount *b, ElectionResult *out) {
    if (b->returned > b->issued) {
        snprintf(out->reason, sizeof out->reason,
                 "选举无效：收回选票 %d 张，多于发出选票 %d 张", b->returned, b->issued);
    } else if (b->issued > b->registered) {
        snprintf(out->reason, sizeof out->reason,
                 "选举无效：发出选票 %d 张，多于登记选民 %d 人", b->issued, b->registered);
    } else if (2 * (int64_t)b->returned <= b->registered) {
        snprintf(out->reason, sizeof out->reason,
                 "选举无效：登记选民 %d 人，参加投票 %d 人，未超过半数（至少需 %d 人）",
                 b->registered, b->returned, b->registered / 2 + 1);
    } else {
        return true;
    }
    out->status = ELECTION_INVALID;
    return false;
}

/* Fill order[] with the indexes of the candidates having at least
 * `threshold` votes, most votes first, input order kept among equals.
 * Returns how many there are. */
static int rank_qualified(const Candidate *cands, int ncands, int threshold, int order[]) {
    int n = 0;
    for (int i = 0; i < ncands; i++) {
        if (cands[i].votes < threshold) continue;
        int j = n++;
        while (j > 0 && cands[order[j - 1]].votes < cands[i].votes) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    return n;
}

/* Give out `seats` seats to the candidates reaching `threshold` votes and
 * set winners, ties, seats_open and the status (ELECTION_ELECTED,
 * ELECTION_REVOTE_NEEDED, or `short_status` when too few qualify). */
static void allocate(const Candidate *cands, int ncands, int seats, int threshold,
                     ElectionStatus short_status, ElectionResult *out) {
    int order[ELECTION_MAX_CANDIDATES];
    int n = rank_qualified(cands, ncands, threshold, order);
    out->threshold = threshold;
    if (n <= seats) {
        for (int i = 0; i < n; i++) out->winners[i] = cands[order[i]].id;
        out->nwinners = n;
        out->seats_open = seats - n;
        out->status = n == seats ? ELECTION_ELECTED : short_status;
        return;
    }
    int boundary = cands[order[seats - 1]].votes;
    if (cands[order[seats]].votes < boundary) {
        for (int i = 0; i < seats; i++) out->winners[i] = cands[order[i]].id;
        out->nwinners = seats;
        out->status = ELECTION_ELECTED;
        return;
    }
    /* A tie across the last seat: those above it are elected, the tied
     * candidates go to a re-vote for the remaining seats. */
    for (int i = 0; i < n; i++) {
        if (cands[order[i]].votes > boundary) out->winners[out->nwinners++] = cands[order[i]].id;
        else if (cands[order[i]].votes == boundary) out->tied[out->ntied++] = cands[order[i]].id;
    }
    out->seats_open = seats - out->nwinners;
    out->status = ELECTION_REVOTE_NEEDED;
}

/* Write the reason for a valid election's outcome into out->reason. */
static void explain(const BallotCount *b, int seats, const char *rule, ElectionResult *out) {
    char head[160];
    snprintf(head, sizeof head, "登记选民 %d 人，参加投票 %d 人，应选 %d 名，当选须%s即至少 %d 票",
             b->registered, b->returned, seats, rule, out->threshold);
    switch (out->status) {
    case ELECTION_ELECTED:
        snprintf(out->reason, sizeof out->reason, "%s；当选 %d 名，名额已满", head, out->nwinners);
        break;
    case ELECTION_REVOTE_NEEDED:
        snprintf(out->reason, sizeof out->reason, "%s；当选 %d 名，%d 名候选人得票相等争 %d 个名额，须重新投票",
                 head, out->nwinners, out->ntied, out->seats_open);
        break;
    case ELECTION_RUNOFF_NEEDED:
        snprintf(out->reason, sizeof out->reason, "%s；当选 %d 名，尚缺 %d 名，须另行选举",
                 head, out->nwinners, out->seats_open);
        break;
    default:
        snprintf(out->reason, sizeof out->reason, "%s；当选 %d 名，仍缺 %d 名，名额空缺",
                 head, out->nwinners, out->seats_open);
        break;
    }
}

/* Shared body of the two rounds: validate, check validity, then allocate
 * seats to candidates reaching `threshold`. */
static int count_round(const BallotCount *b, const Candidate *cands, int ncands, int seats,
                       bool runoff, ElectionResult *out) {
    memset(out, 0, sizeof *out);
    if (check_input(b, cands, ncands, seats, out) != 0) return ELECTION_ERR_INPUT;
    if (!election_valid(b, out)) return out->status;
    int64_t r = b->returned;
    int threshold = runoff ? (int)((r + 2) / 3) : (int)(r / 2 + 1);   /* r >= 1 once valid */
    allocate(cands, ncands, seats, threshold,
             runoff ? ELECTION_SEATS_VACANT : ELECTION_RUNOFF_NEEDED, out);
    explain(b, seats, runoff ? "不少于投票数三分之一" : "超过投票数半数", out);
    return out->status;
}

/* Count the first round of an election for `seats` seats: the election
 * must be valid, and winners need more than half of the ballots cast (void
 * ballots included). Fills `out` (winners, ties, open seats, threshold and a
 * Chinese reason) and returns its status, or ELECTION_ERR_INPUT for counts
 * that are impossible (see check_input). */
int election_count(const BallotCount *b, const Candidate *cands, int ncands, int seats,
                   ElectionResult *out) {
    return count_round(b, cands, ncands, seats, false, out);
}

/* Count a run-off (另行选举) for the `seats` seats left open by the first
 * round: the most votes win provided they reach at least 1/3 of the ballots
 * cast in this round. Returns ELECTION_ELECTED, ELECTION_REVOTE_NEEDED,
 * ELECTION_SEATS_VACANT, ELECTION_INVALID or ELECTION_ERR_INPUT. */
int election_runoff(const BallotCount *b, const Candidate *cands, int ncands, int seats,
                    ElectionResult *out) {
    return count_round(b, cands, ncands, seats, true, out);
}

/* Return the Simplified Chinese name of an ElectionStatus. */
const char *election_status_zh(int status) {
    switch (status) {
    case ELECTION_ELECTED: return "选举成功，名额已满";
    case ELECTION_REVOTE_NEEDED: return "得票相等，须重新投票";
    case ELECTION_RUNOFF_NEEDED: return "当选人数不足，须另行选举";
    case ELECTION_SEATS_VACANT: return "另行选举后仍有名额空缺";
    case ELECTION_INVALID: return "选举无效";
    case ELECTION_ERR_INPUT: return "选举数据有误";
    default: return "未知的选举结果";
    }
}
