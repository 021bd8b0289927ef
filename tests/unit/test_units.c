/* test_units.c — the org tree store (src/org/units.c), its scope boundary, the pages and API that
 * change it (src/org/pages.c, api.c) and the division-code import (src/org/import.c), against a
 * fresh temporary database per test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "org/org.h"
#include "platform/auth.h"
#include "platform/crypto.h"
#include "platform/db.h"

static char tmpdir[] = "/tmp/zw-units-XXXXXX";
static int dbno;

/* ---------------------------------------------------------------------------------------------
 * Fixtures */

static int group_setup(void **state) {
    if (!mkdtemp(tmpdir)) return -1;
    char key[256], err[256];
    snprintf(key, sizeof key, "%s/key", tmpdir);
    return crypto_load_key(key, true, err, sizeof err);
}

static int group_teardown(void **state) {
    db_close_thread();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Every test starts from an empty, migrated database of its own. */
static int fresh_db(void **state) {
    db_close_thread();
    static char path[300];
    snprintf(path, sizeof path, "%s/t%d.db", tmpdir, ++dbno);
    db_configure(path);
    char err[256];
    return db_migrate(err, sizeof err);
}

/* Reads the small county fixture (19 units) into memory. */
static char *fixture(size_t *n) {
    char path[512];
    snprintf(path, sizeof path, "tests/fixtures/org-small.csv");
    if (access(path, R_OK) != 0) {
        const char *here = __FILE__;
        const char *slash = strrchr(here, '/');
        snprintf(path, sizeof path, "%.*s/../fixtures/org-small.csv", slash ? (int)(slash - here) : 1, slash ? here : ".");
    }
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char data[8192];
    *n = fread(data, 1, sizeof data - 1, f);
    fclose(f);
    data[*n] = 0;
    return data;
}

static long long count_units(void) { return db_one_int(db_prep("SELECT count(*) FROM unit"), -1); }
static long long count_audit(void) { return db_one_int(db_prep("SELECT count(*) FROM audit"), -1); }

/* Imports the fixture; the tree is then 江口县 → 双江街道/太平镇 → 2 villages each → 3 groups each. */
static void load_small(void) {
    size_t n;
    char *data = fixture(&n);
    Actor a = actor_cli();
    ImportResult res;
    Buf errors = BUF_INIT;
    int rc = org_import_csv(&a, data, n, &res, &errors);
    if (rc != 0) fprintf(stderr, "%s", errors.p);
    assert_int_equal(rc, 0);
    buf_free(&errors);
}

static Unit by_code(const char *code) {
    Unit u;
    assert_int_equal(unit_by_code(SCOPE_ALL, code, &u), 0);
    return u;
}

/* Every refusal the store gives must have an English pair in the message table. */
static void assert_translated(const UnitErr *e) {
    for (const Msg *m = org_msgs; m->zh; m++)
        if (!strcmp(m->zh, e->msg)) return;
    fail_msg("no English pair for: %s", e->msg);
}

/* ---------------------------------------------------------------------------------------------
 * Create */

static void test_create_rules(void **state) {
    Actor a = actor_cli();
    UnitErr e;
    int64_t county, town, village, group;
    UnitInput c = {0, "county", NULL, "江口县", "522222000000", 0, "2020-01-01"};
    assert_int_equal(unit_create(&a, SCOPE_ALL, &c, &county, &e), 0);
    UnitInput t = {county, NULL, NULL, "太平镇", "522222100000", 0, NULL};
    assert_int_equal(unit_create(&a, SCOPE_ALL, &t, &town, &e), 0);
    Unit u;
    assert_int_equal(unit_get(SCOPE_ALL, town, &u), 0);
    assert_int_equal(u.kind, UNIT_TOWNSHIP);
    assert_string_equal(u.subkind, "town");                  /* derived from digits 7-9 */
    assert_string_equal(u.path, "/1/2/");
    assert_int_equal(u.depth, 1);

    /* A village cannot sit directly under the county. */
    UnitInput bad = {county, "village", NULL, "某村", NULL, 0, NULL};
    assert_int_equal(unit_create(&a, SCOPE_ALL, &bad, &village, &e), -1);
    assert_string_equal(e.field, "kind");
    assert_translated(&e);

    /* A street subkind with a town code is refused; the township number says 镇. */
    UnitInput wrong_sub = {county, NULL, "street", "某街道", "522222101000", 0, NULL};
    assert_int_equal(unit_create(&a, SCOPE_ALL, &wrong_sub, &village, &e), -1);
    assert_string_equal(e.field, "code");
    assert_string_equal(e.msg, divcode_error_zh(DIVCODE_ERR_TOWNSHIP_KIND));

    UnitInput v = {town, NULL, NULL, "云舍村", "522222100001", 0, NULL};
    assert_int_equal(unit_create(&a, SCOPE_ALL, &v, &village, &e), 0);
    /* Duplicate code. */
    UnitInput dup = {town, NULL, NULL, "另一个村", "522222100001", 0, NULL};
    assert_int_equal(unit_create(&a, SCOPE_ALL, &dup, &group, &e), -1);
    assert_string_equal(e.field, "code");
    assert_string_equal(e.code, "duplicate");
    assert_translated(&e);
    /* A code that does not extend the parent's. */
    UnitInput foreign = {town, NULL, NULL, "外乡村", "522222200001", 0, NULL};
    assert_int_equal(unit_create(&a, SCOPE_ALL, &foreign, &group, &e), -1);
    assert_string_equal(e.code, "not_child");
    /* Name rules. */
    UnitInput noname = {town, NULL, NULL, "", NULL, 0, NULL};
    assert_int_equal(unit_create(&a, SCOPE_ALL, &noname, &group, &e), -1);
    assert_string_equal(e.field, "name");

    UnitInput g = {village, NULL, NULL, "杨家寨", "522222100001001", 0, NULL};
    assert_int_equal(unit_create(&a, SCOPE_ALL, &g, &group, &e), 0);
    assert_int_equal(unit_get(SCOPE_ALL, group, &u), 0);
    assert_string_equal(u.subkind, "group");
    assert_string_equal(u.path, "/1/2/3/4/");
    /* Nothing goes below a group. */
    UnitInput below = {group, NULL, NULL, "更下一级", NULL, 0, NULL};
    assert_int_equal(unit_create(&a, SCOPE_ALL, &below, &group, &e), -1);
    assert_string_equal(e.field, "kind");
    /* Only the command line's whole-database scope may create a county. */
    UnitInput county2 = {0, "county", NULL, "玉屏县", "522223000000", 0, NULL};
    assert_int_equal(unit_create(&a, "/1/", &county2, &group, &e), -1);
    /* Each successful create wrote one audit entry, and the chain is intact. */
    assert_int_equal(count_audit(), 4);
    char why[200];
    int64_t checked;
    assert_int_equal(audit_verify(why, sizeof why, &checked), 0);
}

/* ---------------------------------------------------------------------------------------------
 * Move */

static void test_move_rewrites_subtree(void **state) {
    load_small();
    Actor a = actor_cli();
    UnitErr e;
    Unit village = by_code("522222001001");          /* 坝溪村 under 双江街道 */
    Unit town = by_code("522222100000");             /* 太平镇 */
    char old[UNIT_PATH_SIZE];
    snprintf(old, sizeof old, "%s", village.path);

    /* The code 522222001001 does not fit under 太平镇: a new code is needed. */
    assert_int_equal(unit_move(&a, SCOPE_ALL, village.id, town.id, NULL, &e), -1);
    assert_string_equal(e.field, "code");
    assert_translated(&e);

    assert_int_equal(unit_move(&a, SCOPE_ALL, village.id, town.id, "522222100003", &e), 0);
    Unit moved;
    assert_int_equal(unit_get(SCOPE_ALL, village.id, &moved), 0);
    assert_int_equal(moved.parent_id, town.id);
    char want[UNIT_PATH_SIZE + 24];
    snprintf(want, sizeof want, "%s%lld/", town.path, (long long)village.id);
    assert_string_equal(moved.path, want);
    assert_string_equal(moved.code, "522222100003");

    /* All three groups moved with it: new path prefix, new code prefix, nothing left at the old. */
    Unit kids[10];
    long long total;
    int n = unit_children(SCOPE_ALL, village.id, true, 0, 10, kids, &total);
    assert_int_equal(n, 3);
    for (int i = 0; i < n; i++) {
        assert_memory_equal(kids[i].path, want, strlen(want));
        assert_int_equal(kids[i].depth, 3);
        assert_memory_equal(kids[i].code, "522222100003", 12);
    }
    Stmt *st = db_prep("SELECT count(*) FROM unit WHERE path BETWEEN :p AND :p || '~'");
    db_bind_text(st, ":p", old);
    assert_int_equal(db_one_int(st, -1), 0);
    /* The old township lost a village, the new one gained it, with its groups below. */
    Unit street = by_code("522222001000");
    assert_int_equal(street.active_children, 1);
    assert_int_equal(by_code("522222100000").active_children, 3);
    long long counts[4];
    unit_descendant_counts(&street, counts);
    assert_true(counts[UNIT_VILLAGE] == 1 && counts[UNIT_GROUP] == 3);
    unit_descendant_counts((Unit[]){by_code("522222100000")}, counts);
    assert_true(counts[UNIT_VILLAGE] == 3 && counts[UNIT_GROUP] == 9);
    unit_descendant_counts((Unit[]){by_code("522222000000")}, counts);
    assert_true(counts[UNIT_TOWNSHIP] == 2 && counts[UNIT_VILLAGE] == 4 && counts[UNIT_GROUP] == 12);
    assert_int_equal(units_below_check(), 0);
    /* A new group counts at once in its village and above. */
    UnitInput g = {village.id, NULL, NULL, "新组", NULL, 0, NULL};
    int64_t id;
    assert_int_equal(unit_create(&a, SCOPE_ALL, &g, &id, &e), 0);
    assert_int_equal(by_code("522222100003").active_children, 4);
    unit_descendant_counts((Unit[]){by_code("522222100000")}, counts);
    assert_int_equal(counts[UNIT_GROUP], 10);
    assert_int_equal(units_below_check(), 0);
    /* A counter changed behind the triggers' back is found. */
    assert_int_equal(db_exec(db_prep("UPDATE unit_below SET villages = villages + 1 WHERE unit_id = (SELECT min(id) FROM unit)")), 0);
    assert_int_equal(units_below_check(), 1);
}

static void test_move_refusals(void **state) {
    load_small();
    Actor a = actor_cli();
    UnitErr e;
    Unit street = by_code("522222001000"), town = by_code("522222100000");
    Unit village = by_code("522222001001"), group = by_code("522222001001001");
    Unit other_village = by_code("522222100001");
    /* Under itself, under its own descendant. */
    assert_int_equal(unit_move(&a, SCOPE_ALL, village.id, village.id, NULL, &e), -1);
    assert_string_equal(e.code, "cycle");
    assert_int_equal(unit_move(&a, SCOPE_ALL, street.id, village.id, NULL, &e), -1);
    assert_string_equal(e.code, "cycle");
    assert_translated(&e);
    /* A parent whose kind does not fit: a village under a village, a group under a township. */
    assert_int_equal(unit_move(&a, SCOPE_ALL, village.id, other_village.id, NULL, &e), -1);
    assert_string_equal(e.code, "kind");
    assert_int_equal(unit_move(&a, SCOPE_ALL, group.id, town.id, NULL, &e), -1);
    assert_string_equal(e.code, "kind");
    /* Same parent, and the county. */
    assert_int_equal(unit_move(&a, SCOPE_ALL, village.id, street.id, NULL, &e), -1);
    assert_string_equal(e.code, "same_parent");
    Unit county = by_code("522222000000");
    assert_int_equal(unit_move(&a, SCOPE_ALL, county.id, town.id, NULL, &e), -1);
    /* A new code already held by another unit. */
    assert_int_equal(unit_move(&a, SCOPE_ALL, village.id, town.id, "522222100001", &e), -1);
    assert_string_equal(e.code, "duplicate");
    /* Nothing changed. */
    Unit again = by_code("522222001001");
    assert_string_equal(again.path, village.path);
    /* A group moves between villages of the same township when its code is renumbered. */
    Unit sibling = by_code("522222001002");
    assert_int_equal(unit_move(&a, SCOPE_ALL, group.id, sibling.id, "522222001002004", &e), 0);
}

/* ---------------------------------------------------------------------------------------------
 * End */

static void test_end_rules(void **state) {
    load_small();
    Actor a = actor_cli();
    UnitErr e;
    Unit village = by_code("522222100002");
    assert_int_equal(party_save(&a, SCOPE_ALL, village.id, "快场村党支部", "张三", &e), 0);
    /* Active children block the end. */
    assert_int_equal(unit_end(&a, SCOPE_ALL, village.id, "2024-06-30", &e), -1);
    assert_string_equal(e.code, "active_children");
    assert_translated(&e);
    Unit kids[5];
    long long total;
    int n = unit_children(SCOPE_ALL, village.id, false, 0, 5, kids, &total);
    assert_int_equal(n, 3);
    /* A date before the start, or not a date. */
    assert_int_equal(unit_end(&a, SCOPE_ALL, kids[0].id, "1999-01-01", &e), -1);
    assert_string_equal(e.field, "end_date");
    assert_int_equal(unit_end(&a, SCOPE_ALL, kids[0].id, "2024-13-01", &e), -1);
    char today[11];
    unit_today(today);
    for (int i = 0; i < n; i++) assert_int_equal(unit_end(&a, SCOPE_ALL, kids[i].id, today, &e), 0);
    /* Ending twice is refused; ended children are hidden unless asked for. */
    assert_int_equal(unit_end(&a, SCOPE_ALL, kids[0].id, today, &e), -1);
    assert_string_equal(e.code, "ended");
    assert_int_equal(unit_children(SCOPE_ALL, village.id, false, 0, 5, kids, &total), 0);
    assert_int_equal(unit_children(SCOPE_ALL, village.id, true, 0, 5, kids, &total), 3);
    /* Now the village may end, and its party branch ends with it. */
    assert_int_equal(unit_end(&a, SCOPE_ALL, village.id, today, &e), 0);
    /* The units below the county and the township are counted without the ended ones. */
    long long counts[4];
    unit_descendant_counts((Unit[]){by_code("522222000000")}, counts);
    assert_int_equal(counts[UNIT_TOWNSHIP], 2);
    assert_int_equal(counts[UNIT_VILLAGE], 3);
    assert_int_equal(counts[UNIT_GROUP], 9);
    unit_descendant_counts((Unit[]){by_code("522222100000")}, counts);
    assert_int_equal(counts[UNIT_TOWNSHIP] + counts[UNIT_VILLAGE] + counts[UNIT_GROUP], 1 + 3);
    assert_int_equal(units_below_check(), 0);
    PartyOrg p;
    assert_int_equal(party_get(SCOPE_ALL, village.id, &p), -1);
    /* Nothing can be added under an ended unit, and it is never deleted. */
    UnitInput g = {village.id, NULL, NULL, "新组", NULL, 0, NULL};
    int64_t id;
    assert_int_equal(unit_create(&a, SCOPE_ALL, &g, &id, &e), -1);
    assert_int_equal(count_units(), 19);
    /* The county cannot be ended. */
    assert_int_equal(unit_end(&a, SCOPE_ALL, by_code("522222000000").id, today, &e), -1);
}

/* ---------------------------------------------------------------------------------------------
 * Update and party */

static void test_update_rewrites_codes(void **state) {
    load_small();
    Actor a = actor_cli();
    UnitErr e;
    Unit village = by_code("522222100001");
    UnitInput in = {0, NULL, NULL, "云舍村（新）", "522222100009", 5, NULL};
    assert_int_equal(unit_update(&a, SCOPE_ALL, village.id, &in, &e), 0);
    Unit u = by_code("522222100009");
    assert_string_equal(u.name, "云舍村（新）");
    assert_int_equal(u.sort, 5);
    by_code("522222100009001");                     /* its group codes followed */
    Unit none;
    assert_int_equal(unit_by_code(SCOPE_ALL, "522222100001001", &none), -1);
    /* A code of another unit is refused. */
    UnitInput clash = {0, NULL, NULL, "云舍村", "522222100002", 0, NULL};
    assert_int_equal(unit_update(&a, SCOPE_ALL, village.id, &clash, &e), -1);
    assert_string_equal(e.code, "duplicate");
    /* Party organisation: one active per unit, edits change it in place. */
    assert_int_equal(party_save(&a, SCOPE_ALL, village.id, "云舍村党支部", "", &e), 0);
    assert_int_equal(party_save(&a, SCOPE_ALL, village.id, "云舍村党支部", "李四", &e), 0);
    PartyOrg p;
    assert_int_equal(party_get(SCOPE_ALL, village.id, &p), 0);
    assert_string_equal(p.kind, "branch");
    assert_string_equal(p.leader_name, "李四");
    assert_int_equal(db_one_int(db_prep("SELECT count(*) FROM party_org"), -1), 1);
    assert_int_equal(party_save(&a, SCOPE_ALL, by_code("522222000000").id, "县委", "", &e), -1);
}

/* ---------------------------------------------------------------------------------------------
 * Scope */

static void test_scope_of_store(void **state) {
    load_small();
    Actor a = actor_cli();
    UnitErr e;
    Unit street = by_code("522222001000"), town = by_code("522222100000");
    Unit their_village = by_code("522222100001"), my_village = by_code("522222001001");
    const char *scope = street.path;                 /* a 双江街道 login */
    Unit u;
    assert_int_equal(unit_get(scope, my_village.id, &u), 0);
    assert_int_equal(unit_get(scope, their_village.id, &u), -1);
    assert_int_equal(unit_get(scope, town.id, &u), -1);
    assert_int_equal(unit_by_code(scope, "522222100001", &u), -1);
    assert_int_equal(unit_get(scope, by_code("522222000000").id, &u), -1);   /* not even the county */
    Unit list[60];
    long long total;
    assert_int_equal(unit_children(scope, town.id, true, 0, 60, list, &total), 0);
    assert_int_equal(total, 0);
    assert_int_equal(unit_children(scope, street.id, true, 0, 60, list, &total), 2);
    /* Search: every 村 in the county matches "村", but only the street's own come back. */
    int n = unit_search(scope, "村", true, 0, 60, list, &total);
    assert_int_equal(n, 8);                          /* 2 villages + 6 groups named …村… */
    for (int i = 0; i < n; i++) assert_memory_equal(list[i].path, scope, strlen(scope));
    assert_int_equal(unit_search(SCOPE_ALL, "5222221", true, 0, 60, list, &total), 9);   /* 太平镇 and below */
    assert_int_equal(unit_search(scope, "5222221", true, 0, 60, list, &total), 0);
    /* The parent's name is only shown when the parent is in scope. */
    assert_int_equal(unit_get(scope, street.id, &u), 0);
    assert_string_equal(u.parent_name, "");
    /* Changes: nothing outside the scope, and nothing goes under a parent outside it. */
    UnitInput in = {their_village.id, NULL, NULL, "偷建的组", NULL, 0, NULL};
    int64_t id;
    assert_int_equal(unit_create(&a, scope, &in, &id, &e), -1);
    assert_int_equal(e.status, 404);
    assert_int_equal(unit_move(&a, scope, my_village.id, town.id, "522222100003", &e), -1);
    assert_int_equal(unit_move(&a, scope, their_village.id, street.id, "522222001003", &e), -1);
    assert_int_equal(e.status, 404);
    assert_int_equal(unit_end(&a, scope, by_code("522222100001001").id, "2024-01-01", &e), -1);
    assert_int_equal(e.status, 404);
    assert_int_equal(party_save(&a, scope, their_village.id, "党支部", "", &e), -1);
    assert_int_equal(count_units(), 19);
    /* Ancestors outside the scope are left out of the breadcrumbs. */
    Unit line[4];
    Unit group = by_code("522222001001002");
    assert_int_equal(unit_lineage(scope, &group, line, 4), 3);
    assert_int_equal(line[0].id, street.id);
    assert_int_equal(unit_lineage(SCOPE_ALL, &group, line, 4), 4);
}

/* ---------------------------------------------------------------------------------------------
 * Handlers: the same boundary through the pages and the API */

static char scope_buf[UNIT_PATH_SIZE];

/* A login scoped to the unit with `code`, holding `caps`. */
static Principal login(const char *code, unsigned caps) {
    Unit u = by_code(code);
    snprintf(scope_buf, sizeof scope_buf, "%s", u.path);
    Principal p = {0};
    p.user_id = 7;
    p.username = "tester";
    p.display_name = "测试";
    p.role = "township";
    p.caps = caps;
    p.scope_unit = u.id;
    p.scope_path = scope_buf;
    p.scope_name = "x";
    snprintf(p.csrf, sizeof p.csrf, "token");
    return p;
}

/* Runs the org route `pattern` for `method` with path parameter id and, for the API, a JSON body
 * (or form fields "a=b" pairs for pages). Returns the response status. */
static int call(Principal *who, int method, const char *pattern, int64_t id, const char *body, const char *const *form) {
    const Route *rt = org_routes;
    while (rt->pattern && (strcmp(rt->pattern, pattern) != 0 || !(rt->methods & method))) rt++;
    assert_non_null(rt->pattern);
    Req r = {0};
    Resp w = {0};
    r.arena = arena_new();
    r.method = method;
    r.path = pattern;
    r.client = "127.0.0.1";
    r.who = who;
    r.route = rt;
    r.nonce = "n";
    r.want_json = (rt->flags & ROUTE_JSON) != 0;
    w.status = 200;
    if (id) {
        char *v = arena_printf(r.arena, "%lld", (long long)id);
        req_add_param(&r, "id", v, strlen(v), SRC_PATH);
    }
    if (body) { r.body = body; r.body_len = strlen(body); }
    for (int i = 0; form && form[i]; i += 2) req_add_param(&r, form[i], form[i + 1], strlen(form[i + 1]), SRC_FORM);
    rt->handler(&r, &w);
    int status = w.status;
    buf_free(&w.body);
    arena_free(r.arena);
    return status;
}

static void test_scope_of_handlers(void **state) {
    load_small();
    unsigned caps = CAP_VIEW | CAP_ORG;
    Principal p = login("522222001000", caps);          /* 双江街道 */
    Unit mine = by_code("522222001001"), theirs = by_code("522222100001"), town = by_code("522222100000");
    assert_int_equal(call(&p, HTTP_GET, "/org/:id", mine.id, NULL, NULL), 200);
    assert_int_equal(call(&p, HTTP_GET, "/org/:id", theirs.id, NULL, NULL), 404);
    assert_int_equal(call(&p, HTTP_GET, "/org/:id/children", theirs.id, NULL, NULL), 404);
    assert_int_equal(call(&p, HTTP_GET, "/api/v1/units/:id", theirs.id, NULL, NULL), 404);
    assert_int_equal(call(&p, HTTP_GET, "/api/v1/units/:id", mine.id, NULL, NULL), 200);
    /* A form whose parent id was edited to point outside the scope creates nothing. */
    const char *form[] = {"name", "偷建的组", "subkind", "group", NULL};
    assert_int_equal(call(&p, HTTP_POST, "/org/:id/new", theirs.id, NULL, form), 404);
    char body[200];
    snprintf(body, sizeof body, "{\"parent_id\": %lld, \"name\": \"偷建的组\"}", (long long)theirs.id);
    assert_int_equal(call(&p, HTTP_POST, "/api/v1/units", 0, body, NULL), 404);
    assert_int_equal(count_units(), 19);
    /* Inside the scope the same form works and redirects. */
    assert_int_equal(call(&p, HTTP_POST, "/org/:id/new", mine.id, NULL, form), 303);
    assert_int_equal(count_units(), 20);
    snprintf(body, sizeof body, "{\"parent_id\": %lld, \"name\": \"四组\", \"code\": \"522222001001004\"}",
             (long long)mine.id);
    assert_int_equal(call(&p, HTTP_POST, "/api/v1/units", 0, body, NULL), 201);
    assert_int_equal(call(&p, HTTP_POST, "/api/v1/units", 0, body, NULL), 422);    /* same code again */
    /* Moving out to a township outside the scope is refused by the API and the page. */
    snprintf(body, sizeof body, "{\"parent_id\": %lld, \"code\": \"522222100003\"}", (long long)town.id);
    assert_int_equal(call(&p, HTTP_POST, "/api/v1/units/:id/move", mine.id, body, NULL), 422);
    const char *move[] = {"parent", "522222100000", "code", "522222100003", NULL};
    assert_int_equal(call(&p, HTTP_POST, "/org/:id/move", mine.id, NULL, move), 422);
    assert_int_equal(by_code("522222001001").parent_id, by_code("522222001000").id);
    /* Without CAP_ORG, in scope: viewing works, changing does not. */
    Principal viewer = login("522222001000", CAP_VIEW);
    assert_int_equal(call(&viewer, HTTP_POST, "/org/:id/edit", mine.id, NULL, form), 403);
    assert_int_equal(call(&viewer, HTTP_GET, "/org/:id", mine.id, NULL, NULL), 200);
    /* A form error answers 422 and keeps the page. */
    const char *bad[] = {"name", "", NULL};
    assert_int_equal(call(&p, HTTP_POST, "/org/:id/edit", mine.id, NULL, bad), 422);
}

/* ---------------------------------------------------------------------------------------------
 * Import */

static void test_import_good_and_idempotent(void **state) {
    load_small();
    assert_int_equal(count_units(), 19);
    assert_int_equal(count_audit(), 1);              /* one "import" entry for the whole file */
    Unit county = by_code("522222000000");
    long long counts[4];
    unit_descendant_counts(&county, counts);
    assert_int_equal(counts[UNIT_TOWNSHIP], 2);
    assert_int_equal(counts[UNIT_VILLAGE], 4);
    assert_int_equal(counts[UNIT_GROUP], 12);
    assert_string_equal(by_code("522222001000").subkind, "street");
    assert_string_equal(by_code("522222100000").subkind, "town");
    assert_string_equal(by_code("522222100001001").subkind, "hamlet");
    /* Groups listed before their village in the file still hang under it. */
    assert_int_equal(by_code("522222001001001").parent_id, by_code("522222001001").id);

    /* Re-import: nothing changes, no audit entry. */
    size_t n;
    char *data = fixture(&n);
    Actor a = actor_cli();
    ImportResult res;
    Buf errors = BUF_INIT;
    assert_int_equal(org_import_csv(&a, data, n, &res, &errors), 0);
    assert_int_equal(res.created, 0);
    assert_int_equal(res.renamed, 0);
    assert_int_equal(res.unchanged, 19);
    assert_int_equal(count_units(), 19);
    assert_int_equal(count_audit(), 1);
    /* A changed name is renamed in place. */
    const char renamed[] = "code,name,parent_code,kind\n522222100000,太平镇（更名）,522222000000,town\n";
    assert_int_equal(org_import_csv(&a, renamed, sizeof renamed - 1, &res, &errors), 0);
    assert_int_equal(res.renamed, 1);
    assert_string_equal(by_code("522222100000").name, "太平镇（更名）");
    assert_int_equal(count_units(), 19);
    buf_free(&errors);
}

static void test_import_bad_row_imports_nothing(void **state) {
    Actor a = actor_cli();
    ImportResult res;
    Buf errors = BUF_INIT;
    /* Row 4: a village code under the wrong township; row 5: unknown kind; row 6: bad name. */
    const char csv[] = "\xEF\xBB\xBF" "code,name,parent_code,kind\r\n"
                       "522222000000,江口县,,县\r\n"
                       "522222100000,太平镇,522222000000,镇\r\n"
                       "522222200001,错村,522222100000,村\r\n"
                       "522222100001,云舍村,522222100000,屯\r\n"
                       "522222100002,,522222100000,村\r\n";
    assert_int_equal(org_import_csv(&a, csv, sizeof csv - 1, &res, &errors), -1);
    assert_int_equal(count_units(), 0);
    assert_int_equal(count_audit(), 0);
    assert_non_null(strstr(errors.p, "第 5 行 第 4 列: "));
    assert_non_null(strstr(errors.p, "第 6 行 第 2 列: "));
    buf_free(&errors);
    /* Once rows 5 and 6 are fixed, row 4's parent mismatch is reported on its own. */
    Buf e2 = BUF_INIT;
    const char csv2[] = "code,name,parent_code,kind\n522222000000,江口县,,county\n522222100000,太平镇,522222000000,town\n"
                        "522222200001,错村,522222100000,village\n";
    assert_int_equal(org_import_csv(&a, csv2, sizeof csv2 - 1, &res, &e2), -1);
    assert_non_null(strstr(e2.p, "第 4 行 第 3 列: "));
    assert_int_equal(count_units(), 0);
    buf_free(&e2);
    /* Duplicate codes, a missing parent, a wrong header. */
    Buf e3 = BUF_INIT;
    const char csv3[] = "code,name,parent_code,kind\n522222000000,江口县,,county\n522222000000,又一个,,county\n"
                        "522222300001,孤村,522222300000,village\n";
    assert_int_equal(org_import_csv(&a, csv3, sizeof csv3 - 1, &res, &e3), -1);
    assert_non_null(strstr(e3.p, "重复"));
    assert_non_null(strstr(e3.p, "第 4 行 第 3 列: "));
    Buf e4 = BUF_INIT;
    const char csv4[] = "name,code\n江口县,522222000000\n";
    assert_int_equal(org_import_csv(&a, csv4, sizeof csv4 - 1, &res, &e4), -1);
    assert_non_null(strstr(e4.p, "第 1 行: "));
    assert_int_equal(count_units(), 0);
    buf_free(&e3);
    buf_free(&e4);
}

static void test_import_gb18030(void **state) {
    /* "code,name,parent_code,kind\n522222000000,江口县,,县\n" with 江口县 and 县 in GB18030. */
    const char csv[] = "code,name,parent_code,kind\n522222000000,\xBD\xAD\xBF\xDA\xCF\xD8,,\xCF\xD8\n";
    Actor a = actor_cli();
    ImportResult res;
    Buf errors = BUF_INIT;
    int rc = org_import_csv(&a, csv, sizeof csv - 1, &res, &errors);
    if (rc) fprintf(stderr, "%s", errors.p);
    assert_int_equal(rc, 0);
    assert_string_equal(by_code("522222000000").name, "江口县");
    buf_free(&errors);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_create_rules, fresh_db),
        cmocka_unit_test_setup(test_move_rewrites_subtree, fresh_db),
        cmocka_unit_test_setup(test_move_refusals, fresh_db),
        cmocka_unit_test_setup(test_end_rules, fresh_db),
        cmocka_unit_test_setup(test_update_rewrites_codes, fresh_db),
        cmocka_unit_test_setup(test_scope_of_store, fresh_db),
        cmocka_unit_test_setup(test_scope_of_handlers, fresh_db),
        cmocka_unit_test_setup(test_import_good_and_idempotent, fresh_db),
        cmocka_unit_test_setup(test_import_bad_row_imports_nothing, fresh_db),
        cmocka_unit_test_setup(test_import_gb18030, fresh_db),
    };
    return cmocka_run_group_tests_name("units", tests, group_setup, group_teardown);
}
