/* formation.c — recording a formation meeting (组委会选举/推选) and confirming its result: the
 * draft, its candidates and proxies, and the one audited transaction that turns a valid result
 * into a committee and ends the group's previous one (see committees.h and store.h). */
#include "committees/store.h"
#include "people/people.h"
#include "people/store.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/i18n.h"
#include <stdio.h>
#include <string.h>

static int invalid(char *why, size_t whysz, const char *msg) {
    snprintf(why, whysz, "%s", msg);
    return FORMATION_INVALID;
}

static bool one_of(const Choice *c, const char *v) {
    for (; v && c->value; c++)
        if (strcmp(c->value, v) == 0) return true;
    return false;
}

/* True when unit `id` is an active village group. */
static bool active_group(int64_t id) {
    Stmt *st = db_prep("SELECT count(*) FROM unit WHERE id = :id AND kind = 'group' AND end_date IS NULL");
    if (!st) return false;
    db_bind_int(st, ":id", id);
    return db_one_int(st, 0) == 1;
}

/* True when person `id` belongs to group `unit_id` (any status). */
static bool person_of_group(int64_t id, int64_t unit_id) {
    Stmt *st = db_prep("SELECT count(*) FROM person WHERE id = :id AND unit_id = :u");
    if (!st) return false;
    db_bind_int(st, ":id", id);
    db_bind_int(st, ":u", unit_id);
    return db_one_int(st, 0) == 1;
}

static bool person_exists(int64_t id) {
    Stmt *st = db_prep("SELECT count(*) FROM person WHERE id = :id");
    if (!st) return false;
    db_bind_int(st, ":id", id);
    return db_one_int(st, 0) == 1;
}

/* Checks one candidate's post and person against group `unit_id`. Returns 0 or FORMATION_INVALID. */
static int check_cand(int64_t unit_id, int64_t person_id, const char *post, const char *post_name, const char *outside,
                      char *why, size_t whysz) {
    if (!one_of(committee_post_choices, post)) return invalid(why, whysz, "请选择候选人的职务");
    if (strcmp(post, "custom") == 0 && text_is_blank(post_name)) return invalid(why, whysz, "其他职务须填写职务名称");
    if (post_name && utf8_chars(post_name) > 20) return invalid(why, whysz, "职务名称不能超过 20 个字");
    if (!person_exists(person_id)) return invalid(why, whysz, "找不到这个人，请从本组组民中选择");
    if (!person_of_group(person_id, unit_id) && text_is_blank(outside))
        return invalid(why, whysz, "候选人须为本组组民；确需由外组人员担任的，请填写理由");
    return 0;
}

/* Checks the facts of a formation. Returns 0 or FORMATION_INVALID. */
static int check_input(const FormationInput *in, int32_t *day, char *why, size_t whysz) {
    if (!active_group(in->unit_id)) return invalid(why, whysz, "组委会只能在现有的村民组中组建");
    if (!in->held_on || date_parse(in->held_on, day) != 0) return invalid(why, whysz, "日期格式应为 2026-03-07");
    if (*day > date_today()) return invalid(why, whysz, "会议日期不能晚于今天");
    if (!one_of(formation_body_choices, in->body)) return invalid(why, whysz, "请选择会议形式");
    if (!one_of(formation_method_choices, in->method)) return invalid(why, whysz, "请选择产生方式");
    if (in->seats < 1 || in->seats > 9) return invalid(why, whysz, "应选名额应在 1 到 9 之间");
    if (in->present < 0 || in->issued < 0 || in->returned < 0 || in->void_ballots < 0 || in->runoff_issued < 0 ||
        in->runoff_returned < 0 || in->runoff_void < 0)
        return invalid(why, whysz, "人数和票数不能为负数");
    if ((in->place && utf8_chars(in->place) > 60) || (in->convened_by && utf8_chars(in->convened_by) > 100))
        return invalid(why, whysz, "会议地点或召集单位太长");
    for (int i = 0; i < in->ncands; i++) {
        const FormationCandidateIn *c = &in->cands[i];
        int rc = check_cand(in->unit_id, c->person_id, c->post, c->post_name, c->outside_reason, why, whysz);
        if (rc) return rc;
        if (c->votes < 0) return invalid(why, whysz, "候选人得票不能为负数");
        for (int j = 0; j < i; j++)
            if (in->cands[j].person_id == c->person_id) return invalid(why, whysz, "同一人不能重复列为候选人");
    }
    for (int i = 0; i < in->nproxies; i++) {
        const FormationProxyIn *x = &in->proxies[i];
        if (!person_of_group(x->voter_id, in->unit_id) || !person_of_group(x->proxy_id, in->unit_id))
            return invalid(why, whysz, "委托人和受托人须为本组组民");
        if (x->voter_id == x->proxy_id) return invalid(why, whysz, "委托人和受托人不能是同一人");
        if (text_is_blank(x->relation) || utf8_chars(x->relation) > 10) return invalid(why, whysz, "请填写与委托人的关系（近亲属）");
    }
    return 0;
}

/* The number of eligible voters of a formation, from the group's roll on its day: household
 * representatives (户代表选举) or villagers aged 18+ (直接推选). Returns -1 on error. */
static int eligible_on(int64_t unit_id, int32_t day, const char *method) {
    int adults, reps;
    if (group_eligible_counts(unit_id, day, &adults, &reps) != 0) return -1;
    return strcmp(method, "household_reps") == 0 ? reps : adults;
}

static json_t *facts_json(const FormationInput *in, int eligible) {
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "held_on", in->held_on,
                     "place", in->place ? in->place : "", "body", in->body, "method", in->method, "seats", in->seats,
                     "eligible", eligible, "present", in->present, "ballots_issued", in->issued, "ballots_returned",
                     in->returned, "ballots_void", in->void_ballots, "runoff_issued", in->runoff_issued,
                     "runoff_returned", in->runoff_returned, "runoff_void", in->runoff_void);
}

/* Inserts a candidate row. Returns 0 or an SQLite error. */
static int insert_cand(int64_t fid, const FormationCandidateIn *c) {
    Stmt *st = db_prep("INSERT INTO formation_candidate (formation_id, person_id, post, post_name, votes, runoff_votes,"
                       " cadre_reason, outside_reason) VALUES (:f, :p, :post, :pn, :v, :rv, :cr, :or)");
    if (!st) return -1;
    db_bind_int(st, ":f", fid);
    db_bind_int(st, ":p", c->person_id);
    db_bind_text(st, ":post", c->post);
    db_bind_text(st, ":pn", strcmp(c->post, "custom") == 0 && c->post_name ? c->post_name : "");
    db_bind_int(st, ":v", c->votes);
    if (c->runoff_votes >= 0) db_bind_int(st, ":rv", c->runoff_votes);
    else db_bind_null(st, ":rv");
    db_bind_text(st, ":cr", c->cadre_reason ? c->cadre_reason : "");
    db_bind_text(st, ":or", c->outside_reason ? c->outside_reason : "");
    return db_exec(st);
}

static int insert_proxy(int64_t fid, const FormationProxyIn *x) {
    Stmt *st = db_prep("INSERT INTO formation_proxy (formation_id, voter_id, proxy_id, relation) VALUES (:f, :v, :p, :r)");
    if (!st) return -1;
    db_bind_int(st, ":f", fid);
    db_bind_int(st, ":v", x->voter_id);
    db_bind_int(st, ":p", x->proxy_id);
    db_bind_text(st, ":r", x->relation);
    return db_exec(st);
}

/* Writes the formation row and (when asked) its lists inside the open transaction. */
static int save_tx(const Actor *a, int64_t *id, const FormationInput *in, bool replace_lists, int eligible) {
    bool create = *id == 0;
    Stmt *st = create
        ? db_prep("INSERT INTO formation (unit_id, held_on, place, body, method, convened_by, seats, eligible, present,"
                  " ballots_issued, ballots_returned, ballots_void, runoff_issued, runoff_returned, runoff_void, round, size_note, created_by)"
                  " VALUES (:u, :d, :place, :body, :method, :conv, :seats, :el, :pr, :is, :ret, :void, :ris, :rret, :rvoid,"
                  " :round, :sn, :by)")
        : db_prep("UPDATE formation SET held_on = :d, place = :place, body = :body, method = :method, convened_by = :conv,"
                  " seats = :seats, eligible = :el, present = :pr, ballots_issued = :is, ballots_returned = :ret,"
                  " ballots_void = :void, runoff_issued = :ris, runoff_returned = :rret, runoff_void = :rvoid, round = :round,"
                  " size_note = :sn WHERE id = :id AND unit_id = :u AND status = 'draft'");
    if (!st) return FORMATION_DB;
    db_bind_int(st, ":u", in->unit_id);
    if (create) db_bind_int(st, ":by", a->user_id);
    else db_bind_int(st, ":id", *id);
    db_bind_text(st, ":d", in->held_on);
    db_bind_text(st, ":place", in->place ? in->place : "");
    db_bind_text(st, ":body", in->body);
    db_bind_text(st, ":method", in->method);
    db_bind_text(st, ":conv", in->convened_by ? in->convened_by : "");
    db_bind_int(st, ":seats", in->seats);
    db_bind_int(st, ":el", eligible);
    db_bind_int(st, ":pr", in->present);
    db_bind_int(st, ":is", in->issued);
    db_bind_int(st, ":ret", in->returned);
    db_bind_int(st, ":void", in->void_ballots);
    db_bind_int(st, ":ris", in->runoff_issued);
    db_bind_int(st, ":rret", in->runoff_returned);
    db_bind_int(st, ":rvoid", in->runoff_void);
    db_bind_int(st, ":round", in->runoff_returned > 0 ? 2 : 1);
    db_bind_text(st, ":sn", in->size_note ? in->size_note : "");
    if (db_exec(st) != 0) return FORMATION_DB;
    if (create) *id = db_last_id();
    else if (db_changes() != 1) return FORMATION_INVALID;
    if (!replace_lists) return 0;
    st = db_prep("DELETE FROM formation_candidate WHERE formation_id = :f");
    db_bind_int(st, ":f", *id);
    if (db_exec(st) != 0) return FORMATION_DB;
    st = db_prep("DELETE FROM formation_proxy WHERE formation_id = :f");
    db_bind_int(st, ":f", *id);
    if (db_exec(st) != 0) return FORMATION_DB;
    for (int i = 0; i < in->ncands; i++)
        if (insert_cand(*id, &in->cands[i]) != 0) return FORMATION_DB;
    for (int i = 0; i < in->nproxies; i++)
        if (insert_proxy(*id, &in->proxies[i]) != 0) return FORMATION_DB;
    return 0;
}

/* Checks, writes and audits a formation draft inside the open transaction. */
static int formation_save_tx(const Actor *a, int64_t *id, const FormationInput *in, bool replace_lists, char *why,
                             size_t whysz) {
    int32_t day;
    int rc = check_input(in, &day, why, whysz);
    if (rc) return rc;
    int eligible = eligible_on(in->unit_id, day, in->method);
    if (eligible < 0) return FORMATION_DB;
    bool create = *id == 0;
    rc = save_tx(a, id, in, replace_lists, eligible);
    if (rc == FORMATION_INVALID) return invalid(why, whysz, "只有草稿状态的选举记录可以修改");
    if (rc) return rc;
    json_t *after = facts_json(in, eligible);
    if (replace_lists) json_object_set_new(after, "candidates", json_integer(in->ncands));
    return audit_append(a, create ? "create" : "update", "formation", *id, in->unit_id, NULL, after) == 0 ? 0 : FORMATION_DB;
}

int formation_save(const Actor *a, int64_t *id, const FormationInput *in, bool replace_lists, char *why, size_t whysz) {
    if (db_begin() != 0) return FORMATION_DB;
    int rc = formation_save_tx(a, id, in, replace_lists, why, whysz);
    if (rc == 0 && db_commit() == 0) return 0;
    db_rollback();
    return rc ? rc : FORMATION_DB;
}

/* ---------------------------------------------------------------------------------------------
 * Candidates and proxies of a draft, one audited change each */

typedef struct ListCtx {
    const Formation *f;
    FormationCandidateIn cand;
    FormationProxyIn proxy;
    int64_t row;
    bool remove, is_proxy;
} ListCtx;

static int apply_list(void *ctx, int64_t *id) {
    ListCtx *c = ctx;
    Stmt *st;
    if (c->remove) {
        st = c->is_proxy ? db_prep("DELETE FROM formation_proxy WHERE id = :id AND formation_id = :f")
                         : db_prep("DELETE FROM formation_candidate WHERE id = :id AND formation_id = :f");
        db_bind_int(st, ":id", c->row);
        db_bind_int(st, ":f", c->f->id);
        if (db_exec(st) != 0) return FORMATION_DB;
        if (db_changes() != 1) return FORMATION_INVALID;
    } else if (c->is_proxy) {
        if (insert_proxy(c->f->id, &c->proxy) != 0) return FORMATION_INVALID;
    } else if (insert_cand(c->f->id, &c->cand) != 0) {
        return FORMATION_INVALID;   /* the unique (formation, person) pair: already a candidate */
    }
    *id = c->f->id;
    return 0;
}

static int list_change(const Actor *a, ListCtx *ctx, const char *action, json_t *after) {
    if (strcmp(ctx->f->status, "draft") != 0) { json_decref(after); return FORMATION_INVALID; }
    Change ch = {action, "formation", ctx->f->id, ctx->f->unit_id, NULL, after, apply_list, ctx};
    int rc = change_apply(a, &ch);
    return rc == CHANGE_DB_ERROR ? FORMATION_DB : rc;
}

int formation_cand_add(const Actor *a, const Formation *f, int64_t person_id, const char *post, const char *post_name,
                       char *why, size_t whysz) {
    if (strcmp(f->status, "draft") != 0) return invalid(why, whysz, "只有草稿状态的选举记录可以修改");
    int rc = check_cand(f->unit_id, person_id, post, post_name, NULL, why, whysz);
    if (rc) return rc;
    ListCtx ctx = {.f = f, .cand = {person_id, post, post_name, 0, -1, "", ""}};
    rc = list_change(a, &ctx, "add_candidate", json_pack("{s:I, s:s}", "person_id", (json_int_t)person_id, "post", post));
    if (rc == FORMATION_INVALID) return invalid(why, whysz, "这个人已经是候选人");
    return rc;
}

int formation_cand_remove(const Actor *a, const Formation *f, int64_t cand_id) {
    ListCtx ctx = {.f = f, .row = cand_id, .remove = true};
    return list_change(a, &ctx, "remove_candidate", json_pack("{s:I}", "candidate_id", (json_int_t)cand_id));
}

int formation_proxy_add(const Actor *a, const Formation *f, int64_t voter, int64_t proxy, const char *relation, char *why,
                        size_t whysz) {
    if (strcmp(f->status, "draft") != 0) return invalid(why, whysz, "只有草稿状态的选举记录可以修改");
    if (!person_of_group(voter, f->unit_id) || !person_of_group(proxy, f->unit_id))
        return invalid(why, whysz, "委托人和受托人须为本组组民");
    if (voter == proxy) return invalid(why, whysz, "委托人和受托人不能是同一人");
    if (text_is_blank(relation) || utf8_chars(relation) > 10) return invalid(why, whysz, "请填写与委托人的关系（近亲属）");
    ListCtx ctx = {.f = f, .proxy = {voter, proxy, relation}, .is_proxy = true};
    int rc = list_change(a, &ctx, "add_proxy", json_pack("{s:I, s:I, s:s}", "voter_id", (json_int_t)voter, "proxy_id",
                                                         (json_int_t)proxy, "relation", relation));
    if (rc == FORMATION_INVALID) return invalid(why, whysz, "这位组民已经委托过了");
    return rc;
}

int formation_proxy_remove(const Actor *a, const Formation *f, int64_t proxy_row) {
    ListCtx ctx = {.f = f, .row = proxy_row, .remove = true, .is_proxy = true};
    return list_change(a, &ctx, "remove_proxy", json_pack("{s:I}", "proxy_row", (json_int_t)proxy_row));
}

/* ---------------------------------------------------------------------------------------------
 * Confirmation */

/* Ends the group's active committee and its members on `day` (换届: term_end). */
static int end_previous_tx(const Actor *a, int64_t unit_id, const char *day) {
    int64_t old = committee_active_id(unit_id);
    if (!old) return 0;
    Stmt *st = db_prep("UPDATE committee_member SET end_date = :d, end_reason = 'term_end' WHERE committee_id = :c AND end_date IS NULL");
    db_bind_text(st, ":d", day);
    db_bind_int(st, ":c", old);
    if (db_exec(st) != 0) return FORMATION_DB;
    st = db_prep("UPDATE committee SET ended_on = :d, end_reason = 'term_end' WHERE id = :c");
    db_bind_text(st, ":d", day);
    db_bind_int(st, ":c", old);
    if (db_exec(st) != 0) return FORMATION_DB;
    return audit_append(a, "end", "committee", old, unit_id, NULL, json_pack("{s:s, s:s}", "ended_on", day, "end_reason", "term_end"))
        ? FORMATION_DB : 0;
}

/* The planned end of a term starting on `start` (committee.term_years, default 5). */
static void term_end_of(const char *start, char out[11]) {
    int32_t d = 0;
    date_parse(start, &d);
    int y, m, dd;
    civil_from_days(d, &y, &m, &dd);
    y += committee_setting_int("committee.term_years", 5);
    int last = date_days_in_month(y, m);
    date_format(days_from_civil(y, m, dd > last ? last : dd), out, 11);
}

int formation_confirm_tx(const Actor *a, const Formation *f, const char *size_note, int64_t *committee_id, Verdict *v) {
    FCand c[CANDS_MAX];
    int n = formation_cands(f->id, c, CANDS_MAX);
    if (n < 0) return FORMATION_DB;
    formation_evaluate(f, c, n, size_note, v);
    if (strcmp(f->status, "draft") != 0 || !v->confirmable) return FORMATION_REFUSED;
    if (end_previous_tx(a, f->unit_id, f->held_on) != 0) return FORMATION_DB;
    char term_end[11];
    term_end_of(f->held_on, term_end);
    Stmt *st = db_prep("INSERT INTO committee (unit_id, term_start, term_end, formation_id, size_note, attention)"
                       " VALUES (:u, :s, :e, :f, :sn, 0)");
    db_bind_int(st, ":u", f->unit_id);
    db_bind_text(st, ":s", f->held_on);
    db_bind_text(st, ":e", term_end);
    db_bind_int(st, ":f", f->id);
    db_bind_text(st, ":sn", v->size_warning && size_note ? size_note : "");
    if (db_exec(st) != 0) return FORMATION_DB;
    *committee_id = db_last_id();
    json_t *members = json_array();
    for (int i = 0; i < v->nwinners; i++) {
        const FCand *w = &c[v->winners[i]];
        st = db_prep("INSERT INTO committee_member (committee_id, person_id, post, post_name, start_date, cadre_reason,"
                     " outside_reason, formation_id, joined_how) VALUES (:c, :p, :post, :pn, :s, :cr, :or, :f, 'elected')");
        db_bind_int(st, ":c", *committee_id);
        db_bind_int(st, ":p", w->person_id);
        db_bind_text(st, ":post", w->post);
        db_bind_text(st, ":pn", w->post_name);
        db_bind_text(st, ":s", f->held_on);
        db_bind_text(st, ":cr", w->cadre_reason);
        db_bind_text(st, ":or", w->outside_reason);
        db_bind_int(st, ":f", f->id);
        if (db_exec(st) != 0) { json_decref(members); return FORMATION_DB; }
        st = db_prep("UPDATE formation_candidate SET elected = 1 WHERE id = :id");
        db_bind_int(st, ":id", w->id);
        if (db_exec(st) != 0) { json_decref(members); return FORMATION_DB; }
        json_array_append_new(members, json_pack("{s:I, s:s}", "person_id", (json_int_t)w->person_id, "post", w->post));
    }
    st = db_prep("UPDATE formation SET status = 'confirmed', committee_id = :c, size_note = :sn, result_note = :rn,"
                 " confirmed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = :id AND status = 'draft'");
    db_bind_int(st, ":c", *committee_id);
    db_bind_text(st, ":sn", size_note ? size_note : "");
    db_bind_text(st, ":rn", v->size_warning ? "elected_size_ack" : "elected");
    db_bind_int(st, ":id", f->id);
    if (db_exec(st) != 0 || db_changes() != 1) { json_decref(members); return FORMATION_DB; }
    if (committee_refresh_attention(*committee_id) != 0) { json_decref(members); return FORMATION_DB; }
    if (audit_append(a, "confirm", "formation", f->id, f->unit_id, json_pack("{s:s}", "status", "draft"),
                     json_pack("{s:s, s:I}", "status", "confirmed", "committee_id", (json_int_t)*committee_id)) != 0) {
        json_decref(members);
        return FORMATION_DB;
    }
    return audit_append(a, "create", "committee", *committee_id, f->unit_id, NULL,
                        json_pack("{s:s, s:s, s:I, s:o, s:s}", "term_start", f->held_on, "term_end", term_end, "formation_id",
                                  (json_int_t)f->id, "members", members, "size_note", size_note ? size_note : ""))
        ? FORMATION_DB : 0;
}

int formation_confirm(const Actor *a, const Formation *f, const char *size_note, int64_t *committee_id, Verdict *v) {
    if (db_begin() != 0) return FORMATION_DB;
    int rc = formation_confirm_tx(a, f, size_note, committee_id, v);
    if (rc == 0 && db_commit() == 0) return 0;
    db_rollback();
    return rc ? rc : FORMATION_DB;
}

/* Writes the first blocking problem of a verdict as Chinese text. */
static void first_problem(const Verdict *v, const FCand *c, int n, char *why, size_t whysz) {
    for (int i = 0; i < v->nproblems; i++) {
        if (v->problems[i].warning) continue;
        snprintf(why, whysz, "%s", verdict_problem_text(NULL, &v->problems[i], c, n));
        return;
    }
    snprintf(why, whysz, "选举结果不符合规定");
}

int formation_record_and_confirm_tx(const Actor *a, const FormationInput *in, int64_t *committee_id, char *why,
                                    size_t whysz) {
    int64_t fid = 0;
    int rc = formation_save_tx(a, &fid, in, true, why, whysz);
    if (rc) return rc;
    Formation f;
    if (formation_get(SCOPE_ALL, fid, &f) != 0) return FORMATION_DB;
    Verdict v;
    rc = formation_confirm_tx(a, &f, in->size_note, committee_id, &v);
    if (rc == FORMATION_REFUSED) {
        FCand c[CANDS_MAX];
        int n = formation_cands(fid, c, CANDS_MAX);
        first_problem(&v, c, n < 0 ? 0 : n, why, whysz);
    }
    return rc;
}

int formation_record_and_confirm(const Actor *a, const FormationInput *in, int64_t *committee_id, char *why,
                                 size_t whysz) {
    if (db_begin() != 0) return FORMATION_DB;
    int rc = formation_record_and_confirm_tx(a, in, committee_id, why, whysz);
    if (rc == 0 && db_commit() == 0) return 0;
    db_rollback();
    return rc ? rc : FORMATION_DB;
}
