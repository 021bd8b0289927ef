-- 015 the rare statuses and flags, indexed apart. A list of the people of one rare status (moved
-- out, deceased, even migrant workers) or with a rare flag (any but labour force) walked every
-- person of the scope's groups to find its few matches: the county's deceased cost 22 M
-- instructions (~3 ms), its village cadres 19 M, and the deceased who were party members 204 M,
-- all of them counted because no counter holds a combination.
--
-- Two partial indexes hold only those people, about one in six, per group and in the lists'
-- (name, id) order, with the filters' columns, so that a walk of the scope's groups visits only
-- the candidates and reads no row to test them:
--   person_unit_status   the people whose status is not 'resident', by group and status, so
--                        that one status is one range of each group;
--   person_unit_flagged  the people with any flag but labour force (the bits 1–64 of people.h).
-- src/people/store.c names the index's WHERE in its statements (SQLite uses a partial index only
-- when the query's WHERE states its condition), and src/people/bulk.c drops and builds them with
-- the other roll indexes around a bulk load, from this very text.
CREATE INDEX person_unit_status ON person (unit_id, status, name, id, flags, birth) WHERE status != 'resident';
CREATE INDEX person_unit_flagged ON person (unit_id, name, id, status, flags, birth) WHERE flags & 127 != 0;
