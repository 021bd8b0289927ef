/* xlsx.c -- read the first worksheet of an .xlsx workbook with libzip and
 * expat. See xlsx.h for what is delivered and which caps apply. */
#include "platform/xlsx.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define XML_CHUNK 65536
#define MAX_SHEET_ROW 1048576u /* Excel's last row */
#define MAX_SHEET_COL 16384u   /* Excel's last column, XFD */

struct XlsxBook {
    zip_t *zip;
    XlsxLimits lim;
    bool date1904;
    char *sheet_name;
    char *sheet_path; /* zip entry of the first worksheet */
    char *sst_path;   /* zip entry of the shared strings, or NULL */
};

/* ------------------------------------------------------------------------
 * Small helpers: growable bytes, names, numbers
 * ---------------------------------------------------------------------- */

typedef struct {
    char *p;
    size_t len, cap;
} Bytes;

/* Appends n bytes to b. Returns 0, or -1 when out of memory. */
static int bytes_add(Bytes *b, const char *s, size_t n) {
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n) cap *= 2;
        char *np = realloc(b->p, cap);
        if (np == NULL) return -1;
        b->p = np;
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->len, s, n);
    b->len += n;
    return 0;
}

/* Returns the local part of an expat name "namespace|local", so the reader
 * accepts both transitional and strict OOXML and any prefix. */
static const char *local_name(const XML_Char *name) {
    const char *bar = strrchr(name, '|');
    return bar ? bar + 1 : name;
}

/* Returns the value of the attribute whose local name is lname, or NULL. */
static const char *attr(const XML_Char **atts, const char *lname) {
    for (size_t i = 0; atts[i] != NULL; i += 2)
        if (strcmp(local_name(atts[i]), lname) == 0) return atts[i + 1];
    return NULL;
}

/* Returns true if s ends with suffix. */
static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Parses a decimal unsigned number made only of digits (at least one) and
 * not above max. Returns true and sets *out, or false. */
static bool parse_uint(const char *s, size_t n, size_t max, size_t *out) {
    size_t v = 0;
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        size_t digit = (size_t)(s[i] - '0');
        if (v > (max - digit) / 10) return false; /* v * 10 + digit > max, without overflow */
        v = v * 10 + digit;
    }
    *out = v;
    return true;
}

/* Parses a cell reference such as "AB12": sets *col to the 0-based column
 * (A = 0, AB = 27) and *row to the 1-based row. Either pointer may be NULL.
 * Returns false if ref is not a valid reference within Excel's grid
 * (A1..XFD1048576). */
bool xlsx_parse_ref(const char *ref, size_t *col, size_t *row) {
    size_t c = 0, i = 0, r;
    while (ref[i] >= 'A' && ref[i] <= 'Z') {
        c = c * 26 + (size_t)(ref[i] - 'A' + 1);
        if (c > MAX_SHEET_COL) return false;
        i++;
    }
    if (i == 0) return false;
    if (!parse_uint(ref + i, strlen(ref + i), MAX_SHEET_ROW, &r) || r == 0) return false;
    if (col) *col = c - 1;
    if (row) *row = r;
    return true;
}

/* Returns the value of one hex digit, or -1. */
static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes Excel's _xHHHH_ escapes (used for control characters such as
 * _x000D_, and _x005F_ for a literal underscore) in place in the n bytes at
 * s. Escapes naming a surrogate are kept as text. Returns the new length,
 * never more than n since every escape is 7 bytes and becomes at most 3. */
static size_t decode_x_escapes(char *s, size_t n) {
    size_t i = 0, o = 0;
    while (i < n) {
        if (s[i] == '_' && n - i >= 7 && s[i + 1] == 'x' && s[i + 6] == '_') {
            unsigned cp = 0;
            bool hex = true;
            for (size_t k = 2; k < 6 && hex; k++) {
                int h = hexval(s[i + k]);
                hex = h >= 0;
                cp = cp << 4 | (unsigned)(hex ? h : 0);
            }
            if (hex && (cp < 0xD800 || cp > 0xDFFF)) {
                if (cp < 0x80) {
                    s[o++] = (char)cp;
                } else if (cp < 0x800) {
                    s[o++] = (char)(0xC0 | cp >> 6);
                    s[o++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    s[o++] = (char)(0xE0 | cp >> 12);
                    s[o++] = (char)(0x80 | (cp >> 6 & 0x3F));
                    s[o++] = (char)(0x80 | (cp & 0x3F));
                }
                i += 7;
                continue;
            }
        }
        s[o++] = s[i++];
    }
    return o;
}

/* ------------------------------------------------------------------------
 * Streaming one zip entry through expat
 * ---------------------------------------------------------------------- */

/* First member of every handler state, so shared callbacks can stop the
 * parser with a specific error code. */
typedef struct {
    XML_Parser parser;
    int err;
} XmlBase;

/* Stops the parser and records code as the reason (the first reason wins). */
static void xml_fail(XmlBase *x, int code) {
    if (x->err != XLSX_OK) return;
    x->err = code;
    XML_StopParser(x->parser, XML_FALSE);
}

/* Refuses any DOCTYPE: OOXML parts never have one, and refusing it rules out
 * entity-expansion attacks before they start. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset) {
    xml_fail(ud, XLSX_EXML);
}

/* Returns true if the archive holds an entry with this name (part names are
 * case-insensitive in OPC). */
static bool part_exists(XlsxBook *b, const char *name) {
    return zip_name_locate(b->zip, name, ZIP_FL_NOCASE) >= 0;
}

/* Streams the entry name through expat with the given handlers; ud must
 * start with an XmlBase. The decompressed bytes are counted so a part above
 * max_entry_size is refused. Returns XLSX_OK, the code a handler stopped
 * with, XLSX_ENOTXLSX if the entry is missing, XLSX_ETOOBIG, XLSX_ECORRUPT,
 * XLSX_EXML or XLSX_ENOMEM. */
static int parse_part(XlsxBook *b, const char *name, XmlBase *ud,
                      XML_StartElementHandler on_start, XML_EndElementHandler on_end,
                      XML_CharacterDataHandler on_text) {
    zip_int64_t idx = zip_name_locate(b->zip, name, ZIP_FL_NOCASE);
    if (idx < 0) return XLSX_ENOTXLSX;
    zip_file_t *f = zip_fopen_index(b->zip, (zip_uint64_t)idx, 0);
    if (f == NULL) {
        int ze = zip_error_code_zip(zip_get_error(b->zip));
        if (ze == ZIP_ER_MEMORY) return XLSX_ENOMEM;
        return ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_ENCRNOTSUPP ? XLSX_EXLS : XLSX_ECORRUPT;
    }
    XML_Parser p = XML_ParserCreateNS(NULL, '|');
    if (p == NULL) {
        zip_fclose(f);
        return XLSX_ENOMEM;
    }
    ud->parser = p;
    ud->err = XLSX_OK;
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);

    uint64_t total = 0;
    int rc = XLSX_OK;
    for (;;) {
        void *buf = XML_GetBuffer(p, XML_CHUNK);
        if (buf == NULL) {
            rc = XLSX_ENOMEM;
            break;
        }
        zip_int64_t got = zip_fread(f, buf, XML_CHUNK);
        if (got < 0) {
            rc = XLSX_ECORRUPT;
            break;
        }
        total += (uint64_t)got;
        if (total > b->lim.max_entry_size) {
            rc = XLSX_ETOOBIG;
            break;
        }
        if (XML_ParseBuffer(p, (int)got, got == 0) != XML_STATUS_OK) {
            rc = ud->err != XLSX_OK ? ud->err
               : XML_GetErrorCode(p) == XML_ERROR_NO_MEMORY ? XLSX_ENOMEM : XLSX_EXML;
            break;
        }
        if (got == 0) break;
    }
    XML_ParserFree(p);
    zip_fclose(f);
    return rc;
}

/* ------------------------------------------------------------------------
 * Workbook and relationships: which part is the first worksheet
 * ---------------------------------------------------------------------- */

typedef struct {
    XmlBase x;
    bool date1904;
    char **names, **ids; /* <sheet> elements in workbook order */
    size_t n, cap;
    size_t best;         /* index of the first sheet that is a worksheet */
    char *sheet_target;
    char *sst_target;
} BookParse;

/* Handles <workbookPr date1904> and collects <sheet name r:id> in order. */
static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts) {
    BookParse *w = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "workbookPr") == 0) {
        const char *v = attr(atts, "date1904");
        w->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
    } else if (strcmp(ln, "sheet") == 0) {
        const char *nm = attr(atts, "name"), *id = attr(atts, "id");
        if (nm == NULL || id == NULL) return;
        if (w->n == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 8;
            char **a = realloc(w->names, cap * sizeof *a);
            if (a) w->names = a;
            char **c = realloc(w->ids, cap * sizeof *c);
            if (c) w->ids = c;
            if (a == NULL || c == NULL) return xml_fail(&w->x, XLSX_ENOMEM);
            w->cap = cap;
        }
        w->names[w->n] = strdup(nm);
        w->ids[w->n] = strdup(id);
        if (w->names[w->n] == NULL || w->ids[w->n] == NULL) {
            free(w->names[w->n]);
            free(w->ids[w->n]);
            return xml_fail(&w->x, XLSX_ENOMEM);
        }
        w->n++;
    }
}

/* Replaces *slot with a copy of s, failing the parse when out of memory. */
static void set_string(BookParse *w, char **slot, const char *s) {
    char *d = strdup(s);
    if (d == NULL) return xml_fail(&w->x, XLSX_ENOMEM);
    free(*slot);
    *slot = d;
}

/* Handles <Relationship Id Type Target>: remembers the target of the
 * earliest sheet (in workbook order) that is a worksheet, and the shared
 * strings part. */
static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts) {
    BookParse *w = ud;
    if (strcmp(local_name(name), "Relationship") != 0) return;
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
    if (id == NULL || type == NULL || target == NULL) return;
    if (ends_with(type, "/sharedStrings") && w->sst_target == NULL) {
        set_string(w, &w->sst_target, target);
    } else if (ends_with(type, "/worksheet")) {
        for (size_t i = 0; i < w->n && i < w->best; i++) {
            if (strcmp(w->ids[i], id) != 0) continue;
            w->best = i;
            set_string(w, &w->sheet_target, target);
            break;
        }
    }
}

static void XMLCALL no_end(void *ud, const XML_Char *name) {}
static void XMLCALL no_text(void *ud, const XML_Char *s, int len) {}

/* Turns a relationship target of xl/workbook.xml into a zip entry name:
 * "worksheets/sheet1.xml" is relative to xl/, "/xl/..." is absolute.
 * Returns a fresh string or NULL when out of memory. */
static char *resolve_target(const char *target) {
    if (target[0] == '/') return strdup(target + 1);
    size_t n = strlen(target);
    char *s = malloc(n + 4);
    if (s == NULL) return NULL;
    memcpy(s, "xl/", 3);
    memcpy(s + 3, target, n + 1);
    return s;
}

static void book_parse_free(BookParse *w) {
    for (size_t i = 0; i < w->n; i++) {
        free(w->names[i]);
        free(w->ids[i]);
    }
    free(w->names);
    free(w->ids);
    free(w->sheet_target);
    free(w->sst_target);
}

/* Reads the workbook and its relationships into b: date system, first
 * worksheet's name and part, shared strings part. Returns an XLSX_* code. */
static int book_locate_sheet(XlsxBook *b) {
    BookParse w = {.best = SIZE_MAX};
    int rc = parse_part(b, "xl/workbook.xml", &w.x, wb_start, no_end, no_text);
    if (rc == XLSX_OK)
        rc = parse_part(b, "xl/_rels/workbook.xml.rels", &w.x, rels_start, no_end, no_text);
    if (rc == XLSX_OK && w.sheet_target == NULL) rc = XLSX_ENOTXLSX;
    if (rc == XLSX_OK) {
        b->date1904 = w.date1904;
        b->sheet_name = strdup(w.names[w.best]);
        b->sheet_path = resolve_target(w.sheet_target);
        if (w.sst_target) b->sst_path = resolve_target(w.sst_target);
        if (!b->sheet_name || !b->sheet_path || (w.sst_target && !b->sst_path)) rc = XLSX_ENOMEM;
    }
    if (rc == XLSX_OK && !part_exists(b, b->sheet_path)) rc = XLSX_ENOTXLSX;
    book_parse_free(&w);
    return rc;
}

/* ------------------------------------------------------------------------
 * Opening
 * ---------------------------------------------------------------------- */

static const unsigned char OLE_MAGIC[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* Maps a libzip open error to an XLSX_* code. */
static int zip_open_error(int ze) {
    switch (ze) {
    case ZIP_ER_NOZIP: return XLSX_ENOTZIP;
    case ZIP_ER_MEMORY: return XLSX_ENOMEM;
    case ZIP_ER_OPEN: case ZIP_ER_READ: case ZIP_ER_NOENT: return XLSX_EOPEN;
    default: return XLSX_ECORRUPT;
    }
}

/* Wraps an open archive into a book and locates the first worksheet. Takes
 * ownership of za whatever happens. Returns an XLSX_* code; on success *out
 * is the book to pass to xlsx_close(). */
static int book_from_zip(zip_t *za, const XlsxLimits *lim, XlsxBook **out) {
    XlsxBook *b = calloc(1, sizeof *b);
    if (b == NULL) {
        zip_discard(za);
        return XLSX_ENOMEM;
    }
    b->zip = za;
    b->lim.max_entry_size = lim && lim->max_entry_size ? lim->max_entry_size : XLSX_DEFAULT_MAX_ENTRY_SIZE;
    b->lim.max_rows = lim && lim->max_rows ? lim->max_rows : XLSX_DEFAULT_MAX_ROWS;
    b->lim.max_cols = lim && lim->max_cols ? lim->max_cols : XLSX_DEFAULT_MAX_COLS;
    if (b->lim.max_cols > MAX_SHEET_COL) b->lim.max_cols = MAX_SHEET_COL;
    b->lim.max_cell_len = lim && lim->max_cell_len ? lim->max_cell_len : XLSX_DEFAULT_MAX_CELL_LEN;
    int rc = book_locate_sheet(b);
    if (rc != XLSX_OK) {
        xlsx_close(b);
        return rc;
    }
    *out = b;
    return XLSX_OK;
}

/* Opens a workbook held in memory (an upload). The n bytes at data are not
 * copied and must stay valid until xlsx_close(). lim may be NULL for the
 * defaults. Returns XLSX_OK and sets *out, or an XLSX_E* code. */
int xlsx_open_mem(XlsxBook **out, const void *data, size_t n, const XlsxLimits *lim) {
    if (n == 0) return XLSX_ENOTZIP;
    if (n >= sizeof OLE_MAGIC && memcmp(data, OLE_MAGIC, sizeof OLE_MAGIC) == 0) return XLSX_EXLS;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
    if (src == NULL) {
        zip_error_fini(&ze);
        return XLSX_ENOMEM;
    }
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (za == NULL) {
        int rc = zip_open_error(zip_error_code_zip(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    return book_from_zip(za, lim, out);
}

/* Opens a workbook file. lim may be NULL for the defaults. Returns XLSX_OK
 * and sets *out, or an XLSX_E* code (XLSX_EXLS for an old .xls file). */
int xlsx_open_path(XlsxBook **out, const char *path, const XlsxLimits *lim) {
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) return XLSX_EOPEN;
    unsigned char head[sizeof OLE_MAGIC];
    size_t got = fread(head, 1, sizeof head, fp);
    fclose(fp);
    if (got == 0) return XLSX_ENOTZIP;
    if (got == sizeof head && memcmp(head, OLE_MAGIC, sizeof head) == 0) return XLSX_EXLS;
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &ze);
    if (za == NULL) return zip_open_error(ze);
    return book_from_zip(za, lim, out);
}

/* Returns true if the workbook counts dates from 1904 (old Mac Excel). */
bool xlsx_date1904(const XlsxBook *b) {
    return b->date1904;
}

/* Returns the name of the sheet xlsx_read_rows() reads. */
const char *xlsx_sheet_name(const XlsxBook *b) {
    return b->sheet_name;
}

/* Closes the archive and frees the book; NULL is allowed. */
void xlsx_close(XlsxBook *b) {
    if (b == NULL) return;
    zip_discard(b->zip);
    free(b->sheet_name);
    free(b->sheet_path);
    free(b->sst_path);
    free(b);
}

/* ------------------------------------------------------------------------
 * Shared strings
 * ---------------------------------------------------------------------- */

typedef struct {
    Bytes text;  /* all strings, each followed by a NUL */
    size_t *off, *len;
    size_t n, cap;
} Sst;

typedef struct {
    XmlBase x;
    Sst *sst;
    size_t max_len;
    bool in_si, in_t;
    int in_rph;   /* inside <rPh> phonetic hints, whose text is not the value */
    size_t start; /* offset of the string being read */
} SstParse;

/* Starts a string at <si>, text capture at <t>, phonetic skipping at <rPh>. */
static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts) {
    SstParse *s = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "si") == 0) {
        s->in_si = true;
        s->in_rph = 0;
        s->start = s->sst->text.len;
    } else if (strcmp(ln, "rPh") == 0) {
        s->in_rph++;
    } else if (strcmp(ln, "t") == 0 && s->in_si && s->in_rph == 0) {
        s->in_t = true;
    }
}

/* Finishes a string at </si>: decodes escapes, NUL-terminates, indexes it. */
static void XMLCALL sst_end(void *ud, const XML_Char *name) {
    SstParse *s = ud;
    Sst *t = s->sst;
    const char *ln = local_name(name);
    if (strcmp(ln, "t") == 0) {
        s->in_t = false;
    } else if (strcmp(ln, "rPh") == 0) {
        if (s->in_rph > 0) s->in_rph--;
    } else if (strcmp(ln, "si") == 0 && s->in_si) {
        s->in_si = false;
        size_t len = decode_x_escapes(t->text.p + s->start, t->text.len - s->start);
        t->text.len = s->start + len;
        if (bytes_add(&t->text, "", 1) != 0) return xml_fail(&s->x, XLSX_ENOMEM);
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 256;
            size_t *o = realloc(t->off, cap * sizeof *o);
            if (o) t->off = o;
            size_t *l = realloc(t->len, cap * sizeof *l);
            if (l) t->len = l;
            if (o == NULL || l == NULL) return xml_fail(&s->x, XLSX_ENOMEM);
            t->cap = cap;
        }
        t->off[t->n] = s->start;
        t->len[t->n] = len;
        t->n++;
    }
}

/* Collects the text of <t> elements of the current string. */
static void XMLCALL sst_text(void *ud, const XML_Char *str, int len) {
    SstParse *s = ud;
    if (!s->in_t) return;
    if (s->sst->text.len - s->start + (size_t)len > s->max_len) return xml_fail(&s->x, XLSX_ECELLTOOLONG);
    if (bytes_add(&s->sst->text, str, (size_t)len) != 0) xml_fail(&s->x, XLSX_ENOMEM);
}

static void sst_free(Sst *t) {
    free(t->text.p);
    free(t->off);
    free(t->len);
}

/* ------------------------------------------------------------------------
 * Worksheet rows
 * ---------------------------------------------------------------------- */

typedef struct {
    XmlBase x;
    const XlsxLimits *lim;
    const Sst *sst;
    csv_row_fn fn;
    void *ctx;
    bool in_data;    /* inside <sheetData> */
    bool in_row;
    size_t row;      /* current sheet row, 1-based */
    size_t next_col; /* column of a cell that has no r attribute */
    size_t delivered;
    /* the cell being read */
    bool in_cell, in_v, in_is, in_t;
    int in_rph;
    size_t col;
    char type;       /* 'n' number, 's' shared, 'S' str, 'i' inline, 'b' bool, 'e' error, 'd' ISO date */
    Bytes v;
    /* the row being assembled: values by column, each NUL-terminated */
    Bytes rowbuf;
    size_t *off, *lens;
    const char **ptrs;
    size_t width, ncap; /* width: last non-empty column + 1 */
    size_t fail_row, fail_col; /* where a handler stopped the parse */
} SheetParse;

/* Fails the parse with code, remembering the current row and, when at_cell,
 * the current cell's 1-based column for the error report. */
static void sheet_fail(SheetParse *s, int code, bool at_cell) {
    if (s->x.err != XLSX_OK) return;
    s->fail_row = s->row;
    s->fail_col = at_cell ? s->col + 1 : 0;
    xml_fail(&s->x, code);
}

/* Maps the t attribute of <c> to a one-letter type code. */
static char cell_type(const char *t) {
    if (t == NULL || strcmp(t, "n") == 0) return 'n';
    if (strcmp(t, "s") == 0) return 's';
    if (strcmp(t, "str") == 0) return 'S';
    if (strcmp(t, "inlineStr") == 0) return 'i';
    if (strcmp(t, "b") == 0) return 'b';
    if (strcmp(t, "e") == 0) return 'e';
    if (strcmp(t, "d") == 0) return 'd';
    return 'n';
}

/* Handles <sheetData>, <row r>, <c r t>, <v>, <is>, <t>, <rPh>. */
static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts) {
    SheetParse *s = ud;
    const char *ln = local_name(name);
    if (strcmp(ln, "sheetData") == 0) {
        s->in_data = true;
    } else if (!s->in_data) {
        return;
    } else if (strcmp(ln, "row") == 0) {
        const char *r = attr(atts, "r");
        size_t rn = s->row + 1;
        if (r != NULL && (!parse_uint(r, strlen(r), MAX_SHEET_ROW, &rn) || rn == 0))
            return sheet_fail(s, XLSX_EFORMAT, false);
        if (rn > MAX_SHEET_ROW) return sheet_fail(s, XLSX_EFORMAT, false);
        s->row = rn;
        s->in_row = true;
        s->next_col = 0;
    } else if (strcmp(ln, "c") == 0 && s->in_row) {
        const char *r = attr(atts, "r");
        size_t col = s->next_col;
        if (r != NULL && !xlsx_parse_ref(r, &col, NULL)) return sheet_fail(s, XLSX_EFORMAT, false);
        if (col >= MAX_SHEET_COL) return sheet_fail(s, XLSX_EFORMAT, false);
        s->col = col;
        s->next_col = col + 1;
        s->type = cell_type(attr(atts, "t"));
        s->in_cell = true;
        s->in_rph = 0;
        s->v.len = 0;
    } else if (!s->in_cell) {
        return;
    } else if (strcmp(ln, "v") == 0) {
        s->in_v = true;
    } else if (strcmp(ln, "is") == 0) {
        s->in_is = true;
    } else if (strcmp(ln, "rPh") == 0) {
        s->in_rph++;
    } else if (strcmp(ln, "t") == 0 && s->in_is && s->in_rph == 0) {
        s->in_t = true;
    }
}

/* Collects the text of <v>, or of <t> inside an inline string. */
static void XMLCALL sheet_text(void *ud, const XML_Char *str, int len) {
    SheetParse *s = ud;
    if (!s->in_v && !s->in_t) return;
    if (s->v.len + (size_t)len > s->lim->max_cell_len) return sheet_fail(s, XLSX_ECELLTOOLONG, true);
    if (bytes_add(&s->v, str, (size_t)len) != 0) sheet_fail(s, XLSX_ENOMEM, true);
}

/* Makes the row's column arrays hold at least col + 1 entries, new ones
 * empty. Returns 0 or -1 when out of memory. */
static int row_reserve(SheetParse *s, size_t col) {
    if (col < s->ncap) return 0;
    size_t cap = s->ncap ? s->ncap : 16;
    while (cap <= col) cap *= 2;
    size_t *o = realloc(s->off, cap * sizeof *o);
    if (o) s->off = o;
    size_t *l = realloc(s->lens, cap * sizeof *l);
    if (l) s->lens = l;
    const char **p = realloc(s->ptrs, cap * sizeof *p);
    if (p) s->ptrs = p;
    if (o == NULL || l == NULL || p == NULL) return -1;
    for (size_t i = s->ncap; i < cap; i++) {
        s->off[i] = SIZE_MAX;
        s->lens[i] = 0;
    }
    s->ncap = cap;
    return 0;
}

/* Finishes the cell at </c>: works out its string value from the type and
 * stores it in the row under its column. Empty cells store nothing. */
static void cell_finish(SheetParse *s) {
    const char *val = s->v.p;
    size_t len = s->v.len;
    size_t idx;

    switch (s->type) {
    case 's':
        if (!parse_uint(s->v.p, s->v.len, SIZE_MAX / 10, &idx) || idx >= s->sst->n)
            return sheet_fail(s, XLSX_EFORMAT, true);
        val = s->sst->text.p + s->sst->off[idx];
        len = s->sst->len[idx];
        break;
    case 'b':
        if (len == 1 && (val[0] == '0' || val[0] == '1')) {
            val = val[0] == '1' ? "TRUE" : "FALSE";
            len = strlen(val);
        }
        break;
    case 'S':
    case 'i':
        len = decode_x_escapes(s->v.p, s->v.len);
        break;
    default:
        break;
    }
    if (len == 0) return;
    if (s->col >= s->lim->max_cols) return sheet_fail(s, XLSX_ETOOMANYCOLS, true);
    if (row_reserve(s, s->col) != 0) return sheet_fail(s, XLSX_ENOMEM, true);
    s->off[s->col] = s->rowbuf.len;
    s->lens[s->col] = len;
    if (bytes_add(&s->rowbuf, val, len) != 0 || bytes_add(&s->rowbuf, "", 1) != 0)
        return sheet_fail(s, XLSX_ENOMEM, true);
    if (s->col + 1 > s->width) s->width = s->col + 1;
}

/* Delivers the finished row to the callback (unless it is empty) and clears
 * it for the next one. */
static void row_finish(SheetParse *s) {
    if (s->width == 0) return;
    if (++s->delivered > s->lim->max_rows) return sheet_fail(s, XLSX_ETOOMANYROWS, false);
    for (size_t i = 0; i < s->width; i++)
        s->ptrs[i] = s->off[i] == SIZE_MAX ? "" : s->rowbuf.p + s->off[i];
    if (s->fn != NULL && s->fn(s->ctx, s->row, s->width, s->ptrs, s->lens) != 0)
        return sheet_fail(s, XLSX_ESTOP, false);
    for (size_t i = 0; i < s->width; i++) {
        s->off[i] = SIZE_MAX;
        s->lens[i] = 0;
    }
    s->width = 0;
    s->rowbuf.len = 0;
}

/* Closes elements opened in sheet_start. */
static void XMLCALL sheet_end(void *ud, const XML_Char *name) {
    SheetParse *s = ud;
    const char *ln = local_name(name);
    if (!s->in_data) return;
    if (strcmp(ln, "sheetData") == 0) {
        s->in_data = false;
    } else if (strcmp(ln, "row") == 0 && s->in_row) {
        s->in_row = false;
        row_finish(s);
    } else if (strcmp(ln, "c") == 0 && s->in_cell) {
        s->in_cell = s->in_v = s->in_is = s->in_t = false;
        cell_finish(s);
    } else if (strcmp(ln, "v") == 0) {
        s->in_v = false;
    } else if (strcmp(ln, "is") == 0) {
        s->in_is = false;
    } else if (strcmp(ln, "t") == 0) {
        s->in_t = false;
    } else if (strcmp(ln, "rPh") == 0 && s->in_rph > 0) {
        s->in_rph--;
    }
}

/* Reads the first worksheet and calls fn once per non-empty row with the
 * sheet row number and the cell strings (see xlsx.h). err may be NULL.
 * Returns XLSX_OK, or an XLSX_E* code with err->row/col naming the cell
 * where reading stopped when it is known; rows before it were delivered. */
int xlsx_read_rows(XlsxBook *b, csv_row_fn fn, void *ctx, XlsxError *err) {
    Sst sst = {0};
    int rc = XLSX_OK;
    SheetParse s = {.lim = &b->lim, .sst = &sst, .fn = fn, .ctx = ctx};

    if (b->sst_path != NULL && part_exists(b, b->sst_path)) {
        SstParse sp = {.sst = &sst, .max_len = b->lim.max_cell_len};
        rc = parse_part(b, b->sst_path, &sp.x, sst_start, sst_end, sst_text);
    }
    if (rc == XLSX_OK) rc = parse_part(b, b->sheet_path, &s.x, sheet_start, sheet_end, sheet_text);
    if (err != NULL) {
        bool by_sheet = rc != XLSX_OK && rc == s.x.err; /* stopped by a sheet handler */
        err->code = rc;
        err->row = by_sheet ? s.fail_row : 0;
        err->col = by_sheet ? s.fail_col : 0;
    }
    sst_free(&sst);
    free(s.v.p);
    free(s.rowbuf.p);
    free(s.off);
    free(s.lens);
    free(s.ptrs);
    return rc;
}

/* ------------------------------------------------------------------------
 * Dates and messages
 * ---------------------------------------------------------------------- */

/* Returns true if y is a Gregorian leap year. */
static bool is_leap(long y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Converts a count of days since 1900-01-01 (0 or more) to a Gregorian
 * date: whole 400-year cycles (146097 days each) first, then year by year
 * and month by month. */
static void days_since_1900(long days, long *y, int *m, int *d) {
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long year = 1900 + days / 146097 * 400;
    days %= 146097;
    for (;;) {
        long len = is_leap(year) ? 366 : 365;
        if (days < len) break;
        days -= len;
        year++;
    }
    int mon = 0;
    for (;;) {
        long len = mdays[mon] + (mon == 1 && is_leap(year));
        if (days < len) break;
        days -= len;
        mon++;
    }
    *y = year;
    *m = mon + 1;
    *d = (int)days + 1;
}

/* Converts an Excel date serial (a date cell's number; any time of day in
 * the fraction is ignored) to year, month, day. In the 1900 system serial 1
 * is 1900-01-01 and, copying Lotus 1-2-3, serial 60 is the non-existent
 * 1900-02-29, so serials from 61 on count one day too many; in the 1904
 * system serial 0 is 1904-01-01. Returns false for serials that are not a
 * real date: below 1, or 60, in the 1900 system; negative in the 1904 one;
 * after 9999-12-31 (Excel's last date); NaN. */
bool xlsx_serial_to_date(double serial, bool date1904, int *y, int *m, int *d) {
    if (!(serial >= 0) || serial >= 4e6) return false;
    long day = (long)floor(serial), days, year;
    if (date1904) {
        days = day + 1460; /* 1904-01-01 is 1460 days after 1900-01-01 */
    } else {
        if (day < 1 || day == 60) return false;
        days = day < 60 ? day - 1 : day - 2;
    }
    days_since_1900(days, &year, m, d);
    if (year > 9999) return false;
    *y = (int)year;
    return true;
}

/* Returns the Chinese message shown to a user for an XLSX_* code. */
const char *xlsx_error_zh(int code) {
    switch (code) {
    case XLSX_OK: return "成功";
    case XLSX_ENOMEM: return "内存不足，无法读取 Excel 文件";
    case XLSX_EOPEN: return "无法打开文件";
    case XLSX_ENOTZIP: return "这不是 Excel 工作簿（.xlsx）文件";
    case XLSX_EXLS: return "这是旧版 .xls 文件或加密的工作簿：请在 Excel 中取消密码并另存为 .xlsx 后重新上传";
    case XLSX_ENOTXLSX: return "文件里没有找到工作表，请确认是 Excel 工作簿（.xlsx）";
    case XLSX_ECORRUPT: return "文件已损坏或不完整，请重新保存后上传";
    case XLSX_ETOOBIG: return "文件解压后过大，已拒绝";
    case XLSX_EXML: return "文件内容格式错误，请在 Excel 中重新保存后上传";
    case XLSX_EFORMAT: return "工作表的结构不符合 Excel 格式";
    case XLSX_ETOOMANYROWS: return "行数超过上限，请分成几个文件上传";
    case XLSX_ETOOMANYCOLS: return "列数超过上限";
    case XLSX_ECELLTOOLONG: return "单元格内容太长";
    case XLSX_ESTOP: return "导入已中止";
    default: return "未知的 Excel 读取错误";
    }
}
