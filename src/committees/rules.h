/* rules.h -- composition rules of a village-group committee (组委会).
 *
 * The committee has no statutory status: its size, who may sit on it and
 * how old members must be are county policy (CommitteePolicy, defaults from
 * the county's own article). Rules checked:
 *  - size within min_size..max_size (3..5): outside is a WARNING to show,
 *    not an error; an empty committee is an error;
 *  - exactly one chair-convener (理事长/召集人);
 *  - a village cadre (村"两委"干部) may be a member only with a recorded,
 *    non-blank reason (原则上不由村"两委"干部担任);
 *  - nobody sits on two committees at once, nor twice on one;
 *  - a member is at least min_age (18) on the start date, alive, and living
 *    in the committee's group (moved away: no; migrant worker away from the
 *    group: only when the policy allows it).
 * Codes: 0 OK, positive = warning, negative = error. */
#ifndef ZUWEI_COMMITTEES_RULES_H
#define ZUWEI_COMMITTEES_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int min_size;              /* 3 */
    int max_size;              /* 5 */
    int min_age;               /* 18 */
    bool cadre_needs_reason;   /* true */
    bool allow_migrant;        /* false: a member must live in the group */
} CommitteePolicy;

#define COMMITTEE_POLICY_DEFAULT ((CommitteePolicy){3, 5, 18, true, false})

typedef enum {
    POST_CHAIR,         /* 理事长/召集人 chair-convener */
    POST_MEDIATOR,      /* 调解委员 */
    POST_SUPERVISOR,    /* 监督委员 */
    POST_ENVIRONMENT,   /* 环保委员 */
    POST_OTHER,         /* a post the group adds (按需设职) */
} Post;

typedef enum {
    PERSON_LIVING,      /* lives in the group */
    PERSON_MOVED,       /* moved away (迁出) */
    PERSON_MIGRANT,     /* working away (外出务工) */
    PERSON_DECEASED,    /* 死亡 */
} PersonStatus;

typedef struct {
    int64_t person_id;
    int32_t birth;              /* day number, platform/date.h */
    bool is_cadre;              /* 村两委干部 */
    PersonStatus status;
    int64_t group_id;           /* the group the person belongs to */
    Post post;
    const char *cadre_reason;   /* required when is_cadre; may be NULL otherwise */
} CommitteeMember;

/* A current membership of some committee, for the one-committee rule. */
typedef struct {
    int64_t person_id;
    int64_t committee_id;
} Membership;

typedef enum {
    COMMITTEE_OK = 0,
    COMMITTEE_WARN_TOO_SMALL = 1,
    COMMITTEE_WARN_TOO_LARGE = 2,
    COMMITTEE_ERR_EMPTY = -1,
    COMMITTEE_ERR_NO_CHAIR = -2,
    COMMITTEE_ERR_MANY_CHAIRS = -3,
    COMMITTEE_ERR_CADRE_REASON = -4,
    COMMITTEE_ERR_OTHER_COMMITTEE = -5,
    COMMITTEE_ERR_DUPLICATE = -6,
    COMMITTEE_ERR_UNDERAGE = -7,
    COMMITTEE_ERR_NOT_BORN = -8,        /* birth after the start date: a data error */
    COMMITTEE_ERR_DECEASED = -9,
    COMMITTEE_ERR_MOVED = -10,
    COMMITTEE_ERR_MIGRANT = -11,
    COMMITTEE_ERR_WRONG_GROUP = -12,
    COMMITTEE_ERR_POLICY = -13,         /* policy values that make no sense */
} CommitteeRule;

/* One finding of committee_check_all(): which rule, which member (-1 for
 * the committee as a whole). */
typedef struct {
    CommitteeRule code;
    int member;
} CommitteeIssue;

int committee_policy_validate(const CommitteePolicy *p);
int committee_check_size(const CommitteePolicy *p, int size);
int committee_check_chair(const CommitteeMember *m, int n);
int committee_check_member(const CommitteePolicy *p, const CommitteeMember *m,
                           int64_t group_id, int32_t start);
int committee_check_overlap(const CommitteeMember *m, int n, const Membership *current,
                            int ncurrent, int64_t committee_id, int *bad);
int committee_check_all(const CommitteePolicy *p, int64_t group_id, int64_t committee_id,
                        int32_t start, const CommitteeMember *m, int n,
                        const Membership *current, int ncurrent,
                        CommitteeIssue *issues, int maxissues);
bool text_is_blank(const char *s);
const char *committee_rule_zh(int code);

#endif
