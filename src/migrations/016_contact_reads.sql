-- 016 contact reads: indexes that let the contact pages read only the rows they show.
--
-- Members behind in a month (the compliance page and the digest) were read through
-- visit_count_behind (month, ratio), which holds neither the member's group nor the figures: each
-- entry looked up its visit_count row and its group to test the scope, so a township's digest
-- walked the county's 1,662 members behind (7 M instructions). Both indexes below hold every
-- column the list reads: the county's list walks the first in display order; a smaller scope's
-- walks the second group by group and sorts its few rows (report.c, members_behind).
DROP INDEX visit_count_behind;
CREATE INDEX visit_count_behind ON visit_count (month, (done * 1.0 / owed), person_id, unit_id, owed, done) WHERE done < owed;
CREATE INDEX visit_count_behind_unit ON visit_count (month, unit_id, (done * 1.0 / owed), person_id, owed, done) WHERE done < owed;

-- The cadres a guidance assignment offers (assign.c): the village logins of the scope, reached
-- through their role rather than by probing each of the scope's up to 1,736 units for a login.
CREATE INDEX user_role_scope ON user (role, active, scope_unit);

-- A visit list filtered by duty (八大员) counts its matches, up to 1,000 past its page. In a
-- township or a village that count walked visit_recent, the whole county's visits by date, and
-- probed each one's group against the scope: a township's publicists cost 30 M instructions. With
-- the duty and void mark in visit_unit the count walks the scope's groups instead and reads this
-- index alone (visits.c, VC_SCOPE). (src/demo/demo_visits.c builds it after its bulk load with
-- this very text.)
DROP INDEX visit_unit;
CREATE INDEX visit_unit ON visit (unit_id, visited_on, duties, void_at);
