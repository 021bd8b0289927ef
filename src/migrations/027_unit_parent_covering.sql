-- 027 the children of a unit from their index alone. Every list with a scope filter (the roll,
-- committees, matters, visits) offers the children of the user's unit in a <select>, read
-- through unit_parent (parent_id, sort, name) in display order; each child's row was then read
-- for its end date and its path (the scope test): for a township's 16 villages the <select> took
-- ~46,000 instructions, a tenth of the roll's search page. With both in the index the row is not
-- read (~31,000); `id` keeps the index in the lists' order, so nothing is sorted.
DROP INDEX unit_parent;
CREATE INDEX unit_parent ON unit (parent_id, sort, name, id, end_date, path);   -- id: the lists' order ends with it
