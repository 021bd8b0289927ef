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
    end_reason   TEXT NOT NULL DEFAULT '' CHECK (end_reason IN ('', 'term_end', 'dissolved'))
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
