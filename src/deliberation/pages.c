/* pages.c — what the deliberation pages share: loading a group from the path, the page frame of a
 * group, dates, refusals answered as JSON or re-rendered, the QR block and the JSON forms. */
#include "deliberation/delib.h"
#include "org/org.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include "platform/qr.h"
#include <stdlib.h>
#include <string.h>

int delib_group_param(Req *r, Resp *w, Unit *u) {
    int64_t id = path_id(r, "id");
    if (!id || org_unit(r, id, u) != 0 || u->kind != UNIT_GROUP) {
        page_error(r, w, 404, NULL);
        return -1;
    }
    return 0;
}

int delib_new_target(Req *r, Resp *w, Form *f, const Field *fields, int n, Unit *u) {
    if (r->want_json) {   /* the API names the group in the body */
        form_read(r, f, fields, n);
        if (!form_i(f, "unit_id") || org_unit(r, form_i(f, "unit_id"), u) != 0 || u->kind != UNIT_GROUP) {
            page_error(r, w, 404, NULL);
            return -1;
        }
    } else {              /* the page names it in the path */
        if (delib_group_param(r, w, u) != 0) return -1;
        if (r->method != HTTP_POST) {
            form_init(f, fields, n);
            return 1;
        }
        form_read(r, f, fields, n);
    }
    if (!auth_can(r, CAP_EDIT, u->path)) { page_error(r, w, 403, NULL); return -1; }
    return 0;
}

void delib_page_begin(Req *r, Resp *w, const Unit *u, const char *title, const Crumb *extra, int nextra) {
    Crumb crumbs[ORG_CRUMBS_MAX + 2];
    int n = org_crumbs(r, u, crumbs, ORG_CRUMBS_MAX - 1);
    for (int i = 0; i < nextra && i < 2; i++) crumbs[n++] = extra[i];
    page_begin(r, w, title, &(PageOpts){.crumbs = crumbs, .ncrumbs = n, .menu = "/matters", .unit = u->name});
}

const char *delib_date(Req *r, const char *iso) {
    int32_t d;
    return iso && *iso && date_parse(iso, &d) == 0 ? fmt_date(r, d) : "";
}

bool delib_refused(Req *r, Resp *w, int rc, Form *f, const DelibCall *c) {
    if (rc == DELIB_DB) {
        page_error(r, w, 500, NULL);
        return true;
    }
    const char *field = c->err.field ? c->err.field : f->fields[0].name;
    form_fail(f, field, rc == DELIB_REFUSED && !c->err.field ? "refused" : "invalid", T(r, c->err.msg));
    if (r->want_json) {
        json_error(r, w, 422, c->err.field ? "invalid" : "refused", c->err.field, T(r, c->err.msg));
        return true;
    }
    w->status = 422;
    return false;
}

const char *delib_public_url(Req *r, const char *path) {
    const char *host = req_header(r, "Host"), *proto = req_header(r, "X-Forwarded-Proto");
    if (!host || !*host || strpbrk(host, " \"'<>\\/")) host = "localhost";
    return arena_printf(r->arena, "%s://%s%s", proto && strcmp(proto, "https") == 0 ? "https" : "http", host, path);
}

void delib_qr(Req *r, Buf *b, const char *url, const char *caption) {
    html_raw(b, "<div class=\"qr\">");
    qr_svg(b, url);
    html(b, "<p>%s</p></div>", caption);
}

json_t *matter_json(const Matter *m) {
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)m->id,
                          "unit_id", (json_int_t)m->unit_id, "unit_name", m->unit_name, "title", m->title, "description",
                          m->description, "category", m->category, "raised_by", m->raised_by, "raised_on", m->raised_on,
                          "major", m->major, "stage", stage_key(m->stage), "stage_since", m->stage_since, "proposal",
                          m->proposal, "decision", m->decision, "stage_name", stage_zh(m->stage));
    json_object_set_new(o, "decided_on", *m->decided_on ? json_string(m->decided_on) : json_null());
    json_object_set_new(o, "closed_on", *m->closed_on ? json_string(m->closed_on) : json_null());
    json_object_set_new(o, "vote_id", m->vote_id ? json_integer(m->vote_id) : json_null());
    json_object_set_new(o, "published", json_boolean(m->vote_id != 0));
    return o;
}

json_t *meeting_json(const Meeting *m) {
    VoteBody vb;
    QuorumBasis qb;
    meeting_rule(m, &vb, &qb);
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:b}", "id", (json_int_t)m->id,
                     "unit_id", (json_int_t)m->unit_id, "unit_name", m->unit_name, "body", body_key(m->body), "basis",
                     m->basis, "held_on", m->held_on, "place", m->place, "convener", m->convener, "agenda", m->agenda,
                     "minutes", m->minutes, "eligible", m->eligible, "present", m->present, "proxies", m->proxies,
                     "quorum", quorum_required(vb, qb, m->eligible), "attendance_taken", m->attendance_taken);
}

json_t *vote_json(const VoteRec *v) {
    return json_pack("{s:I, s:I, s:I, s:b, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:s}", "id", (json_int_t)v->id, "matter_id",
                     (json_int_t)v->matter_id, "meeting_id", (json_int_t)v->meeting_id, "secret", v->secret, "result",
                     v->passed ? "passed" : "failed", "eligible", v->eligible, "present", v->present, "for", v->votes_for,
                     "against", v->votes_against, "abstain", v->abstentions, "void", v->void_ballots, "reason", v->reason);
}

void meeting_options(Req *r, Buf *b, int64_t unit_id, int64_t cur) {
    Stmt *st = db_prep("SELECT id, body, held_on, place FROM meeting WHERE unit_id = :u ORDER BY held_on DESC, id DESC LIMIT 40");
    db_bind_int(st, ":u", unit_id);
    html(b, "<option value=\"\">%s</option>", T(r, "请选择会议"));
    while (db_step(st) == SQLITE_ROW) {
        int body = body_parse(db_col_text(st, 1));
        int64_t id = db_col_int(st, 0);
        html(b, "<option value=\"%lld\"%s>%s %s %s</option>", (long long)id, id == cur ? " selected" : "",
             delib_date(r, db_col_text(st, 2)), T(r, body_zh(body < 0 ? MEET_ASSEMBLY : (MeetingBody)body)), db_col_text(st, 3));
    }
    sqlite3_reset(st);
}
