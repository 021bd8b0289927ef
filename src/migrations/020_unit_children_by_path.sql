-- 020 a unit's children in path order. The registry's counted lists (the whole roll, one status,
-- one flag) run in path order, and a deep page finds where it starts by the counts of each level's
-- children in that order (src/people/store.c, roll_seek) instead of walking every row before it:
-- page 4,000 of the county's roll took 307 ms. unit_parent holds the children in their display
-- order (sort, name), so reading them by path needed a sort at each level, half of the seek's cost.
CREATE INDEX unit_parent_path ON unit (parent_id, path);
