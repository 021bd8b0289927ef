-- 001 platform: settings (county policy values, see docs/LEGAL.md) and instance facts.
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    note  TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE instance (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    demo       INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO instance (id) VALUES (1);
