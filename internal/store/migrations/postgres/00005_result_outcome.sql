-- +goose Up
-- A lock (01-domain §3.3 step 6) is an input: the place and points an officer
-- fixed. It lived in the outcome columns place/points, so a rescore in which
-- the points did not apply (a guest row, points off) wrote NULL over it and the
-- lock came back as 0 later. The lock now has its own columns; place/points are
-- only ever the stored outcome.
ALTER TABLE results ADD COLUMN locked_place INTEGER CHECK (locked_place IS NULL OR locked_place >= 1);
ALTER TABLE results ADD COLUMN locked_points INTEGER CHECK (locked_points IS NULL OR locked_points >= 0);
UPDATE results SET locked_place = place, locked_points = points WHERE locked;

-- The effective dead fish and gross weight join the other out_* columns, so a
-- team angler's row shows the boat's catch (it mirrors the boat) instead of
-- the angler's empty participation row ("gross 0.00, net 12.59"). Filled here
-- the way the engine computes them; every rescore keeps them.
ALTER TABLE results ADD COLUMN out_dead INTEGER NOT NULL DEFAULT 0;
ALTER TABLE results ADD COLUMN out_gross INTEGER NOT NULL DEFAULT 0;
UPDATE results SET out_dead = dead, out_gross = gross WHERE NOT buy_in;
UPDATE results SET
    out_dead = COALESCE((SELECT b.dead FROM boat_anglers ba JOIN boats b ON b.id = ba.boat_id
        WHERE ba.tournament_id = results.tournament_id AND ba.person_id = results.person_id AND NOT b.buy_in), 0),
    out_gross = COALESCE((SELECT b.gross FROM boat_anglers ba JOIN boats b ON b.id = ba.boat_id
        WHERE ba.tournament_id = results.tournament_id AND ba.person_id = results.person_id AND NOT b.buy_in), 0)
    WHERE tournament_id IN (SELECT id FROM tournaments WHERE format = 'team');

-- +goose Down
ALTER TABLE results DROP COLUMN out_gross;
ALTER TABLE results DROP COLUMN out_dead;
ALTER TABLE results DROP COLUMN locked_points;
ALTER TABLE results DROP COLUMN locked_place;
