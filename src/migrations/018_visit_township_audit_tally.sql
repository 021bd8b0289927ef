-- 018 visit township and audit tally: the visit and audit lists of a scope read without walking
-- the county.
--
-- visit.township_id: the township of each visit's household group, kept on the visit
-- (township_id), so that a township's visit list — and a village's, which tests each entry's group
-- — is one range of one index in display order. Until now their list walked visit_recent, the
-- whole county's visits by date, and tested each one's group against the scope: a township's
-- first page cost 2.5 M instructions, filtered by duty 7 M (src/contact/visits.c, VD_TOWNSHIP).
--
-- Visits are always in a village group (kind 'group', whose parent is a village, whose parent is
-- a township). The triggers below keep township_id so when a visit is written, when its household
-- group changes, and when a group or a village moves in the tree. `zuwei check` compares it with
-- the tree (contact_check, counters.c).
ALTER TABLE visit ADD COLUMN township_id INTEGER;

-- The township of each village group: the one place the triggers and the check read it from.
CREATE VIEW group_township (unit_id, township_id) AS
    SELECT g.id, v.parent_id FROM unit g JOIN unit v ON v.id = g.parent_id WHERE g.kind = 'group';

UPDATE visit SET township_id = (SELECT township_id FROM group_township WHERE unit_id = visit.unit_id);

-- (src/demo/demo_visits.c builds it again after its bulk load with this very text)
CREATE INDEX visit_township ON visit (township_id, visited_on, id, unit_id, void_at, duties);

-- An INSERT that names the township (the demo's bulk load, which knows it) needs no second write
-- of its row, nor a look-up of its group for each of a million visits.
CREATE TRIGGER visit_township_ins AFTER INSERT ON visit WHEN NEW.township_id IS NULL BEGIN
    UPDATE visit SET township_id = (SELECT township_id FROM group_township WHERE unit_id = NEW.unit_id) WHERE id = NEW.id;
END;
CREATE TRIGGER visit_township_unit AFTER UPDATE OF unit_id ON visit WHEN NEW.unit_id != OLD.unit_id BEGIN
    UPDATE visit SET township_id = (SELECT township_id FROM group_township WHERE unit_id = NEW.unit_id) WHERE id = NEW.id;
END;
-- A group moving to another village, or a village to another township (org/units.c changes only
-- the moved unit's parent): the visits of the group, or of the village's groups, follow.
CREATE TRIGGER unit_township_move AFTER UPDATE OF parent_id ON unit
WHEN NEW.parent_id IS NOT OLD.parent_id AND NEW.kind IN ('group', 'village') BEGIN
    UPDATE visit SET township_id = (SELECT township_id FROM group_township WHERE unit_id = visit.unit_id)
        WHERE unit_id IN (SELECT id FROM unit WHERE id = NEW.id OR parent_id = NEW.id);
END;

-- The visit list's totals (visit_tally) and the compliance totals (unit_month, unit_quarter) are
-- kept for a group and each of its ancestors, but did not follow a group moving in the tree
-- (org/units.c rewrites the paths of the moved unit's subtree): after a village moved, its old
-- township still counted its visits. Each group now takes its rows from its old ancestors to its
-- new ones, as unit_roll's do (014).
CREATE TRIGGER contact_tally_unit_move AFTER UPDATE OF path ON unit WHEN NEW.kind = 'group' AND OLD.path != NEW.path BEGIN
    UPDATE visit_tally SET visits = visit_tally.visits - g.visits, voided = visit_tally.voided - g.voided
        FROM (SELECT month, visits, voided FROM visit_tally WHERE unit_id = NEW.id) AS g
        WHERE visit_tally.month = g.month AND visit_tally.unit_id != NEW.id
          AND visit_tally.unit_id IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'));
    INSERT INTO visit_tally (unit_id, month, visits, voided)
        SELECT j.value, g.month, g.visits, g.voided FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') AS j
        JOIN visit_tally g ON g.unit_id = NEW.id WHERE j.value != NEW.id
        ON CONFLICT (unit_id, month) DO UPDATE SET visits = visits + excluded.visits, voided = voided + excluded.voided;
    UPDATE unit_month SET expected = unit_month.expected - g.expected, done = unit_month.done - g.done,
        behind = unit_month.behind - g.behind, owing = unit_month.owing - g.owing, visits = unit_month.visits - g.visits
        FROM (SELECT * FROM unit_month WHERE unit_id = NEW.id) AS g
        WHERE unit_month.month = g.month AND unit_month.unit_id != NEW.id
          AND unit_month.unit_id IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'));
    INSERT INTO unit_month (unit_id, month, expected, done, behind, owing, visits)
        SELECT j.value, g.month, g.expected, g.done, g.behind, g.owing, g.visits
        FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') AS j JOIN unit_month g ON g.unit_id = NEW.id
        WHERE j.value != NEW.id
        ON CONFLICT (unit_id, month) DO UPDATE SET expected = expected + excluded.expected, done = done + excluded.done,
            behind = behind + excluded.behind, owing = owing + excluded.owing, visits = visits + excluded.visits;
    UPDATE unit_quarter SET expected = unit_quarter.expected - g.expected, done = unit_quarter.done - g.done,
        behind = unit_quarter.behind - g.behind, owing = unit_quarter.owing - g.owing, visits = unit_quarter.visits - g.visits
        FROM (SELECT * FROM unit_quarter WHERE unit_id = NEW.id) AS g
        WHERE unit_quarter.quarter = g.quarter AND unit_quarter.unit_id != NEW.id
          AND unit_quarter.unit_id IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'));
    INSERT INTO unit_quarter (unit_id, quarter, expected, done, behind, owing, visits)
        SELECT j.value, g.quarter, g.expected, g.done, g.behind, g.owing, g.visits
        FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') AS j JOIN unit_quarter g ON g.unit_id = NEW.id
        WHERE j.value != NEW.id
        ON CONFLICT (unit_id, quarter) DO UPDATE SET expected = expected + excluded.expected, done = done + excluded.done,
            behind = behind + excluded.behind, owing = owing + excluded.owing, visits = visits + excluded.visits;
END;

-- audit_tally: the number of audit entries written under each unit path (path '' for entries of
-- no unit), so that the audit log's total for a scope without other filters is one or two rows.
-- The county's total counted entries up to the cap of 1,001, reading each one's row (1.7 M
-- instructions). An entry keeps the unit path of its unit when it was written and a scope shows
-- the entries whose path lies under its own (auditlog.c), so the tally is kept by path, not by
-- unit: a unit that moves later leaves its old entries under its old path. The log is append-only
-- (004), so a trigger on insert is all it takes; audit_append writes the entry with the current
-- path of its unit, whose ancestors' paths are then the path's prefixes. `zuwei check` compares
-- the tally with the recount below, made from the entries' paths alone.
CREATE TABLE audit_tally (
    path    TEXT PRIMARY KEY,
    entries INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The tally counted from the log: each distinct path's entries added to each of its prefixes.
CREATE VIEW audit_tally_recount (path, entries) AS
    WITH RECURSIVE written (unit_path, n) AS (SELECT unit_path, count(*) FROM audit GROUP BY unit_path),
    prefix (path, rest, n) AS (
        SELECT '/', substr(unit_path, 2), n FROM written WHERE unit_path != ''
        UNION ALL
        SELECT path || substr(rest, 1, instr(rest, '/')), substr(rest, instr(rest, '/') + 1), n FROM prefix WHERE rest != '')
    SELECT path, sum(n) FROM prefix WHERE path != '/' GROUP BY path
    UNION ALL
    SELECT '', n FROM written WHERE unit_path = '';

INSERT INTO audit_tally (path, entries) SELECT path, entries FROM audit_tally_recount;

CREATE TRIGGER audit_tally_ins AFTER INSERT ON audit BEGIN
    INSERT INTO audit_tally (path, entries)
        SELECT a.path, 1 FROM json_each('[' || replace(trim(NEW.unit_path, '/'), '/', ',') || ']') AS j, unit a
        WHERE a.id = j.value
        ON CONFLICT (path) DO UPDATE SET entries = entries + 1;
    INSERT INTO audit_tally (path, entries) SELECT '', 1 WHERE NEW.unit_path = ''
        ON CONFLICT (path) DO UPDATE SET entries = entries + 1;
END;
