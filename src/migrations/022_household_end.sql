-- 022 注销户: a household whose members have all died, moved away or joined other households is
-- ended, never deleted. ended_at (005) holds the date and end_reason why. An ended household leaves
-- its group's lists and the visit lists, its 户号 may be given again, and its history stays.
ALTER TABLE household ADD COLUMN end_reason TEXT
    CHECK (end_reason IS NULL OR end_reason = 'moved' OR end_reason = 'deceased' OR end_reason = 'merged'
           OR end_reason = 'other');
-- The group's ended households, for the link under its list (few: a probe and a short walk).
CREATE INDEX household_ended ON household (unit_id, ended_at) WHERE ended_at IS NOT NULL;
-- Nobody is asked to visit an ended household: its assignment (008) ends on the same day, whichever
-- path ended it.
CREATE TRIGGER household_end_assignment AFTER UPDATE OF ended_at ON household
WHEN NEW.ended_at IS NOT NULL AND OLD.ended_at IS NULL BEGIN
    UPDATE visit_assignment SET end_date = max(start_date, NEW.ended_at) WHERE household_id = NEW.id AND end_date IS NULL;
END;
