/* visits.c — household visits (入户走访): the field form, the offline batch upload, the list, one
 * visit, its photo, editing and voiding, and the service worker that keeps the form usable
 * without signal.
 *
 * The form is the fastest and most forgiving in the product: the member's own households are one
 * tap away, any other is found by 户号 or head's name, a typo keeps every value, and with JS the
 * form keeps working offline (assets/js/visit.js queues visits in IndexedDB under a client id and
 * sends them to POST /api/v1/visits/batch, which answers each id created / duplicate / error). */
#include "committees/duties.h"
#include "contact/pages.h"
#include "org/units.h"
#include "contact/photo.h"
#include "people/store.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/embed.h"
#include "platform/html.h"
#include "platform/json.h"
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Helpers shared by the page files */

bool contact_period_filter(const Req *r, const char *name, bool quarters, CompliancePeriod *out, FilterError *e) {
    const char *v = req_param_src(r, name, SRC_QUERY);
    if (!v || !*v) return false;
    if (compliance_period_parse(v, out) == 0 && (quarters || !out->quarter)) return true;
    filter_fail(e, name, "format", quarters ? T(r, "统计期间应写成 2026-11（月）或 2026Q4（季度）。") : T(r, "月份应写成 2026-11。"));
    return false;
}

const char *contact_today_iso(Req *r) {
    char *s = arena_alloc(r->arena, DATE_ISO_SIZE);
    date_format(date_today(), s, DATE_ISO_SIZE);
    return s;
}

bool contact_may_edit(const Req *r, int64_t entered_by, const char *created_at, const char *unit_path) {
    if (auth_can(r, CAP_REVIEW, unit_path)) return true;
    if (!r->who || entered_by != r->who->user_id || !auth_can(r, CAP_FIELD, unit_path)) return false;
    int32_t made;
    char day[DATE_ISO_SIZE];
    snprintf(day, sizeof day, "%.10s", created_at);
    return date_parse(day, &made) == 0 && date_today() - made < CONTACT_EDIT_DAYS;
}

int64_t contact_my_member_id(const Req *r) {
    if (!r->who || !r->who->person_id) return 0;
    return member_unit_on(r->who->person_id, date_today()) ? r->who->person_id : 0;
}

void contact_page_script(Req *r, Buf *b, const char *asset) {
    html(b, "<script src=\"%s\" defer nonce=\"%s\"></script>", asset_url(asset), r->nonce);
}

unsigned contact_duties_of(Req *r) {
    if (!r->body) return duties_from_req(r, "duty");
    json_t *o = json_loadb(r->body, r->body_len, 0, NULL);
    unsigned set = 0;
    if (o && duties_from_json(json_object_get(o, "duties"), &set) != 0) set = 0;
    json_decref(o);
    return set;
}

/* ---------------------------------------------------------------------------------------------
 * Reading and checking a visit */

static const Field visit_fields[] = {
    {"visited_on", "走访日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
    {"member", "走访成员", FT_ID, false, 0, 0, NULL, NULL, NULL},
    {"household", "走访农户", FT_ID, false, 0, 0, NULL, NULL, NULL},
    {"household_q", "其他农户", FT_TEXT, false, 0, 30, NULL, NULL, "输入户号或户主姓名（拼音首字母也可以）"},
    {"purpose", "走访目的", FT_TEXT, true, 1, 200, NULL, NULL, "例如：宣传医保政策、了解春耕困难"},
    {"requests", "群众诉求", FT_TEXTAREA, false, 0, 2000, NULL, NULL, NULL},
    {"problems", "发现的问题", FT_TEXTAREA, false, 0, 2000, NULL, NULL, NULL},
    {"help", "帮助解决情况", FT_TEXTAREA, false, 0, 2000, NULL, NULL, NULL},
    {"follow_up", "后续跟进", FT_TEXTAREA, false, 0, 2000, NULL, NULL, "需要上报或转为事项的，写明交给谁"},
    {"client_id", "离线编号", FT_TEXT, false, 8, 64, NULL, NULL, NULL},
    {"duty", "履职类别", FT_TEXT, false, 0, 20, NULL, NULL, NULL},   /* errors only: the boxes are read by duties_of() */
};
enum { NVISIT = sizeof visit_fields / sizeof visit_fields[0] };

/* A household found by the search text. */
typedef struct HhHit { int64_t id, unit_id; const char *label, *unit_name; } HhHit;

/* Finds up to max households in `scope` whose 户号 is q, or whose head's name or pinyin initials
 * start with q; the member's assigned households first. Returns the count. */
static int household_find(Req *r, const char *scope, const char *q, int64_t member, HhHit *out, int max) {
    Stmt *st = db_prep("SELECT h.id, h.unit_id, coalesce(p.name, ''), h.hh_no, u.name FROM household h"
                       " JOIN unit u ON u.id = h.unit_id LEFT JOIN person p ON p.id = h.head_id"
                       " WHERE u.path BETWEEN :scope AND :scope || '~' AND h.ended_at IS NULL"
                       " AND (h.hh_no = :q OR p.name LIKE :q || '%' OR p.initials LIKE upper(:q) || '%')"
                       " ORDER BY EXISTS (SELECT 1 FROM visit_assignment a WHERE a.household_id = h.id AND a.person_id = :m"
                       " AND a.end_date IS NULL) DESC, h.hh_no LIMIT :lim");
    db_bind_text(st, ":scope", scope);
    db_bind_text(st, ":q", q);
    db_bind_int(st, ":m", member);
    db_bind_int(st, ":lim", max);
    int n = 0;
    while (db_step(st) == SQLITE_ROW && n < max) {
        out[n].id = db_col_int(st, 0);
        out[n].unit_id = db_col_int(st, 1);
        const char *head = db_col_text(st, 2), *no = db_col_text(st, 3);
        out[n].label = *no ? arena_printf(r->arena, "%s（%s）", *head ? head : "—", no) : arena_strdup(r->arena, head);
        out[n].unit_name = arena_strdup(r->arena, db_col_text(st, 4));
        n++;
    }
    if (st) sqlite3_reset(st);
    return n;
}

/* The member's name, or NULL when the person does not exist. */
static const char *person_name(Req *r, int64_t id) {
    Stmt *st = db_prep("SELECT name FROM person WHERE id = :id");
    db_bind_int(st, ":id", id);
    const char *name = NULL;
    if (db_step(st) == SQLITE_ROW) name = arena_strdup(r->arena, db_col_text(st, 0));
    if (st) sqlite3_reset(st);
    return name;
}

/* The path of a unit, in the arena ("" when unknown). */
static const char *unit_path_of(Req *r, int64_t unit_id) {
    Stmt *st = db_prep("SELECT path FROM unit WHERE id = :id");
    db_bind_int(st, ":id", unit_id);
    const char *p = "";
    if (db_step(st) == SQLITE_ROW) p = arena_strdup(r->arena, db_col_text(st, 0));
    if (st) sqlite3_reset(st);
    return p;
}

/* Checks a submitted visit and fills v. Errors land on the form; `hits` receives households
 * matching an ambiguous search (for the page to offer). Returns the number of errors. */
static int visit_check(Req *r, Form *f, Visit *v, HhHit *hits, int *nhits) {
    *nhits = 0;
    memset(v, 0, sizeof *v);
    v->day = (int32_t)form_i(f, "visited_on");
    if (form_s(f, "visited_on") && !f->err[0] && v->day > date_today())
        form_fail(f, "visited_on", "future", T(r, "走访日期不能晚于今天"));
    int64_t me = r->who->person_id;
    v->member_id = form_i(f, "member") ? form_i(f, "member") : me;
    v->on_behalf = v->member_id != me;
    if (!v->member_id) {
        form_fail(f, "member", "required", T(r, "请选择走访的组委会成员"));
    } else if (form_s(f, "visited_on") && !f->err[0]) {
        v->member_unit = member_unit_on(v->member_id, v->day);
        const char *path = v->member_unit ? unit_path_of(r, v->member_unit) : "";
        if (!v->member_unit)
            form_fail(f, "member", "not_member", T(r, "这个人在走访日期不是组委会成员"));
        else if (!auth_can(r, CAP_FIELD, path))
            form_fail(f, "member", "not_found", T(r, "找不到这个成员，或不在您的管辖范围内"));
        else if (v->on_behalf && !auth_can(r, CAP_REVIEW, path))
            form_fail(f, "member", "forbidden", T(r, "只能为自己登记走访；代录需要村干部或以上权限"));
    }
    InScope where;
    if (form_i(f, "household")) {
        if (household_in_scope(auth_scope(r), form_i(f, "household"), &where)) {
            v->household_id = form_i(f, "household");
            v->unit_id = where.unit_id;
        } else {
            form_fail(f, "household", "not_found", T(r, "找不到这户，或不在您的管辖范围内"));
        }
    } else if (form_s(f, "household_q")) {
        int n = household_find(r, auth_scope(r), form_s(f, "household_q"), v->member_id, hits, 12);
        if (n == 1) {
            v->household_id = hits[0].id;
            v->unit_id = hits[0].unit_id;
        } else if (n == 0) {
            form_fail(f, "household_q", "not_found", T(r, "没有找到这户，请检查户号或姓名"));
        } else {
            *nhits = n;
            form_fail(f, "household_q", "ambiguous", T(r, "找到多户，请在下面选一户"));
        }
    } else {
        form_fail(f, "household", "required", T(r, "请选择走访的农户"));
    }
    int32_t ended;
    if (v->household_id && v->day && household_end_day(v->household_id, &ended) && ended < v->day)
        form_fail(f, form_i(f, "household") ? "household" : "household_q", "ended", T(r, "这户在走访日期之前已注销"));
    v->duties = contact_duties_of(r);
    if (!v->duties) form_fail(f, "duty", "required", T(r, "请至少选择一项履职类别"));
    v->client_id = form_s(f, "client_id");
    v->purpose = form_s(f, "purpose");
    v->requests = form_s(f, "requests");
    v->problems = form_s(f, "problems");
    v->help = form_s(f, "help");
    v->follow_up = form_s(f, "follow_up");
    v->entered_by = r->who->user_id;
    return f->nerr;
}

static json_t *visit_json(const Visit *v) {
    char day[DATE_ISO_SIZE];
    date_format(v->day, day, sizeof day);
    return json_pack("{s:I, s:s?, s:I, s:s?, s:I, s:s?, s:I, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:b, s:b, s:b, s:s?}",
                     "id", (json_int_t)v->id, "client_id", v->client_id, "member_id", (json_int_t)v->member_id,
                     "member_name", v->member_name, "household_id", (json_int_t)v->household_id, "household", v->hh_label,
                     "unit_id", (json_int_t)v->unit_id, "visited_on", day, "purpose", v->purpose, "requests", v->requests,
                     "problems", v->problems, "help", v->help, "follow_up", v->follow_up, "duties", duties_json(v->duties),
                     "on_behalf", v->on_behalf, "voided", v->voided, "has_photo", v->has_photo, "void_reason",
                     v->voided ? v->void_reason : NULL);
}

/* What the audit log keeps of a visit: the facts, not the free text. */
static json_t *visit_audit_json(const Visit *v) {
    char day[DATE_ISO_SIZE];
    date_format(v->day, day, sizeof day);
    return json_pack("{s:I, s:I, s:s, s:i, s:b}", "member_id", (json_int_t)v->member_id, "household_id",
                     (json_int_t)v->household_id, "visited_on", day, "duties", (int)v->duties, "on_behalf", v->on_behalf);
}

typedef struct VisitCtx { Visit *v; const Visit *before; const char *reason; int64_t by; Buf *photo; const char *mime; } VisitCtx;

static int apply_visit_create(void *ctx, int64_t *id) {
    VisitCtx *c = ctx;
    if (visit_insert(c->v) != 0) return -1;
    if (c->photo && c->photo->len && visit_photo_put(c->v->id, c->mime, c->photo->p, c->photo->len) != 0) return -1;
    *id = c->v->id;
    return 0;
}

static int apply_visit_update(void *ctx, int64_t *id) {
    VisitCtx *c = ctx;
    if (visit_update(c->before, c->v) != 0) return -1;
    if (c->photo && c->photo->len && visit_photo_put(c->before->id, c->mime, c->photo->p, c->photo->len) != 0) return -1;
    *id = c->before->id;
    return 0;
}

static int apply_visit_void(void *ctx, int64_t *id) {
    VisitCtx *c = ctx;
    *id = c->before->id;
    return visit_void(c->before, c->reason, c->by);
}

/* The actor of a visit write: the login, naming the member when written for them (代录). */
static Actor visit_actor(Req *r, const Visit *v) {
    Actor a = actor_of(r);
    if (v->on_behalf) a.on_behalf = person_name(r, v->member_id) ? person_name(r, v->member_id) : "";
    return a;
}

/* Cleans the uploaded photo into *out. Returns 0 (also when there is none) or a PHOTO_* error. */
static int read_photo(Req *r, Buf *out, const char **mime) {
    const Upload *u = req_upload(r, "photo");
    if (!u || u->len == 0) return 0;
    return photo_clean((const unsigned char *)u->data, u->len, CONTACT_PHOTO_MAX, out, mime);
}

/* Saves a checked new visit. Returns 0, 1 when the client id was already used (sets v->id to the
 * stored visit), or -1. */
static int visit_save_new(Req *r, Visit *v, Buf *photo, const char *mime) {
    if (v->client_id && (v->id = visit_by_client_id(v->client_id)) != 0) return 1;
    VisitCtx ctx = {v, NULL, NULL, 0, photo, mime};
    Change c = {"create", "visit", 0, v->unit_id, NULL, visit_audit_json(v), apply_visit_create, &ctx};
    Actor a = visit_actor(r, v);
    if (change_apply(&a, &c) == 0) return 0;
    if (v->client_id && (v->id = visit_by_client_id(v->client_id)) != 0) return 1;   /* a retry won the race */
    return -1;
}

/* ---------------------------------------------------------------------------------------------
 * The form */

/* Writes the radio list of the households assigned to `member`, with when each was last visited. */
static void assigned_choices(Req *r, Buf *b, int64_t member, int64_t chosen) {
    Stmt *st = db_prep("SELECT h.id, coalesce(p.name, ''), h.hh_no,"
                       " (SELECT max(v.visited_on) FROM visit v WHERE v.household_id = h.id AND v.void_at IS NULL)"
                       " FROM visit_assignment a JOIN household h ON h.id = a.household_id LEFT JOIN person p ON p.id = h.head_id"
                       " WHERE a.person_id = :m AND a.end_date IS NULL ORDER BY 4 NULLS FIRST, h.hh_no LIMIT 60");
    db_bind_int(st, ":m", member);
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        if (!n++) html(b, "<div class=\"field\"><fieldset class=\"choices hh-choices\"><legend>%s</legend>", T(r, "我联系的农户"));
        int64_t id = db_col_int(st, 0);
        const char *last = db_col_text(st, 3);
        html(b, "<label><input type=\"radio\" name=\"household\" value=\"%lld\"%s> %s%s%s <span class=\"hint\">%s</span></label>",
             (long long)id, id == chosen ? " checked" : "", db_col_text(st, 1), *db_col_text(st, 2) ? " · " : "",
             db_col_text(st, 2), *last ? arena_printf(r->arena, "%s %s", T(r, "上次"), last) : T(r, "未走访过"));
    }
    if (st) sqlite3_reset(st);
    if (n) html_raw(b, "</fieldset></div>");
}

/* Writes the member choice for cadres recording on behalf of a member (members in scope). */
static void member_choice(Req *r, Buf *b, const Form *f) {
    /* Units are walked in path order (CROSS JOIN keeps that order) so the list stops after 300
     * without reading every seat of a county; a person holds one open seat at most. */
    Stmt *st = db_prep("SELECT p.id, p.name, u.name FROM unit u CROSS JOIN committee c ON c.unit_id = u.id"
                       " CROSS JOIN committee_member cm ON cm.committee_id = c.id AND cm.end_date IS NULL JOIN person p ON p.id = cm.person_id"
                       " WHERE u.path BETWEEN :scope AND :scope || '~' ORDER BY u.path, p.name LIMIT 300");
    db_bind_text(st, ":scope", auth_scope(r));
    int64_t chosen = form_i(f, "member");
    const char *err = f->err[1];
    html(b, "<div class=\"field%s\"><label for=\"f-member\">%s</label><select id=\"f-member\" name=\"member\"><option value=\"\">%s</option>",
         err ? " has-error" : "", T(r, "走访成员（代录）"), T(r, "本人"));
    while (db_step(st) == SQLITE_ROW)
        html(b, "<option value=\"%lld\"%s>%s · %s</option>", (long long)db_col_int(st, 0), db_col_int(st, 0) == chosen ? " selected" : "",
             db_col_text(st, 1), db_col_text(st, 2));
    if (st) sqlite3_reset(st);
    html(b, "</select><p class=\"hint\">%s</p>", T(r, "替年老或不便使用手机的成员登记时选择该成员，系统会同时记录录入人。"));
    if (err) html(b, "<p class=\"error\">%s</p>", err);
    html_raw(b, "</div>");
}

static void visit_form_page(Req *r, Resp *w, Form *f, const Visit *old, const HhHit *hits, int nhits, const char *photo_err) {
    const char *title = old ? T(r, "修改走访记录") : T(r, "登记走访");
    page_begin(r, w, title, &(PageOpts){.menu = "/visits/new", .back = old ? "/visits" : "/"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1>", title);
    if (!old) html(b, "<div class=\"actions\"><a class=\"button\" href=\"/visits\">%s</a></div>", T(r, "走访记录"));
    html_raw(b, "</div>");
    if (!old)
        html(b, "<p class=\"flash warn\" id=\"offline-status\" hidden></p>");
    html(b, "<section class=\"card\"><form class=\"form\" id=\"visit-form\" method=\"post\" enctype=\"multipart/form-data\" action=\"%s\"",
         old ? arena_printf(r->arena, "/visits/%lld/edit", (long long)old->id) : "/visits/new");
    html_raw(b, old ? ">" : " data-offline=\"visit\">");
    ui_csrf(r, b);
    if (!old) html(b, "<input type=\"hidden\" name=\"client_id\" value=\"%s\">", form_s(f, "client_id") ? form_s(f, "client_id") : "");
    ui_field(r, b, f, "visited_on");
    int64_t me = contact_my_member_id(r);
    if (auth_has(r, CAP_REVIEW)) member_choice(r, b, f);
    else if (!me) html(b, "<p class=\"flash err\">%s</p>", T(r, "您的账号没有关联在任的组委会成员，无法登记走访。请联系村干部。"));
    int64_t member = form_i(f, "member") ? form_i(f, "member") : me;
    if (member) assigned_choices(r, b, member, form_i(f, "household"));
    if (nhits) {
        html(b, "<div class=\"field has-error\"><fieldset class=\"choices\"><legend>%s</legend>", T(r, "请选择一户"));
        for (int i = 0; i < nhits; i++)
            html(b, "<label><input type=\"radio\" name=\"household\" value=\"%lld\"> %s · %s</label>", (long long)hits[i].id,
                 hits[i].label, hits[i].unit_name);
        html_raw(b, "</fieldset></div>");
    }
    if (f->err[2]) html(b, "<p class=\"error\">%s</p>", f->err[2]);
    html_raw(b, "<div class=\"typeahead\">");
    ui_field(r, b, f, "household_q");
    html_raw(b, "<ul class=\"suggest\" id=\"hh-suggest\" hidden></ul></div>");
    ui_field(r, b, f, "purpose");
    ui_duty_checkboxes(r, b, "duty", old && !f->submitted ? old->duties : contact_duties_of(r), f->submitted && !contact_duties_of(r) ? T(r, "请至少选择一项履职类别") : NULL);
    ui_field(r, b, f, "requests");
    ui_field(r, b, f, "problems");
    ui_field(r, b, f, "help");
    ui_field(r, b, f, "follow_up");
    html(b, "<div class=\"field%s\"><label for=\"f-photo\">%s</label><input id=\"f-photo\" type=\"file\" name=\"photo\" accept=\"image/jpeg,image/png\" capture=\"environment\">"
            "<p class=\"hint\">%s</p>", photo_err ? " has-error" : "", T(r, "照片（可选）"), T(r, "JPEG 或 PNG，不超过 5 MB；位置等隐藏信息会被自动去除。"));
    if (photo_err) html(b, "<p class=\"error\">%s</p>", photo_err);
    html(b, "</div><div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form></section>", T(r, "保存走访"));
    if (!old) html(b, "<section class=\"card\" id=\"offline-queue\" hidden><h2>%s</h2><ul></ul></section>", T(r, "待上传的走访"));
    contact_page_script(r, b, "assets/js/visit.js");
    page_end(r, w);
}

void h_visit_new(Req *r, Resp *w) {
    Form f;
    form_init(&f, visit_fields, NVISIT);
    form_set(&f, "visited_on", contact_today_iso(r));
    const char *hh = req_param_src(r, "household", SRC_QUERY);
    if (hh) { form_set(&f, "household", hh); f.i[2] = atoll(hh); }
    visit_form_page(r, w, &f, NULL, NULL, 0, NULL);
}

void h_visit_create(Req *r, Resp *w) {
    Form f;
    Visit v;
    HhHit hits[12];
    int nhits;
    form_read(r, &f, visit_fields, NVISIT);
    visit_check(r, &f, &v, hits, &nhits);
    Buf photo = BUF_INIT;
    const char *mime = NULL, *photo_err = NULL;
    int prc = read_photo(r, &photo, &mime);
    if (prc) photo_err = T(r, photo_error_zh(prc));
    if (f.nerr || photo_err) {
        buf_free(&photo);
        if (r->want_json) {
            if (f.nerr) form_json_error(r, w, &f);
            else json_error(r, w, 422, "photo", "photo", photo_err);
            return;
        }
        w->status = 422;
        visit_form_page(r, w, &f, NULL, hits, nhits, photo_err);
        return;
    }
    int rc = visit_save_new(r, &v, &photo, mime);
    buf_free(&photo);
    if (rc < 0) { page_error(r, w, 500, NULL); return; }
    if (r->want_json) {
        Visit stored;
        if (!visit_load(r->arena, auth_scope(r), v.id, &stored)) { page_error(r, w, 500, NULL); return; }
        json_t *j = visit_json(&stored);
        json_object_set_new(j, "status", json_string(rc == 1 ? "duplicate" : "created"));
        json_send(w, rc == 1 ? 200 : 201, j);
        return;
    }
    resp_redirect_flash(r, w, "/visits/new", rc == 1 ? T(r, "这条走访已经保存过了。") : T(r, "走访已保存。"));
}

/* ---------------------------------------------------------------------------------------------
 * Batch upload from the offline queue */

void h_visit_batch(Req *r, Resp *w) {
    json_t *arr = r->body ? json_loadb(r->body, r->body_len, 0, NULL) : NULL;
    if (json_is_object(arr)) {   /* {"visits": [...]} is accepted too */
        json_t *inner = json_incref(json_object_get(arr, "visits"));
        json_decref(arr);
        arr = inner;
    }
    if (!json_is_array(arr)) {
        json_decref(arr);
        json_error(r, w, 400, "bad_json", NULL, T(r, "请求体应为走访记录的 JSON 数组"));
        return;
    }
    if (json_array_size(arr) > CONTACT_BATCH_MAX) {
        json_decref(arr);
        json_error(r, w, 413, "too_many", NULL, Tn(r, "一次最多上传 {n} 条走访", CONTACT_BATCH_MAX));
        return;
    }
    json_t *results = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item) {
        json_t *res = json_object();
        const char *cid = json_string_value(json_object_get(item, "client_id"));
        json_object_set_new(res, "client_id", cid ? json_string(cid) : json_null());
        char *text = json_is_object(item) ? json_dumps(item, JSON_COMPACT) : NULL;
        Form f;
        Visit v;
        HhHit hits[12];
        int nhits;
        if (!text || !cid) {
            json_object_set_new(res, "status", json_string("error"));
            json_object_set_new(res, "code", json_string("client_id"));
            json_object_set_new(res, "message", json_string(T(r, "每条离线走访都要有 client_id")));
        } else {
            r->body = text;
            r->body_len = strlen(text);
            int64_t dup = visit_by_client_id(cid);
            if (!dup) {
                form_read(r, &f, visit_fields, NVISIT);
                visit_check(r, &f, &v, hits, &nhits);
            }
            if (dup) {
                json_object_set_new(res, "status", json_string("duplicate"));
                json_object_set_new(res, "id", json_integer(dup));
            } else if (f.nerr) {
                int k = 0;
                while (k < f.n && !f.err[k]) k++;
                json_object_set_new(res, "status", json_string("error"));
                json_object_set_new(res, "code", json_string(k < f.n && f.code[k] ? f.code[k] : "invalid"));
                json_object_set_new(res, "field", json_string(k < f.n ? f.fields[k].name : "duty"));
                json_object_set_new(res, "message", json_string(k < f.n ? f.err[k] : T(r, "请至少选择一项履职类别")));
            } else {
                int rc = visit_save_new(r, &v, NULL, NULL);
                json_object_set_new(res, "status", json_string(rc == 0 ? "created" : rc == 1 ? "duplicate" : "error"));
                if (rc >= 0) json_object_set_new(res, "id", json_integer(v.id));
                else json_object_set_new(res, "message", json_string(T(r, "保存失败，请稍后重试")));
            }
            free(text);
        }
        json_array_append_new(results, res);
    }
    json_decref(arr);
    r->body = NULL;
    json_send(w, 200, json_pack("{s:o}", "results", results));
}

/* ---------------------------------------------------------------------------------------------
 * Type-ahead: households for the visit form */

void h_household_search(Req *r, Resp *w) {
    const char *q = req_param_src(r, "q", SRC_QUERY);
    const char *m = req_param_src(r, "member", SRC_QUERY);
    json_t *arr = json_array();
    if (q && *q) {
        HhHit hits[20];
        int n = household_find(r, auth_scope(r), q, m ? atoll(m) : r->who->person_id, hits, 20);
        for (int i = 0; i < n; i++)
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)hits[i].id, "label", hits[i].label,
                                                 "unit", hits[i].unit_name));
    }
    json_send(w, 200, json_pack("{s:o}", "items", arr));
}

/* ---------------------------------------------------------------------------------------------
 * One visit: view, edit, void, photo */

static bool load_visit(Req *r, Resp *w, Visit *v) {
    if (!visit_load(r->arena, auth_scope(r), path_id(r, "id"), v)) { page_error(r, w, 404, NULL); return false; }
    return true;
}

void h_visit_get(Req *r, Resp *w) {
    Visit v;
    if (!load_visit(r, w, &v)) return;
    if (r->want_json) { json_send(w, 200, visit_json(&v)); return; }
    page_begin(r, w, T(r, "走访记录"), &(PageOpts){.menu = "/visits/new", .back = "/visits"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s %s</h1>", T(r, "走访"), v.hh_label);
    bool can = !v.voided && contact_may_edit(r, v.entered_by, v.created_at, v.unit_path);
    if (can) html(b, "<div class=\"actions\"><a class=\"button\" href=\"/visits/%lld/edit\">%s</a></div>", (long long)v.id, T(r, "修改"));
    html_raw(b, "</div>");
    if (v.voided) html(b, "<p class=\"flash warn\">%s%s</p>", T(r, "已作废："), v.void_reason);
    html(b, "<section class=\"card\"><dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd><a href=\"/households/%lld\">%s</a> · %s</dd>",
         T(r, "走访日期"), fmt_date(r, v.day), T(r, "走访成员"), v.member_name, T(r, "走访农户"), (long long)v.household_id, v.hh_label, v.unit_name);
    if (v.on_behalf) html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "代录人"), v.entered_name);
    html(b, "<dt>%s</dt><dd>", T(r, "履职类别"));
    ui_duty_badges(r, b, v.duties);
    html(b, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl>",
         T(r, "走访目的"), v.purpose, T(r, "群众诉求"), v.requests, T(r, "发现的问题"), v.problems, T(r, "帮助解决情况"), v.help,
         T(r, "后续跟进"), v.follow_up);
    if (v.has_photo) html(b, "<p><img class=\"visit-photo\" src=\"/visits/%lld/photo\" alt=\"%s\"></p>", (long long)v.id, T(r, "走访照片"));
    html_raw(b, "</section>");
    if (can) {
        html(b, "<section class=\"card\"><h2>%s</h2><form class=\"form\" method=\"post\" action=\"/visits/%lld/void\" data-confirm=\"%s\">",
             T(r, "作废"), (long long)v.id, T(r, "作废后这次走访不再计入履职，确定吗？"));
        ui_csrf(r, b);
        html(b, "<div class=\"field\"><label for=\"f-reason\">%s *</label><input id=\"f-reason\" name=\"reason\" required maxlength=\"200\"></div>"
                "<div class=\"actions\"><button class=\"danger\" type=\"submit\">%s</button></div></form></section>",
             T(r, "作废原因"), T(r, "作废这条记录"));
    }
    page_end(r, w);
}

void h_visit_edit(Req *r, Resp *w) {
    Visit old;
    if (!load_visit(r, w, &old)) return;
    if (old.voided || !contact_may_edit(r, old.entered_by, old.created_at, old.unit_path)) {
        page_error(r, w, 403, T(r, "超过 7 天的记录只能由审核人修改；已作废的记录不能修改。"));
        return;
    }
    Form f;
    if (r->method == HTTP_GET) {
        form_init(&f, visit_fields, NVISIT);
        char day[DATE_ISO_SIZE];
        date_format(old.day, day, sizeof day);
        form_set(&f, "visited_on", arena_strdup(r->arena, day));
        form_set(&f, "member", arena_printf(r->arena, "%lld", (long long)old.member_id));
        f.i[1] = old.member_id;
        form_set(&f, "household", arena_printf(r->arena, "%lld", (long long)old.household_id));
        f.i[2] = old.household_id;
        form_set(&f, "purpose", old.purpose);
        form_set(&f, "requests", old.requests);
        form_set(&f, "problems", old.problems);
        form_set(&f, "help", old.help);
        form_set(&f, "follow_up", old.follow_up);
        visit_form_page(r, w, &f, &old, NULL, 0, NULL);
        return;
    }
    Visit v;
    HhHit hits[12];
    int nhits;
    form_read(r, &f, visit_fields, NVISIT);
    if (!form_i(&f, "member")) { form_set(&f, "member", "x"); f.i[1] = old.member_id; }
    visit_check(r, &f, &v, hits, &nhits);
    Buf photo = BUF_INIT;
    const char *mime = NULL, *photo_err = NULL;
    int prc = read_photo(r, &photo, &mime);
    if (prc) photo_err = T(r, photo_error_zh(prc));
    if (f.nerr || photo_err) {
        buf_free(&photo);
        if (r->want_json) { if (f.nerr) form_json_error(r, w, &f); else json_error(r, w, 422, "photo", "photo", photo_err); return; }
        w->status = 422;
        visit_form_page(r, w, &f, &old, hits, nhits, photo_err);
        return;
    }
    v.id = old.id;
    v.on_behalf = old.on_behalf;
    VisitCtx ctx = {&v, &old, NULL, 0, &photo, mime};
    Change c = {"update", "visit", old.id, v.unit_id, visit_audit_json(&old), visit_audit_json(&v), apply_visit_update, &ctx};
    Actor a = visit_actor(r, &v);
    int rc = change_apply(&a, &c);
    buf_free(&photo);
    if (rc != 0) { page_error(r, w, 500, NULL); return; }
    if (r->want_json) {
        Visit stored;
        visit_load(r->arena, auth_scope(r), old.id, &stored);
        json_send(w, 200, visit_json(&stored));
        return;
    }
    resp_redirect_flash(r, w, arena_printf(r->arena, "/visits/%lld", (long long)old.id), T(r, "已保存。"));
}

void h_visit_void(Req *r, Resp *w) {
    Visit old;
    if (!load_visit(r, w, &old)) return;
    if (old.voided || !contact_may_edit(r, old.entered_by, old.created_at, old.unit_path)) {
        page_error(r, w, 403, T(r, "超过 7 天的记录只能由审核人作废；已作废的记录不能再作废。"));
        return;
    }
    static const Field void_fields[] = {{"reason", "作废原因", FT_TEXT, true, 2, 200, NULL, NULL, NULL}};
    Form f;
    if (form_read(r, &f, void_fields, 1)) {
        if (r->want_json) { form_json_error(r, w, &f); return; }
        resp_redirect_error(r, w, arena_printf(r->arena, "/visits/%lld", (long long)old.id), T(r, "请填写作废原因。"));
        return;
    }
    VisitCtx ctx = {NULL, &old, form_s(&f, "reason"), r->who->user_id, NULL, NULL};
    Change c = {"void", "visit", old.id, old.unit_id, visit_audit_json(&old), json_pack("{s:s}", "reason", ctx.reason),
                apply_visit_void, &ctx};
    Actor a = actor_of(r);
    if (change_apply(&a, &c) != 0) { page_error(r, w, 500, NULL); return; }
    if (r->want_json) { json_send(w, 200, json_pack("{s:I, s:b}", "id", (json_int_t)old.id, "voided", 1)); return; }
    resp_redirect_flash(r, w, arena_printf(r->arena, "/visits/%lld", (long long)old.id), T(r, "记录已作废。"));
}

static int apply_visit_photo(void *ctx, int64_t *id) {
    VisitCtx *c = ctx;
    *id = c->before->id;
    return visit_photo_put(c->before->id, c->mime, c->photo->p, c->photo->len);
}

void h_visit_photo_post(Req *r, Resp *w) {
    Visit old;
    if (!load_visit(r, w, &old)) return;
    if (old.voided || !contact_may_edit(r, old.entered_by, old.created_at, old.unit_path)) {
        json_error(r, w, 403, "forbidden", NULL, T(r, "超过 7 天的记录只能由审核人修改；已作废的记录不能修改。"));
        return;
    }
    Buf photo = BUF_INIT;
    const char *mime = NULL;
    int prc = read_photo(r, &photo, &mime);
    if (prc || !photo.len) {
        buf_free(&photo);
        json_error(r, w, 422, "photo", "photo", prc ? T(r, photo_error_zh(prc)) : T(r, "请选择一张照片。"));
        return;
    }
    VisitCtx ctx = {NULL, &old, NULL, 0, &photo, mime};
    Change c = {"photo", "visit", old.id, old.unit_id, NULL, json_pack("{s:s, s:I}", "mime", mime, "bytes", (json_int_t)photo.len),
                apply_visit_photo, &ctx};
    Actor a = visit_actor(r, &old);
    int rc = change_apply(&a, &c);
    buf_free(&photo);
    if (rc != 0) { page_error(r, w, 500, NULL); return; }
    json_send(w, 200, json_pack("{s:I, s:b}", "id", (json_int_t)old.id, "has_photo", 1));
}

void h_visit_photo(Req *r, Resp *w) {
    Visit v;
    if (!load_visit(r, w, &v)) return;
    Stmt *st = db_prep("SELECT mime, bytes FROM visit_photo WHERE visit_id = :v");
    db_bind_int(st, ":v", v.id);
    if (db_step(st) != SQLITE_ROW) { if (st) sqlite3_reset(st); page_error(r, w, 404, NULL); return; }
    w->content_type = strcmp(db_col_text(st, 0), "image/png") == 0 ? "image/png" : "image/jpeg";
    buf_reset(&w->body);
    buf_append(&w->body, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
    sqlite3_reset(st);
    resp_header(w, "Cache-Control", "private, max-age=86400");
}

/* ---------------------------------------------------------------------------------------------
 * The list */

enum { VISIT_COUNT_CAP = 1000 };   /* a filtered list counts at most this many rows past its page */

/* What the list is filtered by. */
typedef struct VisitFilter {
    const char *scope;          /* path of the scope unit */
    int64_t scope_unit;         /* its id (0: none in reach) */
    bool scope_group;           /* the scope is one village group (no units below it) */
    bool scope_all;             /* the scope is the only root: every unit is in it */
    char from[DATE_ISO_SIZE], to[DATE_ISO_SIZE];   /* "" when no month is chosen */
    int m1, m2;                 /* the months of from..to, 0 when none */
    int64_t member, household;
    unsigned duty;
    bool voided;
} VisitFilter;

/* The list's row sources, one literal statement each, chosen by the index the rows are read
 * through in display order (date, then id, newest first): the member's or the household's visits,
 * the group's, the whole list by date (visit_recent, which also covers the scope, void and duty
 * tests) for the county, a township's range of visit_township (which covers the same tests), the
 * same range for a village, testing each entry's group, or, for any other scope (a county beside
 * others), the whole list by date tested against the units in scope. Every other filter is always
 * present with a neutral value when not chosen: the whole date range, every duty (255), voided
 * ones or not. */
typedef enum { VD_MEMBER, VD_HOUSEHOLD, VD_GROUP, VD_ALL, VD_TOWNSHIP, VD_VILLAGE, VD_SCOPE } VisitDriver;

#define VISIT_TAIL " AND x.visited_on BETWEEN :from AND :to AND (x.duties & :d) != 0 AND (:voided OR x.void_at IS NULL)"
#define VW_MEMBER " FROM visit x WHERE x.member_id = :m AND (:h = 0 OR +x.household_id = :h)" VISIT_TAIL
#define VW_HOUSEHOLD " FROM visit x WHERE x.household_id = :h" VISIT_TAIL
#define VW_GROUP " FROM visit x WHERE x.unit_id = :g" VISIT_TAIL
#define VW_ALL " FROM visit x WHERE 1" VISIT_TAIL
#define VW_TOWNSHIP " FROM visit x WHERE x.township_id = :g" VISIT_TAIL
#define VW_VILLAGE                                                                                             \
    " FROM visit x WHERE x.township_id = (SELECT parent_id FROM unit WHERE id = :g)"                           \
    " AND +x.unit_id IN (SELECT id FROM unit WHERE parent_id = :g)" VISIT_TAIL
#define VW_SCOPE " FROM visit x WHERE +x.unit_id IN (SELECT id FROM unit WHERE path BETWEEN :scope AND :scope || '~')" VISIT_TAIL
/* A count in order of nothing: the scope's groups one by one, each read from visit_unit alone (for
 * a township no dearer than its range of visit_township, decision 0008). */
#define VC_SCOPE " FROM unit u CROSS JOIN visit x ON x.unit_id = u.id WHERE u.path BETWEEN :scope AND :scope || '~'" VISIT_TAIL
#define VISIT_COUNT(where) "SELECT count(*) FROM (SELECT 1" where " LIMIT :cap)"
#define VISIT_PAGE(where)                                                                                       \
    "SELECT v.id, v.visited_on, p.name, coalesce(hp.name, ''), h.hh_no, u.name, v.purpose, v.duties,"           \
    " v.void_at IS NOT NULL, v.member_id, v.household_id, v.on_behalf"                                          \
    " FROM visit v JOIN unit u ON u.id = v.unit_id JOIN person p ON p.id = v.member_id"                          \
    " JOIN household h ON h.id = v.household_id LEFT JOIN person hp ON hp.id = h.head_id"                        \
    " WHERE v.id IN (SELECT x.id" where " ORDER BY x.visited_on DESC, x.id DESC LIMIT :lim OFFSET :off)"        \
    " ORDER BY v.visited_on DESC, v.id DESC"

static VisitDriver visit_driver(const VisitFilter *f) {
    if (f->member) return VD_MEMBER;
    if (f->household) return VD_HOUSEHOLD;
    if (f->scope_group) return VD_GROUP;
    if (f->scope_all) return VD_ALL;
    switch (unit_path_levels(f->scope)) {
    case 2: return VD_TOWNSHIP;
    case 3: return VD_VILLAGE;
    default: return VD_SCOPE;
    }
}

/* Binds int parameter `name` when the statement has it. */
static void bind_if(Stmt *st, const char *name, int64_t v) {
    if (st && sqlite3_bind_parameter_index(st, name)) db_bind_int(st, name, v);
}

/* Binds the filter into a statement of the list (whichever parameters it has). */
static void visit_bind(Stmt *st, const VisitFilter *f) {
    if (!st) return;
    if (sqlite3_bind_parameter_index(st, ":scope")) db_bind_text(st, ":scope", f->scope);
    db_bind_text(st, ":from", *f->from ? f->from : "0000-00-00");
    db_bind_text(st, ":to", *f->to ? f->to : "9999-99-99");
    db_bind_int(st, ":d", f->duty ? f->duty : 255);
    db_bind_int(st, ":voided", f->voided);
    bind_if(st, ":m", f->member);
    bind_if(st, ":h", f->household);
    bind_if(st, ":g", f->scope_unit);
}

/* True when visit_tally counts the filter's visits by month: no member, household or duty filter. */
static bool visit_tallied(const VisitFilter *f) { return !f->member && !f->household && !f->duty; }

/* The number of visits the filter shows. Without a member, household or duty filter it is read
 * from visit_tally (kept with every write); otherwise the rows are counted through the filter's
 * index, at most `cap`, and *capped says whether the count stopped there. */
static long long visit_total(const VisitFilter *f, long long cap, bool *capped) {
    *capped = false;
    if (visit_tallied(f)) {
        Stmt *st = db_prep("SELECT coalesce(sum(visits + :vo * voided), 0) FROM visit_tally WHERE unit_id = :u AND month BETWEEN :a AND :b");
        db_bind_int(st, ":vo", f->voided);
        db_bind_int(st, ":u", f->scope_unit);
        db_bind_int(st, ":a", f->m1 ? f->m1 : 0);
        db_bind_int(st, ":b", f->m2 ? f->m2 : 999999);
        return db_one_int(st, 0);
    }
    Stmt *st = NULL;
    switch (visit_driver(f)) {
    case VD_MEMBER: st = db_prep(VISIT_COUNT(VW_MEMBER)); break;
    case VD_HOUSEHOLD: st = db_prep(VISIT_COUNT(VW_HOUSEHOLD)); break;
    case VD_GROUP: st = db_prep(VISIT_COUNT(VW_GROUP)); break;
    case VD_ALL: st = db_prep(VISIT_COUNT(VW_ALL)); break;
    case VD_TOWNSHIP:
    case VD_VILLAGE:
    case VD_SCOPE: st = db_prep(VISIT_COUNT(VC_SCOPE)); break;
    }
    visit_bind(st, f);
    db_bind_int(st, ":cap", cap);
    long long n = db_one_int(st, 0);
    *capped = n >= cap;
    return n;
}

/* A page deep in a tallied list need not walk every visit before it: the list runs newest first,
 * so the scope's tally of each month, newest first, leads to the month where the page starts.
 * Writes that month's last day as the page's upper bound into `to` ("YYYY-MM-99" sorts after
 * every day of the month) and returns the offset left inside it. The county's page 20,000 walked
 * a million visits (660 ms); now at most one month of the county's (~38,000). */
static int64_t visit_seek(const VisitFilter *f, int64_t offset, char to[DATE_ISO_SIZE]) {
    Stmt *st = db_prep("SELECT month, visits + :vo * voided FROM visit_tally"
                       " WHERE unit_id = :u AND month BETWEEN :a AND :b ORDER BY month DESC");
    if (!st) return offset;
    db_bind_int(st, ":vo", f->voided);
    db_bind_int(st, ":u", f->scope_unit);
    db_bind_int(st, ":a", f->m1 ? f->m1 : 0);
    db_bind_int(st, ":b", f->m2 ? f->m2 : 999999);
    while (db_step(st) == SQLITE_ROW) {
        int64_t n = db_col_int(st, 1);
        if (offset < n) {
            unsigned month = (unsigned)db_col_int(st, 0);   /* YYYYMM */
            snprintf(to, DATE_ISO_SIZE, "%04u-%02u-99", month / 100 % 10000, month % 100);
            break;
        }
        offset -= n;
    }
    sqlite3_reset(st);
    return offset;
}

/* Reads the list's filters from the query string into f; `has_month` and `d` tell the page what
 * was chosen, and *bad the first filter the list does not offer (a unit outside the scope is not
 * one: it lists nothing, as in every list). */
static void visit_filter_of(Req *r, VisitFilter *f, bool *has_month, const Duty **d, FilterError *bad) {
    memset(f, 0, sizeof *f);
    memset(bad, 0, sizeof *bad);
    f->scope = auth_scope(r);
    f->scope_unit = r->who->scope_unit;
    int64_t unit = filter_id(r, "unit", bad);
    if (unit) {
        const char *p = unit_path_of(r, unit);
        bool ok = *p && auth_can(r, CAP_VIEW, p);
        f->scope = ok ? p : "~none";
        f->scope_unit = ok ? unit : 0;
    }
    unit_scope_shape(f->scope, &f->scope_group, &f->scope_all);
    CompliancePeriod per;
    *has_month = contact_period_filter(r, "month", true, &per, bad);
    if (*has_month) {
        date_format(per.from, f->from, sizeof f->from);
        date_format(per.to, f->to, sizeof f->to);
        f->m1 = compliance_month_of(per.from);
        f->m2 = compliance_month_of(per.to);
    }
    const char *duty = req_param_src(r, "duty", SRC_QUERY);
    *d = duty && *duty ? duty_find(duty) : NULL;
    if (duty && *duty && !*d) filter_fail(bad, "duty", "choice", T(r, "没有这个履职类别，请从列表中选择。"));
    f->duty = *d ? (*d)->bit : 0;
    f->member = filter_id(r, "member", bad);
    f->household = filter_id(r, "household", bad);
    const char *voided = filter_choice(r, "voided", FILTER_ON, NULL, bad);
    f->voided = voided && strcmp(voided, "1") == 0;
}

void h_visit_list(Req *r, Resp *w) {
    const char *month = req_param_src(r, "month", SRC_QUERY);
    const char *unit = req_param_src(r, "unit", SRC_QUERY);
    VisitFilter vf;
    bool has_month;
    const Duty *d;
    FilterError bad;
    visit_filter_of(r, &vf, &has_month, &d, &bad);
    if (bad.field && r->want_json) { json_error(r, w, 422, bad.code, bad.field, bad.message); return; }
    int page = ui_page_param(r), per_page = CONTACT_PAGE;
    int64_t offset = (int64_t)(page - 1) * per_page;
    bool capped = false;
    long long total = bad.field ? 0 : visit_total(&vf, offset + VISIT_COUNT_CAP, &capped);
    /* The page's ids through the chosen index, then their details. */
    Stmt *st = NULL;
    if (offset < total) {
        switch (visit_driver(&vf)) {
        case VD_MEMBER: st = db_prep(VISIT_PAGE(VW_MEMBER)); break;
        case VD_HOUSEHOLD: st = db_prep(VISIT_PAGE(VW_HOUSEHOLD)); break;
        case VD_GROUP: st = db_prep(VISIT_PAGE(VW_GROUP)); break;
        case VD_ALL: st = db_prep(VISIT_PAGE(VW_ALL)); break;
        case VD_TOWNSHIP: st = db_prep(VISIT_PAGE(VW_TOWNSHIP)); break;
        case VD_VILLAGE: st = db_prep(VISIT_PAGE(VW_VILLAGE)); break;
        case VD_SCOPE: st = db_prep(VISIT_PAGE(VW_SCOPE)); break;
        }
    }
    visit_bind(st, &vf);
    if (st) {
        char to[DATE_ISO_SIZE] = "";
        int64_t skip = offset && visit_tallied(&vf) ? visit_seek(&vf, offset, to) : offset;
        if (*to) db_bind_text(st, ":to", to);
        db_bind_int(st, ":lim", per_page);
        db_bind_int(st, ":off", skip);
    }
    if (r->want_json) {
        json_t *items = json_array();
        while (st && db_step(st) == SQLITE_ROW) {
            json_array_append_new(items, json_pack("{s:I, s:s, s:I, s:s, s:I, s:s, s:s, s:s, s:o, s:b, s:b}", "id",
                                                   (json_int_t)db_col_int(st, 0), "visited_on", db_col_text(st, 1), "member_id",
                                                   (json_int_t)db_col_int(st, 9), "member_name", db_col_text(st, 2), "household_id",
                                                   (json_int_t)db_col_int(st, 10), "household", db_col_text(st, 3), "unit", db_col_text(st, 5),
                                                   "purpose", db_col_text(st, 6), "duties", duties_json((unsigned)db_col_int(st, 7)),
                                                   "voided", db_col_int(st, 8) != 0, "on_behalf", db_col_int(st, 11) != 0));
        }
        json_send(w, 200, json_pack("{s:o, s:i, s:i, s:I, s:b}", "items", items, "page", page, "per_page", per_page, "total",
                                    (json_int_t)total, "total_capped", capped));
        return;
    }
    page_begin(r, w, T(r, "走访记录"), &(PageOpts){.menu = "/visits/new"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1><div class=\"actions\"><a class=\"button\" href=\"/guidance\">%s</a>"
            "<a class=\"button\" href=\"/contact/compliance\">%s</a><a class=\"button primary\" href=\"/visits/new\">%s</a></div></div>",
         T(r, "走访记录"), T(r, "联系指导"), T(r, "履职统计"), T(r, "登记走访"));
    html(b, "<form class=\"filters\" method=\"get\"><input type=\"month\" name=\"month\" value=\"%s\" aria-label=\"%s\">"
            "<select name=\"duty\" aria-label=\"%s\"><option value=\"\">%s</option>", has_month ? month : "", T(r, "月份"), T(r, "履职类别"), T(r, "全部类别"));
    for (const Duty *x = duties; x->bit; x++)
        html(b, "<option value=\"%s\"%s>%s</option>", x->key, d == x ? " selected" : "", T(r, x->zh));
    html(b, "</select>");
    if (vf.member) html(b, "<input type=\"hidden\" name=\"member\" value=\"%lld\">", (long long)vf.member);
    if (vf.household) html(b, "<input type=\"hidden\" name=\"household\" value=\"%lld\">", (long long)vf.household);
    if (unit) html(b, "<input type=\"hidden\" name=\"unit\" value=\"%s\">", unit);
    html(b, "<label class=\"check\"><input type=\"checkbox\" name=\"voided\" value=\"1\"%s> %s</label><button type=\"submit\">%s</button></form>",
         vf.voided ? " checked" : "", T(r, "含已作废"), T(r, "筛选"));
    if (bad.field) { ui_filter_refused(r, w, bad.message); return; }
    int n = 0;
    while (st && db_step(st) == SQLITE_ROW) {
        if (!n++)
            html(b, "<div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                 T(r, "农户"), T(r, "日期"), T(r, "成员"), T(r, "目的"), T(r, "履职类别"));
        const char *no = db_col_text(st, 4);
        html(b, "<tr><td><a href=\"/visits/%lld\">%s%s%s</a>", (long long)db_col_int(st, 0), db_col_text(st, 3), *no ? " · " : "", no);
        if (db_col_int(st, 8)) html(b, " <span class=\"badge muted\">%s</span>", T(r, "已作废"));
        html(b, "</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">",
             T(r, "日期"), db_col_text(st, 1), T(r, "成员"), db_col_text(st, 2), T(r, "目的"), db_col_text(st, 6), T(r, "类别"));
        ui_duty_badges(r, b, (unsigned)db_col_int(st, 7));
        html_raw(b, "</td></tr>");
    }
    if (st) sqlite3_reset(st);
    if (!n) {
        html(b, "<div class=\"empty\"><p>%s</p><p><a class=\"button primary\" href=\"/visits/new\">%s</a></p></div>",
             T(r, "没有符合条件的走访记录。"), T(r, "登记走访"));
    } else {
        html_raw(b, "</tbody></table></div>");
        if (capped) ui_capped_pager(r, b, page, true);
        else ui_pager(r, b, page, per_page, total);
    }
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * The service worker, served from the root so that its scope covers /visits/new */

void h_service_worker(Req *r, Resp *w) {
    const EmbeddedFile *f = embed_find("assets/js/sw.js");
    if (!f) { page_error(r, w, 404, NULL); return; }
    w->content_type = "text/javascript; charset=utf-8";
    resp_header(w, "Cache-Control", "no-cache");
    resp_header(w, "Service-Worker-Allowed", "/");
    w->static_body = f->data;
    w->static_len = embed_size(f);
}
