/* export.c — the roster as Excel (.xlsx) and CSV, with the same filters as the /people list
 * (GET /people/export.xlsx and .csv), written through SheetOut (platform/xlsxout.h).
 *
 * ID numbers and phones are masked unless the caller asks with ?unmasked=1 and holds CAP_REVEAL
 * on the whole filtered scope; such an export is audited as "export_unmasked" (filters and row
 * count, never the numbers), and every export as "export". At most PEOPLE_EXPORT_CAP rows.
 *
 * The household ledger (户情台账, GET /households/export.xlsx and .csv) lists the active
 * households of the groups in the caller's scope or in ?unit= inside it, with their profile; it
 * holds no ID number or phone, and is audited as "export" of "household". */
#include "people/store.h"
#include "org/org.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/html.h"
#include "platform/page.h"
#include "platform/xlsxout.h"
#include <stdio.h>
#include <string.h>

enum { NCOLS = 15 };

static const SheetCol cols[NCOLS] = {
    {"姓名", false, 10},       {"性别", false, 0},        {"出生日期", false, 12}, {"年龄", true, 0},
    {"身份证号", false, 20},   {"联系电话", false, 14},   {"民族", false, 0},      {"文化程度", false, 0},
    {"所在组", false, 14},     {"户号", false, 0},        {"与户主关系", false, 0}, {"户主/户代表", false, 0},
    {"人员状态", false, 0},    {"状态日期", false, 12},   {"标记", false, 20},
};

/* One export in progress: the request, its options and the sheet. */
typedef struct Export {
    Req *r;
    bool unmasked;
    int32_t today;
    SheetOut sheet;
} Export;

/* Writes one person as a row of the sheet. */
static int person_row(void *ctx, const PersonRow *p) {
    Export *e = ctx;
    Req *r = e->r;
    char num[20] = "";
    if (e->unmasked && *p->idmask && person_reveal_idnum(p->id, num) != 0) e->sheet.failed = true;
    int age = age_from_iso(p->birth, e->today);
    Buf flags = BUF_INIT;
    for (const FlagName *f = person_flags; f->key; f++)
        if (p->flags & f->bit) {
            if (flags.len) buf_puts(&flags, "、");
            buf_puts(&flags, T(r, f->zh));
        }
    char agebuf[12] = "";
    if (age >= 0) snprintf(agebuf, sizeof agebuf, "%d", age);
    const char *cells[NCOLS] = {
        p->name,
        T(r, p->sex == 'M' ? "男" : "女"),
        p->birth,
        agebuf,
        e->unmasked && *num ? num : p->idmask,
        e->unmasked ? p->phone : phone_masked(r, p->phone),
        p->ethnicity,
        p->education,
        p->unit_name,
        p->hh_no,
        T(r, choice_label(relation_choices, p->relation)),
        p->is_head && p->is_rep ? T(r, "户主、户代表") : p->is_head ? T(r, "户主") : p->is_rep ? T(r, "户代表") : "",
        T(r, choice_label(status_choices, p->status)),
        p->status_date,
        flags.p ? flags.p : "",
    };
    sheet_row(&e->sheet, cells);
    buf_free(&flags);
    memset(num, 0, sizeof num);
    return e->sheet.failed;
}

/* Reads the filters (a filter the list does not offer lands in *bad) and the unmasked option.
 * Returns 0, or 403 when unmasked is asked for without CAP_REVEAL on the scope. *in_scope is false
 * when the unit filter lies outside. */
static int export_options(Req *r, PeopleQuery *q, bool *in_scope, bool *unmasked, FilterError *bad) {
    *in_scope = people_filters(r, q, bad);
    const char *u = req_param_src(r, "unmasked", SRC_QUERY);
    *unmasked = u && !strcmp(u, "1");
    return *unmasked && !auth_can(r, CAP_REVEAL, q->scope) ? 403 : 0;
}

/* Writes the audit entries of a finished export. Returns 0 or -1. */
static int export_audit(Req *r, const char *format, const Export *e) {
    Actor a = actor_of(r);
    const char *kept[] = {"q", "flag", "status", "age", "unit"};
    json_t *filters = json_object();
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        const char *v = req_param_src(r, kept[i], SRC_QUERY);
        if (v && *v) json_object_set_new(filters, kept[i], json_string(v));
    }
    int64_t unit = r->who ? r->who->scope_unit : 0;
    json_t *detail = json_pack("{s:s, s:O, s:I, s:b}", "format", format, "filters", filters, "rows", (json_int_t)e->sheet.rows,
                               "unmasked", e->unmasked);
    int rc = audit_event(&a, "export", "person", 0, unit, detail);
    if (!rc && e->unmasked)
        rc = audit_event(&a, "export_unmasked", "person", 0, unit,
                         json_pack("{s:s, s:O, s:I}", "format", format, "filters", filters, "rows", (json_int_t)e->sheet.rows));
    json_decref(filters);
    return rc ? -1 : 0;
}

void people_export(Req *r, Resp *w) {
    PeopleQuery q;
    bool in_scope;
    Export e = {r, false, date_today(), {0}};
    FilterError fe;
    int rc = export_options(r, &q, &in_scope, &e.unmasked, &fe);
    if (fe.field) { page_error(r, w, 422, fe.message); return; }
    if (rc) { page_error(r, w, rc, NULL); return; }
    /* constant memory: up to PEOPLE_EXPORT_CAP rows */
    if (sheet_open(&e.sheet, r, w, "组民名册", cols, NCOLS, true) != 0) { page_error(r, w, 500, NULL); return; }
    if (in_scope && people_search(&q, 0, PEOPLE_EXPORT_CAP, person_row, &e) < 0) e.sheet.failed = true;
    if (sheet_finish(&e.sheet) != 0 || export_audit(r, e.sheet.csv ? "csv" : "xlsx", &e) != 0) {
        buf_reset(&w->body);
        page_error(r, w, 500, NULL);
        return;
    }
    sheet_attach(&e.sheet, w, "people", "组民名册");
}

/* ---------------------------------------------------------------------------------------------
 * The household ledger */

enum { HCOLS = 15 };

static const SheetCol hcols[HCOLS] = {
    {"乡镇（街道）", false, 14}, {"村", false, 14},        {"村民组", false, 14},    {"户号", false, 0},
    {"住址", false, 30},         {"户主", false, 10},      {"户代表", false, 10},    {"人口", true, 0},
    {"劳动力", true, 0},         {"外出务工", true, 0},    {"耕地（亩）", true, 0},  {"林地（亩）", true, 0},
    {"家畜存栏（头）", true, 0}, {"家禽（只）", true, 0},  {"脱贫情况", false, 0},
};

typedef struct LedgerCtx {
    Req *r;
    SheetOut sheet;
} LedgerCtx;

const char *mu_decimal(Req *r, int64_t c) {
    if (c % 100 == 0) return arena_printf(r->arena, "%lld", (long long)(c / 100));
    if (c % 10 == 0) return arena_printf(r->arena, "%lld.%lld", (long long)(c / 100), (long long)(c % 100 / 10));
    return arena_printf(r->arena, "%lld.%02lld", (long long)(c / 100), (long long)(c % 100));
}

static int household_line(void *ctx, const HouseholdLine *h) {
    LedgerCtx *c = ctx;
    Req *r = c->r;
    const char *cells[HCOLS] = {
        h->township, h->village, h->group, h->hh_no, h->address, h->head_name, h->rep_name,
        arena_printf(r->arena, "%d", h->members), arena_printf(r->arena, "%d", h->labour),
        arena_printf(r->arena, "%d", h->migrants), mu_decimal(r, h->farmland_c), mu_decimal(r, h->forest_c),
        arena_printf(r->arena, "%lld", (long long)h->livestock), arena_printf(r->arena, "%lld", (long long)h->poultry),
        T(r, choice_label(poverty_choices, h->poverty)),
    };
    sheet_row(&c->sheet, cells);
    return c->sheet.failed;
}

void households_export(Req *r, Resp *w) {
    const char *scope = org_scope_param(r);
    if (!scope) { page_error(r, w, 404, NULL); return; }
    LedgerCtx c = {r, {0}};
    if (sheet_open(&c.sheet, r, w, "户情台账", hcols, HCOLS, true) != 0) { page_error(r, w, 500, NULL); return; }
    if (scope_households(scope, PEOPLE_EXPORT_CAP, household_line, &c) < 0) c.sheet.failed = true;
    Actor a = actor_of(r);
    const char *unit = req_param_src(r, "unit", SRC_QUERY);
    if (sheet_finish(&c.sheet) != 0
        || audit_event(&a, "export", "household", 0, r->who ? r->who->scope_unit : 0,
                       json_pack("{s:s, s:s, s:I}", "format", c.sheet.csv ? "csv" : "xlsx", "unit", unit && *unit ? unit : "",
                                 "rows", (json_int_t)c.sheet.rows)) != 0) {
        buf_reset(&w->body);
        page_error(r, w, 500, NULL);
        return;
    }
    sheet_attach(&c.sheet, w, "households", "户情台账");
}
