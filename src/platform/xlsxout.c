/* xlsxout.c — workbooks written to a temporary file and sent as the response, and lists sent as
 * .xlsx or CSV (see xlsxout.h). */
#include "platform/xlsxout.h"
#include "platform/date.h"
#include "platform/html.h"
#include "platform/i18n.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

lxw_workbook *xlsx_out_open(XlsxOut *o, bool constant_memory) {
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp || strlen(tmp) > sizeof o->path - 20) tmp = "/tmp";
    snprintf(o->path, sizeof o->path, "%s/zuwei-xlsx-XXXXXX", tmp);
    o->wb = NULL;
    int fd = mkstemp(o->path);
    if (fd < 0) return NULL;
    close(fd);
    lxw_workbook_options opts = {.constant_memory = constant_memory, .tmpdir = (char *)tmp, .use_zip64 = 0};
    o->wb = workbook_new_opt(o->path, &opts);
    if (!o->wb) unlink(o->path);
    return o->wb;
}

int xlsx_out_finish(XlsxOut *o, Buf *b) {
    if (!o->wb) return -1;
    bool ok = workbook_close(o->wb) == LXW_NO_ERROR;
    o->wb = NULL;
    FILE *in = ok ? fopen(o->path, "rb") : NULL;
    size_t start = b->len;
    if (in) {
        char chunk[16384];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, in)) > 0) buf_append(b, chunk, got);
        ok = !ferror(in);
        fclose(in);
    }
    unlink(o->path);
    if (!in || !ok) {
        b->len = start;
        if (b->p) b->p[start] = 0;
        return -1;
    }
    return 0;
}

void xlsx_out_discard(XlsxOut *o) {
    if (o->wb) workbook_close(o->wb);
    o->wb = NULL;
    unlink(o->path);
}

void resp_attachment(Req *r, Resp *w, const char *content_type, const char *ascii_name, const char *utf8_name) {
    w->content_type = content_type;
    Buf d = BUF_INIT;
    buf_printf(&d, "attachment; filename=\"%s\"", ascii_name);
    if (utf8_name) {
        buf_puts(&d, "; filename*=UTF-8''");
        url_escape(&d, utf8_name);
    }
    resp_header(w, "Content-Disposition", arena_strdup(r->arena, d.p));
    resp_header(w, "Cache-Control", "no-store");
    buf_free(&d);
}

static void body_put(void *ctx, const char *s, size_t n) { buf_append(ctx, s, n); }

/* True when the request path ends in ".csv". */
static bool wants_csv(const Req *r) {
    size_t n = strlen(r->path);
    return n >= 4 && !strcmp(r->path + n - 4, ".csv");
}

int sheet_open(SheetOut *s, Req *r, Resp *w, const char *title, const SheetCol *cols, int n, bool big) {
    memset(s, 0, sizeof *s);
    s->r = r;
    s->csv = wants_csv(r);
    s->body = &w->body;
    s->cols = cols;
    s->ncols = n;
    buf_reset(s->body);
    if (s->csv) {
        csv_writer_init(&s->cw, body_put, s->body, CSV_WRITE_BOM);
        for (int i = 0; i < n; i++) {
            const char *h = T(r, cols[i].head);
            csv_write_field(&s->cw, h, strlen(h));
        }
        csv_end_row(&s->cw);
        return 0;
    }
    lxw_workbook *wb = xlsx_out_open(&s->xo, big);
    s->ws = wb ? workbook_add_worksheet(wb, T(r, title)) : NULL;
    if (!s->ws) {
        if (wb) xlsx_out_discard(&s->xo);
        return -1;
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (int i = 0; i < n; i++) {
        if (cols[i].width > 0) worksheet_set_column(s->ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].width, NULL);
        if (worksheet_write_string(s->ws, 0, (lxw_col_t)i, T(r, cols[i].head), bold) != LXW_NO_ERROR) s->failed = true;
    }
    return 0;
}

/* True when the whole of `c` is a decimal number as this code writes them: -?digits(.digits)?. */
static bool is_decimal(const char *c) {
    if (*c == '-') c++;
    if (!isdigit((unsigned char)*c)) return false;
    while (isdigit((unsigned char)*c)) c++;
    if (*c == '.') {
        c++;
        if (!isdigit((unsigned char)*c)) return false;
        while (isdigit((unsigned char)*c)) c++;
    }
    return !*c;
}

void sheet_row(SheetOut *s, const char *const *cells) {
    if (s->failed) return;
    s->rows++;
    if (s->csv) {
        for (int i = 0; i < s->ncols; i++) csv_write_field(&s->cw, cells[i] ? cells[i] : "", cells[i] ? strlen(cells[i]) : 0);
        csv_end_row(&s->cw);
        return;
    }
    lxw_row_t y = (lxw_row_t)s->rows;
    for (int i = 0; i < s->ncols; i++) {
        const char *c = cells[i];
        if (!c || !*c) continue;
        lxw_error e = s->cols[i].num && is_decimal(c) ? worksheet_write_number(s->ws, y, (lxw_col_t)i, strtod(c, NULL), NULL)
                                                      : worksheet_write_string(s->ws, y, (lxw_col_t)i, c, NULL);
        if (e != LXW_NO_ERROR) s->failed = true;
    }
}

int sheet_finish(SheetOut *s) {
    if (!s->csv) {
        if (s->failed) xlsx_out_discard(&s->xo);
        else if (xlsx_out_finish(&s->xo, s->body) != 0) s->failed = true;
    }
    if (s->failed) buf_reset(s->body);
    return s->failed ? -1 : 0;
}

void sheet_attach(SheetOut *s, Resp *w, const char *base, const char *base_zh) {
    char day[16];
    date_format(date_today(), day, sizeof day);
    const char *ext = s->csv ? "csv" : "xlsx";
    resp_attachment(s->r, w, s->csv ? "text/csv; charset=utf-8" : XLSX_TYPE, arena_printf(s->r->arena, "%s-%s.%s", base, day, ext),
                    arena_printf(s->r->arena, "%s-%s.%s", T(s->r, base_zh), day, ext));
}
