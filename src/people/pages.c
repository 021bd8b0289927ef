/* pages.c — the pages of the registry (组民 and 户): the search list, a group's households, the
 * household page, the person page with its history and the audited reveal of an ID number, and
 * the forms to add and change people and households. Each page is one function; store.c applies
 * the caller's scope, and every change also asks auth_can() for the groups it touches. The
 * checks and writes shared with the JSON API (person_save, household_save) live here too. */
#include "contact/contact.h"
#include "org/org.h"
#include "people/idnum.h"
#include "people/store.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include "platform/page.h"
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Fields and choices */

const Choice sex_choices[] = {{"M", "男"}, {"F", "女"}, {NULL, NULL}};
const Choice relation_choices[] = {
    {"head", "户主"},       {"spouse", "配偶"},         {"child", "子女"},    {"parent", "父母"},
    {"grandchild", "孙子女"}, {"grandparent", "祖父母"}, {"sibling", "兄弟姐妹"}, {"child_in_law", "儿媳/女婿"},
    {"other", "其他"},      {NULL, NULL},
};
const Choice status_choices[] = {
    {"resident", "居住在本组"}, {"migrant", "外出务工"}, {"moved", "已迁出"}, {"deceased", "已去世"}, {NULL, NULL},
};
const Choice poverty_choices[] = {{"none", "一般户"}, {"lifted", "脱贫户"}, {"monitored", "监测户"}, {NULL, NULL}};
static const Choice age_choices[] = {
    {"0-17", "0–17 岁"}, {"18-35", "18–35 岁"}, {"36-59", "36–59 岁"}, {"60+", "60 岁及以上"}, {NULL, NULL},
};

/* Accepts what an ID number may contain; the check digit and the dates are checked by
 * person_check() against the birth date and sex. */
static const char *check_idnum_chars(const char *v) {
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i++)
        if (!(v[i] >= '0' && v[i] <= '9') && !(i == n - 1 && (v[i] == 'X' || v[i] == 'x')))
            return "身份证号只能由数字组成，最后一位可以是X";
    return NULL;
}

const Field person_fields[] = {
    {"name", "姓名", FT_TEXT, true, 1, 30, NULL, NULL, NULL},
    {"sex", "性别", FT_ENUM, true, 0, 0, sex_choices, NULL, NULL},
    {"birth", "出生日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
    {"idnum", "身份证号", FT_TEXT, false, 0, 18, NULL, check_idnum_chars, "18 位，最后一位可以是 X；没有可以不填。填了身份证号，出生日期和性别可以留空"},
    {"phone", "联系电话", FT_PHONE, false, 0, 0, NULL, NULL, NULL},
    {"ethnicity", "民族", FT_TEXT, false, 0, 10, NULL, NULL, "如 汉族、苗族、土家族"},
    {"education", "文化程度", FT_TEXT, false, 0, 10, NULL, NULL, "如 小学、初中、高中、大专"},
    {"relation", "与户主关系", FT_ENUM, true, 0, 0, relation_choices, NULL, NULL},
    {"status", "人员状态", FT_ENUM, true, 0, 0, status_choices, NULL, NULL},
    {"status_date", "状态日期", FT_DATE, false, 0, 0, NULL, NULL, "外出务工、迁出或去世的日期"},
    {"party", "党员", FT_BOOL, false, 0, 0, NULL, NULL, NULL},
    {"chunhui", "春晖使者", FT_BOOL, false, 0, 0, NULL, NULL, NULL},
    {"wealth", "致富能手", FT_BOOL, false, 0, 0, NULL, NULL, NULL},
    {"veteran", "复转军人", FT_BOOL, false, 0, 0, NULL, NULL, NULL},
    {"retired", "退休公职人员", FT_BOOL, false, 0, 0, NULL, NULL, NULL},
    {"cadre", "村两委干部", FT_BOOL, false, 0, 0, NULL, NULL, NULL},
    {"legal", "法律明白人", FT_BOOL, false, 0, 0, NULL, NULL, NULL},
    {"labour", "劳动力", FT_BOOL, false, 0, 0, NULL, NULL, NULL},
    {"move_hh", "迁入户", FT_TEXT, false, 0, 20, NULL, NULL, "换户时填写：本组的户号，或其他组户页地址中的编号（如 /households/123 中的 123）"},
    {"household_id", "所在户编号", FT_ID, false, 0, 0, NULL, NULL, NULL},
};
const int person_nfields = sizeof person_fields / sizeof person_fields[0];

const Field household_fields[] = {
    {"hh_no", "户号", FT_TEXT, true, 1, 20, NULL, NULL, "本组内唯一，如 12"},
    {"address", "住址", FT_TEXT, false, 0, 100, NULL, NULL, NULL},
    {"farmland", "耕地（亩）", FT_DECIMAL, false, 0, 100000, NULL, NULL, NULL},
    {"forest", "林地（亩）", FT_DECIMAL, false, 0, 1000000, NULL, NULL, NULL},
    {"livestock", "家畜存栏（头）", FT_INT, false, 0, 100000, NULL, NULL, NULL},
    {"poultry", "家禽（只）", FT_INT, false, 0, 1000000, NULL, NULL, NULL},
    {"poverty", "脱贫情况", FT_ENUM, false, 0, 0, poverty_choices, NULL, NULL},
    {"family_rules", "家规家训", FT_TEXTAREA, false, 0, 2000, NULL, NULL, NULL},
    {"head_id", "户主", FT_ID, false, 0, 0, NULL, NULL, NULL},
    {"rep_id", "户代表", FT_ID, false, 0, 0, NULL, NULL, NULL},
    {"unit_id", "所在组", FT_ID, false, 0, 0, NULL, NULL, NULL},
};
const int household_nfields = sizeof household_fields / sizeof household_fields[0];

const char *choice_label(const Choice *c, const char *value) {
    for (; c->value; c++)
        if (value && strcmp(c->value, value) == 0) return c->label;
    return value ? value : "";
}

/* ---------------------------------------------------------------------------------------------
 * Small helpers */



const char *phone_masked(Req *r, const char *phone) {
    size_t n = strlen(phone);
    if (n < 8) return n ? "****" : "";
    char *m = arena_strdup(r->arena, phone);
    for (size_t i = 3; i < n - 4; i++) m[i] = '*';
    return m;
}

int age_from_iso(const char *birth, int32_t today) {
    int32_t b;
    if (date_parse(birth, &b) != 0) return -1;
    return age_on(b, today);
}

/* "12.50": hundredths of a mu as text. */
const char *mu_text(Req *r, int64_t c) {
    Buf b = {arena_alloc(r->arena, 32), 0, 32};   /* fits any int64 with its two decimals */
    buf_put_int(&b, c / 100);
    buf_putc(&b, '.');
    buf_putc(&b, (char)('0' + c % 100 / 10));
    buf_putc(&b, (char)('0' + c % 10));
    return b.p;
}

static const char *iso_date_text(Req *r, const char *iso) {
    int32_t d;
    return iso && date_parse(iso, &d) == 0 ? fmt_date(r, d) : "";
}

/* The badges are written a piece at a time: the roll's list shows them on every row. */
static void status_badge(Req *r, Buf *b, const char *status, const char *status_date) {
    if (!strcmp(status, "resident")) return;
    html_raw(b, !strcmp(status, "migrant") ? "<span class=\"badge warn\">" : "<span class=\"badge muted\">");
    html_text(b, T(r, choice_label(status_choices, status)));
    if (status_date && *status_date) {
        html_raw(b, " ");
        html_text(b, iso_date_text(r, status_date));
    }
    html_raw(b, "</span> ");
}

static void flag_badges(Req *r, Buf *b, unsigned flags) {
    for (const FlagName *f = person_flags; f->key && flags; f++) {
        if (!(flags & f->bit)) continue;
        flags &= ~f->bit;
        html_raw(b, f->bit == PF_PARTY ? "<span class=\"badge err\">" : "<span class=\"badge\">");
        html_text(b, T(r, f->zh));
        html_raw(b, "</span> ");
    }
}

static void poverty_badge(Req *r, Buf *b, const char *poverty) {
    if (!strcmp(poverty, "lifted")) html(b, "<span class=\"badge ok\">%s</span>", T(r, "脱贫户"));
    else if (!strcmp(poverty, "monitored")) html(b, "<span class=\"badge warn\">%s</span>", T(r, "监测户"));
}

/* Opens a page about something in group `u` (u->id 0: a group out of sight): the org breadcrumbs
 * of the group, then up to two crumbs of our own (label NULL = none). */
static void unit_page_begin(Req *r, Resp *w, const Unit *u, const char *title, const Crumb *extra, int nextra) {
    Crumb crumbs[ORG_CRUMBS_MAX + 2];
    int n = u->id ? org_crumbs(r, u, crumbs, ORG_CRUMBS_MAX - 1) : 0;
    for (int i = 0; i < nextra; i++) crumbs[n++] = extra[i];
    page_begin(r, w, title, &(PageOpts){.crumbs = crumbs, .ncrumbs = n, .menu = "/people", .unit = n ? u->name : NULL});
}

void roll_page_begin(Req *r, Resp *w, int64_t unit_id, const char *title, const Crumb *extra, int nextra) {
    Unit u;
    if (org_unit(r, unit_id, &u) != 0) u.id = 0;
    unit_page_begin(r, w, &u, title, extra, nextra);
}

/* ---------------------------------------------------------------------------------------------
 * Filters and JSON shared with the API and the export */

bool people_filters(Req *r, PeopleQuery *q, FilterError *bad) {
    memset(q, 0, sizeof *q);
    memset(bad, 0, sizeof *bad);
    q->today = date_today();
    q->q = req_param_src(r, "q", SRC_QUERY);
    if (q->q && utf8_chars(q->q) > PEOPLE_QUERY_MAX)
        filter_fail(bad, "q", "too_long", Tn(r, "搜索内容不能超过 {n} 个字", PEOPLE_QUERY_MAX));
    const char *flag = req_param_src(r, "flag", SRC_QUERY);
    for (const FlagName *f = person_flags; flag && f->key; f++)
        if (!strcmp(flag, f->key)) q->flag = f->bit;
    if (flag && *flag && !q->flag) filter_fail(bad, "flag", "choice", T(r, "没有这个标记，请从列表中选择。"));
    q->status = filter_choice(r, "status", status_choices, T(r, "没有这个状态，请从列表中选择。"), bad);
    const char *age = filter_choice(r, "age", age_choices, T(r, "没有这个年龄段，请从列表中选择。"), bad);
    for (int i = 0; age && age_choices[i].value; i++)   /* AgeBand follows age_choices' order */
        if (age == age_choices[i].value) q->age = (AgeBand)(i + 1);
    return (q->scope = org_scope_param(r)) != NULL;
}

json_t *person_row_json(Req *r, const PersonRow *p, bool full_phone) {
    json_t *flags = json_array();
    for (const FlagName *f = person_flags; f->key; f++)
        if (p->flags & f->bit) json_array_append_new(flags, json_string(f->key));
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:b, s:b}",
                          "id", (json_int_t)p->id, "unit_id", (json_int_t)p->unit_id, "name", p->name, "sex",
                          p->sex == 'M' ? "M" : "F", "birth", p->birth, "age", age_from_iso(p->birth, date_today()),
                          "idnum", p->idmask, "idnum_legacy", p->idnum_legacy, "phone",
                          full_phone ? p->phone : phone_masked(r, p->phone), "ethnicity", p->ethnicity, "education",
                          p->education, "relation", p->relation, "status", p->status, "flags", flags, "unit_name",
                          p->unit_name, "is_head", p->is_head, "is_rep", p->is_rep);
    json_object_set_new(o, "household_id", p->household_id ? json_integer(p->household_id) : json_null());
    json_object_set_new(o, "hh_no", p->household_id ? json_string(p->hh_no) : json_null());
    json_object_set_new(o, "status_date", *p->status_date ? json_string(p->status_date) : json_null());
    return o;
}

json_t *household_json_out(Req *r, const Household *h, const InScope *where) {
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:i, s:i, s:i}", "id",
                          (json_int_t)h->id, "unit_id", (json_int_t)h->unit_id, "unit_name", where->unit_name, "hh_no",
                          h->hh_no, "address", h->address, "farmland", mu_text(r, h->farmland_c), "forest",
                          mu_text(r, h->forest_c), "livestock", (json_int_t)h->livestock, "poultry",
                          (json_int_t)h->poultry, "poverty", h->poverty, "family_rules", h->family_rules, "member_count",
                          h->members, "labour", h->labour, "migrants", h->migrants);
    json_object_set_new(o, "head_id", h->head_id ? json_integer(h->head_id) : json_null());
    json_object_set_new(o, "rep_id", h->rep_id ? json_integer(h->rep_id) : json_null());
    json_object_set_new(o, "ended_at", *h->ended_at ? json_string(h->ended_at) : json_null());
    json_object_set_new(o, "end_reason", *h->end_reason ? json_string(h->end_reason) : json_null());
    return o;
}

/* ---------------------------------------------------------------------------------------------
 * Saving (shared with the API) */

/* Finds the household a person is moved to: the typed move_hh (household_named), or household_id
 * (the API's), an id only, inside the caller's scope. Returns its id, or 0. */
static int64_t move_target(Req *r, const Person *before, const Form *f, InScope *where) {
    const char *text = form_s(f, "move_hh");
    if (text) return household_named(r, before->unit_id, text, where);
    int64_t id = form_i(f, "household_id");
    return id && household_in_scope(auth_scope(r), id, where) ? id : 0;
}

int64_t household_named(Req *r, int64_t unit_id, const char *text, InScope *where) {
    int64_t id = household_by_no(unit_id, text);
    if (!id) id = id_parse(text);
    return id && household_in_scope(auth_scope(r), id, where) ? id : 0;
}

/* True when a form's checkbox or JSON boolean is on. */
static bool form_on(const Form *f, const char *name) {
    const char *v = form_s(f, name);
    return v && (!strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "true"));
}

/* Copies the form's person fields into p (household and group are set by the caller). */
static void person_from_form(const Form *f, Person *p) {
    const char *s;
    str_copy(p->name, sizeof p->name, form_s(f, "name") ? form_s(f, "name") : "");
    s = form_s(f, "sex");
    p->sex = s ? s[0] : 0;
    p->birth = (int32_t)form_i(f, "birth");
    str_copy(p->idnum, sizeof p->idnum, form_s(f, "idnum") ? form_s(f, "idnum") : "");
    str_copy(p->phone, sizeof p->phone, form_s(f, "phone") ? form_s(f, "phone") : "");
    str_copy(p->ethnicity, sizeof p->ethnicity, form_s(f, "ethnicity") ? form_s(f, "ethnicity") : "");
    str_copy(p->education, sizeof p->education, form_s(f, "education") ? form_s(f, "education") : "");
    str_copy(p->relation, sizeof p->relation, form_s(f, "relation") ? form_s(f, "relation") : "");
    str_copy(p->status, sizeof p->status, form_s(f, "status") ? form_s(f, "status") : "");
    p->status_date = form_has(f, "status_date") ? (int32_t)form_i(f, "status_date") : 0;
    p->flags = 0;
    for (const FlagName *fl = person_flags; fl->key; fl++)
        if (form_on(f, fl->key)) p->flags |= fl->bit;
}

/* Makes the first head of a household also its head and, when it has none, its representative. */
static int adopt_head(const Actor *a, const Person *p) {
    Household h, after;
    if (strcmp(p->relation, "head") != 0 || !household_load(p->household_id, &h) || (h.head_id && h.rep_id)) return 0;
    after = h;
    if (!after.head_id) after.head_id = p->id;
    if (!after.rep_id) after.rep_id = p->id;
    return household_update(a, &h, &after);
}

/* A typed ID number holds the birth date and sex: fills either when left empty, so that on a phone
 * the number is enough. A number that cannot be read is reported now, next to the form's other
 * errors, rather than on the next try. */
static void person_form_from_idnum(Req *r, Form *f) {
    const char *id = form_s(f, "idnum");
    IdnumInfo info;
    int rc = id ? idnum_parse(id, &info) : IDNUM_ERR_EMPTY;
    if (rc == IDNUM_ERR_EMPTY) return;
    if (rc != IDNUM_OK) {
        form_fail(f, "idnum", "idnum", T(r, idnum_error_zh(rc)));
        return;
    }
    char *birth = arena_alloc(r->arena, DATE_ISO_SIZE);
    date_format(info.birth, birth, DATE_ISO_SIZE);
    form_fill_empty(r, f, "birth", birth);
    form_fill_empty(r, f, "sex", info.sex == IDNUM_SEX_MALE ? "M" : "F");
}

int person_save(Req *r, Form *f, const Person *before, int64_t hh, Person *out) {
    person_form_from_idnum(r, f);
    if (f->nerr) return 422;
    InScope to, from;
    int64_t target = before ? before->household_id : hh;
    const char *move = form_s(f, "move_hh");
    if (before && (move || form_i(f, "household_id"))) {
        target = move_target(r, before, f, &to);
        if (!target) {
            form_fail(f, move ? "move_hh" : "household_id", "not_found", T(r, "找不到这个户，或它不在您的管辖范围内"));
            return 422;
        }
    }
    if (!target || !household_in_scope(auth_scope(r), target, &to)) return 404;
    if (!auth_can(r, CAP_EDIT, to.unit_path)) return 403;
    if (before && (!person_in_scope(auth_scope(r), before->id, &from) || !auth_can(r, CAP_EDIT, from.unit_path))) return 403;
    Person p = before ? *before : (Person){0};
    person_from_form(f, &p);
    p.unit_id = to.unit_id;
    p.household_id = target;
    bool living = !strcmp(p.status, "resident") || !strcmp(p.status, "migrant");
    int32_t ended;
    if ((!before || target != before->household_id || living) && household_end_day(target, &ended)) {
        form_fail(f, move ? "move_hh" : before && target == before->household_id ? "status" : "household_id", "ended",
                  T(r, "这户已注销：不能迁入，户内成员也不能登记为在家或外出务工。请先恢复此户。"));
        return 422;
    }
    PersonErr err;
    if (!person_check(&p, date_today(), &err)) {
        form_fail(f, err.field, err.code, T(r, err.message));
        return 422;
    }
    char stored[20];
    if (before && !p.idnum[0] && person_reveal_idnum(before->id, stored) == 0) {
        /* The kept number must still agree with a changed birth date or sex; it is not shown. */
        int rc = idnum_check_against(stored, p.birth, p.sex == 'M' ? IDNUM_SEX_MALE : IDNUM_SEX_FEMALE);
        memset(stored, 0, sizeof stored);
        if (rc != IDNUM_OK) {
            form_fail(f, rc == IDNUM_ERR_SEX_MISMATCH ? "sex" : "birth", "idnum", T(r, idnum_error_zh(rc)));
            return 422;
        }
    }
    Actor a = actor_of(r);
    int rc = before ? person_update(&a, before, &p) : person_create(&a, &p);
    memset(p.idnum, 0, sizeof p.idnum);
    if (rc == PEOPLE_DUP_ID) {
        form_fail(f, "idnum", "duplicate", T(r, "这个身份证号已经登记在名册中"));
        return 422;
    }
    if (rc != 0 || adopt_head(&a, &p) != 0) return 500;
    *out = p;
    return 0;
}

int household_save(Req *r, Form *f, const Household *before, int64_t unit_id, Household *out) {
    if (before && *before->ended_at) return 409;
    if (f->nerr) return 422;
    Unit u;
    if (org_unit(r, unit_id, &u) != 0 || u.kind != UNIT_GROUP || unit_ended(&u)) return 404;
    if (!auth_can(r, CAP_EDIT, u.path)) return 403;
    Household h = before ? *before : (Household){0};
    h.unit_id = unit_id;
    str_copy(h.hh_no, sizeof h.hh_no, form_s(f, "hh_no"));
    str_copy(h.address, sizeof h.address, form_s(f, "address") ? form_s(f, "address") : "");
    h.farmland_c = form_i(f, "farmland");
    h.forest_c = form_i(f, "forest");
    h.livestock = form_i(f, "livestock");
    h.poultry = form_i(f, "poultry");
    str_copy(h.poverty, sizeof h.poverty, form_s(f, "poverty") ? form_s(f, "poverty") : "none");
    str_copy(h.family_rules, sizeof h.family_rules, form_s(f, "family_rules") ? form_s(f, "family_rules") : "");
    if (household_no_taken(unit_id, h.hh_no, before ? before->id : 0))
        form_fail(f, "hh_no", "taken", T(r, "本组已有这个户号"));
    if (before) {
        h.head_id = form_i(f, "head_id");
        h.rep_id = form_i(f, "rep_id");
        Person m;
        if (h.head_id && (!person_load(h.head_id, &m) || m.household_id != before->id))
            form_fail(f, "head_id", "not_member", T(r, "户主必须是本户成员"));
        if (h.rep_id && (!person_load(h.rep_id, &m) || m.household_id != before->id))
            form_fail(f, "rep_id", "not_member", T(r, "户代表必须是本户成员"));
    }
    if (f->nerr) return 422;
    Actor a = actor_of(r);
    if ((before ? household_update(&a, before, &h) : household_create(&a, &h)) != 0) return 500;
    *out = h;
    return 0;
}

void person_form_fill(Req *r, Form *f, const Person *p) {
    char d[16];
    form_set(f, "name", p->name);
    form_set(f, "sex", p->sex == 'M' ? "M" : "F");
    date_format(p->birth, d, sizeof d);
    form_set(f, "birth", arena_strdup(r->arena, d));
    form_set(f, "phone", p->phone);
    form_set(f, "ethnicity", p->ethnicity);
    form_set(f, "education", p->education);
    form_set(f, "relation", p->relation);
    form_set(f, "status", p->status);
    if (p->status_date) {
        date_format(p->status_date, d, sizeof d);
        form_set(f, "status_date", arena_strdup(r->arena, d));
    }
    for (const FlagName *fl = person_flags; fl->key; fl++) form_set(f, fl->key, p->flags & fl->bit ? "1" : "0");
}

void household_form_fill(Req *r, Form *f, const Household *h) {
    form_set(f, "hh_no", h->hh_no);
    form_set(f, "address", h->address);
    form_set(f, "farmland", mu_text(r, h->farmland_c));
    form_set(f, "forest", mu_text(r, h->forest_c));
    form_set(f, "livestock", arena_printf(r->arena, "%lld", (long long)h->livestock));
    form_set(f, "poultry", arena_printf(r->arena, "%lld", (long long)h->poultry));
    form_set(f, "poverty", h->poverty);
    form_set(f, "family_rules", h->family_rules);
    form_set(f, "head_id", h->head_id ? arena_printf(r->arena, "%lld", (long long)h->head_id) : NULL);
    form_set(f, "rep_id", h->rep_id ? arena_printf(r->arena, "%lld", (long long)h->rep_id) : NULL);
}

/* ---------------------------------------------------------------------------------------------
 * The search list: GET /people */

typedef struct ListCtx { Req *r; Buf *b; const UiTable *t; int32_t today; } ListCtx;

/* Writes one table row of the search list, a piece at a time (html_text, no format read): a
 * page has 50 of them, and html()'s reading of its formats was a tenth of the page. */
static int list_row(void *ctx, const PersonRow *p) {
    ListCtx *c = ctx;
    Req *r = c->r;
    Buf *b = c->b;
    int age = age_from_iso(p->birth, c->today);
    ui_td(b, c->t, 0);
    html_raw(b, "<a href=\"/people/");
    buf_put_int(b, p->id);
    html_raw(b, "\">");
    html_text(b, p->name);
    html_raw(b, "</a>");
    ui_td(b, c->t, 1);
    html_text(b, T(r, p->sex == 'M' ? "男" : "女"));
    ui_td(b, c->t, 2);
    if (age >= 0) html_Tn(b, r, "{n} 岁", age);
    ui_td(b, c->t, 3);
    html_text(b, p->idmask);
    ui_td(b, c->t, 4);
    html_text(b, phone_masked(r, p->phone));
    ui_td(b, c->t, 5);
    html_text(b, p->unit_name);
    if (p->household_id) {
        html_raw(b, " · <a href=\"/households/");
        buf_put_int(b, p->household_id);
        html_raw(b, "\">");
        html_text(b, T(r, "户号"));
        html_raw(b, " ");
        html_text(b, p->hh_no);
        html_raw(b, "</a>");
    }
    ui_td(b, c->t, 6);
    status_badge(r, b, p->status, p->status_date);
    flag_badges(r, b, p->flags);
    ui_tr_end(b);
    return 0;
}

/* A <select> of the filter `name` with an "all" entry. */
static void filter_select(Req *r, Buf *b, const char *name, const char *all, const Choice *choices, const char *current) {
    html(b, "<select name=\"%s\" aria-label=\"%s\"><option value=\"\">%s</option>", name, T(r, all), T(r, all));
    for (const Choice *c = choices; c->value; c++)
        html(b, "<option value=\"%s\"%s>%s</option>", c->value, current && !strcmp(current, c->value) ? " selected" : "",
             T(r, c->label));
    html_raw(b, "</select>");
}

static void h_people(Req *r, Resp *w) {
    PeopleQuery q;
    FilterError fe;
    bool ok = people_filters(r, &q, &fe);
    const char *bad = fe.message;
    int page = ui_page_param(r);
    PeoplePage pg = {.rows = arena_alloc(r->arena, sizeof(PersonRow) * PEOPLE_PAGE)};
    if (ok && !bad && people_page(&q, (page - 1) * PEOPLE_PAGE, &pg) != 0) {
        page_error(r, w, 500, NULL);
        return;
    }
    long long total = pg.total;
    page_begin(r, w, T(r, "组民名册"), &(PageOpts){.menu = "/people"});
    Buf *b = &w->body;
    const char *kept = ui_query_kept(r);
    html(b, "<div class=\"pagehead\"><h1>%s</h1><div class=\"actions\">", T(r, "组民名册"));
    if (auth_has(r, CAP_EXPORT) && !bad) {
        html(b, "<a class=\"button\" href=\"/people/export.xlsx?%s\" download>%s</a>", kept, T(r, "导出 Excel"));
        html(b, "<a class=\"button\" href=\"/people/export.csv?%s\" download>%s</a>", kept, T(r, "导出 CSV"));
        int64_t unit = id_parse(req_param_src(r, "unit", SRC_QUERY));
        html(b, "<a class=\"button\" href=\"/households/export.xlsx%s\" download>%s</a>",
             unit ? arena_printf(r->arena, "?unit=%lld", (long long)unit) : "", T(r, "导出户情台账"));
    }
    html_raw(b, "</div></div>");
    const char *qs = req_param_src(r, "q", SRC_QUERY);
    html(b, "<form class=\"filters\" method=\"get\" action=\"/people\" role=\"search\">"
            "<input type=\"search\" name=\"q\" value=\"%s\" placeholder=\"%s\" aria-label=\"%s\">",
         qs ? qs : "", T(r, "姓名、拼音首字母（如 ZSF）或身份证后4位"), T(r, "搜索"));
    org_unit_select(r, b);
    Choice flags[10];
    int nf = 0;
    for (const FlagName *f = person_flags; f->key; f++) flags[nf++] = (Choice){f->key, f->zh};
    flags[nf] = (Choice){NULL, NULL};
    filter_select(r, b, "flag", "全部标记", flags, req_param_src(r, "flag", SRC_QUERY));
    filter_select(r, b, "status", "全部状态", status_choices, req_param_src(r, "status", SRC_QUERY));
    filter_select(r, b, "age", "全部年龄", age_choices, req_param_src(r, "age", SRC_QUERY));
    html(b, "<button type=\"submit\">%s</button></form>", T(r, "查找"));
    if (bad) { ui_filter_refused(r, w, bad); return; }
    if (!total) {
        html(b, "<div class=\"empty\"><p>%s</p><p class=\"hint\">%s</p></div>", T(r, "没有符合条件的组民。"),
             T(r, "换个关键字或去掉筛选条件再试；新的组民请在所在户的页面上添加（组 › 户 › 添加成员）。"));
        page_end(r, w);
        return;
    }
    static const UiCol cols[] = {{"姓名", false}, {"性别", false}, {"年龄", false}, {"身份证号", false},
                                 {"电话", false}, {"所在组", false}, {"状态", false}};
    UiTable t;
    ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
    ListCtx c = {r, b, &t, q.today};
    for (int i = 0; i < pg.n; i++) list_row(&c, &pg.rows[i]);
    ui_table_end(b);
    if (pg.capped) ui_capped_pager(r, b, page, pg.more);
    else ui_pager(r, b, page, PEOPLE_PAGE, total);
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * A group's households: GET /groups/:id/households */

/* Loads the village group named by the path inside the scope; answers 404 otherwise. */
static bool load_group(Req *r, Resp *w, Unit *u) {
    if (org_unit_param(r, w, "id", u) != 0) return false;
    if (u->kind == UNIT_GROUP) return true;
    page_error(r, w, 404, NULL);
    return false;
}

/* A link to the group's ended households under its list, when it has any. */
static void ended_link(Req *r, Buf *b, int64_t unit_id) {
    long long n = group_ended_count(unit_id);
    if (n > 0)
        html(b, "<p class=\"hint\"><a href=\"/groups/%lld/households?ended=1\">%s</a></p>", (long long)unit_id,
             Tn(r, "已注销的户（{n}）", n));
}

/* GET /groups/:id/households?ended=1: the group's ended households, the latest first. */
static void group_ended_page(Req *r, Resp *w, const Unit *u) {
    int page = ui_page_param(r);
    HouseholdRow *rows = arena_alloc(r->arena, sizeof(HouseholdRow) * PEOPLE_PAGE);
    int n = group_ended_households(u->id, (page - 1) * PEOPLE_PAGE, PEOPLE_PAGE, rows);
    long long total = group_ended_count(u->id);
    if (n < 0 || total < 0) { page_error(r, w, 500, NULL); return; }
    Crumb crumbs[2] = {{T(r, "户"), arena_printf(r->arena, "/groups/%lld/households", (long long)u->id)}, {T(r, "已注销的户"), NULL}};
    const char *title = arena_printf(r->arena, "%s · %s", u->name, T(r, "已注销的户"));
    unit_page_begin(r, w, u, title, crumbs, 2);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div>", title);
    if (!total) {
        html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "这个组没有注销过户。"));
        page_end(r, w);
        return;
    }
    static const UiCol cols[] = {{"户号", false}, {"户主", false}, {"注销日期", false}, {"注销原因", false}};
    UiTable t;
    ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
    for (int i = 0; i < n; i++) {
        ui_td(b, &t, 0);
        html(b, "<a href=\"/households/%lld\">%s</a>", (long long)rows[i].id, rows[i].hh_no);
        ui_td(b, &t, 1);
        html(b, "%s", *rows[i].head_name ? rows[i].head_name : "—");
        ui_td(b, &t, 2);
        html(b, "%s", rows[i].ended_at);
        ui_td(b, &t, 3);
        html(b, "%s", T(r, choice_label(end_reason_choices, rows[i].end_reason)));
        ui_tr_end(b);
    }
    ui_table_end(b);
    ui_pager(r, b, page, PEOPLE_PAGE, total);
    page_end(r, w);
}

static void h_group_households(Req *r, Resp *w) {
    Unit u;
    if (!load_group(r, w, &u)) return;
    const char *ended = req_param(r, "ended");
    if (ended && !strcmp(ended, "1")) { group_ended_page(r, w, &u); return; }
    int page = ui_page_param(r);
    HouseholdRow *rows = arena_alloc(r->arena, sizeof(HouseholdRow) * PEOPLE_PAGE);
    long long total;
    int n = group_households(u.id, (page - 1) * PEOPLE_PAGE, PEOPLE_PAGE, rows, &total);
    if (n < 0) { page_error(r, w, 500, NULL); return; }
    Crumb leaf = {T(r, "户"), NULL};
    unit_page_begin(r, w, &u, arena_printf(r->arena, "%s · %s", u.name, T(r, "户")), &leaf, 1);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1><div class=\"actions\"><a class=\"button\" href=\"/people?unit=%lld\">%s</a>",
         arena_printf(r->arena, "%s · %s", u.name, T(r, "户")), (long long)u.id, T(r, "本组组民"));
    if (auth_can(r, CAP_EDIT, u.path) && !unit_ended(&u))
        html(b, "<a class=\"button primary\" href=\"/groups/%lld/households/new\">%s</a>", (long long)u.id, T(r, "新增户"));
    if (auth_has(r, CAP_EXPORT))
        html(b, "<a class=\"button\" href=\"/households/export.xlsx?unit=%lld\" download>%s</a>"
                "<a class=\"button\" href=\"/households/export.csv?unit=%lld\" download>%s</a>",
             (long long)u.id, T(r, "导出 Excel"), (long long)u.id, T(r, "导出 CSV"));
    html_raw(b, "</div></div>");
    if (!total) {
        html(b, "<div class=\"empty\"><p>%s</p><p class=\"hint\">%s</p></div>", T(r, "这个组还没有登记户。"),
             T(r, "点“新增户”登记第一户，再在户页上添加成员。"));
        ended_link(r, b, u.id);
        page_end(r, w);
        return;
    }
    static const UiCol cols[] = {{"户号", false}, {"户主", false}, {"人口", true},      {"劳动力", true},
                                 {"外出务工", true}, {"耕地", true}, {"脱贫情况", false}};
    UiTable t;
    ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
    for (int i = 0; i < n; i++) {
        HouseholdRow *h = &rows[i];
        ui_td(b, &t, 0);   /* a piece at a time, as list_row() */
        html_raw(b, "<a href=\"/households/");
        buf_put_int(b, h->id);
        html_raw(b, "\">");
        html_text(b, h->hh_no);
        html_raw(b, "</a>");
        ui_td(b, &t, 1);
        html_text(b, *h->head_name ? h->head_name : "—");
        ui_td(b, &t, 2);
        html_Tn(b, r, "{n} 人", h->members);
        ui_td(b, &t, 3);
        html_Tn(b, r, "{n} 人", h->labour);
        ui_td(b, &t, 4);
        html_Tn(b, r, "{n} 人", h->migrants);
        ui_td(b, &t, 5);
        html_text(b, mu_text(r, h->farmland_c));
        html_raw(b, " ");
        html_text(b, T(r, "亩"));
        ui_td(b, &t, 6);
        poverty_badge(r, b, h->poverty);
        ui_tr_end(b);
    }
    ui_table_end(b);
    ui_pager(r, b, page, PEOPLE_PAGE, total);
    ended_link(r, b, u.id);
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * The household page: GET /households/:id */

bool load_household(Req *r, Resp *w, Household *h, InScope *where) {
    int64_t id = path_id(r, "id");
    if (id && household_in_scope(auth_scope(r), id, where) && household_load(id, h)) return true;
    page_error(r, w, 404, NULL);
    return false;
}

static const char *household_title(Req *r, const Household *h) {
    return arena_printf(r->arena, "%s %s", T(r, "户号"), h->hh_no);
}

/* Writes a household's figures, its profile and its members; `linked` makes each member's name a
 * link to the person page (not for a villager looking at their own household). */
static void household_body(Req *r, Buf *b, const Household *h, const InScope *where, const PersonRow *m, int n, bool linked) {
    html_raw(b, "<div class=\"stats\">");
    ui_stat(b, h->members, T(r, "人口（人）"));
    ui_stat(b, h->labour, T(r, "劳动力（人）"));
    ui_stat(b, h->migrants, T(r, "外出务工（人）"));
    html(b, "</div><section class=\"card\"><h2>%s</h2><dl class=\"facts\">", T(r, "户情"));
    html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "所在组"), where->unit_name);
    if (*h->address) html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "住址"), h->address);
    html(b, "<dt>%s</dt><dd>%s %s</dd><dt>%s</dt><dd>%s %s</dd>", T(r, "耕地"), mu_text(r, h->farmland_c), T(r, "亩"),
         T(r, "林地"), mu_text(r, h->forest_c), T(r, "亩"));
    html(b, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>", T(r, "家畜存栏"), Tn(r, "{n} 头", h->livestock), T(r, "家禽"),
         Tn(r, "{n} 只", h->poultry));
    html(b, "<dt>%s</dt><dd>%s</dd></dl>", T(r, "脱贫情况"), T(r, choice_label(poverty_choices, h->poverty)));
    if (*h->family_rules) html(b, "<h3>%s</h3><p class=\"rules\">%s</p>", T(r, "家规家训"), h->family_rules);
    html(b, "</section><section class=\"card\"><h2>%s</h2>", T(r, "家庭成员"));
    if (!n) {
        html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, linked ? "还没有登记成员，请点“添加成员”。" : "还没有登记成员。"));
    } else {
        html(b, "<div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
             T(r, "姓名"), T(r, "与户主关系"), T(r, "年龄"), T(r, "状态与标记"));
        int32_t today = date_today();
        for (int i = 0; i < n; i++) {
            int age = age_from_iso(m[i].birth, today);
            if (linked) html(b, "<tr><td data-label=\"%s\"><a href=\"/people/%lld\">%s</a>", T(r, "姓名"), (long long)m[i].id, m[i].name);
            else html(b, "<tr><td data-label=\"%s\">%s", T(r, "姓名"), m[i].name);
            if (m[i].is_head) html(b, " <span class=\"badge gold\">%s</span>", T(r, "户主"));
            if (m[i].is_rep) html(b, " <span class=\"badge gold\">%s</span>", T(r, "户代表"));
            html(b, "</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">", T(r, "关系"),
                 T(r, choice_label(relation_choices, m[i].relation)), T(r, "年龄"), age >= 0 ? Tn(r, "{n} 岁", age) : "",
                 T(r, "状态"));
            status_badge(r, b, m[i].status, m[i].status_date);
            flag_badges(r, b, m[i].flags);
            html_raw(b, "</td></tr>");
        }
        html_raw(b, "</tbody></table></div>");
    }
    html_raw(b, "</section>");
    contact_household_facts(r, b, h->id, !*h->ended_at);   /* 走访: who visits it and when they last came */
}

void household_page(Req *r, Resp *w, const Household *h, const InScope *where, Form *end_form) {
    PersonRow *m = arena_alloc(r->arena, sizeof(PersonRow) * HOUSEHOLD_MEMBERS_MAX);
    int n = household_members(h->id, m, HOUSEHOLD_MEMBERS_MAX);
    if (n < 0) { page_error(r, w, 500, NULL); return; }
    Crumb extra[2] = {{T(r, "户"), arena_printf(r->arena, "/groups/%lld/households", (long long)h->unit_id)},
                      {household_title(r, h), NULL}};
    roll_page_begin(r, w, h->unit_id, household_title(r, h), extra, 2);
    Buf *b = &w->body;
    bool can_edit = auth_can(r, CAP_EDIT, where->unit_path), ended = *h->ended_at != 0;
    html(b, "<div class=\"pagehead\"><h1>%s ", household_title(r, h));
    poverty_badge(r, b, h->poverty);
    if (ended) html(b, "<span class=\"badge\">%s</span>", T(r, "已注销"));
    html_raw(b, "</h1>");
    if (can_edit && ended)
        household_restore_button(r, b, h);
    else if (can_edit) {
        html(b, "<div class=\"actions\"><a class=\"button\" href=\"/households/%lld/edit\">%s</a>"
                "<a class=\"button primary\" href=\"/households/%lld/members/new\">%s</a>",
             (long long)h->id, T(r, "修改户信息"), (long long)h->id, T(r, "添加成员"));
        if (h->members >= 2) html(b, "<a class=\"button\" href=\"/households/%lld/split\">%s</a>", (long long)h->id, T(r, "分户"));
        if (h->members >= 1) html(b, "<a class=\"button\" href=\"/households/%lld/merge\">%s</a>", (long long)h->id, T(r, "并户"));
        html(b, "<a class=\"button\" href=\"/households/%lld/move\">%s</a>", (long long)h->id, T(r, "整户迁组"));
        html_raw(b, "</div>");
    }
    html_raw(b, "</div>");
    if (ended) household_ended_note(r, b, h);
    household_body(r, b, h, where, m, n, true);
    if (can_edit && !ended && h->members == 0) household_end_card(r, b, h, end_form);
    page_end(r, w);
}

static void h_household(Req *r, Resp *w) {
    Household h;
    InScope where;
    if (!load_household(r, w, &h, &where)) return;
    Form end;
    form_init(&end, household_end_fields, household_end_nfields);
    char *today = arena_alloc(r->arena, DATE_ISO_SIZE);
    date_format(date_today(), today, DATE_ISO_SIZE);
    form_set(&end, "on", today);
    household_page(r, w, &h, &where, &end);
}

/* GET /me/household (我家): the household of the person the login is linked to on the roll
 * (`zuwei user add --person`), read inside the login's scope — a villager's own records. */
static void h_my_household(Req *r, Resp *w) {
    PersonRow p;
    Household h;
    InScope where;
    const char *scope = auth_scope(r);
    bool found = r->who->person_id && person_row_get(scope, r->who->person_id, &p) && p.household_id &&
                 household_in_scope(scope, p.household_id, &where) && household_load(p.household_id, &h);
    page_begin(r, w, T(r, "我家"), &(PageOpts){.menu = "/me", .back = "/me"});
    Buf *b = &w->body;
    if (!found) {
        html(b, "<div class=\"pagehead\"><h1>%s</h1></div><div class=\"empty\"><p>%s</p></div>", T(r, "我家"),
             T(r, "您的账号还没有关联到组民名册中的本人，或本人还没有登记在户里。请联系村干部。"));
        page_end(r, w);
        return;
    }
    PersonRow *m = arena_alloc(r->arena, sizeof(PersonRow) * HOUSEHOLD_MEMBERS_MAX);
    int n = household_members(h.id, m, HOUSEHOLD_MEMBERS_MAX);
    html(b, "<div class=\"pagehead\"><h1>%s · %s ", T(r, "我家"), household_title(r, &h));
    poverty_badge(r, b, h.poverty);
    html_raw(b, "</h1></div>");
    household_body(r, b, &h, &where, m, n < 0 ? 0 : n, false);
    html(b, "<p class=\"hint\">%s</p>", T(r, "信息有误或家里有变化（出生、迁入迁出、外出务工等），请告诉本组组委会成员或村干部更正。"));
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * The person page: GET /people/:id, POST /people/:id/reveal */

static const char *event_text(Req *r, const PersonEvent *e) {
    if (!strcmp(e->kind, "created")) return T(r, "登记入册");
    if (!strcmp(e->kind, "status")) return arena_printf(r->arena, "%s：%s", T(r, "状态变为"), T(r, choice_label(status_choices, e->detail)));
    if (!strcmp(e->kind, "moved"))
        return arena_printf(r->arena, "%s：%s → %s", T(r, "迁到其他组"), *e->from_unit ? e->from_unit : "—", *e->to_unit ? e->to_unit : "—");
    if (!strcmp(e->kind, "household"))
        return arena_printf(r->arena, "%s：%s → %s", T(r, "换户"), *e->from_hh_no ? e->from_hh_no : "—", *e->to_hh_no ? e->to_hh_no : "—");
    return T(r, "更正");
}

/* Writes the person page; `revealed` is the whole ID number after an audited reveal, else NULL. */
static void person_page(Req *r, Resp *w, const PersonRow *p, const InScope *where, const char *revealed) {
    Crumb extra[2] = {{T(r, "户"), arena_printf(r->arena, "/groups/%lld/households", (long long)p->unit_id)}, {p->name, NULL}};
    if (p->household_id) extra[0] = (Crumb){arena_printf(r->arena, "%s %s", T(r, "户号"), p->hh_no),
                                           arena_printf(r->arena, "/households/%lld", (long long)p->household_id)};
    roll_page_begin(r, w, p->unit_id, p->name, extra, 2);
    Buf *b = &w->body;
    bool can_edit = auth_can(r, CAP_EDIT, where->unit_path);
    int32_t today = date_today();
    html(b, "<div class=\"pagehead\"><h1>%s</h1>", p->name);
    if (can_edit) html(b, "<div class=\"actions\"><a class=\"button primary\" href=\"/people/%lld/edit\">%s</a></div>", (long long)p->id, T(r, "修改"));
    html_raw(b, "</div>");
    if (revealed)
        html(b, "<section class=\"card\" role=\"status\"><h2>%s</h2><p class=\"secret\"><code>%s</code></p><p class=\"hint\">%s</p></section>",
             T(r, "完整身份证号"), revealed, T(r, "只显示这一次，本次查看已记入操作日志。离开本页后重新显示为打码号码。"));
    html(b, "<section class=\"card\"><dl class=\"facts\"><dt>%s</dt><dd>%s", T(r, "身份证号"), *p->idmask ? p->idmask : T(r, "未登记"));
    if (p->idnum_legacy) html(b, " <span class=\"badge warn\">%s</span>", T(r, "15 位旧号"));
    html(b, "</dd><dt>%s</dt><dd>%s</dd>", T(r, "性别"), T(r, p->sex == 'M' ? "男" : "女"));
    int age = age_from_iso(p->birth, today);
    html(b, "<dt>%s</dt><dd>%s%s</dd>", T(r, "出生日期"), iso_date_text(r, p->birth), age >= 0 ? Tparen(r, Tn(r, "{n} 岁", age)) : "");
    if (*p->phone) html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "联系电话"), can_edit ? p->phone : phone_masked(r, p->phone));
    if (*p->ethnicity) html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "民族"), p->ethnicity);
    if (*p->education) html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "文化程度"), p->education);
    html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "所在组"), where->unit_name);
    if (p->household_id) {
        html(b, "<dt>%s</dt><dd><a href=\"/households/%lld\">%s %s</a>", T(r, "所在户"), (long long)p->household_id, T(r, "户号"), p->hh_no);
        if (p->is_head) html(b, " <span class=\"badge gold\">%s</span>", T(r, "户主"));
        if (p->is_rep) html(b, " <span class=\"badge gold\">%s</span>", T(r, "户代表"));
        int32_t ended;
        if (household_end_day(p->household_id, &ended)) html(b, " <span class=\"badge\">%s</span>", T(r, "已注销"));
        html(b, "</dd><dt>%s</dt><dd>%s</dd>", T(r, "与户主关系"), T(r, choice_label(relation_choices, p->relation)));
    }
    html(b, "<dt>%s</dt><dd>%s", T(r, "人员状态"), T(r, choice_label(status_choices, p->status)));
    if (*p->status_date) html(b, "%s", Tparen(r, iso_date_text(r, p->status_date)));
    html(b, "</dd><dt>%s</dt><dd>", T(r, "标记"));
    if (p->flags) flag_badges(r, b, p->flags);
    else html(b, "%s", T(r, "无"));
    html_raw(b, "</dd></dl></section>");
    if (*p->idmask && auth_can(r, CAP_REVEAL, where->unit_path) && !revealed) {
        html(b, "<section class=\"card\"><h2>%s</h2><form class=\"form\" method=\"post\" action=\"/people/%lld/reveal\">",
             T(r, "查看完整身份证号"), (long long)p->id);
        ui_csrf(r, b);
        html(b, "<div class=\"field\"><label for=\"f-why\">%s *</label><input id=\"f-why\" name=\"why\" type=\"text\" required maxlength=\"100\">"
                "<p class=\"hint\">%s</p></div><div class=\"actions\"><button type=\"submit\">%s</button></div></form></section>",
             T(r, "查看原因"), T(r, "例如：办理低保需核对身份。每次查看都会记入操作日志。"), T(r, "查看"));
    }
    PersonEvent *ev = arena_alloc(r->arena, sizeof(PersonEvent) * PERSON_EVENTS_MAX);
    int n = person_events(auth_scope(r), p->id, ev, PERSON_EVENTS_MAX);
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "变动记录"));
    if (n <= 0) html(b, "<p class=\"hint\">%s</p>", T(r, "没有变动记录。"));
    else {
        html(b, "<div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th></tr></thead><tbody>", T(r, "日期"), T(r, "变动"));
        for (int i = 0; i < n; i++)
            html(b, "<tr><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td></tr>", T(r, "日期"), iso_date_text(r, ev[i].on_date),
                 T(r, "变动"), event_text(r, &ev[i]));
        html_raw(b, "</tbody></table></div>");
    }
    html_raw(b, "</section>");
    page_end(r, w);
}

/* Loads the person named by the path inside the scope; answers 404 otherwise. */
static bool load_person_row(Req *r, Resp *w, PersonRow *p, InScope *where) {
    int64_t id = path_id(r, "id");
    if (id && person_row_get(auth_scope(r), id, p) && person_in_scope(auth_scope(r), id, where)) return true;
    page_error(r, w, 404, NULL);
    return false;
}

static void h_person(Req *r, Resp *w) {
    PersonRow p;
    InScope where;
    if (!load_person_row(r, w, &p, &where)) return;
    person_page(r, w, &p, &where, NULL);
}

static const Field reveal_fields[] = {{"why", "查看原因", FT_TEXT, true, 2, 100, NULL, NULL, NULL}};

/* Decrypts the ID number of person `p` for the caller after writing the audit entry (who, why;
 * never the number). Returns 0, 403 without CAP_REVEAL on the group, 404 when there is no
 * number, 422 without a reason (message in *why_err), or 500. */
static int reveal(Req *r, const PersonRow *p, const InScope *where, char out[20], const char **why_err) {
    if (!auth_can(r, CAP_REVEAL, where->unit_path)) return 403;
    Form f;
    if (form_read(r, &f, reveal_fields, 1)) {
        *why_err = f.err[0];
        return 422;
    }
    if (!*p->idmask) return 404;
    Actor a = actor_of(r);
    json_t *detail = json_pack("{s:s, s:s}", "who", a.username ? a.username : "", "why", form_s(&f, "why"));
    if (audit_event(&a, "reveal", "person", p->id, p->unit_id, detail) != 0) return 500;
    return person_reveal_idnum(p->id, out) == 0 ? 0 : 500;
}

static void h_person_reveal(Req *r, Resp *w) {
    PersonRow p;
    InScope where;
    if (!load_person_row(r, w, &p, &where)) return;
    char num[20];
    const char *why_err = NULL;
    int rc = reveal(r, &p, &where, num, &why_err);
    if (rc == 422) { resp_redirect_error(r, w, arena_printf(r->arena, "/people/%lld", (long long)p.id), T(r, "请填写查看原因。")); return; }
    if (rc) { page_error(r, w, rc, NULL); return; }
    person_page(r, w, &p, &where, arena_strdup(r->arena, num));
    memset(num, 0, sizeof num);
}

void api_person_reveal(Req *r, Resp *w) {
    PersonRow p;
    InScope where;
    if (!load_person_row(r, w, &p, &where)) return;
    char num[20];
    const char *why_err = NULL;
    int rc = reveal(r, &p, &where, num, &why_err);
    if (rc == 422) { json_error(r, w, 422, "required", "why", why_err); return; }
    if (rc) { page_error(r, w, rc, NULL); return; }
    json_send(w, 200, json_pack("{s:I, s:s}", "id", (json_int_t)p.id, "idnum", num));
    memset(num, 0, sizeof num);
}

/* ---------------------------------------------------------------------------------------------
 * Person forms: GET/POST /households/:id/members/new, GET/POST /people/:id/edit */

void field_open(Req *r, Buf *b, const Form *f, const char *name, const char *label, bool required) {
    int k = 0;
    while (k < f->n && strcmp(f->fields[k].name, name)) k++;
    html(b, "<div class=\"field%s\"><label id=\"f-%s-l\" for=\"f-%s\">%s%s</label>", k < f->n && f->err[k] ? " has-error" : "",
         name, name, T(r, label), required ? " *" : "");
}

void field_close(Req *r, Buf *b, const Form *f, const char *name, const char *hint) {
    int k = 0;
    while (k < f->n && strcmp(f->fields[k].name, name)) k++;
    if (!hint && k < f->n) hint = f->fields[k].hint;
    if (hint) html(b, "<p class=\"hint\">%s</p>", T(r, hint));
    if (k < f->n && f->err[k]) html(b, "<p class=\"error\" id=\"f-%s-err\">%s</p>", name, f->err[k]);
    html_raw(b, "</div>");
}

/* Radio buttons for 性别. */
static void sex_field(Req *r, Buf *b, const Form *f) {
    const char *v = form_s(f, "sex");
    field_open(r, b, f, "sex", "性别", true);
    html_raw(b, "<div class=\"choices\" role=\"radiogroup\" aria-labelledby=\"f-sex-l\">");
    for (const Choice *c = sex_choices; c->value; c++) {
        html(b, "<label><input type=\"radio\" name=\"sex\" value=\"%s\"", c->value);
        if (c == sex_choices) html_raw(b, " id=\"f-sex\"");   /* the label's for= lands on the first choice */
        html(b, "%s> %s</label>", v && !strcmp(v, c->value) ? " checked" : "", T(r, c->label));
    }
    html_raw(b, "</div>");
    field_close(r, b, f, "sex", NULL);
}

/* The ID number: a numeric keypad, never autofilled; on an edit the stored number stays unless
 * a new one is typed. */
static void idnum_field(Req *r, Buf *b, const Form *f, const char *current_mask) {
    const char *v = form_s(f, "idnum");
    field_open(r, b, f, "idnum", "身份证号", false);
    html(b, "<input id=\"f-idnum\" name=\"idnum\" type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"18\" data-idnum value=\"%s\">",
         v ? v : "");
    if (current_mask && *current_mask)
        html(b, "<p class=\"hint\">%s %s</p>", T(r, "留空则保留已登记的号码："), current_mask);
    field_close(r, b, f, "idnum", NULL);
}

/* The flags as a group of checkboxes. */
static void flags_field(Req *r, Buf *b, const Form *f) {
    html(b, "<div class=\"field\"><label id=\"f-flags-l\">%s</label><div class=\"choices\" role=\"group\" aria-labelledby=\"f-flags-l\">", T(r, "标记"));
    for (const FlagName *fl = person_flags; fl->key; fl++)
        html(b, "<label><input type=\"checkbox\" name=\"%s\" value=\"1\"%s> %s</label>", fl->key, form_on(f, fl->key) ? " checked" : "",
             T(r, fl->zh));
    html_raw(b, "</div></div>");
}

static void person_form_page(Req *r, Resp *w, Form *f, int64_t unit_id, const char *title, const char *action,
                             const char *cancel, const Person *before) {
    Crumb leaf = {title, NULL};
    roll_page_begin(r, w, unit_id, title, &leaf, 1);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><section class=\"card\">", title);
    if (f->nerr) html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", T(r, "请按提示修改标红的项目。"));
    html(b, "<form class=\"form\" method=\"post\" action=\"%s\" novalidate>", action);
    ui_csrf(r, b);
    ui_field(r, b, f, "name");
    sex_field(r, b, f);
    ui_field(r, b, f, "birth");
    idnum_field(r, b, f, before ? before->idmask : NULL);
    ui_field(r, b, f, "phone");
    ui_field(r, b, f, "relation");
    ui_field(r, b, f, "status");
    ui_field(r, b, f, "status_date");
    ui_field(r, b, f, "ethnicity");
    ui_field(r, b, f, "education");
    flags_field(r, b, f);
    if (before) ui_field(r, b, f, "move_hh");
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button><a class=\"button\" href=\"%s\">%s</a></div></form></section>",
         T(r, "保存"), cancel, T(r, "取消"));
    page_end(r, w);
}

static void h_member_new(Req *r, Resp *w) {
    Household h;
    InScope where;
    if (!load_household(r, w, &h, &where)) return;
    if (!auth_can(r, CAP_EDIT, where.unit_path)) { page_error(r, w, 403, NULL); return; }
    if (*h.ended_at) { page_error(r, w, 409, T(r, HOUSEHOLD_ENDED_REFUSAL)); return; }
    const char *action = arena_printf(r->arena, "/households/%lld/members/new", (long long)h.id);
    const char *back = arena_printf(r->arena, "/households/%lld", (long long)h.id);
    Form f;
    if (r->method != HTTP_POST) {
        form_init(&f, person_fields, person_nfields);
        form_set(&f, "status", "resident");
        form_set(&f, "relation", h.head_id ? NULL : "head");
        person_form_page(r, w, &f, h.unit_id, T(r, "添加成员"), action, back, NULL);
        return;
    }
    form_read(r, &f, person_fields, person_nfields);
    Person p;
    int rc = person_save(r, &f, NULL, h.id, &p);
    if (rc == 0) { resp_redirect_flash(r, w, back, T(r, "已添加成员。")); return; }
    if (rc != 422) { page_error(r, w, rc, NULL); return; }
    w->status = 422;
    person_form_page(r, w, &f, h.unit_id, T(r, "添加成员"), action, back, NULL);
}

static void h_person_edit(Req *r, Resp *w) {
    PersonRow row;
    InScope where;
    Person before;
    if (!load_person_row(r, w, &row, &where) || !person_load(row.id, &before)) return;
    if (!auth_can(r, CAP_EDIT, where.unit_path)) { page_error(r, w, 403, NULL); return; }
    const char *action = arena_printf(r->arena, "/people/%lld/edit", (long long)before.id);
    const char *back = arena_printf(r->arena, "/people/%lld", (long long)before.id);
    Form f;
    if (r->method != HTTP_POST) {
        form_init(&f, person_fields, person_nfields);
        person_form_fill(r, &f, &before);
        person_form_page(r, w, &f, before.unit_id, T(r, "修改组民信息"), action, back, &before);
        return;
    }
    form_read(r, &f, person_fields, person_nfields);
    Person p;
    int rc = person_save(r, &f, &before, 0, &p);
    if (rc == 0) { resp_redirect_flash(r, w, back, T(r, "已保存。")); return; }
    if (rc != 422) { page_error(r, w, rc, NULL); return; }
    w->status = 422;
    person_form_page(r, w, &f, before.unit_id, T(r, "修改组民信息"), action, back, &before);
}

/* ---------------------------------------------------------------------------------------------
 * Household forms: GET/POST /groups/:id/households/new, GET/POST /households/:id/edit */

/* A <select> of the household's members for 户主 or 户代表 (a household has a handful). */
void member_select(Req *r, Buf *b, const Form *f, const char *name, const char *label, const PersonRow *m, int n) {
    const char *v = form_s(f, name);
    bool required = false;
    for (int k = 0; k < f->n; k++)
        if (!strcmp(f->fields[k].name, name)) required = f->fields[k].required;
    field_open(r, b, f, name, label, required);
    html(b, "<select id=\"f-%s\" name=\"%s\"><option value=\"\">%s</option>", name, name, T(r, "未指定"));
    for (int i = 0; i < n; i++) {
        const char *id = arena_printf(r->arena, "%lld", (long long)m[i].id);
        html(b, "<option value=\"%s\"%s>%s</option>", id, v && !strcmp(v, id) ? " selected" : "", m[i].name);
    }
    html_raw(b, "</select>");
    field_close(r, b, f, name, NULL);
}

static void household_form_page(Req *r, Resp *w, Form *f, int64_t unit_id, const char *title, const char *action,
                                 const char *cancel, const Household *before) {
    Crumb leaf = {title, NULL};
    roll_page_begin(r, w, unit_id, title, &leaf, 1);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><section class=\"card\">", title);
    if (f->nerr) html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", T(r, "请按提示修改标红的项目。"));
    html(b, "<form class=\"form\" method=\"post\" action=\"%s\" novalidate>", action);
    ui_csrf(r, b);
    ui_field(r, b, f, "hh_no");
    if (before) {
        PersonRow *m = arena_alloc(r->arena, sizeof(PersonRow) * HOUSEHOLD_MEMBERS_MAX);
        int n = household_members(before->id, m, HOUSEHOLD_MEMBERS_MAX);
        if (n < 0) n = 0;
        member_select(r, b, f, "head_id", "户主", m, n);
        member_select(r, b, f, "rep_id", "户代表", m, n);
    }
    ui_field(r, b, f, "address");
    ui_field(r, b, f, "farmland");
    ui_field(r, b, f, "forest");
    ui_field(r, b, f, "livestock");
    ui_field(r, b, f, "poultry");
    ui_field(r, b, f, "poverty");
    ui_field(r, b, f, "family_rules");
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button><a class=\"button\" href=\"%s\">%s</a></div></form></section>",
         T(r, "保存"), cancel, T(r, "取消"));
    page_end(r, w);
}

static void h_household_new(Req *r, Resp *w) {
    Unit u;
    if (!load_group(r, w, &u)) return;
    if (!auth_can(r, CAP_EDIT, u.path) || unit_ended(&u)) { page_error(r, w, 403, NULL); return; }
    const char *action = arena_printf(r->arena, "/groups/%lld/households/new", (long long)u.id);
    const char *back = arena_printf(r->arena, "/groups/%lld/households", (long long)u.id);
    Form f;
    if (r->method != HTTP_POST) {
        form_init(&f, household_fields, household_nfields);
        form_set(&f, "poverty", "none");
        household_form_page(r, w, &f, u.id, T(r, "新增户"), action, back, NULL);
        return;
    }
    form_read(r, &f, household_fields, household_nfields);
    Household h;
    int rc = household_save(r, &f, NULL, u.id, &h);
    if (rc == 0) {
        resp_redirect_flash(r, w, arena_printf(r->arena, "/households/%lld", (long long)h.id), T(r, "已新增户，请添加家庭成员。"));
        return;
    }
    if (rc != 422) { page_error(r, w, rc, NULL); return; }
    w->status = 422;
    household_form_page(r, w, &f, u.id, T(r, "新增户"), action, back, NULL);
}

static void h_household_edit(Req *r, Resp *w) {
    Household before;
    InScope where;
    if (!load_household(r, w, &before, &where)) return;
    if (!auth_can(r, CAP_EDIT, where.unit_path)) { page_error(r, w, 403, NULL); return; }
    if (*before.ended_at) { page_error(r, w, 409, T(r, HOUSEHOLD_ENDED_REFUSAL)); return; }
    const char *action = arena_printf(r->arena, "/households/%lld/edit", (long long)before.id);
    const char *back = arena_printf(r->arena, "/households/%lld", (long long)before.id);
    Form f;
    if (r->method != HTTP_POST) {
        form_init(&f, household_fields, household_nfields);
        household_form_fill(r, &f, &before);
        household_form_page(r, w, &f, before.unit_id, T(r, "修改户信息"), action, back, &before);
        return;
    }
    form_read(r, &f, household_fields, household_nfields);
    Household h;
    int rc = household_save(r, &f, &before, before.unit_id, &h);
    if (rc == 0) { resp_redirect_flash(r, w, back, T(r, "已保存。")); return; }
    if (rc != 422) { page_error(r, w, rc, NULL); return; }
    w->status = 422;
    household_form_page(r, w, &f, before.unit_id, T(r, "修改户信息"), action, back, &before);
}

/* ---------------------------------------------------------------------------------------------
 * Routes */

const Route people_routes[] = {
    {HTTP_GET, "/people", h_people, CAP_VIEW, 0, "people_list"},
    {HTTP_GET, "/people/export.xlsx", people_export, CAP_EXPORT, 0, "people_export_xlsx"},
    {HTTP_GET, "/people/export.csv", people_export, CAP_EXPORT, 0, "people_export_csv"},
    {HTTP_GET, "/households/export.xlsx", households_export, CAP_EXPORT, 0, "households_export_xlsx"},
    {HTTP_GET, "/households/export.csv", households_export, CAP_EXPORT, 0, "households_export_csv"},
    {HTTP_GET, "/people/:id", h_person, CAP_VIEW, 0, "person"},
    {HTTP_GET | HTTP_POST, "/people/:id/edit", h_person_edit, CAP_EDIT, 0, "person_edit"},
    {HTTP_POST, "/people/:id/reveal", h_person_reveal, CAP_REVEAL, 0, "person_reveal"},
    {HTTP_GET, "/groups/:id/households", h_group_households, CAP_VIEW, 0, "group_households"},
    {HTTP_GET | HTTP_POST, "/groups/:id/households/new", h_household_new, CAP_EDIT, 0, "household_new"},
    {HTTP_GET, "/households/:id", h_household, CAP_VIEW, 0, "household"},
    {HTTP_GET, "/me/household", h_my_household, CAP_LOGIN, 0, "my_household"},
    {HTTP_GET | HTTP_POST, "/households/:id/edit", h_household_edit, CAP_EDIT, 0, "household_edit"},
    {HTTP_GET | HTTP_POST, "/households/:id/members/new", h_member_new, CAP_EDIT, 0, "member_new"},
    {HTTP_POST, "/households/:id/end", h_household_end, CAP_EDIT, 0, "household_end"},
    {HTTP_POST, "/households/:id/restore", h_household_restore, CAP_EDIT, 0, "household_restore"},
    {HTTP_GET | HTTP_POST, "/households/:id/split", h_household_split, CAP_EDIT, 0, "household_split"},
    {HTTP_GET | HTTP_POST, "/households/:id/merge", h_household_merge, CAP_EDIT, 0, "household_merge"},
    {HTTP_GET | HTTP_POST, "/households/:id/move", h_household_move, CAP_EDIT, 0, "household_move"},
    {HTTP_GET, "/api/v1/people", api_people_list, CAP_VIEW, ROUTE_JSON, "api_people_list"},
    {HTTP_POST, "/api/v1/people", api_person_create, CAP_EDIT, ROUTE_JSON, "api_person_create"},
    {HTTP_GET, "/api/v1/people/:id", api_person_get, CAP_VIEW, ROUTE_JSON, "api_person"},
    {HTTP_POST, "/api/v1/people/:id", api_person_update, CAP_EDIT, ROUTE_JSON, "api_person_update"},
    {HTTP_POST, "/api/v1/people/:id/reveal", api_person_reveal, CAP_REVEAL, ROUTE_JSON, "api_person_reveal"},
    {HTTP_POST, "/api/v1/households", api_household_create, CAP_EDIT, ROUTE_JSON, "api_household_create"},
    {HTTP_GET, "/api/v1/households/:id", api_household_get, CAP_VIEW, ROUTE_JSON, "api_household"},
    {HTTP_POST, "/api/v1/households/:id", api_household_update, CAP_EDIT, ROUTE_JSON, "api_household_update"},
    {HTTP_POST, "/api/v1/households/:id/end", h_household_end, CAP_EDIT, ROUTE_JSON, "api_household_end"},
    {HTTP_POST, "/api/v1/households/:id/restore", h_household_restore, CAP_EDIT, ROUTE_JSON, "api_household_restore"},
    {HTTP_POST, "/api/v1/households/:id/split", h_household_split, CAP_EDIT, ROUTE_JSON, "api_household_split"},
    {HTTP_POST, "/api/v1/households/:id/merge", h_household_merge, CAP_EDIT, ROUTE_JSON, "api_household_merge"},
    {HTTP_POST, "/api/v1/households/:id/move", h_household_move, CAP_EDIT, ROUTE_JSON, "api_household_move"},
    {0, NULL, NULL, 0, 0, NULL},
};
