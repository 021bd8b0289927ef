-- 010 household list: a group's household list read from one index, with no row lookups.
-- The head's name is kept on the household (head_name) by the triggers below, and the list index
-- carries every column the list shows (id among them, so that the 户号 order needs no sort).
-- Before, each of the 50 rows of a page cost two b-tree lookups (the household, then its head),
-- half of the page's SQL time.
ALTER TABLE household ADD COLUMN head_name TEXT NOT NULL DEFAULT '';
UPDATE household SET head_name = coalesce((SELECT name FROM person WHERE id = household.head_id), '')
 WHERE head_id IS NOT NULL;
CREATE INDEX household_head ON household (head_id) WHERE head_id IS NOT NULL;

DROP INDEX household_list;
-- (013_household_list_covering.sql redefines it)
CREATE INDEX household_list ON household (unit_id, length(hh_no), hh_no, id, head_name, poverty, members, labour, migrants, farmland_c) WHERE ended_at IS NULL;

-- head_id is a deferred reference: a household may name its head before the person row exists,
-- so the name is also filled in when that person is inserted.
CREATE TRIGGER household_head_name_ins AFTER INSERT ON household WHEN NEW.head_id IS NOT NULL BEGIN
    UPDATE household SET head_name = coalesce((SELECT name FROM person WHERE id = NEW.head_id), '') WHERE id = NEW.id;
END;
CREATE TRIGGER household_head_name AFTER UPDATE OF head_id ON household WHEN NEW.head_id IS NOT OLD.head_id BEGIN
    UPDATE household SET head_name = coalesce((SELECT name FROM person WHERE id = NEW.head_id), '') WHERE id = NEW.id;
END;
CREATE TRIGGER person_head_name_ins AFTER INSERT ON person BEGIN
    UPDATE household SET head_name = NEW.name WHERE head_id = NEW.id;
END;
CREATE TRIGGER person_head_name AFTER UPDATE OF name ON person WHEN NEW.name != OLD.name BEGIN
    UPDATE household SET head_name = NEW.name WHERE head_id = NEW.id;
END;
