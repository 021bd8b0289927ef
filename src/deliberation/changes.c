/* changes.c — the audited write path (dl_apply) and the demo generator's calls (deliberation.h).
 * Both run the same dl_*_tx functions of store.c, so the rules are checked once, in one place. */
#include "deliberation/delib.h"
#include "platform/db.h"
#include <stdio.h>
#include <string.h>

/* Runs the operation of `call` inside the open transaction. */
static int run(DelibCall *c) {
    DelibErr *e = &c->err;
    switch (c->op) {
    case OP_MEETING_CREATE: {
        int rc = dl_meeting_create_tx(c->meeting, e);
        c->out_id = c->meeting->id;
        return rc;
    }
    case OP_MEETING_UPDATE: return dl_meeting_update_tx(c->meeting, e);
    case OP_ATTENDANCE: return dl_attendance_tx(c->meeting_id, c->attend, c->nattend, e);
    case OP_MATTER_CREATE: {
        int rc = dl_matter_create_tx(c->matter, e);
        c->out_id = c->matter->id;
        return rc;
    }
    case OP_CONSULT: return dl_consult_tx(c->matter_id, c->meeting_id, c->on, c->text, c->opinions, c->by, e);
    case OP_PROPOSE: return dl_propose_tx(c->matter_id, c->meeting_id, c->text, c->by, e);
    case OP_VOTE: {
        int rc = dl_vote_tx(c->matter_id, c->meeting_id, c->vote, c->decision, c->by, e);
        c->out_id = c->vote->id;
        return rc;
    }
    case OP_IMPLEMENT: return dl_implement_tx(c->matter_id, c->on, c->text, c->result, c->by, e);
    case OP_CLOSE: return dl_close_tx(c->matter_id, c->on, c->note, c->by, e);
    case OP_ADOPT_RULE: return dl_adopt_rule_tx(c->matter_id, c->rule_id, c->title, c->body, c->note, &c->out_id, e);
    case OP_PHOTO: return dl_photo_add_tx(c->meeting_id, c->content_type, c->note, c->data, c->len, &c->out_id, e);
    }
    return DELIB_DB;
}

/* change_apply's callback: a refusal (DELIB_REFUSED) and a database error both roll back. */
static int apply_call(void *ctx, int64_t *id) {
    DelibCall *c = ctx;
    int rc = run(c);
    if (rc != DELIB_OK) return rc == DELIB_REFUSED ? DELIB_REFUSED : -1;
    if (c->out_id) *id = c->out_id;
    return 0;
}

/* The audit entry's action, entity and the id it is about. */
static void describe(const DelibCall *c, const char **action, const char **entity, int64_t *id) {
    static const char *const actions[] = {"create", "update", "attendance", "create", "consult", "propose", "vote",
                                          "implement", "close", "adopt_rule", "photo"};
    *action = actions[c->op];
    bool meeting = c->op == OP_MEETING_CREATE || c->op == OP_MEETING_UPDATE || c->op == OP_ATTENDANCE || c->op == OP_PHOTO;
    *entity = meeting ? "meeting" : "matter";
    *id = meeting ? (c->meeting ? c->meeting->id : c->meeting_id) : (c->matter ? c->matter->id : c->matter_id);
}

/* The audit entry's "after": the named fields of the change, never whole texts or photos. */
static json_t *after_json(const DelibCall *c) {
    json_t *o = json_object();
    if (c->meeting_id) json_object_set_new(o, "meeting_id", json_integer(c->meeting_id));
    if (c->rule_id) json_object_set_new(o, "rule_id", json_integer(c->rule_id));
    if (c->on) json_object_set_new(o, "on", json_string(c->on));
    if (c->op == OP_ATTENDANCE) json_object_set_new(o, "listed", json_integer(c->nattend));
    if (c->op == OP_MATTER_CREATE)
        json_object_set_new(o, "title", json_string(c->matter->title));
    if (c->op == OP_MEETING_CREATE)
        json_object_set_new(o, "held_on", json_string(c->meeting->held_on));
    if (c->op == OP_VOTE)
        json_object_set_new(o, "tally", json_pack("{s:i, s:i, s:i, s:i, s:i}", "for", c->vote->votes_for, "against",
                                                  c->vote->votes_against, "abstain", c->vote->abstentions, "void",
                                                  c->vote->void_ballots, "secret", c->vote->secret));
    return o;
}

int dl_apply(const Actor *a, int64_t unit_id, DelibCall *call) {
    const char *action, *entity;
    int64_t id;
    describe(call, &action, &entity, &id);
    Change ch = {action, entity, id, unit_id, NULL, after_json(call), apply_call, call};
    int rc = change_apply(a, &ch);
    if (rc == 0) {
        if (call->op == OP_VOTE) {
            /* The verdict is known only after the callback: record it in a second entry so the
             * audit log shows a failed vote as failed. */
            return audit_event(a, call->vote->passed ? "vote_passed" : "vote_failed", "matter", call->matter_id, unit_id,
                               json_pack("{s:I, s:s}", "vote_id", (json_int_t)call->vote->id, "reason", call->vote->reason)) == 0
                       ? DELIB_OK : DELIB_DB;
        }
        return DELIB_OK;
    }
    return rc == DELIB_REFUSED ? DELIB_REFUSED : DELIB_DB;
}

/* ---------------------------------------------------------------------------------------------
 * Calls for the demo generator (inside its transaction; no audit entry of their own) */

/* Copies a refusal into the caller's buffer. */
static int demo_result(int rc, const DelibErr *e, char *why, size_t whysz) {
    if (why && whysz) snprintf(why, whysz, "%s", rc == DELIB_OK ? "" : rc == DELIB_REFUSED ? e->msg : db_errmsg());
    return rc;
}

int delib_demo_meeting(int64_t unit_id, const char *body, const char *basis, const char *held_on, const char *place,
                       const char *convener, const char *agenda, const char *minutes, const int64_t *person_ids, int n,
                       bool vote_follows, int64_t *id, char *why, size_t whysz) {
    DelibErr e = {0};
    Meeting *m = xmalloc(sizeof *m);
    memset(m, 0, sizeof *m);
    Attend *a = xmalloc(sizeof *a * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++) a[i] = (Attend){person_ids[i], true, NULL};
    int b = body_parse(body);
    int rc = DELIB_REFUSED;
    snprintf(e.msg, sizeof e.msg, "未知的会议类型");
    if (b >= 0) {
        m->unit_id = unit_id;
        m->body = (MeetingBody)b;
        str_copy(m->basis, sizeof m->basis, basis ? basis : "adults");
        str_copy(m->held_on, sizeof m->held_on, held_on);
        str_copy(m->place, sizeof m->place, place ? place : "");
        str_copy(m->convener, sizeof m->convener, convener ? convener : "");
        str_copy(m->agenda, sizeof m->agenda, agenda ? agenda : "");
        str_copy(m->minutes, sizeof m->minutes, minutes ? minutes : "");
        rc = dl_meeting_held_tx(m, a, n, vote_follows, &e);
        *id = m->id;
    }
    free(a);
    free(m);
    return demo_result(rc, &e, why, whysz);
}

int delib_demo_matter(int64_t unit_id, const char *title, const char *description, const char *category,
                      const char *raised_by, bool major, const char *raised_on, int64_t *id, char *why, size_t whysz) {
    DelibErr e = {0};
    Matter *m = xmalloc(sizeof *m);
    memset(m, 0, sizeof *m);
    m->unit_id = unit_id;
    str_copy(m->title, sizeof m->title, title);
    str_copy(m->description, sizeof m->description, description ? description : "");
    str_copy(m->category, sizeof m->category, category);
    str_copy(m->raised_by, sizeof m->raised_by, raised_by);
    str_copy(m->raised_on, sizeof m->raised_on, raised_on);
    m->major = major;
    int rc = dl_matter_create_tx(m, &e);
    *id = m->id;
    free(m);
    return demo_result(rc, &e, why, whysz);
}

int delib_demo_consult(int64_t matter_id, int64_t meeting_id, const char *on_date, const char *text, int opinions,
                       char *why, size_t whysz) {
    DelibErr e = {0};
    return demo_result(dl_consult_tx(matter_id, meeting_id, on_date, text, opinions, 0, &e), &e, why, whysz);
}

int delib_demo_propose(int64_t matter_id, int64_t meeting_id, const char *proposal, char *why, size_t whysz) {
    DelibErr e = {0};
    return demo_result(dl_propose_tx(matter_id, meeting_id, proposal, 0, &e), &e, why, whysz);
}

int delib_demo_vote(int64_t matter_id, int64_t meeting_id, int votes_for, int votes_against, int abstentions,
                    bool secret, const char *decision, bool *passed, char *why, size_t whysz) {
    DelibErr e = {0};
    VoteRec v = {0};
    v.votes_for = votes_for;
    v.votes_against = votes_against;
    v.abstentions = abstentions;
    v.secret = secret;
    int rc = dl_vote_tx(matter_id, meeting_id, &v, decision, 0, &e);
    *passed = rc == DELIB_OK && v.passed;
    return demo_result(rc, &e, why, whysz);
}

int delib_demo_implement(int64_t matter_id, const char *on_date, const char *text, const char *result, char *why,
                         size_t whysz) {
    DelibErr e = {0};
    return demo_result(dl_implement_tx(matter_id, on_date, text, result, 0, &e), &e, why, whysz);
}

int delib_demo_close(int64_t matter_id, const char *on_date, const char *note, char *why, size_t whysz) {
    DelibErr e = {0};
    return demo_result(dl_close_tx(matter_id, on_date, note, 0, &e), &e, why, whysz);
}

int delib_demo_adopt_rule(int64_t matter_id, int64_t rule_id, const char *title, const char *body, const char *note,
                          int64_t *version_id, char *why, size_t whysz) {
    DelibErr e = {0};
    return demo_result(dl_adopt_rule_tx(matter_id, rule_id, title, body, note, version_id, &e), &e, why, whysz);
}
