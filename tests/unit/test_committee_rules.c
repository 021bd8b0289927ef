/* test_committee_rules.c -- unit tests for src/committees/rules.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "committees/rules.h"
#include "platform/date.h"

#define GROUP 77
#define COMMITTEE 500

static int32_t D(const char *iso) {
    int32_t d = 0;
    assert_int_equal(date_parse(iso, &d), 0);
    return d;
}

/* A member who passes every rule for a committee starting 2026-03-01. */
static CommitteeMember good(int64_t id, Post post) {
    CommitteeMember m = {id, D("1975-05-05"), false, PERSON_LIVING, GROUP, post, NULL};
    return m;
}

static void test_policy_default(void **state) {
    CommitteePolicy p = COMMITTEE_POLICY_DEFAULT;
    assert_int_equal(p.min_size, 3);
    assert_int_equal(p.max_size, 5);
    assert_int_equal(p.min_age, 18);
    assert_true(p.cadre_needs_reason);
    assert_false(p.allow_migrant);
    assert_int_equal(committee_policy_validate(&p), COMMITTEE_OK);
    CommitteePolicy bad = {4, 3, 18, true, false};
    assert_int_equal(committee_policy_validate(&bad), COMMITTEE_ERR_POLICY);
    bad = (CommitteePolicy){0, 3, 18, true, false};
    assert_int_equal(committee_policy_validate(&bad), COMMITTEE_ERR_POLICY);
    bad = (CommitteePolicy){3, 5, -1, true, false};
    assert_int_equal(committee_policy_validate(&bad), COMMITTEE_ERR_POLICY);
    assert_int_equal(committee_check_size(&bad, 4), COMMITTEE_ERR_POLICY);
}

static void test_size(void **state) {
    CommitteePolicy p = COMMITTEE_POLICY_DEFAULT;
    assert_int_equal(committee_check_size(&p, 0), COMMITTEE_ERR_EMPTY);
    assert_int_equal(committee_check_size(&p, -2), COMMITTEE_ERR_EMPTY);
    assert_int_equal(committee_check_size(&p, 1), COMMITTEE_WARN_TOO_SMALL);
    assert_int_equal(committee_check_size(&p, 2), COMMITTEE_WARN_TOO_SMALL);
    assert_int_equal(committee_check_size(&p, 3), COMMITTEE_OK);
    assert_int_equal(committee_check_size(&p, 4), COMMITTEE_OK);
    assert_int_equal(committee_check_size(&p, 5), COMMITTEE_OK);
    assert_int_equal(committee_check_size(&p, 6), COMMITTEE_WARN_TOO_LARGE);
    assert_true(COMMITTEE_WARN_TOO_SMALL > 0 && COMMITTEE_WARN_TOO_LARGE > 0);
    CommitteePolicy county = {5, 7, 18, true, false};   /* a county with other limits */
    assert_int_equal(committee_check_size(&county, 4), COMMITTEE_WARN_TOO_SMALL);
    assert_int_equal(committee_check_size(&county, 7), COMMITTEE_OK);
    assert_int_equal(committee_check_size(&county, 8), COMMITTEE_WARN_TOO_LARGE);
}

static void test_chair(void **state) {
    CommitteeMember m[3] = {good(1, POST_CHAIR), good(2, POST_MEDIATOR), good(3, POST_SUPERVISOR)};
    assert_int_equal(committee_check_chair(m, 3), COMMITTEE_OK);
    m[0].post = POST_OTHER;
    assert_int_equal(committee_check_chair(m, 3), COMMITTEE_ERR_NO_CHAIR);
    m[0].post = POST_CHAIR;
    m[2].post = POST_CHAIR;
    assert_int_equal(committee_check_chair(m, 3), COMMITTEE_ERR_MANY_CHAIRS);
    assert_int_equal(committee_check_chair(m, 0), COMMITTEE_ERR_NO_CHAIR);
}

static void test_cadre_reason(void **state) {
    CommitteePolicy p = COMMITTEE_POLICY_DEFAULT;
    int32_t start = D("2026-03-01");
    CommitteeMember m = good(1, POST_MEDIATOR);
    m.is_cadre = true;
    assert_int_equal(committee_check_member(&p, &m, GROUP, start), COMMITTEE_ERR_CADRE_REASON);
    m.cadre_reason = "";
    assert_int_equal(committee_check_member(&p, &m, GROUP, start), COMMITTEE_ERR_CADRE_REASON);
    m.cadre_reason = "  \t\n";
    assert_int_equal(committee_check_member(&p, &m, GROUP, start), COMMITTEE_ERR_CADRE_REASON);
    m.cadre_reason = "\u3000\u3000";               /* ideographic spaces */
    assert_int_equal(committee_check_member(&p, &m, GROUP, start), COMMITTEE_ERR_CADRE_REASON);
    m.cadre_reason = "本组无其他合适人选，经组民大会推选";
    assert_int_equal(committee_check_member(&p, &m, GROUP, start), COMMITTEE_OK);
    m.cadre_reason = NULL;
    p.cadre_needs_reason = false;                 /* a county that allows cadres */
    assert_int_equal(committee_check_member(&p, &m, GROUP, start), COMMITTEE_OK);
    /* a non-cadre never needs a reason */
    CommitteeMember n = good(2, POST_MEDIATOR);
    p.cadre_needs_reason = true;
    assert_int_equal(committee_check_member(&p, &n, GROUP, start), COMMITTEE_OK);
}

static void test_blank(void **state) {
    assert_true(text_is_blank(NULL));
    assert_true(text_is_blank(""));
    assert_true(text_is_blank(" \u3000 "));
    assert_false(text_is_blank(" 理由 "));
    assert_false(text_is_blank("x"));
    assert_false(text_is_blank("\xE3\x80"));   /* a cut-off sequence is not a space */
}

static void test_age(void **state) {
    CommitteePolicy p = COMMITTEE_POLICY_DEFAULT;
    CommitteeMember m = good(1, POST_CHAIR);
    m.birth = D("2008-03-01");
    assert_int_equal(committee_check_member(&p, &m, GROUP, D("2026-03-01")), COMMITTEE_OK);
    assert_int_equal(committee_check_member(&p, &m, GROUP, D("2026-02-28")), COMMITTEE_ERR_UNDERAGE);
    m.birth = D("2008-02-29");
    assert_int_equal(committee_check_member(&p, &m, GROUP, D("2026-02-28")), COMMITTEE_ERR_UNDERAGE);
    assert_int_equal(committee_check_member(&p, &m, GROUP, D("2026-03-01")), COMMITTEE_OK);
    m.birth = D("2027-01-01");
    assert_int_equal(committee_check_member(&p, &m, GROUP, D("2026-03-01")), COMMITTEE_ERR_NOT_BORN);
    p.min_age = 20;
    m.birth = D("2007-03-01");
    assert_int_equal(committee_check_member(&p, &m, GROUP, D("2026-03-01")), COMMITTEE_ERR_UNDERAGE);
    assert_int_equal(committee_check_member(&p, &m, GROUP, D("2027-03-01")), COMMITTEE_OK);
}

static void test_status_and_group(void **state) {
    CommitteePolicy p = COMMITTEE_POLICY_DEFAULT;
    int32_t start = D("2026-03-01");
    CommitteeMember m = good(1, POST_CHAIR);
    m.status = PERSON_DECEASED;
    assert_int_equal(committee_check_member(&p, &m, GROUP, start), COMMITTEE_ERR_DECEASED);
    m.status = PERSON_MOVED;
    assert_int_equal(committee_check_member(&p, &m, GROUP, start), COMMITTEE_ERR_MOVED);
    m.status = PERSON_MIGRANT;
    assert_int_equal(committee_check_member(&p, &m, GROUP, start), COMMITTEE_ERR_MIGRANT);
    p.allow_migrant = true;
    assert_int_equal(committee_check_member(&p, &m, GROUP, start), COMMITTEE_OK);
    m.status = PERSON_LIVING;
    m.group_id = GROUP + 1;
    assert_int_equal(committee_check_member(&p, &m, GROUP, start), COMMITTEE_ERR_WRONG_GROUP);
}

static void test_overlap(void **state) {
    CommitteeMember m[3] = {good(1, POST_CHAIR), good(2, POST_MEDIATOR), good(3, POST_SUPERVISOR)};
    Membership cur[] = {{9, 600}, {2, COMMITTEE}, {4, 601}};
    int bad = -1;
    assert_int_equal(committee_check_overlap(m, 3, cur, 3, COMMITTEE, &bad), COMMITTEE_OK);
    assert_int_equal(bad, -1);
    cur[0].person_id = 3;                          /* person 3 sits on committee 600 */
    assert_int_equal(committee_check_overlap(m, 3, cur, 3, COMMITTEE, &bad), COMMITTEE_ERR_OTHER_COMMITTEE);
    assert_int_equal(bad, 2);
    cur[0].person_id = 9;
    m[2].person_id = 1;                            /* same person twice */
    assert_int_equal(committee_check_overlap(m, 3, cur, 3, COMMITTEE, &bad), COMMITTEE_ERR_DUPLICATE);
    assert_int_equal(bad, 2);
    assert_int_equal(committee_check_overlap(m, 3, NULL, 0, COMMITTEE, NULL), COMMITTEE_ERR_DUPLICATE);
}

static void test_check_all_clean(void **state) {
    CommitteePolicy p = COMMITTEE_POLICY_DEFAULT;
    CommitteeMember m[3] = {good(1, POST_CHAIR), good(2, POST_MEDIATOR), good(3, POST_ENVIRONMENT)};
    CommitteeIssue is[8];
    assert_int_equal(committee_check_all(&p, GROUP, COMMITTEE, D("2026-03-01"), m, 3, NULL, 0, is, 8), 0);
}

static void test_check_all_reports_everything(void **state) {
    CommitteePolicy p = COMMITTEE_POLICY_DEFAULT;
    CommitteeMember m[2] = {good(1, POST_MEDIATOR), good(2, POST_MEDIATOR)};
    m[0].is_cadre = true;                      /* no reason */
    m[1].birth = D("2010-01-01");              /* 16 */
    Membership cur[] = {{1, 600}, {2, 601}};
    CommitteeIssue is[8];
    int n = committee_check_all(&p, GROUP, COMMITTEE, D("2026-03-01"), m, 2, cur, 2, is, 8);
    assert_int_equal(n, 6);
    assert_int_equal(is[0].code, COMMITTEE_WARN_TOO_SMALL);
    assert_int_equal(is[0].member, -1);
    assert_int_equal(is[1].code, COMMITTEE_ERR_NO_CHAIR);
    assert_int_equal(is[2].code, COMMITTEE_ERR_CADRE_REASON);
    assert_int_equal(is[2].member, 0);
    assert_int_equal(is[3].code, COMMITTEE_ERR_OTHER_COMMITTEE);
    assert_int_equal(is[3].member, 0);
    assert_int_equal(is[4].code, COMMITTEE_ERR_UNDERAGE);
    assert_int_equal(is[4].member, 1);
    assert_int_equal(is[5].code, COMMITTEE_ERR_OTHER_COMMITTEE);
    assert_int_equal(is[5].member, 1);
    /* the count is total even when the array is short */
    assert_int_equal(committee_check_all(&p, GROUP, COMMITTEE, D("2026-03-01"), m, 2, cur, 2, is, 2), 6);
    assert_int_equal(committee_check_all(&p, GROUP, COMMITTEE, D("2026-03-01"), m, 2, cur, 2, NULL, 0), 6);
}

static void test_check_all_size_warning_only(void **state) {
    CommitteePolicy p = COMMITTEE_POLICY_DEFAULT;
    CommitteeMember m[6];
    for (int i = 0; i < 6; i++) m[i] = good(i + 1, i == 0 ? POST_CHAIR : POST_OTHER);
    CommitteeIssue is[4];
    assert_int_equal(committee_check_all(&p, GROUP, COMMITTEE, D("2026-03-01"), m, 6, NULL, 0, is, 4), 1);
    assert_int_equal(is[0].code, COMMITTEE_WARN_TOO_LARGE);
    assert_int_equal(committee_check_all(&p, GROUP, COMMITTEE, D("2026-03-01"), m, 0, NULL, 0, is, 4), 1);
    assert_int_equal(is[0].code, COMMITTEE_ERR_EMPTY);
    CommitteePolicy bad = {6, 5, 18, true, false};
    assert_int_equal(committee_check_all(&bad, GROUP, COMMITTEE, D("2026-03-01"), m, 6, NULL, 0, is, 4), 1);
    assert_int_equal(is[0].code, COMMITTEE_ERR_POLICY);
}

static void test_messages(void **state) {
    for (int a = COMMITTEE_ERR_POLICY; a <= COMMITTEE_WARN_TOO_LARGE; a++) {
        assert_true(strlen(committee_rule_zh(a)) > 0);
        for (int b = a + 1; b <= COMMITTEE_WARN_TOO_LARGE; b++)
            assert_string_not_equal(committee_rule_zh(a), committee_rule_zh(b));
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_default),
        cmocka_unit_test(test_size),
        cmocka_unit_test(test_chair),
        cmocka_unit_test(test_cadre_reason),
        cmocka_unit_test(test_blank),
        cmocka_unit_test(test_age),
        cmocka_unit_test(test_status_and_group),
        cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_check_all_clean),
        cmocka_unit_test(test_check_all_reports_everything),
        cmocka_unit_test(test_check_all_size_warning_only),
        cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests_name("committee_rules", tests, NULL, NULL);
}
