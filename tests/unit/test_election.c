/* test_election.c -- unit tests for src/committees/election.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "committees/election.h"

#define NC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void assert_ids(const int64_t *got, int n, const int64_t *want, int nwant) {
    assert_int_equal(n, nwant);
    for (int i = 0; i < n; i++) assert_int_equal(got[i], want[i]);
}

static void test_simple_elected(void **state) {
    BallotCount b = {45, 40, 40, 2};
    Candidate c[] = {{1, 30}, {2, 25}, {3, 38}, {4, 10}};
    ElectionResult r;
    assert_int_equal(election_count(&b, c, NC(c), 3, &r), ELECTION_ELECTED);
    assert_int_equal(r.status, ELECTION_ELECTED);
    assert_int_equal(r.threshold, 21);
    int64_t want[] = {3, 1, 2};
    assert_ids(r.winners, r.nwinners, want, 3);
    assert_int_equal(r.seats_open, 0);
    assert_int_equal(r.ntied, 0);
    assert_string_equal(r.reason, "登记选民 45 人，参加投票 40 人，应选 3 名，当选须超过投票数半数即至少 21 票；当选 3 名，名额已满");
}

/* The base of "more than half" is the ballots cast, void ones included. */
static void test_half_boundary(void **state) {
    BallotCount b = {45, 40, 40, 4};
    Candidate c[] = {{1, 20}, {2, 21}};
    ElectionResult r;
    assert_int_equal(election_count(&b, c, NC(c), 2, &r), ELECTION_RUNOFF_NEEDED);
    int64_t want[] = {2};
    assert_ids(r.winners, r.nwinners, want, 1);
    assert_int_equal(r.seats_open, 1);
    assert_non_null(strstr(r.reason, "尚缺 1 名，须另行选举"));
    /* odd number of ballots: 41 cast -> 21 needed */
    b = (BallotCount){45, 41, 41, 0};
    Candidate d[] = {{1, 21}, {2, 20}};
    assert_int_equal(election_count(&b, d, NC(d), 2, &r), ELECTION_RUNOFF_NEEDED);
    assert_int_equal(r.threshold, 21);
    assert_int_equal(r.winners[0], 1);
}

static void test_validity_turnout(void **state) {
    Candidate c[] = {{1, 20}};
    ElectionResult r;
    BallotCount half = {40, 20, 20, 0};           /* exactly half voted */
    assert_int_equal(election_count(&half, c, NC(c), 1, &r), ELECTION_INVALID);
    assert_int_equal(r.nwinners, 0);
    assert_string_equal(r.reason, "选举无效：登记选民 40 人，参加投票 20 人，未超过半数（至少需 21 人）");
    BallotCount over = {40, 21, 21, 0};
    assert_int_equal(election_count(&over, c, NC(c), 1, &r), ELECTION_ELECTED);
    BallotCount odd = {41, 21, 20, 0};
    assert_int_equal(election_count(&odd, c, NC(c), 1, &r), ELECTION_INVALID);
    odd.returned = 21;
    assert_int_equal(election_count(&odd, c, NC(c), 1, &r), ELECTION_ELECTED);
    BallotCount none = {0, 0, 0, 0};
    Candidate z[] = {{1, 0}};
    assert_int_equal(election_count(&none, z, NC(z), 1, &r), ELECTION_INVALID);
}

static void test_invalid_ballot_counts(void **state) {
    Candidate c[] = {{1, 20}};
    ElectionResult r;
    BallotCount more_returned = {40, 30, 31, 0};
    assert_int_equal(election_count(&more_returned, c, NC(c), 1, &r), ELECTION_INVALID);
    assert_string_equal(r.reason, "选举无效：收回选票 31 张，多于发出选票 30 张");
    BallotCount more_issued = {40, 41, 30, 0};
    assert_int_equal(election_count(&more_issued, c, NC(c), 1, &r), ELECTION_INVALID);
    assert_string_equal(r.reason, "选举无效：发出选票 41 张，多于登记选民 40 人");
    BallotCount equal = {40, 40, 40, 0};
    assert_int_equal(election_count(&equal, c, NC(c), 1, &r), ELECTION_RUNOFF_NEEDED);
}

static void test_input_errors(void **state) {
    ElectionResult r;
    Candidate c[] = {{1, 20}, {2, 10}};
    BallotCount ok = {45, 40, 40, 2};
    BallotCount neg = {45, 40, 40, -1};
    assert_int_equal(election_count(&neg, c, NC(c), 1, &r), ELECTION_ERR_INPUT);
    assert_string_equal(r.reason, "选民数和票数不能为负数");
    BallotCount voids = {45, 40, 40, 41};
    assert_int_equal(election_count(&voids, c, NC(c), 1, &r), ELECTION_ERR_INPUT);
    assert_string_equal(r.reason, "无效票不能多于收回的选票");
    assert_int_equal(election_count(&ok, c, NC(c), 0, &r), ELECTION_ERR_INPUT);
    assert_int_equal(election_count(&ok, c, NC(c), ELECTION_MAX_SEATS + 1, &r), ELECTION_ERR_INPUT);
    assert_int_equal(election_count(&ok, c, -1, 1, &r), ELECTION_ERR_INPUT);
    assert_int_equal(election_count(&ok, c, ELECTION_MAX_CANDIDATES + 1, 1, &r), ELECTION_ERR_INPUT);
    assert_int_equal(election_count(&ok, NULL, 2, 1, &r), ELECTION_ERR_INPUT);
    Candidate too_many[] = {{1, 39}};                 /* 38 valid ballots */
    assert_int_equal(election_count(&ok, too_many, 1, 1, &r), ELECTION_ERR_INPUT);
    assert_string_equal(r.reason, "候选人得票不能多于有效票数");
    Candidate negv[] = {{1, -1}};
    assert_int_equal(election_count(&ok, negv, 1, 1, &r), ELECTION_ERR_INPUT);
    Candidate sum[] = {{1, 38}, {2, 38}, {3, 1}};     /* 77 > 38 * 2 */
    assert_int_equal(election_count(&ok, sum, 3, 2, &r), ELECTION_ERR_INPUT);
    assert_string_equal(r.reason, "得票总数超过有效票数乘以应选名额");
    assert_int_equal(election_count(&ok, sum, 3, 3, &r), ELECTION_RUNOFF_NEEDED);  /* 77 <= 38 * 3 */
    /* no candidates at all: valid election, every seat to the run-off */
    assert_int_equal(election_count(&ok, NULL, 0, 3, &r), ELECTION_RUNOFF_NEEDED);
    assert_int_equal(r.seats_open, 3);
}

static void test_more_qualified_than_seats(void **state) {
    BallotCount b = {100, 90, 90, 0};
    Candidate c[] = {{1, 50}, {2, 80}, {3, 60}, {4, 46}, {5, 30}};
    ElectionResult r;
    assert_int_equal(election_count(&b, c, NC(c), 3, &r), ELECTION_ELECTED);
    int64_t want[] = {2, 3, 1};
    assert_ids(r.winners, r.nwinners, want, 3);
}

static void test_tie_at_boundary(void **state) {
    BallotCount b = {100, 95, 95, 0};                  /* 48 votes needed */
    Candidate c[] = {{1, 80}, {2, 50}, {3, 50}, {4, 0}};
    ElectionResult r;
    assert_int_equal(election_count(&b, c, NC(c), 2, &r), ELECTION_REVOTE_NEEDED);
    int64_t won[] = {1};
    int64_t tied[] = {2, 3};
    assert_ids(r.winners, r.nwinners, won, 1);
    assert_ids(r.tied, r.ntied, tied, 2);
    assert_int_equal(r.seats_open, 1);
    assert_non_null(strstr(r.reason, "当选 1 名，2 名候选人得票相等争 1 个名额，须重新投票"));
    /* a tie that is not across the last seat elects both */
    assert_int_equal(election_count(&b, c, NC(c), 3, &r), ELECTION_ELECTED);
    int64_t all[] = {1, 2, 3};
    assert_ids(r.winners, r.nwinners, all, 3);
    /* three-way tie for two seats */
    Candidate d[] = {{7, 60}, {8, 60}, {9, 60}};
    assert_int_equal(election_count(&b, d, NC(d), 2, &r), ELECTION_REVOTE_NEEDED);
    assert_int_equal(r.nwinners, 0);
    assert_int_equal(r.ntied, 3);
    assert_int_equal(r.seats_open, 2);
    /* ties among candidates below the threshold do not matter */
    Candidate e[] = {{1, 80}, {2, 40}, {3, 40}};
    assert_int_equal(election_count(&b, e, NC(e), 2, &r), ELECTION_RUNOFF_NEEDED);
    assert_int_equal(r.ntied, 0);
    assert_int_equal(r.nwinners, 1);
}

static void test_runoff(void **state) {
    BallotCount b = {100, 90, 90, 3};
    ElectionResult r;
    Candidate c[] = {{4, 30}, {5, 29}, {6, 28}};      /* 1/3 of 90 = 30 */
    assert_int_equal(election_runoff(&b, c, NC(c), 1, &r), ELECTION_ELECTED);
    assert_int_equal(r.threshold, 30);
    assert_int_equal(r.winners[0], 4);
    assert_non_null(strstr(r.reason, "当选须不少于投票数三分之一即至少 30 票"));
    assert_int_equal(election_runoff(&b, c, NC(c), 2, &r), ELECTION_SEATS_VACANT);
    assert_int_equal(r.nwinners, 1);
    assert_int_equal(r.seats_open, 1);
    assert_non_null(strstr(r.reason, "仍缺 1 名，名额空缺"));
    /* 91 ballots: 1/3 is 30.33, so 31 are needed */
    BallotCount b91 = {100, 91, 91, 0};
    Candidate d[] = {{4, 31}, {5, 30}};
    assert_int_equal(election_runoff(&b91, d, NC(d), 2, &r), ELECTION_SEATS_VACANT);
    assert_int_equal(r.threshold, 31);
    assert_int_equal(r.nwinners, 1);
    /* tie in the run-off */
    Candidate t[] = {{4, 40}, {5, 40}};
    assert_int_equal(election_runoff(&b, t, NC(t), 1, &r), ELECTION_REVOTE_NEEDED);
    assert_int_equal(r.ntied, 2);
    /* the run-off also needs a valid election */
    BallotCount low = {100, 50, 50, 0};
    Candidate few[] = {{4, 30}, {5, 20}};
    assert_int_equal(election_runoff(&low, few, NC(few), 1, &r), ELECTION_INVALID);
}

/* Exhaustive first-round threshold: for every number of ballots, a lone
 * candidate wins exactly when 2*votes > ballots. */
static void test_threshold_exhaustive(void **state) {
    for (int cast = 1; cast <= 300; cast++) {
        BallotCount b = {cast, cast, cast, 0};
        for (int v = 0; v <= cast; v++) {
            Candidate c[] = {{1, v}};
            ElectionResult r, ro;
            int st = election_count(&b, c, 1, 1, &r);
            assert_int_equal(st, 2 * v > cast ? ELECTION_ELECTED : ELECTION_RUNOFF_NEEDED);
            st = election_runoff(&b, c, 1, 1, &ro);
            assert_int_equal(st, 3 * v >= cast ? ELECTION_ELECTED : ELECTION_SEATS_VACANT);
        }
    }
}

static void test_status_names(void **state) {
    for (int a = ELECTION_ERR_INPUT; a <= ELECTION_INVALID; a++)
        for (int b = a + 1; b <= ELECTION_INVALID; b++)
            assert_string_not_equal(election_status_zh(a), election_status_zh(b));
    assert_string_equal(election_status_zh(ELECTION_INVALID), "选举无效");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_elected),
        cmocka_unit_test(test_half_boundary),
        cmocka_unit_test(test_validity_turnout),
        cmocka_unit_test(test_invalid_ballot_counts),
        cmocka_unit_test(test_input_errors),
        cmocka_unit_test(test_more_qualified_than_seats),
        cmocka_unit_test(test_tie_at_boundary),
        cmocka_unit_test(test_runoff),
        cmocka_unit_test(test_threshold_exhaustive),
        cmocka_unit_test(test_status_names),
    };
    return cmocka_run_group_tests_name("election", tests, NULL, NULL);
}
