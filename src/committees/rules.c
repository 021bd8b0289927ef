/* rules.c -- checks on who may form a village-group committee. */
#include "committees/rules.h"

#include "platform/date.h"

/* Return COMMITTEE_OK when the policy is usable (1 <= min_size <= max_size,
 * min_age >= 0), else COMMITTEE_ERR_POLICY. */
int committee_policy_validate(const CommitteePolicy *p) {
    if (p->min_size < 1 || p->max_size < p->min_size || p->min_age < 0) return COMMITTEE_ERR_POLICY;
    return COMMITTEE_OK;
}

/* Check the number of members against the policy. Returns COMMITTEE_OK,
 * the warning COMMITTEE_WARN_TOO_SMALL / COMMITTEE_WARN_TOO_LARGE (the
 * committee may still be recorded, but the user must see it), or the error
 * COMMITTEE_ERR_EMPTY for no members or COMMITTEE_ERR_POLICY. */
int committee_check_size(const CommitteePolicy *p, int size) {
    if (committee_policy_validate(p) != COMMITTEE_OK) return COMMITTEE_ERR_POLICY;
    if (size <= 0) return COMMITTEE_ERR_EMPTY;
    if (size < p->min_size) return COMMITTEE_WARN_TOO_SMALL;
    if (size > p->max_size) return COMMITTEE_WARN_TOO_LARGE;
    return COMMITTEE_OK;
}

/* Check that exactly one of the `n` members holds POST_CHAIR. Returns
 * COMMITTEE_OK, COMMITTEE_ERR_NO_CHAIR or COMMITTEE_ERR_MANY_CHAIRS. */
int committee_check_chair(const CommitteeMember *m, int n) {
    int chairs = 0;
    for (int i = 0; i < n; i++)
        if (m[i].post == POST_CHAIR) chairs++;
    if (chairs == 0) return COMMITTEE_ERR_NO_CHAIR;
    return chairs == 1 ? COMMITTEE_OK : COMMITTEE_ERR_MANY_CHAIRS;
}

/* Return true when `s` is NULL or holds only ASCII white space and
 * ideographic spaces (U+3000, common in text typed with a Chinese IME). */
bool text_is_blank(const char *s) {
    if (s == NULL) return true;
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') {
            p++;
        } else if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
            p += 3;
        } else {
            return false;
        }
    }
    return true;
}

/* Check one member of the committee of group `group_id` starting on day
 * `start`: alive, living in the group (a migrant only if the policy allows),
 * at least policy->min_age on the start date, and a village cadre only with
 * a non-blank reason. Returns COMMITTEE_OK or the first failed rule in that
 * order. */
int committee_check_member(const CommitteePolicy *p, const CommitteeMember *m,
                           int64_t group_id, int32_t start) {
    if (committee_policy_validate(p) != COMMITTEE_OK) return COMMITTEE_ERR_POLICY;
    if (m->status == PERSON_DECEASED) return COMMITTEE_ERR_DECEASED;
    if (m->status == PERSON_MOVED) return COMMITTEE_ERR_MOVED;
    if (m->status == PERSON_MIGRANT && !p->allow_migrant) return COMMITTEE_ERR_MIGRANT;
    if (m->group_id != group_id) return COMMITTEE_ERR_WRONG_GROUP;
    int age = age_on(m->birth, start);
    if (age < 0) return COMMITTEE_ERR_NOT_BORN;
    if (age < p->min_age) return COMMITTEE_ERR_UNDERAGE;
    if (m->is_cadre && p->cadre_needs_reason && text_is_blank(m->cadre_reason))
        return COMMITTEE_ERR_CADRE_REASON;
    return COMMITTEE_OK;
}

/* Check member m[i] against the members before it (a duplicate) and the
 * current memberships of committees other than `committee_id`. Returns
 * COMMITTEE_OK, COMMITTEE_ERR_DUPLICATE or COMMITTEE_ERR_OTHER_COMMITTEE. */
static int member_overlap(const CommitteeMember *m, int i, const Membership *current,
                          int ncurrent, int64_t committee_id) {
    for (int j = 0; j < i; j++)
        if (m[j].person_id == m[i].person_id) return COMMITTEE_ERR_DUPLICATE;
    for (int k = 0; k < ncurrent; k++)
        if (current[k].person_id == m[i].person_id && current[k].committee_id != committee_id)
            return COMMITTEE_ERR_OTHER_COMMITTEE;
    return COMMITTEE_OK;
}

/* Check that no member appears twice in m[0..n) and that none currently
 * sits on another committee than `committee_id` (memberships of this same
 * committee are ignored, so a committee can be re-checked after edits).
 * On failure *bad (when not NULL) is the index of the first offending
 * member. Returns COMMITTEE_OK, COMMITTEE_ERR_DUPLICATE or
 * COMMITTEE_ERR_OTHER_COMMITTEE. */
int committee_check_overlap(const CommitteeMember *m, int n, const Membership *current,
                            int ncurrent, int64_t committee_id, int *bad) {
    for (int i = 0; i < n; i++) {
        int rc = member_overlap(m, i, current, ncurrent, committee_id);
        if (rc != COMMITTEE_OK) {
            if (bad != NULL) *bad = i;
            return rc;
        }
    }
    return COMMITTEE_OK;
}

/* Append an issue to issues[] if there is room; always count it. */
static void add_issue(CommitteeIssue *issues, int maxissues, int *count, int code, int member) {
    if (*count < maxissues) {
        issues[*count].code = (CommitteeRule)code;
        issues[*count].member = member;
    }
    (*count)++;
}

/* Run every rule on a proposed committee and list what is wrong: policy,
 * size (a warning), chair, each member's eligibility, and the
 * one-committee rule for each member. Up to `maxissues` findings are
 * written to `issues`. Returns the total number of findings (possibly more
 * than maxissues); 0 means the committee may be recorded as it is. */
int committee_check_all(const CommitteePolicy *p, int64_t group_id, int64_t committee_id,
                        int32_t start, const CommitteeMember *m, int n,
                        const Membership *current, int ncurrent,
                        CommitteeIssue *issues, int maxissues) {
    int count = 0;
    if (committee_policy_validate(p) != COMMITTEE_OK) {
        add_issue(issues, maxissues, &count, COMMITTEE_ERR_POLICY, -1);
        return count;
    }
    int rc = committee_check_size(p, n);
    if (rc != COMMITTEE_OK) add_issue(issues, maxissues, &count, rc, -1);
    if (n <= 0) return count;
    rc = committee_check_chair(m, n);
    if (rc != COMMITTEE_OK) add_issue(issues, maxissues, &count, rc, -1);
    for (int i = 0; i < n; i++) {
        rc = committee_check_member(p, &m[i], group_id, start);
        if (rc != COMMITTEE_OK) add_issue(issues, maxissues, &count, rc, i);
        rc = member_overlap(m, i, current, ncurrent, committee_id);
        if (rc != COMMITTEE_OK) add_issue(issues, maxissues, &count, rc, i);
    }
    return count;
}

/* Return the Simplified Chinese message for a CommitteeRule code. */
const char *committee_rule_zh(int code) {
    switch (code) {
    case COMMITTEE_OK: return "符合组委会组成要求";
    case COMMITTEE_WARN_TOO_SMALL: return "组委会成员少于规定人数（一般为3至5人），请确认";
    case COMMITTEE_WARN_TOO_LARGE: return "组委会成员多于规定人数（一般为3至5人），请确认";
    case COMMITTEE_ERR_EMPTY: return "组委会至少需要1名成员";
    case COMMITTEE_ERR_NO_CHAIR: return "组委会须有1名理事长（召集人）";
    case COMMITTEE_ERR_MANY_CHAIRS: return "组委会只能有1名理事长（召集人）";
    case COMMITTEE_ERR_CADRE_REASON: return "村“两委”干部原则上不担任组委会成员，如确需担任，请填写理由";
    case COMMITTEE_ERR_OTHER_COMMITTEE: return "该成员已在其他组委会任职，不能同时担任两个组委会成员";
    case COMMITTEE_ERR_DUPLICATE: return "同一人不能在本组委会中重复登记";
    case COMMITTEE_ERR_UNDERAGE: return "组委会成员在任职之日未达到规定年龄（一般须年满18周岁）";
    case COMMITTEE_ERR_NOT_BORN: return "出生日期晚于任职日期，请核对";
    case COMMITTEE_ERR_DECEASED: return "该人员已登记为死亡，不能担任组委会成员";
    case COMMITTEE_ERR_MOVED: return "该人员已迁出本组，不能担任组委会成员";
    case COMMITTEE_ERR_MIGRANT: return "该人员外出务工、不在组内居住，不能担任组委会成员";
    case COMMITTEE_ERR_WRONG_GROUP: return "组委会成员须为本村民组组民";
    case COMMITTEE_ERR_POLICY: return "组委会政策设置无效：人数上下限或年龄要求有误";
    default: return "组委会组成不符合要求";
    }
}
