/* api.c — the JSON API of the org tree under /api/v1/units. The same store and the same scope
 * rules as the pages; errors as {"error":{"code","field","message"}}. */
#include "org/org.h"
#include "platform/auth.h"
#include "platform/json.h"
#include <string.h>

static const Choice kind_choices[] = {
    {"county", "县"}, {"township", "乡镇"}, {"village", "行政村"}, {"group", "村民组"}, {NULL, NULL},
};

static const Field create_fields[] = {
    {"parent_id", "上级单位", FT_ID, true, 0, 0, NULL, NULL, NULL},
    {"kind", "层级", FT_ENUM, false, 0, 0, kind_choices, NULL, NULL},
    {"subkind", "类型", FT_TEXT, false, 0, 8, NULL, NULL, NULL},
    {"name", "名称", FT_TEXT, true, 0, UNIT_NAME_MAX, NULL, NULL, NULL},
    {"code", "区划代码", FT_DIGITS, false, 0, 15, NULL, NULL, NULL},
    {"sort", "排序号", FT_INT, false, 0, 9999, NULL, NULL, NULL},
    {"start_date", "成立日期", FT_DATE, false, 0, 0, NULL, NULL, NULL},
};

static const Field update_fields[] = {
    {"name", "名称", FT_TEXT, false, 0, UNIT_NAME_MAX, NULL, NULL, NULL},
    {"code", "区划代码", FT_DIGITS, false, 0, 15, NULL, NULL, NULL},
    {"subkind", "类型", FT_TEXT, false, 0, 8, NULL, NULL, NULL},
    {"sort", "排序号", FT_INT, false, 0, 9999, NULL, NULL, NULL},
};

static const Field move_fields[] = {
    {"parent_id", "新上级单位", FT_ID, true, 0, 0, NULL, NULL, NULL},
    {"code", "新区划代码", FT_DIGITS, false, 0, 15, NULL, NULL, NULL},
};

static const Field end_fields[] = {
    {"end_date", "撤销日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
};

#define NFIELDS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Answers with a store error. */
static void send_err(Req *r, Resp *w, const UnitErr *e) {
    json_error(r, w, e->status, e->code, e->field, T(r, e->msg));
}

/* Answers 200 (or `status`) with unit `id` as the caller now sees it. */
static void send_unit(Req *r, Resp *w, int status, int64_t id) {
    Unit u;
    if (org_unit(r, id, &u) != 0) { page_error(r, w, 404, NULL); return; }
    json_t *o = unit_json(&u);
    PartyOrg p;
    if (party_get(auth_scope(r), u.id, &p) == 0)
        json_object_set_new(o, "party", json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)p.id, "kind", p.kind,
                                                  "name", p.name, "leader_name", p.leader_name));
    json_send(w, status, o);
}

/* The submitted text of field `name` exactly as sent: NULL when absent, "" when empty. */
static const char *sent(const Form *f, const char *name) {
    for (int k = 0; k < f->n; k++)
        if (!strcmp(f->fields[k].name, name)) return f->s[k];
    return NULL;
}

/* GET /api/v1/units/:id */
void api_unit_get(Req *r, Resp *w) {
    Unit u;
    if (org_unit_param(r, w, "id", &u) == 0) send_unit(r, w, 200, u.id);
}

/* GET /api/v1/units/:id/children?page=&ended=1 */
void api_unit_children(Req *r, Resp *w) {
    Unit u;
    if (org_unit_param(r, w, "id", &u) == 0) org_children_json(r, w, &u);
}

/* POST /api/v1/units {parent_id, kind, subkind, name, code, sort, start_date} → 201 */
void api_unit_create(Req *r, Resp *w) {
    Form f;
    if (form_read(r, &f, create_fields, NFIELDS(create_fields))) { form_json_error(r, w, &f); return; }
    Unit parent;
    if (org_unit(r, form_i(&f, "parent_id"), &parent) != 0) {
        json_error(r, w, 404, "not_found", "parent_id", T(r, "找不到上级单位，或它不在您的管辖范围内"));
        return;
    }
    if (!auth_can(r, CAP_ORG, parent.path)) { page_error(r, w, 403, NULL); return; }
    UnitInput in = {parent.id, form_s(&f, "kind"), form_s(&f, "subkind"), form_s(&f, "name"), form_s(&f, "code"),
                    (int)form_i(&f, "sort"), form_s(&f, "start_date")};
    Actor a = actor_of(r);
    UnitErr e;
    int64_t id;
    if (unit_create(&a, auth_scope(r), &in, &id, &e) != 0) { send_err(r, w, &e); return; }
    send_unit(r, w, 201, id);
}

/* POST /api/v1/units/:id {name, code, subkind, sort}: fields left out keep their value; a code
 * sent as "" removes it. */
void api_unit_update(Req *r, Resp *w) {
    Unit u;
    if (org_unit_param(r, w, "id", &u) != 0) return;
    if (!auth_can(r, CAP_ORG, u.path)) { page_error(r, w, 403, NULL); return; }
    Form f;
    if (form_read(r, &f, update_fields, NFIELDS(update_fields))) { form_json_error(r, w, &f); return; }
    const char *name = sent(&f, "name"), *code = sent(&f, "code"), *sub = sent(&f, "subkind");
    UnitInput in = {0, NULL, sub ? sub : u.subkind, name ? name : u.name, code ? code : u.code,
                    sent(&f, "sort") ? (int)form_i(&f, "sort") : u.sort, NULL};
    Actor a = actor_of(r);
    UnitErr e;
    if (unit_update(&a, auth_scope(r), u.id, &in, &e) != 0) { send_err(r, w, &e); return; }
    send_unit(r, w, 200, u.id);
}

/* POST /api/v1/units/:id/move {parent_id, code} */
void api_unit_move(Req *r, Resp *w) {
    Unit u, to;
    if (org_unit_param(r, w, "id", &u) != 0) return;
    if (!auth_can(r, CAP_ORG, u.path)) { page_error(r, w, 403, NULL); return; }
    Form f;
    if (form_read(r, &f, move_fields, NFIELDS(move_fields))) { form_json_error(r, w, &f); return; }
    if (org_unit(r, form_i(&f, "parent_id"), &to) != 0) {
        json_error(r, w, 422, "not_found", "parent_id", T(r, "找不到新上级单位，或它不在您的管辖范围内"));
        return;
    }
    if (!auth_can(r, CAP_ORG, to.path)) { page_error(r, w, 403, NULL); return; }
    Actor a = actor_of(r);
    UnitErr e;
    if (unit_move(&a, auth_scope(r), u.id, to.id, form_s(&f, "code"), &e) != 0) { send_err(r, w, &e); return; }
    send_unit(r, w, 200, u.id);
}

/* POST /api/v1/units/:id/end {end_date} */
void api_unit_end(Req *r, Resp *w) {
    Unit u;
    if (org_unit_param(r, w, "id", &u) != 0) return;
    if (!auth_can(r, CAP_ORG, u.path)) { page_error(r, w, 403, NULL); return; }
    Form f;
    if (form_read(r, &f, end_fields, NFIELDS(end_fields))) { form_json_error(r, w, &f); return; }
    Actor a = actor_of(r);
    UnitErr e;
    if (unit_end(&a, auth_scope(r), u.id, form_s(&f, "end_date"), &e) != 0) { send_err(r, w, &e); return; }
    send_unit(r, w, 200, u.id);
}
