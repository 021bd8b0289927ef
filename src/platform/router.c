/* router.c — matching a path against the static route table.
 *
 * Routes are kept in one flat array in registration order; the first match wins. A county has a
 * few hundred routes, so a linear scan that rejects on the first differing byte costs well under a
 * microsecond; no trie is needed. */
#include "platform/router.h"
#include <string.h>

enum { MAX_ROUTES = 1024, MAX_PATH_PARAMS = 8 };

static const Route *routes[MAX_ROUTES];
static size_t nroutes;

void router_init(const Route *const *tables) {
    nroutes = 0;
    for (; *tables; tables++)
        for (const Route *rt = *tables; rt->pattern && nroutes < MAX_ROUTES; rt++) routes[nroutes++] = rt;
}

size_t router_count(void) { return nroutes; }
const Route *router_at(size_t i) { return i < nroutes ? routes[i] : NULL; }

size_t router_index(const Route *rt) {
    for (size_t i = 0; i < nroutes; i++)
        if (routes[i] == rt) return i;
    return nroutes;
}

bool route_pattern_match(const char *pat, const char *path, const char **names, size_t *nlens,
                         const char **values, size_t *vlens, size_t max, size_t *n) {
    *n = 0;
    while (*pat && *path) {
        if (*pat == ':') {
            const char *pn = ++pat;
            while (*pat && *pat != '/') pat++;
            const char *pv = path;
            while (*path && *path != '/') path++;
            if (path == pv || *n >= max) return false;   /* empty segment never matches a param */
            names[*n] = pn;
            nlens[*n] = (size_t)(pat - pn);
            values[*n] = pv;
            vlens[*n] = (size_t)(path - pv);
            (*n)++;
        } else if (*pat == '*') {                        /* trailing wildcard: the rest of the path */
            if (*n >= max) return false;
            names[*n] = "*";
            nlens[*n] = 1;
            values[*n] = path;
            vlens[*n] = strlen(path);
            (*n)++;
            return true;
        } else {
            if (*pat != *path) return false;
            pat++;
            path++;
        }
    }
    if (*pat == '*') {
        if (*n >= max) return false;
        names[*n] = "*"; nlens[*n] = 1; values[*n] = path; vlens[*n] = 0; (*n)++;
        return true;
    }
    return *pat == 0 && *path == 0;
}

const Route *router_match(Req *r, int method, const char *path, bool *method_mismatch) {
    const char *names[MAX_PATH_PARAMS], *values[MAX_PATH_PARAMS];
    size_t nlens[MAX_PATH_PARAMS], vlens[MAX_PATH_PARAMS], n;
    int m = method == HTTP_HEAD ? HTTP_GET : method;
    *method_mismatch = false;
    for (size_t i = 0; i < nroutes; i++) {
        const Route *rt = routes[i];
        if (!route_pattern_match(rt->pattern, path, names, nlens, values, vlens, MAX_PATH_PARAMS, &n)) continue;
        if (!(rt->methods & m)) { *method_mismatch = true; continue; }
        for (size_t k = 0; k < n; k++)
            req_add_param(r, arena_strndup(r->arena, names[k], nlens[k]), arena_strndup(r->arena, values[k], vlens[k]),
                          vlens[k], SRC_PATH);
        return rt;
    }
    return NULL;
}
