/* api.c — the JSON API of the registry, mirroring the pages: search, read, create and change
 * people and households. Checks and writes are the pages' own (person_save, household_save in
 * pages.c), so the API cannot drift from the forms. An update may send only the fields it
 * changes: the others keep their stored values. Out-of-scope rows answer 404 like missing ones;
 * a household or group named in a body that lies outside the scope is refused as not found. */
#include "org/org.h"
#include "people/store.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/json.h"
#include "platform/page.h"
#include <stdlib.h>
#include <string.h>

/* Keeps the stored value (from `cur`) of every field the JSON body leaves out, re-checking it, so
 * that an update may send only what changes. */
static void keep_absent(Req *r, Form *f, const Form *cur) {
    json_t *body = r->body ? json_loadb(r->body, r->body_len, 0, NULL) : NULL;
    if (json_is_object(body)) {
        for (int k = 0; k < f->n; k++) {
            if (json_object_get(body, f->fields[k].name)) continue;
            if (f->err[k]) f->nerr--;
            f->s[k] = cur->s[k];
            f->err[k] = field_check(r, &f->fields[k], cur->s[k], &f->i[k], &f->code[k]);
            if (f->err[k]) f->nerr++;
        }
    }
    json_decref(body);
}

/* Answers a failed save: form errors as 422, else the status as an error. */
static void save_failed(Req *r, Resp *w, Form *f, int rc) {
    if (rc == 422) form_json_error(r, w, f);
    else page_error(r, w, rc, NULL);
}

/* Sends person `id` as the caller may see it (the whole phone only to an editor of the group). */
static void send_person(Req *r, Resp *w, int status, int64_t id) {
    PersonRow p;
    InScope where;
    if (!person_row_get(auth_scope(r), id, &p) || !person_in_scope(auth_scope(r), id, &where)) {
        page_error(r, w, 404, NULL);
        return;
    }
    json_send(w, status, person_row_json(r, &p, auth_can(r, CAP_EDIT, where.unit_path)));
}

/* Sends household `id` with its members (phones masked, as in any list). */
static void send_household(Req *r, Resp *w, int status, int64_t id) {
    Household h;
    InScope where;
    if (!household_in_scope(auth_scope(r), id, &where) || !household_load(id, &h)) {
        page_error(r, w, 404, NULL);
        return;
    }
    PersonRow *m = arena_alloc(r->arena, sizeof(PersonRow) * HOUSEHOLD_MEMBERS_MAX);
    int n = household_members(h.id, m, HOUSEHOLD_MEMBERS_MAX);
    if (n < 0) { page_error(r, w, 500, NULL); return; }
    json_t *o = household_json_out(r, &h, &where), *members = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(members, person_row_json(r, &m[i], false));
    json_object_set_new(o, "members", members);
    json_send(w, status, o);
}

typedef struct JsonList { Req *r; json_t *items; } JsonList;

static int json_row(void *ctx, const PersonRow *p) {
    JsonList *l = ctx;
    json_array_append_new(l->items, person_row_json(l->r, p, false));
    return 0;
}

void api_people_list(Req *r, Resp *w) {
    PeopleQuery q;
    FilterError fe;
    bool ok = people_filters(r, &q, &fe);
    if (fe.field) { json_error(r, w, 422, fe.code, fe.field, fe.message); return; }
    int page = ui_page_param(r);
    PeoplePage pg = {.rows = arena_alloc(r->arena, sizeof(PersonRow) * PEOPLE_PAGE)};
    long long total = !ok ? 0 : people_page(&q, (page - 1) * PEOPLE_PAGE, &pg) == 0 ? pg.total : -1;
    JsonList l = {r, json_array()};
    for (int i = 0; total > 0 && i < pg.n; i++) json_row(&l, &pg.rows[i]);
    if (total < 0) {
        json_decref(l.items);
        page_error(r, w, 500, NULL);
        return;
    }
    json_send(w, 200, json_pack("{s:o, s:i, s:i, s:I, s:b}", "items", l.items, "page", page, "per_page", PEOPLE_PAGE,
                                "total", (json_int_t)total, "total_capped", pg.capped));
}

void api_person_get(Req *r, Resp *w) { send_person(r, w, 200, path_id(r, "id")); }

void api_person_create(Req *r, Resp *w) {
    Form f;
    form_read(r, &f, person_fields, person_nfields);
    int64_t hh = form_i(&f, "household_id");
    if (!form_has(&f, "household_id")) form_fail(&f, "household_id", "required", T(r, "必填"));
    Person p;
    int rc = person_save(r, &f, NULL, hh, &p);   /* 422 with every form error, the ID number's included */
    if (rc == 404) {
        form_fail(&f, "household_id", "not_found", T(r, "找不到这个户，或它不在您的管辖范围内"));
        rc = 422;
    }
    if (rc) { save_failed(r, w, &f, rc); return; }
    send_person(r, w, 201, p.id);
}

void api_person_update(Req *r, Resp *w) {
    int64_t id = path_id(r, "id");
    InScope where;
    Person before;
    if (!id || !person_in_scope(auth_scope(r), id, &where) || !person_load(id, &before)) { page_error(r, w, 404, NULL); return; }
    Form cur, f;
    form_init(&cur, person_fields, person_nfields);
    person_form_fill(r, &cur, &before);
    form_read(r, &f, person_fields, person_nfields);
    keep_absent(r, &f, &cur);
    Person p;
    int rc = person_save(r, &f, &before, 0, &p);
    if (rc) { save_failed(r, w, &f, rc); return; }
    send_person(r, w, 200, id);
}

void api_household_get(Req *r, Resp *w) { send_household(r, w, 200, path_id(r, "id")); }

void api_household_create(Req *r, Resp *w) {
    Form f;
    form_read(r, &f, household_fields, household_nfields);
    int64_t unit = form_i(&f, "unit_id");
    if (!f.nerr && !unit) form_fail(&f, "unit_id", "required", T(r, "必填"));
    Household h;
    int rc = f.nerr ? 422 : household_save(r, &f, NULL, unit, &h);
    if (rc == 404) {
        form_fail(&f, "unit_id", "not_found", T(r, "找不到这个村民组，或它不在您的管辖范围内"));
        rc = 422;
    }
    if (rc) { save_failed(r, w, &f, rc); return; }
    send_household(r, w, 201, h.id);
}

void api_household_update(Req *r, Resp *w) {
    int64_t id = path_id(r, "id");
    InScope where;
    Household before;
    if (!id || !household_in_scope(auth_scope(r), id, &where) || !household_load(id, &before)) {
        page_error(r, w, 404, NULL);
        return;
    }
    if (*before.ended_at) { json_error(r, w, 409, "ended", NULL, T(r, HOUSEHOLD_ENDED_REFUSAL)); return; }
    Form cur, f;
    form_init(&cur, household_fields, household_nfields);
    household_form_fill(r, &cur, &before);
    form_read(r, &f, household_fields, household_nfields);
    keep_absent(r, &f, &cur);
    Household h;
    int rc = household_save(r, &f, &before, before.unit_id, &h);
    if (rc) { save_failed(r, w, &f, rc); return; }
    send_household(r, w, 200, id);
}
