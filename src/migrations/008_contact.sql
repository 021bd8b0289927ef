-- 008 contact: the two-way contact mechanism (双向联系机制, src/contact/).
-- Village cadres are assigned the committees they guide and write guidance contacts (联系指导手册);
-- committee members are assigned the households they visit and record household visits (走访).
-- Records are edited (audited) or voided with a reason, never deleted.
--
-- Compliance counters are kept incrementally, in the same transaction as every write, so that a
-- county's compliance page reads only counters (docs/compliance.md):
--   visit_count  one row per (member person, month): visits owed (pro-rated) and done
--   unit_month   per unit and month, for the unit and every ancestor: expected, done (capped per
--                member at what they owed), members behind, members owing, raw visits
--   guide_count  one row per (cadre login, committee, quarter): contacts owed and done
--   unit_quarter per unit and quarter, the same figures for guidance
-- Months and quarters are materialised when first needed (contact_month, contact_quarter).
-- Committee seats change in src/committees/: a trigger marks the person in contact_dirty and the
-- next contact read or write recomputes what they owe. `zuwei check` recounts everything.
-- Months are integers YYYYMM (202611), quarters YYYYQ (20264).

-- A village cadre (a login, normally role 'village') assigned to guide a committee.
CREATE TABLE guide_assignment (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES user(id),
    committee_id INTEGER NOT NULL REFERENCES committee(id),
    unit_id      INTEGER NOT NULL REFERENCES unit(id),          -- the committee's village group
    start_date   TEXT NOT NULL,
    end_date     TEXT,
    end_note     TEXT NOT NULL DEFAULT '' CHECK (length(end_note) <= 200),
    created_by   INTEGER NOT NULL DEFAULT 0,
    CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX guide_assignment_user ON guide_assignment (user_id, end_date);
CREATE INDEX guide_assignment_committee ON guide_assignment (committee_id);
CREATE UNIQUE INDEX guide_assignment_one ON guide_assignment (user_id, committee_id) WHERE end_date IS NULL;

-- A committee member (the seat's person) assigned households to contact; one member per household
-- at a time.
CREATE TABLE visit_assignment (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES person(id),        -- the committee member
    household_id INTEGER NOT NULL REFERENCES household(id),
    unit_id      INTEGER NOT NULL REFERENCES unit(id),          -- the household's group
    start_date   TEXT NOT NULL,
    end_date     TEXT,
    created_by   INTEGER NOT NULL DEFAULT 0,
    CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX visit_assignment_person ON visit_assignment (person_id, end_date);
CREATE INDEX visit_assignment_unit ON visit_assignment (unit_id, end_date);
CREATE UNIQUE INDEX visit_assignment_one ON visit_assignment (household_id) WHERE end_date IS NULL;

-- 入户走访: a household visit by a committee member. duties is the 八大员 bit set (006).
CREATE TABLE visit (
    id           INTEGER PRIMARY KEY,
    client_id    TEXT UNIQUE CHECK (client_id IS NULL OR length(client_id) BETWEEN 8 AND 64),  -- offline capture
    member_id    INTEGER NOT NULL REFERENCES person(id),        -- the member who visited
    member_unit  INTEGER NOT NULL REFERENCES unit(id),          -- the member's group (counters)
    household_id INTEGER NOT NULL REFERENCES household(id),
    unit_id      INTEGER NOT NULL REFERENCES unit(id),          -- the household's group (scope)
    visited_on   TEXT NOT NULL,
    month        INTEGER NOT NULL,                              -- YYYYMM of visited_on
    purpose      TEXT NOT NULL DEFAULT '' CHECK (length(purpose) <= 200),
    requests     TEXT NOT NULL DEFAULT '' CHECK (length(requests) <= 2000),   -- 诉求
    problems     TEXT NOT NULL DEFAULT '' CHECK (length(problems) <= 2000),
    help         TEXT NOT NULL DEFAULT '' CHECK (length(help) <= 2000),
    follow_up    TEXT NOT NULL DEFAULT '' CHECK (length(follow_up) <= 2000),
    duties       INTEGER NOT NULL CHECK (duties BETWEEN 1 AND 255),
    entered_by   INTEGER NOT NULL DEFAULT 0,                    -- the login that wrote it (user.id)
    on_behalf    INTEGER NOT NULL DEFAULT 0,                    -- 1: written by someone for the member (代录)
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at   TEXT,
    void_at      TEXT,
    void_reason  TEXT NOT NULL DEFAULT '' CHECK (length(void_reason) <= 200),
    void_by      INTEGER
) STRICT;
-- Every index below costs one B-tree insert per recorded visit: keep only those a page reads
-- through. Months are built from visit_recent's date range (counters.c), not a month index.
CREATE INDEX visit_member ON visit (member_id, visited_on);
CREATE INDEX visit_unit ON visit (unit_id, visited_on);
CREATE INDEX visit_household ON visit (household_id, visited_on);
-- The visit list's display order (newest first), covering its scope, void and duty filters.
CREATE INDEX visit_recent ON visit (visited_on, id, unit_id, void_at, duties);

-- A visit's photo, EXIF removed before it is stored (src/contact/photo.c).
CREATE TABLE visit_photo (
    id       INTEGER PRIMARY KEY,
    visit_id INTEGER NOT NULL UNIQUE REFERENCES visit(id),
    mime     TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png')),
    bytes    BLOB NOT NULL,
    size     INTEGER NOT NULL
) STRICT;

-- 联系指导: a guidance contact by a village cadre with a committee.
CREATE TABLE guidance (
    id           INTEGER PRIMARY KEY,
    client_id    TEXT UNIQUE CHECK (client_id IS NULL OR length(client_id) BETWEEN 8 AND 64),
    user_id      INTEGER NOT NULL REFERENCES user(id),          -- the cadre
    committee_id INTEGER NOT NULL REFERENCES committee(id),
    unit_id      INTEGER NOT NULL REFERENCES unit(id),          -- the committee's group
    held_on      TEXT NOT NULL,
    quarter      INTEGER NOT NULL,                              -- YYYYQ of held_on
    how          TEXT NOT NULL CHECK (how IN ('site', 'phone', 'meeting')),
    checked      TEXT NOT NULL DEFAULT '' CHECK (length(checked) <= 2000),
    problems     TEXT NOT NULL DEFAULT '' CHECK (length(problems) <= 2000),
    advice       TEXT NOT NULL DEFAULT '' CHECK (length(advice) <= 2000),
    follow_up    TEXT NOT NULL DEFAULT '' CHECK (length(follow_up) <= 2000),
    duties       INTEGER NOT NULL DEFAULT 0 CHECK (duties BETWEEN 0 AND 255),
    entered_by   INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at   TEXT,
    void_at      TEXT,
    void_reason  TEXT NOT NULL DEFAULT '' CHECK (length(void_reason) <= 200),
    void_by      INTEGER
) STRICT;
CREATE INDEX guidance_pair ON guidance (user_id, committee_id, quarter);
CREATE INDEX guidance_quarter ON guidance (quarter, user_id, committee_id) WHERE void_at IS NULL;
CREATE INDEX guidance_unit ON guidance (unit_id, held_on);
-- The guidance list's display order (newest first), covering its scope filter.
CREATE INDEX guidance_recent ON guidance (held_on, id, unit_id);
CREATE INDEX guidance_voided ON guidance (unit_id) WHERE void_at IS NOT NULL;

-- ---- Counters ----
CREATE TABLE contact_month (month INTEGER PRIMARY KEY) STRICT;
CREATE TABLE contact_quarter (quarter INTEGER PRIMARY KEY) STRICT;

CREATE TABLE visit_count (
    person_id INTEGER NOT NULL,
    month     INTEGER NOT NULL,
    unit_id   INTEGER NOT NULL,          -- the member's group that month
    owed      INTEGER NOT NULL DEFAULT 0,
    done      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (person_id, month)
) STRICT, WITHOUT ROWID;
CREATE INDEX visit_count_unit ON visit_count (month, unit_id);
-- Members behind in a month, fewest done first (the compliance page and the digest).
CREATE INDEX visit_count_behind ON visit_count (month, (done * 1.0 / owed)) WHERE done < owed;

CREATE TABLE unit_month (
    unit_id  INTEGER NOT NULL,
    month    INTEGER NOT NULL,
    expected INTEGER NOT NULL DEFAULT 0,
    done     INTEGER NOT NULL DEFAULT 0,  -- Σ min(done, owed) over members
    behind   INTEGER NOT NULL DEFAULT 0,  -- members with done < owed
    owing    INTEGER NOT NULL DEFAULT 0,  -- members with owed > 0
    visits   INTEGER NOT NULL DEFAULT 0,  -- all visits, uncapped
    PRIMARY KEY (unit_id, month)
) STRICT, WITHOUT ROWID;

CREATE TABLE guide_count (
    user_id      INTEGER NOT NULL,
    committee_id INTEGER NOT NULL,
    quarter      INTEGER NOT NULL,
    unit_id      INTEGER NOT NULL,
    owed         INTEGER NOT NULL DEFAULT 0,
    done         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, committee_id, quarter)
) STRICT, WITHOUT ROWID;
CREATE INDEX guide_count_unit ON guide_count (quarter, unit_id);
CREATE INDEX guide_count_behind ON guide_count (quarter) WHERE done < owed;

CREATE TABLE unit_quarter (
    unit_id  INTEGER NOT NULL,
    quarter  INTEGER NOT NULL,
    expected INTEGER NOT NULL DEFAULT 0,
    done     INTEGER NOT NULL DEFAULT 0,
    behind   INTEGER NOT NULL DEFAULT 0,
    owing    INTEGER NOT NULL DEFAULT 0,
    visits   INTEGER NOT NULL DEFAULT 0,  -- all guidance contacts, uncapped
    PRIMARY KEY (unit_id, quarter)
) STRICT, WITHOUT ROWID;

-- visit_tally: the visit list's totals per household group (and every ancestor) and month: visits
-- in force and voided ones. Kept with every visit write like the counters above.
CREATE TABLE visit_tally (
    unit_id INTEGER NOT NULL,
    month   INTEGER NOT NULL,
    visits  INTEGER NOT NULL DEFAULT 0,
    voided  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, month)
) STRICT, WITHOUT ROWID;

-- A person's seats by start date: recording a visit looks up the member's group on the visit's
-- date (member_unit_on), and a seat change recounts the person (refresh_member). Without it both
-- read every seat of the county.
CREATE INDEX contact_seat_person ON committee_member (person_id, start_date);

-- Members whose seats changed since their counters were computed.
CREATE TABLE contact_dirty (person_id INTEGER PRIMARY KEY) STRICT;
CREATE TRIGGER contact_seat_ins AFTER INSERT ON committee_member BEGIN
    INSERT OR IGNORE INTO contact_dirty (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER contact_seat_upd AFTER UPDATE OF person_id, start_date, end_date, committee_id ON committee_member BEGIN
    INSERT OR IGNORE INTO contact_dirty (person_id) VALUES (OLD.person_id);
    INSERT OR IGNORE INTO contact_dirty (person_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER contact_seat_del AFTER DELETE ON committee_member BEGIN
    INSERT OR IGNORE INTO contact_dirty (person_id) VALUES (OLD.person_id);
END;

INSERT OR IGNORE INTO setting (key, value, note) VALUES
    ('contact.visits_per_month', '5', '组委会成员每月入户走访不少于（次）'),
    ('contact.guidance_per_quarter', '1', '村干部每季度联系指导每个组委会不少于（次）');
-- A new threshold changes what everyone owes: every member is recomputed, and -1 asks for every
-- cadre–committee pair to be recomputed.
CREATE TRIGGER contact_setting_upd AFTER UPDATE OF value ON setting
WHEN NEW.key IN ('contact.visits_per_month', 'contact.guidance_per_quarter') BEGIN
    INSERT OR IGNORE INTO contact_dirty (person_id) SELECT DISTINCT person_id FROM committee_member;
    INSERT OR IGNORE INTO contact_dirty (person_id) VALUES (-1);
END;
