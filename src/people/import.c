/* import.c — roster import (花名册导入): reading, checking and writing a roster file and the
 * `zuwei import people` verb; the browser pages (upload, preview, confirm, templates) follow
 * after the banner "Pages".
 *
 * The work runs in four steps over the whole file held in memory:
 *   1. read: find the header row (the first row with a 姓名 cell), map the Chinese headers to our
 *      columns, turn every later row into a Person (cell-level problems are collected per row);
 *   2. check: person_check() on each row, the group inside the importer's scope, duplicates within
 *      the file, the household head found in the file or on the roll;
 *   3. classify: each good row is new, changed or unchanged against the roll (hash tables built
 *      from one scan of the person table, so no per-row SELECT);
 *   4. write: one transaction — households of new heads, changed people, then all new people by one
 *      INSERT … SELECT from the rows in memory — and one audit entry with the file's name, its
 *      SHA-256 and the counts.
 * Step 1 runs on a second thread while the first loads the roll, and the per-row cryptography
 * (blind indexes, sealing) is shared by two threads (see "Work per row on two threads"). */
#include "people/import.h"
#include "people/idnum.h"
#include "people/people.h"
#include "people/pinyin.h"
#include "people/store.h"
#include "platform/auth.h"
#include "platform/crypto.h"
#include "platform/csv.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/page.h"
#include "platform/textenc.h"
#include "platform/validate.h"
#include "platform/xlsx.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "platform/xlsxout.h"
#include <xlsxwriter.h>

enum { MAX_ISSUES = 10000, HEADER_SEARCH_ROWS = 10, CELL_MAX = 256, BULK_MIN_ROWS = 20000 };

/* ---------------------------------------------------------------------------------------------
 * Columns */

typedef enum {
    C_NAME, C_SEX, C_IDNUM, C_BIRTH, C_PHONE, C_ETHNICITY, C_EDUCATION, C_RELATION, C_HEAD, C_GROUP, C_HHNO,
    C_STATUS, C_STATUS_DATE, C_F_PARTY, C_F_CHUNHUI, C_F_WEALTH, C_F_VETERAN, C_F_RETIRED, C_F_CADRE, C_F_LEGAL,
    C_F_LABOUR, C_ADDRESS, C_FARMLAND, C_FOREST, C_LIVESTOCK, C_POULTRY, C_POVERTY, NCOL
} Col;

typedef struct ColDef { const char *zh; bool required; unsigned flag; } ColDef;

static const ColDef cols[NCOL] = {
    [C_NAME] = {"姓名", true, 0},             [C_SEX] = {"性别", true, 0},
    [C_IDNUM] = {"身份证号", true, 0},         [C_BIRTH] = {"出生日期", true, 0},
    [C_PHONE] = {"联系电话", false, 0},        [C_ETHNICITY] = {"民族", false, 0},
    [C_EDUCATION] = {"文化程度", false, 0},    [C_RELATION] = {"与户主关系", true, 0},
    [C_HEAD] = {"户主身份证号", true, 0},      [C_GROUP] = {"组", true, 0},
    [C_HHNO] = {"户号", false, 0},             [C_STATUS] = {"人员状态", false, 0},
    [C_STATUS_DATE] = {"状态日期", false, 0},  [C_F_PARTY] = {"党员", false, PF_PARTY},
    [C_F_CHUNHUI] = {"春晖使者", false, PF_CHUNHUI}, [C_F_WEALTH] = {"致富能手", false, PF_WEALTH},
    [C_F_VETERAN] = {"复转军人", false, PF_VETERAN}, [C_F_RETIRED] = {"退休公职人员", false, PF_RETIRED},
    [C_F_CADRE] = {"村两委干部", false, PF_CADRE},   [C_F_LEGAL] = {"法律明白人", false, PF_LEGAL},
    [C_F_LABOUR] = {"劳动力", false, PF_LABOUR},
    [C_ADDRESS] = {"住址", false, 0},          [C_FARMLAND] = {"耕地（亩）", false, 0},
    [C_FOREST] = {"林地（亩）", false, 0},     [C_LIVESTOCK] = {"家畜存栏（头）", false, 0},
    [C_POULTRY] = {"家禽（只）", false, 0},    [C_POVERTY] = {"脱贫情况", false, 0},
};

/* Other headers offices use for the same columns. */
static const struct { const char *alias; Col col; } col_aliases[] = {
    {"身份证号码", C_IDNUM}, {"公民身份号码", C_IDNUM}, {"户主身份证号码", C_HEAD}, {"电话", C_PHONE},
    {"手机号", C_PHONE},     {"手机号码", C_PHONE},     {"村民组", C_GROUP},       {"所在组", C_GROUP},
    {"状态", C_STATUS},      {"学历", C_EDUCATION},     {"家庭住址", C_ADDRESS},   {"耕地", C_FARMLAND},
    {"耕地面积", C_FARMLAND}, {"耕地(亩)", C_FARMLAND}, {"林地", C_FOREST},        {"林地面积", C_FOREST},
    {"林地(亩)", C_FOREST},  {"家畜存栏", C_LIVESTOCK}, {"家畜", C_LIVESTOCK},     {"家禽", C_POULTRY},
    {NULL, 0},
};

/* The household's columns (住址 … 脱贫情况): read on the head's row, where they describe the
 * household; each checked like the household form's field of the same name (household_fields).
 * HH_* index them. */
enum { HH_ADDRESS, HH_FARMLAND, HH_FOREST, HH_LIVESTOCK, HH_POULTRY, HH_POVERTY, NHH };
static const struct { Col col; const char *field; } hh_cols[NHH] = {
    [HH_ADDRESS] = {C_ADDRESS, "address"},       [HH_FARMLAND] = {C_FARMLAND, "farmland"},
    [HH_FOREST] = {C_FOREST, "forest"},          [HH_LIVESTOCK] = {C_LIVESTOCK, "livestock"},
    [HH_POULTRY] = {C_POULTRY, "poultry"},       [HH_POVERTY] = {C_POVERTY, "poverty"},
};

/* 与户主关系 as written in rosters → person.relation. */
static const struct { const char *zh, *key; } relation_names[] = {
    {"户主", "head"},          {"本人", "head"},        {"配偶", "spouse"},       {"妻", "spouse"},
    {"妻子", "spouse"},        {"夫", "spouse"},        {"丈夫", "spouse"},       {"子女", "child"},
    {"子", "child"},           {"女", "child"},         {"儿子", "child"},        {"女儿", "child"},
    {"父母", "parent"},        {"父亲", "parent"},      {"母亲", "parent"},       {"孙子女", "grandchild"},
    {"孙子", "grandchild"},    {"孙女", "grandchild"},  {"祖父母", "grandparent"}, {"祖父", "grandparent"},
    {"祖母", "grandparent"},   {"兄弟姐妹", "sibling"}, {"兄弟", "sibling"},      {"姐妹", "sibling"},
    {"儿媳女婿", "child_in_law"}, {"儿媳", "child_in_law"}, {"女婿", "child_in_law"}, {"其他", "other"},
    {NULL, NULL},
};

/* 人员状态 → person.status. */
static const struct { const char *zh, *key; } status_names[] = {
    {"在家", "resident"}, {"在册", "resident"}, {"外出务工", "migrant"}, {"外出", "migrant"},
    {"已迁出", "moved"},  {"迁出", "moved"},    {"已去世", "deceased"}, {"去世", "deceased"},
    {"死亡", "deceased"}, {NULL, NULL},
};

/* The Chinese word of a relation or status key (first entry of the tables above). */
static const char *relation_zh(const char *key) {
    for (int i = 0; relation_names[i].zh; i++)
        if (strcmp(relation_names[i].key, key) == 0) return relation_names[i].zh;
    return key;
}

static const char *status_zh(const char *key) {
    for (int i = 0; status_names[i].zh; i++)
        if (strcmp(status_names[i].key, key) == 0) return status_names[i].zh;
    return key;
}

/* ---------------------------------------------------------------------------------------------
 * A small string → integer hash table (open addressing; keys live in an arena). */

typedef struct StrMap {
    const char **keys;
    int64_t *vals;
    size_t cap, n;
    Arena *arena;
} StrMap;

enum { FNV_OFFSET = 1469598103934665603ULL };

/* FNV-1a of n bytes, going on from hash h (FNV_OFFSET to start). */
static uint64_t fnv1a_more(uint64_t h, const void *p, size_t n) {
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 1099511628211ULL;
    return h;
}

static uint64_t fnv1a(const char *s, size_t n) { return fnv1a_more(FNV_OFFSET, s, n); }

static void map_init(StrMap *m, size_t expect, Arena *ar) {
    size_t cap = 64;
    while (cap < expect * 2) cap <<= 1;
    m->keys = calloc(cap, sizeof *m->keys);
    m->vals = calloc(cap, sizeof *m->vals);
    if (!m->keys || !m->vals) abort();
    m->cap = cap;
    m->n = 0;
    m->arena = ar;
}

static void map_free(StrMap *m) {
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* Returns the slot index of `key`: where it is, or the empty slot where it would go. */
static size_t map_find(const StrMap *m, const char *key) {
    size_t i = fnv1a(key, strlen(key)) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & (m->cap - 1);
    return i;
}

/* Returns true and sets *val when `key` is present. */
static bool map_get(const StrMap *m, const char *key, int64_t *val) {
    size_t i = map_find(m, key);
    if (!m->keys[i]) return false;
    *val = m->vals[i];
    return true;
}

/* Sets key → val; returns false (and keeps the old value in *old) when the key was present. */
static bool map_add(StrMap *m, const char *key, int64_t val, int64_t *old) {
    if ((m->n + 1) * 2 > m->cap) {
        StrMap bigger;
        map_init(&bigger, m->cap, m->arena);
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = map_find(&bigger, m->keys[i]);
                bigger.keys[j] = m->keys[i];
                bigger.vals[j] = m->vals[i];
            }
        bigger.n = m->n;
        map_free(m);
        *m = bigger;
    }
    size_t i = map_find(m, key);
    if (m->keys[i]) {
        if (old) *old = m->vals[i];
        return false;
    }
    m->keys[i] = arena_strdup(m->arena, key);
    m->vals[i] = val;
    m->n++;
    return true;
}

/* ---------------------------------------------------------------------------------------------
 * State of one import */

enum { ACT_CREATE, ACT_UPDATE, ACT_SAME };

typedef struct Row {
    Person p;
    uint32_t line;
    bool bad, sdate_given;
    bool need_hh;           /* a head whose household is to be created */
    uint8_t action;
    char head[20];          /* 户主身份证号, normalised */
    char blind[33];         /* blind index of p.idnum, "" without one */
    char hh_no[24];
    int32_t group;          /* index into Imp.groups of p.unit_id (set when the group is found) */
    int32_t head_row;       /* index of the head's row in the file, -1 */
    int32_t known;          /* index into Imp.known of the person on the roll, -1 when new */
    int64_t existing;       /* person id on the roll, 0 when new */
    int64_t hh_existing;    /* the household it belongs to on the roll (through its head) */
    int32_t prof;           /* index into Imp.profs of the household cells it gives, -1: none */
    bool hh_change;         /* a head whose household on the roll gets new household cells */
} Row;

/* The household cells of one row: a value for each hh_cols[k] whose bit k is in `given`. */
typedef struct HhProf {
    unsigned given;
    const char *address;     /* in the import's arena */
    int64_t num[NHH];        /* HH_FARMLAND and HH_FOREST in hundredths of a mu, HH_LIVESTOCK, HH_POULTRY */
    const char *poverty;     /* none / lifted / monitored */
} HhProf;

/* A person already on the roll, as much as classifying a row needs. */
typedef struct Known {
    int64_t id, unit_id, hh;
    uint64_t digest;
    int32_t status_date;
    char status[12];
} Known;

typedef struct Group { int64_t id; char label[128]; } Group;

/* What a new person's row needs that is slow to work out: the sealed ID number and the pinyin
 * initials. */
typedef struct Fresh {
    SealedId id;
    char initials[64];
    bool done;               /* worked out */
    bool ok;                 /* sealed (false: crypto not ready) */
} Fresh;

typedef struct Imp {
    Arena *arena;
    Row *rows;
    size_t n, cap;
    int colmap[NCOL];        /* field index of each column, -1 when absent */
    bool have_header;
    bool xlsx, date1904;
    int32_t today;
    char fatal[400];
    ImportReport *rep;
    Group *groups;
    size_t ngroups;
    StrMap group_by_key;     /* code or "村名/组名" → index into groups (-1: ambiguous) */
    StrMap group_index;      /* unit id as text → index (the scope's groups) */
    Known *known;
    size_t nknown;
    int64_t *ended;          /* the ended households' ids, ascending (load_ended) */
    size_t nended;
    StrMap known_by_blind;   /* blind index → index into known */
    StrMap known_by_key;     /* "unit|household|name|birth" of people without ID → index */
    Fresh *fresh;            /* per row, worked out for new people before they are written */
    HhProf *profs;           /* the household cells of the rows that give any (Row.prof) */
    size_t nprofs, capprofs;
    Arena *read_arena;       /* the reading thread's (im->arena belongs to the roll's loading) */
    bool seal_early;         /* seal unknown ID numbers in blind_row() (not for a dry run) */
} Imp;

/* Writes `reason` into out with "{n}" replaced by n and "{s}" by text, cut to fit. */
static void fill_reason(char *out, size_t outsz, const char *reason, long long n, const char *text) {
    Buf b = BUF_INIT;
    for (const char *p = reason; *p; p++) {
        if (p[0] == '{' && p[1] == 'n' && p[2] == '}') { buf_put_int(&b, n); p += 2; }
        else if (p[0] == '{' && p[1] == 's' && p[2] == '}') { buf_puts(&b, text); p += 2; }
        else buf_append(&b, p, 1);
    }
    str_copy(out, outsz, b.p);
    buf_free(&b);
}

/* Records a problem of row `line` in column `col` (NCOL for the whole row) and marks the row bad:
 * the reason (a message key, NULL for a shared check's message in `text`) with its number and
 * text (see ImportIssue). */
static void issue_with(Imp *im, Row *r, Col col, const char *reason, long long n, const char *text) {
    ImportReport *rep = im->rep;
    r->bad = true;
    if (rep->nissues >= MAX_ISSUES) return;
    if (rep->nissues % 256 == 0) {
        rep->issues = realloc(rep->issues, (rep->nissues + 256) * sizeof *rep->issues);
        if (!rep->issues) abort();
    }
    ImportIssue *is = &rep->issues[rep->nissues++];
    is->row = r->line;
    is->column = col < NCOL ? cols[col].zh : "";
    is->reason = reason;
    is->n = n;
    str_copy(is->text, sizeof is->text, text);
    fill_reason(is->message, sizeof is->message, reason ? reason : "{s}", n, text);
}

/* A problem whose reason is a fixed message key. */
static void issue(Imp *im, Row *r, Col col, const char *reason) { issue_with(im, r, col, reason, 0, ""); }

const char *import_issue_reason(const Req *r, const ImportIssue *is) {
    if (!is->reason) return T(r, is->text);
    char out[256 + sizeof is->text];   /* an English reason is longer than the Chinese one */
    fill_reason(out, sizeof out, T(r, is->reason), is->n, is->text);
    return arena_strdup(r->arena, out);
}

void import_issue_text(const ImportIssue *is, char *out, size_t outsz) {
    if (is->column[0]) snprintf(out, outsz, "第 %zu 行，列「%s」：%s", is->row, is->column, is->message);
    else snprintf(out, outsz, "第 %zu 行：%s", is->row, is->message);
}

void import_report_free(ImportReport *rep) {
    free(rep->issues);
    rep->issues = NULL;
    rep->nissues = 0;
}

/* ---------------------------------------------------------------------------------------------
 * Reading cells */

/* Copies field `col` of a record, trimmed of ASCII and full-width spaces, into out. Returns the
 * length, or -1 when it does not fit (out then holds ""). An absent column gives "". */
static int cell(const Imp *im, Col col, size_t nf, const char *const *f, const size_t *lens, char *out, size_t outsz) {
    out[0] = 0;
    int i = im->colmap[col];
    if (i < 0 || (size_t)i >= nf) return 0;
    const char *s = f[i], *e = f[i] + lens[i];
    for (;;) {
        if (s < e && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) s++;
        else if (e - s >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0) s += 3;
        else break;
    }
    for (;;) {
        if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) e--;
        else if (e - s >= 3 && memcmp(e - 3, "\xe3\x80\x80", 3) == 0) e -= 3;
        else break;
    }
    size_t n = (size_t)(e - s);
    if (n >= outsz) return -1;
    memcpy(out, s, n);
    out[n] = 0;
    return (int)n;
}

/* Normalises an ID number cell: drops a leading apostrophe and spaces, x → X. */
static void norm_idnum(const char *in, char *out, size_t outsz) {
    size_t n = 0;
    if (*in == '\'') in++;
    for (; *in && n + 1 < outsz; in++)
        if (*in != ' ') out[n++] = *in == 'x' ? 'X' : *in;
    out[n] = 0;
}

/* Copies src into dst of size n, cut at n - 1 bytes (callers check lengths first). */
static void setstr(char *dst, size_t n, const char *src) {
    size_t l = strnlen(src, n - 1);
    memcpy(dst, src, l);
    dst[l] = 0;
}

static bool all_digits(const char *s, size_t min, size_t max) {
    size_t n = strlen(s);
    if (n < min || n > max) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* Parses a date cell: YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD, YYYY年M月D日, or (from .xlsx) an Excel
 * date serial. Returns 0 and sets *out, or -1. */
static int parse_date_cell(const Imp *im, const char *s, int32_t *out) {
    int y, m, d;
    if (all_digits(s, 8, 8)) {
        y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        m = (s[4] - '0') * 10 + (s[5] - '0');
        d = (s[6] - '0') * 10 + (s[7] - '0');
        return date_from_ymd(y, m, d, out) == 0 ? 0 : -1;
    }
    char tail[8];
    if (sscanf(s, "%4d-%2d-%2d%1s", &y, &m, &d, tail) == 3 || sscanf(s, "%4d/%2d/%2d%1s", &y, &m, &d, tail) == 3 ||
        sscanf(s, "%4d.%2d.%2d%1s", &y, &m, &d, tail) == 3 || sscanf(s, "%4d年%2d月%2d日%1s", &y, &m, &d, tail) == 3)
        return y >= 1000 && date_from_ymd(y, m, d, out) == 0 ? 0 : -1;
    if (im->xlsx && s[0] >= '0' && s[0] <= '9' && strlen(s) <= 12) {
        char *end;
        double serial = strtod(s, &end);
        if (*end == 0 && serial >= 1 && xlsx_serial_to_date(serial, im->date1904, &y, &m, &d))
            return date_from_ymd(y, m, d, out) == 0 ? 0 : -1;
    }
    return -1;
}

/* Parses a flag cell: 1 for 是/√/1/Y/TRUE, 0 for empty/否/0/×/N/FALSE, -1 otherwise. */
static int parse_flag(const char *s) {
    static const char *const yes[] = {"是", "√", "✓", "✔", "1", "Y", "y", "TRUE", "有", NULL};
    static const char *const no[] = {"", "否", "0", "×", "N", "n", "FALSE", "无", NULL};
    for (int i = 0; yes[i]; i++)
        if (strcmp(s, yes[i]) == 0) return 1;
    for (int i = 0; no[i]; i++)
        if (strcmp(s, no[i]) == 0) return 0;
    return -1;
}

/* Maps the header row; returns false when it is not the header (no 姓名 cell). */
static bool read_header(Imp *im, size_t nf, const char *const *f, const size_t *lens) {
    int map[NCOL];
    for (int c = 0; c < NCOL; c++) map[c] = -1;
    bool has_name = false;
    for (size_t i = 0; i < nf; i++) {
        char h[CELL_MAX];
        int saved = im->colmap[0];
        im->colmap[0] = (int)i;
        int len = cell(im, 0, nf, f, lens, h, sizeof h);
        im->colmap[0] = saved;
        if (len <= 0) continue;
        int c = -1;
        for (int k = 0; k < NCOL; k++)
            if (strcmp(h, cols[k].zh) == 0) c = k;
        for (int k = 0; c < 0 && col_aliases[k].alias; k++)
            if (strcmp(h, col_aliases[k].alias) == 0) c = (int)col_aliases[k].col;
        if (c >= 0 && map[c] < 0) map[c] = (int)i;
        if (c == C_NAME) has_name = true;
    }
    if (!has_name) return false;
    memcpy(im->colmap, map, sizeof map);
    return true;
}

/* The household form's field `name` (people/store.h), whose checks a household cell gets. */
static const Field *household_field(const char *name) {
    for (int i = 0; i < household_nfields; i++)
        if (strcmp(household_fields[i].name, name) == 0) return &household_fields[i];
    return NULL;
}

/* Reads the household cells of a row into a new HhProf (r->prof) when it gives any; an empty
 * cell leaves that value of the household as it is. Each value is checked as the household form
 * checks it; 脱贫情况 is written as the form shows it (一般户, 脱贫户, 监测户). */
static void read_household_cells(Imp *im, Row *r, size_t nf, const char *const *f, const size_t *lens) {
    HhProf hp = {0};
    Req zh = {.arena = im->read_arena, .lang = LANG_ZH};   /* for the checks' messages */
    char v[512];
    for (int k = 0; k < NHH; k++) {
        Col c = hh_cols[k].col;
        if (cell(im, c, nf, f, lens, v, sizeof v) < 0) { issue(im, r, c, "内容过长"); continue; }
        if (!v[0]) continue;
        if (k == HH_POVERTY) {
            for (const Choice *ch = poverty_choices; ch->value && !hp.poverty; ch++)
                if (strcmp(v, ch->label) == 0 || strcmp(v, ch->value) == 0) hp.poverty = ch->value;
            if (!hp.poverty) { issue(im, r, c, "应为 一般户/脱贫户/监测户 之一"); continue; }
        } else {
            const char *code, *msg = field_check(&zh, household_field(hh_cols[k].field), v, &hp.num[k], &code);
            if (msg) { issue_with(im, r, c, NULL, 0, msg); continue; }
            if (k == HH_ADDRESS) hp.address = arena_strdup(im->read_arena, v);
        }
        hp.given |= 1u << k;
    }
    if (!hp.given) return;
    if (im->nprofs == im->capprofs) {
        im->capprofs = im->capprofs ? im->capprofs * 2 : 256;
        im->profs = realloc(im->profs, im->capprofs * sizeof *im->profs);
        if (!im->profs) abort();
    }
    im->profs[im->nprofs] = hp;
    r->prof = (int32_t)im->nprofs++;
}

/* Turns one data record into a Row, collecting its cell-level problems. */
static void read_row(Imp *im, size_t line, size_t nf, const char *const *f, const size_t *lens) {
    if (im->n == im->cap) {
        im->cap = im->cap ? im->cap * 2 : 1024;
        im->rows = realloc(im->rows, im->cap * sizeof *im->rows);
        if (!im->rows) abort();
    }
    Row *r = &im->rows[im->n++];
    memset(r, 0, sizeof *r);
    r->line = (uint32_t)line;
    r->head_row = -1;
    r->known = -1;
    r->prof = -1;
    Person *p = &r->p;
    char v[CELL_MAX];

    if (cell(im, C_NAME, nf, f, lens, v, sizeof p->name) < 0) issue(im, r, C_NAME, "姓名不能超过 30 个字");
    else setstr(p->name, sizeof p->name, v);

    cell(im, C_IDNUM, nf, f, lens, v, sizeof v);
    if (strchr(v, 'E') || strchr(v, 'e') || strchr(v, '.'))
        issue(im, r, C_IDNUM, "身份证号被 Excel 存成了数字，请把该列设置为文本格式后重新填写");
    else norm_idnum(v, p->idnum, sizeof p->idnum);
    if (strlen(v) > 19) issue(im, r, C_IDNUM, "身份证号应为18位（旧证为15位）");

    cell(im, C_SEX, nf, f, lens, v, sizeof v);
    bool sex_given = v[0] != 0;
    if (strcmp(v, "男") == 0) p->sex = 'M';
    else if (strcmp(v, "女") == 0) p->sex = 'F';
    else if (sex_given) issue(im, r, C_SEX, "性别应填「男」或「女」");

    cell(im, C_BIRTH, nf, f, lens, v, sizeof v);
    bool birth_given = v[0] != 0;
    if (birth_given && parse_date_cell(im, v, &p->birth) != 0) issue(im, r, C_BIRTH, "出生日期格式不对（如 1985-03-02、1985/3/2 或 19850302）");

    /* Sex and birth may be left empty when the ID number gives them. */
    IdnumInfo info;
    bool from_id = p->idnum[0] && idnum_parse(p->idnum, &info) == IDNUM_OK;
    if (!sex_given && from_id) p->sex = info.sex == IDNUM_SEX_MALE ? 'M' : 'F';
    else if (!sex_given) issue(im, r, C_SEX, "必填");
    if (!birth_given && from_id) p->birth = info.birth;
    else if (!birth_given) issue(im, r, C_BIRTH, "必填");

    if (cell(im, C_PHONE, nf, f, lens, v, sizeof p->phone) < 0) issue(im, r, C_PHONE, "联系电话过长");
    else setstr(p->phone, sizeof p->phone, v[0] == '\'' ? v + 1 : v);
    if (cell(im, C_ETHNICITY, nf, f, lens, v, sizeof p->ethnicity) < 0) issue(im, r, C_ETHNICITY, "民族不能超过 10 个字");
    else setstr(p->ethnicity, sizeof p->ethnicity, v);
    if (cell(im, C_EDUCATION, nf, f, lens, v, sizeof p->education) < 0) issue(im, r, C_EDUCATION, "文化程度不能超过 10 个字");
    else setstr(p->education, sizeof p->education, v);

    cell(im, C_HEAD, nf, f, lens, v, sizeof v);
    norm_idnum(v, r->head, sizeof r->head);
    if (strlen(v) > 19 || strchr(v, 'E') || strchr(v, '.')) issue(im, r, C_HEAD, "户主身份证号格式不对");

    cell(im, C_RELATION, nf, f, lens, v, sizeof v);
    if (!v[0]) {
        setstr(p->relation, sizeof p->relation, p->idnum[0] && strcmp(p->idnum, r->head) == 0 ? "head" : "other");
    } else {
        for (int i = 0; relation_names[i].zh; i++)
            if (strcmp(v, relation_names[i].zh) == 0) setstr(p->relation, sizeof p->relation, relation_names[i].key);
        if (!p->relation[0])
            issue(im, r, C_RELATION, "应为 户主/配偶/子女/父母/孙子女/祖父母/兄弟姐妹/儿媳女婿/其他 之一");
    }

    cell(im, C_STATUS, nf, f, lens, v, sizeof v);
    setstr(p->status, sizeof p->status, v[0] ? "" : "resident");
    for (int i = 0; v[0] && status_names[i].zh; i++)
        if (strcmp(v, status_names[i].zh) == 0) setstr(p->status, sizeof p->status, status_names[i].key);
    if (!p->status[0]) issue(im, r, C_STATUS, "应为 在家/外出务工/已迁出/已去世 之一");

    cell(im, C_STATUS_DATE, nf, f, lens, v, sizeof v);
    if (v[0]) {
        if (parse_date_cell(im, v, &p->status_date) != 0) issue(im, r, C_STATUS_DATE, "日期格式不对");
        else r->sdate_given = true;
    }
    if (!r->sdate_given && p->status[0] && strcmp(p->status, "resident") != 0) p->status_date = im->today;

    if (cell(im, C_HHNO, nf, f, lens, v, sizeof v) < 0 || utf8_chars(v) > 20) issue(im, r, C_HHNO, "户号不能超过 20 个字符");
    else setstr(r->hh_no, sizeof r->hh_no, v);

    for (int c = C_F_PARTY; c <= C_F_LABOUR; c++) {
        cell(im, (Col)c, nf, f, lens, v, sizeof v);
        int b = parse_flag(v);
        if (b < 0) issue(im, r, (Col)c, "应填「是」或「否」（也可填 √、1 或留空）");
        else if (b) p->flags |= cols[c].flag;
    }

    read_household_cells(im, r, nf, f, lens);

    /* The group: its 15-digit code, or "村名/组名". */
    cell(im, C_GROUP, nf, f, lens, v, sizeof v);
    for (char *s = strstr(v, "／"); s; s = strstr(v, "／")) memmove(s + 1, s + 3, strlen(s + 3) + 1), *s = '/';
    int64_t gi;
    if (!v[0]) issue(im, r, C_GROUP, "必填");
    else if (!map_get(&im->group_by_key, v, &gi)) issue_with(im, r, C_GROUP, "找不到组「{s}」，或它不在您的管辖范围内", 0, v);
    else if (gi < 0) issue_with(im, r, C_GROUP, "「{s}」不止一个，请填写组的15位代码", 0, v);
    else {
        p->unit_id = im->groups[gi].id;
        r->group = (int32_t)gi;
    }

    if (r->bad) return;
    PersonErr e;
    if (!person_check(p, im->today, &e)) {
        static const struct { const char *field; Col col; } fields[] = {
            {"name", C_NAME},   {"sex", C_SEX},           {"birth", C_BIRTH},         {"idnum", C_IDNUM},
            {"phone", C_PHONE}, {"relation", C_RELATION}, {"status", C_STATUS},      {"status_date", C_STATUS_DATE},
            {"ethnicity", C_ETHNICITY}, {"education", C_EDUCATION}, {NULL, NCOL},
        };
        Col c = NCOL;
        for (int i = 0; fields[i].field; i++)
            if (strcmp(fields[i].field, e.field) == 0) c = fields[i].col;
        issue_with(im, r, c, NULL, 0, e.message);
    }
}

/* Record callback shared by the CSV and xlsx readers. */
static int on_record(void *ctx, size_t line, size_t nf, const char *const *f, const size_t *lens) {
    Imp *im = ctx;
    bool empty = true;
    for (size_t i = 0; i < nf && empty; i++)
        for (size_t k = 0; k < lens[i] && empty; k++)
            if (f[i][k] != ' ' && f[i][k] != '\t') empty = false;
    if (empty) return 0;
    if (!im->have_header) {
        if (read_header(im, nf, f, lens)) {
            im->have_header = true;
            return 0;
        }
        if (line >= HEADER_SEARCH_ROWS) {
            snprintf(im->fatal, sizeof im->fatal, "前 %d 行中找不到表头（应有「姓名」列），请使用导入模板", HEADER_SEARCH_ROWS);
            return 1;
        }
        return 0;
    }
    if (im->n >= IMPORT_MAX_ROWS) {
        snprintf(im->fatal, sizeof im->fatal, "文件超过 %d 行，请分成几个文件导入", IMPORT_MAX_ROWS);
        return 1;
    }
    read_row(im, line, nf, f, lens);
    return 0;
}

/* Reads the whole file into im->rows. Returns 0, or -1 with im->fatal set. */
static int read_file(Imp *im, const char *data, size_t n) {
    if (n > IMPORT_MAX_BYTES) {
        snprintf(im->fatal, sizeof im->fatal, "文件超过 20 MB");
        return -1;
    }
    if (n >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
        im->xlsx = true;
        XlsxBook *book;
        XlsxLimits lim = {0, IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS + 1, 0, 0};
        int rc = xlsx_open_mem(&book, data, n, &lim);
        if (rc != XLSX_OK) {
            snprintf(im->fatal, sizeof im->fatal, "无法读取这个 Excel 文件：%s", xlsx_error_zh(rc));
            return -1;
        }
        im->date1904 = xlsx_date1904(book);
        XlsxError err = {0};
        rc = xlsx_read_rows(book, on_record, im, &err);
        xlsx_close(book);
        if (rc != XLSX_OK && !im->fatal[0])
            snprintf(im->fatal, sizeof im->fatal, "第 %zu 行：%s", err.row, xlsx_error_zh(rc));
    } else if ((n >= 8 && memcmp(data, "\xd0\xcf\x11\xe0", 4) == 0)) {
        snprintf(im->fatal, sizeof im->fatal, "这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入");
    } else {
        char *utf8;
        size_t len;
        const char *enc;
        int rc = textenc_to_utf8(data, n, &utf8, &len, &enc);
        if (rc != TEXTENC_OK) {
            snprintf(im->fatal, sizeof im->fatal, "无法识别文件的编码：%s", textenc_error_zh(rc));
            return -1;
        }
        CsvLimits lim = {0, 0, IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS + 1};
        CsvError err = {0};
        rc = csv_parse(utf8, len, &lim, on_record, im, &err);
        free(utf8);
        if (rc != CSV_OK && !im->fatal[0]) snprintf(im->fatal, sizeof im->fatal, "第 %zu 行：%s", err.row, csv_error_zh(rc));
    }
    if (!im->fatal[0] && !im->have_header) snprintf(im->fatal, sizeof im->fatal, "文件是空的，或找不到表头（应有「姓名」列）");
    if (!im->fatal[0]) {
        char missing[300] = "";
        for (int c = 0; c < NCOL; c++)
            if (cols[c].required && im->colmap[c] < 0) {
                size_t l = strlen(missing);
                snprintf(missing + l, sizeof missing - l, "%s%s", l ? "、" : "", cols[c].zh);
            }
        if (missing[0]) snprintf(im->fatal, sizeof im->fatal, "缺少必填列：%s", missing);
    }
    return im->fatal[0] ? -1 : 0;
}

/* ---------------------------------------------------------------------------------------------
 * The roll as it is: groups in scope and people already registered */

static int load_groups(Imp *im, const char *scope) {
    Stmt *st = db_prep("SELECT g.id, coalesce(g.code, ''), v.name, g.name FROM unit g JOIN unit v ON v.id = g.parent_id"
                       " WHERE g.kind = 'group' AND g.end_date IS NULL AND g.path BETWEEN :scope AND :scope || '~' ORDER BY g.id");
    if (!st) return -1;
    db_bind_text(st, ":scope", scope);
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        if (im->ngroups == cap) {
            cap = cap ? cap * 2 : 256;
            im->groups = realloc(im->groups, cap * sizeof *im->groups);
            if (!im->groups) abort();
        }
        Group *g = &im->groups[im->ngroups];
        g->id = db_col_int(st, 0);
        snprintf(g->label, sizeof g->label, "%s/%s", db_col_text(st, 2), db_col_text(st, 3));
        char idtext[24];
        snprintf(idtext, sizeof idtext, "%lld", (long long)g->id);
        map_add(&im->group_index, idtext, (int64_t)im->ngroups, NULL);
        if (*db_col_text(st, 1)) map_add(&im->group_by_key, db_col_text(st, 1), (int64_t)im->ngroups, NULL);
        size_t j = map_find(&im->group_by_key, g->label);
        if (im->group_by_key.keys[j]) im->group_by_key.vals[j] = -1;   /* the same name twice: ambiguous */
        else map_add(&im->group_by_key, g->label, (int64_t)im->ngroups, NULL);
        im->ngroups++;
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

static bool group_in_scope(const Imp *im, int64_t unit_id) {
    char idtext[24];
    int64_t gi;
    snprintf(idtext, sizeof idtext, "%lld", (long long)unit_id);
    return map_get(&im->group_index, idtext, &gi);
}

/* The digest of the fields that decide "unchanged", everything an import can set: the numbers
 * (group, household, birth, status date, flags) and the texts (relation, name, sex, phone,
 * ethnicity, education, status), each text with its terminating zero. */
enum { DG_UNIT, DG_HH, DG_BIRTH, DG_SDATE, DG_FLAGS, DG_NUMS };
enum { DG_REL, DG_NAME, DG_SEX, DG_PHONE, DG_ETH, DG_EDU, DG_STATUS, DG_TEXTS };

static uint64_t digest(const int64_t nums[DG_NUMS], const char *const texts[DG_TEXTS]) {
    uint64_t h = fnv1a_more(FNV_OFFSET, nums, DG_NUMS * sizeof *nums);
    for (int i = 0; i < DG_TEXTS; i++) h = fnv1a_more(h, texts[i], strlen(texts[i]) + 1);
    return h;
}

static uint64_t person_digest(const Person *p, int64_t household) {
    const char sex[2] = {p->sex, 0};
    const int64_t nums[DG_NUMS] = {p->unit_id, household, p->birth, p->status_date, p->flags};
    const char *const texts[DG_TEXTS] = {p->relation, p->name, sex, p->phone, p->ethnicity, p->education, p->status};
    return digest(nums, texts);
}

/* Key of a person without ID number: group, household, name, birth. */
static void noid_key(char *out, size_t outsz, int64_t unit, int64_t hh, const char *name, int32_t birth) {
    snprintf(out, outsz, "%lld|%lld|%s|%d", (long long)unit, (long long)hh, name, birth);
}

/* One scan of the person table fills the lookups by blind index and by the no-ID key. */
static int load_known(Imp *im) {
    int64_t total = db_one_int(db_prep("SELECT count(*) FROM person"), 0);
    map_init(&im->known_by_blind, (size_t)total + 16, im->arena);
    map_init(&im->known_by_key, 1024, im->arena);
    im->known = calloc((size_t)total + 1, sizeof *im->known);
    if (!im->known) abort();
    Stmt *st = db_prep("SELECT id, coalesce(idnum_blind, ''), unit_id, coalesce(household_id, 0), relation, name, sex, birth,"
                       " phone, ethnicity, education, status, coalesce(status_date, ''), flags FROM person");
    if (!st) return -1;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW && im->nknown < (size_t)total + 1) {
        Known *k = &im->known[im->nknown];
        int32_t birth = 0, sdate = 0;
        k->id = db_col_int(st, 0);
        k->unit_id = db_col_int(st, 2);
        k->hh = db_col_int(st, 3);
        date_parse(db_col_text(st, 7), &birth);
        if (*db_col_text(st, 12)) date_parse(db_col_text(st, 12), &sdate);
        const int64_t nums[DG_NUMS] = {k->unit_id, k->hh, birth, sdate, db_col_int(st, 13)};
        const char *const texts[DG_TEXTS] = {db_col_text(st, 4), db_col_text(st, 5), db_col_text(st, 6), db_col_text(st, 8),
                                             db_col_text(st, 9), db_col_text(st, 10), db_col_text(st, 11)};
        k->digest = digest(nums, texts);
        k->status_date = sdate;
        setstr(k->status, sizeof k->status, texts[DG_STATUS]);
        const char *blind = db_col_text(st, 1);
        if (blind[0]) {
            map_add(&im->known_by_blind, blind, (int64_t)im->nknown, NULL);
        } else {
            char key[200];
            noid_key(key, sizeof key, k->unit_id, k->hh, texts[DG_NAME], birth);
            map_add(&im->known_by_key, key, (int64_t)im->nknown, NULL);
        }
        im->nknown++;
    }
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* The roll's entry for a blind index, or NULL. */
static Known *known_by_blind(Imp *im, const char *blind) {
    int64_t i;
    return map_get(&im->known_by_blind, blind, &i) ? &im->known[i] : NULL;
}

/* The roll's entry for an ID number, or NULL. */
static Known *known_by_idnum(Imp *im, const char *idnum) {
    char blind[33];
    people_idnum_blind(idnum, blind);
    return known_by_blind(im, blind);
}

/* ---------------------------------------------------------------------------------------------
 * Work per row on two threads
 *
 * The blind indexes of the file's ID numbers, and the sealed numbers and pinyin initials of new
 * people, depend on one row each and on no database: this thread and one helper take chunks of
 * rows in turn. libsodium is thread-safe once crypto_load_key() has initialised it, each thread
 * draws nonces from its own pool, and pinyin_initials() keeps an iconv descriptor per thread. */

enum { POOL_CHUNK = 1024 };

typedef struct Pool {
    Imp *im;
    void (*fn)(Imp *im, size_t row);
    atomic_size_t next;      /* first row not yet taken */
    pthread_t helper;
    bool helping;            /* the helper thread runs */
} Pool;

/* Takes chunks of rows and runs fn on each row until none is left. */
static void pool_work(Pool *pl) {
    size_t n = pl->im->n;
    for (;;) {
        size_t from = atomic_fetch_add(&pl->next, POOL_CHUNK);
        if (from >= n) return;
        size_t to = n - from > POOL_CHUNK ? from + POOL_CHUNK : n;
        for (size_t i = from; i < to; i++) pl->fn(pl->im, i);
    }
}

/* The helper thread: works on the pool's rows (arg) until none is left. */
static void *pool_helper(void *arg) {
    pool_work(arg);
    return NULL;
}

/* Starts the helper on fn over every row; this thread is free until pool_finish(). A file of a
 * few chunks, or a failed pthread_create, leaves all the work to pool_finish(). */
static void pool_start(Pool *pl, Imp *im, void (*fn)(Imp *, size_t)) {
    pl->im = im;
    pl->fn = fn;
    atomic_init(&pl->next, 0);
    pl->helping = im->n > 4 * POOL_CHUNK && pthread_create(&pl->helper, NULL, pool_helper, pl) == 0;
}

/* Works on the rows left alongside the helper, then waits for it: every row is done on return. */
static void pool_finish(Pool *pl) {
    pool_work(pl);
    if (pl->helping) pthread_join(pl->helper, NULL);
    pl->helping = false;
}

/* Runs fn over every row on both threads. */
static void pool_run(Imp *im, void (*fn)(Imp *, size_t)) {
    Pool pl;
    pool_start(&pl, im, fn);
    pool_finish(&pl);
}

/* Seals row i's ID number and works out its initials. */
static void seal_row(Imp *im, size_t i) {
    const Row *r = &im->rows[i];
    Fresh *f = &im->fresh[i];
    f->ok = people_seal_idnum_blind(r->p.idnum, r->blind[0] ? r->blind : NULL, &f->id) == 0;
    pinyin_initials(r->p.name, f->initials, sizeof f->initials);
    f->done = true;
}

/* Works out the blind index of row i's ID number. A number the roll does not have makes a new
 * person (unless a later check finds the row bad), so it is sealed now, while both threads are
 * busy with the rows anyway, rather than later. The roll's map is complete and only read here. */
static void blind_row(Imp *im, size_t i) {
    Row *r = &im->rows[i];
    if (r->bad || !r->p.idnum[0]) return;
    people_idnum_blind(r->p.idnum, r->blind);
    if (im->seal_early && !known_by_blind(im, r->blind)) seal_row(im, i);
}

/* Seals row i's ID number and works out its initials when it is a new person not done yet (one
 * without ID number). */
static void fresh_row(Imp *im, size_t i) {
    const Row *r = &im->rows[i];
    if (!r->bad && r->action == ACT_CREATE && !im->fresh[i].done) seal_row(im, i);
}

/* ---------------------------------------------------------------------------------------------
 * Checks across rows */

/* Finds duplicates within the file and rows whose ID number belongs to someone outside the scope. */
static void check_duplicates(Imp *im, StrMap *by_id) {
    StrMap by_key;
    map_init(&by_key, 1024, im->arena);
    for (size_t i = 0; i < im->n; i++) {
        Row *r = &im->rows[i];
        if (r->bad) continue;
        int64_t first;
        if (r->p.idnum[0]) {
            if (!map_add(by_id, r->p.idnum, (int64_t)i, &first)) {
                issue_with(im, r, C_IDNUM, "与第 {n} 行的身份证号重复", im->rows[first].line, "");
                continue;
            }
            Known *k = known_by_blind(im, r->blind);
            if (k && !group_in_scope(im, k->unit_id)) issue(im, r, C_IDNUM, "这个身份证号已登记在您管辖范围以外的组");
            else if (k) { r->existing = k->id; r->known = (int32_t)(k - im->known); }
        } else {
            char key[200];
            snprintf(key, sizeof key, "%lld|%s|%s|%d", (long long)r->p.unit_id, r->head, r->p.name, r->p.birth);
            if (!map_add(&by_key, key, (int64_t)i, &first))
                issue_with(im, r, NCOL, "与第 {n} 行重复（同组、同户主、同姓名、同出生日期）", im->rows[first].line, "");
        }
    }
    map_free(&by_key);
}

/* The household numbers of the groups the file adds households to. taken: "group|户号" → the row
 * of the file's new household that takes it, or -1 for a household on the roll; per group (by its
 * index in im->groups), whether its roll was read, and its highest number of 1–9 digits, the
 * roll's and the file's, with the width they are written in (0013: 4). */
typedef struct HhNumbers { StrMap taken; struct { bool loaded; long long top; int width; } *group; } HhNumbers;

/* Raises group g's highest number to `no` when it is one of digits only. */
static void numbers_raise(HhNumbers *n, int64_t g, const char *no) {
    if (!hh_no_numeric(no)) return;
    long long v = strtoll(no, NULL, 10);
    if (v > n->group[g].top) n->group[g].top = v;
    if ((int)strlen(no) > n->group[g].width) n->group[g].width = (int)strlen(no);
}

/* Reads the numbers of group g's households on the roll into n, once (an ended household's number
 * is not taken, but new numbers still follow it). Returns 0 or -1. */
static int numbers_load(const Imp *im, HhNumbers *n, int64_t g) {
    if (n->group[g].loaded) return 0;
    n->group[g].loaded = true;
    Stmt *st = db_prep("SELECT hh_no, ended_at IS NULL FROM household WHERE unit_id = :u AND hh_no != ''");
    if (!st) return -1;
    db_bind_int(st, ":u", im->groups[g].id);
    int rc;
    char key[64];
    while ((rc = db_step(st)) == SQLITE_ROW) {
        numbers_raise(n, g, db_col_text(st, 0));
        snprintf(key, sizeof key, "%lld|%s", (long long)im->groups[g].id, db_col_text(st, 0));
        if (db_col_int(st, 1)) map_add(&n->taken, key, -1, NULL);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* A new household's 户号, when the file gives one, must be free in its group, as the household
 * form requires: not another household's on the roll, nor another new one's in the file. */
static void check_new_number(Imp *im, Row *r, HhNumbers *n, int64_t g) {
    char key[64];
    snprintf(key, sizeof key, "%lld|%s", (long long)r->p.unit_id, r->hh_no);
    int64_t first;
    if (!map_get(&n->taken, key, &first)) {
        map_add(&n->taken, key, (int64_t)(r - im->rows), NULL);
        numbers_raise(n, g, r->hh_no);
    } else if (first < 0) {
        issue_with(im, r, C_HHNO, "本组已有户号为 {s} 的户", 0, r->hh_no);
    } else {
        issue_with(im, r, C_HHNO, "户号 {s} 与第 {n} 行新建的户相同；同一个组的户号不能重复", im->rows[first].line, r->hh_no);
    }
}

/* Checks the 户号 of each new household the file gives one, then numbers those it leaves without
 * one after their group's highest number, the roll's and the file's, as wide, in file order (0013
 * is followed by 0014): the household form requires a number, and the lists link each household by
 * it. Returns 0, or -1 when the roll cannot be read. */
static int number_new_households(Imp *im) {
    HhNumbers n = {.group = calloc(im->ngroups + 1, sizeof *n.group)};
    if (!n.group) abort();
    map_init(&n.taken, 64, im->arena);
    int rc = 0;
    for (int pass = 0; pass < 2 && rc == 0; pass++) {   /* the file's own numbers first, then the blanks */
        for (size_t i = 0; i < im->n && rc == 0; i++) {
            Row *r = &im->rows[i];
            if (r->bad || !r->need_hh || (pass == 0) != (r->hh_no[0] != 0)) continue;
            if ((rc = numbers_load(im, &n, r->group)) != 0) break;
            if (pass == 0) check_new_number(im, r, &n, r->group);
            else hh_no_format(r->hh_no, ++n.group[r->group].top, n.group[r->group].width);
        }
    }
    map_free(&n.taken);
    free(n.group);
    return rc;
}

/* The reason given for a row that would live in an ended household. */
#define ENDED_HOUSEHOLD "户主所在的户已注销，请先在户页上恢复此户"

/* Reads the ids of the ended households (注销, 022_household_end.sql): few, from their index. */
static int load_ended(Imp *im) {
    Stmt *st = db_prep("SELECT id FROM household INDEXED BY household_ended WHERE ended_at IS NOT NULL ORDER BY id");
    if (!st) return -1;
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        if (im->nended == cap) {
            cap = cap ? 2 * cap : 64;
            im->ended = realloc(im->ended, cap * sizeof *im->ended);
            if (!im->ended) abort();
        }
        im->ended[im->nended++] = db_col_int(st, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* True when a row would have someone live at home or away in an ended household: its head is in
 * one on the roll. The household must be restored first, as on its page. */
static bool joins_ended(const Imp *im, const Row *r) {
    if (!r->hh_existing || (strcmp(r->p.status, "resident") != 0 && strcmp(r->p.status, "migrant") != 0)) return false;
    size_t lo = 0, hi = im->nended;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (im->ended[mid] < r->hh_existing) lo = mid + 1;
        else hi = mid;
    }
    return lo < im->nended && im->ended[lo] == r->hh_existing;
}

/* Finds each row's household head in the file or on the roll. Heads are settled first so that a
 * member of a bad head's household is reported too. Returns 0, or -1 when the roll cannot be read. */
static int resolve_heads(Imp *im, const StrMap *by_id) {
    if (load_ended(im) != 0) return -1;
    for (size_t i = 0; i < im->n; i++) {
        Row *r = &im->rows[i];
        if (r->bad || strcmp(r->p.relation, "head") != 0) continue;
        if (!r->p.idnum[0]) { issue(im, r, C_IDNUM, "户主须填写身份证号"); continue; }
        if (r->head[0] && strcmp(r->head, r->p.idnum) != 0) { issue(im, r, C_HEAD, "户主本人的户主身份证号应与本人身份证号相同"); continue; }
        Known *k = r->known >= 0 ? &im->known[r->known] : NULL;
        if (k && k->hh) r->hh_existing = k->hh;
        else r->need_hh = true;
        if (joins_ended(im, r)) issue(im, r, C_STATUS, ENDED_HOUSEHOLD);
    }
    if (number_new_households(im) != 0) return -1;
    for (size_t i = 0; i < im->n; i++) {
        Row *r = &im->rows[i];
        if (r->bad || strcmp(r->p.relation, "head") == 0 || !r->head[0]) continue;
        int64_t j;
        if (map_get(by_id, r->head, &j)) {
            Row *h = &im->rows[j];
            if (h->bad) issue_with(im, r, C_HEAD, "户主所在的第 {n} 行有错误", h->line, "");
            else if (strcmp(h->p.relation, "head") != 0) issue_with(im, r, C_HEAD, "第 {n} 行的与户主关系不是「户主」", h->line, "");
            else if (h->p.unit_id != r->p.unit_id) issue_with(im, r, C_GROUP, "与户主（第 {n} 行）不在同一个组", h->line, "");
            else { r->head_row = (int32_t)j; r->hh_existing = h->hh_existing; }
            continue;
        }
        Known *k = known_by_idnum(im, r->head);
        if (!k || !group_in_scope(im, k->unit_id)) issue(im, r, C_HEAD, "户主身份证号在本文件和花名册中都找不到");
        else if (!k->hh) issue(im, r, C_HEAD, "这位户主在花名册中还没有户");
        else if (k->unit_id != r->p.unit_id) issue(im, r, C_GROUP, "与户主不在同一个组");
        else r->hh_existing = k->hh;
    }
    for (size_t i = 0; i < im->n; i++)   /* members of a head in the file whose household is ended */
        if (!im->rows[i].bad && joins_ended(im, &im->rows[i])) issue(im, &im->rows[i], C_HEAD, ENDED_HOUSEHOLD);
    return 0;
}

/* True when value k of two rows' household cells is the same. */
static bool same_cell(const HhProf *a, const HhProf *b, int k) {
    if (k == HH_ADDRESS) return strcmp(a->address, b->address) == 0;
    if (k == HH_POVERTY) return strcmp(a->poverty, b->poverty) == 0;
    return a->num[k] == b->num[k];
}

/* Household cells describe the household, so they are read on the head's row. A member's row may
 * repeat them (rosters often fill every row of a household) but not contradict them. */
static void check_household_cells(Imp *im) {
    for (size_t i = 0; i < im->n; i++) {
        Row *r = &im->rows[i];
        if (r->bad || r->prof < 0 || strcmp(r->p.relation, "head") == 0) continue;
        const Row *h = r->head_row >= 0 ? &im->rows[r->head_row] : NULL;
        const HhProf *mine = &im->profs[r->prof], *head = h && h->prof >= 0 ? &im->profs[h->prof] : NULL;
        for (int k = 0; k < NHH; k++) {
            if (!(mine->given & (1u << k))) continue;
            if (!h) {
                issue(im, r, hh_cols[k].col, "户的信息请写在户主那一行（户主不在本文件中时，成员行留空）");
                break;
            }
            if (!head || !(head->given & (1u << k)) || !same_cell(mine, head, k)) {
                issue_with(im, r, hh_cols[k].col, "与户主那一行（第 {n} 行）填写的不一致；户的信息以户主那一行为准", h->line, "");
                break;
            }
        }
    }
}

/* Marks each head whose household is on the roll and whose household cells differ from it
 * (Row.hh_change), and counts them. An empty cell changes nothing, so re-importing the file
 * that wrote them finds nothing to change. */
static int household_changes(Imp *im) {
    Stmt *st = db_prep("SELECT address, farmland_c, forest_c, livestock, poultry, poverty FROM household WHERE id = :id");
    if (!st) return -1;
    for (size_t i = 0; i < im->n; i++) {
        Row *r = &im->rows[i];
        if (r->bad || r->prof < 0 || r->need_hh || !r->hh_existing || strcmp(r->p.relation, "head") != 0) continue;
        db_bind_int(st, ":id", r->hh_existing);
        if (db_step(st) != SQLITE_ROW) { sqlite3_reset(st); return -1; }
        HhProf now = {.given = ~0u, .address = db_col_text(st, HH_ADDRESS), .poverty = db_col_text(st, HH_POVERTY)};
        for (int k = HH_FARMLAND; k <= HH_POULTRY; k++) now.num[k] = db_col_int(st, k);   /* columns in HH_* order */
        const HhProf *mine = &im->profs[r->prof];
        for (int k = 0; k < NHH && !r->hh_change; k++)
            if ((mine->given & (1u << k)) && !same_cell(mine, &now, k)) r->hh_change = true;
        sqlite3_reset(st);
        im->rep->households_updated += r->hh_change;
    }
    return 0;
}

/* Decides create / update / unchanged for each good row. A member of a household still to be
 * created has household -1 here, so an existing person moving into it counts as changed. */
static void classify(Imp *im) {
    for (size_t i = 0; i < im->n; i++) {
        Row *r = &im->rows[i];
        if (r->bad) continue;
        bool new_hh = r->need_hh || (r->head_row >= 0 && im->rows[r->head_row].need_hh);
        int64_t hh = new_hh ? -1 : r->hh_existing;
        Known *k = r->known >= 0 ? &im->known[r->known] : NULL;
        if (!k && !r->p.idnum[0] && hh >= 0) {
            char key[200];
            int64_t ki;
            noid_key(key, sizeof key, r->p.unit_id, hh, r->p.name, r->p.birth);
            if (map_get(&im->known_by_key, key, &ki)) {
                k = &im->known[ki];
                r->known = (int32_t)ki;
                r->existing = k->id;
            }
        }
        if (!k) { r->action = ACT_CREATE; continue; }
        if (!r->sdate_given && strcmp(k->status, r->p.status) == 0) r->p.status_date = k->status_date;
        r->action = person_digest(&r->p, hh) == k->digest ? ACT_SAME : ACT_UPDATE;
    }
}

/* Fills the preview with the first good rows as they will be stored. */
static void fill_preview(Imp *im) {
    ImportReport *rep = im->rep;
    for (size_t i = 0; i < im->n && rep->npreview < IMPORT_PREVIEW_ROWS; i++) {
        const Row *r = &im->rows[i];
        if (r->bad) continue;
        ImportPreview *pv = &rep->preview[rep->npreview++];
        memset(pv, 0, sizeof *pv);
        pv->row = r->line;
        setstr(pv->action, sizeof pv->action, r->action == ACT_CREATE ? "create" : r->action == ACT_UPDATE ? "update" : "same");
        setstr(pv->name, sizeof pv->name, r->p.name);
        setstr(pv->sex, sizeof pv->sex, r->p.sex == 'M' ? "男" : "女");
        date_format(r->p.birth, pv->birth, sizeof pv->birth);
        if (r->p.idnum[0]) idnum_mask(r->p.idnum, pv->idmask, sizeof pv->idmask);
        char idtext[24];
        int64_t gi;
        snprintf(idtext, sizeof idtext, "%lld", (long long)r->p.unit_id);
        if (map_get(&im->group_index, idtext, &gi)) setstr(pv->group, sizeof pv->group, im->groups[gi].label);
        setstr(pv->relation, sizeof pv->relation, relation_zh(r->p.relation));
        setstr(pv->status, sizeof pv->status, status_zh(r->p.status));
        for (int k = 0; person_flags[k].key; k++)
            if (r->p.flags & person_flags[k].bit) {
                size_t l = strlen(pv->flags);
                snprintf(pv->flags + l, sizeof pv->flags - l, "%s%s", l ? "、" : "", person_flags[k].zh);
            }
    }
}

/* ---------------------------------------------------------------------------------------------
 * Writing */

/* Rewrites the fields an import sets on an existing person and records the change in its history. */
static int update_person(const Person *p, int64_t id, const Known *before) {
    char today[16];
    Stmt *st = db_prep("UPDATE person SET unit_id = :unit, household_id = :hh, relation = :rel, name = :name,"
                       " initials = :ini, sex = :sex, birth = :birth, phone = :phone, ethnicity = :eth, education = :edu,"
                       " status = :status, status_date = :sdate, flags = :flags WHERE id = :id");
    person_bind(st, p, NULL);
    db_bind_int(st, ":id", id);
    if (db_exec(st)) return -1;
    const char *kind = before->unit_id != p->unit_id ? "moved" : strcmp(before->status, p->status) != 0 ? "status"
                     : before->hh != p->household_id ? "household" : "corrected";
    date_format(date_today(), today, sizeof today);
    return person_event_add(id, kind, today, before->unit_id, p->unit_id, before->hh, p->household_id, "花名册导入") ? -1 : 0;
}

/* Puts the household cells of a head's row on a household still to be created. */
static void household_cells_to(const HhProf *hp, NewHousehold *h) {
    if (hp->given & 1u << HH_ADDRESS) h->address = hp->address;
    if (hp->given & 1u << HH_FARMLAND) h->farmland_c = hp->num[HH_FARMLAND];
    if (hp->given & 1u << HH_FOREST) h->forest_c = hp->num[HH_FOREST];
    if (hp->given & 1u << HH_LIVESTOCK) h->livestock = hp->num[HH_LIVESTOCK];
    if (hp->given & 1u << HH_POULTRY) h->poultry = hp->num[HH_POULTRY];
    if (hp->given & 1u << HH_POVERTY) setstr(h->poverty, sizeof h->poverty, hp->poverty);
}

/* Writes a head's household cells over its household on the roll; an empty cell keeps the value. */
static int update_household(const Imp *im, const Row *r) {
    const HhProf *hp = &im->profs[r->prof];
    Stmt *st = db_prep("UPDATE household SET address = coalesce(:address, address), farmland_c = coalesce(:farmland, farmland_c),"
                       " forest_c = coalesce(:forest, forest_c), livestock = coalesce(:livestock, livestock),"
                       " poultry = coalesce(:poultry, poultry), poverty = coalesce(:poverty, poverty) WHERE id = :id");
    if (!st) return -1;
    static const char *const params[NHH] = {
        [HH_ADDRESS] = ":address", [HH_FARMLAND] = ":farmland", [HH_FOREST] = ":forest",
        [HH_LIVESTOCK] = ":livestock", [HH_POULTRY] = ":poultry", [HH_POVERTY] = ":poverty",
    };
    for (int k = 0; k < NHH; k++) {
        if (!(hp->given & (1u << k))) db_bind_null(st, params[k]);
        else if (k == HH_ADDRESS) db_bind_text(st, params[k], hp->address);
        else if (k == HH_POVERTY) db_bind_text(st, params[k], hp->poverty);
        else db_bind_int(st, params[k], hp->num[k]);
    }
    db_bind_int(st, ":id", r->hh_existing);
    return db_exec(st) ? -1 : 0;
}

static bool is_head(const Row *r) { return strcmp(r->p.relation, "head") == 0; }

/* Write order: group by group, household by household, the head first, then the file's order.
 * New people's ids and their entries in the (group, name) and household indexes then follow each
 * other instead of landing all over the b-trees. */
static int cmp_write_order(const void *x, const void *y) {
    const Row *a = *(Row *const *)x, *b = *(Row *const *)y;
    if (a->p.unit_id != b->p.unit_id) return a->p.unit_id < b->p.unit_id ? -1 : 1;
    if (a->p.household_id != b->p.household_id) return a->p.household_id < b->p.household_id ? -1 : 1;
    if (is_head(a) != is_head(b)) return is_head(a) ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

/* Writes every good row in one transaction with the batch's audit entry, through the roll's bulk
 * load (people_bulk_*, bulk.c): the households of new heads, with their heads and representatives;
 * changed people in write order; new people in write order (their ID numbers sealed by the pool
 * meanwhile) by one statement, with their counts and history. When the file at least doubles the
 * roll, person's secondary indexes are dropped and built again (bench/import: 0.6 s less CPU for
 * 240,000 people into an empty roll; into the demo county's 237,000 about the same CPU either way).
 * Returns 0 or -1. */
static int write_all(Imp *im, const Actor *a, const ImportOpts *o) {
    ImportReport *rep = im->rep;
    char today[16];
    date_format(date_today(), today, sizeof today);
    Row **order = calloc(im->n + 1, sizeof *order);
    NewPerson *news = calloc((size_t)rep->created + 1, sizeof *news);
    size_t nh = 0;
    for (size_t i = 0; i < im->n; i++) nh += !im->rows[i].bad && im->rows[i].need_hh;
    NewHousehold *hhs = calloc(nh + 1, sizeof *hhs);
    if (!order || !news || !hhs) abort();
    Pool pl;
    pool_start(&pl, im, fresh_row);
    PeopleBulk b;
    bool bulk = rep->created >= BULK_MIN_ROWS && (size_t)rep->created >= im->nknown;
    /* Only the command line leaves WAL: a server's other threads would open connections in the
     * rollback-journal mode meanwhile, and the switch back could then fail. */
    bool journal = bulk && o->sole_user;
    if (journal) db_bulk_mode(true);
    if (db_begin() != 0) { pool_finish(&pl); goto done; }
    if (people_bulk_begin(&b, bulk) != 0) goto fail;
    nh = 0;
    for (size_t i = 0; i < im->n; i++) {
        Row *r = &im->rows[i];
        if (r->bad || !is_head(r)) continue;
        if (r->need_hh) {
            NewHousehold *h = &hhs[nh++];
            h->id = b.next_household++;
            h->unit_id = r->p.unit_id;
            setstr(h->hh_no, sizeof h->hh_no, r->hh_no);
            if (r->prof >= 0) household_cells_to(&im->profs[r->prof], h);
            r->p.household_id = h->id;
        } else {
            r->p.household_id = r->hh_existing;
        }
    }
    size_t n = 0, nnew = 0;
    for (size_t i = 0; i < im->n; i++) {
        Row *r = &im->rows[i];
        if (r->bad) continue;
        if (!is_head(r)) r->p.household_id = r->head_row >= 0 ? im->rows[r->head_row].p.household_id : r->hh_existing;
        if (r->action != ACT_SAME) order[n++] = r;
    }
    qsort(order, n, sizeof *order, cmp_write_order);
    for (size_t i = 0; i < n; i++)
        order[i]->p.id = order[i]->action == ACT_CREATE ? b.next_person++ : im->known[order[i]->known].id;
    for (size_t i = 0, k = 0; i < im->n; i++) {
        const Row *r = &im->rows[i];
        if (r->bad || !is_head(r) || !r->need_hh) continue;
        hhs[k].head_id = hhs[k].rep_id = r->p.id;   /* the head is its own representative */
        k++;
    }
    if (people_bulk_households(&b, hhs, nh) != 0) goto fail;
    rep->households = (int)nh;
    for (size_t i = 0; i < im->n; i++)
        if (!im->rows[i].bad && im->rows[i].hh_change && update_household(im, &im->rows[i]) != 0) goto fail;
    for (size_t i = 0; i < n; i++)
        if (order[i]->action == ACT_UPDATE && update_person(&order[i]->p, order[i]->p.id, &im->known[order[i]->known]) != 0)
            goto fail;
    pool_finish(&pl);
    for (size_t i = 0; i < n; i++) {
        Row *r = order[i];
        const Fresh *f = &im->fresh[r - im->rows];
        if (r->action != ACT_CREATE) continue;
        if (!f->ok) goto fail;   /* crypto not ready */
        news[nnew++] = (NewPerson){&r->p, &f->id, f->initials};
    }
    if (people_bulk_people(&b, news, nnew) != 0 || people_bulk_heads(&b, hhs, nh) != 0 || people_bulk_end(&b, today) != 0)
        goto fail;
    json_t *after = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "file", o->filename ? o->filename : "",
                              "sha256", rep->sha256, "rows", rep->rows, "created", rep->created, "updated", rep->updated,
                              "unchanged", rep->unchanged, "bad", rep->bad, "households", rep->households,
                              "households_updated", rep->households_updated);
    if (audit_append(a, "import", "person", 0, o->scope_unit, NULL, after) != 0) goto fail;
    if (db_commit() != 0) goto fail;
    if (journal) db_bulk_mode(false);
    free(order);
    free(news);
    free(hhs);
    return 0;
fail:
    pool_finish(&pl);
    db_rollback();
done:
    if (journal) db_bulk_mode(false);
    free(order);
    free(news);
    free(hhs);
    rep->households = 0;
    return -1;
}

/* The file is read and checked cell by cell on a thread of its own while this one loads the roll:
 * the two share nothing but the groups, which are loaded before and only looked up. */
typedef struct ReadJob { Imp *im; const char *data; size_t n; int rc; } ReadJob;

/* The reading thread: runs read_file() for the job (arg) and keeps its result. */
static void *read_job(void *arg) {
    ReadJob *j = arg;
    j->rc = read_file(j->im, j->data, j->n);
    return NULL;
}

/* Loads the roll (load_known) and hashes the file (rep->sha256) while it is read (read_file) at
 * the same time: on a first import, with no roll to load, the hash (~0.2 s for 20 MB) costs no
 * wall time. Returns IMPORT_OK, IMPORT_DB_ERROR or IMPORT_BAD_FILE with rep->fatal set. */
static int load_and_read(Imp *im, const char *data, size_t n) {
    ReadJob job = {im, data, n, 0};
    pthread_t reader;
    bool threaded = pthread_create(&reader, NULL, read_job, &job) == 0;
    int known = load_known(im);
    crypto_sha256_hex(data, n, im->rep->sha256);
    if (threaded) pthread_join(reader, NULL);
    else job.rc = read_file(im, data, n);
    if (known != 0) {
        snprintf(im->rep->fatal, sizeof im->rep->fatal, "读取数据库失败：%s", db_errmsg());
        return IMPORT_DB_ERROR;
    }
    if (job.rc != 0) {
        snprintf(im->rep->fatal, sizeof im->rep->fatal, "%s", im->fatal);
        return IMPORT_BAD_FILE;
    }
    return IMPORT_OK;
}

int import_people(const Actor *a, const char *data, size_t n, const ImportOpts *o, ImportReport *rep) {
    memset(rep, 0, sizeof *rep);
    Imp im = {0};
    im.arena = arena_new();
    im.read_arena = arena_new();
    im.rep = rep;
    im.today = date_today();
    for (int c = 0; c < NCOL; c++) im.colmap[c] = -1;
    map_init(&im.group_by_key, 2048, im.arena);
    map_init(&im.group_index, 2048, im.arena);
    int result = IMPORT_OK;
    StrMap by_id = {0};
    if (load_groups(&im, o->scope_path && o->scope_path[0] ? o->scope_path : "/") != 0) {
        snprintf(rep->fatal, sizeof rep->fatal, "读取数据库失败：%s", db_errmsg());
        result = IMPORT_DB_ERROR;
        goto done;
    }
    result = load_and_read(&im, data, n);
    if (result != IMPORT_OK) goto done;
    im.seal_early = !o->dry_run;
    im.fresh = calloc(im.n + 1, sizeof *im.fresh);
    if (!im.fresh) abort();
    pool_run(&im, blind_row);
    map_init(&by_id, im.n + 16, im.arena);
    check_duplicates(&im, &by_id);
    int heads = resolve_heads(&im, &by_id);
    check_household_cells(&im);
    classify(&im);
    if (heads != 0 || household_changes(&im) != 0) {
        snprintf(rep->fatal, sizeof rep->fatal, "读取数据库失败：%s", db_errmsg());
        result = IMPORT_DB_ERROR;
        goto done;
    }
    rep->rows = (int)im.n;
    for (size_t i = 0; i < im.n; i++) {
        const Row *r = &im.rows[i];
        if (r->bad) rep->bad++;
        else if (r->action == ACT_CREATE) rep->created++;
        else if (r->action == ACT_UPDATE) rep->updated++;
        else rep->unchanged++;
    }
    for (size_t i = 0; i < im.n; i++) rep->households += im.rows[i].need_hh && !im.rows[i].bad;
    fill_preview(&im);
    /* Issues were found in two passes; show them in row order. */
    for (size_t i = 1; i < rep->nissues; i++) {
        ImportIssue t = rep->issues[i];
        size_t j = i;
        for (; j > 0 && rep->issues[j - 1].row > t.row; j--) rep->issues[j] = rep->issues[j - 1];
        rep->issues[j] = t;
    }
    if (rep->bad && !o->valid_only) { result = IMPORT_BAD_ROWS; goto done; }
    if (o->dry_run) goto done;
    rep->households = 0;
    /* New ID numbers' blind indexes land all over their index: a big file needs a big page cache
     * for the one transaction, or SQLite spills and re-reads pages. Restored afterwards. */
    int64_t cache = db_one_int(db_prep("PRAGMA cache_size"), -32768);
    bool big = im.n > 20000;
    if (big) sqlite3_exec(db_conn(), "PRAGMA cache_size = -262144", NULL, NULL, NULL);
    int wrc = write_all(&im, a, o);
    if (big) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %lld", (long long)cache); /* lint:sql-ok: a number, not input */
        sqlite3_exec(db_conn(), pragma, NULL, NULL, NULL);
    }
    if (wrc != 0) {
        snprintf(rep->fatal, sizeof rep->fatal, "写入数据库失败：%s", db_errmsg());
        result = IMPORT_DB_ERROR;
        goto done;
    }
    rep->written = true;
done:
    map_free(&by_id);
    map_free(&im.group_by_key);
    map_free(&im.group_index);
    map_free(&im.known_by_blind);
    map_free(&im.known_by_key);
    free(im.rows);
    free(im.groups);
    free(im.known);
    free(im.ended);
    free(im.fresh);
    free(im.profs);
    arena_free(im.arena);
    arena_free(im.read_arena);
    return result;
}

/* ---------------------------------------------------------------------------------------------
 * Templates */

/* The template's columns, in order, with the two example rows (ID numbers filled in at run time so
 * that they pass the check). */
enum { TEMPLATE_COLS = 26 };

static const char *const template_header[TEMPLATE_COLS + 1] = {
    "姓名", "性别", "身份证号", "出生日期", "联系电话", "民族", "文化程度", "与户主关系", "户主身份证号", "组", "户号",
    "人员状态", "党员", "春晖使者", "致富能手", "复转军人", "退休公职人员", "村两委干部", "法律明白人", "劳动力",
    "住址", "耕地（亩）", "林地（亩）", "家畜存栏（头）", "家禽（只）", "脱贫情况", NULL,
};

/* An example row; the household's cells (住址 … 脱贫情况) are filled on the head's row only. */
typedef struct Example {
    const char *name, *sex;
    int y, m, d, seq;
    const char *phone, *edu, *rel, *status, *flags, *household[NHH];
} Example;
static const Example examples[2] = {
    {"杨文华", "男", 1968, 4, 12, 31, "13985612345", "初中", "户主", "在家", "是否否否否否否是",
     {"快场村一组 12 号", "3.5", "12", "2", "20", "一般户"}},
    {"张秀英", "女", 1970, 9, 3, 42, "", "小学", "配偶", "外出务工", "否否否否否否否是", {"", "", "", "", "", ""}},
};

/* Fills the TEMPLATE_COLS cells of example row i (cells point into `store`). */
static void example_cells(int i, const char *cells[TEMPLATE_COLS], char store[4][24]) {
    const Example *e = &examples[i];
    idnum_make("522222", days_from_civil(e->y, e->m, e->d), e->seq, store[0]);
    idnum_make("522222", days_from_civil(examples[0].y, examples[0].m, examples[0].d), examples[0].seq, store[1]);
    snprintf(store[2], sizeof store[2], "%04d-%02d-%02d", e->y, e->m, e->d);
    const char *vals[12] = {e->name, e->sex, store[0], store[2], e->phone, "汉族", e->edu, e->rel, store[1],
                            "522222100001001", "0001", e->status};
    memcpy(cells, vals, sizeof vals);
    for (int k = 0; k < 8; k++) cells[12 + k] = strncmp(e->flags + 3 * k, "是", 3) == 0 ? "是" : "否";
    for (int k = 0; k < NHH; k++) cells[20 + k] = e->household[k];
}

static void put_buf(void *ctx, const char *s, size_t n) { buf_append(ctx, s, n); }

void import_template_csv(Buf *out) {
    CsvWriter w;
    csv_writer_init(&w, put_buf, out, CSV_WRITE_BOM);
    for (int i = 0; template_header[i]; i++) csv_write_field(&w, template_header[i], strlen(template_header[i]));
    csv_end_row(&w);
    for (int i = 0; i < 2; i++) {
        const char *cells[TEMPLATE_COLS];
        char store[4][24];
        example_cells(i, cells, store);
        for (int k = 0; k < TEMPLATE_COLS; k++) csv_write_field(&w, cells[k], strlen(cells[k]));
        csv_end_row(&w);
    }
}

int import_template_xlsx(Buf *out) {
    XlsxOut xo;
    lxw_workbook *wb = xlsx_out_open(&xo, false);
    if (!wb) return -1;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "花名册");
    lxw_format *head = workbook_add_format(wb), *text = workbook_add_format(wb), *date = workbook_add_format(wb);
    format_set_bold(head);
    format_set_num_format(text, "@");
    format_set_num_format(date, "yyyy-mm-dd");
    worksheet_set_column(ws, 0, TEMPLATE_COLS - 1, 10, NULL);
    worksheet_set_column(ws, 2, 2, 21, text);
    worksheet_set_column(ws, 3, 3, 12, date);
    worksheet_set_column(ws, 4, 4, 14, text);
    worksheet_set_column(ws, 8, 8, 21, text);
    worksheet_set_column(ws, 9, 9, 18, text);
    worksheet_set_column(ws, 20, 20, 20, NULL);
    for (int i = 0; template_header[i]; i++) worksheet_write_string(ws, 0, (lxw_col_t)i, template_header[i], head);
    for (int i = 0; i < 2; i++) {
        const char *cells[TEMPLATE_COLS];
        char store[4][24];
        example_cells(i, cells, store);
        for (int k = 0; k < TEMPLATE_COLS; k++) {
            if (k == 3) {
                lxw_datetime dt = {examples[i].y, examples[i].m, examples[i].d, 0, 0, 0};
                worksheet_write_datetime(ws, (lxw_row_t)(i + 1), 3, &dt, date);
            } else if (cells[k][0]) {
                worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)k, cells[k], NULL);
            }
        }
    }
    return xlsx_out_finish(&xo, out);
}

/* ---------------------------------------------------------------------------------------------
 * zuwei import people FILE */

/* Reads a whole file of at most IMPORT_MAX_BYTES. Returns 0, or -1 with the reason in why. */
static int slurp(const char *path, char **data, size_t *n, const char **why) {
    FILE *f = fopen(path, "rb");
    if (!f) { *why = "cannot open the file"; return -1; }
    Buf b = BUF_INIT;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_append(&b, chunk, got);
        if (b.len > IMPORT_MAX_BYTES) break;
    }
    fclose(f);
    if (b.len > IMPORT_MAX_BYTES) { buf_free(&b); *why = "文件超过 20 MB"; return -1; }
    *data = b.p ? b.p : xstrdup("");
    *n = b.len;
    return 0;
}

static const char *arg_after(int argc, char **argv, const char *name) {
    for (int i = 0; i < argc - 1; i++)
        if (strcmp(argv[i], name) == 0) return argv[i + 1];
    return NULL;
}

static bool has_arg(int argc, char **argv, const char *name) {
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return true;
    return false;
}

/* Prints the counts of a finished or refused import. */
static void print_summary(const char *file, int rc, const ImportOpts *o, const ImportReport *rep) {
    if (rc == IMPORT_BAD_FILE || rc == IMPORT_DB_ERROR) {
        fprintf(stderr, "zuwei import: %s: %s\n", file, rep->fatal);
        return;
    }
    printf("%s：共 %d 行，新增 %d 人，更新 %d 人，未变 %d 人，有误 %d 行，新建 %d 户，更新户情 %d 户\n", file, rep->rows,
           rep->created, rep->updated, rep->unchanged, rep->bad, rep->households, rep->households_updated);
    if (rc == IMPORT_BAD_ROWS) printf("有误的行未改正，没有导入任何数据（可用 --valid-only 只导入正确的行）。\n");
    else if (o->dry_run) printf("试运行：没有写入数据库。\n");
    else if (rep->bad) printf("已导入正确的行，跳过 %d 行有误的行。\n", rep->bad);
    for (size_t i = 0; i < rep->nissues && i < 50; i++) {
        char line[400];
        import_issue_text(&rep->issues[i], line, sizeof line);
        printf("  %s\n", line);
    }
    if (rep->nissues > 50) printf("  ……另有 %zu 条问题未列出\n", rep->nissues - 50);
}

int cmd_import(int argc, char **argv) {
    if (argc < 3 || strcmp(argv[1], "people") != 0 || argv[2][0] == '-') {
        fprintf(stderr, "usage: zuwei import people FILE [--scope UNIT_CODE] [--valid-only] [--dry-run]\n");
        return 2;
    }
    ImportOpts o = {"/", 0, argv[2], has_arg(argc, argv, "--valid-only"), has_arg(argc, argv, "--dry-run"), true};
    char scope[200] = "/";
    const char *code = arg_after(argc, argv, "--scope");
    Stmt *st = code ? db_prep("SELECT id, path FROM unit WHERE (code = :c OR id = :c) AND end_date IS NULL")
                    : db_prep("SELECT id, path FROM unit WHERE parent_id IS NULL ORDER BY id LIMIT 1");
    if (code) db_bind_text(st, ":c", code);
    bool found = db_step(st) == SQLITE_ROW;
    if (found) {
        o.scope_unit = db_col_int(st, 0);
        if (code) snprintf(scope, sizeof scope, "%s", db_col_text(st, 1));
    }
    if (st) sqlite3_reset(st);   /* an unfinished read would keep the WAL from being checkpointed */
    if (!found && code) {
        fprintf(stderr, "zuwei import: no active unit with code or id %s\n", code);
        return 1;
    }
    o.scope_path = scope;
    char *data;
    size_t n;
    const char *why;
    if (slurp(argv[2], &data, &n, &why) != 0) {
        fprintf(stderr, "zuwei import: %s: %s\n", argv[2], why);
        return 1;
    }
    const char *base = strrchr(argv[2], '/');
    o.filename = base ? base + 1 : argv[2];
    ImportReport rep;
    Actor a = actor_cli();
    int rc = import_people(&a, data, n, &o, &rep);
    free(data);
    print_summary(argv[2], rc, &o, &rep);
    import_report_free(&rep);
    return rc == IMPORT_OK ? 0 : 1;
}

/* ---------------------------------------------------------------------------------------------
 * Pages: GET /import/people → upload; POST → preview; POST /import/people/:batch/confirm → import */

enum { PAGE_MAX_ISSUES = 1000 };

static void upload_form(Req *r, Buf *b) {
    html(b, "<section class=\"card\"><h2>%s</h2><p class=\"hint\">%s</p><p><a class=\"button\" href=\"/import/people/template.xlsx\">%s</a> "
            "<a class=\"button\" href=\"/import/people/template.csv\">%s</a></p>",
         T(r, "第一步：下载模板"), T(r, "按模板的表头填写；列的顺序可以不同，多余的列会被忽略。身份证号和户主身份证号请设为文本格式。"),
         T(r, "下载 Excel 模板"), T(r, "下载 CSV 模板"));
    html(b, "<h2>%s</h2><form class=\"form\" method=\"post\" action=\"/import/people\" enctype=\"multipart/form-data\">",
         T(r, "第二步：上传花名册"));
    ui_csrf(r, b);
    html(b, "<div class=\"field\"><label for=\"f-file\">%s</label><input id=\"f-file\" type=\"file\" name=\"file\" accept=\".xlsx,.csv\" required>"
            "<p class=\"hint\">%s</p></div><div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form></section>",
         T(r, "花名册文件"), T(r, "Excel（.xlsx）或 CSV（UTF-8 或 GBK），不超过 20 MB、30 万行。上传后先预览，确认后才导入。"),
         T(r, "上传并预览"));
}

static void h_import_get(Req *r, Resp *w) {
    page_begin(r, w, T(r, "导入花名册"), &(PageOpts){.menu = "/import/people"});
    html(&w->body, "<div class=\"pagehead\"><h1>%s</h1></div>", T(r, "导入花名册"));
    upload_form(r, &w->body);
    page_end(r, w);
}

/* Writes the counts, the preview rows and the problems of a checked file. */
static void report_html(Req *r, Buf *b, const ImportReport *rep) {
    html(b, "<div class=\"stats\">");
    ui_stat(b, rep->rows, T(r, "总行数"));
    ui_stat(b, rep->created, T(r, "新增"));
    ui_stat(b, rep->updated, T(r, "更新"));
    ui_stat(b, rep->unchanged, T(r, "未变"));
    ui_stat(b, rep->bad, T(r, "有误"));
    ui_stat(b, rep->households, T(r, "新建户"));
    ui_stat(b, rep->households_updated, T(r, "更新户情"));
    html(b, "</div>");
    if (rep->npreview) {
        static const UiCol pcols[] = {{"行", false}, {"处理", false}, {"姓名", false}, {"性别", false}, {"出生日期", false},
                                     {"身份证号", false}, {"组", false}, {"与户主关系", false}, {"人员状态", false}, {"标记", false}};
        html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "预览（前 20 行，按导入后的样子显示）"));
        UiTable t;
        ui_table_begin(r, b, &t, pcols, UI_NCOLS(pcols));
        for (int i = 0; i < rep->npreview; i++) {
            const ImportPreview *p = &rep->preview[i];
            const char *act = strcmp(p->action, "create") == 0 ? T(r, "新增") : strcmp(p->action, "update") == 0 ? T(r, "更新") : T(r, "未变");
            const char *cells[] = {p->name, p->sex, p->birth, p->idmask, p->group, p->relation, p->status, p->flags};
            ui_td(b, &t, 0);
            html_Tn(b, r, "第 {n} 行", (long long)p->row);
            ui_td(b, &t, 1);
            html(b, "<span class=\"badge\">%s</span>", act);
            for (int k = 0; k < 8; k++) {
                ui_td(b, &t, 2 + k);
                html(b, "%s", cells[k]);
            }
            ui_tr_end(b);
        }
        ui_table_end(b);
        html_raw(b, "</section>");
    }
    if (rep->nissues) {
        static const UiCol icols[] = {{"行", false}, {"列", false}, {"原因", false}};
        html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "有误的行"));
        UiTable t;
        ui_table_begin(r, b, &t, icols, UI_NCOLS(icols));
        for (size_t i = 0; i < rep->nissues && i < PAGE_MAX_ISSUES; i++) {
            ui_td(b, &t, 0);
            html_Tn(b, r, "第 {n} 行", (long long)rep->issues[i].row);
            ui_td(b, &t, 1);
            html(b, "%s", T(r, rep->issues[i].column));
            ui_td(b, &t, 2);
            html(b, "%s", import_issue_reason(r, &rep->issues[i]));
            ui_tr_end(b);
        }
        ui_table_end(b);
        if (rep->nissues > PAGE_MAX_ISSUES) html(b, "<p class=\"hint\">%s</p>", Tn(r, "只列出前 1000 条，共 {n} 条。", (long long)rep->nissues));
        html(b, "</section>");
    }
}

/* Shows the preview of batch `batch` with the confirm form. */
static void preview_page(Req *r, Resp *w, int64_t batch, const char *filename, const ImportReport *rep) {
    page_begin(r, w, T(r, "导入预览"), &(PageOpts){.menu = "/import/people", .back = "/import/people"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1><p class=\"hint\">%s</p></div>", T(r, "导入预览"), filename);
    report_html(r, b, rep);
    html(b, "<section class=\"card\"><form class=\"form\" method=\"post\" action=\"/import/people/%lld/confirm\">", (long long)batch);
    ui_csrf(r, b);
    if (rep->bad)
        html(b, "<p class=\"error\">%s</p><label class=\"check\"><input type=\"checkbox\" name=\"valid_only\" value=\"1\"> %s</label>",
             T(r, "文件中有错误的行。默认不导入任何数据；改正后重新上传，或勾选下面一项只导入正确的行。"), T(r, "只导入正确的行，跳过有误的行"));
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button> <a class=\"button\" href=\"/import/people\">%s</a></div></form></section>",
         T(r, "确认导入"), T(r, "重新上传"));
    page_end(r, w);
}

/* The caller's import options: their scope, and the unit the audit entry is filed under. */
static ImportOpts page_opts(Req *r, const char *filename, bool valid_only, bool dry_run) {
    return (ImportOpts){auth_scope(r), r->who->scope_unit, filename, valid_only, dry_run, false};
}

static void h_import_post(Req *r, Resp *w) {
    const Upload *up = req_upload(r, "file");
    if (!up || up->len == 0) { page_error(r, w, 422, T(r, "请选择要上传的花名册文件")); return; }
    if (up->len > IMPORT_MAX_BYTES) { page_error(r, w, 413, T(r, "文件超过 20 MB")); return; }
    const char *filename = up->filename && up->filename[0] ? up->filename : "roster";
    ImportReport rep;
    Actor a = actor_of(r);
    ImportOpts o = page_opts(r, filename, false, true);
    int rc = import_people(&a, up->data, up->len, &o, &rep);
    if (rc == IMPORT_BAD_FILE || rc == IMPORT_DB_ERROR) {
        w->status = rc == IMPORT_BAD_FILE ? 422 : 500;
        page_begin(r, w, T(r, "导入花名册"), &(PageOpts){.menu = "/import/people"});
        html(&w->body, "<div class=\"pagehead\"><h1>%s</h1></div><p class=\"error\" role=\"alert\">%s</p>", T(r, "导入花名册"), rep.fatal);
        upload_form(r, &w->body);
        page_end(r, w);
        import_report_free(&rep);
        return;
    }
    db_exec(db_prep("DELETE FROM import_batch WHERE created_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')"));
    Stmt *st = db_prep("INSERT INTO import_batch (user_id, filename, sha256, data) VALUES (:u, :f, :h, :d)");
    db_bind_int(st, ":u", r->who->user_id);
    db_bind_text(st, ":f", filename);
    db_bind_text(st, ":h", rep.sha256);
    db_bind_blob(st, ":d", up->data, (int)up->len);
    if (db_exec(st) != 0) { import_report_free(&rep); page_error(r, w, 500, NULL); return; }
    preview_page(r, w, db_last_id(), filename, &rep);
    import_report_free(&rep);
}

static void h_import_confirm(Req *r, Resp *w) {
    const char *id = req_path_param(r, "batch");
    Stmt *st = db_prep("SELECT filename, data FROM import_batch WHERE id = :id AND user_id = :u AND status = 'pending'"
                       " AND created_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')");
    db_bind_int(st, ":id", id ? atoll(id) : 0);
    db_bind_int(st, ":u", r->who->user_id);
    if (db_step(st) != SQLITE_ROW) { page_error(r, w, 404, NULL); return; }
    char *filename = arena_strdup(r->arena, db_col_text(st, 0));
    size_t n = (size_t)sqlite3_column_bytes(st, 1);
    char *data = arena_alloc(r->arena, n + 1);
    if (n) memcpy(data, sqlite3_column_blob(st, 1), n);
    sqlite3_reset(st);
    const char *vo = req_param_src(r, "valid_only", SRC_FORM);
    bool valid_only = vo && (strcmp(vo, "1") == 0 || strcmp(vo, "on") == 0);
    ImportReport rep;
    Actor a = actor_of(r);
    ImportOpts o = page_opts(r, filename, valid_only, false);
    int rc = import_people(&a, data, n, &o, &rep);
    if (rc == IMPORT_OK) {
        st = db_prep("UPDATE import_batch SET status = 'done', data = x'' WHERE id = :id");
        db_bind_int(st, ":id", atoll(id));
        db_exec(st);
        const char *msg = arena_printf(r->arena, "%s %d，%s %d，%s %d，%s %d", T(r, "导入完成：新增"), rep.created, T(r, "更新"),
                                       rep.updated, T(r, "未变"), rep.unchanged, T(r, "跳过有误的行"), rep.bad);
        import_report_free(&rep);
        resp_redirect_flash(r, w, "/import/people", msg);
        return;
    }
    if (rc == IMPORT_BAD_ROWS) {
        w->status = 422;
        preview_page(r, w, atoll(id), filename, &rep);
    } else {
        page_error(r, w, rc == IMPORT_BAD_FILE ? 422 : 500, rep.fatal);
    }
    import_report_free(&rep);
}

static void h_template_xlsx(Req *r, Resp *w) {
    if (import_template_xlsx(&w->body) != 0) { page_error(r, w, 500, NULL); return; }
    resp_attachment(r, w, XLSX_TYPE, "roster-template.xlsx", "花名册模板.xlsx");
}

static void h_template_csv(Req *r, Resp *w) {
    import_template_csv(&w->body);
    resp_attachment(r, w, "text/csv; charset=utf-8", "roster-template.csv", "花名册模板.csv");
}

const Route import_routes[] = {
    {HTTP_GET, "/import/people", h_import_get, CAP_IMPORT, 0, NULL},
    {HTTP_POST, "/import/people", h_import_post, CAP_IMPORT, ROUTE_UPLOAD, NULL},
    {HTTP_GET, "/import/people/template.xlsx", h_template_xlsx, CAP_IMPORT, 0, NULL},
    {HTTP_GET, "/import/people/template.csv", h_template_csv, CAP_IMPORT, 0, NULL},
    {HTTP_POST, "/import/people/:batch/confirm", h_import_confirm, CAP_IMPORT, 0, NULL},
    {0, NULL, NULL, 0, 0, NULL},
};

const Msg import_msgs[] = {
    {"第 {n} 行", "Row {n}"},
    {"新建户", "New households"},
    {"更新户情", "Households updated"},
    {"导入花名册", "Import roster"},
    {"第一步：下载模板", "Step 1: download the template"},
    {"按模板的表头填写；列的顺序可以不同，多余的列会被忽略。身份证号和户主身份证号请设为文本格式。",
     "Fill in under the template's headers; columns may be in any order and extra columns are ignored. Format the ID number columns as text."},
    {"下载 Excel 模板", "Download Excel template"},
    {"下载 CSV 模板", "Download CSV template"},
    {"第二步：上传花名册", "Step 2: upload the roster"},
    {"花名册文件", "Roster file"},
    {"Excel（.xlsx）或 CSV（UTF-8 或 GBK），不超过 20 MB、30 万行。上传后先预览，确认后才导入。",
     "Excel (.xlsx) or CSV (UTF-8 or GBK), up to 20 MB and 300,000 rows. You see a preview first; nothing is imported until you confirm."},
    {"上传并预览", "Upload and preview"},
    {"总行数", "Rows"},
    {"新增", "New"},
    {"更新", "Updated"},
    {"未变", "Unchanged"},
    {"有误", "Bad"},
    {"预览（前 20 行，按导入后的样子显示）", "Preview (first 20 rows as they will be stored)"},
    {"行", "Row"},
    {"处理", "Action"},
    {"姓名", "Name"},
    {"性别", "Sex"},
    {"出生日期", "Date of birth"},
    {"身份证号", "ID number"},
    {"组", "Group"},
    {"与户主关系", "Relation to head"},
    {"人员状态", "Status"},
    {"标记", "Flags"},
    {"有误的行", "Rows with problems"},
    {"列", "Column"},
    {"原因", "Reason"},
    {"只列出前 1000 条，共 {n} 条。", "Only the first 1,000 of {n} problems are listed."},
    {"导入预览", "Import preview"},
    {"文件中有错误的行。默认不导入任何数据；改正后重新上传，或勾选下面一项只导入正确的行。",
     "Some rows have problems. By default nothing is imported; fix them and upload again, or tick the box to import only the valid rows."},
    {"只导入正确的行，跳过有误的行", "Import only the valid rows and skip the bad ones"},
    {"确认导入", "Confirm import"},
    {"重新上传", "Upload again"},
    {"请选择要上传的花名册文件", "Choose a roster file to upload"},
    {"文件超过 20 MB", "The file is larger than 20 MB"},
    {"导入完成：新增", "Imported: new"},
    {"跳过有误的行", "bad rows skipped"},
    /* the columns and the reasons of the rows with problems (issue(), issue_with()) */
    {"户主身份证号", "Head's ID number"},
    {"内容过长", "Too long"},
    {"应为 一般户/脱贫户/监测户 之一", "Must be one of 一般户 (ordinary), 脱贫户 (lifted out of poverty), 监测户 (monitored)"},
    {"身份证号被 Excel 存成了数字，请把该列设置为文本格式后重新填写",
     "Excel stored the ID number as a number: format the column as text and enter the number again"},
    {"性别应填「男」或「女」", "Sex must be 男 (male) or 女 (female)"},
    {"出生日期格式不对（如 1985-03-02、1985/3/2 或 19850302）",
     "Date of birth not understood (write e.g. 1985-03-02, 1985/3/2 or 19850302)"},
    {"联系电话过长", "Phone number too long"},
    {"户主身份证号格式不对", "Head's ID number not understood"},
    {"应为 户主/配偶/子女/父母/孙子女/祖父母/兄弟姐妹/儿媳女婿/其他 之一",
     "Must be one of 户主 (head), 配偶 (spouse), 子女 (child), 父母 (parent), 孙子女 (grandchild), 祖父母 (grandparent), "
     "兄弟姐妹 (sibling), 儿媳女婿 (child-in-law), 其他 (other)"},
    {"应为 在家/外出务工/已迁出/已去世 之一",
     "Must be one of 在家 (living here), 外出务工 (working away), 已迁出 (moved out), 已去世 (deceased)"},
    {"日期格式不对", "Date not understood"},
    {"户号不能超过 20 个字符", "A household number has at most 20 characters"},
    {"应填「是」或「否」（也可填 √、1 或留空）", "Must be 是 (yes) or 否 (no); √, 1 or an empty cell also work"},
    {"找不到组「{s}」，或它不在您的管辖范围内", "No group 「{s}」, or it is outside your scope"},
    {"「{s}」不止一个，请填写组的15位代码", "There is more than one 「{s}」: write the group's 15-digit code"},
    {"与第 {n} 行的身份证号重复", "Same ID number as row {n}"},
    {"这个身份证号已登记在您管辖范围以外的组", "This ID number is on the roll of a group outside your scope"},
    {"与第 {n} 行重复（同组、同户主、同姓名、同出生日期）", "Same person as row {n} (same group, head, name and date of birth)"},
    {"户号 {s} 与第 {n} 行新建的户相同；同一个组的户号不能重复",
     "Household number {s} is also given to the new household of row {n}; numbers are unique within a group"},
    {"本组已有户号为 {s} 的户", "The group already has a household numbered {s}"},
    {"户主须填写身份证号", "A household head needs an ID number"},
    {"户主本人的户主身份证号应与本人身份证号相同", "On the head's own row, the head's ID number must be their own"},
    {"户主所在的第 {n} 行有错误", "The head's row {n} has problems"},
    {"第 {n} 行的与户主关系不是「户主」", "Row {n} is not a household head (its relation to head is not 户主)"},
    {"与户主（第 {n} 行）不在同一个组", "Not in the same group as the head (row {n})"},
    {"户主身份证号在本文件和花名册中都找不到", "The head's ID number is neither in this file nor on the roll"},
    {"这位户主在花名册中还没有户", "This head has no household on the roll yet"},
    {"与户主不在同一个组", "Not in the same group as the head"},
    {"户的信息请写在户主那一行（户主不在本文件中时，成员行留空）",
     "Household details go on the head's row (leave them empty on members' rows when the head is not in this file)"},
    {"与户主那一行（第 {n} 行）填写的不一致；户的信息以户主那一行为准",
     "Differs from the head's row (row {n}); the head's row decides the household's details"},
    {ENDED_HOUSEHOLD, "The head's household has been ended: restore it on its page first"},
    {NULL, NULL},
};
