-- 025 the active units of a subtree by kind, from one index. The unit page counts the townships,
-- villages and groups below it (unit_descendant_counts): a range of the path index, but each entry
-- then read its row for kind and end_date, so the county's page took 6.8 M instructions, 90 % of
-- it this count (1,737 rows). This index holds only active units, with the two columns the count
-- reads (end_date, always NULL in it, because SQLite 3.40 reads a column the WHERE names even
-- when the partial index implies it: see 013).
CREATE INDEX unit_live_kind ON unit (kind, path, end_date) WHERE end_date IS NULL;
