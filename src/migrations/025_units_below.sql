-- 025 the units below a unit, counted. The unit page shows how many townships, villages and groups
-- lie below it (unit_descendant_counts): a range of the path index that read each row for its
-- kind and end date, then sorted them to group by kind, so the county's page took 6.8 M
-- instructions, 90 % of it this count (1,737 units); each unit listed with its children counted
-- its active children row by row too. unit_below counts, for each unit, the active units of each
-- kind in its subtree below it, kept by the triggers below as the tree changes: one row read. As
-- each level holds only the next kind, a unit's active children are its count of that kind.
CREATE TABLE unit_below (
    unit_id    INTEGER PRIMARY KEY REFERENCES unit(id),
    townships  INTEGER NOT NULL DEFAULT 0,
    villages   INTEGER NOT NULL DEFAULT 0,
    groups     INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO unit_below (unit_id, townships, villages, groups)
    SELECT j.value, sum(u.kind = 'township'), sum(u.kind = 'village'), sum(u.kind = 'group')
    FROM unit u, json_each('[' || replace(trim(u.path, '/'), '/', ',') || ']') AS j
    WHERE u.end_date IS NULL AND j.value != u.id GROUP BY j.value;

-- An active unit counts in the rows of its ancestors (not its own). unit_change is the one place
-- that adds one (sign 1) or takes one out (sign -1) under the ancestors on `path`.
CREATE VIEW unit_change (path, id, sign, kind) AS SELECT NULL, NULL, NULL, NULL WHERE 0;
CREATE TRIGGER unit_change_apply INSTEAD OF INSERT ON unit_change BEGIN
    INSERT INTO unit_below (unit_id, townships, villages, groups)
        SELECT j.value, NEW.sign * (NEW.kind = 'township'), NEW.sign * (NEW.kind = 'village'),
               NEW.sign * (NEW.kind = 'group')
        FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') AS j WHERE j.value != NEW.id
        ON CONFLICT (unit_id) DO UPDATE SET townships = townships + excluded.townships,
            villages = villages + excluded.villages, groups = groups + excluded.groups;
END;
CREATE TRIGGER unit_below_ins AFTER INSERT ON unit WHEN NEW.end_date IS NULL BEGIN
    INSERT INTO unit_change VALUES (NEW.path, NEW.id, 1, NEW.kind);
END;
-- Ending (or a correction that makes it active again), and moving in the tree: every unit of a
-- moved subtree has its path rewritten (org/units.c), each taking itself from its old ancestors to
-- its new ones; those inside the subtree net to zero.
CREATE TRIGGER unit_below_upd AFTER UPDATE OF path, end_date ON unit
WHEN OLD.path != NEW.path OR (OLD.end_date IS NULL) != (NEW.end_date IS NULL) BEGIN
    INSERT INTO unit_change SELECT OLD.path, OLD.id, -1, OLD.kind WHERE OLD.end_date IS NULL;
    INSERT INTO unit_change SELECT NEW.path, NEW.id, 1, NEW.kind WHERE NEW.end_date IS NULL;
END;
