-- 009 deliberation (议事决策): meetings of a village group, matters taken through the three stages,
-- votes checked against Art. 28 (src/deliberation/vote.h), published decisions and group rules.
-- Rules of the stage machine live in src/deliberation/stages.c; nothing here is deleted.

-- A meeting of a group body: 组民大会 (assembly), 组民代表会议 (representatives), 组委会会议 (committee).
-- basis says who counts for the quorum: 'adults' (villagers 18+), 'reps' (户代表), 'members' (committee).
-- eligible and present are recomputed from the roll and the attendance on every attendance change.
CREATE TABLE meeting (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES unit(id),            -- the village group
    body       TEXT NOT NULL CHECK (body IN ('assembly', 'representatives', 'committee')),
    basis      TEXT NOT NULL CHECK (basis IN ('adults', 'reps', 'members')),
    held_on    TEXT NOT NULL,                                   -- YYYY-MM-DD
    place      TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 60),
    convener   TEXT NOT NULL DEFAULT '' CHECK (length(convener) <= 30),
    agenda     TEXT NOT NULL DEFAULT '' CHECK (length(agenda) <= 2000),
    minutes    TEXT NOT NULL DEFAULT '' CHECK (length(minutes) <= 20000),
    eligible   INTEGER NOT NULL DEFAULT 0 CHECK (eligible >= 0),
    present    INTEGER NOT NULL DEFAULT 0 CHECK (present >= 0),
    attendance_at TEXT,                                         -- when attendance was last saved
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX meeting_unit ON meeting (unit_id, held_on);

-- Who came: in person ('present') or represented by a written proxy ('proxy', listed, not counted).
CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id),
    person_id  INTEGER NOT NULL REFERENCES person(id),
    mode       TEXT NOT NULL DEFAULT 'present' CHECK (mode IN ('present', 'proxy')),
    proxy_name TEXT NOT NULL DEFAULT '' CHECK (length(proxy_name) <= 30),
    PRIMARY KEY (meeting_id, person_id)
) STRICT, WITHOUT ROWID;

-- Photos of a meeting (optional), size-capped by the upload handler.
CREATE TABLE meeting_photo (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meeting(id),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    caption      TEXT NOT NULL DEFAULT '' CHECK (length(caption) <= 60),
    data         BLOB NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX meeting_photo_meeting ON meeting_photo (meeting_id);

-- A matter (事项). stage: consult 第一阶段 组民商议 → propose 第二阶段 组委会商议 → decide 第三阶段 组民决策
-- → implement 实施 → closed 办结. stage_since is the day the matter entered its stage (overdue after 30 days).
CREATE TABLE matter (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES unit(id),           -- the village group
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    category    TEXT NOT NULL CHECK (category IN ('assets', 'land', 'works', 'funds', 'environment', 'rules', 'other')),
    raised_by   TEXT NOT NULL CHECK (raised_by IN ('villager', 'committee', 'village')),
    raised_on   TEXT NOT NULL,
    major       INTEGER NOT NULL DEFAULT 0 CHECK (major IN (0, 1)),
    stage       TEXT NOT NULL CHECK (stage IN ('consult', 'propose', 'decide', 'implement', 'closed')),
    stage_since TEXT NOT NULL,
    proposal    TEXT NOT NULL DEFAULT '' CHECK (length(proposal) <= 4000),
    decision    TEXT NOT NULL DEFAULT '' CHECK (length(decision) <= 4000),
    decided_on  TEXT,
    vote_id     INTEGER REFERENCES vote(id) DEFERRABLE INITIALLY DEFERRED,   -- the vote that passed
    closed_on   TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
-- The lists read these in display order (stage_since, then id) and stop after a page
-- (src/deliberation/list.c): a group's board by stage, the county's list by stage, by category or
-- by date. The trailing stage and category let the county's capped counts read the index alone.
CREATE INDEX matter_unit ON matter (unit_id, stage, stage_since);
CREATE INDEX matter_stage ON matter (stage, stage_since, category);
CREATE INDEX matter_category ON matter (category, stage_since, stage);
CREATE INDEX matter_since ON matter (stage_since, stage, category);

-- A vote on a matter at a meeting: the counts as recorded and the verdict of vote.h. A vote that
-- fails the quorum or the majority is kept as 'failed' with its reason, never as passed.
CREATE TABLE vote (
    id            INTEGER PRIMARY KEY,
    matter_id     INTEGER NOT NULL REFERENCES matter(id),
    meeting_id    INTEGER NOT NULL REFERENCES meeting(id),
    secret        INTEGER NOT NULL DEFAULT 0 CHECK (secret IN (0, 1)),   -- 无记名投票
    eligible      INTEGER NOT NULL CHECK (eligible >= 0),
    present       INTEGER NOT NULL CHECK (present >= 0),
    votes_for     INTEGER NOT NULL CHECK (votes_for >= 0),
    votes_against INTEGER NOT NULL CHECK (votes_against >= 0),
    abstentions   INTEGER NOT NULL CHECK (abstentions >= 0),
    void_ballots  INTEGER NOT NULL DEFAULT 0 CHECK (void_ballots >= 0),
    result        TEXT NOT NULL CHECK (result IN ('passed', 'failed')),
    reason        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX vote_matter ON vote (matter_id);
CREATE INDEX vote_meeting ON vote (meeting_id);

-- The timeline of a matter. kind: consult (stage 1: a meeting or collected opinions), proposal
-- (stage 2: a committee meeting and its proposal), vote (stage 3 or a committee decision),
-- implement (实施情况 with its result), close.
CREATE TABLE matter_entry (
    id         INTEGER PRIMARY KEY,
    matter_id  INTEGER NOT NULL REFERENCES matter(id),
    kind       TEXT NOT NULL CHECK (kind IN ('consult', 'proposal', 'vote', 'implement', 'close')),
    on_date    TEXT NOT NULL,
    meeting_id INTEGER REFERENCES meeting(id),
    vote_id    INTEGER REFERENCES vote(id),
    text       TEXT NOT NULL DEFAULT '' CHECK (length(text) <= 4000),
    result     TEXT NOT NULL DEFAULT '' CHECK (length(result) <= 1000),
    opinions   INTEGER NOT NULL DEFAULT 0 CHECK (opinions >= 0),    -- villagers heard (stage 1)
    created_by INTEGER,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX matter_entry_matter ON matter_entry (matter_id, id);
CREATE INDEX matter_entry_meeting ON matter_entry (meeting_id);

-- Group rules and conventions (组规民约): a document and its versions. Every version was adopted
-- through a matter of category 'rules' whose vote passed; the link is kept.
CREATE TABLE group_rule (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES unit(id),
    title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX group_rule_unit ON group_rule (unit_id);

CREATE TABLE group_rule_version (
    id         INTEGER PRIMARY KEY,
    rule_id    INTEGER NOT NULL REFERENCES group_rule(id),
    version    INTEGER NOT NULL CHECK (version >= 1),
    kind       TEXT NOT NULL CHECK (kind IN ('new', 'amendment')),
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    note       TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    matter_id  INTEGER NOT NULL UNIQUE REFERENCES matter(id),
    vote_id    INTEGER NOT NULL REFERENCES vote(id),
    adopted_on TEXT NOT NULL,
    UNIQUE (rule_id, version)
) STRICT;
