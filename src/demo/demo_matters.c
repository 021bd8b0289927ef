/* demo_matters.c — deliberation in the demo county (议事决策): ordinary matters in every stage and
 * the group rules (组规民约) most groups adopted, all through the deliberation's demo calls, which run
 * the same stage, quorum and majority checks as the pages. Stage 1 is collected opinions; stage 2
 * a committee meeting (组委会会议) with its serving members present; stage 3 a group assembly
 * (组民大会) counted on household representatives, with the representatives who came listed. Some
 * votes fail for quorum or for majority and the deliberation records the reason; one matter has
 * waited in stage 2 for more than 30 days. */
#include "demo/demo.h"
#include "deliberation/deliberation.h"
#include "org/units.h"
#include "platform/audit.h"
#include "platform/date.h"
#include "platform/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A kind of matter the groups bring: category, title, proposal, implementation. */
typedef struct Topic { const char *category, *title, *proposal, *done; } Topic;

static const Topic topics[] = {
    {"works", "修建组内联户路", "按每户投工投劳、上级补助水泥砂石的办法硬化联户路，由组委会组织施工", "联户路已完工并验收"},
    {"works", "维修人饮工程蓄水池", "组织劳力清洗蓄水池、更换破损管道，费用从组集体收入列支", "蓄水池维修完毕，已恢复供水"},
    {"works", "安装组内太阳能路灯", "在主干道和院坝安装路灯 12 盏，申请村级项目资金", "路灯已安装并投入使用"},
    {"assets", "集体山林承包到期续包方案", "集体山林按公开竞价续包五年，承包费用于组内公益事业", "已签订续包合同并公示"},
    {"assets", "组集体鱼塘发包", "鱼塘公开发包三年，收益按户分配", "鱼塘已发包，首年收益已分配"},
    {"land", "土地流转给合作社种植茶叶", "自愿流转的农户与合作社签订合同，每亩每年流转费 400 元", "流转合同已签订，茶苗已栽种"},
    {"land", "修建产业路占地调整方案", "占用的耕地由组内机动地调剂补偿", "占地已调整到位"},
    {"funds", "一事一议筹资筹劳修建组组通公路", "按人口每人筹资 50 元，劳力每人投工 5 个", "公路已通车，收支已公示"},
    {"funds", "集体经济收益分配方案", "提取 30% 作为公益金，其余按户均分", "收益已按方案分配到户"},
    {"environment", "设置垃圾收集点和保洁员", "设垃圾收集点 3 处，聘请保洁员 1 名，每户每月缴纳保洁费 5 元", "收集点已建成，保洁员已上岗"},
    {"environment", "河道清淤和禁止乱倒垃圾", "组织全组清淤一次，乱倒垃圾的列入道德评议", "河道清淤完成"},
    {"other", "红白喜事从简标准", "酒席不超过 15 桌，不燃放大型烟花，由红白理事会监督", "标准已张贴，纳入组规民约执行"},
    {"other", "设立组内互助基金", "自愿入股，用于困难户临时救助", "互助基金已设立并公布管理办法"},
};
enum { NTOPICS = sizeof topics / sizeof topics[0] };

/* What one ordinary matter ends up as. */
typedef enum { END_RAISED, END_CONSULT, END_PROPOSE, END_STUCK, END_FAIL_QUORUM, END_FAIL_MAJORITY, END_IMPLEMENT, END_CLOSED } End;

/* Of every 20 matters: 2 in stage 1 (one just raised, one consulted), 2 in stage 2, 1 failed for quorum, 1 for majority, 3 being
 * implemented and 11 closed; the first matter of stage 2 is the one left waiting. */
static End end_of(int i) {
    static const End cycle[20] = {END_CLOSED, END_RAISED, END_PROPOSE, END_CLOSED, END_FAIL_QUORUM, END_IMPLEMENT,
                                  END_CLOSED, END_CLOSED, END_FAIL_MAJORITY, END_CLOSED, END_IMPLEMENT, END_CLOSED,
                                  END_CONSULT, END_CLOSED, END_PROPOSE, END_CLOSED, END_IMPLEMENT, END_CLOSED,
                                  END_CLOSED, END_CLOSED};
    if (i == 2) return END_STUCK;
    return cycle[i % 20];
}

/* Context of one matter: the generator, the group and the counts. */
typedef struct Ctx {
    Rng *r;
    int32_t today;
    int64_t unit;
    const char *gname;
    DemoLife *n;
    char why[400];
} Ctx;

/* Ids of group `unit` from the prepared statement st (binding :u and :d) into out; returns how
 * many (at most max). Called through ids_of() so the SQL stays a literal at the call site. */
#define ids_of(SQL, unit, day, out, max) ids_from(db_prep(SQL), unit, day, out, max)

static int ids_from(Stmt *st, int64_t unit, int32_t day, int64_t *out, int max) {
    char d[11];
    demo_date(day, d);
    if (!st) return -1;
    db_bind_int(st, ":u", unit);
    db_bind_text(st, ":d", d);
    int n = 0;
    while (n < max && db_step(st) == SQLITE_ROW) out[n++] = db_col_int(st, 0);
    sqlite3_reset(st);
    return n;
}

/* Creates a meeting and lists who came; `vote_follows` when the caller votes at it next (the vote
 * counts the meeting). Returns the meeting id, or 0 with c->why set. */
static int64_t meeting(Ctx *c, const char *body, int32_t day, const char *agenda, const int64_t *who, int nwho,
                       bool vote_follows) {
    char on[11], place[80], minutes[400];
    demo_date(day, on);
    snprintf(place, sizeof place, "%s活动室", c->gname);
    snprintf(minutes, sizeof minutes, "会议讨论了“%s”，到会人员充分发表意见，形成会议记录并当场宣读。", agenda);
    int64_t id = 0;
    if (delib_demo_meeting(c->unit, body, "reps", on, place, "组委会", agenda, minutes, who, nwho, vote_follows, &id, c->why,
                           sizeof c->why) != 0)
        return 0;
    c->n->meetings++;
    return id;
}

/* The committee meeting of stage 2 with the members serving on `day`. Returns 0 or -1. */
static int propose(Ctx *c, int64_t matter, int32_t day, const char *title, const char *proposal) {
    int64_t who[16];
    int k = ids_of("SELECT cm.person_id FROM committee_member cm JOIN committee c ON c.id = cm.committee_id"
                   " WHERE c.unit_id = :u AND cm.start_date <= :d AND (cm.end_date IS NULL OR cm.end_date > :d) ORDER BY cm.id",
                   c->unit, day, who, 16);
    if (k <= 0) { snprintf(c->why, sizeof c->why, "no committee serving"); return -1; }
    if (k > 3 && rng_chance(c->r, 0.3)) k--;    /* one member away */
    int64_t m = meeting(c, "committee", day, title, who, k, false);
    return m && delib_demo_propose(matter, m, proposal, c->why, sizeof c->why) == 0 ? 0 : -1;
}

/* The group assembly of stage 3: household representatives come (a share of them), then they vote.
 * `outcome`: 0 passes, 1 misses the quorum, 2 misses the majority. Returns 0 or -1; *passed. */
static int vote(Ctx *c, int64_t matter, int32_t day, const char *title, int outcome, bool *passed) {
    static int64_t reps[4096];
    int k = ids_of("SELECT h.rep_id FROM household h JOIN person p ON p.id = h.rep_id WHERE h.unit_id = :u"
                   " AND p.status IN ('resident', 'migrant') AND p.birth <= date(:d, '-18 years') ORDER BY p.status = 'migrant', h.id",
                   c->unit, day, reps, 4096);
    if (k <= 0) { snprintf(c->why, sizeof c->why, "no household representatives"); return -1; }
    double share = outcome == 1 ? 0.40 + 0.2 * (double)rng_below(c->r, 100) / 100.0
                                : 0.78 + 0.2 * (double)rng_below(c->r, 100) / 100.0;
    int come = (int)(k * share + 0.5);
    if (outcome != 1 && 3 * come < 2 * k) come = (2 * k + 2) / 3;
    if (come > k) come = k;
    if (come < 1) come = 1;
    int64_t m = meeting(c, "assembly", day, title, reps, come, true);
    if (!m) return -1;
    int yes, no;
    if (outcome == 2) yes = (int)(come * (0.25 + 0.2 * (double)rng_below(c->r, 100) / 100.0));
    else yes = come / 2 + 1 + (int)rng_below(c->r, (uint32_t)(come - come / 2));
    if (yes > come) yes = come;
    no = (come - yes) * 2 / 3;
    int abstain = come - yes - no;
    if (outcome == 2 && 2 * yes > come) yes = come / 2, no = come - yes, abstain = 0;
    int rc = delib_demo_vote(matter, m, yes, no, abstain, rng_chance(c->r, 0.3), NULL, passed, c->why, sizeof c->why);
    if (rc == 0 && !*passed) {
        if (outcome == 1) c->n->votes_failed_quorum++;
        else c->n->votes_failed_majority++;
    }
    return rc == 0 ? 0 : -1;
}

/* Stage 1 as collected opinions. */
static int consult(Ctx *c, int64_t matter, int32_t day) {
    char on[11], text[200];
    demo_date(day, on);
    int heard = 8 + (int)rng_below(c->r, 40);
    snprintf(text, sizeof text, "组委会成员入户征求意见，共听取 %d 户意见，多数赞成，部分组民提出了具体建议。", heard);
    return delib_demo_consult(matter, 0, on, text, heard, c->why, sizeof c->why) == 0 ? 0 : -1;
}

/* Takes one ordinary matter of topic t to its planned end. Returns 0 or -1. */
static int ordinary(Ctx *c, const Topic *t, End end) {
    Rng *r = c->r;
    int32_t d0;
    switch (end) {
    case END_RAISED: case END_CONSULT: d0 = c->today - 5 - (int)rng_below(r, 20); break;
    case END_PROPOSE: d0 = c->today - 30 - (int)rng_below(r, 10); break;
    case END_STUCK: d0 = c->today - 80 - (int)rng_below(r, 30); break;
    case END_FAIL_QUORUM: case END_FAIL_MAJORITY: d0 = c->today - 90 - (int)rng_below(r, 300); break;
    case END_IMPLEMENT: d0 = c->today - 120 - (int)rng_below(r, 150); break;
    default: d0 = c->today - 300 - (int)rng_below(r, 550); break;
    }
    char on[11], desc[300];
    demo_date(d0, on);
    snprintf(desc, sizeof desc, "%s组民提出：%s。", c->gname, t->title);
    int64_t matter = 0;
    static const char *const raisers[] = {"villager", "committee", "committee", "village", NULL};
    /* Works touch every household: the groups treat them as major, like those waiting in stage 1. */
    bool major = end == END_RAISED || end == END_CONSULT || strcmp(t->category, "works") == 0;
    if (delib_demo_matter(c->unit, t->title, desc, t->category, rng_pick(r, raisers), major, on, &matter, c->why,
                          sizeof c->why) != 0)
        return -1;
    c->n->matters++;
    if (end == END_RAISED) return 0;   /* stage 1 not yet held */
    int32_t d1 = d0 + 2 + (int)rng_below(r, 4);
    if (consult(c, matter, d1) != 0) return -1;
    if (end == END_CONSULT) return 0;
    int32_t d2 = end == END_STUCK ? c->today - 40 - (int)rng_below(r, 20)
               : end == END_PROPOSE ? c->today - 3 - (int)rng_below(r, 20) : d1 + 5 + (int)rng_below(r, 15);
    if (d2 <= d1) d2 = d1 + 1;
    if (propose(c, matter, d2, t->title, t->proposal) != 0) return -1;
    if (end == END_PROPOSE || end == END_STUCK) {
        if (end == END_STUCK) c->n->stuck++;
        return 0;
    }
    int32_t d3 = d2 + 7 + (int)rng_below(r, 20);
    bool passed = false;
    int outcome = end == END_FAIL_QUORUM ? 1 : end == END_FAIL_MAJORITY ? 2 : 0;
    if (vote(c, matter, d3, t->title, outcome, &passed) != 0) return -1;
    if (!passed) return 0;
    int32_t d4 = d3 + 10 + (int)rng_below(r, 40);
    demo_date(d4 > c->today ? c->today : d4, on);
    if (delib_demo_implement(matter, on, "组委会按决定组织实施，进度在组务公开栏公示", end == END_CLOSED ? t->done : "",
                             c->why, sizeof c->why) != 0)
        return -1;
    if (end != END_CLOSED) return 0;
    demo_date(d4 + 20 + (int)rng_below(r, 60), on);
    return delib_demo_close(matter, on, "实施完毕，组民满意，予以办结", c->why, sizeof c->why) == 0 ? 0 : -1;
}

/* The text of a group's rules (组规民约). */
static void rules_text(const char *gname, char *out, size_t outsz) {
    snprintf(out, outsz,
             "%s组规民约\n"
             "第一条 爱党爱国，遵纪守法，依法办事，不信谣不传谣。\n"
             "第二条 孝老爱亲，邻里和睦，有矛盾先找组委会调解。\n"
             "第三条 红白喜事从简办理，不大操大办，不铺张浪费。\n"
             "第四条 爱护环境，垃圾入桶，房前屋后每周清扫一次。\n"
             "第五条 护林防火，不乱砍滥伐，野外用火须报告。\n"
             "第六条 集体事务按“组民商议、组委会商议、组民决策”办理，结果公开。\n"
             "第七条 违反本组规民约的，由组委会批评教育，并纳入道德评议。\n"
             "第八条 本组规民约经组民大会表决通过，自公布之日起施行。",
             gname);
}

/* A group adopts its rules: a 'rules' matter through the three stages, the rule, and closing. */
static int adopt_rules(Ctx *c) {
    Rng *r = c->r;
    int32_t d0 = c->today - 500 - (int)rng_below(r, 400);
    char on[11], title[160], body[1600];
    demo_date(d0, on);
    snprintf(title, sizeof title, "制定《%s组规民约》", c->gname);
    int64_t matter = 0;
    if (delib_demo_matter(c->unit, title, "根据村规民约和本组实际，制定本组组规民约", "rules", "committee", true, on, &matter,
                          c->why, sizeof c->why) != 0)
        return -1;
    c->n->matters++;
    int32_t d1 = d0 + 3 + (int)rng_below(r, 7), d2 = d1 + 7 + (int)rng_below(r, 10), d3 = d2 + 7 + (int)rng_below(r, 14);
    if (consult(c, matter, d1) != 0) return -1;
    if (propose(c, matter, d2, title, "组委会起草组规民约八条，提请组民大会表决") != 0) return -1;
    bool passed = false;
    if (vote(c, matter, d3, title, 0, &passed) != 0) return -1;
    if (!passed) { snprintf(c->why, sizeof c->why, "the rules vote did not pass"); return -1; }
    rules_text(c->gname, body, sizeof body);
    snprintf(title, sizeof title, "%s组规民约", c->gname);
    int64_t version = 0;
    if (delib_demo_adopt_rule(matter, 0, title, body, "组民大会表决通过", &version, c->why, sizeof c->why) != 0) return -1;
    c->n->rules_adopted++;
    demo_date(d3 + 15 + (int)rng_below(r, 30), on);
    if (delib_demo_implement(matter, on, "组规民约已张贴上墙并发放到户", "已公布施行", c->why, sizeof c->why) != 0) return -1;
    demo_date(d3 + 60 + (int)rng_below(r, 30), on);
    return delib_demo_close(matter, on, "组规民约已公布施行", c->why, sizeof c->why) == 0 ? 0 : -1;
}

/* Counts matters per stage into n->stage. */
static void count_stages(DemoLife *n) {
    static const char *const keys[] = {"consult", "propose", "decide", "implement", "closed"};
    for (int i = 0; i < 5; i++) {
        Stmt *st = db_prep("SELECT count(*) FROM matter WHERE stage = :s");
        db_bind_text(st, ":s", keys[i]);
        n->stage[i] = db_one_int(st, 0);
    }
}

int demo_deliberation(uint64_t seed, int32_t today, int matters, DemoLife *n) {
    Rng r = demo_rng(seed, 4);
    int ngroups = (int)db_one_int(db_prep("SELECT count(*) FROM unit WHERE kind = 'group'"), 0);
    if (ngroups <= 0) return -1;
    int64_t *ids = calloc((size_t)ngroups, sizeof *ids);
    char (*names)[UNIT_NAME_SIZE] = calloc((size_t)ngroups, sizeof *names);
    Stmt *st = db_prep("SELECT id, name FROM unit WHERE kind = 'group' ORDER BY id");
    int k = 0;
    while (ids && names && st && k < ngroups && db_step(st) == SQLITE_ROW) {
        ids[k] = db_col_int(st, 0);
        snprintf(names[k], sizeof names[k], "%s", db_col_text(st, 1));
        k++;
    }
    if (st) sqlite3_reset(st);
    Ctx c = {&r, today, 0, "", n, ""};
    int rc = ids && names && k == ngroups && db_begin() == 0 ? 0 : -1;
    for (int i = 0; rc == 0 && i < ngroups; i++) {
        if (i != 0 && !rng_chance(&r, 0.85)) continue;   /* most groups (and always the first) have rules */
        c.unit = ids[i];
        c.gname = names[i];
        rc = adopt_rules(&c);
    }
    for (int i = 0; rc == 0 && i < matters; i++) {
        int g = i < 7 ? 0 : (int)rng_below(&r, (uint32_t)ngroups);   /* the first group shows every stage */
        c.unit = ids[g];
        c.gname = names[g];
        rc = ordinary(&c, &topics[rng_below(&r, NTOPICS)], end_of(i));
    }
    if (rc != 0) fprintf(stderr, "zuwei demo: deliberation in %s: %s\n", c.gname, c.why);
    if (rc == 0) {
        count_stages(n);
        Actor a = actor_cli();
        json_t *after = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "part", "deliberation",
                                  "matters", (json_int_t)n->matters, "rules_adopted", (json_int_t)n->rules_adopted,
                                  "meetings", (json_int_t)n->meetings, "consult", (json_int_t)n->stage[0], "propose",
                                  (json_int_t)n->stage[1], "decide", (json_int_t)n->stage[2], "implement",
                                  (json_int_t)n->stage[3], "closed", (json_int_t)n->stage[4], "failed_quorum",
                                  (json_int_t)n->votes_failed_quorum, "failed_majority",
                                  (json_int_t)n->votes_failed_majority, "stuck", (json_int_t)n->stuck);
        rc = audit_append(&a, "demo", "matter", 0, 0, NULL, after) == 0 ? 0 : -1;
    }
    if (rc == 0 && db_commit() == 0) {
        free(ids);
        free(names);
        return 0;
    }
    if (db_in_tx()) db_rollback();
    free(ids);
    free(names);
    return -1;
}
