-- 026 the roll's version. The server keeps the roll's search lists in memory (people/rollindex.c)
-- and may answer from them only while they are exactly what the request's own snapshot holds.
-- roll_version counts every change to what those lists show, order or filter by: a person's row,
-- a household's 户号, head and representative, a unit's name, place in the tree and order. A
-- request reads this one row; when it differs from the version the lists were built at, it is
-- answered from SQL as before and the lists are built again. The bulk load, which switches the
-- triggers off, counts its change itself (people_bulk_end).
CREATE TABLE roll_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    v  INTEGER NOT NULL
) STRICT;
INSERT INTO roll_version (id, v) VALUES (1, 1);

CREATE TRIGGER roll_version_person_ins AFTER INSERT ON person BEGIN
    UPDATE roll_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER roll_version_person_upd AFTER UPDATE ON person BEGIN
    UPDATE roll_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER roll_version_person_del AFTER DELETE ON person BEGIN
    UPDATE roll_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER roll_version_household AFTER UPDATE OF hh_no, head_id, rep_id ON household BEGIN
    UPDATE roll_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER roll_version_unit_ins AFTER INSERT ON unit BEGIN
    UPDATE roll_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER roll_version_unit_upd AFTER UPDATE ON unit BEGIN
    UPDATE roll_version SET v = v + 1 WHERE id = 1;
END;
