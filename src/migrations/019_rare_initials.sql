-- 019 the rare statuses and flags by initials. A county-wide initials search with a rare filter
-- (党员 whose initials start with L: /people?flag=party&q=L) walked the county's whole range of
-- those initials and read each person's row to test the filter, to count up to the cap: 57 M
-- instructions (~8 ms). This partial index holds the people of 015's two (a status but
-- 'resident', a flag but labour force) in the search's (initials, id) order with the filters'
-- columns and the group, so such a search walks only them and reads no row to test one.
-- src/people/store.c states the index's condition in its statements; src/people/bulk.c drops and
-- builds it with the other roll indexes.
CREATE INDEX person_rare_initials ON person (initials, id, unit_id, status, flags, birth)
    WHERE status != 'resident' OR flags & 127 != 0;
