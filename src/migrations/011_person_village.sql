-- 011 person village: the village of each person's group, kept on the person (village_id), so that
-- an initials search inside a township probes its 10–20 villages instead of its ~190 units, and
-- one inside a village or group is a single range of one index. People are always in a village
-- group (kind 'group', whose parent is a village), so the village is the group's parent; the
-- triggers below keep it so when a person moves to another group and when a group moves to
-- another village. `zuwei check` compares it with the tree (people_counts_check, roll.c).
ALTER TABLE person ADD COLUMN village_id INTEGER;
UPDATE person SET village_id = (SELECT parent_id FROM unit WHERE id = person.unit_id);

DROP INDEX person_unit_initials;
-- (src/people/bulk.c builds it again after a bulk load with this very text)
CREATE INDEX person_village_initials ON person (village_id, initials, unit_id);

-- An INSERT that names the village already (the bulk load) needs no second write of its row.
CREATE TRIGGER person_village_ins AFTER INSERT ON person
WHEN NEW.village_id IS NOT (SELECT parent_id FROM unit WHERE id = NEW.unit_id) BEGIN
    UPDATE person SET village_id = (SELECT parent_id FROM unit WHERE id = NEW.unit_id) WHERE id = NEW.id;
END;
CREATE TRIGGER person_village_move AFTER UPDATE OF unit_id ON person WHEN NEW.unit_id != OLD.unit_id BEGIN
    UPDATE person SET village_id = (SELECT parent_id FROM unit WHERE id = NEW.unit_id) WHERE id = NEW.id;
END;
CREATE TRIGGER unit_village_move AFTER UPDATE OF parent_id ON unit WHEN NEW.parent_id IS NOT OLD.parent_id BEGIN
    UPDATE person SET village_id = NEW.parent_id WHERE unit_id = NEW.id;
END;
