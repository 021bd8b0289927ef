/* ending.c — 注销户: ending a household nobody lives in any more, and undoing it.
 *
 * A household whose members have all died, moved away or joined other households stays on the
 * books forever otherwise: in its group's list, in the households to visit, and holding its 户号.
 * Ending it keeps the row, its members' history and its visits, and records the date and why
 * (022_household_end.sql); its visit assignment ends the same day. Only a household with no member
 * living at home or away working can be ended. A mistake is undone with 恢复, unless the group has
 * since given the number to another household.
 *
 * POST /households/:id/end and /restore answer the household page's forms, and the same handlers
 * answer POST /api/v1/households/:id/end and /restore with JSON. */
#include "org/org.h"
#include "people/store.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/html.h"
#include "platform/json.h"
#include "platform/page.h"
#include <string.h>

const Choice end_reason_choices[] = {
    {"moved", "全户迁出"}, {"deceased", "全户已故"}, {"merged", "并入他户"}, {"other", "其他原因"}, {NULL, NULL},
};

const Field household_end_fields[] = {
    {"on", "注销日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
    {"reason", "注销原因", FT_ENUM, true, 0, 0, end_reason_choices, NULL, NULL},
};
const int household_end_nfields = sizeof household_end_fields / sizeof household_end_fields[0];

/* Why a household cannot be ended or restored now (409). */
static void refuse(PersonErr *err, const char *code, const char *message) {
    err->field = NULL;
    err->code = code;
    err->message = message;
}

int household_end_save(Req *r, Form *f, const Household *h, const InScope *where, PersonErr *err) {
    if (!auth_can(r, CAP_EDIT, where->unit_path)) return 403;
    if (*h->ended_at) { refuse(err, "ended", T(r, "此户已经注销。")); return 409; }
    if (!f->nerr && form_i(f, "on") > date_today()) form_fail(f, "on", "future", T(r, "注销日期不能晚于今天"));
    if (f->nerr) return 422;
    char on[DATE_ISO_SIZE];
    date_format((int32_t)form_i(f, "on"), on, sizeof on);
    Actor a = actor_of(r);
    int rc = household_end(&a, h, on, form_s(f, "reason"));
    if (rc == PEOPLE_HH_LIVED_IN) {
        refuse(err, "lived_in", T(r, "户内还有在家或外出务工的成员，不能注销。请先为他们登记迁出、去世或换户。"));
        return 409;
    }
    return rc ? 500 : 0;
}

int household_restore_save(Req *r, const Household *h, const InScope *where, PersonErr *err) {
    if (!auth_can(r, CAP_EDIT, where->unit_path)) return 403;
    if (!*h->ended_at) { refuse(err, "not_ended", T(r, "此户没有注销。")); return 409; }
    Unit u;
    if (org_unit(r, h->unit_id, &u) != 0) return 500;
    if (unit_ended(&u)) { refuse(err, "group_ended", T(r, "这个组已撤销，不能在组里恢复户。")); return 409; }
    Actor a = actor_of(r);
    int rc = household_restore(&a, h);
    if (rc == PEOPLE_HH_NO_TAKEN) {
        refuse(err, "taken", T(r, "本组已有这个户号的户，不能恢复。请先把其中一户改号。"));
        return 409;
    }
    return rc ? 500 : 0;
}

void household_refused(Req *r, Resp *w, const Household *h, int rc, const PersonErr *err) {
    if (rc == 409 && r->want_json) json_error(r, w, 409, err->code, NULL, err->message);
    else if (rc == 409) resp_redirect_error(r, w, arena_printf(r->arena, "/households/%lld", (long long)h->id), err->message);
    else page_error(r, w, rc, NULL);
}

void household_changed(Req *r, Resp *w, int64_t id, int status, const char *note) {
    if (!r->want_json) {
        resp_redirect_flash(r, w, arena_printf(r->arena, "/households/%lld", (long long)id), note);
        return;
    }
    Household h;
    InScope where;
    if (!household_in_scope(auth_scope(r), id, &where) || !household_load(id, &h)) { page_error(r, w, 500, NULL); return; }
    json_send(w, status, household_json_out(r, &h, &where));
}

void h_household_end(Req *r, Resp *w) {
    Household h;
    InScope where;
    if (!load_household(r, w, &h, &where)) return;
    Form f;
    form_read(r, &f, household_end_fields, household_end_nfields);
    PersonErr err;
    int rc = household_end_save(r, &f, &h, &where, &err);
    if (rc == 0) household_changed(r, w, h.id, 200, T(r, "已注销此户。"));
    else if (rc == 422 && r->want_json) form_json_error(r, w, &f);
    else if (rc == 422) {
        w->status = 422;
        household_page(r, w, &h, &where, &f);
    }
    else household_refused(r, w, &h, rc, &err);
}

void h_household_restore(Req *r, Resp *w) {
    Household h;
    InScope where;
    if (!load_household(r, w, &h, &where)) return;
    PersonErr err;
    int rc = household_restore_save(r, &h, &where, &err);
    if (rc == 0) household_changed(r, w, h.id, 200, T(r, "已恢复此户。"));
    else household_refused(r, w, &h, rc, &err);
}

void household_end_card(Req *r, Buf *b, const Household *h, const Form *f) {
    html(b, "<section class=\"card\"><h2>%s</h2><p class=\"hint\">%s</p>", T(r, "注销此户"),
         T(r, "户内已没有在家或外出务工的成员。注销后，此户不再列在本组的户中，也不再分配走访，户号可以再用；户的记录、成员和走访都保留。"));
    if (f->nerr) html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", T(r, "请按提示修改标红的项目。"));
    html(b, "<form class=\"form\" method=\"post\" action=\"/households/%lld/end\" novalidate>", (long long)h->id);
    ui_csrf(r, b);
    ui_field(r, b, f, "on");
    ui_field(r, b, f, "reason");
    html(b, "<div class=\"actions\"><button class=\"danger\" type=\"submit\">%s</button></div></form></section>", T(r, "注销此户"));
}

void household_ended_note(Req *r, Buf *b, const Household *h) {
    int32_t on = 0;
    date_parse(h->ended_at, &on);
    const char *why = T(r, choice_label(end_reason_choices, h->end_reason));
    html(b, "<div class=\"flash warn\" role=\"status\">%s%s</div>", T(r, "此户已注销"),
         Tparen(r, arena_printf(r->arena, "%s · %s", fmt_date(r, on), why)));
}

void household_restore_button(Req *r, Buf *b, const Household *h) {
    html(b, "<form class=\"actions\" method=\"post\" action=\"/households/%lld/restore\">", (long long)h->id);
    ui_csrf(r, b);
    html(b, "<button type=\"submit\">%s</button></form>", T(r, "恢复此户"));
}
