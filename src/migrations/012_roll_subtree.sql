-- 012 roll by subtree: unit_roll now counts the people in each unit's whole subtree — a group,
-- a village, a township, the county — so the size of any scope's roll is one row, where before
-- it was a sum over the scope's groups (1,620 of them for the county, 40 % of the time of the
-- registry's first page). A person counts in the row of their group and of each ancestor; the
-- units of a path are read the way committee_tally's triggers read them (006_committees.sql).
DROP TRIGGER unit_roll_ins;
DROP TRIGGER unit_roll_move;
DELETE FROM unit_roll;
INSERT INTO unit_roll (unit_id, people)
    SELECT j.value, sum(c.n) FROM (SELECT unit_id, count(*) AS n FROM person GROUP BY unit_id) AS c
    JOIN unit g ON g.id = c.unit_id, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j
    GROUP BY j.value;

CREATE TRIGGER unit_roll_ins AFTER INSERT ON person BEGIN
    INSERT INTO unit_roll (unit_id, people)
        SELECT j.value, 1 FROM unit g, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j
        WHERE g.id = NEW.unit_id
        ON CONFLICT (unit_id) DO UPDATE SET people = people + 1;
END;
-- A move within a village changes only the rows below the village: the others get -1 and +1.
CREATE TRIGGER unit_roll_move AFTER UPDATE OF unit_id ON person WHEN OLD.unit_id != NEW.unit_id BEGIN
    UPDATE unit_roll SET people = people - 1 WHERE unit_id IN
        (SELECT j.value FROM unit g, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j WHERE g.id = OLD.unit_id);
    INSERT INTO unit_roll (unit_id, people)
        SELECT j.value, 1 FROM unit g, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j
        WHERE g.id = NEW.unit_id
        ON CONFLICT (unit_id) DO UPDATE SET people = people + 1;
END;
-- A unit moving in the tree (org/units.c rewrites the paths of its whole subtree): each of its
-- groups takes its people from its old ancestors to its new ones. People are only in groups.
CREATE TRIGGER unit_roll_unit_move AFTER UPDATE OF path ON unit WHEN NEW.kind = 'group' AND OLD.path != NEW.path BEGIN
    UPDATE unit_roll SET people = people - coalesce((SELECT people FROM unit_roll WHERE unit_id = NEW.id), 0)
        WHERE unit_id != NEW.id AND unit_id IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'));
    INSERT INTO unit_roll (unit_id, people)
        SELECT j.value, r.people FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') AS j
        JOIN unit_roll r ON r.unit_id = NEW.id WHERE j.value != NEW.id
        ON CONFLICT (unit_id) DO UPDATE SET people = people + excluded.people;
END;
