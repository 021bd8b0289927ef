-- 021 a township's or a village's initials search with a list filter. person_village_initials
-- (011) gave the people of a village by initials, but a filter (党员 whose initials start with L:
-- /people?q=L&flag=party as a township user) was tested on each person's row: every entry of the
-- township's range was a row read, to count up to the cap (14 M instructions, about 1.5 ms).
-- The index now holds the filters' columns, so an entry that does not match is passed over
-- without its row. The id is named before them so that a village's people still come in
-- (initials, group, id) order, the list's order, without a sort (as 014 did for
-- person_unit_name). src/people/bulk.c drops and builds it again with this very text.
DROP INDEX person_village_initials;
CREATE INDEX person_village_initials ON person (village_id, initials, unit_id, id, status, flags, birth);
