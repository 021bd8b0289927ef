-- 005 people: the roll of villagers (组民) and households (户) — the registry every count starts from.
-- Nothing is deleted: moves and status changes are person_event rows (and audit entries).
-- Resident ID numbers are never stored in clear: idnum_sealed is secretbox ciphertext
-- (src/platform/crypto.c), idnum_blind a keyed hash for exact lookup, idnum_mask the display form.
-- Enumerations are checked with OR rather than IN (...): SQLite evaluates a CHECK's IN list of more
-- than two values by building a temporary b-tree for every INSERT statement that runs it.
CREATE TABLE household (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES unit(id),          -- the village group
    hh_no         TEXT NOT NULL DEFAULT '' CHECK (length(hh_no) <= 20),   -- 户号
    address       TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 100),
    head_id       INTEGER REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,   -- 户主
    rep_id        INTEGER REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,   -- 户代表
    farmland_c    INTEGER NOT NULL DEFAULT 0 CHECK (farmland_c >= 0),   -- 耕地, 亩 × 100
    forest_c      INTEGER NOT NULL DEFAULT 0 CHECK (forest_c >= 0),     -- 林地, 亩 × 100
    livestock     INTEGER NOT NULL DEFAULT 0 CHECK (livestock >= 0),    -- 家畜存栏, 头
    poultry       INTEGER NOT NULL DEFAULT 0 CHECK (poultry >= 0),      -- 家禽, 只
    poverty       TEXT NOT NULL DEFAULT 'none'                                     -- 脱贫户 / 监测户
                  CHECK (poverty = 'none' OR poverty = 'lifted' OR poverty = 'monitored'),
    family_rules  TEXT NOT NULL DEFAULT '' CHECK (length(family_rules) <= 2000),  -- 家规家训
    -- counted from the roll by triggers below: members living here or away, labour force, migrants
    members       INTEGER NOT NULL DEFAULT 0,
    labour        INTEGER NOT NULL DEFAULT 0,
    migrants      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    ended_at      TEXT
) STRICT;
CREATE INDEX household_unit ON household (unit_id, hh_no);
-- a group's list of households in 户号 order (shorter first keeps 2 before 10), without a sort
CREATE INDEX household_list ON household (unit_id, length(hh_no), hh_no) WHERE ended_at IS NULL;

-- flags: bit 0 party member 党员, 1 春晖使者, 2 致富能手, 3 复转军人, 4 退休公职人员, 5 村两委干部,
--        6 法律明白人, 7 labour force 劳动力   (src/people/people.h PF_*)
CREATE TABLE person (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES unit(id),           -- the village group
    household_id INTEGER REFERENCES household(id),
    relation     TEXT NOT NULL DEFAULT 'other' CHECK (relation = 'head' OR relation = 'spouse' OR relation = 'child'
                 OR relation = 'parent' OR relation = 'grandchild' OR relation = 'grandparent' OR relation = 'sibling'
                 OR relation = 'child_in_law' OR relation = 'other'),
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 30),
    initials     TEXT NOT NULL DEFAULT '',                       -- pinyin initials, for search
    sex          TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    birth        TEXT NOT NULL,                                  -- YYYY-MM-DD
    idnum_sealed TEXT,
    idnum_blind  TEXT UNIQUE,
    idnum_mask   TEXT NOT NULL DEFAULT '',
    idnum_tail   TEXT NOT NULL DEFAULT '',                       -- last 4 characters, for search
    idnum_legacy INTEGER NOT NULL DEFAULT 0,                     -- 15-digit number
    phone        TEXT NOT NULL DEFAULT '',
    ethnicity    TEXT NOT NULL DEFAULT '' CHECK (length(ethnicity) <= 10),
    education    TEXT NOT NULL DEFAULT '' CHECK (length(education) <= 10),
    status       TEXT NOT NULL DEFAULT 'resident'
                 CHECK (status = 'resident' OR status = 'moved' OR status = 'migrant' OR status = 'deceased'),
    status_date  TEXT,
    flags        INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX person_unit_name ON person (unit_id, name);
CREATE INDEX person_household ON person (household_id);
CREATE INDEX person_name ON person (name);
CREATE INDEX person_initials ON person (initials);
CREATE INDEX person_unit_initials ON person (unit_id, initials);   -- initials search inside a township or village
CREATE INDEX person_tail ON person (idnum_tail);

-- History of a person: moves between households and groups, status changes, corrections.
CREATE TABLE person_event (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES person(id),
    kind       TEXT NOT NULL
               CHECK (kind = 'created' OR kind = 'moved' OR kind = 'status' OR kind = 'household' OR kind = 'corrected'),
    on_date    TEXT NOT NULL,
    from_unit  INTEGER, to_unit INTEGER,
    from_household INTEGER, to_household INTEGER,
    detail     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX person_event_person ON person_event (person_id);

-- People on the roll per village group (every status), so that the size of a township's or the
-- county's roll is a sum over its groups instead of a count over 240,000 rows.
CREATE TABLE unit_roll (
    unit_id INTEGER PRIMARY KEY REFERENCES unit(id),
    people  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TRIGGER unit_roll_ins AFTER INSERT ON person BEGIN
    INSERT INTO unit_roll (unit_id, people) VALUES (NEW.unit_id, 1)
        ON CONFLICT (unit_id) DO UPDATE SET people = people + 1;
END;
CREATE TRIGGER unit_roll_move AFTER UPDATE OF unit_id ON person WHEN OLD.unit_id != NEW.unit_id BEGIN
    UPDATE unit_roll SET people = people - 1 WHERE unit_id = OLD.unit_id;
    INSERT INTO unit_roll (unit_id, people) VALUES (NEW.unit_id, 1)
        ON CONFLICT (unit_id) DO UPDATE SET people = people + 1;
END;

-- Household counts follow the roll. "Members" are people of the household who are not moved out
-- or deceased (migrant workers away still belong to it).
CREATE TRIGGER person_counts_ins AFTER INSERT ON person WHEN NEW.household_id IS NOT NULL BEGIN
    UPDATE household SET
        members = members + (NEW.status IN ('resident', 'migrant')),
        labour = labour + (NEW.status IN ('resident', 'migrant') AND (NEW.flags & 128) != 0),
        migrants = migrants + (NEW.status = 'migrant')
    WHERE id = NEW.household_id;
END;
CREATE TRIGGER person_counts_upd AFTER UPDATE OF household_id, status, flags ON person BEGIN
    UPDATE household SET
        members = members - (OLD.status IN ('resident', 'migrant')),
        labour = labour - (OLD.status IN ('resident', 'migrant') AND (OLD.flags & 128) != 0),
        migrants = migrants - (OLD.status = 'migrant')
    WHERE id = OLD.household_id;
    UPDATE household SET
        members = members + (NEW.status IN ('resident', 'migrant')),
        labour = labour + (NEW.status IN ('resident', 'migrant') AND (NEW.flags & 128) != 0),
        migrants = migrants + (NEW.status = 'migrant')
    WHERE id = NEW.household_id;
END;
