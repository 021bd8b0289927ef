/* stages.c — the stage machine of a matter (see stages.h). */
#include "deliberation/stages.h"
#include <string.h>

/* Refuses anything on a closed matter, and stage 1 and 2 records once a decision stands. */
static const char *check_open(const MatterState *s, const MatterStep *step) {
    if (s->stage == STAGE_CLOSED && step->act != ACT_ADOPT_RULE) return "事项已办结，不能再登记";
    return NULL;
}

static const char *check_consult(const MatterState *s, const MatterStep *step) {
    if (s->stage >= STAGE_DECIDE) return "事项已进入第三阶段，不能再补录第一阶段的组民商议";
    if (step->has_meeting && step->body == MEET_COMMITTEE) return "第一阶段的商议应由组民参加，不能用组委会会议代替";
    return NULL;
}

static const char *check_propose(const MatterState *s, const MatterStep *step) {
    if (s->stage >= STAGE_IMPLEMENT) return "事项已有通过的决议，不能再提出方案";
    if (s->major && !s->has_consult) return "还缺少第一阶段：组民商议";
    if (!step->has_meeting || step->body != MEET_COMMITTEE) return "第二阶段应在组委会会议上商议并提出方案";
    if (s->has_consult && step->on < s->last_consult) return "组委会会议的日期早于第一阶段的组民商议，阶段顺序不对";
    return NULL;
}

static const char *check_vote(const MatterState *s, const MatterStep *step) {
    if (s->stage >= STAGE_IMPLEMENT) return "事项已有通过的决议，不能再表决";
    if (!step->has_meeting) return "表决必须在会议上进行，请选择会议";
    if (step->body == MEET_COMMITTEE && s->major) return "重大事项须由组民大会或组民代表会议表决，组委会不能直接决定";
    if (step->body == MEET_REPRESENTATIVES && s->major && !step->reps_may_decide)
        return "本县设置不允许由组民代表会议决定重大事项，请召开组民大会";
    if (s->major && !s->has_consult) return "还缺少第一阶段：组民商议";
    if (s->major && !s->has_proposal) return "还缺少第二阶段：组委会商议提出方案";
    if (s->has_proposal && step->on < s->last_proposal) return "表决会议的日期早于第二阶段的组委会会议，阶段顺序不对";
    if (s->has_consult && step->on < s->last_consult) return "表决会议的日期早于第一阶段的组民商议，阶段顺序不对";
    return NULL;
}

static const char *check_adopt(const MatterState *s) {
    if (!s->rules_category) return "只有“组规民约”类事项才能通过组规民约";
    if (!s->has_passed_vote) return "该事项的表决尚未通过，不能通过组规民约";
    if (s->rule_adopted) return "该事项已经用于通过一个组规民约版本";
    return NULL;
}

const char *matter_step_check(const MatterState *s, const MatterStep *step) {
    const char *why = check_open(s, step);
    if (why) return why;
    switch (step->act) {
    case ACT_CONSULT: return check_consult(s, step);
    case ACT_PROPOSE: return check_propose(s, step);
    case ACT_VOTE: return check_vote(s, step);
    case ACT_IMPLEMENT: return s->stage == STAGE_IMPLEMENT ? NULL : "还没有通过的决议，不能登记实施情况";
    case ACT_CLOSE: return s->stage == STAGE_IMPLEMENT ? NULL : "还没有通过的决议，不能办结";
    case ACT_ADOPT_RULE: return check_adopt(s);
    }
    return "未知的操作";
}

Stage matter_next_stage(const MatterState *s, const MatterStep *step, bool passed) {
    switch (step->act) {
    case ACT_CONSULT: return s->stage == STAGE_CONSULT ? STAGE_PROPOSE : s->stage;
    case ACT_PROPOSE: return STAGE_DECIDE;
    case ACT_VOTE:
        if (passed) return STAGE_IMPLEMENT;
        /* A failed committee decision leaves a minor matter where it was; a failed group vote
         * leaves the matter waiting for a new vote in stage 3. */
        return step->body == MEET_COMMITTEE ? s->stage : STAGE_DECIDE;
    case ACT_CLOSE: return STAGE_CLOSED;
    case ACT_IMPLEMENT:
    case ACT_ADOPT_RULE: return s->stage;
    }
    return s->stage;
}

static const char *const stage_keys[] = {"consult", "propose", "decide", "implement", "closed"};
static const char *const stage_names[] = {"第一阶段：组民商议", "第二阶段：组委会商议", "第三阶段：组民决策", "实施中", "已办结"};
static const char *const body_keys[] = {"assembly", "representatives", "committee"};
static const char *const body_names[] = {"组民大会", "组民代表会议", "组委会会议"};

const char *stage_key(Stage s) { return s >= STAGE_CONSULT && s <= STAGE_CLOSED ? stage_keys[s] : ""; }
const char *stage_zh(Stage s) { return s >= STAGE_CONSULT && s <= STAGE_CLOSED ? stage_names[s] : ""; }
const char *body_key(MeetingBody b) { return b >= MEET_ASSEMBLY && b <= MEET_COMMITTEE ? body_keys[b] : ""; }
const char *body_zh(MeetingBody b) { return b >= MEET_ASSEMBLY && b <= MEET_COMMITTEE ? body_names[b] : ""; }

/* Returns the index of `key` in the n names of `keys`, or -1. */
static int key_index(const char *const *keys, int n, const char *key) {
    for (int i = 0; key && i < n; i++)
        if (strcmp(keys[i], key) == 0) return i;
    return -1;
}

int stage_parse(const char *key) { return key_index(stage_keys, 5, key); }
int body_parse(const char *key) { return key_index(body_keys, 3, key); }

bool matter_is_major(const char *category, bool marked, const char *major_list) {
    if (marked) return true;
    if (!category || !*category) return false;
    const char *p = major_list ? major_list : DELIB_MAJOR_DEFAULT;
    size_t n = strlen(category);
    while (*p) {
        while (*p == ',' || *p == ' ') p++;
        size_t len = strcspn(p, ", ");
        if (len == n && strncmp(p, category, n) == 0) return true;
        p += len;
    }
    return false;
}
