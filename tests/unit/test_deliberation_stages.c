/* test_deliberation_stages.c — the stage machine of a matter (src/deliberation/stages.c): order of
 * the three stages, the messages naming the missing stage, committee decisions of minor matters,
 * failed votes keeping the matter open, dates out of order, group-rule adoption, major categories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "deliberation/stages.h"

static MatterStep step(MatterAction act, MeetingBody body, int32_t on) {
    return (MatterStep){act, act != ACT_IMPLEMENT && act != ACT_CLOSE && act != ACT_ADOPT_RULE, body, on, true};
}

static void major_needs_stage_one_first(void **state) {
    MatterState s = {.major = true, .stage = STAGE_CONSULT};
    MatterStep p = step(ACT_PROPOSE, MEET_COMMITTEE, 100), v = step(ACT_VOTE, MEET_ASSEMBLY, 100);
    assert_string_equal(matter_step_check(&s, &p), "还缺少第一阶段：组民商议");
    assert_string_equal(matter_step_check(&s, &v), "还缺少第一阶段：组民商议");
    MatterStep c = step(ACT_CONSULT, MEET_ASSEMBLY, 90);
    assert_null(matter_step_check(&s, &c));
    assert_int_equal(matter_next_stage(&s, &c, false), STAGE_PROPOSE);
}

static void major_needs_stage_two_before_vote(void **state) {
    MatterState s = {.major = true, .stage = STAGE_PROPOSE, .has_consult = true, .last_consult = 90};
    MatterStep v = step(ACT_VOTE, MEET_ASSEMBLY, 100);
    assert_string_equal(matter_step_check(&s, &v), "还缺少第二阶段：组委会商议提出方案");
    MatterStep p = step(ACT_PROPOSE, MEET_ASSEMBLY, 100);
    assert_string_equal(matter_step_check(&s, &p), "第二阶段应在组委会会议上商议并提出方案");
    p.body = MEET_COMMITTEE;
    assert_null(matter_step_check(&s, &p));
    assert_int_equal(matter_next_stage(&s, &p, false), STAGE_DECIDE);
}

static void dates_must_follow_the_stages(void **state) {
    MatterState s = {.major = true, .stage = STAGE_PROPOSE, .has_consult = true, .last_consult = 90};
    MatterStep p = step(ACT_PROPOSE, MEET_COMMITTEE, 89);
    assert_non_null(strstr(matter_step_check(&s, &p), "阶段顺序不对"));
    p.on = 90;   /* the same day is in order */
    assert_null(matter_step_check(&s, &p));
    MatterState d = {.major = true, .stage = STAGE_DECIDE, .has_consult = true, .has_proposal = true, .last_consult = 90, .last_proposal = 95};
    MatterStep v = step(ACT_VOTE, MEET_ASSEMBLY, 94);
    assert_non_null(strstr(matter_step_check(&d, &v), "第二阶段"));
    v.on = 95;
    assert_null(matter_step_check(&d, &v));
}

static void failed_vote_keeps_matter_open(void **state) {
    MatterState d = {.major = true, .stage = STAGE_DECIDE, .has_consult = true, .has_proposal = true};
    MatterStep v = step(ACT_VOTE, MEET_ASSEMBLY, 100);
    assert_int_equal(matter_next_stage(&d, &v, false), STAGE_DECIDE);
    assert_null(matter_step_check(&d, &v));   /* a new vote is allowed */
    assert_int_equal(matter_next_stage(&d, &v, true), STAGE_IMPLEMENT);
    d.stage = STAGE_IMPLEMENT;
    d.has_passed_vote = true;
    assert_non_null(matter_step_check(&d, &v));   /* no vote after a passed one */
}

static void committee_decides_only_minor_matters(void **state) {
    MatterState minor = {.major = false, .stage = STAGE_PROPOSE};
    MatterStep v = step(ACT_VOTE, MEET_COMMITTEE, 100);
    assert_null(matter_step_check(&minor, &v));
    assert_int_equal(matter_next_stage(&minor, &v, false), STAGE_PROPOSE);
    MatterState major = {.major = true, .stage = STAGE_DECIDE, .has_consult = true, .has_proposal = true};
    assert_non_null(strstr(matter_step_check(&major, &v), "组委会不能直接决定"));
    MatterStep reps = step(ACT_VOTE, MEET_REPRESENTATIVES, 100);
    assert_null(matter_step_check(&major, &reps));
    reps.reps_may_decide = false;
    assert_non_null(matter_step_check(&major, &reps));
}

static void stage_one_is_villagers_and_not_after_stage_three(void **state) {
    MatterState s = {.major = true, .stage = STAGE_CONSULT};
    MatterStep c = step(ACT_CONSULT, MEET_COMMITTEE, 100);
    assert_non_null(matter_step_check(&s, &c));
    s.stage = STAGE_DECIDE;
    c.body = MEET_ASSEMBLY;
    assert_non_null(strstr(matter_step_check(&s, &c), "第三阶段"));
}

static void implement_and_close_need_a_decision(void **state) {
    MatterState s = {.major = true, .stage = STAGE_DECIDE};
    MatterStep i = step(ACT_IMPLEMENT, MEET_ASSEMBLY, 100), c = step(ACT_CLOSE, MEET_ASSEMBLY, 100);
    assert_non_null(matter_step_check(&s, &i));
    assert_non_null(matter_step_check(&s, &c));
    s.stage = STAGE_IMPLEMENT;
    assert_null(matter_step_check(&s, &i));
    assert_int_equal(matter_next_stage(&s, &c, false), STAGE_CLOSED);
    s.stage = STAGE_CLOSED;
    assert_string_equal(matter_step_check(&s, &i), "事项已办结，不能再登记");
}

static void rules_need_a_passed_rules_matter(void **state) {
    MatterStep a = step(ACT_ADOPT_RULE, MEET_ASSEMBLY, 0);
    MatterState s = {.stage = STAGE_IMPLEMENT, .has_passed_vote = true};
    assert_non_null(strstr(matter_step_check(&s, &a), "组规民约"));
    s.rules_category = true;
    assert_null(matter_step_check(&s, &a));
    s.rule_adopted = true;
    assert_non_null(matter_step_check(&s, &a));
    MatterState failed = {.stage = STAGE_DECIDE, .rules_category = true};
    assert_non_null(strstr(matter_step_check(&failed, &a), "尚未通过"));
    MatterState closed = {.stage = STAGE_CLOSED, .rules_category = true, .has_passed_vote = true};
    assert_null(matter_step_check(&closed, &a));
}

static void major_categories_follow_the_setting(void **state) {
    assert_true(matter_is_major("land", false, NULL));
    assert_true(matter_is_major("rules", false, NULL));
    assert_false(matter_is_major("environment", false, NULL));
    assert_true(matter_is_major("environment", true, NULL));
    assert_false(matter_is_major("land", false, "assets, funds"));
    assert_true(matter_is_major("funds", false, "assets, funds"));
    assert_false(matter_is_major("fund", false, "assets,funds"));
    assert_false(matter_is_major("", false, NULL));
    assert_int_equal(stage_parse("decide"), STAGE_DECIDE);
    assert_int_equal(stage_parse("x"), -1);
    assert_int_equal(body_parse("committee"), MEET_COMMITTEE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(major_needs_stage_one_first),
        cmocka_unit_test(major_needs_stage_two_before_vote),
        cmocka_unit_test(dates_must_follow_the_stages),
        cmocka_unit_test(failed_vote_keeps_matter_open),
        cmocka_unit_test(committee_decides_only_minor_matters),
        cmocka_unit_test(stage_one_is_villagers_and_not_after_stage_three),
        cmocka_unit_test(implement_and_close_need_a_decision),
        cmocka_unit_test(rules_need_a_passed_rules_matter),
        cmocka_unit_test(major_categories_follow_the_setting),
    };
    return cmocka_run_group_tests_name("deliberation_stages", tests, NULL, NULL);
}
