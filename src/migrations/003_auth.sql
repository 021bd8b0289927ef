-- 003 auth: logins, sessions, API tokens, the login log and failed-login throttling.
-- These tables are protected: only src/platform/auth.c and src/org/users.c may write them.
CREATE TABLE user (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 3 AND 32),
    display_name  TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 30),
    phone         TEXT NOT NULL DEFAULT '',
    person_id     INTEGER,
    role          TEXT NOT NULL CHECK (role IN ('county_admin', 'township', 'village', 'member', 'villager', 'auditor')),
    scope_unit    INTEGER NOT NULL REFERENCES unit(id),
    active        INTEGER NOT NULL DEFAULT 1,
    must_change   INTEGER NOT NULL DEFAULT 1,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    password_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX user_scope ON user (scope_unit);

-- Sessions: the cookie holds a random 256-bit token; only its keyed hash is stored.
CREATE TABLE session (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES user(id),
    token_hash TEXT NOT NULL UNIQUE,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,     -- unix seconds
    seen_at    INTEGER NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    ended_at   INTEGER,
    end_reason TEXT
) STRICT;
CREATE INDEX session_user ON session (user_id);

CREATE TABLE api_token (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES user(id),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    token_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES user(id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    used_at    TEXT,
    revoked_at TEXT
) STRICT;

-- 登录日志: every login, logout, failure, lock and password change.
CREATE TABLE login_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    username TEXT NOT NULL,
    user_id  INTEGER,
    ip       TEXT NOT NULL DEFAULT '',
    event    TEXT NOT NULL CHECK (event IN ('login', 'logout', 'fail', 'locked', 'password', 'expired', 'token')),
    detail   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX login_log_at ON login_log (at);

-- Failed logins per account ("u:NAME") and per address ("ip:ADDR").
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0,
    last_fail    INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0
) STRICT;
