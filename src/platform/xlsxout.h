/* xlsxout.h — sending a spreadsheet: an .xlsx written with libxlsxwriter (which writes only to
 * files in the Debian version) into a private temporary file, then moved into the response. */
#ifndef ZW_XLSXOUT_H
#define ZW_XLSXOUT_H
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

#endif
