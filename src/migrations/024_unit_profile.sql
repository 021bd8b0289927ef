-- 024 组情民情: each unit's profile, counted for its whole subtree like unit_roll (012, 014), so that
-- the county's, a township's or a village's summary is one row, not a sum over 73,000 households.
--
-- unit_profile counts the current households (not ended) with their farmland, forest, livestock,
-- poultry and poverty status, and the people living at home or away working (the living roll)
-- with each flag. unit_roll's flag counts serve the list filters, which show every status, so they
-- count the moved-out and deceased too; a profile of the living cannot use them.
CREATE TABLE unit_profile (
    unit_id     INTEGER PRIMARY KEY REFERENCES unit(id),
    households  INTEGER NOT NULL DEFAULT 0,
    farmland_c  INTEGER NOT NULL DEFAULT 0,   -- 亩 × 100, as household keeps it
    forest_c    INTEGER NOT NULL DEFAULT 0,
    livestock   INTEGER NOT NULL DEFAULT 0,
    poultry     INTEGER NOT NULL DEFAULT 0,
    lifted      INTEGER NOT NULL DEFAULT 0,   -- 脱贫户
    monitored   INTEGER NOT NULL DEFAULT 0,   -- 监测户
    party       INTEGER NOT NULL DEFAULT 0,   -- the living roll's flags (people.h's bits)
    chunhui     INTEGER NOT NULL DEFAULT 0,
    wealth      INTEGER NOT NULL DEFAULT 0,
    veteran     INTEGER NOT NULL DEFAULT 0,
    retired     INTEGER NOT NULL DEFAULT 0,
    cadre       INTEGER NOT NULL DEFAULT 0,
    legal       INTEGER NOT NULL DEFAULT 0,
    labour      INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO unit_profile (unit_id, households, farmland_c, forest_c, livestock, poultry, lifted, monitored)
    SELECT j.value, sum(c.n), sum(c.farm), sum(c.forest), sum(c.live), sum(c.poul), sum(c.lifted), sum(c.monitored)
    FROM (SELECT unit_id, count(*) AS n, sum(farmland_c) AS farm, sum(forest_c) AS forest, sum(livestock) AS live,
                 sum(poultry) AS poul, sum(poverty = 'lifted') AS lifted, sum(poverty = 'monitored') AS monitored
          FROM household WHERE ended_at IS NULL GROUP BY unit_id) AS c
    JOIN unit g ON g.id = c.unit_id, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j
    GROUP BY j.value;
INSERT INTO unit_profile (unit_id, party, chunhui, wealth, veteran, retired, cadre, legal, labour)
    SELECT j.value, sum(c.party), sum(c.chunhui), sum(c.wealth), sum(c.veteran), sum(c.retired), sum(c.cadre),
           sum(c.legal), sum(c.labour)
    FROM (SELECT unit_id, sum((flags & 1) != 0) AS party, sum((flags & 2) != 0) AS chunhui,
                 sum((flags & 4) != 0) AS wealth, sum((flags & 8) != 0) AS veteran, sum((flags & 16) != 0) AS retired,
                 sum((flags & 32) != 0) AS cadre, sum((flags & 64) != 0) AS legal, sum((flags & 128) != 0) AS labour
          FROM person WHERE status = 'resident' OR status = 'migrant' GROUP BY unit_id) AS c
    JOIN unit g ON g.id = c.unit_id, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j
    WHERE true GROUP BY j.value
    ON CONFLICT (unit_id) DO UPDATE SET party = excluded.party, chunhui = excluded.chunhui, wealth = excluded.wealth,
        veteran = excluded.veteran, retired = excluded.retired, cadre = excluded.cadre, legal = excluded.legal,
        labour = excluded.labour;

-- A living person counts, with their flags, in the rows of their group and each ancestor. The
-- person triggers of 014 already send every change through the view roll_change (sign 1 for the
-- person as they are now, -1 as they were); this second INSTEAD OF trigger on it counts the living.
CREATE TRIGGER roll_change_profile INSTEAD OF INSERT ON roll_change
WHEN NEW.status = 'resident' OR NEW.status = 'migrant' BEGIN
    INSERT INTO unit_profile (unit_id, party, chunhui, wealth, veteran, retired, cadre, legal, labour)
        SELECT j.value, NEW.sign * ((NEW.flags & 1) != 0), NEW.sign * ((NEW.flags & 2) != 0),
               NEW.sign * ((NEW.flags & 4) != 0), NEW.sign * ((NEW.flags & 8) != 0),
               NEW.sign * ((NEW.flags & 16) != 0), NEW.sign * ((NEW.flags & 32) != 0),
               NEW.sign * ((NEW.flags & 64) != 0), NEW.sign * ((NEW.flags & 128) != 0)
        FROM unit g, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j WHERE g.id = NEW.unit_id
        ON CONFLICT (unit_id) DO UPDATE SET party = party + excluded.party, chunhui = chunhui + excluded.chunhui,
            wealth = wealth + excluded.wealth, veteran = veteran + excluded.veteran,
            retired = retired + excluded.retired, cadre = cadre + excluded.cadre, legal = legal + excluded.legal,
            labour = labour + excluded.labour;
END;

-- A current household counts in the rows of its group and each ancestor. household_change is the
-- one place that adds one (sign 1) or takes one out (sign -1), as roll_change is for people.
CREATE VIEW household_change (unit_id, sign, farmland_c, forest_c, livestock, poultry, poverty)
    AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TRIGGER household_change_apply INSTEAD OF INSERT ON household_change BEGIN
    INSERT INTO unit_profile (unit_id, households, farmland_c, forest_c, livestock, poultry, lifted, monitored)
        SELECT j.value, NEW.sign, NEW.sign * NEW.farmland_c, NEW.sign * NEW.forest_c, NEW.sign * NEW.livestock,
               NEW.sign * NEW.poultry, NEW.sign * (NEW.poverty = 'lifted'), NEW.sign * (NEW.poverty = 'monitored')
        FROM unit g, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j WHERE g.id = NEW.unit_id
        ON CONFLICT (unit_id) DO UPDATE SET households = households + excluded.households,
            farmland_c = farmland_c + excluded.farmland_c, forest_c = forest_c + excluded.forest_c,
            livestock = livestock + excluded.livestock, poultry = poultry + excluded.poultry,
            lifted = lifted + excluded.lifted, monitored = monitored + excluded.monitored;
END;
CREATE TRIGGER household_profile_ins AFTER INSERT ON household WHEN NEW.ended_at IS NULL BEGIN
    INSERT INTO household_change VALUES (NEW.unit_id, 1, NEW.farmland_c, NEW.forest_c, NEW.livestock, NEW.poultry,
                                         NEW.poverty);
END;
-- Ending, restoring, moving to another group or changing the profile: out as it was, in as it is.
CREATE TRIGGER household_profile_upd AFTER UPDATE OF unit_id, ended_at, farmland_c, forest_c, livestock, poultry, poverty
ON household WHEN OLD.unit_id != NEW.unit_id OR OLD.ended_at IS NOT NEW.ended_at OR OLD.farmland_c != NEW.farmland_c
    OR OLD.forest_c != NEW.forest_c OR OLD.livestock != NEW.livestock OR OLD.poultry != NEW.poultry
    OR OLD.poverty != NEW.poverty BEGIN
    INSERT INTO household_change SELECT OLD.unit_id, -1, OLD.farmland_c, OLD.forest_c, OLD.livestock, OLD.poultry,
                                        OLD.poverty WHERE OLD.ended_at IS NULL;
    INSERT INTO household_change SELECT NEW.unit_id, 1, NEW.farmland_c, NEW.forest_c, NEW.livestock, NEW.poultry,
                                        NEW.poverty WHERE NEW.ended_at IS NULL;
END;

-- A group moving in the tree takes its profile from its old ancestors to its new ones, as
-- unit_roll_unit_move (014) does its roll.
CREATE TRIGGER unit_profile_unit_move AFTER UPDATE OF path ON unit WHEN NEW.kind = 'group' AND OLD.path != NEW.path BEGIN
    UPDATE unit_profile SET households = unit_profile.households - g.households,
        farmland_c = unit_profile.farmland_c - g.farmland_c, forest_c = unit_profile.forest_c - g.forest_c,
        livestock = unit_profile.livestock - g.livestock, poultry = unit_profile.poultry - g.poultry,
        lifted = unit_profile.lifted - g.lifted, monitored = unit_profile.monitored - g.monitored,
        party = unit_profile.party - g.party, chunhui = unit_profile.chunhui - g.chunhui,
        wealth = unit_profile.wealth - g.wealth, veteran = unit_profile.veteran - g.veteran,
        retired = unit_profile.retired - g.retired, cadre = unit_profile.cadre - g.cadre,
        legal = unit_profile.legal - g.legal, labour = unit_profile.labour - g.labour
        FROM (SELECT * FROM unit_profile WHERE unit_id = NEW.id) AS g
        WHERE unit_profile.unit_id != NEW.id
          AND unit_profile.unit_id IN (SELECT value FROM json_each('[' || replace(trim(OLD.path, '/'), '/', ',') || ']'));
    INSERT INTO unit_profile (unit_id, households, farmland_c, forest_c, livestock, poultry, lifted, monitored, party,
                              chunhui, wealth, veteran, retired, cadre, legal, labour)
        SELECT j.value, p.households, p.farmland_c, p.forest_c, p.livestock, p.poultry, p.lifted, p.monitored, p.party,
               p.chunhui, p.wealth, p.veteran, p.retired, p.cadre, p.legal, p.labour
        FROM json_each('[' || replace(trim(NEW.path, '/'), '/', ',') || ']') AS j
        JOIN unit_profile p ON p.unit_id = NEW.id WHERE j.value != NEW.id
        ON CONFLICT (unit_id) DO UPDATE SET households = households + excluded.households,
            farmland_c = farmland_c + excluded.farmland_c, forest_c = forest_c + excluded.forest_c,
            livestock = livestock + excluded.livestock, poultry = poultry + excluded.poultry,
            lifted = lifted + excluded.lifted, monitored = monitored + excluded.monitored,
            party = party + excluded.party, chunhui = chunhui + excluded.chunhui, wealth = wealth + excluded.wealth,
            veteran = veteran + excluded.veteran, retired = retired + excluded.retired, cadre = cadre + excluded.cadre,
            legal = legal + excluded.legal, labour = labour + excluded.labour;
END;
