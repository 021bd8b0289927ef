-- 013 household list, covering at last: 010 meant the list index to carry every column the page
-- reads, but SQLite 3.40 counts a column named in the WHERE clause as read even when the partial
-- index's own WHERE already implies the term (here ended_at IS NULL), so it looked up each
-- household's row anyway: EXPLAIN QUERY PLAN said "USING INDEX", not "USING COVERING INDEX". With
-- ended_at in the index (always NULL in it: one byte per entry) the page reads the index alone.
DROP INDEX household_list;
CREATE INDEX household_list ON household (unit_id, length(hh_no), hh_no, id, head_name, poverty, members, labour, migrants, farmland_c, ended_at) WHERE ended_at IS NULL;
