-- 006 committees: group committees (组委会), their members and posts, and the formation meetings
-- (elections) that create them. The party group (党小组) is party_org (kind 'group') of the village
-- group; its members are the group's party members (person.flags & 1).
--
-- The eight duties (八大员) are a fixed dictionary in src/committees/duties.h; activity records
-- (visits, guidance, cases, meetings) carry the duties they served as a bit set `duties`:
--   1 宣传员 publicist, 2 监督员 supervisor, 4 调解员 mediator, 8 倡导员 advocate,
--   16 代理员 agent, 32 领航员 navigator, 64 协管员 co-manager, 128 示范员 example.

-- A formation: the group meeting that elected or recommended a committee (or one member).
CREATE TABLE formation (
    id               INTEGER PRIMARY KEY,
    unit_id          INTEGER NOT NULL REFERENCES unit(id),      -- the village group
    kind             TEXT NOT NULL DEFAULT 'full' CHECK (kind IN ('full', 'by_election')),
    held_on          TEXT NOT NULL,                             -- YYYY-MM-DD
    place            TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 60),
    body             TEXT NOT NULL CHECK (body IN ('assembly', 'representatives')),   -- 组民大会 / 组民代表会议
    method           TEXT NOT NULL CHECK (method IN ('household_reps', 'direct')),   -- 户代表选举 / 直接推选
    convened_by      TEXT NOT NULL DEFAULT '' CHECK (length(convened_by) <= 100),
    seats            INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 9),
    eligible         INTEGER NOT NULL CHECK (eligible >= 0),    -- computed from the roll on held_on
    present          INTEGER NOT NULL CHECK (present >= 0),
    ballots_issued   INTEGER NOT NULL DEFAULT 0 CHECK (ballots_issued >= 0),
    ballots_returned INTEGER NOT NULL DEFAULT 0 CHECK (ballots_returned >= 0),
    ballots_void     INTEGER NOT NULL DEFAULT 0 CHECK (ballots_void >= 0),
    round            INTEGER NOT NULL DEFAULT 1,                -- 2 = a run-off (另行选举) was held
    runoff_issued    INTEGER NOT NULL DEFAULT 0 CHECK (runoff_issued >= 0),     -- ballots of the run-off
    runoff_returned  INTEGER NOT NULL DEFAULT 0 CHECK (runoff_returned >= 0),
    runoff_void      INTEGER NOT NULL DEFAULT 0 CHECK (runoff_void >= 0),
    status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed', 'failed')),
    result_note      TEXT NOT NULL DEFAULT '',                  -- the count's outcome, as confirmed
    size_note        TEXT NOT NULL DEFAULT '' CHECK (length(size_note) <= 200),  -- acknowledgement of a size outside the policy
    committee_id     INTEGER REFERENCES committee(id) DEFERRABLE INITIALLY DEFERRED,
    created_by       INTEGER,
    confirmed_at     TEXT
) STRICT;
CREATE INDEX formation_unit ON formation (unit_id, held_on);

CREATE TABLE formation_candidate (
    id           INTEGER PRIMARY KEY,
    formation_id INTEGER NOT NULL REFERENCES formation(id),
    person_id    INTEGER NOT NULL REFERENCES person(id),
    post         TEXT NOT NULL CHECK (post IN ('chair', 'mediator', 'supervisor', 'environment', 'member', 'custom')),
    post_name    TEXT NOT NULL DEFAULT '' CHECK (length(post_name) <= 20),
    votes        INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0),
    runoff_votes INTEGER,
    elected      INTEGER NOT NULL DEFAULT 0,
    cadre_reason TEXT NOT NULL DEFAULT '' CHECK (length(cadre_reason) <= 200),    -- required for a 村两委干部
    outside_reason TEXT NOT NULL DEFAULT '' CHECK (length(outside_reason) <= 200),-- required for someone of another group
    UNIQUE (formation_id, person_id)
) STRICT;
CREATE INDEX formation_candidate_formation ON formation_candidate (formation_id);

-- Written proxies (委托投票) by a close relative, listed with the formation.
CREATE TABLE formation_proxy (
    id           INTEGER PRIMARY KEY,
    formation_id INTEGER NOT NULL REFERENCES formation(id),
    voter_id     INTEGER NOT NULL REFERENCES person(id),
    proxy_id     INTEGER NOT NULL REFERENCES person(id),
    relation     TEXT NOT NULL CHECK (length(relation) BETWEEN 1 AND 10),
    UNIQUE (formation_id, voter_id)
) STRICT;
CREATE INDEX formation_proxy_formation ON formation_proxy (formation_id);

CREATE TABLE committee (
    id           INTEGER PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES unit(id),          -- the village group
    term_start   TEXT NOT NULL,
    term_end     TEXT NOT NULL,                                 -- planned end of the term
    formation_id INTEGER REFERENCES formation(id),
    size_note    TEXT NOT NULL DEFAULT '',                      -- reason acknowledging a size outside 3–5
    attention    INTEGER NOT NULL DEFAULT 0,                    -- 1 when a rule warns (size, no chair)
    ended_on     TEXT,
    end_reason   TEXT NOT NULL DEFAULT '' CHECK (end_reason IN ('', 'term_end', 'dissolved')),
    -- Kept by the triggers below (never written by the application):
    path         TEXT NOT NULL DEFAULT '',                      -- the group's unit path, for listing in order
    members      INTEGER NOT NULL DEFAULT 0,                    -- active members
    party        INTEGER NOT NULL DEFAULT 0,                    -- of them party members
    women        INTEGER NOT NULL DEFAULT 0,
    chairs       INTEGER NOT NULL DEFAULT 0,                    -- active chairs (0 = 无理事长)
    chair_id     INTEGER NOT NULL DEFAULT 0                     -- the person of the first active chair, 0 none
) STRICT;
CREATE UNIQUE INDEX committee_one_active ON committee (unit_id) WHERE ended_on IS NULL;

CREATE TABLE committee_member (
    id            INTEGER PRIMARY KEY,
    committee_id  INTEGER NOT NULL REFERENCES committee(id),
    person_id     INTEGER NOT NULL REFERENCES person(id),
    post          TEXT NOT NULL CHECK (post IN ('chair', 'mediator', 'supervisor', 'environment', 'member', 'custom')),
    post_name     TEXT NOT NULL DEFAULT '' CHECK (length(post_name) <= 20),   -- 按需设职: the group's own post
    start_date    TEXT NOT NULL,
    end_date      TEXT,
    end_reason    TEXT CHECK (end_reason IS NULL OR end_reason IN ('term_end', 'resigned', 'replaced', 'removed', 'deceased')),
    end_note      TEXT NOT NULL DEFAULT '',
    cadre_reason  TEXT NOT NULL DEFAULT '',     -- why a village cadre (村两委干部) serves: required for them
    outside_reason TEXT NOT NULL DEFAULT '',    -- why a person from outside the group serves
    formation_id  INTEGER REFERENCES formation(id),
    joined_how    TEXT NOT NULL DEFAULT 'elected' CHECK (joined_how IN ('elected', 'by_election', 'assigned')),  -- 选举 / 补选 / 调配
    join_note     TEXT NOT NULL DEFAULT '' CHECK (length(join_note) <= 200)
) STRICT;
CREATE INDEX committee_member_committee ON committee_member (committee_id);
CREATE INDEX committee_unit ON committee (unit_id, term_start);
CREATE INDEX committee_term_end ON committee (term_end) WHERE ended_on IS NULL;
-- The list pages through active committees in unit-path order, one index per filter.
CREATE INDEX committee_active_path ON committee (path) WHERE ended_on IS NULL;
CREATE INDEX committee_attention_path ON committee (attention, path) WHERE ended_on IS NULL;
CREATE INDEX committee_chairs_path ON committee (chairs, path) WHERE ended_on IS NULL;
-- No person on two committees at once (nor twice on one).
CREATE UNIQUE INDEX committee_member_one_seat ON committee_member (person_id) WHERE end_date IS NULL;

-- County policy for committees (docs/LEGAL.md); src/committees/settings.c falls back to the same
-- defaults when a row is missing.
INSERT OR IGNORE INTO setting (key, value, note) VALUES
    ('committee.min_size', '3', '组委会人数下限（一般3至5人）'),
    ('committee.max_size', '5', '组委会人数上限'),
    ('committee.min_age', '18', '组委会成员最低年龄'),
    ('committee.term_years', '5', '组委会任期（年）'),
    ('committee.allow_migrant', '0', '外出务工人员可否担任成员（1 可以）');

-- ---------------------------------------------------------------------------------------------
-- Maintained counts (维护的统计). The composition of the active committees is kept per unit and for
-- each of its ancestors (a unit's path '/1/2/3/' lists them), by the triggers below, in the same
-- transaction as every write to committees, members, people and units; a county view reads one
-- row per unit. committee_counts_check() (src/committees/tally.c) recounts them from the rows.

-- Per unit: the numbers of the composition report (成员结构), over the groups under the unit.
CREATE TABLE committee_tally (
    unit_id    INTEGER PRIMARY KEY,
    groups     INTEGER NOT NULL DEFAULT 0,    -- village groups not ended
    committees INTEGER NOT NULL DEFAULT 0,    -- active committees
    members    INTEGER NOT NULL DEFAULT 0,    -- active members of active committees
    party      INTEGER NOT NULL DEFAULT 0,    -- person.flags 1 党员
    chunhui    INTEGER NOT NULL DEFAULT 0,    -- 2 春晖使者
    wealth     INTEGER NOT NULL DEFAULT 0,    -- 4 致富能手
    veteran    INTEGER NOT NULL DEFAULT 0,    -- 8 复转军人
    retired    INTEGER NOT NULL DEFAULT 0,    -- 16 退休公职人员
    cadres     INTEGER NOT NULL DEFAULT 0,    -- 32 村两委干部
    women      INTEGER NOT NULL DEFAULT 0,
    attention  INTEGER NOT NULL DEFAULT 0,    -- active committees needing attention
    nochair    INTEGER NOT NULL DEFAULT 0     -- active committees without an active chair
) STRICT;

-- Per unit: the birth dates of those members, by year (level 0, key 'YYYY'), month (1, 'YYYY-MM')
-- and day (2, 'YYYY-MM-DD'), so that the members born after a day are a sum over a few rows
-- whatever the county's size: the later years, the later months of that year, the later days of
-- that month. The age bands follow from three such sums.
CREATE TABLE committee_births (
    unit_id INTEGER NOT NULL,
    level   INTEGER NOT NULL,
    key     TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (unit_id, level, key)
) STRICT, WITHOUT ROWID;

-- Inserting into this view adds (sign 1) or removes (sign -1) one member's seat from the counts
-- of its committee and of the committee's group and ancestors. The committee must be active.
CREATE VIEW committee_seat_change (committee_id, sex, flags, birth, post, sign) AS
    SELECT 0, '', 0, '', '', 0 WHERE 0;
CREATE TRIGGER committee_seat_change_apply INSTEAD OF INSERT ON committee_seat_change BEGIN
    UPDATE committee SET members = members + NEW.sign, party = party + NEW.sign * (NEW.flags & 1 != 0),
        women = women + NEW.sign * (NEW.sex = 'F'), chairs = chairs + NEW.sign * (NEW.post = 'chair')
    WHERE id = NEW.committee_id;
    UPDATE committee SET chair_id = coalesce((SELECT m.person_id FROM committee_member m WHERE m.committee_id = NEW.committee_id
                                              AND m.end_date IS NULL AND m.post = 'chair' ORDER BY m.id LIMIT 1), 0)
    WHERE id = NEW.committee_id AND NEW.post = 'chair';
    UPDATE committee_tally SET members = members + NEW.sign,
        party = party + NEW.sign * (NEW.flags & 1 != 0), chunhui = chunhui + NEW.sign * (NEW.flags & 2 != 0),
        wealth = wealth + NEW.sign * (NEW.flags & 4 != 0), veteran = veteran + NEW.sign * (NEW.flags & 8 != 0),
        retired = retired + NEW.sign * (NEW.flags & 16 != 0), cadres = cadres + NEW.sign * (NEW.flags & 32 != 0),
        women = women + NEW.sign * (NEW.sex = 'F')
    WHERE unit_id IN (SELECT value FROM json_each((SELECT '[' || replace(trim(path, '/'), '/', ',') || ']'
                                                  FROM committee WHERE id = NEW.committee_id)));
    INSERT INTO committee_births (unit_id, level, key, n)
        SELECT j.value, l.level, substr(NEW.birth, 1, l.len), NEW.sign
        FROM json_each((SELECT '[' || replace(trim(path, '/'), '/', ',') || ']' FROM committee WHERE id = NEW.committee_id)) j,
             (SELECT 0 AS level, 4 AS len UNION ALL SELECT 1, 7 UNION ALL SELECT 2, 10) l
        WHERE true
        ON CONFLICT (unit_id, level, key) DO UPDATE SET n = n + excluded.n;
END;

-- Committees: a new active one counts (with its group's path copied); ending one removes it and
-- the seats still active; its attention flag and whether it has a chair follow.
CREATE TRIGGER committee_tally_ins AFTER INSERT ON committee BEGIN
    UPDATE committee SET path = (SELECT path FROM unit WHERE id = NEW.unit_id) WHERE id = NEW.id;
    INSERT INTO committee_tally (unit_id, committees, attention, nochair)
        SELECT value, NEW.ended_on IS NULL, NEW.ended_on IS NULL AND NEW.attention != 0, NEW.ended_on IS NULL AND NEW.chairs = 0
        FROM json_each((SELECT '[' || replace(trim(path, '/'), '/', ',') || ']' FROM unit WHERE id = NEW.unit_id))
        WHERE true
        ON CONFLICT (unit_id) DO UPDATE SET committees = committees + excluded.committees,
            attention = attention + excluded.attention, nochair = nochair + excluded.nochair;
END;
CREATE TRIGGER committee_tally_end AFTER UPDATE OF ended_on ON committee
WHEN OLD.ended_on IS NULL AND NEW.ended_on IS NOT NULL BEGIN
    INSERT INTO committee_seat_change
        SELECT NEW.id, p.sex, p.flags, p.birth, m.post, -1
        FROM committee_member m JOIN person p ON p.id = m.person_id WHERE m.committee_id = NEW.id AND m.end_date IS NULL;
    UPDATE committee_tally SET committees = committees - 1, attention = attention - (OLD.attention != 0),
        nochair = nochair - (OLD.chairs = 0)
    WHERE unit_id IN (SELECT value FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']'));
END;
CREATE TRIGGER committee_tally_reopen AFTER UPDATE OF ended_on ON committee
WHEN OLD.ended_on IS NOT NULL AND NEW.ended_on IS NULL BEGIN
    UPDATE committee_tally SET committees = committees + 1, attention = attention + (NEW.attention != 0),
        nochair = nochair + 1
    WHERE unit_id IN (SELECT value FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']'));
    UPDATE committee SET members = 0, party = 0, women = 0, chairs = 0 WHERE id = NEW.id;
    INSERT INTO committee_seat_change
        SELECT NEW.id, p.sex, p.flags, p.birth, m.post, 1
        FROM committee_member m JOIN person p ON p.id = m.person_id WHERE m.committee_id = NEW.id AND m.end_date IS NULL;
END;
CREATE TRIGGER committee_tally_attention AFTER UPDATE OF attention ON committee
WHEN OLD.ended_on IS NULL AND NEW.ended_on IS NULL AND (OLD.attention != 0) != (NEW.attention != 0) BEGIN
    UPDATE committee_tally SET attention = attention + (NEW.attention != 0) - (OLD.attention != 0)
    WHERE unit_id IN (SELECT value FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']'));
END;
CREATE TRIGGER committee_tally_chair AFTER UPDATE OF chairs ON committee
WHEN OLD.ended_on IS NULL AND NEW.ended_on IS NULL AND (OLD.chairs = 0) != (NEW.chairs = 0) BEGIN
    UPDATE committee_tally SET nochair = nochair + (NEW.chairs = 0) - (OLD.chairs = 0)
    WHERE unit_id IN (SELECT value FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']'));
END;

-- Members: a seat counts while it is active and its committee is.
CREATE TRIGGER committee_member_tally_ins AFTER INSERT ON committee_member WHEN NEW.end_date IS NULL BEGIN
    INSERT INTO committee_seat_change
        SELECT NEW.committee_id, p.sex, p.flags, p.birth, NEW.post, 1 FROM person p, committee c
        WHERE p.id = NEW.person_id AND c.id = NEW.committee_id AND c.ended_on IS NULL;
END;
CREATE TRIGGER committee_member_tally_upd AFTER UPDATE OF end_date, post, person_id, committee_id ON committee_member
WHEN OLD.end_date IS NOT NEW.end_date OR OLD.post != NEW.post OR OLD.person_id != NEW.person_id
     OR OLD.committee_id != NEW.committee_id BEGIN
    INSERT INTO committee_seat_change
        SELECT OLD.committee_id, p.sex, p.flags, p.birth, OLD.post, -1 FROM person p, committee c
        WHERE OLD.end_date IS NULL AND p.id = OLD.person_id AND c.id = OLD.committee_id AND c.ended_on IS NULL;
    INSERT INTO committee_seat_change
        SELECT NEW.committee_id, p.sex, p.flags, p.birth, NEW.post, 1 FROM person p, committee c
        WHERE NEW.end_date IS NULL AND p.id = NEW.person_id AND c.id = NEW.committee_id AND c.ended_on IS NULL;
END;
CREATE TRIGGER committee_member_tally_del AFTER DELETE ON committee_member WHEN OLD.end_date IS NULL BEGIN
    INSERT INTO committee_seat_change
        SELECT OLD.committee_id, p.sex, p.flags, p.birth, OLD.post, -1 FROM person p, committee c
        WHERE p.id = OLD.person_id AND c.id = OLD.committee_id AND c.ended_on IS NULL;
END;

-- People: a member's sex, birth date or flags (party member, 春晖使者 …) change the counts.
CREATE TRIGGER person_committee_tally AFTER UPDATE OF flags, sex, birth ON person
WHEN OLD.flags != NEW.flags OR OLD.sex != NEW.sex OR OLD.birth != NEW.birth BEGIN
    INSERT INTO committee_seat_change
        SELECT m.committee_id, OLD.sex, OLD.flags, OLD.birth, m.post, -1
        FROM committee_member m JOIN committee c ON c.id = m.committee_id
        WHERE m.person_id = OLD.id AND m.end_date IS NULL AND c.ended_on IS NULL;
    INSERT INTO committee_seat_change
        SELECT m.committee_id, NEW.sex, NEW.flags, NEW.birth, m.post, 1
        FROM committee_member m JOIN committee c ON c.id = m.committee_id
        WHERE m.person_id = NEW.id AND m.end_date IS NULL AND c.ended_on IS NULL;
END;

-- Units: village groups count while not ended; a group that moves (its path changes, alone or with
-- its village or township) takes its own counts from its old ancestors to its new ones.
CREATE TRIGGER unit_committee_tally_ins AFTER INSERT ON unit WHEN NEW.kind = 'group' AND NEW.end_date IS NULL BEGIN
    INSERT INTO committee_tally (unit_id, groups)
        SELECT value, 1 FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') WHERE true
        ON CONFLICT (unit_id) DO UPDATE SET groups = groups + 1;
END;
CREATE TRIGGER unit_committee_tally_end AFTER UPDATE OF end_date ON unit
WHEN NEW.kind = 'group' AND (OLD.end_date IS NULL) != (NEW.end_date IS NULL) BEGIN
    INSERT INTO committee_tally (unit_id, groups)
        SELECT value, (NEW.end_date IS NULL) - (OLD.end_date IS NULL)
        FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') WHERE true
        ON CONFLICT (unit_id) DO UPDATE SET groups = groups + excluded.groups;
END;
CREATE TRIGGER unit_committee_tally_move AFTER UPDATE OF path ON unit WHEN OLD.path != NEW.path BEGIN
    UPDATE committee SET path = NEW.path WHERE unit_id = NEW.id;
    UPDATE committee_tally SET groups = committee_tally.groups - g.groups, committees = committee_tally.committees - g.committees,
        members = committee_tally.members - g.members, party = committee_tally.party - g.party, chunhui = committee_tally.chunhui - g.chunhui,
        wealth = committee_tally.wealth - g.wealth, veteran = committee_tally.veteran - g.veteran, retired = committee_tally.retired - g.retired,
        cadres = committee_tally.cadres - g.cadres, women = committee_tally.women - g.women, attention = committee_tally.attention - g.attention,
        nochair = committee_tally.nochair - g.nochair
    FROM (SELECT * FROM committee_tally WHERE unit_id = NEW.id) AS g
    WHERE NEW.kind = 'group' AND committee_tally.unit_id != NEW.id
      AND committee_tally.unit_id IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'));
    INSERT INTO committee_tally
        SELECT j.value, g.groups, g.committees, g.members, g.party, g.chunhui, g.wealth, g.veteran, g.retired,
               g.cadres, g.women, g.attention, g.nochair
        FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') j JOIN committee_tally g ON g.unit_id = NEW.id
        WHERE NEW.kind = 'group' AND j.value != NEW.id
        ON CONFLICT (unit_id) DO UPDATE SET groups = groups + excluded.groups, committees = committees + excluded.committees,
            members = members + excluded.members, party = party + excluded.party, chunhui = chunhui + excluded.chunhui,
            wealth = wealth + excluded.wealth, veteran = veteran + excluded.veteran, retired = retired + excluded.retired,
            cadres = cadres + excluded.cadres, women = women + excluded.women, attention = attention + excluded.attention,
            nochair = nochair + excluded.nochair;
    UPDATE committee_births SET n = committee_births.n - g.n
    FROM (SELECT level, key, n FROM committee_births WHERE unit_id = NEW.id) AS g
    WHERE NEW.kind = 'group' AND committee_births.level = g.level AND committee_births.key = g.key
      AND committee_births.unit_id != NEW.id
      AND committee_births.unit_id IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'));
    INSERT INTO committee_births (unit_id, level, key, n)
        SELECT j.value, g.level, g.key, g.n
        FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') j JOIN committee_births g ON g.unit_id = NEW.id
        WHERE NEW.kind = 'group' AND j.value != NEW.id
        ON CONFLICT (unit_id, level, key) DO UPDATE SET n = n + excluded.n;
END;
