/* test_committee_verdict.c — src/committees/verdict.c: every rule a formation's result must meet
 * before it becomes a committee, each at its boundary (quorum exactly 2/3, ballots, > 1/2 to win,
 * tie, run-off at exactly 1/3, size 2/3/5/6 with and without acknowledgement, chairs, cadres,
 * another committee, age 17/18, moved and migrant people). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "committees/verdict.h"
#include "platform/date.h"

#define GROUP 7

static int32_t D(const char *iso) {
    int32_t d = 0;
    assert_int_equal(date_parse(iso, &d), 0);
    return d;
}

/* 120 household representatives, 90 present and voting: quorum and turnout met. */
static MeetingFacts meeting(int seats) {
    MeetingFacts m = {false, true, seats, 120, 90, 90, 90, 0, 0, 0, 0, 0, GROUP, false};
    m.start = D("2026-03-01");
    return m;
}

static CandFacts cand(int64_t id, Post post, int votes) {
    CandFacts c = {id, post, "", votes, -1, 0, PERSON_LIVING, GROUP, false, "", "", 0};
    c.birth = D("1975-05-05");
    return c;
}

/* Five seats: a chair, a mediator, a supervisor, an environment member and one plain member. */
static int five(CandFacts *c) {
    c[0] = cand(1, POST_CHAIR, 80);
    c[1] = cand(2, POST_MEDIATOR, 70);
    c[2] = cand(3, POST_SUPERVISOR, 60);
    c[3] = cand(4, POST_ENVIRONMENT, 60);
    c[4] = cand(5, POST_OTHER, 50);
    return 5;
}

static bool has(const Verdict *v, VerdictCode code) {
    for (int i = 0; i < v->nproblems; i++)
        if (v->problems[i].code == code) return true;
    return false;
}

static const Problem *find(const Verdict *v, VerdictCode code) {
    for (int i = 0; i < v->nproblems; i++)
        if (v->problems[i].code == code) return &v->problems[i];
    return NULL;
}

static bool rule(const Verdict *v, int code) {
    for (int i = 0; i < v->nproblems; i++)
        if (v->problems[i].code == VP_RULE && v->problems[i].a == code) return true;
    return false;
}

static const CommitteePolicy POLICY = COMMITTEE_POLICY_DEFAULT;

static void test_valid_result_elects_everyone(void **state) {
    CandFacts c[8];
    MeetingFacts m = meeting(5);
    Verdict v;
    assert_int_equal(formation_judge(&m, c, five(c), &POLICY, &v), 0);
    assert_true(v.confirmable);
    assert_int_equal(v.nwinners, 5);
    assert_int_equal(v.nproblems, 0);
    assert_int_equal(v.quorum_required, 80);
}

static void test_quorum_exactly_two_thirds(void **state) {
    CandFacts c[8];
    int n = five(c);
    MeetingFacts m = meeting(5);
    Verdict v;
    m.present = 80;   /* 3 × 80 = 2 × 120 */
    formation_judge(&m, c, n, &POLICY, &v);
    assert_false(has(&v, VP_QUORUM));
    m.present = 79;
    formation_judge(&m, c, n, &POLICY, &v);
    const Problem *p = find(&v, VP_QUORUM);
    assert_non_null(p);
    assert_int_equal(p->a, 120);
    assert_int_equal(p->b, 79);
    assert_int_equal(p->c, 80);
    assert_false(v.confirmable);
    /* Direct recommendation counts villagers 18+; a representatives' meeting its members: also 2/3. */
    m.household_reps = false;
    m.representatives = true;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(has(&v, VP_QUORUM));
    m.present = 80;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_false(has(&v, VP_QUORUM));
}

static void test_present_over_eligible_and_no_eligible(void **state) {
    CandFacts c[8];
    int n = five(c);
    MeetingFacts m = meeting(5);
    Verdict v;
    m.present = 121;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(has(&v, VP_PRESENT_OVER));
    m = meeting(5);
    m.eligible = 0;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(has(&v, VP_NO_ELIGIBLE));
    assert_false(v.confirmable);
}

static void test_ballot_counts(void **state) {
    CandFacts c[8];
    int n = five(c);
    MeetingFacts m = meeting(5);
    Verdict v;
    m.issued = 121;   /* issued ≤ eligible */
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(has(&v, VP_ISSUED_OVER));
    m = meeting(5);
    m.returned = 91;  /* returned ≤ issued */
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(has(&v, VP_RETURNED_OVER));
    m = meeting(5);
    m.void_ballots = 91;   /* void ≤ returned */
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(has(&v, VP_VOID_OVER));
    m = meeting(5);
    m.issued = m.returned = 60;   /* exactly half voted: not more than half */
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(has(&v, VP_TURNOUT));
    m.issued = m.returned = 61;
    for (int i = 0; i < n; i++) c[i].votes = 31;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_false(has(&v, VP_TURNOUT));
    assert_true(v.confirmable);
}

static void test_more_than_half_to_win(void **state) {
    CandFacts c[8];
    int n = five(c);
    MeetingFacts m = meeting(5);
    Verdict v;
    c[0].votes = 45;   /* exactly half of 90 returned: not elected */
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(v.needs_runoff);
    const Problem *p = find(&v, VP_RUNOFF_NEEDED);
    assert_non_null(p);
    assert_int_equal(p->post, POST_CHAIR);
    assert_int_equal(p->a, 1);
    assert_false(v.confirmable);
    c[0].votes = 46;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(v.confirmable);
}

static void test_tie_needs_revote(void **state) {
    CandFacts c[8];
    int n = five(c);
    c[4].votes = 60;
    c[n++] = cand(6, POST_OTHER, 50);   /* two plain-member seats: 60 wins, 50 and 50 tie for the other */
    c[n++] = cand(7, POST_OTHER, 50);
    MeetingFacts m = meeting(6);
    m.size_acknowledged = true;
    Verdict v;
    formation_judge(&m, c, n, &POLICY, &v);
    const Problem *p = find(&v, VP_REVOTE);
    assert_non_null(p);
    assert_int_equal(p->a, 2);
    assert_int_equal(p->b, 1);
    assert_false(v.confirmable);
    c[6].votes = 49;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_false(has(&v, VP_REVOTE));
    assert_true(v.confirmable);
    /* A tie in the run-off needs a re-vote too. */
    c[0].votes = 45;
    c[n] = cand(8, POST_CHAIR, 45);
    c[0].runoff_votes = c[n].runoff_votes = 40;
    n++;
    m.r_issued = m.r_returned = 90;
    formation_judge(&m, c, n, &POLICY, &v);
    p = find(&v, VP_REVOTE);
    assert_non_null(p);
    assert_int_equal(p->round, 2);
}

static void test_runoff_at_exactly_one_third(void **state) {
    CandFacts c[8];
    int n = five(c);
    c[0].votes = 40;   /* chair not elected in round one */
    c[n++] = cand(6, POST_CHAIR, 30);
    MeetingFacts m = meeting(5);
    m.r_issued = m.r_returned = 90;
    c[0].runoff_votes = 30;   /* 3 × 30 = 90: at least 1/3 wins */
    c[5].runoff_votes = 29;
    Verdict v;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_false(has(&v, VP_RUNOFF_NEEDED));
    assert_true(v.confirmable);
    bool chair_won = false;
    for (int i = 0; i < v.nwinners; i++) chair_won |= c[v.winners[i]].person_id == 1;
    assert_true(chair_won);
    c[0].runoff_votes = 29;   /* below 1/3: the seat stays vacant, and a committee without chair */
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(has(&v, VP_VACANT));
    assert_true(rule(&v, COMMITTEE_ERR_NO_CHAIR));
    assert_false(v.confirmable);
    /* Run-off ballots are checked like round one's. */
    c[0].runoff_votes = 30;
    m.r_returned = 91;
    formation_judge(&m, c, n, &POLICY, &v);
    const Problem *p = find(&v, VP_RETURNED_OVER);
    assert_non_null(p);
    assert_int_equal(p->round, 2);
}

static void test_size_boundaries(void **state) {
    int sizes[] = {2, 3, 5, 6};
    bool warn[] = {true, false, false, true};
    for (int k = 0; k < 4; k++) {
        CandFacts c[8];
        int n = 0;
        c[n++] = cand(1, POST_CHAIR, 80);
        while (n < sizes[k]) { c[n] = cand(n + 1, POST_OTHER, 60); n++; }
        MeetingFacts m = meeting(sizes[k]);
        Verdict v;
        formation_judge(&m, c, n, &POLICY, &v);
        assert_int_equal(v.nwinners, sizes[k]);
        assert_int_equal(has(&v, VP_SIZE), warn[k]);
        assert_int_equal(v.size_warning, warn[k]);
        assert_int_equal(v.confirmable, !warn[k]);   /* unacknowledged: blocks */
        m.size_acknowledged = true;
        formation_judge(&m, c, n, &POLICY, &v);
        assert_true(v.confirmable);                  /* acknowledged: a warning only */
        assert_int_equal(v.size_warning, warn[k]);
    }
}

static void test_two_chairs_and_posts_over_seats(void **state) {
    CandFacts c[8];
    int n = five(c);
    MeetingFacts m = meeting(5);
    c[4].post = POST_CHAIR;   /* two chair candidates for the one chair seat: only the highest wins */
    c[4].votes = 10;
    Verdict v;
    formation_judge(&m, c, n, &POLICY, &v);
    int chairs = 0;
    for (int i = 0; i < v.nwinners; i++) chairs += c[v.winners[i]].post == POST_CHAIR;
    assert_int_equal(chairs, 1);
    assert_int_equal(v.nwinners, 4);
    /* More named posts than seats. */
    CandFacts d[4] = {cand(1, POST_CHAIR, 80), cand(2, POST_MEDIATOR, 80), cand(3, POST_SUPERVISOR, 80), cand(4, POST_ENVIRONMENT, 80)};
    m = meeting(3);
    formation_judge(&m, d, 4, &POLICY, &v);
    assert_true(has(&v, VP_POSTS_OVER_SEATS));
    assert_false(v.confirmable);
    /* No chair candidate at all: the committee rule refuses it. */
    for (int i = 0; i < 4; i++) d[i].post = POST_OTHER;
    formation_judge(&m, d, 3, &POLICY, &v);
    assert_true(rule(&v, COMMITTEE_ERR_NO_CHAIR));
}

static void test_cadre_needs_reason(void **state) {
    CandFacts c[8];
    int n = five(c);
    MeetingFacts m = meeting(5);
    c[2].is_cadre = true;
    Verdict v;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(rule(&v, COMMITTEE_ERR_CADRE_REASON));
    assert_false(v.confirmable);
    c[2].cadre_reason = "　 ";   /* ideographic space only: still blank */
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(rule(&v, COMMITTEE_ERR_CADRE_REASON));
    c[2].cadre_reason = "组民一致推选，村委会同意";
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(v.confirmable);
}

static void test_person_on_another_committee(void **state) {
    CandFacts c[8];
    int n = five(c);
    MeetingFacts m = meeting(5);
    c[1].other_committee = 99;
    Verdict v;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(rule(&v, COMMITTEE_ERR_OTHER_COMMITTEE));
    assert_int_equal(v.problems[0].person_id, 2);
    assert_false(v.confirmable);
}

static void test_age_17_and_18(void **state) {
    CandFacts c[8];
    int n = five(c);
    MeetingFacts m = meeting(5);
    c[4].birth = D("2008-03-02");   /* 17 on 2026-03-01 */
    Verdict v;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(rule(&v, COMMITTEE_ERR_UNDERAGE));
    c[4].birth = D("2008-03-01");   /* 18 that very day */
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(v.confirmable);
}

static void test_moved_migrant_and_outsider(void **state) {
    CandFacts c[8];
    int n = five(c);
    MeetingFacts m = meeting(5);
    Verdict v;
    c[3].status = PERSON_MOVED;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(rule(&v, COMMITTEE_ERR_MOVED));
    c[3].status = PERSON_MIGRANT;
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(rule(&v, COMMITTEE_ERR_MIGRANT));
    CommitteePolicy lenient = POLICY;
    lenient.allow_migrant = true;
    formation_judge(&m, c, n, &lenient, &v);
    assert_true(v.confirmable);
    c[3].status = PERSON_LIVING;
    c[3].group_id = GROUP + 1;   /* someone of another group: only with a reason */
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(rule(&v, COMMITTEE_ERR_WRONG_GROUP));
    c[3].outside_reason = "本组无合适人选，经组民大会同意";
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(v.confirmable);
}

static void test_few_candidates_and_impossible_tallies(void **state) {
    CandFacts c[8];
    int n = five(c);
    MeetingFacts m = meeting(6);   /* two plain-member seats, one candidate */
    Verdict v;
    formation_judge(&m, c, n, &POLICY, &v);
    const Problem *p = find(&v, VP_FEW_CANDIDATES);
    assert_non_null(p);
    assert_int_equal(p->a, 1);
    assert_int_equal(p->b, 2);
    m = meeting(5);
    c[0].votes = 91;   /* more votes than ballots returned */
    formation_judge(&m, c, n, &POLICY, &v);
    assert_true(has(&v, VP_VOTES_INPUT));
    assert_false(v.confirmable);
    formation_judge(&m, c, 0, &POLICY, &v);
    assert_true(has(&v, VP_NO_CANDIDATES));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_result_elects_everyone),
        cmocka_unit_test(test_quorum_exactly_two_thirds),
        cmocka_unit_test(test_present_over_eligible_and_no_eligible),
        cmocka_unit_test(test_ballot_counts),
        cmocka_unit_test(test_more_than_half_to_win),
        cmocka_unit_test(test_tie_needs_revote),
        cmocka_unit_test(test_runoff_at_exactly_one_third),
        cmocka_unit_test(test_size_boundaries),
        cmocka_unit_test(test_two_chairs_and_posts_over_seats),
        cmocka_unit_test(test_cadre_needs_reason),
        cmocka_unit_test(test_person_on_another_committee),
        cmocka_unit_test(test_age_17_and_18),
        cmocka_unit_test(test_moved_migrant_and_outsider),
        cmocka_unit_test(test_few_candidates_and_impossible_tallies),
    };
    return cmocka_run_group_tests_name("committee_verdict", tests, NULL, NULL);
}
