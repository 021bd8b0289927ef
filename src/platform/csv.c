/* csv.c -- RFC 4180 CSV reader and writer. See csv.h for the accepted
 * dialect, the caps and the formula-injection defence. */
#include "platform/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Reader
 * ---------------------------------------------------------------------- */

/* One record being assembled: unquoted field bytes, each followed by a NUL,
 * in one buffer; per field its offset and length. Pointers are made only
 * when the record is complete because the buffer may move while growing. */
typedef struct {
    char *buf;
    size_t len, cap;
    size_t *off, *lens;
    const char **ptrs;
    size_t nf, fcap;
} Record;

/* Ensures the record buffer can take add more bytes. Returns 0, or -1 when
 * out of memory. */
static int rec_reserve(Record *r, size_t add) {
    if (r->cap - r->len >= add) return 0;
    size_t cap = r->cap ? r->cap : 256;
    while (cap - r->len < add) {
        if (cap > SIZE_MAX / 2) return -1;
        cap *= 2;
    }
    char *nb = realloc(r->buf, cap);
    if (nb == NULL) return -1;
    r->buf = nb;
    r->cap = cap;
    return 0;
}

/* Starts a new field at the end of the buffer. Returns 0, or -1 when out of
 * memory. */
static int rec_begin_field(Record *r) {
    if (r->nf == r->fcap) {
        size_t cap = r->fcap ? r->fcap * 2 : 16;
        size_t *o = realloc(r->off, cap * sizeof *o);
        if (o == NULL) return -1;
        r->off = o;
        size_t *l = realloc(r->lens, cap * sizeof *l);
        if (l == NULL) return -1;
        r->lens = l;
        const char **p = realloc(r->ptrs, cap * sizeof *p);
        if (p == NULL) return -1;
        r->ptrs = p;
        r->fcap = cap;
    }
    r->off[r->nf] = r->len;
    r->lens[r->nf] = 0;
    r->nf++;
    return 0;
}

/* Appends n bytes to the current field, refusing to let it grow beyond max.
 * Returns CSV_OK, CSV_EFIELDTOOLONG or CSV_ENOMEM. */
static int rec_append(Record *r, const char *s, size_t n, size_t max) {
    size_t *fl = &r->lens[r->nf - 1];
    if (n > max - *fl) return CSV_EFIELDTOOLONG;
    if (rec_reserve(r, n + 1) != 0) return CSV_ENOMEM;
    memcpy(r->buf + r->len, s, n);
    r->len += n;
    *fl += n;
    return CSV_OK;
}

/* Terminates the current field with a NUL. Returns 0 or -1 on no memory. */
static int rec_end_field(Record *r) {
    if (rec_reserve(r, 1) != 0) return -1;
    r->buf[r->len++] = '\0';
    return 0;
}

static void rec_free(Record *r) {
    free(r->buf);
    free(r->off);
    free(r->lens);
    free(r->ptrs);
}

/* Returns the end of the data proper: n minus any CR and LF bytes at the
 * very end, which are trailing line breaks and make no records. */
static size_t data_end(const char *d, size_t n) {
    while (n > 0 && (d[n - 1] == '\r' || d[n - 1] == '\n')) n--;
    return n;
}

/* Returns the index of the first byte at or after i that is one of , CR LF,
 * or n when there is none. */
static size_t scan_unquoted(const char *d, size_t i, size_t n) {
    while (i < n && d[i] != ',' && d[i] != '\r' && d[i] != '\n') i++;
    return i;
}

/* Parses one field starting at *pi into the record, leaving *pi on the byte
 * after it (a comma, a line break, or n). Returns a CSV_* code. */
static int parse_field(const char *d, size_t n, size_t *pi, Record *r, size_t maxlen) {
    size_t i = *pi;
    int rc;

    if (i < n && d[i] == '"') {
        i++;
        for (;;) {
            const char *q = memchr(d + i, '"', n - i);
            if (q == NULL) return CSV_EUNTERMINATED;
            size_t j = (size_t)(q - d);
            if ((rc = rec_append(r, d + i, j - i, maxlen)) != CSV_OK) return rc;
            i = j + 1;
            if (i < n && d[i] == '"') { /* doubled quote stands for one */
                if ((rc = rec_append(r, "\"", 1, maxlen)) != CSV_OK) return rc;
                i++;
                continue;
            }
            break;
        }
        if (i < n && d[i] != ',' && d[i] != '\r' && d[i] != '\n') return CSV_EAFTERQUOTE;
    } else {
        size_t j = scan_unquoted(d, i, n);
        if ((rc = rec_append(r, d + i, j - i, maxlen)) != CSV_OK) return rc;
        i = j;
    }
    *pi = i;
    return rec_end_field(r) == 0 ? CSV_OK : CSV_ENOMEM;
}

/* Parses n bytes of CSV and calls fn once per record (see csv.h). lim may be
 * NULL for the defaults, err may be NULL. Returns CSV_OK after the last
 * record, or a negative CSV_E* code, with err->row and err->col saying where
 * (1-based). Parsing stops at the first error; records before it have
 * already been delivered. */
int csv_parse(const char *data, size_t n, const CsvLimits *lim,
              csv_row_fn fn, void *ctx, CsvError *err) {
    size_t maxf = lim && lim->max_fields ? lim->max_fields : CSV_DEFAULT_MAX_FIELDS;
    size_t maxlen = lim && lim->max_field_len ? lim->max_field_len : CSV_DEFAULT_MAX_FIELD_LEN;
    size_t maxrows = lim && lim->max_rows ? lim->max_rows : CSV_DEFAULT_MAX_ROWS;
    Record r = {0};
    size_t i = 0, row = 0, col = 0;
    int rc = CSV_OK;

    size_t end = data_end(data, n);
    if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < end) {
        row++;
        col = 0;
        if (row > maxrows) {
            rc = CSV_ETOOMANYROWS;
            break;
        }
        r.len = 0;
        r.nf = 0;
        for (;;) {
            col++;
            if (col > maxf) {
                rc = CSV_ETOOMANYFIELDS;
                break;
            }
            if (rec_begin_field(&r) != 0) {
                rc = CSV_ENOMEM;
                break;
            }
            if ((rc = parse_field(data, n, &i, &r, maxlen)) != CSV_OK) break;
            if (i < n && data[i] == ',') {
                i++;
                continue;
            }
            break; /* line break or end of input */
        }
        if (rc != CSV_OK) break;
        if (i < n && data[i] == '\r') {
            i++;
            if (i < n && data[i] == '\n') i++; /* CRLF */
        } else if (i < n && data[i] == '\n') {
            i++;
        }
        for (size_t k = 0; k < r.nf; k++) r.ptrs[k] = r.buf + r.off[k];
        if (fn != NULL && fn(ctx, row, r.nf, r.ptrs, r.lens) != 0) {
            rc = CSV_ESTOP;
            col = 0;
            break;
        }
    }
    rec_free(&r);
    if (err != NULL) {
        err->code = rc;
        err->row = rc == CSV_OK ? 0 : row;
        err->col = rc == CSV_OK || rc == CSV_ETOOMANYROWS ? 0 : col;
    }
    return rc;
}

/* Returns the Chinese message shown to a user for a CSV_* code. */
const char *csv_error_zh(int code) {
    switch (code) {
    case CSV_OK: return "成功";
    case CSV_ENOMEM: return "内存不足，无法读取 CSV 文件";
    case CSV_ETOOMANYFIELDS: return "这一行的列数太多";
    case CSV_EFIELDTOOLONG: return "单元格内容太长";
    case CSV_ETOOMANYROWS: return "行数超过上限，请分成几个文件上传";
    case CSV_EUNTERMINATED: return "引号没有闭合：文件可能不完整或格式有误";
    case CSV_EAFTERQUOTE: return "引号后面有多余的字符，请检查该单元格的引号";
    case CSV_ESTOP: return "导入已中止";
    default: return "未知的 CSV 错误";
    }
}

/* ------------------------------------------------------------------------
 * Writer
 * ---------------------------------------------------------------------- */

/* Prepares w to write through put(ctx, ...). With CSV_WRITE_BOM the output
 * starts with a UTF-8 BOM, which Excel needs to read the file as UTF-8. */
void csv_writer_init(CsvWriter *w, csv_put_fn put, void *ctx, unsigned flags) {
    w->put = put;
    w->ctx = ctx;
    w->nfields = 0;
    if (flags & CSV_WRITE_BOM) put(ctx, "\xEF\xBB\xBF", 3);
}

/* Returns true if s (n bytes) is a plain decimal number like -12 or +3.5,
 * which a spreadsheet can never read as a formula. */
static bool is_plain_number(const char *s, size_t n) {
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
    }
    return i == n && digits > 0;
}

/* Returns true if a spreadsheet would take s as the start of a formula (see
 * "Formula injection" in csv.h). */
static bool looks_like_formula(const char *s, size_t n) {
    if (n == 0) return false;
    switch (s[0]) {
    case '=': case '+': case '-': case '@': case '\t': case '\r':
        return !is_plain_number(s, n);
    default:
        return false;
    }
}

/* Writes one field of the current record: a comma before it if it is not the
 * first, a formula-defusing quote mark if needed, and double quotes around it
 * when it holds a comma, quote, CR or LF (inner quotes doubled). */
void csv_write_field(CsvWriter *w, const char *s, size_t n) {
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (w->nfields++ > 0) w->put(w->ctx, ",", 1);
    if (quote) w->put(w->ctx, "\"", 1);
    if (looks_like_formula(s, n)) w->put(w->ctx, "'", 1);
    size_t start = 0;
    for (size_t i = 0; quote && i < n; i++) {
        if (s[i] != '"') continue;
        w->put(w->ctx, s + start, i + 1 - start); /* up to and including the quote */
        w->put(w->ctx, "\"", 1);
        start = i + 1;
    }
    if (n > start) w->put(w->ctx, s + start, n - start);
    if (quote) w->put(w->ctx, "\"", 1);
}

/* Ends the current record with CRLF, as RFC 4180 prescribes. */
void csv_end_row(CsvWriter *w) {
    w->put(w->ctx, "\r\n", 2);
    w->nfields = 0;
}

/* Writes a whole record. lens may be NULL when the fields are NUL-terminated
 * strings. */
void csv_write_row(CsvWriter *w, size_t nfields, const char *const *fields, const size_t *lens) {
    for (size_t i = 0; i < nfields; i++)
        csv_write_field(w, fields[i], lens ? lens[i] : strlen(fields[i]));
    csv_end_row(w);
}
