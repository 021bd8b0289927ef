/* verdict.c — judging a recorded formation against the meeting, ballot, count and committee
 * rules (see verdict.h). */
#include "committees/verdict.h"
#include "deliberation/vote.h"
#include <string.h>

/* Adds a problem to the verdict (silently dropped past the cap, which no real meeting reaches). */
static Problem *add(Verdict *v, VerdictCode code, int a, int b, int c) {
    static Problem spare;
    if (v->nproblems >= VERDICT_MAX_PROBLEMS) return memset(&spare, 0, sizeof spare);
    Problem *p = &v->problems[v->nproblems++];
    memset(p, 0, sizeof *p);
    p->code = code;
    p->a = a;
    p->b = b;
    p->c = c;
    p->round = 1;
    return p;
}

bool verdict_same_post(const CandFacts *a, const CandFacts *b) {
    if (a->post != b->post) return false;
    if (a->post != POST_OTHER) return true;
    return strcmp(a->post_name ? a->post_name : "", b->post_name ? b->post_name : "") == 0;
}

/* Checks the quorum of the meeting. Returns false after adding the problem. */
static bool check_meeting(const MeetingFacts *m, Verdict *v) {
    VoteBody body = m->representatives ? BODY_REPRESENTATIVES_MEETING : BODY_GROUP_MEETING;
    QuorumBasis basis = m->representatives ? BASIS_MEMBERS : m->household_reps ? BASIS_HOUSEHOLD_REPS : BASIS_VILLAGERS_18;
    if (m->eligible <= 0) { add(v, VP_NO_ELIGIBLE, 0, 0, 0); return false; }
    if (m->present > m->eligible) { add(v, VP_PRESENT_OVER, m->present, m->eligible, 0); return false; }
    v->quorum_required = quorum_required(body, basis, m->eligible);
    if (!quorum_met_body(body, basis, m->present, m->eligible)) {
        add(v, VP_QUORUM, m->eligible, m->present, v->quorum_required);
        return false;
    }
    return true;
}

/* Checks one round's ballots: issued ≤ eligible, returned ≤ issued, void ≤ returned, and more
 * than half of the eligible voting. Returns false after adding the problems found. */
static bool check_ballots(int round, int eligible, int issued, int returned, int voids, Verdict *v) {
    int before = v->nproblems;
    if (issued > eligible) add(v, VP_ISSUED_OVER, issued, eligible, 0)->round = round;
    if (returned > issued) add(v, VP_RETURNED_OVER, returned, issued, 0)->round = round;
    if (voids > returned) add(v, VP_VOID_OVER, voids, returned, 0)->round = round;
    if (v->nproblems == before && 2 * (int64_t)returned <= eligible)
        add(v, VP_TURNOUT, eligible, returned, eligible / 2 + 1)->round = round;
    return v->nproblems == before;
}

static bool plain_member(const CandFacts *c) { return c->post == POST_OTHER && !(c->post_name && *c->post_name); }

/* The number of distinct named posts (every post but plain 委员) among the candidates. */
static int named_posts(const CandFacts *c, int n) {
    int named = 0;
    for (int i = 0; i < n; i++) {
        bool first = true;
        for (int j = 0; j < i && first; j++) first = !verdict_same_post(&c[j], &c[i]);
        named += first && !plain_member(&c[i]);
    }
    return named;
}

/* Named posts are one seat each; plain members share what is left. Returns the seats of the
 * post group of candidate c[i]. */
static int post_seats(const MeetingFacts *m, const CandFacts *c, int n, int i) {
    return plain_member(&c[i]) ? m->seats - named_posts(c, n) : 1;
}

/* Counts the post group whose first candidate is c[first]: round one, and the run-off when its
 * tallies are recorded. Appends the winners to v. */
static void count_post(const MeetingFacts *m, const CandFacts *c, int n, int first, Verdict *v) {
    int idx[VERDICT_MAX_CANDS], k = 0;
    Candidate cands[VERDICT_MAX_CANDS];
    for (int i = first; i < n; i++)
        if (verdict_same_post(&c[first], &c[i])) { idx[k] = i; cands[k] = (Candidate){i, c[i].votes}; k++; }
    int seats = post_seats(m, c, n, first);
    if (seats < 1) {
        add(v, VP_NO_MEMBER_SEATS, k, m->seats, named_posts(c, n));
        return;
    }
    if (k < seats) {
        Problem *p = add(v, VP_FEW_CANDIDATES, k, seats, 0);
        p->post = c[first].post;
        p->post_name = c[first].post_name;
        return;
    }
    BallotCount b = {m->eligible, m->issued, m->returned, m->void_ballots};
    ElectionResult r;
    int st = election_count(&b, cands, k, seats, &r);
    if (st == ELECTION_ERR_INPUT) { add(v, VP_VOTES_INPUT, 0, 0, 0)->text = "候选人得票不能多于有效票数"; return; }
    for (int i = 0; i < r.nwinners && v->nwinners < ELECTION_MAX_SEATS; i++) v->winners[v->nwinners++] = (int)r.winners[i];
    Problem *p = NULL;
    if (st == ELECTION_REVOTE_NEEDED) p = add(v, VP_REVOTE, r.ntied, r.seats_open, 0);
    if (st == ELECTION_RUNOFF_NEEDED) {
        /* The run-off is among those not elected in round one who have round-two tallies. */
        Candidate rc[VERDICT_MAX_CANDS];
        int rn = 0;
        for (int j = 0; j < k; j++) {
            bool won = false;
            for (int w = 0; w < r.nwinners; w++) won |= r.winners[w] == idx[j];
            if (!won && c[idx[j]].runoff_votes >= 0) rc[rn++] = (Candidate){idx[j], c[idx[j]].runoff_votes};
        }
        if (m->r_returned <= 0 || rn == 0) {
            v->needs_runoff = true;
            p = add(v, VP_RUNOFF_NEEDED, r.seats_open, 0, 0);
        } else if (check_ballots(2, m->eligible, m->r_issued, m->r_returned, m->r_void, v)) {
            BallotCount b2 = {m->eligible, m->r_issued, m->r_returned, m->r_void};
            ElectionResult r2;
            int st2 = election_runoff(&b2, rc, rn, r.seats_open, &r2);
            if (st2 == ELECTION_ERR_INPUT) { add(v, VP_VOTES_INPUT, 0, 0, 0)->text = "候选人得票不能多于有效票数"; return; }
            for (int i = 0; i < r2.nwinners && v->nwinners < ELECTION_MAX_SEATS; i++) v->winners[v->nwinners++] = (int)r2.winners[i];
            if (st2 == ELECTION_REVOTE_NEEDED) p = add(v, VP_REVOTE, r2.ntied, r2.seats_open, 0);
            else if (st2 == ELECTION_SEATS_VACANT) { p = add(v, VP_VACANT, r2.seats_open, 0, 0); p->warning = true; }
            if (p) p->round = 2;
        }
    }
    if (p) {
        p->post = c[first].post;
        p->post_name = c[first].post_name;
    }
}

/* Checks the committee the winners would form against the county's rules. */
static void check_committee(const MeetingFacts *m, const CandFacts *c, const CommitteePolicy *pol, Verdict *v) {
    CommitteeMember mem[ELECTION_MAX_SEATS];
    for (int i = 0; i < v->nwinners; i++) {
        const CandFacts *f = &c[v->winners[i]];
        mem[i] = (CommitteeMember){f->person_id, f->birth, f->is_cadre, f->status, f->group_id, f->post, f->cadre_reason};
    }
    int size = committee_check_size(pol, v->nwinners);
    if (size == COMMITTEE_WARN_TOO_SMALL || size == COMMITTEE_WARN_TOO_LARGE) {
        v->size_warning = true;
        add(v, VP_SIZE, v->nwinners, pol->min_size, pol->max_size)->warning = m->size_acknowledged;
    }
    if (v->nwinners == 0) return;
    int rc = committee_check_chair(mem, v->nwinners);
    if (rc != COMMITTEE_OK) add(v, VP_RULE, rc, 0, 0);
    for (int i = 0; i < v->nwinners; i++) {
        const CandFacts *f = &c[v->winners[i]];
        rc = committee_check_member(pol, &mem[i], m->group_id, m->start);
        /* Someone from outside the group may serve when the group recorded why. */
        if (rc == COMMITTEE_ERR_WRONG_GROUP && !text_is_blank(f->outside_reason)) {
            mem[i].group_id = m->group_id;
            rc = committee_check_member(pol, &mem[i], m->group_id, m->start);
        }
        if (rc != COMMITTEE_OK) add(v, VP_RULE, rc, 0, 0)->person_id = f->person_id;
        if (f->other_committee) add(v, VP_RULE, COMMITTEE_ERR_OTHER_COMMITTEE, 0, 0)->person_id = f->person_id;
    }
}

int formation_judge(const MeetingFacts *m, const CandFacts *c, int n, const CommitteePolicy *p, Verdict *v) {
    memset(v, 0, sizeof *v);
    bool ok = check_meeting(m, v);
    ok = check_ballots(1, m->eligible, m->issued, m->returned, m->void_ballots, v) && ok;
    if (n <= 0) {
        add(v, VP_NO_CANDIDATES, 0, 0, 0);
        ok = false;
    } else if (n > VERDICT_MAX_CANDS) {
        add(v, VP_VOTES_INPUT, 0, 0, 0)->text = "候选人数量无效";
        ok = false;
    }
    if (ok) {
        int named = named_posts(c, n);
        if (named > m->seats) {
            add(v, VP_POSTS_OVER_SEATS, named, m->seats, 0);
        } else {
            for (int i = 0; i < n; i++) {
                bool first = true;
                for (int j = 0; j < i && first; j++) first = !verdict_same_post(&c[j], &c[i]);
                if (first) count_post(m, c, n, i, v);
            }
            check_committee(m, c, p, v);
        }
    }
    int blocking = 0;
    for (int i = 0; i < v->nproblems; i++) blocking += !v->problems[i].warning;
    v->confirmable = blocking == 0;
    return blocking;
}
