/* test_vote.c -- unit tests for src/deliberation/vote.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "deliberation/vote.h"

static void test_group_quorum_known_values(void **state) {
    /* (eligible, least present) worked out by hand */
    static const int rows[][2] = {{1, 1}, {2, 2}, {3, 2}, {4, 3}, {5, 4}, {6, 4}, {7, 5},
                                  {9, 6}, {10, 7}, {45, 30}, {46, 31}, {47, 32}, {150, 100},
                                  {151, 101}, {152, 102}, {153, 102}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int e = rows[i][0], need = rows[i][1];
        for (int b = BASIS_VILLAGERS_18; b <= BASIS_HOUSEHOLD_REPS; b++) {
            assert_true(quorum_met(need, e, (QuorumBasis)b));
            assert_false(quorum_met(need - 1, e, (QuorumBasis)b));
            assert_int_equal(quorum_required(BODY_GROUP_MEETING, (QuorumBasis)b, e), need);
        }
    }
}

/* Every (present, eligible) pair up to 600 against a floating-point
 * reference (exact enough at this size; the code itself uses integers). */
static void test_two_thirds_exhaustive(void **state) {
    for (int e = 1; e <= 600; e++) {
        int need = (int)ceil(2.0 * e / 3.0 - 1e-9);
        for (int p = 0; p <= e; p++) {
            bool want = p >= need;
            assert_int_equal(quorum_met(p, e, BASIS_VILLAGERS_18), want);
            assert_int_equal(quorum_met(p, e, BASIS_HOUSEHOLD_REPS), want);
            assert_int_equal(quorum_met_body(BODY_REPRESENTATIVES_MEETING, BASIS_MEMBERS, p, e), want);
            assert_int_equal(quorum_met_body(BODY_VILLAGERS_MEETING, BASIS_HOUSEHOLD_REPS, p, e), want);
            /* villagers' meeting by villagers 18+: more than half */
            assert_int_equal(quorum_met_body(BODY_VILLAGERS_MEETING, BASIS_VILLAGERS_18, p, e),
                             p > e / 2.0);
        }
    }
}

static void test_exactly_two_thirds_and_one_below(void **state) {
    assert_true(quorum_met(100, 150, BASIS_VILLAGERS_18));
    assert_false(quorum_met(99, 150, BASIS_VILLAGERS_18));
    assert_true(quorum_met(2, 3, BASIS_HOUSEHOLD_REPS));
    assert_false(quorum_met(1, 3, BASIS_HOUSEHOLD_REPS));
    assert_true(quorum_met(150, 150, BASIS_VILLAGERS_18));
}

static void test_villagers_meeting_half(void **state) {
    assert_false(quorum_met_body(BODY_VILLAGERS_MEETING, BASIS_VILLAGERS_18, 500, 1000));
    assert_true(quorum_met_body(BODY_VILLAGERS_MEETING, BASIS_VILLAGERS_18, 501, 1000));
    assert_true(quorum_met_body(BODY_VILLAGERS_MEETING, BASIS_VILLAGERS_18, 501, 1001));
    assert_false(quorum_met_body(BODY_VILLAGERS_MEETING, BASIS_VILLAGERS_18, 500, 1001));
    assert_int_equal(quorum_required(BODY_VILLAGERS_MEETING, BASIS_VILLAGERS_18, 1000), 501);
    assert_int_equal(quorum_required(BODY_VILLAGERS_MEETING, BASIS_VILLAGERS_18, 1001), 501);
    /* same meeting counted by household representatives needs 2/3 */
    assert_false(quorum_met_body(BODY_VILLAGERS_MEETING, BASIS_HOUSEHOLD_REPS, 501, 1000));
    assert_true(quorum_met_body(BODY_VILLAGERS_MEETING, BASIS_HOUSEHOLD_REPS, 667, 1000));
    assert_false(quorum_met_body(BODY_VILLAGERS_MEETING, BASIS_HOUSEHOLD_REPS, 666, 1000));
}

static void test_quorum_bad_inputs(void **state) {
    assert_false(quorum_met(0, 0, BASIS_VILLAGERS_18));          /* eligible 0 */
    assert_false(quorum_met(5, 4, BASIS_VILLAGERS_18));          /* present > eligible */
    assert_false(quorum_met(-1, 3, BASIS_VILLAGERS_18));
    assert_false(quorum_met(3, -3, BASIS_VILLAGERS_18));
    assert_false(quorum_met(3, 3, BASIS_MEMBERS));              /* not a group-meeting basis */
    assert_false(quorum_met_body(BODY_REPRESENTATIVES_MEETING, BASIS_HOUSEHOLD_REPS, 3, 3));
    assert_false(quorum_met_body((VoteBody)7, BASIS_VILLAGERS_18, 3, 3));
    assert_int_equal(quorum_required(BODY_GROUP_MEETING, BASIS_MEMBERS, 3), -1);
    assert_int_equal(quorum_required(BODY_GROUP_MEETING, BASIS_VILLAGERS_18, -1), -1);
    /* no overflow near INT_MAX */
    assert_true(quorum_met(INT_MAX, INT_MAX, BASIS_VILLAGERS_18));
    assert_false(quorum_met(INT_MAX / 3 * 2 - 2, INT_MAX, BASIS_VILLAGERS_18));
    assert_true(vote_passes(INT_MAX / 2 + 1, INT_MAX));
    assert_false(vote_passes(INT_MAX / 2, INT_MAX));
}

static void test_majority_exhaustive(void **state) {
    for (int p = 0; p <= 500; p++) {
        for (int f = 0; f <= p; f++)
            assert_int_equal(vote_passes(f, p), f > p / 2.0);
        if (p > 0) {
            assert_true(vote_passes(majority_required(p), p));
            assert_false(vote_passes(majority_required(p) - 1, p));
        }
    }
}

static void test_majority_edges(void **state) {
    assert_false(vote_passes(50, 100));   /* exactly half */
    assert_true(vote_passes(51, 100));
    assert_false(vote_passes(49, 99));
    assert_true(vote_passes(50, 99));
    assert_false(vote_passes(0, 0));      /* nobody present */
    assert_true(vote_passes(1, 1));
    assert_false(vote_passes(-1, 1));
    assert_false(vote_passes(3, 2));      /* more votes than people */
}

static void test_check_quorum_message(void **state) {
    VoteTally t = {150, 99, 90, 9, 0};
    char msg[256];
    VoteCheck r = vote_check(BODY_GROUP_MEETING, BASIS_VILLAGERS_18, &t, msg, sizeof msg);
    assert_false(r.ok);
    assert_int_equal(r.status, VOTE_FAIL_QUORUM);
    assert_int_equal(r.required, 100);
    assert_int_equal(r.shortfall, 1);
    assert_string_equal(msg, "法定人数不足：应到 150 人，实到 99 人，至少需 100 人（按18周岁以上村民计）");

    t = (VoteTally){45, 10, 10, 0, 0};
    r = vote_check(BODY_GROUP_MEETING, BASIS_HOUSEHOLD_REPS, &t, msg, sizeof msg);
    assert_int_equal(r.status, VOTE_FAIL_QUORUM);
    assert_int_equal(r.shortfall, 20);
    assert_string_equal(msg, "法定人数不足：应到 45 人，实到 10 人，至少需 30 人（按户代表计）");
}

static void test_check_majority_message(void **state) {
    VoteTally t = {150, 100, 50, 40, 10};
    char msg[256];
    VoteCheck r = vote_check(BODY_GROUP_MEETING, BASIS_VILLAGERS_18, &t, msg, sizeof msg);
    assert_false(r.ok);
    assert_int_equal(r.status, VOTE_FAIL_MAJORITY);
    assert_int_equal(r.required, 51);
    assert_int_equal(r.shortfall, 1);
    assert_string_equal(msg, "表决未通过：实到 100 人，赞成 50 票，须超过半数即至少 51 票");

    t.votes_for = 51;
    t.votes_against = 39;
    r = vote_check(BODY_GROUP_MEETING, BASIS_VILLAGERS_18, &t, msg, sizeof msg);
    assert_true(r.ok);
    assert_int_equal(r.status, VOTE_OK);
    assert_int_equal(r.shortfall, 0);
    assert_string_equal(msg, "表决通过：应到 150 人，实到 100 人，赞成 51 票，反对 39 票，弃权 10 票");
}

/* Abstentions and absent voters count against: the base is those present. */
static void test_abstentions_count_against(void **state) {
    VoteTally t = {30, 20, 10, 2, 8};
    VoteCheck r = vote_check(BODY_REPRESENTATIVES_MEETING, BASIS_MEMBERS, &t, NULL, 0);
    assert_int_equal(r.status, VOTE_FAIL_MAJORITY);
    t.votes_for = 11;
    t.abstentions = 7;
    r = vote_check(BODY_REPRESENTATIVES_MEETING, BASIS_MEMBERS, &t, NULL, 0);
    assert_true(r.ok);
}

static void test_check_input_errors(void **state) {
    static const struct { VoteTally t; int want; } rows[] = {
        {{-1, 0, 0, 0, 0}, VOTE_ERR_NEGATIVE},
        {{10, -1, 0, 0, 0}, VOTE_ERR_NEGATIVE},
        {{10, 8, -1, 0, 0}, VOTE_ERR_NEGATIVE},
        {{10, 8, 0, -1, 0}, VOTE_ERR_NEGATIVE},
        {{10, 8, 0, 0, -1}, VOTE_ERR_NEGATIVE},
        {{0, 0, 0, 0, 0}, VOTE_ERR_NO_ELIGIBLE},
        {{10, 11, 6, 0, 0}, VOTE_ERR_PRESENT_OVER},
        {{10, 8, 5, 3, 1}, VOTE_ERR_BALLOTS_OVER},
        {{10, 8, 9, 0, 0}, VOTE_ERR_BALLOTS_OVER},
        {{10, 8, INT_MAX, INT_MAX, 0}, VOTE_ERR_BALLOTS_OVER},
        {{10, 8, 5, 3, 0}, VOTE_OK},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char msg[128];
        VoteCheck r = vote_check(BODY_GROUP_MEETING, BASIS_VILLAGERS_18, &rows[i].t, msg, sizeof msg);
        assert_int_equal(r.status, rows[i].want);
        assert_int_equal(r.ok, rows[i].want == VOTE_OK);
        assert_string_equal(msg, rows[i].want == VOTE_OK ? msg : vote_status_zh(rows[i].want));
    }
    VoteTally t = {10, 8, 5, 0, 0};
    assert_int_equal(vote_check(BODY_REPRESENTATIVES_MEETING, BASIS_VILLAGERS_18, &t, NULL, 0).status, VOTE_ERR_BASIS);
    assert_int_equal(vote_check(BODY_GROUP_MEETING, BASIS_MEMBERS, &t, NULL, 0).status, VOTE_ERR_BASIS);
    assert_int_equal(vote_check((VoteBody)9, BASIS_VILLAGERS_18, &t, NULL, 0).status, VOTE_ERR_BODY);
}

static void test_message_truncation(void **state) {
    VoteTally t = {150, 99, 90, 9, 0};
    char small[12];
    VoteCheck r = vote_check(BODY_GROUP_MEETING, BASIS_VILLAGERS_18, &t, small, sizeof small);
    assert_int_equal(r.status, VOTE_FAIL_QUORUM);
    assert_true(strlen(small) < sizeof small);
}

static void test_status_messages_distinct(void **state) {
    for (int a = VOTE_ERR_BODY; a <= VOTE_FAIL_MAJORITY; a++)
        for (int b = a + 1; b <= VOTE_FAIL_MAJORITY; b++)
            assert_string_not_equal(vote_status_zh(a), vote_status_zh(b));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_quorum_known_values),
        cmocka_unit_test(test_two_thirds_exhaustive),
        cmocka_unit_test(test_exactly_two_thirds_and_one_below),
        cmocka_unit_test(test_villagers_meeting_half),
        cmocka_unit_test(test_quorum_bad_inputs),
        cmocka_unit_test(test_majority_exhaustive),
        cmocka_unit_test(test_majority_edges),
        cmocka_unit_test(test_check_quorum_message),
        cmocka_unit_test(test_check_majority_message),
        cmocka_unit_test(test_abstentions_count_against),
        cmocka_unit_test(test_check_input_errors),
        cmocka_unit_test(test_message_truncation),
        cmocka_unit_test(test_status_messages_distinct),
    };
    return cmocka_run_group_tests_name("vote", tests, NULL, NULL);
}
