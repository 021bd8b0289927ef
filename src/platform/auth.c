/* auth.c — sessions and capabilities (filled in by the org/auth work; this is the public-only
 * floor the platform starts from). */
#include "platform/auth.h"
#include <string.h>

static RoleCapsFn role_caps;

void auth_set_role_caps(RoleCapsFn fn) { role_caps = fn; }

void auth_attach(Req *r, Resp *w) {
    (void)w;
    r->who = NULL;
}

bool auth_csrf_ok(const Req *r) { return r->who != NULL; }

bool auth_has(const Req *r, unsigned caps) { return r->who && (r->who->caps & caps) == caps; }

bool auth_can(const Req *r, unsigned caps, const char *unit_path) {
    return auth_has(r, caps) && strncmp(unit_path, r->who->scope_path, strlen(r->who->scope_path)) == 0;
}

const char *auth_scope(const Req *r) { return r->who ? r->who->scope_path : "\x01"; }
