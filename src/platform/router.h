/* router.h — the static route table.
 *
 * Each mechanism exports a table of routes (method, path pattern with :params, handler, the
 * capability the caller needs, flags); src/app.c lists the tables. Matching is done once per
 * request; path parameters land in the request's parameter table as SRC_PATH. */
#ifndef ZW_ROUTER_H
#define ZW_ROUTER_H
#include "platform/http.h"

typedef void (*Handler)(Req *r, Resp *w);

/* Route flags. */
enum {
    ROUTE_JSON = 1,        /* API route: errors answered as JSON */
    ROUTE_UPLOAD = 2,      /* accepts multipart bodies up to MAX_UPLOAD_BODY */
    ROUTE_NO_CSRF = 4,     /* a non-GET route that needs no CSRF token (login form, public forms) */
    ROUTE_TEST = 8,        /* only with ZUWEI_TEST=1 */
    ROUTE_ANY_LOGIN = 16,  /* reachable while the password must still be changed */
};

typedef struct Route {
    int methods;           /* HTTP_GET | HTTP_POST ... */
    const char *pattern;   /* "/org/:id/children" */
    Handler handler;
    unsigned cap;          /* capability needed (platform/auth.h); 0 = public */
    int flags;
    const char *name;      /* metrics label; defaults to the pattern */
} Route;

/* Registers the application's route tables (NULL-terminated list of tables, each ending with an
 * entry whose pattern is NULL) and indexes them. Call once before serving. */
void router_init(const Route *const *tables);

/* Finds the route for a method and path. On a match, stores the path parameters in r and returns
 * the route; returns NULL when no pattern matches, and sets *method_mismatch when a pattern
 * matched with another method (405). */
const Route *router_match(Req *r, int method, const char *path, bool *method_mismatch);

/* Matches one pattern against a path without a request; for tests. Returns true on match and
 * fills up to `max` (name, value) pairs into names/values with their count in *n. */
bool route_pattern_match(const char *pattern, const char *path, const char **names, size_t *nlens,
                         const char **values, size_t *vlens, size_t max, size_t *n);

/* Number of registered routes and the route at index i (for /metrics). */
size_t router_count(void);
const Route *router_at(size_t i);
size_t router_index(const Route *rt);

#endif
