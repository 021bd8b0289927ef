-- 002 org: the unit tree (county → township → village → village group) and the party side.
-- Dates are TEXT 'YYYY-MM-DD'. A unit is ended (end_date), never deleted, so history stays readable.
-- path is the materialised path of ids ("/1/12/345/"); scope checks compare it by range:
--   u.path BETWEEN :scope AND :scope || '~'   (ids and '/' sort below '~'; the index on path is used)
CREATE TABLE unit (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES unit(id),
    kind       TEXT NOT NULL CHECK (kind IN ('county', 'township', 'village', 'group')),
    subkind    TEXT NOT NULL DEFAULT '' CHECK (subkind IN ('', 'street', 'town', 'xiang', 'group', 'hamlet')),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    code       TEXT UNIQUE CHECK (code IS NULL OR length(code) IN (12, 15)),
    path       TEXT NOT NULL UNIQUE,
    depth      INTEGER NOT NULL,
    sort       INTEGER NOT NULL DEFAULT 0,
    start_date TEXT NOT NULL,
    end_date   TEXT,
    CHECK ((parent_id IS NULL) = (kind = 'county'))
) STRICT;
CREATE INDEX unit_parent ON unit (parent_id, sort, name);

-- The party side: township party committee (党委), village branch (党支部), party group (党小组).
CREATE TABLE party_org (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES unit(id),
    parent_id   INTEGER REFERENCES party_org(id),
    kind        TEXT NOT NULL CHECK (kind IN ('committee', 'branch', 'group')),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    leader_name TEXT NOT NULL DEFAULT '' CHECK (length(leader_name) <= 30),
    leader_person_id INTEGER,
    start_date  TEXT NOT NULL,
    end_date    TEXT
) STRICT;
CREATE UNIQUE INDEX party_org_unit ON party_org (unit_id) WHERE end_date IS NULL;
