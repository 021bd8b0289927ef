/* export.c — the roster as Excel (.xlsx) and CSV, with the same filters as the /people list.
 *
 * ID numbers and phones are masked unless the caller asks with ?unmasked=1 and holds CAP_REVEAL
 * on the whole filtered scope; such an export is audited as "export_unmasked" (filters and row
 * count, never the numbers), and every export as "export". At most PEOPLE_EXPORT_CAP rows. The
 * CSV starts with a BOM so Excel reads it as UTF-8; the writer defuses formula injection. The
 * workbook is written by libxlsxwriter to a private temporary file, read back and removed. */
#include "people/store.h"
#include "platform/auth.h"
#include "platform/csv.h"
#include "platform/date.h"
#include "platform/html.h"
#include "platform/page.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "platform/xlsxout.h"
#include <xlsxwriter.h>

enum { NCOLS = 15 };

static const char *const headers[NCOLS] = {
    "姓名", "性别", "出生日期", "年龄", "身份证号", "联系电话", "民族", "文化程度",
    "所在组", "户号", "与户主关系", "户主/户代表", "人员状态", "状态日期", "标记",
};

/* One export in progress: the request, its options, and the sink of the chosen format. */
typedef struct Export {
    Req *r;
    bool unmasked;
    int32_t today;
    long long rows;
    bool failed;
    CsvWriter csv;
    lxw_worksheet *sheet;
} Export;

/* Fills the NCOLS cells of a person into cells[] (texts in the request arena). */
static void person_cells(Export *e, const PersonRow *p, const char *cells[NCOLS]) {
    Req *r = e->r;
    char num[20] = "";
    if (e->unmasked && *p->idmask && person_reveal_idnum(p->id, num) != 0) e->failed = true;
    int age = age_from_iso(p->birth, e->today);
    Buf flags = BUF_INIT;
    for (const FlagName *f = person_flags; f->key; f++)
        if (p->flags & f->bit) {
            if (flags.len) buf_puts(&flags, "、");
            buf_puts(&flags, T(r, f->zh));
        }
    cells[0] = p->name;
    cells[1] = T(r, p->sex == 'M' ? "男" : "女");
    cells[2] = p->birth;
    cells[3] = age >= 0 ? arena_printf(r->arena, "%d", age) : "";
    cells[4] = e->unmasked && *num ? arena_strdup(r->arena, num) : p->idmask;
    cells[5] = e->unmasked ? p->phone : phone_masked(r, p->phone);
    cells[6] = p->ethnicity;
    cells[7] = p->education;
    cells[8] = p->unit_name;
    cells[9] = p->hh_no;
    cells[10] = T(r, choice_label(relation_choices, p->relation));
    cells[11] = p->is_head && p->is_rep ? T(r, "户主、户代表") : p->is_head ? T(r, "户主") : p->is_rep ? T(r, "户代表") : "";
    cells[12] = T(r, choice_label(status_choices, p->status));
    cells[13] = p->status_date;
    cells[14] = arena_strdup(r->arena, flags.p ? flags.p : "");
    buf_free(&flags);
    memset(num, 0, sizeof num);
}

static void csv_put(void *ctx, const char *s, size_t n) { buf_append(ctx, s, n); }

static int csv_row(void *ctx, const PersonRow *p) {
    Export *e = ctx;
    const char *cells[NCOLS];
    person_cells(e, p, cells);
    for (int i = 0; i < NCOLS; i++) csv_write_field(&e->csv, cells[i], strlen(cells[i]));
    csv_end_row(&e->csv);
    e->rows++;
    return e->failed;
}

static int xlsx_row(void *ctx, const PersonRow *p) {
    Export *e = ctx;
    const char *cells[NCOLS];
    person_cells(e, p, cells);
    e->rows++;
    for (int i = 0; i < NCOLS; i++)   /* always strings: a cell never becomes a formula */
        if (*cells[i] && worksheet_write_string(e->sheet, (lxw_row_t)e->rows, (lxw_col_t)i, cells[i], NULL) != LXW_NO_ERROR)
            e->failed = true;
    return e->failed;
}

/* Reads the filters and the unmasked option. Returns 0, or 403 when unmasked is asked for
 * without CAP_REVEAL on the scope. *in_scope is false when the unit filter lies outside. */
static int export_options(Req *r, PeopleQuery *q, bool *in_scope, bool *unmasked) {
    *in_scope = people_filters(r, q);
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
    json_t *detail = json_pack("{s:s, s:O, s:I, s:b}", "format", format, "filters", filters, "rows", (json_int_t)e->rows,
                               "unmasked", e->unmasked);
    int rc = audit_event(&a, "export", "person", 0, unit, detail);
    if (!rc && e->unmasked)
        rc = audit_event(&a, "export_unmasked", "person", 0, unit,
                         json_pack("{s:s, s:O, s:I}", "format", format, "filters", filters, "rows", (json_int_t)e->rows));
    json_decref(filters);
    return rc ? -1 : 0;
}

/* Sets the download headers: an ASCII fallback name and the Chinese name in RFC 5987 form. */
static void attachment(Req *r, Resp *w, const char *type, const char *ext) {
    char day[16];
    date_format(date_today(), day, sizeof day);
    resp_attachment(r, w, type, arena_printf(r->arena, "people-%s.%s", day, ext),
                    arena_printf(r->arena, "%s-%s.%s", T(r, "组民名册"), day, ext));
}

void people_export_csv(Req *r, Resp *w) {
    PeopleQuery q;
    bool in_scope;
    Export e = {r, false, date_today(), 0, false, {0}, NULL};
    int rc = export_options(r, &q, &in_scope, &e.unmasked);
    if (rc) { page_error(r, w, rc, NULL); return; }
    buf_reset(&w->body);
    csv_writer_init(&e.csv, csv_put, &w->body, CSV_WRITE_BOM);
    for (int i = 0; i < NCOLS; i++) csv_write_field(&e.csv, T(r, headers[i]), strlen(T(r, headers[i])));
    csv_end_row(&e.csv);
    if (in_scope && people_search(&q, 0, PEOPLE_EXPORT_CAP, csv_row, &e) < 0) e.failed = true;
    if (e.failed || export_audit(r, "csv", &e) != 0) {
        buf_reset(&w->body);
        page_error(r, w, 500, NULL);
        return;
    }
    attachment(r, w, "text/csv; charset=utf-8", "csv");
}

void people_export_xlsx(Req *r, Resp *w) {
    PeopleQuery q;
    bool in_scope;
    Export e = {r, false, date_today(), 0, false, {0}, NULL};
    int rc = export_options(r, &q, &in_scope, &e.unmasked);
    if (rc) { page_error(r, w, rc, NULL); return; }
    XlsxOut out;
    lxw_workbook *wb = xlsx_out_open(&out, true);   /* constant memory: up to 300,000 rows */
    e.sheet = wb ? workbook_add_worksheet(wb, T(r, "组民名册")) : NULL;
    if (!e.sheet) e.failed = true;
    for (int i = 0; !e.failed && i < NCOLS; i++) worksheet_write_string(e.sheet, 0, (lxw_col_t)i, T(r, headers[i]), NULL);
    if (!e.failed && in_scope && people_search(&q, 0, PEOPLE_EXPORT_CAP, xlsx_row, &e) < 0) e.failed = true;
    buf_reset(&w->body);
    if (e.failed) xlsx_out_discard(&out);
    else if (xlsx_out_finish(&out, &w->body) != 0) e.failed = true;
    if (e.failed || export_audit(r, "xlsx", &e) != 0) {
        buf_reset(&w->body);
        page_error(r, w, 500, NULL);
        return;
    }
    attachment(r, w, XLSX_TYPE, "xlsx");
}
