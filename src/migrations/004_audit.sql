-- 004 audit: the append-only, hash-chained log of every change (操作日志).
-- hash = SHA-256 over the previous entry's hash and this entry's fields (src/platform/audit.c);
-- `zuwei check` recomputes the chain. The triggers make accidental edits fail loudly; the chain
-- catches deliberate ones.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_id   INTEGER,
    username  TEXT NOT NULL,
    on_behalf TEXT NOT NULL DEFAULT '',
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    unit_id   INTEGER,
    unit_path TEXT NOT NULL DEFAULT '',
    before    TEXT,
    after     TEXT,
    ip        TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE INDEX audit_unit ON audit (unit_path);
CREATE INDEX audit_entity ON audit (entity, entity_id);
CREATE INDEX audit_user ON audit (user_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
