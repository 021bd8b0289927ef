-- 014 the list filters, counted and indexed. The registry's lists are filtered by status, flag and
-- age band, and until now every such list counted its matches by walking the scope's people up to
-- the cap of 1,001, reading each person's row: a township's migrant workers cost 28 M instructions
-- (~5 ms), the county's party members filtered by initials 57 M.
--
-- unit_roll (012) now counts, for each unit's whole subtree, the people of each status but
-- 'resident' (people minus the three) and with each flag (the bits of people.h, columns named as
-- the flag keys). A list with one status or one flag and no search text reads its exact total from
-- one row, like the whole roll. The triggers keep every count as 012 kept `people`: a person added,
-- a person whose group, status or flags change (both through the view roll_change), a group
-- moving in the tree.
--
-- person_unit_name gains the filters' columns (status, flags, birth): the walks of a township's or
-- a village's groups test them from the index entry and read only the rows they show. The id is
-- named before them so that the index still gives each group's people in (name, id) order, the
-- lists' order, without a sort.
DROP INDEX person_unit_name;
-- (src/people/bulk.c builds it again after a bulk load with this very text)
CREATE INDEX person_unit_name ON person (unit_id, name, id, status, flags, birth);

ALTER TABLE unit_roll ADD COLUMN migrant INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_roll ADD COLUMN moved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_roll ADD COLUMN deceased INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_roll ADD COLUMN party INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_roll ADD COLUMN chunhui INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_roll ADD COLUMN wealth INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_roll ADD COLUMN veteran INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_roll ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_roll ADD COLUMN cadre INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_roll ADD COLUMN legal INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_roll ADD COLUMN labour INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER unit_roll_ins;
DROP TRIGGER unit_roll_move;
DROP TRIGGER unit_roll_unit_move;
DELETE FROM unit_roll;
INSERT INTO unit_roll (unit_id, people, migrant, moved, deceased, party, chunhui, wealth, veteran, retired, cadre,
                       legal, labour)
    SELECT j.value, sum(c.people), sum(c.migrant), sum(c.moved), sum(c.deceased), sum(c.party), sum(c.chunhui),
           sum(c.wealth), sum(c.veteran), sum(c.retired), sum(c.cadre), sum(c.legal), sum(c.labour)
    FROM (SELECT unit_id, count(*) AS people,
                 sum(status = 'migrant') AS migrant, sum(status = 'moved') AS moved,
                 sum(status = 'deceased') AS deceased, sum((flags & 1) != 0) AS party,
                 sum((flags & 2) != 0) AS chunhui, sum((flags & 4) != 0) AS wealth,
                 sum((flags & 8) != 0) AS veteran, sum((flags & 16) != 0) AS retired,
                 sum((flags & 32) != 0) AS cadre, sum((flags & 64) != 0) AS legal,
                 sum((flags & 128) != 0) AS labour
          FROM person GROUP BY unit_id) AS c
    JOIN unit g ON g.id = c.unit_id, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j
    GROUP BY j.value;

-- A person counts, with their status and flags, in the rows of their group and each ancestor. The
-- view roll_change is the one place that adds a person to those rows (sign 1) or takes them out
-- (sign -1): the person triggers insert into it, and its INSTEAD OF trigger does the counting.
CREATE VIEW roll_change (unit_id, sign, status, flags) AS SELECT NULL, NULL, NULL, NULL WHERE 0;
CREATE TRIGGER roll_change_apply INSTEAD OF INSERT ON roll_change BEGIN
    INSERT INTO unit_roll (unit_id, people, migrant, moved, deceased, party, chunhui, wealth, veteran, retired, cadre,
                           legal, labour)
        SELECT j.value, NEW.sign,
               NEW.sign * (NEW.status = 'migrant'), NEW.sign * (NEW.status = 'moved'),
               NEW.sign * (NEW.status = 'deceased'), NEW.sign * ((NEW.flags & 1) != 0),
               NEW.sign * ((NEW.flags & 2) != 0), NEW.sign * ((NEW.flags & 4) != 0),
               NEW.sign * ((NEW.flags & 8) != 0), NEW.sign * ((NEW.flags & 16) != 0),
               NEW.sign * ((NEW.flags & 32) != 0), NEW.sign * ((NEW.flags & 64) != 0),
               NEW.sign * ((NEW.flags & 128) != 0)
        FROM unit g, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j WHERE g.id = NEW.unit_id
        ON CONFLICT (unit_id) DO UPDATE SET people = people + excluded.people,
            migrant = migrant + excluded.migrant, moved = moved + excluded.moved,
            deceased = deceased + excluded.deceased, party = party + excluded.party,
            chunhui = chunhui + excluded.chunhui, wealth = wealth + excluded.wealth,
            veteran = veteran + excluded.veteran, retired = retired + excluded.retired,
            cadre = cadre + excluded.cadre, legal = legal + excluded.legal,
            labour = labour + excluded.labour;
END;
CREATE TRIGGER unit_roll_ins AFTER INSERT ON person BEGIN
    INSERT INTO roll_change VALUES (NEW.unit_id, 1, NEW.status, NEW.flags);
END;
-- A person whose group, status or flags change: out of the old rows as they were, into the new
-- rows as they are (a move within a village nets to zero on the village and above).
CREATE TRIGGER unit_roll_move AFTER UPDATE OF unit_id, status, flags ON person
WHEN OLD.unit_id != NEW.unit_id OR OLD.status != NEW.status OR OLD.flags != NEW.flags BEGIN
    INSERT INTO roll_change VALUES (OLD.unit_id, -1, OLD.status, OLD.flags), (NEW.unit_id, 1, NEW.status, NEW.flags);
END;
-- A unit moving in the tree (org/units.c rewrites the paths of its whole subtree): each of its
-- groups takes its counts from its old ancestors to its new ones. People are only in groups.
CREATE TRIGGER unit_roll_unit_move AFTER UPDATE OF path ON unit WHEN NEW.kind = 'group' AND OLD.path != NEW.path BEGIN
    UPDATE unit_roll SET people = unit_roll.people - g.people,
        migrant = unit_roll.migrant - g.migrant, moved = unit_roll.moved - g.moved,
        deceased = unit_roll.deceased - g.deceased, party = unit_roll.party - g.party,
        chunhui = unit_roll.chunhui - g.chunhui, wealth = unit_roll.wealth - g.wealth,
        veteran = unit_roll.veteran - g.veteran, retired = unit_roll.retired - g.retired,
        cadre = unit_roll.cadre - g.cadre, legal = unit_roll.legal - g.legal,
        labour = unit_roll.labour - g.labour
        FROM (SELECT * FROM unit_roll WHERE unit_id = NEW.id) AS g
        WHERE unit_roll.unit_id != NEW.id AND unit_roll.unit_id IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'));
    INSERT INTO unit_roll (unit_id, people, migrant, moved, deceased, party, chunhui, wealth, veteran, retired, cadre,
                       legal, labour)
        SELECT j.value, r.people, r.migrant, r.moved, r.deceased, r.party, r.chunhui, r.wealth, r.veteran, r.retired,
               r.cadre, r.legal, r.labour
        FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') AS j JOIN unit_roll r ON r.unit_id = NEW.id WHERE j.value != NEW.id
        ON CONFLICT (unit_id) DO UPDATE SET people = people + excluded.people,
            migrant = migrant + excluded.migrant, moved = moved + excluded.moved,
            deceased = deceased + excluded.deceased, party = party + excluded.party,
            chunhui = chunhui + excluded.chunhui, wealth = wealth + excluded.wealth,
            veteran = veteran + excluded.veteran, retired = retired + excluded.retired,
            cadre = cadre + excluded.cadre, legal = legal + excluded.legal,
            labour = labour + excluded.labour;
END;
