/* members.c — changes to a sitting committee between elections: a member leaves (辞职, 调配,
 * 罢免, 去世), a member joins by by-election (补选) or assignment (调配), a size warning is
 * acknowledged; and the attention flag (需关注) that follows every change. Each change is one
 * audited transaction. */
#include "committees/store.h"
#include "people/people.h"
#include "platform/date.h"
#include "platform/db.h"
#include <stdio.h>
#include <string.h>

static int invalid(char *why, size_t whysz, const char *msg) {
    if (why) snprintf(why, whysz, "%s", msg);
    return FORMATION_INVALID;
}

/* Sets committee.attention from its active members: 1 when the size is outside the policy or it
 * has no chair. Returns 0 or an SQLite error. */
int committee_refresh_attention(int64_t committee_id) {
    Stmt *st = db_prep("SELECT count(*), coalesce(sum(post = 'chair'), 0) FROM committee_member WHERE committee_id = :c AND end_date IS NULL");
    if (!st) return -1;
    db_bind_int(st, ":c", committee_id);
    int n = 0, chairs = 0;
    if (db_step(st) == SQLITE_ROW) {
        n = (int)db_col_int(st, 0);
        chairs = (int)db_col_int(st, 1);
    }
    sqlite3_reset(st);
    CommitteePolicy p = committee_policy();
    bool attention = committee_check_size(&p, n) != COMMITTEE_OK || chairs != 1;
    st = db_prep("UPDATE committee SET attention = :a WHERE id = :c");
    if (!st) return -1;
    db_bind_int(st, ":a", attention);
    db_bind_int(st, ":c", committee_id);
    return db_exec(st);
}

/* ---------------------------------------------------------------------------------------------
 * Ending a member's post */

typedef struct EndCtx { const Committee *c; int64_t mid; const char *date, *reason, *note; } EndCtx;

static int apply_end(void *ctx, int64_t *id) {
    EndCtx *e = ctx;
    Stmt *st = db_prep("UPDATE committee_member SET end_date = :d, end_reason = :r, end_note = :n"
                       " WHERE id = :id AND committee_id = :c AND end_date IS NULL AND start_date <= :d");
    if (!st) return FORMATION_DB;
    db_bind_text(st, ":d", e->date);
    db_bind_text(st, ":r", e->reason);
    db_bind_text(st, ":n", e->note ? e->note : "");
    db_bind_int(st, ":id", e->mid);
    db_bind_int(st, ":c", e->c->id);
    if (db_exec(st) != 0) return FORMATION_DB;
    if (db_changes() != 1) return FORMATION_INVALID;
    *id = e->c->id;
    return committee_refresh_attention(e->c->id) == 0 ? 0 : FORMATION_DB;
}

int member_end(const Actor *a, const Committee *c, int64_t member_id, const char *date, const char *reason,
               const char *note, char *why, size_t whysz) {
    int32_t d;
    if (c->ended_on[0]) return invalid(why, whysz, "这届组委会已经结束");
    if (!date || date_parse(date, &d) != 0 || d > date_today()) return invalid(why, whysz, "请填写不晚于今天的离任日期");
    bool known = false;
    for (const Choice *ch = member_end_choices; ch->value; ch++) known |= strcmp(ch->value, reason ? reason : "") == 0;
    if (!known) return invalid(why, whysz, "请选择离任原因");
    if (note && utf8_chars(note) > 200) return invalid(why, whysz, "说明不能超过 200 个字");
    EndCtx ctx = {c, member_id, date, reason, note};
    Change ch = {"end", "committee_member", member_id, c->unit_id, NULL,
                 json_pack("{s:I, s:s, s:s, s:s}", "committee_id", (json_int_t)c->id, "end_date", date, "end_reason", reason,
                           "end_note", note ? note : ""),
                 apply_end, &ctx};
    int rc = change_apply(a, &ch);
    if (rc == FORMATION_INVALID) return invalid(why, whysz, "这位成员不在任，或离任日期早于任职日期");
    return rc == 0 ? 0 : rc == CHANGE_DB_ERROR ? FORMATION_DB : rc;
}

/* ---------------------------------------------------------------------------------------------
 * A member joining between elections */

typedef struct AddCtx { const Committee *c; const MemberIn *in; } AddCtx;

static int apply_add(void *ctx, int64_t *id) {
    AddCtx *x = ctx;
    const MemberIn *in = x->in;
    if (in->replaces) {
        Stmt *st = db_prep("UPDATE committee_member SET end_date = :d, end_reason = 'replaced', end_note = :n"
                           " WHERE id = :id AND committee_id = :c AND end_date IS NULL");
        db_bind_text(st, ":d", in->start_date);
        db_bind_text(st, ":n", in->note);
        db_bind_int(st, ":id", in->replaces);
        db_bind_int(st, ":c", x->c->id);
        if (db_exec(st) != 0) return FORMATION_DB;
        if (db_changes() != 1) return FORMATION_INVALID;
    }
    Stmt *st = db_prep("INSERT INTO committee_member (committee_id, person_id, post, post_name, start_date, cadre_reason,"
                       " outside_reason, joined_how, join_note) VALUES (:c, :p, :post, :pn, :s, :cr, :or, :how, :note)");
    if (!st) return FORMATION_DB;
    db_bind_int(st, ":c", x->c->id);
    db_bind_int(st, ":p", in->person_id);
    db_bind_text(st, ":post", in->post);
    db_bind_text(st, ":pn", strcmp(in->post, "custom") == 0 && in->post_name ? in->post_name : "");
    db_bind_text(st, ":s", in->start_date);
    db_bind_text(st, ":cr", in->cadre_reason ? in->cadre_reason : "");
    db_bind_text(st, ":or", in->outside_reason ? in->outside_reason : "");
    db_bind_text(st, ":how", in->how);
    db_bind_text(st, ":note", in->note);
    if (db_exec(st) != 0) return FORMATION_INVALID;   /* the one-seat index: already on a committee */
    *id = db_last_id();
    return committee_refresh_attention(x->c->id) == 0 ? 0 : FORMATION_DB;
}

static PersonStatus status_rule(const char *s) {
    if (strcmp(s, "moved") == 0) return PERSON_MOVED;
    if (strcmp(s, "migrant") == 0) return PERSON_MIGRANT;
    if (strcmp(s, "deceased") == 0) return PERSON_DECEASED;
    return PERSON_LIVING;
}

/* Checks the committee as it would be after the change (members staying plus the newcomer)
 * against the rules. A missing chair or a size outside the policy only raise the attention flag
 * here: a by-election fills one seat at a time. Returns a rules.h code (0 = fine). */
static int check_newcomer(const Committee *c, const MemberIn *in, int *bad_is_newcomer) {
    Member cur[MEMBERS_MAX];
    int n = committee_members(c->id, true, cur, MEMBERS_MAX);
    if (n < 0) return COMMITTEE_ERR_POLICY;
    CommitteeMember m[MEMBERS_MAX + 1];
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (cur[i].id == in->replaces) continue;
        m[k++] = (CommitteeMember){cur[i].person_id, 0, false, PERSON_LIVING, c->unit_id, committee_post_rule(cur[i].post), NULL};
    }
    Person p;
    if (!person_load(in->person_id, &p)) return COMMITTEE_ERR_WRONG_GROUP;
    int32_t start = 0;
    date_parse(in->start_date, &start);
    CommitteeMember nm = {p.id, p.birth, (p.flags & PF_CADRE) != 0, status_rule(p.status),
                          p.unit_id == c->unit_id || !text_is_blank(in->outside_reason) ? c->unit_id : p.unit_id,
                          committee_post_rule(in->post), in->cadre_reason};
    m[k++] = nm;
    *bad_is_newcomer = 1;
    CommitteePolicy pol = committee_policy();
    int rc = committee_check_member(&pol, &nm, c->unit_id, start);
    if (rc != COMMITTEE_OK) return rc;
    /* Current memberships of the newcomer on other committees. */
    Stmt *st = db_prep("SELECT committee_id FROM committee_member WHERE person_id = :p AND end_date IS NULL");
    db_bind_int(st, ":p", p.id);
    int64_t other = db_one_int(st, 0);
    Membership cm = {p.id, other};
    rc = committee_check_overlap(m, k, other ? &cm : NULL, other ? 1 : 0, c->id, NULL);
    if (rc != COMMITTEE_OK) return rc;
    rc = committee_check_chair(m, k);
    *bad_is_newcomer = 0;
    return rc == COMMITTEE_ERR_MANY_CHAIRS ? rc : COMMITTEE_OK;
}

int member_add(const Actor *a, const Committee *c, const MemberIn *in, int *code, char *why, size_t whysz) {
    *code = 0;
    int32_t d;
    if (c->ended_on[0]) return invalid(why, whysz, "这届组委会已经结束");
    if (!in->start_date || date_parse(in->start_date, &d) != 0 || d > date_today())
        return invalid(why, whysz, "请填写不晚于今天的任职日期");
    if (strcmp(in->start_date, c->term_start) < 0) return invalid(why, whysz, "任职日期不能早于本届任期开始");
    bool post_ok = false;
    for (const Choice *ch = committee_post_choices; ch->value; ch++) post_ok |= strcmp(ch->value, in->post ? in->post : "") == 0;
    if (!post_ok) return invalid(why, whysz, "请选择候选人的职务");
    if (strcmp(in->post, "custom") == 0 && text_is_blank(in->post_name)) return invalid(why, whysz, "其他职务须填写职务名称");
    if (!in->how || (strcmp(in->how, "by_election") != 0 && strcmp(in->how, "assigned") != 0))
        return invalid(why, whysz, "请选择补选或调配");
    if (text_is_blank(in->note)) return invalid(why, whysz, "请填写补选或调配的理由");
    Person p;
    if (!person_load(in->person_id, &p)) return invalid(why, whysz, "找不到这个人，请从本组组民中选择");
    if (p.unit_id != c->unit_id && text_is_blank(in->outside_reason))
        return invalid(why, whysz, "候选人须为本组组民；确需由外组人员担任的，请填写理由");
    int newcomer;
    int rc = check_newcomer(c, in, &newcomer);
    if (rc != COMMITTEE_OK) {
        *code = rc;
        return invalid(why, whysz, committee_rule_zh(rc));
    }
    AddCtx ctx = {c, in};
    Change ch = {"add_member", "committee", c->id, c->unit_id, NULL,
                 json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "person_id", (json_int_t)in->person_id, "post", in->post,
                           "start_date", in->start_date, "how", in->how, "note", in->note, "replaces", (json_int_t)in->replaces),
                 apply_add, &ctx};
    rc = change_apply(a, &ch);
    if (rc == FORMATION_INVALID) {
        *code = COMMITTEE_ERR_OTHER_COMMITTEE;
        return invalid(why, whysz, committee_rule_zh(COMMITTEE_ERR_OTHER_COMMITTEE));
    }
    return rc == 0 ? 0 : FORMATION_DB;
}

/* ---------------------------------------------------------------------------------------------
 * Acknowledging a size warning */

typedef struct AckCtx { int64_t id; const char *note; } AckCtx;

static int apply_ack(void *ctx, int64_t *id) {
    AckCtx *k = ctx;
    Stmt *st = db_prep("UPDATE committee SET size_note = :n WHERE id = :id AND ended_on IS NULL");
    if (!st) return FORMATION_DB;
    db_bind_text(st, ":n", k->note);
    db_bind_int(st, ":id", k->id);
    if (db_exec(st) != 0) return FORMATION_DB;
    *id = k->id;
    return db_changes() == 1 ? 0 : FORMATION_INVALID;
}

int committee_ack(const Actor *a, const Committee *c, const char *note) {
    if (text_is_blank(note) || utf8_chars(note) > 200) return FORMATION_INVALID;
    AckCtx ctx = {c->id, note};
    Change ch = {"acknowledge", "committee", c->id, c->unit_id, json_pack("{s:s}", "size_note", c->size_note),
                 json_pack("{s:s}", "size_note", note), apply_ack, &ctx};
    int rc = change_apply(a, &ch);
    return rc == 0 ? 0 : rc == CHANGE_DB_ERROR ? FORMATION_DB : rc;
}
