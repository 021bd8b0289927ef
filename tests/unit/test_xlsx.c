/* test_xlsx.c -- the .xlsx reader against real workbooks written by
 * libxlsxwriter (and a few hand-made archives for cases libxlsxwriter never
 * writes), read from a path and from memory; damaged and hostile files must
 * give clean errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "platform/xlsx.h"

static char tmpdir[64];

/* Returns a path inside the test's temporary directory (static buffer
 * rotated between four slots). */
static const char *tmp_path(const char *name) {
    static char bufs[4][128];
    static int k;
    char *b = bufs[k++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", tmpdir, name);
    return b;
}

/* Reads a whole file into a malloc'd buffer. */
static char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return buf;
}

static void spit(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* Collected rows: "row:f1|f2;" for the first rows, and counters for all. */
typedef struct {
    char *out;
    size_t len, cap;
    size_t rows;
    size_t keep; /* rows to render into out */
    size_t stop_at;
} Rows;

static void rows_add(Rows *r, const char *s, size_t n) {
    if (r->len + n + 1 > r->cap) {
        r->cap = (r->len + n + 1) * 2;
        r->out = realloc(r->out, r->cap);
    }
    memcpy(r->out + r->len, s, n);
    r->len += n;
    r->out[r->len] = '\0';
}

static int collect(void *ctx, size_t row, size_t nf, const char *const *f, const size_t *lens) {
    Rows *r = ctx;
    r->rows++;
    assert_true(nf > 0);
    assert_true(lens[nf - 1] > 0); /* trailing empty cells are dropped */
    if (r->rows <= r->keep) {
        char num[32];
        snprintf(num, sizeof num, "%zu:", row);
        rows_add(r, num, strlen(num));
        for (size_t i = 0; i < nf; i++) {
            assert_int_equal(f[i][lens[i]], '\0');
            if (i) rows_add(r, "|", 1);
            rows_add(r, f[i], lens[i]);
        }
        rows_add(r, ";", 1);
    }
    return r->stop_at && r->rows == r->stop_at;
}

/* Opens (from path or memory), reads all rows into r, closes. Returns the
 * code of whichever step failed first. */
static int read_book(const char *path, bool from_mem, const XlsxLimits *lim, Rows *r, XlsxError *e) {
    XlsxBook *b = NULL;
    size_t n = 0;
    char *mem = from_mem ? slurp(path, &n) : NULL;
    int rc = from_mem ? xlsx_open_mem(&b, mem, n, lim) : xlsx_open_path(&b, path, lim);
    if (rc == XLSX_OK) {
        rc = xlsx_read_rows(b, collect, r, e);
        xlsx_close(b);
    }
    free(mem);
    return rc;
}

/* ------------------------------------------------------------------------
 * A realistic roster written by libxlsxwriter
 * ---------------------------------------------------------------------- */

#define MANY 3000

static void write_roster(const char *path, bool constant_memory) {
    lxw_workbook_options opt = {.constant_memory = constant_memory, .tmpdir = tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "花名册");
    workbook_add_worksheet(wb, "第二页");
    lxw_format *datefmt = workbook_add_format(wb);
    format_set_num_format(datefmt, "yyyy-mm-dd");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);

    worksheet_write_string(ws, 0, 0, "姓名", bold);
    worksheet_write_string(ws, 0, 1, "性别", NULL);
    worksheet_write_string(ws, 0, 2, "出生日期", NULL);
    worksheet_write_string(ws, 0, 3, "得分", NULL);
    worksheet_write_string(ws, 0, 27, "备注", NULL); /* column AB */

    worksheet_write_string(ws, 1, 0, "张三", NULL);
    /* B2 left empty: a gap in the middle */
    lxw_datetime dt = {1985, 3, 2, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 2, &dt, datefmt);
    worksheet_write_number(ws, 1, 3, 3.5, NULL);
    worksheet_write_string(ws, 1, 27, "村民代表, \"老党员\"", NULL);

    worksheet_write_string(ws, 2, 0, "李四", NULL);
    worksheet_write_string(ws, 2, 1, "女", NULL);
    worksheet_write_boolean(ws, 2, 2, 1, NULL);
    worksheet_write_boolean(ws, 2, 3, 0, NULL);
    worksheet_write_blank(ws, 2, 4, bold); /* styled but empty: dropped */

    /* row 4 left out entirely; row 5 has a formula with a string result */
    worksheet_write_formula_str(ws, 4, 0, "=\"王\"&\"五\"", NULL, "王五");
    worksheet_write_number(ws, 4, 1, -12, NULL);

    for (int i = 0; i < MANY; i++) {
        char name[32];
        snprintf(name, sizeof name, "成员%d", i);
        worksheet_write_string(ws, (lxw_row_t)(10 + i), 0, name, NULL);
        worksheet_write_number(ws, (lxw_row_t)(10 + i), 1, i, NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void check_roster(const char *path, bool from_mem) {
    Rows r = {.keep = 5};
    XlsxError e;
    assert_int_equal(read_book(path, from_mem, NULL, &r, &e), XLSX_OK);
    assert_int_equal(e.code, XLSX_OK);
    char want[1024];
    snprintf(want, sizeof want,
             "1:姓名|性别|出生日期|得分||||||||||||||||||||||||备注;"
             "2:张三||31108|3.5||||||||||||||||||||||||村民代表, \"老党员\";"
             "3:李四|女|TRUE|FALSE;"
             "5:王五|-12;"
             "11:成员0|0;");
    assert_string_equal(r.out, want);
    assert_int_equal(r.rows, 4 + MANY);
    free(r.out);
}

static void test_roster_from_path(void **state) {
    const char *p = tmp_path("roster.xlsx");
    write_roster(p, false);
    check_roster(p, false);
}

static void test_roster_from_memory(void **state) {
    const char *p = tmp_path("roster_mem.xlsx");
    write_roster(p, false);
    check_roster(p, true);
}

/* In constant-memory mode libxlsxwriter writes inline strings instead of a
 * shared string table; the rows read must be the same. */
static void test_roster_inline_strings(void **state) {
    const char *p = tmp_path("roster_inline.xlsx");
    write_roster(p, true);
    check_roster(p, true);
}

/* The last generated row carries the number it was written with. */
static int last_row(void *ctx, size_t row, size_t nf, const char *const *f, const size_t *lens) {
    char want[32];
    snprintf(want, sizeof want, "成员%zu", row - 11);
    if (row >= 11) {
        assert_string_equal(f[0], want);
        snprintf(want, sizeof want, "%zu", row - 11);
        assert_string_equal(f[1], want);
        *(size_t *)ctx = row;
    }
    return 0;
}

static void test_many_rows_and_sheet_name(void **state) {
    const char *p = tmp_path("many.xlsx");
    write_roster(p, false);
    XlsxBook *b;
    assert_int_equal(xlsx_open_path(&b, p, NULL), XLSX_OK);
    assert_string_equal(xlsx_sheet_name(b), "花名册");
    assert_false(xlsx_date1904(b));
    size_t last = 0;
    XlsxError e;
    assert_int_equal(xlsx_read_rows(b, last_row, &last, &e), XLSX_OK);
    assert_int_equal(last, 10 + MANY);
    xlsx_close(b);
}

static void test_rich_text_shared_string(void **state) {
    const char *p = tmp_path("rich.xlsx");
    lxw_workbook *wb = workbook_new(p);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    lxw_format *red = workbook_add_format(wb);
    format_set_font_color(red, LXW_COLOR_RED);
    lxw_rich_string_tuple a = {.format = NULL, .string = "村务"};
    lxw_rich_string_tuple b = {.format = red, .string = "公开"};
    lxw_rich_string_tuple c = {.format = NULL, .string = "栏"};
    lxw_rich_string_tuple *parts[] = {&a, &b, &c, NULL};
    worksheet_write_rich_string(ws, 0, 1, parts, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    Rows r = {.keep = 1};
    XlsxError e;
    assert_int_equal(read_book(p, true, NULL, &r, &e), XLSX_OK);
    assert_string_equal(r.out, "1:|村务公开栏;");
    free(r.out);
}

static void test_caps_from_real_file(void **state) {
    const char *p = tmp_path("caps.xlsx");
    write_roster(p, false);
    Rows r = {0};
    XlsxError e;
    XlsxLimits lim = {.max_cols = 27}; /* AB is the 28th column */
    assert_int_equal(read_book(p, false, &lim, &r, &e), XLSX_ETOOMANYCOLS);
    assert_int_equal(e.row, 1);
    assert_int_equal(e.col, 28);
    assert_int_equal(r.rows, 0);

    memset(&r, 0, sizeof r);
    lim = (XlsxLimits){.max_rows = 100};
    assert_int_equal(read_book(p, true, &lim, &r, &e), XLSX_ETOOMANYROWS);
    assert_int_equal(r.rows, 100);

    memset(&r, 0, sizeof r);
    lim = (XlsxLimits){.max_cell_len = 8}; /* "出生日期" is 12 bytes */
    assert_int_equal(read_book(p, true, &lim, &r, &e), XLSX_ECELLTOOLONG);

    memset(&r, 0, sizeof r);
    r.stop_at = 2;
    assert_int_equal(read_book(p, true, NULL, &r, &e), XLSX_ESTOP);
    assert_int_equal(e.row, 2);
    assert_int_equal(r.rows, 2);
}

/* ------------------------------------------------------------------------
 * Hand-made archives
 * ---------------------------------------------------------------------- */

static const char *WB =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<workbookPr date1904=\"1\"/><sheets>"
    "<sheet name=\"图表\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"数据\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";

static const char *RELS =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
    "</Relationships>";

static const char *SST =
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"2\" uniqueCount=\"2\">"
    "<si><t>甲_x000D_乙_x005F_x0041_</t></si>"
    "<si><r><t>東</t></r><r><t xml:space=\"preserve\">京 </t></r><rPh sb=\"0\" eb=\"1\"><t>トウ</t></rPh></si>"
    "</sst>";

/* Writes a zip with the given entries (name, content pairs, NULL-ended). */
static void make_zip(const char *path, const char *const *entries) {
    int err;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(za);
    for (size_t i = 0; entries[i] != NULL; i += 2) {
        zip_source_t *src = zip_source_buffer(za, entries[i + 1], strlen(entries[i + 1]), 0);
        assert_non_null(src);
        assert_true(zip_file_add(za, entries[i], src, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
}

/* Writes a workbook whose data sheet has the given sheetData content. */
static void make_book(const char *path, const char *sheet_data) {
    size_t n = strlen(sheet_data) + 256;
    char *sheet = malloc(n);
    snprintf(sheet, n,
             "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
             "<sheetData>%s</sheetData></worksheet>", sheet_data);
    const char *entries[] = {"xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels", RELS,
                             "xl/sharedStrings.xml", SST, "xl/worksheets/data.xml", sheet, NULL};
    make_zip(path, entries);
    free(sheet);
}

/* The first worksheet is found through the relationships even when a chart
 * sheet comes first; 1904 flag, escapes, phonetic runs, cells without r. */
static void test_handmade_workbook(void **state) {
    const char *p = tmp_path("hand.xlsx");
    make_book(p, "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c>"
                 "<c r=\"D2\" t=\"inlineStr\"><is><t>行_x000A_内</t></is></c>"
                 "<c r=\"E2\" t=\"e\"><v>#N/A</v></c><c r=\"F2\"><f>1+1</f><v>2</v></c></row>"
                 "<row><c r=\"A3\"><v>0</v></c></row>");
    XlsxBook *b;
    assert_int_equal(xlsx_open_path(&b, p, NULL), XLSX_OK);
    assert_string_equal(xlsx_sheet_name(b), "数据");
    assert_true(xlsx_date1904(b));
    Rows r = {.keep = 10};
    XlsxError e;
    assert_int_equal(xlsx_read_rows(b, collect, &r, &e), XLSX_OK);
    assert_string_equal(r.out, "2:甲\r乙_x0041_|東京 ||行\n内|#N/A|2;3:0;");
    xlsx_close(b);
    free(r.out);
}

static void test_bad_sheet_contents(void **state) {
    const char *p = tmp_path("bad.xlsx");
    Rows r = {0};
    XlsxError e;

    make_book(p, "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"4\"><c r=\"C4\" t=\"s\"><v>7</v></c></row>");
    assert_int_equal(read_book(p, false, NULL, &r, &e), XLSX_EFORMAT);
    assert_int_equal(e.row, 4);
    assert_int_equal(e.col, 3);
    assert_int_equal(r.rows, 1);

    make_book(p, "<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>");
    assert_int_equal(read_book(p, false, NULL, &r, &e), XLSX_EFORMAT);
    make_book(p, "<row r=\"0\"><c><v>1</v></c></row>");
    assert_int_equal(read_book(p, false, NULL, &r, &e), XLSX_EFORMAT);
    make_book(p, "<row r=\"1\"><c r=\"A1\"><v>1</v></row>");
    assert_int_equal(read_book(p, false, NULL, &r, &e), XLSX_EXML);
}

/* A DOCTYPE (the door to entity-expansion bombs) is refused outright. */
static void test_doctype_refused(void **state) {
    const char *p = tmp_path("doctype.xlsx");
    const char *wb = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">"
                     "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><workbook>&b;</workbook>";
    const char *entries[] = {"xl/workbook.xml", wb, "xl/_rels/workbook.xml.rels", RELS, NULL};
    make_zip(p, entries);
    XlsxBook *b = NULL;
    assert_int_equal(xlsx_open_path(&b, p, NULL), XLSX_EXML);
    assert_null(b);
}

/* An entry that decompresses beyond the cap is refused while streaming. */
static void test_zip_bomb_refused(void **state) {
    const char *p = tmp_path("bomb.xlsx");
    size_t n = 3 * 1024 * 1024;
    char *rows = malloc(n + 1);
    const char *cell = "<row><c><v>1</v></c></row>";
    size_t cl = strlen(cell), len = 0;
    while (len + cl <= n) {
        memcpy(rows + len, cell, cl);
        len += cl;
    }
    rows[len] = '\0';
    make_book(p, rows);
    free(rows);
    size_t zn;
    char *z = slurp(p, &zn);
    assert_true(zn < n / 20); /* small on disk, large inflated */
    free(z);
    Rows r = {0};
    XlsxError e;
    XlsxLimits lim = {.max_entry_size = 1024 * 1024};
    assert_int_equal(read_book(p, true, &lim, &r, &e), XLSX_ETOOBIG);
    assert_true(r.rows < 1024 * 1024 / cl);
    memset(&r, 0, sizeof r);
    assert_int_equal(read_book(p, true, NULL, &r, &e), XLSX_OK); /* fine under the default */
    assert_int_equal(r.rows, len / cl);
}

/* ------------------------------------------------------------------------
 * Files that are not workbooks
 * ---------------------------------------------------------------------- */

static void test_not_a_workbook(void **state) {
    XlsxBook *b = NULL;
    const char *txt = tmp_path("roster.csv");
    spit(txt, "姓名,性别\r\n张三,男\r\n", strlen("姓名,性别\r\n张三,男\r\n"));
    assert_int_equal(xlsx_open_path(&b, txt, NULL), XLSX_ENOTZIP);
    assert_int_equal(xlsx_open_mem(&b, "PK\x03\x04garbage", 11, NULL), XLSX_ENOTZIP);
    assert_int_equal(xlsx_open_mem(&b, "", 0, NULL), XLSX_ENOTZIP);
    assert_int_equal(xlsx_open_path(&b, tmp_path("missing.xlsx"), NULL), XLSX_EOPEN);

    static const char ole[16] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    assert_int_equal(xlsx_open_mem(&b, ole, sizeof ole, NULL), XLSX_EXLS);
    spit(tmp_path("old.xls"), ole, sizeof ole);
    assert_int_equal(xlsx_open_path(&b, tmp_path("old.xls"), NULL), XLSX_EXLS);

    const char *entries[] = {"word/document.xml", "<w/>", NULL};
    make_zip(tmp_path("doc.docx"), entries);
    assert_int_equal(xlsx_open_path(&b, tmp_path("doc.docx"), NULL), XLSX_ENOTXLSX);
    assert_null(b);
    assert_non_null(strstr(xlsx_error_zh(XLSX_EXLS), ".xlsx"));
}

/* Every truncation of a real workbook, and damage inside it, ends in a
 * clean error code: never a crash, never success with made-up data. */
static void test_truncated_and_corrupt(void **state) {
    const char *p = tmp_path("whole.xlsx");
    write_roster(p, false);
    size_t n;
    char *whole = slurp(p, &n);
    for (size_t cut = 0; cut < n; cut += n / 50 + 1) {
        char *part = malloc(cut ? cut : 1);
        memcpy(part, whole, cut);
        XlsxBook *b = NULL;
        Rows r = {0};
        XlsxError e;
        int rc = xlsx_open_mem(&b, part, cut, NULL);
        if (rc == XLSX_OK) {
            rc = xlsx_read_rows(b, collect, &r, &e);
            xlsx_close(b);
        }
        assert_true(rc == XLSX_ENOTZIP || rc == XLSX_ECORRUPT || rc == XLSX_ENOTXLSX);
        free(part);
        free(r.out);
    }
    /* flip bytes in the middle of the compressed data: CRC or inflate fails */
    for (size_t off = n / 4; off < n / 2; off += n / 16) {
        char *bad = malloc(n);
        memcpy(bad, whole, n);
        for (size_t k = 0; k < 16; k++) bad[off + k] ^= 0x5A;
        Rows r = {0};
        XlsxError e;
        spit(tmp_path("bad.xlsx"), bad, n);
        int rc = read_book(tmp_path("bad.xlsx"), true, NULL, &r, &e);
        assert_int_not_equal(rc, XLSX_OK);
        assert_true(rc < 0 && rc >= XLSX_ESTOP);
        free(bad);
        free(r.out);
    }
    free(whole);
}

/* ------------------------------------------------------------------------
 * Dates and references
 * ---------------------------------------------------------------------- */

static void test_serial_to_date_fixed_points(void **state) {
    int y, m, d;
    assert_true(xlsx_serial_to_date(1, false, &y, &m, &d));
    assert_true(y == 1900 && m == 1 && d == 1);
    assert_true(xlsx_serial_to_date(59, false, &y, &m, &d));
    assert_true(y == 1900 && m == 2 && d == 28);
    assert_false(xlsx_serial_to_date(60, false, &y, &m, &d)); /* Lotus's 1900-02-29 */
    assert_true(xlsx_serial_to_date(61, false, &y, &m, &d));
    assert_true(y == 1900 && m == 3 && d == 1);
    assert_true(xlsx_serial_to_date(45292.75, false, &y, &m, &d));
    assert_true(y == 2024 && m == 1 && d == 1);
    assert_true(xlsx_serial_to_date(2958465, false, &y, &m, &d));
    assert_true(y == 9999 && m == 12 && d == 31);
    assert_false(xlsx_serial_to_date(2958466, false, &y, &m, &d));
    assert_false(xlsx_serial_to_date(0, false, &y, &m, &d));
    assert_false(xlsx_serial_to_date(-1, false, &y, &m, &d));
    assert_true(xlsx_serial_to_date(0, true, &y, &m, &d));
    assert_true(y == 1904 && m == 1 && d == 1);
    assert_true(xlsx_serial_to_date(43830, true, &y, &m, &d));
    assert_true(y == 2024 && m == 1 && d == 1);
}

/* Against libxlsxwriter's own date arithmetic, every 7th day 1900-2200, in
 * both date systems. */
static void test_serial_to_date_matches_writer(void **state) {
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int checked = 0;
    for (int y = 1900; y <= 2200; y++)
        for (int m = 1; m <= 12; m++) {
            int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            int last = mdays[m - 1] + (m == 2 && leap);
            for (int d = 1 + (y * 12 + m) % 7; d <= last; d += 7) {
                if (y == 1900 && m <= 2) continue; /* before the Lotus bug both agree trivially */
                lxw_datetime dt = {y, m, d, 12, 0, 0};
                for (int sys = 0; sys <= 1; sys++) {
                    if (sys && y < 1904) continue;
                    double serial = lxw_datetime_to_excel_date_epoch(&dt, (uint8_t)sys);
                    int gy, gm, gd;
                    assert_true(xlsx_serial_to_date(serial, sys, &gy, &gm, &gd));
                    if (gy != y || gm != m || gd != d)
                        fail_msg("%04d-%02d-%02d sys %d -> %04d-%02d-%02d", y, m, d, sys, gy, gm, gd);
                    checked++;
                }
            }
        }
    assert_true(checked > 30000);
}

static void test_parse_ref(void **state) {
    size_t c, r;
    assert_true(xlsx_parse_ref("A1", &c, &r));
    assert_true(c == 0 && r == 1);
    assert_true(xlsx_parse_ref("Z9", &c, &r));
    assert_int_equal(c, 25);
    assert_true(xlsx_parse_ref("AA10", &c, &r));
    assert_true(c == 26 && r == 10);
    assert_true(xlsx_parse_ref("AB3", &c, NULL));
    assert_int_equal(c, 27);
    assert_true(xlsx_parse_ref("XFD1048576", &c, &r));
    assert_true(c == 16383 && r == 1048576);
    assert_false(xlsx_parse_ref("XFE1", &c, &r));
    assert_false(xlsx_parse_ref("A1048577", &c, &r));
    assert_false(xlsx_parse_ref("A0", &c, &r));
    assert_false(xlsx_parse_ref("A", &c, &r));
    assert_false(xlsx_parse_ref("1", &c, &r));
    assert_false(xlsx_parse_ref("a1", &c, &r));
    assert_false(xlsx_parse_ref("A1x", &c, &r));
    assert_false(xlsx_parse_ref("", &c, &r));
}

/* ------------------------------------------------------------------------ */

static int setup(void **state) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/zuwei_xlsx_XXXXXX");
    return mkdtemp(tmpdir) == NULL;
}

static int teardown(void **state) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) != 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roster_from_path),
        cmocka_unit_test(test_roster_from_memory),
        cmocka_unit_test(test_roster_inline_strings),
        cmocka_unit_test(test_many_rows_and_sheet_name),
        cmocka_unit_test(test_rich_text_shared_string),
        cmocka_unit_test(test_caps_from_real_file),
        cmocka_unit_test(test_handmade_workbook),
        cmocka_unit_test(test_bad_sheet_contents),
        cmocka_unit_test(test_doctype_refused),
        cmocka_unit_test(test_zip_bomb_refused),
        cmocka_unit_test(test_not_a_workbook),
        cmocka_unit_test(test_truncated_and_corrupt),
        cmocka_unit_test(test_serial_to_date_fixed_points),
        cmocka_unit_test(test_serial_to_date_matches_writer),
        cmocka_unit_test(test_parse_ref),
    };
    return cmocka_run_group_tests_name("xlsx", tests, setup, teardown);
}
