/* api.c — the JSON API of committees under /api/v1: lists, a committee with its members, the
 * composition rollup, formations (create with candidates and proxies, update, confirm) and member
 * changes. Same store, same rules, same scope as the pages. */
#include "committees/pages.h"
#include "people/store.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/json.h"
#include <stdlib.h>
#include <string.h>

static json_t *member_json(const Member *m) {
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s}", "id", (json_int_t)m->id, "person_id",
                          (json_int_t)m->person_id, "name", m->name, "post", m->post, "post_name", m->post_name, "committee_post_label",
                          committee_post_label(m->post, m->post_name), "start_date", m->start_date, "joined_how", m->joined_how, "flags",
                          (int)m->flags, "cadre_reason", m->cadre_reason, "outside_reason", m->outside_reason);
    json_object_set_new(o, "end_date", m->end_date[0] ? json_string(m->end_date) : json_null());
    json_object_set_new(o, "end_reason", m->end_reason[0] ? json_string(m->end_reason) : json_null());
    return o;
}

static json_t *composition_json(const Composition *c) {
    return json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:[I,I,I,I], s:I, s:I}", "unit_id",
                     (json_int_t)c->unit_id, "name", c->name, "groups", c->groups, "committees", c->committees, "members",
                     c->members, "party", c->party, "chunhui", c->chunhui, "wealth", c->wealth, "veteran", c->veteran,
                     "retired", c->retired, "cadres", c->cadres, "women", c->women, "age", c->age[0], c->age[1], c->age[2],
                     c->age[3], "attention", c->attention, "nochair", c->nochair);
}

json_t *committee_json(Req *r, const Committee *c) {
    Member *m = arena_alloc(r->arena, sizeof(Member) * MEMBERS_MAX);
    int n = committee_members(c->id, false, m, MEMBERS_MAX);
    json_t *members = json_array(), *past = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(m[i].end_date[0] ? past : members, member_json(&m[i]));
    Composition comp;
    committee_composition(c->id, date_today(), &comp);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:b, s:s, s:o, s:o, s:o}", "id", (json_int_t)c->id, "unit_id",
                          (json_int_t)c->unit_id, "group_name", c->unit_name, "term_start", c->term_start, "term_end",
                          c->term_end, "attention", c->attention, "size_note", c->size_note, "members", members,
                          "past_members", past, "composition", composition_json(&comp));
    json_object_set_new(o, "formation_id", c->formation_id ? json_integer(c->formation_id) : json_null());
    json_object_set_new(o, "ended_on", c->ended_on[0] ? json_string(c->ended_on) : json_null());
    return o;
}

static int row_json(void *ctx, const CommitteeRow *c) {
    json_array_append_new(ctx, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:b, s:b}", "id", (json_int_t)c->id,
                                         "unit_id", (json_int_t)c->unit_id, "group_name", c->group_name, "village_name",
                                         c->village_name, "term_start", c->term_start, "term_end", c->term_end, "chair",
                                         c->chair, "members", c->members, "party", c->party, "women", c->women, "attention",
                                         c->attention, "nochair", c->nochair));
    return 0;
}

void api_committees(Req *r, Resp *w) {
    CommitteeFilter f;
    FilterError fe;
    bool ok = committee_filters(r, &f, &fe);
    if (fe.field) { json_error(r, w, 422, fe.code, fe.field, fe.message); return; }
    int page = ui_page_param(r);
    json_t *items = json_array();
    long long total = 0;
    if (ok) committee_list(&f, (page - 1) * COMMITTEE_PAGE, COMMITTEE_PAGE, row_json, items, &total);
    json_send(w, 200, json_pack("{s:o, s:i, s:i, s:I}", "items", items, "page", page, "per_page", COMMITTEE_PAGE, "total",
                                (json_int_t)total));
}

void api_committee_get(Req *r, Resp *w) {
    Committee c;
    int64_t id = path_id(r, "id");
    if (id <= 0 || committee_get(auth_scope(r), id, &c) != 0) { page_error(r, w, 404, NULL); return; }
    json_send(w, 200, committee_json(r, &c));
}

void api_group_committee(Req *r, Resp *w) {
    Unit g;
    if (!cm_load_group(r, w, &g)) return;
    Committee c;
    int64_t id = committee_active_id(g.id);
    json_t *o = json_pack("{s:I, s:s}", "unit_id", (json_int_t)g.id, "group_name", g.name);
    json_object_set_new(o, "committee", id && committee_get(auth_scope(r), id, &c) == 0 ? committee_json(r, &c) : json_null());
    json_send(w, 200, o);
}

void api_composition(Req *r, Resp *w) {
    Unit u;
    const char *v = req_param_src(r, "unit", SRC_QUERY);
    int64_t id = v && *v ? atoll(v) : r->who->scope_unit;
    if (id <= 0 || org_unit(r, id, &u) != 0) { page_error(r, w, 404, NULL); return; }
    Composition *rows = arena_alloc(r->arena, sizeof(Composition) * UNIT_PAGE * 4), total;
    int n = composition_rollup(&u, date_today(), rows, UNIT_PAGE * 4, &total);
    if (n < 0) { page_error(r, w, 500, NULL); return; }
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, composition_json(&rows[i]));
    str_copy(total.name, sizeof total.name, u.name);
    total.unit_id = u.id;
    json_send(w, 200, json_pack("{s:o, s:o}", "items", items, "total", composition_json(&total)));
}

/* ---------------------------------------------------------------------------------------------
 * Formations */

json_t *formation_json(Req *r, const Formation *f) {
    FCand *c = arena_alloc(r->arena, sizeof(FCand) * CANDS_MAX);
    int n = formation_cands(f->id, c, CANDS_MAX);
    if (n < 0) n = 0;
    Verdict v;
    formation_evaluate(f, c, n, f->size_note, &v);
    json_t *cands = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:b, s:s, s:s}", "id", (json_int_t)c[i].id, "person_id",
                              (json_int_t)c[i].person_id, "name", c[i].name, "post", c[i].post, "post_name", c[i].post_name,
                              "votes", c[i].votes, "elected", c[i].elected, "cadre_reason", c[i].cadre_reason,
                              "outside_reason", c[i].outside_reason);
        json_object_set_new(o, "runoff_votes", c[i].runoff_votes >= 0 ? json_integer(c[i].runoff_votes) : json_null());
        json_array_append_new(cands, o);
    }
    FProxy *x = arena_alloc(r->arena, sizeof(FProxy) * PROXIES_MAX);
    int k = formation_proxies(f->id, x, PROXIES_MAX);
    json_t *proxies = json_array();
    for (int i = 0; i < k; i++)
        json_array_append_new(proxies, json_pack("{s:I, s:s, s:I, s:s, s:s}", "voter_id", (json_int_t)x[i].voter_id, "voter",
                                                 x[i].voter_name, "proxy_id", (json_int_t)x[i].proxy_id, "proxy", x[i].proxy_name,
                                                 "relation", x[i].relation));
    json_t *problems = json_array(), *winners = json_array();
    static const char *const codes[] = {"", "no_eligible", "present_over", "quorum", "issued_over", "returned_over", "void_over",
                                        "turnout", "no_candidates", "posts_over_seats", "no_member_seats", "few_candidates",
                                        "votes_input", "revote", "runoff_needed", "vacant", "rule", "size"};
    for (int i = 0; i < v.nproblems; i++)
        json_array_append_new(problems, json_pack("{s:s, s:s, s:b}", "code",
                                                  v.problems[i].code < (int)(sizeof codes / sizeof codes[0]) ? codes[v.problems[i].code] : "",
                                                  "message", verdict_problem_text(r, &v.problems[i], c, n), "warning", v.problems[i].warning));
    for (int i = 0; i < v.nwinners; i++) json_array_append_new(winners, json_integer(c[v.winners[i]].person_id));
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:s}",
                          "id", (json_int_t)f->id, "unit_id", (json_int_t)f->unit_id, "status", f->status, "held_on", f->held_on,
                          "place", f->place, "body", f->body, "method", f->method, "convened_by", f->convened_by, "seats",
                          f->seats, "eligible", f->eligible, "present", f->present, "ballots_issued", f->issued,
                          "ballots_returned", f->returned, "ballots_void", f->void_ballots, "runoff_issued", f->r_issued,
                          "runoff_returned", f->r_returned, "runoff_void", f->r_void, "size_note", f->size_note);
    json_object_set_new(o, "committee_id", f->committee_id ? json_integer(f->committee_id) : json_null());
    json_object_set_new(o, "candidates", cands);
    json_object_set_new(o, "proxies", proxies);
    json_object_set_new(o, "verdict", json_pack("{s:b, s:b, s:b, s:i, s:o, s:o}", "confirmable", v.confirmable, "needs_runoff",
                                                v.needs_runoff, "size_warning", v.size_warning, "quorum_required",
                                                v.quorum_required, "winners", winners, "problems", problems));
    return o;
}

/* Reads an integer member of a JSON object: dflt when absent; false when present but not a
 * non-negative integer. */
static bool int_of(json_t *o, const char *key, int dflt, int *out) {
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) { *out = dflt; return true; }
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100000) return false;
    *out = (int)json_integer_value(v);
    return true;
}

static const char *str_of(Req *r, json_t *o, const char *key, const char *dflt) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? arena_strdup(r->arena, json_string_value(v)) : dflt;
}

/* Reads a FormationInput from the JSON body, starting from `base` (a stored formation's input, or
 * zeros). Lists given replace the stored ones. Returns NULL or a Chinese error; *field names the
 * key at fault. */
static const char *input_of_json(Req *r, json_t *o, FormationInput *in, const char **field) {
    in->held_on = str_of(r, o, *field = "held_on", in->held_on);
    in->place = str_of(r, o, "place", in->place);
    in->body = str_of(r, o, "body", in->body);
    in->method = str_of(r, o, "method", in->method);
    in->convened_by = str_of(r, o, "convened_by", in->convened_by);
    in->size_note = str_of(r, o, "size_note", in->size_note);
    struct { const char *key; int *dst; } ints[] = {
        {"seats", &in->seats}, {"present", &in->present}, {"ballots_issued", &in->issued}, {"ballots_returned", &in->returned},
        {"ballots_void", &in->void_ballots}, {"runoff_issued", &in->runoff_issued}, {"runoff_returned", &in->runoff_returned},
        {"runoff_void", &in->runoff_void},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        if (!int_of(o, *field = ints[i].key, *ints[i].dst, ints[i].dst)) return T(r, "应填写不小于 0 的整数");
    json_t *cands = json_object_get(o, *field = "candidates");
    if (cands) {
        if (!json_is_array(cands) || json_array_size(cands) > CANDS_MAX) return T(r, "候选人应为数组，最多 40 人");
        FormationCandidateIn *c = arena_alloc(r->arena, sizeof(FormationCandidateIn) * (json_array_size(cands) + 1));
        size_t i;
        json_t *e;
        json_array_foreach(cands, i, e) {
            json_t *pid = json_object_get(e, "person_id");
            if (!json_is_integer(pid)) return T(r, "每位候选人须有 person_id");
            c[i] = (FormationCandidateIn){json_integer_value(pid), str_of(r, e, "post", "member"), str_of(r, e, "post_name", ""), 0, -1,
                                          str_of(r, e, "cadre_reason", ""), str_of(r, e, "outside_reason", "")};
            if (!int_of(e, "votes", 0, &c[i].votes) || !int_of(e, "runoff_votes", -1, &c[i].runoff_votes))
                return T(r, "得票应填写不小于 0 的整数");
        }
        in->cands = c;
        in->ncands = (int)json_array_size(cands);
    }
    json_t *proxies = json_object_get(o, *field = "proxies");
    if (proxies) {
        if (!json_is_array(proxies) || json_array_size(proxies) > PROXIES_MAX) return T(r, "委托投票应为数组");
        FormationProxyIn *x = arena_alloc(r->arena, sizeof(FormationProxyIn) * (json_array_size(proxies) + 1));
        size_t i;
        json_t *e;
        json_array_foreach(proxies, i, e) {
            json_t *v = json_object_get(e, "voter_id"), *p = json_object_get(e, "proxy_id");
            if (!json_is_integer(v) || !json_is_integer(p)) return T(r, "委托投票须有 voter_id 和 proxy_id");
            x[i] = (FormationProxyIn){json_integer_value(v), json_integer_value(p), str_of(r, e, "relation", "")};
        }
        in->proxies = x;
        in->nproxies = (int)json_array_size(proxies);
    }
    *field = NULL;
    return NULL;
}

static json_t *body_json(Req *r, Resp *w) {
    json_t *o = r->body ? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, NULL) : NULL;
    if (json_is_object(o)) return o;
    json_decref(o);
    json_error(r, w, 400, "bad_json", NULL, T(r, "请求体不是有效的 JSON 对象"));
    return NULL;
}

/* Saves (creates when *id is 0) a formation from the JSON body and answers with it. */
static void save_from_json(Req *r, Resp *w, const Unit *g, const Formation *stored) {
    json_t *o = body_json(r, w);
    if (!o) return;
    FormationInput in;
    if (stored) formation_input_of(r, stored, &in);
    else memset(&in, 0, sizeof in);
    in.unit_id = g->id;
    const char *field, *err = input_of_json(r, o, &in, &field);
    json_decref(o);
    if (err) { json_error(r, w, 422, "invalid", field, err); return; }
    if (!in.body) in.body = "assembly";
    if (!in.method) in.method = "household_reps";
    Actor a = actor_of(r);
    int64_t id = stored ? stored->id : 0;
    char why[200] = "";
    int rc = formation_save(&a, &id, &in, true, why, sizeof why);
    if (rc == FORMATION_DB) { page_error(r, w, 500, NULL); return; }
    if (rc) { json_error(r, w, 422, "invalid", NULL, T(r, arena_strdup(r->arena, why))); return; }
    Formation f;
    formation_get(auth_scope(r), id, &f);
    json_send(w, stored ? 200 : 201, formation_json(r, &f));
}

void api_formation_create(Req *r, Resp *w) {
    Unit g;
    if (!cm_load_group(r, w, &g)) return;
    if (!cm_may_record(r, g.path)) { page_error(r, w, 403, NULL); return; }
    save_from_json(r, w, &g, NULL);
}

static bool load_formation_json(Req *r, Resp *w, Formation *f) {
    int64_t id = path_id(r, "id");
    if (id > 0 && formation_get(auth_scope(r), id, f) == 0) return true;
    page_error(r, w, 404, NULL);
    return false;
}

void api_formation_get(Req *r, Resp *w) {
    Formation f;
    if (load_formation_json(r, w, &f)) json_send(w, 200, formation_json(r, &f));
}

void api_formation_update(Req *r, Resp *w) {
    Formation f;
    Unit g;
    if (!load_formation_json(r, w, &f)) return;
    if (!cm_may_record(r, f.unit_path)) { page_error(r, w, 403, NULL); return; }
    if (strcmp(f.status, "draft") != 0) { json_error(r, w, 409, "confirmed", NULL, T(r, "只有草稿状态的选举记录可以修改")); return; }
    if (org_unit(r, f.unit_id, &g) != 0) { page_error(r, w, 404, NULL); return; }
    save_from_json(r, w, &g, &f);
}

void api_formation_confirm(Req *r, Resp *w) {
    Formation f;
    if (!load_formation_json(r, w, &f)) return;
    if (!cm_may_confirm(r, f.unit_path)) { page_error(r, w, 403, NULL); return; }
    json_t *o = r->body ? json_loadb(r->body, r->body_len, 0, NULL) : NULL;
    const char *note = o ? str_of(r, o, "size_note", NULL) : NULL;
    json_decref(o);
    if (note && utf8_chars(note) > 200) { json_error(r, w, 422, "too_long", "size_note", T(r, "理由不能超过 200 个字")); return; }
    if (!note) note = f.size_note;
    Actor a = actor_of(r);
    int64_t cid;
    Verdict v;
    int rc = formation_confirm(&a, &f, note, &cid, &v);
    if (rc == FORMATION_DB) { page_error(r, w, 500, NULL); return; }
    if (rc) {
        if (strcmp(f.status, "draft") != 0) { json_error(r, w, 409, "confirmed", NULL, T(r, "这次选举已经确认过了")); return; }
        FCand *c = arena_alloc(r->arena, sizeof(FCand) * CANDS_MAX);
        int n = formation_cands(f.id, c, CANDS_MAX);
        const char *msg = T(r, "选举结果不符合规定");
        for (int i = 0; i < v.nproblems; i++)
            if (!v.problems[i].warning) { msg = verdict_problem_text(r, &v.problems[i], c, n < 0 ? 0 : n); break; }
        json_t *err = json_pack("{s:{s:s, s:s}}", "error", "code", "refused", "message", msg);
        json_t *full = formation_json(r, &f);
        json_object_set(err, "formation", full);
        json_decref(full);
        json_send(w, 422, err);
        return;
    }
    Committee c;
    committee_get(auth_scope(r), cid, &c);
    json_send(w, 201, committee_json(r, &c));
}

/* ---------------------------------------------------------------------------------------------
 * Member changes */

static bool load_committee_json(Req *r, Resp *w, Committee *c) {
    int64_t id = path_id(r, "id");
    if (id > 0 && committee_get(auth_scope(r), id, c) == 0) return true;
    page_error(r, w, 404, NULL);
    return false;
}

void api_member_end(Req *r, Resp *w) {
    Committee c;
    if (!load_committee_json(r, w, &c)) return;
    if (!cm_may_record(r, c.unit_path)) { page_error(r, w, 403, NULL); return; }
    json_t *o = body_json(r, w);
    if (!o) return;
    char today[11];
    date_format(date_today(), today, sizeof today);
    const char *date = str_of(r, o, "end_date", arena_strdup(r->arena, today)), *reason = str_of(r, o, "end_reason", ""),
               *note = str_of(r, o, "end_note", "");
    json_decref(o);
    Actor a = actor_of(r);
    char why[200] = "";
    int rc = member_end(&a, &c, path_id(r, "mid"), date, reason, note, why, sizeof why);
    if (rc == FORMATION_DB) { page_error(r, w, 500, NULL); return; }
    if (rc) { json_error(r, w, 422, "invalid", NULL, T(r, arena_strdup(r->arena, why))); return; }
    committee_get(auth_scope(r), c.id, &c);
    json_send(w, 200, committee_json(r, &c));
}

void api_member_add(Req *r, Resp *w) {
    Committee c;
    if (!load_committee_json(r, w, &c)) return;
    if (!cm_may_record(r, c.unit_path)) { page_error(r, w, 403, NULL); return; }
    json_t *o = body_json(r, w);
    if (!o) return;
    char today[11];
    date_format(date_today(), today, sizeof today);
    json_t *pid = json_object_get(o, "person_id"), *rep = json_object_get(o, "replaces");
    MemberIn in = {json_is_integer(pid) ? json_integer_value(pid) : 0, str_of(r, o, "post", "member"), str_of(r, o, "post_name", ""),
                   str_of(r, o, "start_date", arena_strdup(r->arena, today)), str_of(r, o, "how", "by_election"),
                   str_of(r, o, "note", ""), str_of(r, o, "cadre_reason", ""), str_of(r, o, "outside_reason", ""),
                   json_is_integer(rep) ? json_integer_value(rep) : 0};
    json_decref(o);
    /* A person outside the caller's scope is reported like one that does not exist. */
    if (!person_in_scope(auth_scope(r), in.person_id, NULL)) {
        json_error(r, w, 422, "not_found", "person_id", T(r, "找不到这个人，请从本组组民中选择"));
        return;
    }
    Actor a = actor_of(r);
    char why[200] = "";
    int code;
    int rc = member_add(&a, &c, &in, &code, why, sizeof why);
    if (rc == FORMATION_DB) { page_error(r, w, 500, NULL); return; }
    if (rc) { json_error(r, w, 422, code ? "rule" : "invalid", "person_id", T(r, arena_strdup(r->arena, why))); return; }
    committee_get(auth_scope(r), c.id, &c);
    json_send(w, 201, committee_json(r, &c));
}
