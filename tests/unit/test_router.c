/* test_router.c -- unit tests for route matching (src/platform/router.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform/router.h"

/* Distinct handlers so a test can tell which route matched. */
static void h_home(Req *r, Resp *w) {}
static void h_org_new(Req *r, Resp *w) {}
static void h_org(Req *r, Resp *w) {}
static void h_org_children(Req *r, Resp *w) {}
static void h_org_save(Req *r, Resp *w) {}
static void h_assets(Req *r, Resp *w) {}
static void h_two(Req *r, Resp *w) {}
static void h_post_only(Req *r, Resp *w) {}
static void h_later_get(Req *r, Resp *w) {}
static void h_people(Req *r, Resp *w) {}

static const Route table_a[] = {
    {HTTP_GET, "/", h_home, 0, 0, NULL},
    {HTTP_GET, "/org/new", h_org_new, 0, 0, NULL},
    {HTTP_GET, "/org/:id", h_org, 0, 0, NULL},
    {HTTP_GET, "/org/:id/children", h_org_children, 0, 0, NULL},
    {HTTP_POST, "/org/:id", h_org_save, 0, 0, NULL},
    {HTTP_GET, "/assets/*", h_assets, 0, 0, NULL},
    {0, NULL, NULL, 0, 0, NULL},
};

static const Route table_b[] = {
    {HTTP_GET, "/a/:x/b/:y", h_two, 0, 0, NULL},
    {HTTP_POST, "/only-post", h_post_only, 0, 0, NULL},
    {HTTP_POST, "/both", h_post_only, 0, 0, NULL},
    {HTTP_GET, "/both", h_later_get, 0, 0, NULL},
    {0, NULL, NULL, 0, 0, NULL},
};

static const Route table_c[] = {
    {HTTP_GET | HTTP_POST, "/people/:id", h_people, 0, 0, NULL},
    {0, NULL, NULL, 0, 0, NULL},
};

static const Route table_empty[] = {
    {0, NULL, NULL, 0, 0, NULL},
};

/* Registers the three tables (and an empty one) before each test. */
static int setup(void **state) {
    static const Route *const tables[] = {table_a, table_empty, table_b, table_c, NULL};
    router_init(tables);
    Req *r = calloc(1, sizeof *r);
    r->arena = arena_new();
    r->method = HTTP_GET;
    *state = r;
    return 0;
}

/* Frees the request made by setup. */
static int teardown(void **state) {
    Req *r = *state;
    arena_free(r->arena);
    free(r);
    return 0;
}

/* Matches method and path; returns the handler of the route or NULL, with *mm the 405 flag. */
static Handler match(Req *r, int method, const char *path, bool *mm) {
    const Route *rt = router_match(r, method, path, mm);
    return rt ? rt->handler : NULL;
}

/* All tables are indexed in order, and router_at/router_index agree. */
static void test_init_several_tables(void **state) {
    assert_int_equal(router_count(), 6 + 4 + 1);
    assert_ptr_equal(router_at(0), &table_a[0]);
    assert_ptr_equal(router_at(6), &table_b[0]);
    assert_ptr_equal(router_at(10), &table_c[0]);
    assert_null(router_at(11));
    assert_int_equal(router_index(&table_b[1]), 7);
    assert_int_equal(router_index(&table_empty[0]), router_count());
    /* Re-initialising replaces the set rather than adding to it. */
    static const Route *const only_c[] = {table_c, NULL};
    router_init(only_c);
    assert_int_equal(router_count(), 1);
    bool mm;
    assert_null(match(*state, HTTP_GET, "/", &mm));
    assert_false(mm);
}

/* Literal paths match exactly: no prefix, no extra slash, no partial segment. */
static void test_literal(void **state) {
    Req *r = *state;
    bool mm;
    assert_ptr_equal(match(r, HTTP_GET, "/", &mm), h_home);
    assert_ptr_equal(match(r, HTTP_GET, "/org/new", &mm), h_org_new);
    assert_int_equal(r->nparams, 0);
    assert_null(match(r, HTTP_GET, "", &mm));
    assert_null(match(r, HTTP_GET, "/nothing", &mm));
    assert_false(mm);
    assert_null(match(r, HTTP_GET, "/org", &mm));
    assert_null(match(r, HTTP_GET, "/org/", &mm));
    assert_false(mm);
}

/* First match wins: "/org/new" is registered before "/org/:id" and takes the literal path. */
static void test_first_match_wins(void **state) {
    Req *r = *state;
    bool mm;
    assert_ptr_equal(match(r, HTTP_GET, "/org/new", &mm), h_org_new);
    assert_null(req_path_param(r, "id"));
    assert_ptr_equal(match(r, HTTP_GET, "/org/newer", &mm), h_org);
    assert_string_equal(req_path_param(r, "id"), "newer");
}

/* :params capture their segment into the request as SRC_PATH parameters. */
static void test_params_extracted(void **state) {
    Req *r = *state;
    bool mm;
    assert_ptr_equal(match(r, HTTP_GET, "/org/42/children", &mm), h_org_children);
    assert_string_equal(req_path_param(r, "id"), "42");
    assert_int_equal(r->nparams, 1);
    assert_int_equal(r->params[0].src, SRC_PATH);
    assert_int_equal(r->params[0].len, 2);
    /* req_param sees path parameters too, but cookies do not. */
    assert_string_equal(req_param(r, "id"), "42");
    assert_null(req_cookie(r, "id"));
    assert_ptr_equal(match(r, HTTP_GET, "/a/1/b/two", &mm), h_two);
    assert_string_equal(req_path_param(r, "x"), "1");
    assert_string_equal(req_path_param(r, "y"), "two");
    /* A literal between params must still match exactly. */
    assert_null(match(r, HTTP_GET, "/a/1/c/two", &mm));
    assert_null(match(r, HTTP_GET, "/a/1/b/two/3", &mm));
}

/* An empty segment never matches a :param. */
static void test_empty_segment(void **state) {
    Req *r = *state;
    bool mm;
    assert_null(match(r, HTTP_GET, "/org//children", &mm));
    assert_null(match(r, HTTP_GET, "/a//b/2", &mm));
    assert_null(match(r, HTTP_GET, "/a/1/b/", &mm));
    assert_false(mm);
    assert_int_equal(r->nparams, 0);
}

/* A trailing * matches the rest of the path, including nothing and further slashes. */
static void test_wildcard(void **state) {
    Req *r = *state;
    bool mm;
    assert_ptr_equal(match(r, HTTP_GET, "/assets/css/app.css", &mm), h_assets);
    assert_string_equal(req_path_param(r, "*"), "css/app.css");
    assert_ptr_equal(match(r, HTTP_HEAD, "/assets/", &mm), h_assets);
    assert_null(match(r, HTTP_GET, "/assets", &mm));
    assert_null(match(r, HTTP_GET, "/assetsx/a", &mm));
}

/* A path that matches only with another method sets the 405 flag; an unknown path does not. */
static void test_method_mismatch(void **state) {
    Req *r = *state;
    bool mm = false;
    assert_null(match(r, HTTP_POST, "/", &mm));
    assert_true(mm);
    assert_null(match(r, HTTP_GET, "/only-post", &mm));
    assert_true(mm);
    assert_null(match(r, HTTP_DELETE, "/org/5", &mm));
    assert_true(mm);
    assert_null(match(r, HTTP_POST, "/no/such/path", &mm));
    assert_false(mm);
    /* A route further down with the right method still matches. */
    assert_ptr_equal(match(r, HTTP_GET, "/both", &mm), h_later_get);
    assert_ptr_equal(match(r, HTTP_POST, "/both", &mm), h_post_only);
    /* The same pattern with a POST goes to the POST route and keeps its parameter. */
    assert_ptr_equal(match(r, HTTP_POST, "/org/9", &mm), h_org_save);
    assert_string_equal(req_path_param(r, "id"), "9");
}

/* HEAD is answered by GET routes, and a route can take several methods. */
static void test_head_and_multi_method(void **state) {
    Req *r = *state;
    bool mm;
    assert_ptr_equal(match(r, HTTP_HEAD, "/", &mm), h_home);
    assert_false(mm);
    assert_ptr_equal(match(r, HTTP_HEAD, "/org/3", &mm), h_org);
    assert_null(match(r, HTTP_HEAD, "/only-post", &mm));
    assert_true(mm);
    assert_ptr_equal(match(r, HTTP_GET, "/people/7", &mm), h_people);
    assert_ptr_equal(match(r, HTTP_POST, "/people/8", &mm), h_people);
    assert_null(match(r, HTTP_PUT, "/people/8", &mm));
    assert_true(mm);
}

/* Calls route_pattern_match and checks the result and the captured pairs ("name=value" each). */
static void check_pattern(const char *pat, const char *path, bool want, size_t nwant, const char *const *pairs) {
    const char *names[8], *values[8];
    size_t nlens[8], vlens[8], n = 99;
    bool ok = route_pattern_match(pat, path, names, nlens, values, vlens, 8, &n);
    if (ok != want) fail_msg("%s vs %s: got %d", pat, path, ok);
    if (!want) return;
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++) {
        char got[128];
        snprintf(got, sizeof got, "%.*s=%.*s", (int)nlens[i], names[i], (int)vlens[i], values[i]);
        assert_string_equal(got, pairs[i]);
    }
}

/* route_pattern_match directly: literals, params, wildcard and the boundaries of each. */
static void test_pattern_match_direct(void **state) {
    check_pattern("/", "/", true, 0, NULL);
    check_pattern("/x", "/x", true, 0, NULL);
    check_pattern("/x", "/x/", false, 0, NULL);
    check_pattern("/x/", "/x", false, 0, NULL);
    check_pattern("/x", "/y", false, 0, NULL);
    check_pattern("/u/:id", "/u/12", true, 1, (const char *const[]){"id=12"});
    check_pattern("/u/:id", "/u/", false, 0, NULL);
    check_pattern("/u/:id", "/u", false, 0, NULL);
    check_pattern("/u/:id", "/u/1/2", false, 0, NULL);
    check_pattern("/u/:id/e", "/u/组委/e", true, 1, (const char *const[]){"id=组委"});
    check_pattern("/:a/:b", "/p/q", true, 2, (const char *const[]){"a=p", "b=q"});
    check_pattern("/f/*", "/f/a/b/c", true, 1, (const char *const[]){"*=a/b/c"});
    check_pattern("/f/*", "/f/", true, 1, (const char *const[]){"*="});
    check_pattern("/f/*", "/f", false, 0, NULL);
    check_pattern("/:id/*", "/7/x.css", true, 2, (const char *const[]){"id=7", "*=x.css"});
    /* More params than room: refused rather than overflowing. */
    const char *names[1], *values[1];
    size_t nlens[1], vlens[1], n;
    assert_false(route_pattern_match("/:a/:b", "/1/2", names, nlens, values, vlens, 1, &n));
}

/* Runs the router tests. */
int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_init_several_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_literal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_match_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_params_extracted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_segment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wildcard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_method_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_and_multi_method, setup, teardown),
        cmocka_unit_test(test_pattern_match_direct),
    };
    return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
