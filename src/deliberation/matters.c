/* matters.c — the pages of matters (事项): a group's board by stage, the new-matter form, the
 * matter page with its timeline across the three stages and the forms of each step, the step
 * handlers (shared by the pages and the JSON API) and the printable decision notice (决议公告). */
#include "deliberation/delib.h"
#include "org/org.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Fields */

static const Field matter_fields[] = {
    {"title", "事项名称", FT_TEXT, true, 1, 60, NULL, NULL, "如：组集体林地流转"},
    {"description", "事项说明", FT_TEXTAREA, false, 0, 4000, NULL, NULL, NULL},
    {"category", "类别", FT_ENUM, true, 0, 0, category_choices, NULL, NULL},
    {"raised_by", "提出方", FT_ENUM, true, 0, 0, raised_by_choices, NULL, NULL},
    {"raised_on", "提出日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
    {"major", "列为重大事项", FT_BOOL, false, 0, 0, NULL, NULL, "集体资产、土地、资金使用、组规民约类事项自动列为重大事项，须经三个阶段"},
    {"unit_id", "村民组", FT_ID, false, 0, 0, NULL, NULL, NULL},
};
enum { NMATTER = sizeof matter_fields / sizeof matter_fields[0] };

static const Field consult_fields[] = {
    {"meeting_id", "商议会议", FT_ID, false, 0, 0, NULL, NULL, "在会议上商议时选择会议；入户收集意见时不选"},
    {"on_date", "日期", FT_DATE, false, 0, 0, NULL, NULL, NULL},
    {"text", "组民意见", FT_TEXTAREA, false, 0, 4000, NULL, NULL, "收集到的主要意见和建议"},
    {"opinions", "听取意见人数", FT_INT, false, 0, 100000, NULL, NULL, NULL},
};
static const Field propose_fields[] = {
    {"meeting_id", "组委会会议", FT_ID, true, 0, 0, NULL, NULL, NULL},
    {"proposal", "方案", FT_TEXTAREA, true, 1, 4000, NULL, NULL, "组委会商议后提出、交组民表决的方案"},
};
static const Field vote_fields[] = {
    {"meeting_id", "表决会议", FT_ID, true, 0, 0, NULL, NULL, NULL},
    {"votes_for", "赞成票", FT_INT, true, 0, 100000, NULL, NULL, NULL},
    {"votes_against", "反对票", FT_INT, true, 0, 100000, NULL, NULL, NULL},
    {"abstentions", "弃权票", FT_INT, true, 0, 100000, NULL, NULL, NULL},
    {"void_ballots", "无效票", FT_INT, false, 0, 100000, NULL, NULL, "无记名投票时填写"},
    {"secret", "无记名投票", FT_BOOL, false, 0, 0, NULL, NULL, NULL},
    {"decision", "决议内容", FT_TEXTAREA, false, 0, 4000, NULL, NULL, "通过后公告的决议；不填则用组委会的方案"},
};
static const Field implement_fields[] = {
    {"on_date", "日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
    {"text", "实施情况", FT_TEXTAREA, true, 1, 4000, NULL, NULL, NULL},
    {"result", "实施结果", FT_TEXTAREA, false, 0, 1000, NULL, NULL, NULL},
};
static const Field close_fields[] = {
    {"on_date", "办结日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
    {"note", "办结说明", FT_TEXTAREA, false, 0, 1000, NULL, NULL, NULL},
};
#define NF(a) ((int)(sizeof a / sizeof a[0]))

/* ---------------------------------------------------------------------------------------------
 * Loading */

/* Loads the matter of path parameter :id inside the scope (404 otherwise); with `edit`, also
 * requires CAP_EDIT on its group (403). Returns the matter in the arena, or NULL after answering. */
static Matter *load_matter(Req *r, Resp *w, bool edit) {
    Matter *m = arena_alloc(r->arena, sizeof *m);
    int64_t id = path_id(r, "id");
    if (!id || matter_get(auth_scope(r), id, m) != 0) { page_error(r, w, 404, NULL); return NULL; }
    if (edit && !auth_can(r, CAP_EDIT, m->unit_path)) { page_error(r, w, 403, NULL); return NULL; }
    return m;
}

static const char *today_iso(Req *r) {
    char d[DATE_ISO_SIZE];
    date_format(date_today(), d, sizeof d);
    return arena_strdup(r->arena, d);
}

static bool overdue(const char *since, Stage s) {
    int32_t d;
    return s != STAGE_CLOSED && date_parse(since, &d) == 0 && date_today() - d > DELIB_OVERDUE_DAYS;
}

static void stage_badge(Req *r, Buf *b, Stage s) {
    const char *cls = s == STAGE_CLOSED ? "muted" : s == STAGE_IMPLEMENT ? "ok" : "warn";
    html(b, "<span class=\"badge %s\">%s</span> ", cls, T(r, stage_zh(s)));
}

/* ---------------------------------------------------------------------------------------------
 * The board: GET /groups/:id/matters */

void h_group_matters(Req *r, Resp *w) {
    Unit u;
    if (delib_group_param(r, w, &u) != 0) return;
    if (r->want_json) {
        Stmt *st = db_prep("SELECT id FROM matter WHERE unit_id = :u ORDER BY id DESC LIMIT 500");
        db_bind_int(st, ":u", u.id);
        json_t *arr = json_array();
        Matter *m = arena_alloc(r->arena, sizeof *m);
        while (db_step(st) == SQLITE_ROW)
            if (matter_get(auth_scope(r), db_col_int(st, 0), m) == 0) json_array_append_new(arr, matter_json(m));
        json_send(w, 200, json_pack("{s:o}", "items", arr));
        return;
    }
    delib_page_begin(r, w, &u, T(r, "议事决策"), &(Crumb){T(r, "议事决策"), NULL}, 1);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s</h1><div class=\"actions\">", u.name, T(r, "议事决策"));
    html(b, "<a class=\"button\" href=\"/groups/%lld/meetings\">%s</a><a class=\"button\" href=\"/groups/%lld/rules\">%s</a>",
         (long long)u.id, T(r, "会议"), (long long)u.id, T(r, "组规民约"));
    if (auth_can(r, CAP_EDIT, u.path))
        html(b, "<a class=\"button primary\" href=\"/groups/%lld/matters/new\">%s</a>", (long long)u.id, T(r, "新建事项"));
    html_raw(b, "</div></div>");
    for (int s = STAGE_CONSULT; s <= STAGE_CLOSED; s++) {
        Stmt *st = db_prep("SELECT id, title, category, major, stage_since FROM matter WHERE unit_id = :u AND stage = :s"
                           " ORDER BY stage_since, id LIMIT 30");
        db_bind_int(st, ":u", u.id);
        db_bind_text(st, ":s", stage_key((Stage)s));
        html(b, "<section class=\"card\"><h2>%s</h2><ul class=\"board\">", T(r, stage_zh((Stage)s)));
        int n = 0;
        while (db_step(st) == SQLITE_ROW) {
            n++;
            html(b, "<li><a href=\"/matters/%lld\">%s</a> <span class=\"badge\">%s</span> ", (long long)db_col_int(st, 0),
                 db_col_text(st, 1), T(r, choice_text(category_choices, db_col_text(st, 2))));
            if (db_col_int(st, 3)) html(b, "<span class=\"badge err\">%s</span> ", T(r, "重大事项"));
            if (overdue(db_col_text(st, 4), (Stage)s)) html(b, "<span class=\"badge warn\">%s</span> ", T(r, "超过30天"));
            html(b, "<span class=\"hint\">%s</span></li>", delib_date(r, db_col_text(st, 4)));
        }
        sqlite3_reset(st);
        html_raw(b, "</ul>");
        if (!n) html(b, "<p class=\"hint\">%s</p>", T(r, "暂无事项。"));
        html(b, "<p><a href=\"/matters?unit=%lld&amp;stage=%s\">%s</a></p></section>", (long long)u.id, stage_key((Stage)s),
             T(r, "查看全部"));
    }
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * New matter: GET/POST /groups/:id/matters/new and POST /api/v1/matters */

static void matter_form(Req *r, Resp *w, const Unit *u, Form *f) {
    delib_page_begin(r, w, u, T(r, "新建事项"), (Crumb[]){{T(r, "议事决策"), arena_printf(r->arena, "/groups/%lld/matters", (long long)u->id)},
                                                    {T(r, "新建事项"), NULL}}, 2);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><section class=\"card\">", T(r, "新建事项"));
    html(b, "<form class=\"form\" method=\"post\" action=\"/groups/%lld/matters/new\">", (long long)u->id);
    ui_csrf(r, b);
    static const char *const names[] = {"title", "category", "raised_by", "raised_on", "major", "description"};
    for (int i = 0; i < 6; i++) ui_field(r, b, f, names[i]);
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form></section>", T(r, "保存"));
    page_end(r, w);
}

void h_matter_new(Req *r, Resp *w) {
    Unit u;
    Form f;
    int go = delib_new_target(r, w, &f, matter_fields, NMATTER, &u);
    if (go < 0) return;
    if (go > 0) {
        form_set(&f, "raised_on", today_iso(r));
        matter_form(r, w, &u, &f);
        return;
    }
    Matter *m = arena_alloc(r->arena, sizeof *m);
    memset(m, 0, sizeof *m);
    if (!f.nerr) {
        m->unit_id = u.id;
        str_copy(m->title, sizeof m->title, form_s(&f, "title"));
        str_copy(m->description, sizeof m->description, form_s(&f, "description") ? form_s(&f, "description") : "");
        str_copy(m->category, sizeof m->category, form_s(&f, "category"));
        str_copy(m->raised_by, sizeof m->raised_by, form_s(&f, "raised_by"));
        str_copy(m->raised_on, sizeof m->raised_on, form_s(&f, "raised_on"));
        m->major = form_i(&f, "major") != 0;
        DelibCall c = {.op = OP_MATTER_CREATE, .matter = m, .by = r->who->user_id};
        Actor a = actor_of(r);
        int rc = dl_apply(&a, u.id, &c);
        if (rc != DELIB_OK && delib_refused(r, w, rc, &f, &c)) return;
    }
    if (f.nerr) {
        if (r->want_json) { form_json_error(r, w, &f); return; }
        w->status = 422;
        matter_form(r, w, &u, &f);
        return;
    }
    Matter *saved = arena_alloc(r->arena, sizeof *saved);
    if (matter_get(auth_scope(r), m->id, saved) != 0) { page_error(r, w, 500, NULL); return; }
    if (r->want_json) { json_send(w, 201, matter_json(saved)); return; }
    resp_redirect_flash(r, w, arena_printf(r->arena, "/matters/%lld", (long long)m->id),
                        saved->major ? T(r, "事项已登记为重大事项，请先组织第一阶段：组民商议。") : T(r, "事项已登记。"));
}

/* ---------------------------------------------------------------------------------------------
 * The matter page: GET /matters/:id */

static const char *entry_label(const char *kind) {
    if (!strcmp(kind, "consult")) return "组民商议";
    if (!strcmp(kind, "proposal")) return "组委会提出方案";
    if (!strcmp(kind, "vote")) return "表决";
    if (!strcmp(kind, "implement")) return "实施情况";
    return "办结";
}

/* The three stages with what is done, and what is missing next. */
static void stage_steps(Req *r, Buf *b, const Matter *m, const MatterState *s) {
    html_raw(b, "<ol class=\"steps\">");
    bool done[3] = {s->has_consult, s->has_proposal, s->has_passed_vote};
    for (int i = 0; i < 3; i++) {
        bool cur = (int)m->stage == i;
        html(b, "<li class=\"%s\">%s ", done[i] ? "done" : cur ? "current" : "", T(r, stage_zh((Stage)i)));
        if (done[i]) html(b, "<span class=\"badge ok\">%s</span>", T(r, "已完成"));
        else if (cur) html(b, "<span class=\"badge warn\">%s</span>", T(r, "进行中"));
        else if (i < 2 && !m->major) html(b, "<span class=\"badge muted\">%s</span>", T(r, "一般事项可不经此阶段"));
        html_raw(b, "</li>");
    }
    html_raw(b, "</ol>");
}

static void timeline(Req *r, Buf *b, const Matter *m) {
    Stmt *st = db_prep("SELECT e.kind, e.on_date, coalesce(e.meeting_id, 0), coalesce(g.body, ''), e.text, e.result, e.opinions"
                       " FROM matter_entry e LEFT JOIN meeting g ON g.id = e.meeting_id WHERE e.matter_id = :m ORDER BY e.id");
    db_bind_int(st, ":m", m->id);
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "办理过程"));
    static const UiCol cols[] = {{"日期", false}, {"环节", false}, {"会议", false}, {"内容", false}};
    UiTable t;
    ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        n++;
        const char *kind = db_col_text(st, 0), *result = db_col_text(st, 5);
        ui_td(b, &t, 0);
        html(b, "%s", delib_date(r, db_col_text(st, 1)));
        ui_td(b, &t, 1);
        html(b, "%s", T(r, entry_label(kind)));
        if (!strcmp(kind, "vote"))
            html(b, " <span class=\"badge %s\">%s</span>", !strcmp(result, "passed") ? "ok" : "err",
                 !strcmp(result, "passed") ? T(r, "通过") : T(r, "未通过"));
        ui_td(b, &t, 2);
        if (db_col_int(st, 2)) {
            int body = body_parse(db_col_text(st, 3));
            html(b, "<a href=\"/meetings/%lld\">%s</a>", (long long)db_col_int(st, 2), T(r, body_zh(body < 0 ? MEET_ASSEMBLY : (MeetingBody)body)));
        }
        ui_td(b, &t, 3);
        html(b, "%s", !strcmp(kind, "vote") ? T(r, db_col_text(st, 4)) : db_col_text(st, 4));
        if (db_col_int(st, 6)) html(b, "%s", Tparen(r, Tn(r, "听取 {n} 人意见", db_col_int(st, 6))));
        if (*result && strcmp(kind, "vote")) html(b, "<br>%s：%s", T(r, "结果"), result);
        ui_tr_end(b);
    }
    sqlite3_reset(st);
    ui_table_end(b);
    if (!n) html(b, "<p class=\"hint\">%s</p>", T(r, "还没有办理记录。"));
    html_raw(b, "</section>");
}

/* A form card for one step; `f` is the failed form when it is the one being re-shown. */
static void step_form(Req *r, Buf *b, const Matter *m, const char *action, const char *title, const Field *fields, int n,
                      const Form *failed, const char *failed_action) {
    Form fresh;
    const Form *f = failed && !strcmp(failed_action, action) ? failed : NULL;
    if (!f) {
        form_init(&fresh, fields, n);
        for (int i = 0; i < n; i++)
            if (!strcmp(fields[i].name, "on_date")) form_set(&fresh, "on_date", today_iso(r));
        f = &fresh;
    }
    html(b, "<section class=\"card\" id=\"%s\"><h2>%s</h2><form class=\"form\" method=\"post\" action=\"/matters/%lld/%s\">",
         action, title, (long long)m->id, action);
    ui_csrf(r, b);
    for (int i = 0; i < n; i++) {
        if (strcmp(fields[i].name, "meeting_id") != 0) { ui_field(r, b, f, fields[i].name); continue; }
        const char *err = f->err[i];
        html(b, "<div class=\"field%s\"><label for=\"f-%s-meeting\">%s%s</label><select id=\"f-%s-meeting\" name=\"meeting_id\">",
             err ? " has-error" : "", action, T(r, fields[i].label), fields[i].required ? " *" : "", action);
        meeting_options(r, b, m->unit_id, f->i[i]);
        html(b, "</select><p class=\"hint\"><a href=\"/groups/%lld/meetings/new\">%s</a></p>", (long long)m->unit_id, T(r, "新建会议"));
        if (err) html(b, "<p class=\"error\">%s</p>", err);
        html_raw(b, "</div>");
    }
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form></section>", T(r, "保存"));
}

/* True when the step would be allowed now (with a meeting of `body` where one is needed). */
static bool step_open(const MatterState *s, MatterAction act, MeetingBody body) {
    MatterStep st = {act, act != ACT_IMPLEMENT && act != ACT_CLOSE, body, 0, true};
    st.on = s->last_proposal > s->last_consult ? s->last_proposal : s->last_consult;
    return matter_step_check(s, &st) == NULL;
}

static void matter_page(Req *r, Resp *w, const Matter *m, const Form *failed, const char *failed_action) {
    Unit u;
    if (org_unit(r, m->unit_id, &u) != 0) { page_error(r, w, 404, NULL); return; }
    MatterState s;
    matter_state_load(m, &s);
    delib_page_begin(r, w, &u, m->title, (Crumb[]){{T(r, "议事决策"), arena_printf(r->arena, "/groups/%lld/matters", (long long)u.id)},
                                                  {m->title, NULL}}, 2);
    Buf *b = &w->body;
    if (failed) {
        for (int k = 0; k < failed->n; k++)
            if (failed->err[k]) { html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", failed->err[k]); break; }
    }
    html(b, "<div class=\"pagehead\"><h1>%s</h1><div class=\"actions\">", m->title);
    if (m->vote_id) html(b, "<a class=\"button\" href=\"/matters/%lld/notice\">%s</a>", (long long)m->id, T(r, "决议公告"));
    html_raw(b, "</div></div><section class=\"card\"><p>");
    stage_badge(r, b, m->stage);
    if (m->major) html(b, "<span class=\"badge err\">%s</span> ", T(r, "重大事项"));
    if (overdue(m->stage_since, m->stage)) html(b, "<span class=\"badge warn\">%s</span>", T(r, "本阶段已超过30天"));
    html(b, "</p><dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
         T(r, "村民组"), m->unit_name, T(r, "类别"), T(r, choice_text(category_choices, m->category)), T(r, "提出方"),
         T(r, choice_text(raised_by_choices, m->raised_by)), T(r, "提出日期"), delib_date(r, m->raised_on));
    html(b, "<dt>%s</dt><dd>%s</dd></dl>", T(r, "进入本阶段"), delib_date(r, m->stage_since));
    if (*m->description) html(b, "<p>%s</p>", m->description);
    stage_steps(r, b, m, &s);
    html_raw(b, "</section>");
    if (*m->proposal) html(b, "<section class=\"card\"><h2>%s</h2><p>%s</p></section>", T(r, "组委会方案"), m->proposal);
    if (m->vote_id)
        html(b, "<section class=\"card\"><h2>%s</h2><p>%s</p><p class=\"hint\">%s %s</p></section>", T(r, "决议"), m->decision,
             T(r, "表决通过日期"), delib_date(r, m->decided_on));
    timeline(r, b, m);
    if (auth_can(r, CAP_EDIT, m->unit_path)) {
        if (step_open(&s, ACT_CONSULT, MEET_ASSEMBLY))
            step_form(r, b, m, "consult", T(r, "记录第一阶段：组民商议"), consult_fields, NF(consult_fields), failed, failed_action);
        if (step_open(&s, ACT_PROPOSE, MEET_COMMITTEE))
            step_form(r, b, m, "propose", T(r, "记录第二阶段：组委会商议并提出方案"), propose_fields, NF(propose_fields), failed, failed_action);
        if (step_open(&s, ACT_VOTE, MEET_ASSEMBLY) || step_open(&s, ACT_VOTE, MEET_COMMITTEE))
            step_form(r, b, m, "vote", m->major ? T(r, "记录第三阶段：组民表决") : T(r, "记录表决"), vote_fields, NF(vote_fields), failed, failed_action);
        if (m->stage == STAGE_IMPLEMENT) {
            step_form(r, b, m, "implement", T(r, "登记实施情况"), implement_fields, NF(implement_fields), failed, failed_action);
            step_form(r, b, m, "close", T(r, "办结"), close_fields, NF(close_fields), failed, failed_action);
        }
        if (s.rules_category && s.has_passed_vote && !s.rule_adopted)
            html(b, "<section class=\"card\"><p><a class=\"button primary\" href=\"/matters/%lld/rule\">%s</a></p></section>",
                 (long long)m->id, T(r, "据此决议通过组规民约"));
        if (m->major && m->stage == STAGE_CONSULT)
            html(b, "<p class=\"hint\">%s</p>", T(r, "重大事项须依次经过组民商议、组委会商议、组民表决三个阶段，不能跳过或颠倒。"));
    }
    page_end(r, w);
}

void h_matter(Req *r, Resp *w) {
    Matter *m = load_matter(r, w, false);
    if (!m) return;
    if (!r->want_json) { matter_page(r, w, m, NULL, NULL); return; }
    json_t *o = matter_json(m), *entries = json_array(), *votes = json_array();
    Stmt *st = db_prep("SELECT kind, on_date, coalesce(meeting_id, 0), coalesce(vote_id, 0), text, result, opinions"
                       " FROM matter_entry WHERE matter_id = :m ORDER BY id");
    db_bind_int(st, ":m", m->id);
    while (db_step(st) == SQLITE_ROW) {
        json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:i}", "kind", db_col_text(st, 0), "on_date", db_col_text(st, 1), "text",
                              db_col_text(st, 4), "result", db_col_text(st, 5), "opinions", (int)db_col_int(st, 6));
        json_object_set_new(e, "meeting_id", db_col_int(st, 2) ? json_integer(db_col_int(st, 2)) : json_null());
        json_object_set_new(e, "vote_id", db_col_int(st, 3) ? json_integer(db_col_int(st, 3)) : json_null());
        json_array_append_new(entries, e);
    }
    sqlite3_reset(st);
    st = db_prep("SELECT id FROM vote WHERE matter_id = :m ORDER BY id");
    db_bind_int(st, ":m", m->id);
    int64_t ids[200];
    int n = 0;
    while (n < 200 && db_step(st) == SQLITE_ROW) ids[n++] = db_col_int(st, 0);
    sqlite3_reset(st);
    for (int i = 0; i < n; i++) {
        VoteRec v;
        if (vote_load(ids[i], &v) == 0) json_array_append_new(votes, vote_json(&v));
    }
    json_object_set_new(o, "entries", entries);
    json_object_set_new(o, "votes", votes);
    json_send(w, 200, o);
}

/* ---------------------------------------------------------------------------------------------
 * Steps: POST /matters/:id/{consult,propose,vote,implement,close} (and the same under /api/v1) */

/* Runs a step call and answers: JSON with the matter, or a redirect with `done`; a refusal shows
 * the matter page again with the form and its reason. */
static void step_finish(Req *r, Resp *w, Matter *m, Form *f, DelibCall *c, const char *action, const char *done) {
    if (!f->nerr) {
        Actor a = actor_of(r);
        int rc = dl_apply(&a, m->unit_id, c);
        if (rc != DELIB_OK && delib_refused(r, w, rc, f, c)) return;
    }
    if (f->nerr) {
        if (r->want_json) { form_json_error(r, w, f); return; }
        w->status = 422;
        matter_page(r, w, m, f, action);
        w->status = 422;
        return;
    }
    if (matter_get(auth_scope(r), m->id, m) != 0) { page_error(r, w, 500, NULL); return; }
    if (r->want_json) {
        json_t *o = matter_json(m);
        if (c->op == OP_VOTE) json_object_set_new(o, "vote", vote_json(c->vote));
        json_send(w, 200, o);
        return;
    }
    if (c->op == OP_VOTE && !c->vote->passed) done = arena_printf(r->arena, "%s%s", T(r, "表决未通过，已如实记录："), T(r, c->vote->reason));
    resp_redirect_flash(r, w, arena_printf(r->arena, "/matters/%lld", (long long)m->id), done);
}

void h_matter_consult(Req *r, Resp *w) {
    Matter *m = load_matter(r, w, true);
    if (!m) return;
    Form f;
    form_read(r, &f, consult_fields, NF(consult_fields));
    DelibCall c = {.op = OP_CONSULT, .matter_id = m->id, .meeting_id = form_i(&f, "meeting_id"), .on = form_s(&f, "on_date"),
                   .text = form_s(&f, "text"), .opinions = (int)form_i(&f, "opinions"), .by = r->who->user_id};
    step_finish(r, w, m, &f, &c, "consult", T(r, "已记录第一阶段：组民商议。"));
}

void h_matter_propose(Req *r, Resp *w) {
    Matter *m = load_matter(r, w, true);
    if (!m) return;
    Form f;
    form_read(r, &f, propose_fields, NF(propose_fields));
    DelibCall c = {.op = OP_PROPOSE, .matter_id = m->id, .meeting_id = form_i(&f, "meeting_id"), .text = form_s(&f, "proposal"),
                   .by = r->who->user_id};
    step_finish(r, w, m, &f, &c, "propose", T(r, "已记录第二阶段：组委会商议提出的方案。"));
}

void h_matter_vote(Req *r, Resp *w) {
    Matter *m = load_matter(r, w, true);
    if (!m) return;
    Form f;
    form_read(r, &f, vote_fields, NF(vote_fields));
    VoteRec *v = arena_alloc(r->arena, sizeof *v);
    memset(v, 0, sizeof *v);
    v->votes_for = (int)form_i(&f, "votes_for");
    v->votes_against = (int)form_i(&f, "votes_against");
    v->abstentions = (int)form_i(&f, "abstentions");
    v->void_ballots = (int)form_i(&f, "void_ballots");
    v->secret = form_i(&f, "secret") != 0;
    DelibCall c = {.op = OP_VOTE, .matter_id = m->id, .meeting_id = form_i(&f, "meeting_id"), .vote = v,
                   .decision = form_s(&f, "decision"), .by = r->who->user_id};
    step_finish(r, w, m, &f, &c, "vote", T(r, "表决通过，决议已公布。"));
}

void h_matter_implement(Req *r, Resp *w) {
    Matter *m = load_matter(r, w, true);
    if (!m) return;
    Form f;
    form_read(r, &f, implement_fields, NF(implement_fields));
    DelibCall c = {.op = OP_IMPLEMENT, .matter_id = m->id, .on = form_s(&f, "on_date"), .text = form_s(&f, "text"),
                   .result = form_s(&f, "result"), .by = r->who->user_id};
    step_finish(r, w, m, &f, &c, "implement", T(r, "已登记实施情况。"));
}

void h_matter_close(Req *r, Resp *w) {
    Matter *m = load_matter(r, w, true);
    if (!m) return;
    Form f;
    form_read(r, &f, close_fields, NF(close_fields));
    DelibCall c = {.op = OP_CLOSE, .matter_id = m->id, .on = form_s(&f, "on_date"), .note = form_s(&f, "note"),
                   .by = r->who->user_id};
    step_finish(r, w, m, &f, &c, "close", T(r, "事项已办结。"));
}

/* ---------------------------------------------------------------------------------------------
 * The decision notice (决议公告): GET /matters/:id/notice, A4 with a QR code of the public page */

void h_matter_notice(Req *r, Resp *w) {
    Matter *m = load_matter(r, w, false);
    if (!m) return;
    VoteRec v;
    if (!m->vote_id || vote_load(m->vote_id, &v) != 0) { page_error(r, w, 404, T(r, "这个事项还没有通过的决议。")); return; }
    Meeting *g = arena_alloc(r->arena, sizeof *g);
    if (meeting_get(auth_scope(r), v.meeting_id, g) != 0) { page_error(r, w, 404, NULL); return; }
    page_begin(r, w, T(r, "决议公告"), &(PageOpts){.print = true});
    Buf *b = &w->body;
    html(b, "<article class=\"print-doc\"><h1>%s%s</h1>", m->unit_name, T(r, "决议公告"));
    html(b, "<p>%s %s，%s%s%s。</p>", delib_date(r, g->held_on), g->place, m->unit_name, T(r, body_zh(g->body)), T(r, "对下列事项进行了表决"));
    html(b, "<p><b>%s：</b>%s</p><p><b>%s：</b>%s</p>", T(r, "事项"), m->title, T(r, "决议"), m->decision);
    html(b, "<p>%s</p>", T(r, v.reason));
    if (v.secret) html(b, "<p>%s</p>", T(r, "采用无记名投票。"));
    html(b, "<div class=\"sign\"><p>%s<span class=\"line\"></span></p><p>%s</p></div>", T(r, "组委会（盖章）"), delib_date(r, m->decided_on));
    delib_qr(r, b, delib_public_url(r, arena_printf(r->arena, "/p/m/%lld", (long long)m->id)), T(r, "扫码查看决议原文"));
    html_raw(b, "</article>");
    page_end(r, w);
}
