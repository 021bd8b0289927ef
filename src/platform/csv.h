/* csv.h -- RFC 4180 CSV reader and writer.
 *
 * Reader: csv_parse() walks a whole in-memory file (already UTF-8, see
 * textenc.h) and calls back once per record with the record's fields. It
 * follows RFC 4180: fields separated by commas; a field may be enclosed in
 * double quotes, inside which commas, line breaks and doubled quotes ("")
 * stand for themselves; records end with CRLF, LF or a lone CR. A line break
 * (or several) at the very end of the file does not make empty records. A
 * quote inside an unquoted field is kept as a literal character, as Excel
 * does; text after a closing quote (`"ab"c`) is an error. A UTF-8 BOM at the
 * start is skipped. Caps on fields per record, bytes per field and records
 * turn hostile or mistaken uploads into a clear error naming the row and
 * column. The reader never reads past data + n.
 *
 * Writer: CsvWriter emits RFC 4180 records with CRLF line ends through a
 * caller-supplied sink, quoting only fields that need it, optionally after a
 * UTF-8 BOM so that Excel opens the file as UTF-8 rather than GBK.
 *
 * Formula injection (CSV injection): Excel and WPS treat a cell that starts
 * with = + - @ as a formula, so an exported name such as
 * `=HYPERLINK("http://evil","点此")` or `=cmd|' /C calc'!A0` entered by anyone
 * through a form would run on the office computer that opens the export. The
 * writer therefore prefixes such fields (and fields starting with TAB or CR,
 * which Excel skips before looking for a formula) with a single quote, which
 * Excel shows as a text marker and never evaluates. Plain decimal numbers
 * such as "-12.5" are left alone: they cannot be formulas and negative
 * amounts should stay numbers. */
#ifndef ZUWEI_PLATFORM_CSV_H
#define ZUWEI_PLATFORM_CSV_H

#include <stdbool.h>
#include <stddef.h>

enum {
    CSV_OK = 0,
    CSV_ENOMEM = -1,
    CSV_ETOOMANYFIELDS = -2, /* a record has more than max_fields fields */
    CSV_EFIELDTOOLONG = -3,  /* a field is longer than max_field_len bytes */
    CSV_ETOOMANYROWS = -4,   /* more than max_rows records */
    CSV_EUNTERMINATED = -5,  /* a quoted field is still open at end of input */
    CSV_EAFTERQUOTE = -6,    /* characters between a closing quote and , or line end */
    CSV_ESTOP = -7,          /* the row callback returned non-zero */
};

/* Caps; a field left 0 takes the default below. */
typedef struct {
    size_t max_fields;    /* per record; default 1024 */
    size_t max_field_len; /* bytes, after unquoting; default 128 KiB */
    size_t max_rows;      /* records; default 1048576 (Excel's limit) */
} CsvLimits;

#define CSV_DEFAULT_MAX_FIELDS 1024
#define CSV_DEFAULT_MAX_FIELD_LEN (128 * 1024)
#define CSV_DEFAULT_MAX_ROWS 1048576

/* Where parsing stopped: 1-based record number and field number (col is 0
 * when the error concerns the whole record). */
typedef struct {
    int code;
    size_t row;
    size_t col;
} CsvError;

/* Called once per record. row is 1-based; fields[i] points to lens[i] bytes
 * followed by a NUL (a field may itself contain NUL bytes, so trust lens).
 * The arrays are valid only during the call. Return 0 to go on, anything
 * else to stop parsing (csv_parse then returns CSV_ESTOP). The xlsx reader
 * delivers rows through the same shape. */
typedef int (*csv_row_fn)(void *ctx, size_t row, size_t nfields,
                          const char *const *fields, const size_t *lens);

int csv_parse(const char *data, size_t n, const CsvLimits *lim,
              csv_row_fn fn, void *ctx, CsvError *err);
const char *csv_error_zh(int code);

/* ---- writer ---- */

typedef void (*csv_put_fn)(void *ctx, const char *s, size_t n);

typedef struct {
    csv_put_fn put;
    void *ctx;
    size_t nfields; /* fields written in the current record */
} CsvWriter;

#define CSV_WRITE_BOM 1u /* start the output with a UTF-8 BOM for Excel */

void csv_writer_init(CsvWriter *w, csv_put_fn put, void *ctx, unsigned flags);
void csv_write_field(CsvWriter *w, const char *s, size_t n);
void csv_end_row(CsvWriter *w);
void csv_write_row(CsvWriter *w, size_t nfields, const char *const *fields, const size_t *lens);

#endif
