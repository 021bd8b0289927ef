/* auth.h — who is asking: sessions, capabilities, scope, CSRF.
 *
 * A Principal is the logged-in user as a handler sees it: capabilities (what kinds of things they
 * may do) and a scope (the subtree of the org tree where they may do them, as a materialised path
 * such as "/1/12/"). Handlers ask for a capability on a unit — auth_can(r, CAP_EDIT, unit_path) —
 * never for a role name; the role → capability table lives with the roles (src/org/roles.c). */
#ifndef ZW_AUTH_H
#define ZW_AUTH_H
#include "platform/http.h"
#include <stdbool.h>
#include <stdint.h>

/* Capabilities. Generic verbs; which role holds which is decided in one table elsewhere. */
enum {
    CAP_LOGIN = 1u << 0,      /* any logged-in user (public routes use 0) */
    CAP_VIEW = 1u << 1,       /* read records in scope */
    CAP_EDIT = 1u << 2,       /* create and change records in scope */
    CAP_REVIEW = 1u << 3,     /* approve, confirm and correct others' records */
    CAP_ORG = 1u << 4,        /* change the org tree */
    CAP_USERS = 1u << 5,      /* manage logins and API tokens */
    CAP_AUDIT = 1u << 6,      /* read the audit and login logs */
    CAP_REVEAL = 1u << 7,     /* reveal masked sensitive fields (audited) */
    CAP_SETTINGS = 1u << 8,   /* change policy settings */
    CAP_EXPORT = 1u << 9,     /* export lists */
    CAP_IMPORT = 1u << 10,    /* import rosters */
    CAP_FIELD = 1u << 11,     /* field work: household visits, own records */
};

struct Principal {
    int64_t user_id;
    const char *username, *display_name, *role;
    unsigned caps;
    int64_t scope_unit;
    const char *scope_path;   /* "/1/" — everything whose path starts with it is in scope */
    const char *scope_name;
    int64_t person_id;        /* linked registry person, 0 when none */
    char csrf[48];            /* this session's CSRF token */
    bool must_change_password;
    bool via_token;           /* API token rather than a browser session */
    int64_t session_id;
};

/* Resolves the session cookie or API token into r->who (NULL when anonymous or expired). */
void auth_attach(Req *r, Resp *w);
/* Checks the CSRF token of a non-GET request (form field "csrf" or header X-CSRF-Token) and the
 * Origin header. Returns true when the request may proceed. */
bool auth_csrf_ok(const Req *r);
/* True unless the Origin/Referer header names another site (used by the login form). */
bool auth_same_origin(const Req *r);
/* True when the caller holds every capability in `caps`. */
bool auth_has(const Req *r, unsigned caps);
/* True when the caller holds `caps` and `unit_path` lies inside their scope. */
bool auth_can(const Req *r, unsigned caps, const char *unit_path);
/* The caller's scope path, or a path that matches nothing for the public. */
const char *auth_scope(const Req *r);

/* ---- Logging in and out (used by the login pages and the API) ---- */

enum { AUTH_LOCK_AFTER = 5, AUTH_LOCK_AFTER_IP = 30, AUTH_LOCK_SECONDS = 15 * 60 };
typedef enum { AUTH_OK, AUTH_BAD, AUTH_DISABLED, AUTH_SLOW_DOWN, AUTH_LOCKED, AUTH_ERROR } AuthCode;
typedef struct AuthResult { AuthCode code; int64_t wait; int64_t user_id; char csrf[48]; } AuthResult;

/* Checks the password (throttled per account and per address, everything logged) and on success
 * starts a fresh session (any previous one of this browser is ended: no fixation) and sets the
 * cookie. */
AuthResult auth_login(Req *r, Resp *w, const char *username, const char *password);
/* Ends the caller's session and clears the cookie. */
void auth_logout(Req *r, Resp *w);
/* Ends every session of a user (password change, disabling). */
void auth_end_user_sessions(int64_t user_id, const char *reason);
/* Writes a login-log line (登录日志). */
void auth_log(const char *username, int64_t user_id, const char *ip, const char *event, const char *detail);
/* NULL when the password meets the policy, else the Chinese reason. */
const char *auth_password_problem(const char *username, const char *password);

/* Registers user, session, api_token, login_log, login_throttle and audit as protected tables
 * (platform/db.h): writes to them from anywhere else are refused. */
void auth_protect_tables(void);

/* Role table hook: the mechanism that owns roles registers the capabilities of each role name. */
typedef unsigned (*RoleCapsFn)(const char *role);
void auth_set_role_caps(RoleCapsFn fn);

#endif
