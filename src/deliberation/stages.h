/* stages.h — the three-stage procedure of a matter (三议一决) as pure rules.
 *
 * A major matter (重大事项) passes, in this order: stage 1 villagers deliberate (组民商议: a meeting
 * of villagers or collected opinions), stage 2 the committee meeting discusses and proposes
 * (组委会商议: a 组委会会议 with a proposal), stage 3 the group decides by vote (组民决策: a 组民大会,
 * or a 组民代表会议 where the county allows it). A minor matter may skip stages 1 and 2: the
 * committee may decide it at a 组委会会议 by a vote of its members, or take it to the group.
 * After a passed vote the matter is implemented (implementation entries) and closed. A failed
 * vote keeps the matter open for a new vote.
 *
 * matter_step_check() says whether an action is allowed now and, if not, why in Chinese naming
 * the missing stage ("还缺少第一阶段：组民商议"); matter_next_stage() says where the action leaves
 * the matter. No database: the caller loads MatterState. */
#ifndef ZW_DELIBERATION_STAGES_H
#define ZW_DELIBERATION_STAGES_H
#include <stdbool.h>
#include <stdint.h>

typedef enum { STAGE_CONSULT, STAGE_PROPOSE, STAGE_DECIDE, STAGE_IMPLEMENT, STAGE_CLOSED } Stage;
typedef enum { MEET_ASSEMBLY, MEET_REPRESENTATIVES, MEET_COMMITTEE } MeetingBody;
typedef enum { ACT_CONSULT, ACT_PROPOSE, ACT_VOTE, ACT_IMPLEMENT, ACT_CLOSE, ACT_ADOPT_RULE } MatterAction;

/* What the rules need to know about a matter. Dates are day numbers (platform/date.h), 0 = none. */
typedef struct MatterState {
    bool major;
    Stage stage;
    bool has_consult;        /* a stage-1 record exists */
    bool has_proposal;       /* a stage-2 record exists */
    bool has_passed_vote;
    bool rules_category;     /* category 'rules' (组规民约) */
    bool rule_adopted;       /* a rule version already cites this matter */
    int32_t last_consult;    /* date of the latest stage-1 record */
    int32_t last_proposal;   /* date of the latest stage-2 record */
} MatterState;

/* One action about to be recorded. */
typedef struct MatterStep {
    MatterAction act;
    bool has_meeting;        /* the action cites a meeting (always for propose and vote) */
    MeetingBody body;        /* that meeting's body */
    int32_t on;              /* the action's date (the meeting's date when it cites one) */
    bool reps_may_decide;    /* setting deliberation.representatives_decide */
} MatterStep;

/* Returns NULL when the step is allowed, else the reason in Simplified Chinese. */
const char *matter_step_check(const MatterState *s, const MatterStep *step);
/* The stage a matter is in after an allowed step (`passed`: the outcome of a vote). */
Stage matter_next_stage(const MatterState *s, const MatterStep *step, bool passed);

/* Stage names: "consult" ... "closed" and back; -1 for an unknown name. */
const char *stage_key(Stage s);
int stage_parse(const char *key);
/* "第一阶段：组民商议" ... "已办结". */
const char *stage_zh(Stage s);
const char *body_key(MeetingBody b);
int body_parse(const char *key);
const char *body_zh(MeetingBody b);

/* True when `category` is major under the setting value `major_list` (comma-separated keys; NULL
 * = the default "assets,land,funds,rules"), or when the user marked the matter major. */
bool matter_is_major(const char *category, bool marked, const char *major_list);
#define DELIB_MAJOR_DEFAULT "assets,land,funds,rules"

#endif
