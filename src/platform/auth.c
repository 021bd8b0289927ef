/* auth.c — sessions, API tokens, CSRF, failed-login throttling and the capability checks.
 *
 * Session cookie "zw_session" holds a random 256-bit token; the database keeps only its keyed hash,
 * so a copy of the database cannot be replayed as a login. A session ends at logout, after
 * SESSION_IDLE seconds without a request, or SESSION_MAX seconds after login, whichever comes first.
 * The tables user, session, api_token, login_log and login_throttle are protected: this file and
 * src/org/users.c hold the key (DB_KEY_AUTH). */
#include "platform/auth.h"
#include "platform/audit.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/log.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum {
    SESSION_IDLE = 24 * 3600,        /* a phone in the field may sit unused for a day */
    SESSION_MAX = 7 * 24 * 3600,     /* but a login never outlives a week */
    SEEN_GRANULARITY = 60,           /* seen_at is rewritten at most once a minute */
};

static RoleCapsFn role_caps;

void auth_set_role_caps(RoleCapsFn fn) { role_caps = fn; }

static unsigned caps_of(const char *role) { return role_caps ? role_caps(role) : 0; }

/* Fills a Principal from the current row of a statement whose columns are: user id, username,
 * display name, role, scope unit, scope path, scope name, person id, must_change. */
static Principal *principal_from_row(Req *r, Stmt *st, int first) {
    Principal *p = arena_alloc(r->arena, sizeof *p);
    memset(p, 0, sizeof *p);
    p->user_id = db_col_int(st, first + 0);
    p->username = arena_strdup(r->arena, db_col_text(st, first + 1));
    p->display_name = arena_strdup(r->arena, db_col_text(st, first + 2));
    p->role = arena_strdup(r->arena, db_col_text(st, first + 3));
    p->scope_unit = db_col_int(st, first + 4);
    p->scope_path = arena_strdup(r->arena, db_col_text(st, first + 5));
    p->scope_name = arena_strdup(r->arena, db_col_text(st, first + 6));
    p->person_id = db_col_int(st, first + 7);
    p->must_change_password = db_col_int(st, first + 8) != 0;
    p->caps = caps_of(p->role) | CAP_LOGIN;
    return p;
}

/* Resolves "Authorization: Bearer TOKEN" into the token's user. */
static void attach_token(Req *r, const char *token) {
    char h[65];
    crypto_token_hash(token, h);
    Stmt *st = db_prep("SELECT t.id, u.id, u.username, u.display_name, u.role, u.scope_unit, s.path, s.name,"
                       " coalesce(u.person_id, 0), 0"
                       " FROM api_token t JOIN user u ON u.id = t.user_id JOIN unit s ON s.id = u.scope_unit"
                       " WHERE t.token_hash = :h AND t.revoked_at IS NULL AND u.active = 1");
    db_bind_text(st, ":h", h);
    if (db_step(st) == SQLITE_ROW) {
        r->who = principal_from_row(r, st, 1);
        r->who->via_token = true;
        int64_t tid = db_col_int(st, 0);
        sqlite3_reset(st);
        int prev = db_unlock(DB_KEY_AUTH);
        Stmt *up = db_prep("UPDATE api_token SET used_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = :id"
                           " AND (used_at IS NULL OR used_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minute'))");
        db_bind_int(up, ":id", tid);
        db_exec(up);
        db_relock(prev);
    } else if (st) {
        sqlite3_reset(st);
    }
}

/* Ends a session with a reason; used for logout, expiry and rotation. */
static void end_session(int64_t id, const char *reason) {
    int prev = db_unlock(DB_KEY_AUTH);
    Stmt *st = db_prep("UPDATE session SET ended_at = unixepoch(), end_reason = :why WHERE id = :id AND ended_at IS NULL");
    db_bind_text(st, ":why", reason);
    db_bind_int(st, ":id", id);
    db_exec(st);
    db_relock(prev);
}

void auth_attach(Req *r, Resp *w) {
    r->who = NULL;
    const char *authz = req_header(r, "Authorization");
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        attach_token(r, authz + 7);
        return;
    }
    const char *cookie = req_cookie(r, "zw_session");
    if (!cookie || strlen(cookie) != 43) return;
    char h[65];
    crypto_token_hash(cookie, h);
    Stmt *st = db_prep("SELECT s.id, s.csrf, s.created_at, s.seen_at, s.ended_at IS NOT NULL,"
                       " u.id, u.username, u.display_name, u.role, u.scope_unit, sc.path, sc.name,"
                       " coalesce(u.person_id, 0), u.must_change, u.active"
                       " FROM session s JOIN user u ON u.id = s.user_id JOIN unit sc ON sc.id = u.scope_unit"
                       " WHERE s.token_hash = :h");
    db_bind_text(st, ":h", h);
    if (db_step(st) != SQLITE_ROW) { if (st) sqlite3_reset(st); return; }
    int64_t sid = db_col_int(st, 0), created = db_col_int(st, 2), seen = db_col_int(st, 3);
    bool ended = db_col_int(st, 4) != 0, active = db_col_int(st, 14) != 0;
    int64_t now = (int64_t)time(NULL);
    if (ended) { sqlite3_reset(st); return; }
    if (!active || now - seen > SESSION_IDLE || now - created > SESSION_MAX) {
        sqlite3_reset(st);
        end_session(sid, active ? "expired" : "disabled");
        resp_set_cookie(r, w, "zw_session", "", 0, true);
        return;
    }
    Principal *p = principal_from_row(r, st, 5);
    p->session_id = sid;
    str_copy(p->csrf, sizeof p->csrf, db_col_text(st, 1));
    sqlite3_reset(st);
    r->who = p;
    if (now - seen >= SEEN_GRANULARITY) {
        int prev = db_unlock(DB_KEY_AUTH);
        Stmt *up = db_prep("UPDATE session SET seen_at = :now WHERE id = :id");
        db_bind_int(up, ":now", now);
        db_bind_int(up, ":id", sid);
        db_exec(up);
        db_relock(prev);
    }
}

/* True when the Origin (or, failing that, Referer) header names this host; absent headers pass
 * (old phone browsers send neither on same-origin posts; the token still has to match). */
bool auth_same_origin(const Req *r) {
    const char *host = req_header(r, "Host");
    const char *origin = req_header(r, "Origin");
    if (!origin) origin = req_header(r, "Referer");
    if (!origin || !host) return true;
    if (strcmp(origin, "null") == 0) return false;
    const char *p = strstr(origin, "://");
    if (!p) return false;
    p += 3;
    size_t hl = strlen(host);
    return strncmp(p, host, hl) == 0 && (p[hl] == 0 || p[hl] == '/');
}

bool auth_csrf_ok(const Req *r) {
    if (!auth_same_origin(r)) return false;
    if (r->who && r->who->via_token) return true;     /* bearer tokens are not sent by browsers */
    if (!r->who) return false;
    const char *t = req_header(r, "X-CSRF-Token");
    if (!t) t = req_param_src(r, "csrf", SRC_FORM);
    size_t n = strlen(r->who->csrf);
    return t && strlen(t) == n && sodium_memcmp(t, r->who->csrf, n) == 0;
}

bool auth_has(const Req *r, unsigned caps) { return r->who && (r->who->caps & caps) == caps; }

bool auth_can(const Req *r, unsigned caps, const char *unit_path) {
    if (!auth_has(r, caps) || !unit_path) return false;
    size_t n = strlen(r->who->scope_path);
    return n && strncmp(unit_path, r->who->scope_path, n) == 0;
}

/* "\x01" matches no path: every path starts with '/'. */
const char *auth_scope(const Req *r) { return r->who ? r->who->scope_path : "\x01"; }

/* ---------------------------------------------------------------------------------------------
 * Login, logout, throttling */

void auth_log(const char *username, int64_t user_id, const char *ip, const char *event, const char *detail) {
    int prev = db_unlock(DB_KEY_AUTH);
    Stmt *st = db_prep("INSERT INTO login_log (username, user_id, ip, event, detail) VALUES (:u, :uid, :ip, :ev, :d)");
    db_bind_text(st, ":u", username);
    if (user_id) db_bind_int(st, ":uid", user_id);
    else db_bind_null(st, ":uid");
    db_bind_text(st, ":ip", ip ? ip : "");
    db_bind_text(st, ":ev", event);
    db_bind_text(st, ":d", detail ? detail : "");
    db_exec(st);
    db_relock(prev);
}

/* Seconds the key must still wait, 0 when an attempt is allowed now. Accounts also get a growing
 * delay after the third failure; addresses only the lock (a village office shares one address). */
static int64_t throttle_wait(const char *key, int64_t now, bool growing) {
    Stmt *st = db_prep("SELECT failures, last_fail, locked_until FROM login_throttle WHERE key = :k");
    db_bind_text(st, ":k", key);
    int64_t wait = 0;
    if (db_step(st) == SQLITE_ROW) {
        int64_t f = db_col_int(st, 0), last = db_col_int(st, 1), locked = db_col_int(st, 2);
        if (locked > now) wait = locked - now;
        else if (growing && f >= 3 && locked == 0 && now - last < AUTH_LOCK_SECONDS) {
            int64_t delay = (int64_t)1 << (f - 2 > 4 ? 4 : f - 2);   /* 2, 4, 8, 16 s */
            if (last + delay > now) wait = last + delay - now;
        }
    }
    if (st) sqlite3_reset(st);
    return wait;
}

/* Counts a failure for key; returns true when it has just locked the key. */
static bool throttle_fail(const char *key, int64_t now, int lock_after) {
    int prev = db_unlock(DB_KEY_AUTH);
    Stmt *st = db_prep("INSERT INTO login_throttle (key, failures, last_fail) VALUES (:k, 1, :now)"
                       " ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN (locked_until != 0 AND locked_until <= :now)"
                       " OR last_fail < :now - :window THEN 1 ELSE failures + 1 END, last_fail = :now,"
                       " locked_until = CASE WHEN locked_until != 0 AND locked_until <= :now THEN 0 ELSE locked_until END"
                       " RETURNING failures");
    db_bind_text(st, ":k", key);
    db_bind_int(st, ":now", now);
    db_bind_int(st, ":window", AUTH_LOCK_SECONDS);   /* failures older than this are forgotten */
    int64_t f = db_one_int(st, 0);
    bool locked = false;
    if (f >= lock_after) {
        st = db_prep("UPDATE login_throttle SET locked_until = :until WHERE key = :k AND locked_until <= :now");
        db_bind_text(st, ":k", key);
        db_bind_int(st, ":now", now);
        db_bind_int(st, ":until", now + AUTH_LOCK_SECONDS);
        db_exec(st);
        locked = db_changes() > 0;
    }
    db_relock(prev);
    return locked;
}

static void throttle_clear(const char *key) {
    int prev = db_unlock(DB_KEY_AUTH);
    Stmt *st = db_prep("DELETE FROM login_throttle WHERE key = :k");
    db_bind_text(st, ":k", key);
    db_exec(st);
    db_relock(prev);
}

/* Creates a session for the user; writes the cookie token into `token` and the session's CSRF
 * token into `csrf`. Returns 0 or -1. */
static int new_session(int64_t user_id, const char *ip, char token[48], char csrf[48]) {
    char h[65];
    crypto_token(token);
    crypto_token(csrf);
    crypto_token_hash(token, h);
    int prev = db_unlock(DB_KEY_AUTH);
    Stmt *st = db_prep("INSERT INTO session (user_id, token_hash, csrf, created_at, seen_at, ip)"
                       " VALUES (:u, :h, :c, unixepoch(), unixepoch(), :ip)");
    db_bind_int(st, ":u", user_id);
    db_bind_text(st, ":h", h);
    db_bind_text(st, ":c", csrf);
    db_bind_text(st, ":ip", ip ? ip : "");
    int rc = db_exec(st);
    db_relock(prev);
    return rc == 0 ? 0 : -1;
}

static char dummy_hash[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void) { crypto_password_hash("no such user 0", dummy_hash); }

AuthResult auth_login(Req *r, Resp *w, const char *username, const char *password) {
    int64_t now = (int64_t)time(NULL);
    char ukey[80], ikey[80];
    snprintf(ukey, sizeof ukey, "u:%.60s", username);
    for (char *p = ukey + 2; *p; p++) *p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    snprintf(ikey, sizeof ikey, "ip:%.60s", r->client ? r->client : "");
    AuthResult res = {AUTH_BAD, 0, 0, ""};
    int64_t wait_u = throttle_wait(ukey, now, true), wait_i = throttle_wait(ikey, now, false);
    int64_t wait = wait_u > wait_i ? wait_u : wait_i;
    if (wait > 0) {
        auth_log(username, 0, r->client, "fail", "throttled");
        res.code = wait > 60 ? AUTH_LOCKED : AUTH_SLOW_DOWN;
        res.wait = wait;
        return res;
    }
    Stmt *st = db_prep("SELECT id, password_hash, active FROM user WHERE username = :u");
    db_bind_text(st, ":u", username);
    int64_t uid = 0;
    char hash[160] = "";
    bool active = false;
    if (db_step(st) == SQLITE_ROW) {
        uid = db_col_int(st, 0);
        str_copy(hash, sizeof hash, db_col_text(st, 1));
        active = db_col_int(st, 2) != 0;
    }
    if (st) sqlite3_reset(st);
    /* Unknown users cost the same time as known ones, so timing does not reveal who exists. */
    pthread_once(&dummy_once, make_dummy_hash);
    bool ok = crypto_password_verify(uid ? hash : dummy_hash, password) && uid;
    if (!ok) {
        bool locked_u = throttle_fail(ukey, now, AUTH_LOCK_AFTER);
        bool locked_i = throttle_fail(ikey, now, AUTH_LOCK_AFTER_IP);
        auth_log(username, uid, r->client, "fail", uid ? "wrong password" : "unknown user");
        Actor fa = {0, username, "", r->client};
        audit_event(&fa, "login_failed", "user", uid, 0, json_pack("{s:s}", "reason", uid ? "wrong password" : "unknown user"));
        if (locked_u || locked_i) {
            auth_log(username, uid, r->client, "locked", locked_u ? "account" : "address");
            Actor a = {0, username, "", r->client};
            audit_event(&a, "lock", "login", uid, 0, json_pack("{s:s}", "by", locked_u ? "account" : "address"));
        }
        return res;
    }
    if (!active) {
        auth_log(username, uid, r->client, "fail", "disabled");
        Actor fa = {0, username, "", r->client};
        audit_event(&fa, "login_failed", "user", uid, 0, json_pack("{s:s}", "reason", "disabled"));
        res.code = AUTH_DISABLED;
        return res;
    }
    throttle_clear(ukey);
    const char *old = req_cookie(r, "zw_session");
    if (old && strlen(old) == 43) {               /* rotation: the old token never becomes a login */
        char oh[65];
        crypto_token_hash(old, oh);
        int prev = db_unlock(DB_KEY_AUTH);
        Stmt *e = db_prep("UPDATE session SET ended_at = unixepoch(), end_reason = 'rotated'"
                          " WHERE token_hash = :h AND ended_at IS NULL");
        db_bind_text(e, ":h", oh);
        db_exec(e);
        db_relock(prev);
    }
    char token[48];
    if (new_session(uid, r->client, token, res.csrf) != 0) { res.code = AUTH_ERROR; return res; }
    resp_set_cookie(r, w, "zw_session", arena_strdup(r->arena, token), SESSION_MAX, true);
    auth_log(username, uid, r->client, "login", "");
    Actor a = {uid, username, "", r->client};
    audit_event(&a, "login", "user", uid, 0, NULL);
    res.code = AUTH_OK;
    res.user_id = uid;
    return res;
}

void auth_logout(Req *r, Resp *w) {
    if (r->who && r->who->session_id) {
        end_session(r->who->session_id, "logout");
        auth_log(r->who->username, r->who->user_id, r->client, "logout", "");
        Actor a = actor_of(r);
        audit_event(&a, "logout", "user", r->who->user_id, 0, NULL);
    }
    resp_set_cookie(r, w, "zw_session", "", 0, true);
    r->who = NULL;
}

void auth_end_user_sessions(int64_t user_id, const char *reason) {
    int prev = db_unlock(DB_KEY_AUTH);
    Stmt *st = db_prep("UPDATE session SET ended_at = unixepoch(), end_reason = :why WHERE user_id = :u AND ended_at IS NULL");
    db_bind_int(st, ":u", user_id);
    db_bind_text(st, ":why", reason);
    db_exec(st);
    db_relock(prev);
}

const char *auth_password_problem(const char *username, const char *password) {
    size_t n = strlen(password);
    bool letter = false, digit = false;
    for (const char *p = password; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) letter = true;
        if (*p >= '0' && *p <= '9') digit = true;
    }
    if (n < 8 || n > 128 || !letter || !digit) return "密码至少 8 位，须同时包含字母和数字";
    if (username && strcasecmp(username, password) == 0) return "密码不能与用户名相同";
    static const char *const common[] = {"password1", "abc12345", "abcd1234", "qwer1234", "a1234567", "1234qwer",
                                         "12345678a", "a12345678", "zuwei123", "admin123", "password123", NULL};
    for (int i = 0; common[i]; i++)
        if (strcasecmp(common[i], password) == 0) return "这个密码太常见，请换一个";
    return NULL;
}

void auth_protect_tables(void) {
    static const char *const tables[] = {"user", "session", "api_token", "login_log", "login_throttle", NULL};
    for (int i = 0; tables[i]; i++) db_protect(tables[i], DB_KEY_AUTH);
    db_protect("audit", DB_KEY_AUDIT);
}
