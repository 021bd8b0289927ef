/* test_import.c — roster import (people/import.c) on real files, and the demo county's determinism.
 *
 * Every test works on a fresh temporary database (migrated, with a key) holding a small tree:
 * 江口县 → 太平镇 → 云舍村 (groups 杨家寨 001, 二组 002) and 快场村 (group 一组 001). Files are
 * written for real: an .xlsx with libxlsxwriter (dates as Excel dates, numbers as numbers), a
 * UTF-8 CSV with BOM, and a GB18030 CSV converted with iconv(1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "demo/demo.h"
#include "org/units.h"
#include "people/idnum.h"
#include "people/import.h"
#include "people/people.h"
#include "platform/crypto.h"
#include "platform/date.h"
#include "platform/db.h"
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static char tmpdir[64];
static int64_t village1, village2;
static char village1_path[UNIT_PATH_SIZE];

/* Opens a new empty database in the temporary folder and builds the small tree. */
static void fresh_db(bool with_tree) {
    fixture_fresh_db(tmpdir);
    if (!with_tree) return;
    Unit town, v1, v2;
    int64_t id;
    fixture_tree(&town, &v1);
    village1 = v1.id;
    snprintf(village1_path, sizeof village1_path, "%s", v1.path);
    assert_int_equal(db_begin(), 0);
    assert_int_equal(unit_insert_tx(&town, UNIT_VILLAGE, "", "快场村", "522222101002", 0, "2020-01-01", &village2), 0);
    unit_get(SCOPE_ALL, village2, &v2);
    assert_int_equal(unit_insert_tx(&v2, UNIT_GROUP, "group", "一组", "522222101002001", 1, "2020-01-01", &id), 0);
    assert_int_equal(db_commit(), 0);
}

/* A valid ID number of the county for a birth date and a sequence (odd: man). */
static const char *idn(int y, int m, int d, int seq) {
    static char out[8][IDNUM_SIZE];
    static int k;
    char *o = out[k++ % 8];
    assert_int_equal(idnum_make("522222", days_from_civil(y, m, d), seq, o), IDNUM_OK);
    return o;
}

static char *read_all(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)len + 1);
    assert_int_equal(fread(data, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return data;
}

static int run(const char *data, size_t n, const char *scope, bool valid_only, ImportReport *rep) {
    Actor a = actor_cli();
    ImportOpts o = {scope, 0, "test", valid_only, false, false};
    return import_people(&a, data, n, &o, rep);
}

static int64_t count(const char *what) {
    if (strcmp(what, "person") == 0) return db_one_int(db_prep("SELECT count(*) FROM person"), -1);
    if (strcmp(what, "household") == 0) return db_one_int(db_prep("SELECT count(*) FROM household"), -1);
    return db_one_int(db_prep("SELECT count(*) FROM audit WHERE action = 'import'"), -1);
}

/* Reads one text column of the person with this name. */
static const char *person_text(const char *name, const char *col) {
    static char out[128];
    Stmt *st = strcmp(col, "birth") == 0 ? db_prep("SELECT birth FROM person WHERE name = :n")
             : strcmp(col, "phone") == 0 ? db_prep("SELECT phone FROM person WHERE name = :n")
             : strcmp(col, "relation") == 0 ? db_prep("SELECT relation FROM person WHERE name = :n")
             : strcmp(col, "status") == 0 ? db_prep("SELECT status FROM person WHERE name = :n")
             : db_prep("SELECT flags FROM person WHERE name = :n");
    db_bind_text(st, ":n", name);
    out[0] = 0;
    if (db_step(st) == SQLITE_ROW) snprintf(out, sizeof out, "%s", db_col_text(st, 0));
    sqlite3_reset(st);
    return out;
}

/* The roster used by the CSV tests: a household of three in 杨家寨 and a single man in 二组. */
static void roster_csv(char *out, size_t outsz, const char *bad_id) {
    const char *head = idn(1968, 4, 12, 31), *wife = idn(1970, 9, 3, 42), *son = idn(1995, 1, 20, 11);
    const char *single = bad_id ? bad_id : idn(1980, 6, 1, 13);
    snprintf(out, outsz,
             "\xEF\xBB\xBF" "备注,组,姓名,性别,身份证号,出生日期,与户主关系,户主身份证号,联系电话,人员状态,党员,劳动力\r\n"
             "x,云舍村/杨家寨,杨文华,男,%s,1968-04-12,户主,%s,13985612345,在家,是,√\r\n"
             "x,522222101001001,张秀英,女,%s,1970/9/3,配偶,%s,,外出务工,否,1\r\n"
             "x,522222101001001,杨小军,男,%s,19950120,子女,%s,,,,\r\n"
             "x,云舍村/二组,吴明,男,%s,1980-06-01,户主,%s,,在家,,是\r\n",
             head, head, wife, head, son, head, single, single);
}

static void test_csv_utf8_bom(void **state) {
    fresh_db(true);
    char csv[4096];
    roster_csv(csv, sizeof csv, NULL);
    ImportReport rep;
    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_OK);
    assert_int_equal(rep.created, 4);
    assert_int_equal(rep.bad, 0);
    assert_int_equal(rep.households, 2);
    assert_true(rep.written);
    import_report_free(&rep);
    assert_int_equal(count("person"), 4);
    assert_int_equal(count("household"), 2);
    assert_int_equal(count("audit"), 1);
    assert_string_equal(person_text("张秀英", "birth"), "1970-09-03");
    assert_string_equal(person_text("张秀英", "status"), "migrant");
    assert_string_equal(person_text("张秀英", "relation"), "spouse");
    assert_string_equal(person_text("杨小军", "birth"), "1995-01-20");
    assert_string_equal(person_text("杨文华", "phone"), "13985612345");
    assert_int_equal(atoi(person_text("杨文华", "flags")), PF_PARTY | PF_LABOUR);
    /* The head heads the household and the members belong to it. */
    int64_t n = db_one_int(db_prep("SELECT count(*) FROM person p JOIN household h ON h.id = p.household_id"
                                   " JOIN person hd ON hd.id = h.head_id WHERE hd.name = '杨文华'"), -1);
    assert_int_equal(n, 3);
    /* The import counts households and groups set-based (not through the per-row triggers): the
     * counters must equal a recount from the roll, by the triggers' own rule. */
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM household h WHERE h.members != (SELECT count(*) FROM person p"
                                        " WHERE p.household_id = h.id AND p.status IN ('resident', 'migrant'))"
                                        " OR h.labour != (SELECT count(*) FROM person p WHERE p.household_id = h.id"
                                        " AND p.status IN ('resident', 'migrant') AND (p.flags & 128) != 0)"
                                        " OR h.migrants != (SELECT count(*) FROM person p WHERE p.household_id = h.id"
                                        " AND p.status = 'migrant')"), -1), 0);
    assert_int_equal(db_one_int(db_prep("SELECT members FROM household h JOIN person hd ON hd.id = h.head_id"
                                        " WHERE hd.name = '杨文华'"), -1), 3);
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM unit_roll c JOIN unit a ON a.id = c.unit_id WHERE c.people !="
                                        " (SELECT count(*) FROM person p JOIN unit g ON g.id = p.unit_id"
                                        " WHERE g.path BETWEEN a.path AND a.path || '~')"), -1), 0);
    assert_int_equal(db_one_int(db_prep("SELECT people FROM unit_roll r JOIN unit u ON u.id = r.unit_id"
                                        " WHERE u.parent_id IS NULL"), -1), 4);
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM person_event WHERE kind = 'created'"), -1), 4);
    /* The audit entry names the file's hash, not the rows. */
    Stmt *st = db_prep("SELECT after FROM audit WHERE action = 'import'");
    assert_int_equal(db_step(st), SQLITE_ROW);
    const char *after = db_col_text(st, 0);
    assert_true(strstr(after, "\"created\": 4") || strstr(after, "\"created\":4"));
    assert_non_null(strstr(after, "sha256"));
    assert_null(strstr(after, "杨文华"));
    sqlite3_reset(st);
}

static void test_reimport_is_noop_then_update(void **state) {
    fresh_db(true);
    char csv[4096];
    roster_csv(csv, sizeof csv, NULL);
    ImportReport rep;
    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_OK);
    import_report_free(&rep);
    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_OK);
    assert_int_equal(rep.created, 0);
    assert_int_equal(rep.updated, 0);
    assert_int_equal(rep.unchanged, 4);
    import_report_free(&rep);
    assert_int_equal(count("person"), 4);
    assert_int_equal(count("household"), 2);
    char *p = strstr(csv, "13985612345");
    memcpy(p, "13800000000", 11);
    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_OK);
    assert_int_equal(rep.updated, 1);
    assert_int_equal(rep.unchanged, 3);
    import_report_free(&rep);
    assert_string_equal(person_text("杨文华", "phone"), "13800000000");
}

static void test_bad_row_imports_nothing_unless_valid_only(void **state) {
    fresh_db(true);
    char bad[IDNUM_SIZE], csv[4096];
    snprintf(bad, sizeof bad, "%s", idn(1980, 6, 1, 13));
    bad[17] = bad[17] == '0' ? '1' : '0';   /* wrong check character */
    roster_csv(csv, sizeof csv, bad);
    ImportReport rep;
    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_BAD_ROWS);
    assert_int_equal(rep.bad, 1);
    assert_false(rep.written);
    assert_int_equal(rep.nissues, 1);
    char text[300];
    import_issue_text(&rep.issues[0], text, sizeof text);
    assert_non_null(strstr(text, "第 5 行，列「身份证号」："));
    assert_non_null(strstr(text, "校验位"));
    import_report_free(&rep);
    assert_int_equal(count("person"), 0);
    assert_int_equal(count("audit"), 0);

    assert_int_equal(run(csv, strlen(csv), "/", true, &rep), IMPORT_OK);
    assert_int_equal(rep.created, 3);
    assert_int_equal(rep.bad, 1);
    import_report_free(&rep);
    assert_int_equal(count("person"), 3);
}

static void test_member_of_bad_head_and_duplicates(void **state) {
    fresh_db(true);
    const char *head = idn(1960, 1, 1, 1), *dup = idn(1990, 2, 2, 3);
    char csv[2048];
    snprintf(csv, sizeof csv,
             "姓名,性别,身份证号,出生日期,与户主关系,户主身份证号,组\n"
             "甲,男,%s,1961-01-01,户主,%s,522222101001001\n"     /* birth disagrees with the number */
             "乙,男,%s,1990-02-02,子女,%s,522222101001001\n"
             "丙,男,%s,1990-02-02,其他,,522222101001002\n",
             head, head, dup, head, dup);
    ImportReport rep;
    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_BAD_ROWS);
    assert_int_equal(rep.bad, 3);
    bool head_reported = false, member_reported = false, dup_reported = false;
    for (size_t i = 0; i < rep.nissues; i++) {
        if (rep.issues[i].row == 2 && strstr(rep.issues[i].message, "出生日期")) head_reported = true;
        if (rep.issues[i].row == 3 && strcmp(rep.issues[i].column, "户主身份证号") == 0) member_reported = true;
        if (rep.issues[i].row == 4 && strstr(rep.issues[i].message, "第 3 行")) dup_reported = true;
    }
    assert_true(head_reported);
    assert_true(member_reported);
    assert_true(dup_reported);
    import_report_free(&rep);
}

static void test_scope_refusal(void **state) {
    fresh_db(true);
    const char *a = idn(1970, 1, 1, 1), *b = idn(1971, 1, 1, 3);
    char csv[2048];
    snprintf(csv, sizeof csv,
             "姓名,性别,身份证号,出生日期,与户主关系,户主身份证号,组\n"
             "甲,男,%s,1970-01-01,户主,%s,522222101001001\n"
             "乙,男,%s,1971-01-01,户主,%s,522222101002001\n",
             a, a, b, b);
    ImportReport rep;
    assert_int_equal(run(csv, strlen(csv), village1_path, false, &rep), IMPORT_BAD_ROWS);
    assert_int_equal(rep.bad, 1);
    assert_int_equal(rep.issues[0].row, 3);
    assert_string_equal(rep.issues[0].column, "组");
    import_report_free(&rep);
    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_OK);
    assert_int_equal(rep.created, 2);
    import_report_free(&rep);
}

static void test_missing_columns(void **state) {
    fresh_db(true);
    const char *csv = "姓名,性别,出生日期\n甲,男,1970-01-01\n";
    ImportReport rep;
    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_BAD_FILE);
    assert_non_null(strstr(rep.fatal, "缺少必填列"));
    assert_non_null(strstr(rep.fatal, "身份证号"));
    assert_non_null(strstr(rep.fatal, "组"));
    import_report_free(&rep);
}

static void test_gb18030_csv(void **state) {
    fresh_db(true);
    char csv[4096], in[128], out[128], cmd[400];
    roster_csv(csv, sizeof csv, NULL);
    snprintf(in, sizeof in, "%s/u.csv", tmpdir);
    snprintf(out, sizeof out, "%s/g.csv", tmpdir);
    FILE *f = fopen(in, "wb");
    fputs(csv + 3, f);   /* without the BOM, as Excel writes GBK */
    fclose(f);
    snprintf(cmd, sizeof cmd, "iconv -f UTF-8 -t GB18030 %s > %s", in, out);
    assert_int_equal(system(cmd), 0);
    size_t n;
    char *data = read_all(out, &n);
    assert_null(memmem(data, n, "杨文华", strlen("杨文华")));   /* really not UTF-8 */
    ImportReport rep;
    assert_int_equal(run(data, n, "/", false, &rep), IMPORT_OK);
    assert_int_equal(rep.created, 4);
    import_report_free(&rep);
    free(data);
    assert_string_equal(person_text("杨文华", "relation"), "head");
}

static void test_xlsx(void **state) {
    fresh_db(true);
    char path[128];
    snprintf(path, sizeof path, "%s/roster.xlsx", tmpdir);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "花名册");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    const char *hdr[] = {"花名册（2024年）"};
    worksheet_write_string(ws, 0, 0, hdr[0], NULL);   /* a title row above the header */
    const char *cols[] = {"姓名", "身份证号", "性别", "出生日期", "联系电话", "与户主关系", "户主身份证号", "组", "户号", "村两委干部", "其他说明"};
    for (int i = 0; i < 11; i++) worksheet_write_string(ws, 1, (lxw_col_t)i, cols[i], NULL);
    const char *head = idn(1975, 3, 8, 21), *wife = idn(1977, 12, 30, 22);
    struct { const char *name, *id, *sex; lxw_datetime birth; double phone; const char *rel, *cadre; } rows[] = {
        {"龙德福", head, "男", {1975, 3, 8, 0, 0, 0}, 13812345678.0, "户主", "是"},
        {"田桂英", wife, "女", {1977, 12, 30, 0, 0, 0}, 0, "配偶", ""},
    };
    for (int i = 0; i < 2; i++) {
        lxw_row_t r = (lxw_row_t)(i + 2);
        worksheet_write_string(ws, r, 0, rows[i].name, NULL);
        worksheet_write_string(ws, r, 1, rows[i].id, NULL);
        worksheet_write_string(ws, r, 2, rows[i].sex, NULL);
        worksheet_write_datetime(ws, r, 3, &rows[i].birth, date);
        if (rows[i].phone > 0) worksheet_write_number(ws, r, 4, rows[i].phone, NULL);
        worksheet_write_string(ws, r, 5, rows[i].rel, NULL);
        worksheet_write_string(ws, r, 6, head, NULL);
        worksheet_write_string(ws, r, 7, "522222101002001", NULL);
        worksheet_write_number(ws, r, 8, 12, NULL);
        if (rows[i].cadre[0]) worksheet_write_string(ws, r, 9, rows[i].cadre, NULL);
        worksheet_write_string(ws, r, 10, "随便写", NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    size_t n;
    char *data = read_all(path, &n);
    ImportReport rep;
    assert_int_equal(run(data, n, "/", false, &rep), IMPORT_OK);
    assert_int_equal(rep.created, 2);
    assert_int_equal(rep.bad, 0);
    assert_int_equal(rep.npreview, 2);
    assert_string_equal(rep.preview[0].group, "快场村/一组");
    assert_non_null(strstr(rep.preview[0].idmask, "*"));
    import_report_free(&rep);
    assert_string_equal(person_text("田桂英", "birth"), "1977-12-30");
    assert_string_equal(person_text("龙德福", "phone"), "13812345678");
    assert_int_equal(atoi(person_text("龙德福", "flags")), PF_CADRE);
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM household WHERE hh_no = '12'"), -1), 1);
    /* The same workbook again changes nothing. */
    assert_int_equal(run(data, n, "/", false, &rep), IMPORT_OK);
    assert_int_equal(rep.unchanged, 2);
    assert_int_equal(rep.created + rep.updated, 0);
    import_report_free(&rep);
    free(data);
}

static void test_template_imports_cleanly(void **state) {
    fresh_db(true);
    /* The template's example rows name group 522222100001001: give the tree that group. */
    Unit county;
    int64_t id, town, village;
    Unit u;
    assert_int_equal(unit_by_code(SCOPE_ALL, "522222000000", &county), 0);
    assert_int_equal(db_begin(), 0);
    assert_int_equal(unit_insert_tx(&county, UNIT_TOWNSHIP, "town", "闵孝镇", "522222100000", 0, "2020-01-01", &town), 0);
    unit_get(SCOPE_ALL, town, &u);
    assert_int_equal(unit_insert_tx(&u, UNIT_VILLAGE, "", "云舍村", "522222100001", 0, "2020-01-01", &village), 0);
    unit_get(SCOPE_ALL, village, &u);
    assert_int_equal(unit_insert_tx(&u, UNIT_GROUP, "hamlet", "杨家寨", "522222100001001", 0, "2020-01-01", &id), 0);
    assert_int_equal(db_commit(), 0);
    Buf x = BUF_INIT, c = BUF_INIT;
    assert_int_equal(import_template_xlsx(&x), 0);
    import_template_csv(&c);
    ImportReport rep;
    assert_int_equal(run(x.p, x.len, "/", false, &rep), IMPORT_OK);
    assert_int_equal(rep.created, 2);
    import_report_free(&rep);
    assert_int_equal(run(c.p, c.len, "/", false, &rep), IMPORT_OK);
    assert_int_equal(rep.unchanged, 2);
    import_report_free(&rep);
    buf_free(&x);
    buf_free(&c);
}

/* Reads the household cells of the household with 户号 `no` as "address|farmland_c|forest_c|livestock|poultry|poverty". */
static const char *household_cells(const char *no) {
    static char out[400];
    Stmt *st = db_prep("SELECT address || '|' || farmland_c || '|' || forest_c || '|' || livestock || '|' || poultry || '|' || poverty"
                       " FROM household WHERE hh_no = :no");
    db_bind_text(st, ":no", no);
    out[0] = 0;
    if (db_step(st) == SQLITE_ROW) snprintf(out, sizeof out, "%s", db_col_text(st, 0));
    sqlite3_reset(st);
    return out;
}

/* The household's cells (住址 … 脱贫情况) come from the head's row: a new household gets them, a
 * second import of the same file changes nothing, a changed cell updates the household on the
 * roll (an empty one keeps its value), and bad values or a member's contradicting value are
 * reported at their row and column without writing anything. */
/* A household of two with household cells: the head's 住址, 耕地 and 脱贫情况 (林地 12, 家畜 2, 家禽
 * 20), and the wife's 耕地. */
static void household_csv(char *out, size_t outsz, const char *address, const char *farm, const char *poverty,
                          const char *wife_farm) {
    const char *head = idn(1968, 4, 12, 31), *wife = idn(1970, 9, 3, 42);
    snprintf(out, outsz,
             "姓名,性别,出生日期,身份证号,与户主关系,户主身份证号,组,户号,住址,耕地,林地（亩）,家畜存栏（头）,家禽（只）,脱贫情况\r\n"
             "杨文华,男,1968-04-12,%s,户主,%s,522222101001001,7,%s,%s,12,2,20,%s\r\n"
             "张秀英,女,1970-09-03,%s,配偶,%s,522222101001001,7,,%s,,,,\r\n",
             head, head, address, farm, poverty, wife, head, wife_farm);
}

static void test_household_cells(void **state) {
    fresh_db(true);
    char csv[2048];
    household_csv(csv, sizeof csv, "快场村一组 12 号", "3.5", "脱贫户", "3.50");
    ImportReport rep;
    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_OK);
    assert_int_equal(rep.households, 1);
    assert_int_equal(rep.households_updated, 0);
    import_report_free(&rep);
    assert_string_equal(household_cells("7"), "快场村一组 12 号|350|1200|2|20|lifted");

    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_OK);
    assert_int_equal(rep.unchanged, 2);
    assert_int_equal(rep.households_updated, 0);
    import_report_free(&rep);

    household_csv(csv, sizeof csv, "", "4", "一般户", "");
    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_OK);
    assert_int_equal(rep.unchanged, 2);
    assert_int_equal(rep.households_updated, 1);
    import_report_free(&rep);
    assert_string_equal(household_cells("7"), "快场村一组 12 号|400|1200|2|20|none");
    assert_int_equal(count("audit"), 3);

    /* Bad values, and a member contradicting the head: nothing is written. */
    household_csv(csv, sizeof csv, "", "3.456", "贫困户", "5");
    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_BAD_ROWS);
    bool farm = false, poverty = false, member = false;
    for (size_t i = 0; i < rep.nissues; i++) {
        const ImportIssue *is = &rep.issues[i];
        if (is->row == 2 && strcmp(is->column, "耕地（亩）") == 0 && strstr(is->message, "两位小数")) farm = true;
        if (is->row == 2 && strcmp(is->column, "脱贫情况") == 0 && strstr(is->message, "监测户")) poverty = true;
        if (is->row == 3 && strcmp(is->column, "耕地（亩）") == 0) member = true;
    }
    assert_true(farm);
    assert_true(poverty);
    assert_true(member);
    import_report_free(&rep);
    household_csv(csv, sizeof csv, "", "4", "", "5");
    assert_int_equal(run(csv, strlen(csv), "/", false, &rep), IMPORT_BAD_ROWS);
    assert_int_equal(rep.bad, 1);
    assert_non_null(strstr(rep.issues[0].message, "第 2 行"));
    import_report_free(&rep);
    assert_string_equal(household_cells("7"), "快场村一组 12 号|400|1200|2|20|none");
    assert_int_equal(count("audit"), 3);
}

/* Runs `zuwei demo --small --seed 7` on a fresh database and returns a fingerprint: counts, then
 * every person's name and masked ID number in id order. Checks every ID number on the way. */
static char *demo_fingerprint(void) {
    fresh_db(false);
    char *argv[] = {"demo", "--small", "--seed", "7", NULL};
    assert_int_equal(cmd_demo(4, argv), 0);
    Buf b = BUF_INIT;
    buf_printf(&b, "%lld/%lld/%lld|", (long long)db_one_int(db_prep("SELECT count(*) FROM unit"), -1),
               (long long)count("household"), (long long)count("person"));
    assert_int_equal(db_one_int(db_prep("SELECT demo FROM instance"), -1), 1);
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM unit WHERE kind = 'group'"), -1), 6);
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM audit WHERE action = 'demo' AND entity = 'instance'"), -1), 1);
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM user WHERE must_change = 0"), -1), 6);
    Stmt *st = db_prep("SELECT id, name, idnum_mask, birth, sex FROM person ORDER BY id");
    int checked = 0;
    while (db_step(st) == SQLITE_ROW) {
        buf_printf(&b, "%s %s;", db_col_text(st, 1), db_col_text(st, 2));
        char id[20];
        int32_t birth;
        assert_int_equal(person_reveal_idnum(db_col_int(st, 0), id), 0);
        assert_true(idnum_valid(id));
        assert_int_equal(strncmp(id, "522222", 6), 0);
        assert_int_equal(date_parse(db_col_text(st, 3), &birth), 0);
        assert_int_equal(idnum_check_against(id, birth, db_col_text(st, 4)[0] == 'M' ? IDNUM_SEX_MALE : IDNUM_SEX_FEMALE), IDNUM_OK);
        checked++;
    }
    assert_true(checked > 30);
    return b.p;
}

static void test_demo_deterministic(void **state) {
    char *a = demo_fingerprint(), *b = demo_fingerprint();
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* A second run on a database with units is refused. */
    char *argv[] = {"demo", "--small", NULL};
    assert_int_equal(cmd_demo(2, argv), 1);
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/zuwei-test-import-XXXXXX");
    if (!mkdtemp(tmpdir)) return 1;
    setenv("ZUWEI_TODAY", "2025-06-01", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_utf8_bom),
        cmocka_unit_test(test_reimport_is_noop_then_update),
        cmocka_unit_test(test_bad_row_imports_nothing_unless_valid_only),
        cmocka_unit_test(test_member_of_bad_head_and_duplicates),
        cmocka_unit_test(test_scope_refusal),
        cmocka_unit_test(test_missing_columns),
        cmocka_unit_test(test_gb18030_csv),
        cmocka_unit_test(test_xlsx),
        cmocka_unit_test(test_template_imports_cleanly),
        cmocka_unit_test(test_household_cells),
        cmocka_unit_test(test_demo_deterministic),
    };
    int rc = cmocka_run_group_tests_name("import", tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0) rc = rc ? rc : 1;
    return rc;
}
