-- 017 the deliberation and user lists, indexed for their searches and counted by triggers.
--
-- matter_char: each character of each matter's title (ASCII folded to lower case, as LIKE folds
-- it), so that a title search (/matters?q=路) reads the matters holding one character of the
-- search instead of testing all 1,757 titles of the county twice (10.6 M instructions). The list
-- still tests each of them with the same LIKE, so the matches are the same (src/deliberation/list.c).
-- A title is 1 to 60 characters (009): the positions 1..60 come from json_each, as triggers
-- cannot use a WITH clause.
CREATE TABLE matter_char (
    ch        TEXT NOT NULL,
    matter_id INTEGER NOT NULL REFERENCES matter(id),
    PRIMARY KEY (ch, matter_id)
) STRICT, WITHOUT ROWID;
CREATE VIEW matter_title_chars (matter_id, ch) AS
    SELECT m.id, lower(substr(m.title, j.value, 1)) FROM matter m,
        json_each('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60]') AS j
    WHERE j.value <= length(m.title);
INSERT OR IGNORE INTO matter_char (ch, matter_id) SELECT ch, matter_id FROM matter_title_chars;
CREATE TRIGGER matter_char_ins AFTER INSERT ON matter BEGIN
    INSERT OR IGNORE INTO matter_char (ch, matter_id) SELECT ch, matter_id FROM matter_title_chars WHERE matter_id = NEW.id;
END;
CREATE TRIGGER matter_char_title AFTER UPDATE OF title ON matter WHEN OLD.title != NEW.title BEGIN
    DELETE FROM matter_char WHERE matter_id = OLD.id AND ch IN (SELECT lower(substr(OLD.title, j.value, 1))
        FROM json_each('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60]') AS j);
    INSERT OR IGNORE INTO matter_char (ch, matter_id) SELECT ch, matter_id FROM matter_title_chars WHERE matter_id = NEW.id;
END;

-- The county's lists walk these in display order, (stage_since, id), and stop after a page. 009's
-- had stage or category between stage_since and the id, so each run of equal dates was sorted
-- again ("USE TEMP B-TREE FOR RIGHT PART OF ORDER BY"); naming the id (the rowid) next fixes it.
DROP INDEX matter_stage;
DROP INDEX matter_category;
DROP INDEX matter_since;
CREATE INDEX matter_stage ON matter (stage, stage_since, id, category);
CREATE INDEX matter_category ON matter (category, stage_since, id, stage);
CREATE INDEX matter_since ON matter (stage_since, id, stage, category);

-- matter_tally: the matters of each unit's whole subtree by stage and category, so that a list
-- without a search or the overdue filter reads its total from at most 35 rows instead of counting
-- up to the cap of 1,001 (0.9 M of the county's first page). Kept like unit_roll (012, 014): a
-- matter counts in the rows of its group and of each ancestor; one whose stage, category or group
-- changes moves from the old rows to the new; a group moving in the tree takes its counts from its
-- old ancestors to its new ones. Matters are only in groups (store.c: group_check).
CREATE TABLE matter_tally (
    unit_id  INTEGER NOT NULL REFERENCES unit(id),
    stage    TEXT NOT NULL,
    category TEXT NOT NULL,
    matters  INTEGER NOT NULL,
    PRIMARY KEY (unit_id, stage, category)
) STRICT, WITHOUT ROWID;
INSERT INTO matter_tally (unit_id, stage, category, matters)
    SELECT j.value, c.stage, c.category, sum(c.n)
    FROM (SELECT unit_id, stage, category, count(*) AS n FROM matter GROUP BY unit_id, stage, category) AS c
    JOIN unit g ON g.id = c.unit_id, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j
    GROUP BY j.value, c.stage, c.category;

-- The one place that adds a matter to its rows (sign 1) or takes it out (sign -1).
CREATE VIEW matter_tally_change (unit_id, sign, stage, category) AS SELECT NULL, NULL, NULL, NULL WHERE 0;
CREATE TRIGGER matter_tally_apply INSTEAD OF INSERT ON matter_tally_change BEGIN
    INSERT INTO matter_tally (unit_id, stage, category, matters)
        SELECT j.value, NEW.stage, NEW.category, NEW.sign
        FROM unit g, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j WHERE g.id = NEW.unit_id
        ON CONFLICT (unit_id, stage, category) DO UPDATE SET matters = matters + excluded.matters;
END;
CREATE TRIGGER matter_tally_ins AFTER INSERT ON matter BEGIN
    INSERT INTO matter_tally_change VALUES (NEW.unit_id, 1, NEW.stage, NEW.category);
END;
CREATE TRIGGER matter_tally_move AFTER UPDATE OF unit_id, stage, category ON matter
WHEN OLD.unit_id != NEW.unit_id OR OLD.stage != NEW.stage OR OLD.category != NEW.category BEGIN
    INSERT INTO matter_tally_change VALUES (OLD.unit_id, -1, OLD.stage, OLD.category), (NEW.unit_id, 1, NEW.stage, NEW.category);
END;
CREATE TRIGGER matter_tally_unit_move AFTER UPDATE OF path ON unit WHEN NEW.kind = 'group' AND OLD.path != NEW.path BEGIN
    UPDATE matter_tally SET matters = matter_tally.matters - g.matters
        FROM (SELECT stage, category, matters FROM matter_tally WHERE unit_id = NEW.id) AS g
        WHERE matter_tally.unit_id != NEW.id AND matter_tally.stage = g.stage AND matter_tally.category = g.category
          AND matter_tally.unit_id IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'));
    INSERT INTO matter_tally (unit_id, stage, category, matters)
        SELECT j.value, g.stage, g.category, g.matters
        FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') AS j
        JOIN matter_tally g ON g.unit_id = NEW.id WHERE j.value != NEW.id
        ON CONFLICT (unit_id, stage, category) DO UPDATE SET matters = matters + excluded.matters;
END;

-- user.scope_path: the path of the login's unit, so that the user list (src/org/users.c) reads the
-- logins of a scope from one range of user_scope_path, in its display order (unit path, then
-- username), instead of walking every unit of the scope to find them (1,736 units for 16 logins
-- of the county: 3.5 M instructions). Kept by triggers: a login added or given another unit, and
-- a unit moving in the tree (unit_move rewrites the paths of its subtree; it holds the key of the
-- user tables for that, src/org/units.c).
ALTER TABLE user ADD COLUMN scope_path TEXT NOT NULL DEFAULT '';
UPDATE user SET scope_path = (SELECT path FROM unit WHERE unit.id = user.scope_unit);
CREATE INDEX user_scope_path ON user (scope_path, username);
CREATE TRIGGER user_scope_path_ins AFTER INSERT ON user BEGIN
    UPDATE user SET scope_path = (SELECT path FROM unit WHERE unit.id = NEW.scope_unit) WHERE id = NEW.id;
END;
CREATE TRIGGER user_scope_path_unit AFTER UPDATE OF scope_unit ON user WHEN OLD.scope_unit != NEW.scope_unit BEGIN
    UPDATE user SET scope_path = (SELECT path FROM unit WHERE unit.id = NEW.scope_unit) WHERE id = NEW.id;
END;
CREATE TRIGGER user_scope_path_move AFTER UPDATE OF path ON unit WHEN OLD.path != NEW.path BEGIN
    UPDATE user SET scope_path = NEW.path WHERE scope_unit = NEW.id;
END;
