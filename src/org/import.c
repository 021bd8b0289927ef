/* import.c — `zuwei org import FILE.csv`: loads a division-code list into the tree.
 *
 * The file has the header code,name,parent_code,kind (or 区划代码,名称,上级代码,层级) and one unit
 * per row; kind is county|township|village|group or 县|街道|镇|乡|乡镇|村|行政村|组|村民组|自然寨.
 * Every row is checked before anything is written; a single bad row imports nothing. Rows are
 * written parents first (parents may come after their children in the file), in one transaction
 * with one audit entry. Re-importing the same file changes nothing: a code already present with
 * the same name is skipped, with another name it is renamed. */
#include "org/org.h"
#include "platform/csv.h"
#include "platform/db.h"
#include "platform/textenc.h"
#include "platform/validate.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { IMPORT_MAX_ROWS = 200000, IMPORT_MAX_ERRORS = 200 };

typedef struct Row {
    size_t line;                  /* record number in the file; the header is line 1 */
    char code[DIVCODE_SIZE];
    char name[UNIT_NAME_SIZE];
    char parent[DIVCODE_SIZE];
    UnitKind kind;
    char subkind[8];
} Row;

typedef struct Reader {
    Row *rows;
    size_t n, cap;
    Buf *errors;
    int nerr;
} Reader;

/* Appends "第 N 行 第 M 列: reason" (or "第 N 行: reason" when col is 0) to the error list. */
static void row_error(Reader *rd, size_t line, size_t col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void row_error(Reader *rd, size_t line, size_t col, const char *fmt, ...) {
    if (++rd->nerr > IMPORT_MAX_ERRORS) return;
    if (col) buf_printf(rd->errors, "第 %zu 行 第 %zu 列: ", line, col);
    else buf_printf(rd->errors, "第 %zu 行: ", line);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(rd->errors, fmt, ap);
    va_end(ap);
    buf_putc(rd->errors, '\n');
}

/* Kind words of the file, in English and Chinese, with the subkind each implies ("" = derived). */
static const struct { const char *word; UnitKind kind; const char *subkind; } kind_words[] = {
    {"county", UNIT_COUNTY, ""}, {"县", UNIT_COUNTY, ""},
    {"township", UNIT_TOWNSHIP, ""}, {"乡镇", UNIT_TOWNSHIP, ""},
    {"街道", UNIT_TOWNSHIP, "street"}, {"镇", UNIT_TOWNSHIP, "town"}, {"乡", UNIT_TOWNSHIP, "xiang"},
    {"street", UNIT_TOWNSHIP, "street"}, {"town", UNIT_TOWNSHIP, "town"}, {"xiang", UNIT_TOWNSHIP, "xiang"},
    {"village", UNIT_VILLAGE, ""}, {"村", UNIT_VILLAGE, ""}, {"行政村", UNIT_VILLAGE, ""},
    {"group", UNIT_GROUP, "group"}, {"组", UNIT_GROUP, "group"}, {"村民组", UNIT_GROUP, "group"},
    {"hamlet", UNIT_GROUP, "hamlet"}, {"自然寨", UNIT_GROUP, "hamlet"},
};

/* Copies field i of a record, trimmed of spaces, into dst (size n). Returns false when it does
 * not fit. */
static bool take(char *dst, size_t n, const char *const *fields, const size_t *lens, size_t nfields, size_t i) {
    const char *s = i < nfields ? fields[i] : "";
    size_t len = i < nfields ? lens[i] : 0;
    while (len && (*s == ' ' || *s == '\t')) s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
    if (len >= n) return false;
    memcpy(dst, s, len);
    dst[len] = 0;
    return true;
}

/* True when the header names the four columns in order (English or Chinese). */
static bool header_ok(const char *const *fields, const size_t *lens, size_t nfields) {
    static const char *const en[] = {"code", "name", "parent_code", "kind"};
    static const char *const zh[] = {"区划代码", "名称", "上级代码", "层级"};
    if (nfields != 4) return false;
    for (size_t i = 0; i < 4; i++) {
        char f[64];
        if (!take(f, sizeof f, fields, lens, nfields, i)) return false;
        if (strcasecmp(f, en[i]) != 0 && strcmp(f, zh[i]) != 0) return false;
    }
    return true;
}

/* The subkind a valid township code denotes: street (001-099), town (100-199), xiang (200-399). */
static const char *township_subkind(const char *code) {
    TownshipKind t = divcode_township_kind(code);
    return t == TOWNSHIP_STREET ? "street" : t == TOWNSHIP_TOWN ? "town" : "xiang";
}

/* Checks the code, name and kind of one record on their own (parents come later). Returns true
 * when the row is good; problems go to the error list. */
static bool parse_row(Reader *rd, Row *w, const char *const *fields, const size_t *lens, size_t nfields) {
    char kindw[32];
    bool ok = true;
    if (nfields != 4) {
        row_error(rd, w->line, 0, "应有 4 列（code,name,parent_code,kind），实有 %zu 列", nfields);
        return false;
    }
    if (!take(kindw, sizeof kindw, fields, lens, nfields, 3)) kindw[0] = 0;
    size_t k = 0, nk = sizeof kind_words / sizeof kind_words[0];
    while (k < nk && strcasecmp(kindw, kind_words[k].word) != 0) k++;
    if (k == nk) {
        row_error(rd, w->line, 4, "层级应为 county/township/village/group 或 县/街道/镇/乡/村/组/自然寨");
        ok = false;
    } else {
        w->kind = kind_words[k].kind;
        str_copy(w->subkind, sizeof w->subkind, kind_words[k].subkind);
    }
    if (!take(w->code, sizeof w->code, fields, lens, nfields, 0)) {
        row_error(rd, w->line, 1, "%s", divcode_error_zh(DIVCODE_ERR_LENGTH));
        ok = false;
    } else if (ok) {
        TownshipKind tk = !strcmp(w->subkind, "street") ? TOWNSHIP_STREET : !strcmp(w->subkind, "town") ? TOWNSHIP_TOWN
                        : !strcmp(w->subkind, "xiang") ? TOWNSHIP_XIANG : TOWNSHIP_ANY;
        int rc = divcode_validate(w->code, w->kind, tk);
        if (rc != DIVCODE_OK) { row_error(rd, w->line, 1, "%s", divcode_error_zh(rc)); ok = false; }
        else if (w->kind == UNIT_TOWNSHIP && !w->subkind[0])
            str_copy(w->subkind, sizeof w->subkind, township_subkind(w->code));
    }
    if (!take(w->name, sizeof w->name, fields, lens, nfields, 1) || utf8_chars(w->name) > UNIT_NAME_MAX) {
        row_error(rd, w->line, 2, "名称不能超过 60 个字");
        ok = false;
    } else if (!w->name[0]) {
        row_error(rd, w->line, 2, "请填写名称");
        ok = false;
    } else {
        for (const char *p = w->name; *p; p++)
            if ((unsigned char)*p < 0x20) { row_error(rd, w->line, 2, "名称不能包含换行或控制字符"); ok = false; break; }
    }
    if (!take(w->parent, sizeof w->parent, fields, lens, nfields, 2)) {
        row_error(rd, w->line, 3, "%s", divcode_error_zh(DIVCODE_ERR_PARENT_CODE));
        ok = false;
    }
    return ok;
}

/* csv_parse callback: the header on line 1, then one unit per line. Blank lines are skipped. */
static int on_record(void *ctx, size_t line, size_t nfields, const char *const *fields, const size_t *lens) {
    Reader *rd = ctx;
    if (line == 1) {
        if (!header_ok(fields, lens, nfields)) {
            row_error(rd, 1, 0, "表头应为 code,name,parent_code,kind（或 区划代码,名称,上级代码,层级）");
            return 1;
        }
        return 0;
    }
    if (nfields == 1 && lens[0] == 0) return 0;
    if (rd->n == rd->cap) {
        rd->cap = rd->cap ? rd->cap * 2 : 256;
        rd->rows = xrealloc(rd->rows, rd->cap * sizeof(Row));
    }
    Row *w = &rd->rows[rd->n];
    memset(w, 0, sizeof *w);
    w->line = line;
    if (parse_row(rd, w, fields, lens, nfields)) rd->n++;
    return 0;
}

static int by_code(const void *a, const void *b) { return strcmp(((const Row *)a)->code, ((const Row *)b)->code); }

/* Parents first: by level, then by code. */
static int by_level(const void *a, const void *b) {
    const Row *x = a, *y = b;
    return x->kind != y->kind ? (int)x->kind - (int)y->kind : strcmp(x->code, y->code);
}

/* Checks what needs the whole file and the database: duplicate codes, each row's parent (in the
 * file or already stored), how the codes nest, and that a stored code is the same unit. Expects
 * rows sorted by code. */
static void check_rows(Reader *rd) {
    for (size_t i = 0; i < rd->n; i++) {
        Row *w = &rd->rows[i];
        if (i && !strcmp(w->code, rd->rows[i - 1].code)) {
            row_error(rd, w->line, 1, "与第 %zu 行的区划代码重复", rd->rows[i - 1].line);
            continue;
        }
        if (w->kind == UNIT_COUNTY) {
            if (w->parent[0]) row_error(rd, w->line, 3, "县级单位不填上级代码");
            continue;
        }
        if (!w->parent[0]) { row_error(rd, w->line, 3, "请填写上级区划代码"); continue; }
        Row key;
        str_copy(key.code, sizeof key.code, w->parent);
        const Row *pr = bsearch(&key, rd->rows, rd->n, sizeof(Row), by_code);
        Unit pu;
        UnitKind pk;
        if (pr) pk = pr->kind;
        else if (unit_by_code(SCOPE_ALL, w->parent, &pu) == 0) {
            pk = pu.kind;
            if (unit_ended(&pu)) { row_error(rd, w->line, 3, "上级单位 %s 已撤销", w->parent); continue; }
        } else {
            row_error(rd, w->line, 3, "找不到上级区划代码 %s（文件和系统中都没有）", w->parent);
            continue;
        }
        int rc = divcode_check_parent(w->code, w->kind, w->parent, pk);
        if (rc != DIVCODE_OK) { row_error(rd, w->line, rc == DIVCODE_ERR_PARENT_KIND ? 4 : 3, "%s", divcode_error_zh(rc)); continue; }
        Unit have, hp;
        if (unit_by_code(SCOPE_ALL, w->code, &have) != 0) continue;
        if (have.kind != w->kind)
            row_error(rd, w->line, 4, "系统中这个区划代码属于%s，不是%s", unit_kind_zh(have.kind, have.subkind),
                      unit_kind_zh(w->kind, w->subkind));
        else if (unit_get(SCOPE_ALL, have.parent_id, &hp) != 0 || strcmp(hp.code, w->parent) != 0)
            row_error(rd, w->line, 3, "系统中这个单位的上级不是 %s；要调整隶属关系，请在系统中移动它", w->parent);
    }
}

/* The sort number of an imported unit: its own digits of the code (township 7-9, village 10-12,
 * group 13-15), so lists follow the official order. */
static int code_sort(const Row *w) {
    int from = w->kind == UNIT_TOWNSHIP ? 6 : w->kind == UNIT_VILLAGE ? 9 : w->kind == UNIT_GROUP ? 12 : 0;
    if (!from) return 0;
    return (w->code[from] - '0') * 100 + (w->code[from + 1] - '0') * 10 + (w->code[from + 2] - '0');
}

/* Writes the checked rows (sorted parents first) inside the open transaction. Returns 0 or an
 * SQLite error code; counts go to res, the id of the first unit written to *top. */
static int write_rows(const Reader *rd, ImportResult *res, int64_t *top) {
    char today[11];
    unit_today(today);
    for (size_t i = 0; i < rd->n; i++) {
        const Row *w = &rd->rows[i];
        Unit have, parent;
        int64_t id = 0;
        int rc = 0;
        if (unit_by_code(SCOPE_ALL, w->code, &have) == 0) {
            id = have.id;
            if (strcmp(have.name, w->name) == 0) res->unchanged++;
            else if ((rc = unit_rename_tx(have.id, w->name)) == 0) res->renamed++;
        } else if (w->kind != UNIT_COUNTY && unit_by_code(SCOPE_ALL, w->parent, &parent) != 0) {
            rc = SQLITE_NOTFOUND;
        } else {
            rc = unit_insert_tx(w->kind == UNIT_COUNTY ? NULL : &parent, w->kind, w->subkind, w->name, w->code,
                                code_sort(w), today, &id);
            if (rc == 0) res->created++;
        }
        if (rc) return rc;
        if (!*top) *top = id;
    }
    return 0;
}

int org_import_csv(const Actor *a, const char *data, size_t n, ImportResult *res, Buf *errors) {
    memset(res, 0, sizeof *res);
    char *text = NULL;
    size_t tn = 0;
    int rc = textenc_to_utf8(data, n, &text, &tn, NULL);
    if (rc != TEXTENC_OK) {
        buf_printf(errors, "%s\n", textenc_error_zh(rc));
        return -1;
    }
    Reader rd = {NULL, 0, 0, errors, 0};
    CsvLimits lim = {16, 1024, IMPORT_MAX_ROWS};
    CsvError ce = {0, 0, 0};
    rc = csv_parse(text, tn, &lim, on_record, &rd, &ce);
    free(text);
    if (rc != CSV_OK && rc != CSV_ESTOP) row_error(&rd, ce.row, ce.col, "%s", csv_error_zh(rc));
    if (rd.n == 0 && rd.nerr == 0) row_error(&rd, 1, 0, "文件中没有数据行");
    if (rd.n) qsort(rd.rows, rd.n, sizeof(Row), by_code);   /* qsort(NULL, 0, …) is undefined */
    if (rd.nerr == 0) check_rows(&rd);
    if (rd.nerr > IMPORT_MAX_ERRORS) buf_printf(errors, "……另有 %d 处错误未列出\n", rd.nerr - IMPORT_MAX_ERRORS);
    if (rd.nerr) {
        free(rd.rows);
        return -1;
    }
    qsort(rd.rows, rd.n, sizeof(Row), by_level);
    res->rows = (int)rd.n;
    int64_t top = 0;
    if (db_begin() != 0) {
        free(rd.rows);
        buf_printf(errors, "数据库忙，请稍后再试\n");
        return -2;
    }
    rc = write_rows(&rd, res, &top);
    free(rd.rows);
    if (rc == 0 && res->created + res->renamed > 0)
        rc = audit_append(a, "import", "unit", 0, top,
                          NULL, json_pack("{s:i, s:i, s:i, s:i}", "rows", res->rows, "created", res->created, "renamed",
                                          res->renamed, "unchanged", res->unchanged));
    if (rc != 0 || db_commit() != 0) {
        db_rollback();
        buf_printf(errors, "写入数据库失败：%s\n", db_errmsg());
        return -2;
    }
    return 0;
}

/* Reads a whole file into memory (at most 64 MiB). Returns the bytes (free them) or NULL. */
static char *read_file(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    Buf b = BUF_INIT;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (64u << 20)) buf_append(&b, chunk, got);
    bool bad = ferror(f) || b.len >= (64u << 20);
    fclose(f);
    if (bad) { buf_free(&b); return NULL; }
    *n = b.len;
    return b.p ? b.p : xstrdup("");
}

int cmd_org(int argc, char **argv) {
    if (argc != 3 || strcmp(argv[1], "import") != 0) {
        fprintf(stderr, "usage: zuwei org import FILE.csv\n"
                        "  FILE.csv: header code,name,parent_code,kind; UTF-8 (with or without BOM) or GB18030\n");
        return 2;
    }
    size_t n = 0;
    char *data = read_file(argv[2], &n);
    if (!data) { fprintf(stderr, "zuwei org import: 无法读取文件 %s\n", argv[2]); return 1; }
    Actor a = actor_cli();
    ImportResult res;
    Buf errors = BUF_INIT;
    int rc = org_import_csv(&a, data, n, &res, &errors);
    free(data);
    if (rc != 0) {
        fprintf(stderr, "zuwei org import: %s 未导入任何数据：\n%s", argv[2], errors.p ? errors.p : "");
        buf_free(&errors);
        return 1;
    }
    buf_free(&errors);
    printf("zuwei org import: %d 行；新增 %d，更名 %d，未变 %d\n", res.rows, res.created, res.renamed, res.unchanged);
    return 0;
}
