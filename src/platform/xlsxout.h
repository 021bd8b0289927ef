/* xlsxout.h — sending a spreadsheet: an .xlsx written with libxlsxwriter (which writes only to
 * files in the Debian version) into a private temporary file, then moved into the response; and
 * SheetOut, one list as a download in either format an office opens, .xlsx or CSV. */
#ifndef ZW_XLSXOUT_H
#define ZW_XLSXOUT_H
#include "platform/csv.h"
#include "platform/http.h"
#include <stdbool.h>
#include <xlsxwriter.h>

typedef struct XlsxOut {
    char path[160];
    lxw_workbook *wb;
} XlsxOut;

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Opens a workbook on a new temporary file (constant_memory for big exports: rows are written as
 * they come). Returns the workbook, or NULL when no file could be made. */
lxw_workbook *xlsx_out_open(XlsxOut *o, bool constant_memory);
/* Closes the workbook and appends the file's bytes to b; the file is removed whatever happens.
 * Returns 0, or -1 (b is left as it was) when the workbook or the file failed. */
int xlsx_out_finish(XlsxOut *o, Buf *b);
/* Closes and removes a workbook that will not be sent. */
void xlsx_out_discard(XlsxOut *o);
/* Marks the response a download: content type, `attachment` with an ASCII file name and, when
 * given, the Chinese one (RFC 5987, for browsers that show it), and no caching. */
void resp_attachment(Req *r, Resp *w, const char *content_type, const char *ascii_name, const char *utf8_name);

/* One list as a download. The format comes from the request path (".csv" or else .xlsx); the
 * first row holds the column heads in bold, then one row per sheet_row(). Cells are text (an
 * .xlsx text cell is never a formula; the CSV writer defuses formula-like text), except in a
 * column marked `num`, where a cell that reads as a decimal number becomes a number in the .xlsx
 * so that Excel can sum it. CSV starts with a BOM so Excel reads it as UTF-8. */
typedef struct SheetCol {
    const char *head;   /* Chinese, translated by sheet_open */
    bool num;
    double width;       /* of the .xlsx column in characters; 0: Excel's default */
} SheetCol;

typedef struct SheetOut {
    Req *r;
    bool csv;
    Buf *body;          /* the response body: the CSV is written straight into it */
    CsvWriter cw;
    XlsxOut xo;
    lxw_worksheet *ws;
    const SheetCol *cols;
    int ncols;
    long rows;          /* data rows written */
    bool failed;
} SheetOut;

/* Starts a sheet named `title` (translated) with the heads of cols[0..n). `big` keeps memory
 * constant for exports of up to hundreds of thousands of rows. Returns 0, or -1 when no workbook
 * could be made. */
int sheet_open(SheetOut *s, Req *r, Resp *w, const char *title, const SheetCol *cols, int n, bool big);
/* Writes one row of s->ncols cells (NULL is an empty cell). */
void sheet_row(SheetOut *s, const char *const *cells);
/* Completes the sheet in the response body. Returns 0, or -1 when it failed (the body is then
 * empty and the caller answers 500). A caller audits between this and sheet_attach. */
int sheet_finish(SheetOut *s);
/* Marks the response a download named `base` (ASCII) and `base_zh` (translated), each followed
 * by "-YYYY-MM-DD" and the extension. */
void sheet_attach(SheetOut *s, Resp *w, const char *base, const char *base_zh);

#endif
