/* xlsx.h -- read the first worksheet of an Excel .xlsx workbook.
 *
 * An .xlsx file is a zip archive of XML parts (ECMA-376). To read the first
 * worksheet we open the archive with libzip (from a path, or from memory for
 * uploads), read xl/workbook.xml for the sheet order and the 1904 date flag,
 * xl/_rels/workbook.xml.rels to find which part holds that sheet and where
 * the shared strings are, load the shared string table (plain and rich-text
 * strings; phonetic runs are skipped), then stream the sheet XML through
 * expat and deliver each row with the csv_row_fn callback of csv.h, so an
 * importer handles CSV and xlsx with one function.
 *
 * Rows are delivered in file order with their real sheet row numbers (so
 * "第 5 行" in an error message matches what the user sees in Excel); rows
 * with no non-empty cell are skipped. Within a row, cells missing in the
 * middle become empty strings and trailing empty cells are dropped. Cell
 * values are strings: shared, inline and formula strings as text (with
 * Excel's _xHHHH_ escapes decoded), booleans as "TRUE"/"FALSE", numbers and
 * dates exactly as written in the XML ("3.5", "45292"); turn a date serial
 * into a calendar date with xlsx_serial_to_date(), passing
 * xlsx_date1904(book).
 *
 * Safety: every part is decompressed in a stream and counted, so an entry
 * larger than max_entry_size is refused whatever its header claims (zip
 * bombs); XML with a DOCTYPE is refused (no entity expansion); row, column
 * and cell-length caps give clear errors with the cell's position. */
#ifndef ZUWEI_PLATFORM_XLSX_H
#define ZUWEI_PLATFORM_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/csv.h"

enum {
    XLSX_OK = 0,
    XLSX_ENOMEM = -1,
    XLSX_EOPEN = -2,       /* the file cannot be opened or read */
    XLSX_ENOTZIP = -3,     /* not a zip archive at all */
    XLSX_EXLS = -4,        /* an old .xls or a password-protected workbook */
    XLSX_ENOTXLSX = -5,    /* a zip, but no workbook or worksheet inside */
    XLSX_ECORRUPT = -6,    /* damaged zip data (CRC, truncated, bad deflate) */
    XLSX_ETOOBIG = -7,     /* an entry decompresses beyond max_entry_size */
    XLSX_EXML = -8,        /* malformed XML in a part */
    XLSX_EFORMAT = -9,     /* well-formed XML that breaks the xlsx rules */
    XLSX_ETOOMANYROWS = -10,
    XLSX_ETOOMANYCOLS = -11,
    XLSX_ECELLTOOLONG = -12,
    XLSX_ESTOP = -13,      /* the row callback returned non-zero */
};

/* Caps; a field left 0 takes the default below. */
typedef struct {
    uint64_t max_entry_size; /* decompressed bytes per part; default 64 MiB */
    size_t max_rows;         /* delivered rows; default 1048576 */
    size_t max_cols;         /* columns; default 1024 */
    size_t max_cell_len;     /* bytes per cell value; default 128 KiB */
} XlsxLimits;

#define XLSX_DEFAULT_MAX_ENTRY_SIZE (64u * 1024 * 1024)
#define XLSX_DEFAULT_MAX_ROWS 1048576
#define XLSX_DEFAULT_MAX_COLS 1024
#define XLSX_DEFAULT_MAX_CELL_LEN (128 * 1024)

/* Where reading stopped: sheet row and 1-based column (0 when unknown). */
typedef struct {
    int code;
    size_t row;
    size_t col;
} XlsxError;

typedef struct XlsxBook XlsxBook;

int xlsx_open_mem(XlsxBook **out, const void *data, size_t n, const XlsxLimits *lim);
int xlsx_open_path(XlsxBook **out, const char *path, const XlsxLimits *lim);
bool xlsx_date1904(const XlsxBook *b);
const char *xlsx_sheet_name(const XlsxBook *b);
int xlsx_read_rows(XlsxBook *b, csv_row_fn fn, void *ctx, XlsxError *err);
void xlsx_close(XlsxBook *b);

bool xlsx_serial_to_date(double serial, bool date1904, int *y, int *m, int *d);
bool xlsx_parse_ref(const char *ref, size_t *col, size_t *row);
const char *xlsx_error_zh(int code);

#endif
