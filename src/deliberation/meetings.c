/* meetings.c — the pages of meetings (会议): a group's meetings, the new-meeting form, the meeting
 * page (attendance against the quorum, minutes, matters taken up, votes, photos), editing the
 * minutes, taking attendance from the roll, the printable sign-in sheet and the photos. */
#include "deliberation/delib.h"
#include "org/org.h"
#include "people/counting.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include <stdlib.h>
#include <string.h>

static const Field meeting_fields[] = {
    {"body", "会议类型", FT_ENUM, true, 0, 0, meeting_body_choices, NULL, NULL},
    {"basis", "法定人数口径", FT_ENUM, false, 0, 0, basis_choices, NULL, "组民大会须有三分之二以上18周岁以上组民或三分之二以上户代表参加"},
    {"held_on", "会议日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
    {"place", "地点", FT_TEXT, false, 0, 60, NULL, NULL, NULL},
    {"convener", "召集人", FT_TEXT, false, 0, 30, NULL, NULL, NULL},
    {"agenda", "议程", FT_TEXTAREA, false, 0, 2000, NULL, NULL, NULL},
    {"minutes", "会议纪要", FT_TEXTAREA, false, 0, 20000, NULL, NULL, NULL},
    {"unit_id", "村民组", FT_ID, false, 0, 0, NULL, NULL, NULL},
};
enum { NMEETING = sizeof meeting_fields / sizeof meeting_fields[0] };
/* Editing: place, convener, agenda, minutes (meeting_fields[3..6]). */
static const Field *const edit_fields = meeting_fields + 3;
enum { NEDIT = 4 };

static const Field photo_fields[] = {{"caption", "照片说明", FT_TEXT, false, 0, 60, NULL, NULL, NULL}};

/* Loads the meeting of path parameter :id inside the scope (404), with `edit` also CAP_EDIT (403). */
static Meeting *load_meeting(Req *r, Resp *w, bool edit) {
    Meeting *m = arena_alloc(r->arena, sizeof *m);
    int64_t id = path_id(r, "id");
    if (!id || meeting_get(auth_scope(r), id, m) != 0) { page_error(r, w, 404, NULL); return NULL; }
    if (edit && !auth_can(r, CAP_EDIT, m->unit_path)) { page_error(r, w, 403, NULL); return NULL; }
    return m;
}

static int quorum_of(const Meeting *m) {
    VoteBody vb;
    QuorumBasis qb;
    meeting_rule(m, &vb, &qb);
    return quorum_required(vb, qb, m->eligible);
}

static const char *basis_label(const char *basis) {
    return !strcmp(basis, "adults") ? "18周岁以上组民" : !strcmp(basis, "reps") ? "户代表" : "组委会成员";
}

/* "应到 N 人 · 实到 M 人 · 法定人数 Q 人" with a badge saying whether the quorum is met. */
static void counts_line(Req *r, Buf *b, const Meeting *m) {
    int q = quorum_of(m);
    html(b, "<div class=\"stats\" data-quorum-box data-basis=\"%s\" data-eligible=\"%d\" data-quorum=\"%d\">", m->basis,
         m->eligible, q);
    ui_stat(b, m->eligible, arena_printf(r->arena, "%s（%s）", T(r, "应到"), T(r, basis_label(m->basis))));
    html_raw(b, "<div class=\"stat\"><b data-present>");
    buf_put_grouped(b, m->present);
    html(b, "</b><span>%s</span></div>", T(r, "实到"));
    ui_stat(b, q, T(r, "法定人数"));
    html_raw(b, "</div><p data-quorum-state>");
    if (!m->attendance_taken) html(b, "<span class=\"badge muted\">%s</span>", T(r, "尚未登记到会人员"));
    else if (m->eligible > 0 && m->present >= q) html(b, "<span class=\"badge ok\">%s</span>", T(r, "已达到法定人数"));
    else html(b, "<span class=\"badge err\">%s</span>", Tn(r, "未达到法定人数，还差 {n} 人", q - m->present));
    html_raw(b, "</p>");
}

/* ---------------------------------------------------------------------------------------------
 * GET /groups/:id/meetings */

void h_group_meetings(Req *r, Resp *w) {
    Unit u;
    if (delib_group_param(r, w, &u) != 0) return;
    int page = ui_page_param(r), per = DELIB_PAGE;
    Stmt *st = db_prep("SELECT count(*) FROM meeting WHERE unit_id = :u");
    db_bind_int(st, ":u", u.id);
    long long total = db_one_int(st, 0);
    st = db_prep("SELECT id FROM meeting WHERE unit_id = :u ORDER BY held_on DESC, id DESC LIMIT :lim OFFSET :off");
    db_bind_int(st, ":u", u.id);
    db_bind_int(st, ":lim", per);
    db_bind_int(st, ":off", (int64_t)(page - 1) * per);
    int64_t ids[DELIB_PAGE];
    int n = 0;
    while (n < DELIB_PAGE && db_step(st) == SQLITE_ROW) ids[n++] = db_col_int(st, 0);
    sqlite3_reset(st);
    Meeting *m = arena_alloc(r->arena, sizeof *m);
    if (r->want_json) {
        json_t *arr = json_array();
        for (int i = 0; i < n; i++)
            if (meeting_get(auth_scope(r), ids[i], m) == 0) json_array_append_new(arr, meeting_json(m));
        json_send(w, 200, json_pack("{s:o, s:i, s:I}", "items", arr, "page", page, "total", (json_int_t)total));
        return;
    }
    delib_page_begin(r, w, &u, T(r, "会议"), (Crumb[]){{T(r, "议事决策"), arena_printf(r->arena, "/groups/%lld/matters", (long long)u.id)},
                                                    {T(r, "会议"), NULL}}, 2);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s</h1><div class=\"actions\">", u.name, T(r, "会议"));
    if (auth_can(r, CAP_EDIT, u.path))
        html(b, "<a class=\"button primary\" href=\"/groups/%lld/meetings/new\">%s</a>", (long long)u.id, T(r, "新建会议"));
    html_raw(b, "</div></div>");
    if (!n) {
        html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "还没有会议记录。召开会议前先新建会议，打印签到表。"));
        page_end(r, w);
        return;
    }
    static const UiCol cols[] = {{"会议日期", false}, {"会议类型", false}, {"地点", false}, {"到会", false}};
    UiTable t;
    ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
    for (int i = 0; i < n; i++) {
        if (meeting_get(auth_scope(r), ids[i], m) != 0) continue;
        ui_td(b, &t, 0);
        html(b, "<a href=\"/meetings/%lld\">%s</a>", (long long)m->id, delib_date(r, m->held_on));
        ui_td(b, &t, 1);
        html(b, "%s", T(r, body_zh(m->body)));
        ui_td(b, &t, 2);
        html(b, "%s", m->place);
        ui_td(b, &t, 3);
        html(b, "%s", Tn2(r, "{n} / {m} 人", m->present, m->eligible));
        ui_tr_end(b);
    }
    ui_table_end(b);
    ui_pager(r, b, page, per, total);
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * New meeting: GET/POST /groups/:id/meetings/new and POST /api/v1/meetings */

static void meeting_form(Req *r, Resp *w, const Unit *u, Form *f) {
    delib_page_begin(r, w, u, T(r, "新建会议"), (Crumb[]){{T(r, "会议"), arena_printf(r->arena, "/groups/%lld/meetings", (long long)u->id)},
                                                    {T(r, "新建会议"), NULL}}, 2);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><section class=\"card\">", T(r, "新建会议"));
    html(b, "<form class=\"form\" method=\"post\" action=\"/groups/%lld/meetings/new\">", (long long)u->id);
    ui_csrf(r, b);
    for (int i = 0; i < NMEETING - 1; i++) ui_field(r, b, f, meeting_fields[i].name);
    html(b, "<p class=\"hint\">%s</p>", T(r, "应到人数按会议日期从名册自动计算，不需填写。"));
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form></section>", T(r, "保存"));
    page_end(r, w);
}

void h_meeting_new(Req *r, Resp *w) {
    Unit u;
    Form f;
    int go = delib_new_target(r, w, &f, meeting_fields, NMEETING, &u);
    if (go < 0) return;
    if (go > 0) {
        char d[DATE_ISO_SIZE];
        date_format(date_today(), d, sizeof d);
        form_set(&f, "held_on", arena_strdup(r->arena, d));
        form_set(&f, "basis", "adults");
        meeting_form(r, w, &u, &f);
        return;
    }
    Meeting *m = arena_alloc(r->arena, sizeof *m);
    memset(m, 0, sizeof *m);
    if (!f.nerr) {
        m->unit_id = u.id;
        m->body = (MeetingBody)body_parse(form_s(&f, "body"));
        str_copy(m->basis, sizeof m->basis, form_s(&f, "basis") ? form_s(&f, "basis") : "");
        str_copy(m->held_on, sizeof m->held_on, form_s(&f, "held_on"));
        str_copy(m->place, sizeof m->place, form_s(&f, "place") ? form_s(&f, "place") : "");
        str_copy(m->convener, sizeof m->convener, form_s(&f, "convener") ? form_s(&f, "convener") : "");
        str_copy(m->agenda, sizeof m->agenda, form_s(&f, "agenda") ? form_s(&f, "agenda") : "");
        str_copy(m->minutes, sizeof m->minutes, form_s(&f, "minutes") ? form_s(&f, "minutes") : "");
        DelibCall c = {.op = OP_MEETING_CREATE, .meeting = m, .by = r->who->user_id};
        Actor a = actor_of(r);
        int rc = dl_apply(&a, u.id, &c);
        if (rc != DELIB_OK && delib_refused(r, w, rc, &f, &c)) return;
    }
    if (f.nerr) {
        if (r->want_json) { form_json_error(r, w, &f); return; }
        w->status = 422;
        meeting_form(r, w, &u, &f);
        return;
    }
    if (meeting_get(auth_scope(r), m->id, m) != 0) { page_error(r, w, 500, NULL); return; }
    if (r->want_json) { json_send(w, 201, meeting_json(m)); return; }
    resp_redirect_flash(r, w, arena_printf(r->arena, "/meetings/%lld", (long long)m->id), T(r, "会议已登记。可以打印签到表，会后登记到会人员。"));
}

/* ---------------------------------------------------------------------------------------------
 * The meeting page: GET /meetings/:id */

/* Writes the attendance of a meeting: names present (户代表 marked) and proxies listed. */
static void attendance_summary(Req *r, Buf *b, const Meeting *m) {
    Stmt *st = db_prep("SELECT p.name, a.mode, a.proxy_name, coalesce(h.rep_id = p.id, 0) FROM meeting_attendance a"
                       " JOIN person p ON p.id = a.person_id LEFT JOIN household h ON h.id = p.household_id"
                       " WHERE a.meeting_id = :m ORDER BY a.mode DESC, h.hh_no, p.name");
    db_bind_int(st, ":m", m->id);
    html(b, "<section class=\"card\"><h2>%s</h2><p>", T(r, "到会人员"));
    bool proxies = false;
    while (db_step(st) == SQLITE_ROW) {
        if (!strcmp(db_col_text(st, 1), "proxy")) {
            if (!proxies) html(b, "</p><h3>%s</h3><p>", T(r, "委托出席（不计入法定人数）"));
            proxies = true;
            html(b, "%s%s　", db_col_text(st, 0), Tparen(r, arena_printf(r->arena, "%s %s", T(r, "委托"), db_col_text(st, 2))));
        } else {
            html(b, "%s%s　", db_col_text(st, 0), db_col_int(st, 3) ? T(r, "（户代表）") : "");
        }
    }
    sqlite3_reset(st);
    html_raw(b, "</p></section>");
}

static void matters_taken_up(Req *r, Buf *b, const Meeting *m) {
    Stmt *st = db_prep("SELECT DISTINCT x.id, x.title, e.kind, coalesce(v.result, '') FROM matter_entry e JOIN matter x ON x.id = e.matter_id"
                       " LEFT JOIN vote v ON v.id = e.vote_id WHERE e.meeting_id = :m ORDER BY e.id");
    db_bind_int(st, ":m", m->id);
    html(b, "<section class=\"card\"><h2>%s</h2><ul>", T(r, "本次会议议定的事项"));
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        n++;
        const char *kind = db_col_text(st, 2), *res = db_col_text(st, 3);
        html(b, "<li><a href=\"/matters/%lld\">%s</a> · %s", (long long)db_col_int(st, 0), db_col_text(st, 1),
             !strcmp(kind, "consult") ? T(r, "组民商议") : !strcmp(kind, "proposal") ? T(r, "组委会提出方案") : T(r, "表决"));
        if (*res) html(b, " <span class=\"badge %s\">%s</span>", !strcmp(res, "passed") ? "ok" : "err", !strcmp(res, "passed") ? T(r, "通过") : T(r, "未通过"));
        html_raw(b, "</li>");
    }
    sqlite3_reset(st);
    html_raw(b, "</ul>");
    if (!n) html(b, "<p class=\"hint\">%s</p>", T(r, "还没有事项引用这次会议。"));
    html_raw(b, "</section>");
}

static void photos(Req *r, Buf *b, const Meeting *m, bool can_edit) {
    Stmt *st = db_prep("SELECT id, caption FROM meeting_photo WHERE meeting_id = :m ORDER BY id");
    db_bind_int(st, ":m", m->id);
    html(b, "<section class=\"card\"><h2>%s</h2><div class=\"photos\">", T(r, "会议照片"));
    while (db_step(st) == SQLITE_ROW)
        html(b, "<figure><img src=\"/meetings/%lld/photos/%lld\" alt=\"%s\" loading=\"lazy\" width=\"240\"><figcaption>%s</figcaption></figure>",
             (long long)m->id, (long long)db_col_int(st, 0), db_col_text(st, 1), db_col_text(st, 1));
    sqlite3_reset(st);
    html_raw(b, "</div>");
    if (can_edit) {
        html(b, "<form class=\"form\" method=\"post\" enctype=\"multipart/form-data\" action=\"/meetings/%lld/photos\">", (long long)m->id);
        ui_csrf(r, b);
        html(b, "<div class=\"field\"><label for=\"f-photo\">%s</label><input id=\"f-photo\" type=\"file\" name=\"photo\" accept=\"image/jpeg,image/png,image/webp\">"
                "<p class=\"hint\">%s</p></div>", T(r, "上传照片"), T(r, "JPEG、PNG 或 WebP，每张不超过 2 MB，每次会议最多 12 张"));
        Form f;
        form_init(&f, photo_fields, 1);
        ui_field(r, b, &f, "caption");
        html(b, "<div class=\"actions\"><button type=\"submit\">%s</button></div></form>", T(r, "上传"));
    }
    html_raw(b, "</section>");
}

static void meeting_page(Req *r, Resp *w, const Meeting *m) {
    Unit u;
    if (org_unit(r, m->unit_id, &u) != 0) { page_error(r, w, 404, NULL); return; }
    const char *title = arena_printf(r->arena, "%s %s", delib_date(r, m->held_on), T(r, body_zh(m->body)));
    delib_page_begin(r, w, &u, title, (Crumb[]){{T(r, "会议"), arena_printf(r->arena, "/groups/%lld/meetings", (long long)u.id)},
                                              {title, NULL}}, 2);
    Buf *b = &w->body;
    bool can_edit = auth_can(r, CAP_EDIT, m->unit_path);
    html(b, "<div class=\"pagehead\"><h1>%s</h1><div class=\"actions\"><a class=\"button\" href=\"/meetings/%lld/signin\">%s</a>", title,
         (long long)m->id, T(r, "打印签到表"));
    if (can_edit)
        html(b, "<a class=\"button\" href=\"/meetings/%lld/edit\">%s</a><a class=\"button primary\" href=\"/meetings/%lld/attendance\">%s</a>",
             (long long)m->id, T(r, "编辑纪要"), (long long)m->id, T(r, "登记到会"));
    html_raw(b, "</div></div><section class=\"card\">");
    counts_line(r, b, m);
    html(b, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>", T(r, "村民组"), m->unit_name,
         T(r, "地点"), m->place, T(r, "召集人"), m->convener);
    if (*m->agenda) html(b, "<h3>%s</h3><p>%s</p>", T(r, "议程"), m->agenda);
    html(b, "<h3>%s</h3><p>%s</p></section>", T(r, "会议纪要"), *m->minutes ? m->minutes : T(r, "尚未填写。"));
    attendance_summary(r, b, m);
    matters_taken_up(r, b, m);
    photos(r, b, m, can_edit);
    page_end(r, w);
}

void h_meeting(Req *r, Resp *w) {
    Meeting *m = load_meeting(r, w, false);
    if (!m) return;
    if (!r->want_json) { meeting_page(r, w, m); return; }
    json_t *o = meeting_json(m), *att = json_array();
    Stmt *st = db_prep("SELECT a.person_id, p.name, a.mode, a.proxy_name, coalesce(h.rep_id = p.id, 0) FROM meeting_attendance a"
                       " JOIN person p ON p.id = a.person_id LEFT JOIN household h ON h.id = p.household_id WHERE a.meeting_id = :m");
    db_bind_int(st, ":m", m->id);
    while (db_step(st) == SQLITE_ROW)
        json_array_append_new(att, json_pack("{s:I, s:s, s:s, s:s, s:b}", "person_id", (json_int_t)db_col_int(st, 0), "name",
                                             db_col_text(st, 1), "mode", db_col_text(st, 2), "proxy_name", db_col_text(st, 3),
                                             "is_rep", (int)db_col_int(st, 4)));
    sqlite3_reset(st);
    json_object_set_new(o, "attendance", att);
    json_send(w, 200, o);
}

/* ---------------------------------------------------------------------------------------------
 * Editing the minutes: GET/POST /meetings/:id/edit */

static void edit_form(Req *r, Resp *w, const Meeting *m, Form *f) {
    Unit u;
    if (org_unit(r, m->unit_id, &u) != 0) { page_error(r, w, 404, NULL); return; }
    delib_page_begin(r, w, &u, T(r, "编辑会议纪要"), (Crumb[]){{T(r, "会议"), arena_printf(r->arena, "/meetings/%lld", (long long)m->id)},
                                                      {T(r, "编辑会议纪要"), NULL}}, 2);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><section class=\"card\"><form class=\"form\" method=\"post\" action=\"/meetings/%lld/edit\">",
         T(r, "编辑会议纪要"), (long long)m->id);
    ui_csrf(r, b);
    for (int i = 0; i < NEDIT; i++) ui_field(r, b, f, edit_fields[i].name);
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form></section>", T(r, "保存"));
    page_end(r, w);
}

void h_meeting_edit(Req *r, Resp *w) {
    Meeting *m = load_meeting(r, w, true);
    if (!m) return;
    Form f;
    if (r->method != HTTP_POST) {
        form_init(&f, edit_fields, NEDIT);
        form_set(&f, "place", m->place);
        form_set(&f, "convener", m->convener);
        form_set(&f, "agenda", m->agenda);
        form_set(&f, "minutes", m->minutes);
        edit_form(r, w, m, &f);
        return;
    }
    form_read(r, &f, edit_fields, NEDIT);
    if (r->body) {   /* the JSON API changes only what it sends */
        form_fill_absent(r, &f, "place", m->place);
        form_fill_absent(r, &f, "convener", m->convener);
        form_fill_absent(r, &f, "agenda", m->agenda);
        form_fill_absent(r, &f, "minutes", m->minutes);
    }
    if (!f.nerr) {
        str_copy(m->place, sizeof m->place, form_s(&f, "place") ? form_s(&f, "place") : "");
        str_copy(m->convener, sizeof m->convener, form_s(&f, "convener") ? form_s(&f, "convener") : "");
        str_copy(m->agenda, sizeof m->agenda, form_s(&f, "agenda") ? form_s(&f, "agenda") : "");
        str_copy(m->minutes, sizeof m->minutes, form_s(&f, "minutes") ? form_s(&f, "minutes") : "");
        DelibCall c = {.op = OP_MEETING_UPDATE, .meeting = m, .meeting_id = m->id, .by = r->who->user_id};
        Actor a = actor_of(r);
        int rc = dl_apply(&a, m->unit_id, &c);
        if (rc != DELIB_OK && delib_refused(r, w, rc, &f, &c)) return;
    }
    if (f.nerr) {
        if (r->want_json) { form_json_error(r, w, &f); return; }
        w->status = 422;
        edit_form(r, w, m, &f);
        return;
    }
    if (r->want_json) { json_send(w, 200, meeting_json(m)); return; }
    resp_redirect_flash(r, w, arena_printf(r->arena, "/meetings/%lld", (long long)m->id), T(r, "已保存。"));
}

/* ---------------------------------------------------------------------------------------------
 * Attendance: GET/POST /meetings/:id/attendance (and /api/v1/meetings/:id/attendance) */

/* One person who may attend, with what the counts need. */
typedef struct RollRow {
    int64_t id, household_id;
    char name[96], hh_no[24];
    int age;
    bool adult, rep, member, present;
    char proxy[124];
} RollRow;

/* Lists who may attend meeting m on its date: the group's roll on that day (and the committee's
 * members for a committee meeting), with the attendance already saved. Returns the count (at most
 * max) or -1. */
static int roll_rows(const Meeting *m, RollRow *out, int max) {
    /* `serving` (the committee on the day) is read once, not once per person. */
    Stmt *st = db_prep("WITH serving(id) AS (SELECT cm.person_id FROM committee c JOIN committee_member cm ON cm.committee_id = c.id"
                       "  WHERE c.unit_id = :u AND cm.start_date <= :d AND (cm.end_date IS NULL OR cm.end_date > :d))"
                       " SELECT p.id, coalesce(p.household_id, 0), p.name, coalesce(h.hh_no, ''), p.birth, p.status,"
                       " coalesce(p.status_date, ''), coalesce(h.rep_id = p.id, 0), p.id IN serving,"
                       " coalesce(a.mode, ''), coalesce(a.proxy_name, ''), p.unit_id = :u"
                       " FROM person p LEFT JOIN household h ON h.id = p.household_id"
                       " LEFT JOIN meeting_attendance a ON a.meeting_id = :m AND a.person_id = p.id"
                       " WHERE p.unit_id = :u OR (:committee AND p.id IN serving)"
                       " ORDER BY h.hh_no, p.household_id, h.rep_id = p.id DESC, p.birth");
    if (!st) return -1;
    db_bind_int(st, ":u", m->unit_id);
    db_bind_text(st, ":d", m->held_on);
    db_bind_int(st, ":m", m->id);
    db_bind_int(st, ":committee", m->body == MEET_COMMITTEE);
    int32_t on;
    date_parse(m->held_on, &on);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW && n < max) {
        RollEntry e = {0, ROLL_RESIDENT, 0, INT32_MIN, db_col_int(st, 7) != 0, 0};
        if (date_parse(db_col_text(st, 4), &e.birth) != 0 || roll_status_parse(db_col_text(st, 5), &e.status) != 0) continue;
        if (*db_col_text(st, 6)) date_parse(db_col_text(st, 6), &e.status_date);
        bool member = db_col_int(st, 8) > 0, own = db_col_int(st, 11) != 0;
        if (!member && (!own || !roll_on_roll(&e, on))) continue;
        RollRow *x = &out[n++];
        memset(x, 0, sizeof *x);
        x->id = db_col_int(st, 0);
        x->household_id = db_col_int(st, 1);
        str_copy(x->name, sizeof x->name, db_col_text(st, 2));
        str_copy(x->hh_no, sizeof x->hh_no, db_col_text(st, 3));
        x->age = age_on(e.birth, on);
        x->adult = own && roll_eligible(&e, on);
        x->rep = own && e.is_rep && roll_on_roll(&e, on);
        x->member = member;
        x->present = !strcmp(db_col_text(st, 9), "present");
        str_copy(x->proxy, sizeof x->proxy, db_col_text(st, 10));
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

static void attendance_page(Req *r, Resp *w, const Meeting *m, const char *error) {
    Unit u;
    if (org_unit(r, m->unit_id, &u) != 0) { page_error(r, w, 404, NULL); return; }
    RollRow *rows = arena_alloc(r->arena, sizeof *rows * DELIB_ATTEND_MAX);
    int n = roll_rows(m, rows, DELIB_ATTEND_MAX);
    if (n < 0) { page_error(r, w, 500, NULL); return; }
    delib_page_begin(r, w, &u, T(r, "登记到会"), (Crumb[]){{T(r, "会议"), arena_printf(r->arena, "/meetings/%lld", (long long)m->id)},
                                                  {T(r, "登记到会"), NULL}}, 2);
    Buf *b = &w->body;
    if (error) html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", error);
    html(b, "<div class=\"pagehead\"><h1>%s · %s %s</h1></div>", T(r, "登记到会"), delib_date(r, m->held_on), T(r, body_zh(m->body)));
    html(b, "<form class=\"form\" method=\"post\" action=\"/meetings/%lld/attendance\" data-attendance>", (long long)m->id);
    ui_csrf(r, b);
    html_raw(b, "<section class=\"card\">");
    counts_line(r, b, m);
    html(b, "<input type=\"search\" data-filter=\"#attend\" placeholder=\"%s\" aria-label=\"%s\"></section>", T(r, "按姓名或户号查找"), T(r, "查找"));
    html(b, "<div class=\"tablewrap\"><table class=\"list roll\" id=\"attend\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "到会"), T(r, "姓名"), T(r, "户号"), T(r, "年龄"), T(r, "受托人（不计入法定人数）"));
    int64_t last_hh = -1;
    for (int i = 0; i < n; i++) {
        RollRow *x = &rows[i];
        if (x->household_id && x->household_id != last_hh)
            html(b, "<tr class=\"household\"><td colspan=\"5\"><label class=\"check\"><input type=\"checkbox\" name=\"hh\" value=\"%lld\" data-household=\"%lld\"> %s %s</label></td></tr>",
                 (long long)x->household_id, (long long)x->household_id, T(r, "全户到会"), x->hh_no);
        last_hh = x->household_id;
        html(b, "<tr><td><input type=\"checkbox\" name=\"present\" value=\"%lld\" id=\"p%lld\" data-hh=\"%lld\" data-adult=\"%d\" data-rep=\"%d\" data-member=\"%d\"%s></td>",
             (long long)x->id, (long long)x->id, (long long)x->household_id, x->adult, x->rep, x->member, x->present ? " checked" : "");
        html(b, "<td data-label=\"%s\"><label for=\"p%lld\">%s</label>", T(r, "姓名"), (long long)x->id, x->name);
        if (x->rep) html(b, " <span class=\"badge\">%s</span>", T(r, "户代表"));
        if (x->member) html(b, " <span class=\"badge ok\">%s</span>", T(r, "组委会成员"));
        html(b, "</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>", T(r, "户号"), x->hh_no, T(r, "年龄"), Tn(r, "{n} 岁", x->age));
        html(b, "<td data-label=\"%s\"><input type=\"text\" name=\"proxy_%lld\" value=\"%s\" maxlength=\"30\" aria-label=\"%s\" placeholder=\"%s\"></td></tr>",
             T(r, "受托人"), (long long)x->id, x->proxy, T(r, "受托人"), T(r, "受托人"));
    }
    html_raw(b, "</tbody></table></div>");
    if (!n) html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "名册中没有这个组的人员，请先录入组民和户。"));
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form>", T(r, "保存到会名单"));
    html(b, "<script src=\"%s\" defer nonce=\"%s\"></script>", asset_url("assets/js/attendance.js"), r->nonce);
    page_end(r, w);
}

/* Reads the attendance input: form fields present=ID (repeated), hh=HOUSEHOLD (everyone of that
 * household on `rows`) and proxy_ID=NAME, or a JSON body {"present":[ids], "proxies":[{"person_id",
 * "proxy_name"}]}. Returns the number of Attend entries written into out, or -1 for a malformed body. */
static int attendance_input(Req *r, const RollRow *rows, int nrows, Attend *out, int max) {
    int n = 0;
    if (r->body) {
        json_t *o = json_loadb(r->body, r->body_len, 0, NULL), *v;
        size_t i;
        if (!json_is_object(o)) { json_decref(o); return -1; }
        json_array_foreach(json_object_get(o, "present"), i, v)
            if (json_is_integer(v) && n < max) out[n++] = (Attend){json_integer_value(v), true, NULL};
        json_array_foreach(json_object_get(o, "proxies"), i, v) {
            const char *name = json_string_value(json_object_get(v, "proxy_name"));
            if (n < max && name && *name)
                out[n++] = (Attend){json_integer_value(json_object_get(v, "person_id")), false, arena_strdup(r->arena, name)};
        }
        json_decref(o);
        return n;
    }
    for (size_t i = 0; i < r->nparams && n < max; i++) {
        const Param *p = &r->params[i];
        if (p->src != SRC_FORM) continue;
        if (!strcmp(p->name, "present")) out[n++] = (Attend){id_parse(p->value), true, NULL};
        else if (!strcmp(p->name, "hh")) {
            int64_t hh = id_parse(p->value);
            for (int k = 0; k < nrows && n < max; k++)
                if (hh && rows[k].household_id == hh) out[n++] = (Attend){rows[k].id, true, NULL};
        }
    }
    for (int k = 0; k < nrows && n < max; k++) {
        const char *proxy = req_param_src(r, arena_printf(r->arena, "proxy_%lld", (long long)rows[k].id), SRC_FORM);
        if (proxy && *proxy) out[n++] = (Attend){rows[k].id, false, proxy};
    }
    return n;
}

/* Drops duplicates (in-person wins over a proxy) so each person is listed once. */
static int attendance_dedupe(Attend *a, int n) {
    int m = 0;
    for (int i = 0; i < n; i++) {
        int k;
        for (k = 0; k < m && a[k].person_id != a[i].person_id; k++) {}
        if (k < m) { if (a[i].present) a[k] = a[i]; continue; }
        a[m++] = a[i];
    }
    return m;
}

void h_meeting_attendance(Req *r, Resp *w) {
    Meeting *m = load_meeting(r, w, r->method == HTTP_POST);
    if (!m) return;
    if (r->method != HTTP_POST) {
        if (r->want_json) { h_meeting(r, w); return; }
        attendance_page(r, w, m, NULL);
        return;
    }
    RollRow *rows = arena_alloc(r->arena, sizeof *rows * DELIB_ATTEND_MAX);
    int nrows = roll_rows(m, rows, DELIB_ATTEND_MAX);
    Attend *a = arena_alloc(r->arena, sizeof *a * DELIB_ATTEND_MAX * 2);
    int n = nrows < 0 ? -1 : attendance_input(r, rows, nrows, a, DELIB_ATTEND_MAX * 2);
    if (n < 0) { page_error(r, w, 400, NULL); return; }
    n = attendance_dedupe(a, n);
    for (int i = 0; i < n; i++)
        if (a[i].proxy_name && utf8_chars(a[i].proxy_name) > 30) { page_error(r, w, 400, T(r, "受托人姓名不能超过 30 个字")); return; }
    DelibCall c = {.op = OP_ATTENDANCE, .meeting_id = m->id, .attend = a, .nattend = n, .by = r->who->user_id};
    Actor act = actor_of(r);
    int rc = dl_apply(&act, m->unit_id, &c);
    if (rc == DELIB_DB) { page_error(r, w, 500, NULL); return; }
    if (rc == DELIB_REFUSED) {
        if (r->want_json) { json_error(r, w, 422, "invalid", "present", T(r, c.err.msg)); return; }
        w->status = 422;
        attendance_page(r, w, m, T(r, c.err.msg));
        w->status = 422;
        return;
    }
    meeting_get(auth_scope(r), m->id, m);
    if (r->want_json) { json_send(w, 200, meeting_json(m)); return; }
    int q = quorum_of(m);
    resp_redirect_flash(r, w, arena_printf(r->arena, "/meetings/%lld", (long long)m->id),
                        m->present >= q ? Tn2(r, "到会名单已保存：实到 {n} 人，已达到法定人数 {m} 人。", m->present, q)
                                        : Tn2(r, "到会名单已保存：实到 {n} 人，未达到法定人数 {m} 人。", m->present, q));
}

/* ---------------------------------------------------------------------------------------------
 * The sign-in sheet (签到表): GET /meetings/:id/signin, A4, printed before the meeting */

void h_meeting_signin(Req *r, Resp *w) {
    Meeting *m = load_meeting(r, w, false);
    if (!m) return;
    RollRow *rows = arena_alloc(r->arena, sizeof *rows * DELIB_ATTEND_MAX);
    int n = roll_rows(m, rows, DELIB_ATTEND_MAX);
    if (n < 0) { page_error(r, w, 500, NULL); return; }
    page_begin(r, w, T(r, "签到表"), &(PageOpts){.print = true});
    Buf *b = &w->body;
    html(b, "<article class=\"print-doc\"><h1>%s%s%s</h1>", m->unit_name, T(r, body_zh(m->body)), T(r, "签到表"));
    html(b, "<p>%s：%s　%s：%s　%s：%s</p>", T(r, "日期"), delib_date(r, m->held_on), T(r, "地点"), m->place, T(r, "召集人"), m->convener);
    html(b, "<p>%s</p>", Tn2(r, "应到 {n} 人，须有 {m} 人以上到会方可表决。", m->eligible, quorum_of(m)));
    html(b, "<table class=\"list wide\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "序号"), T(r, "户号"), T(r, "姓名"), T(r, "签名"), T(r, "受托人签名"));
    int k = 0;
    for (int i = 0; i < n; i++) {
        RollRow *x = &rows[i];
        bool counts = m->body == MEET_COMMITTEE ? x->member : !strcmp(m->basis, "adults") ? x->adult : x->rep;
        if (!counts) continue;
        html(b, "<tr><td>%d</td><td>%s</td><td>%s%s</td><td></td><td></td></tr>", ++k, x->hh_no, x->name, x->rep ? T(r, "（户代表）") : "");
    }
    html_raw(b, "</tbody></table></article>");
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * Photos: POST /meetings/:id/photos, GET /meetings/:id/photos/:pid */

/* The image type of `data` by its first bytes, or NULL when it is not JPEG, PNG or WebP. */
static const char *image_type(const unsigned char *d, size_t n) {
    if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return "image/jpeg";
    if (n >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8)) return "image/png";
    if (n >= 12 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBP", 4)) return "image/webp";
    return NULL;
}

void h_meeting_photo_add(Req *r, Resp *w) {
    Meeting *m = load_meeting(r, w, true);
    if (!m) return;
    const Upload *up = req_upload(r, "photo");
    const char *type = up ? image_type((const unsigned char *)up->data, up->len) : NULL;
    const char *caption = req_param_src(r, "caption", SRC_FORM);
    DelibCall c = {.op = OP_PHOTO, .meeting_id = m->id, .content_type = type, .note = caption, .data = up ? up->data : NULL,
                   .len = up ? up->len : 0, .by = r->who->user_id};
    int rc = DELIB_REFUSED;
    str_copy(c.err.msg, sizeof c.err.msg, "请选择 JPEG、PNG 或 WebP 格式的照片");
    if (caption && utf8_chars(caption) > 60) str_copy(c.err.msg, sizeof c.err.msg, "照片说明不能超过 60 个字");
    else if (type) {
        Actor a = actor_of(r);
        rc = dl_apply(&a, m->unit_id, &c);
    }
    if (rc == DELIB_DB) { page_error(r, w, 500, NULL); return; }
    const char *back = arena_printf(r->arena, "/meetings/%lld", (long long)m->id);
    if (rc == DELIB_REFUSED) {
        if (r->want_json) { json_error(r, w, 422, "invalid", "photo", T(r, c.err.msg)); return; }
        page_error(r, w, 422, T(r, c.err.msg));
        return;
    }
    if (r->want_json) { json_send(w, 201, json_pack("{s:I}", "id", (json_int_t)c.out_id)); return; }
    resp_redirect_flash(r, w, back, T(r, "照片已上传。"));
}

void h_meeting_photo(Req *r, Resp *w) {
    Meeting *m = load_meeting(r, w, false);
    if (!m) return;
    Stmt *st = db_prep("SELECT content_type, data FROM meeting_photo WHERE id = :p AND meeting_id = :m");
    db_bind_int(st, ":p", path_id(r, "pid"));
    db_bind_int(st, ":m", m->id);
    if (db_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        page_error(r, w, 404, NULL);
        return;
    }
    w->content_type = arena_strdup(r->arena, db_col_text(st, 0));
    buf_append(&w->body, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
    sqlite3_reset(st);
    resp_header(w, "Cache-Control", "private, max-age=86400");
    resp_header(w, "X-Content-Type-Options", "nosniff");
    w->status = 200;
}
