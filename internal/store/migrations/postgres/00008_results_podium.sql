-- +goose Up
-- The home page lists the top three of the latest tournaments: without this
-- index the query visited every result row of each tournament to find the
-- places ≤ 3 (42 % of an uncached home render). Partial, so a rescore that
-- moves anglers below the podium does not touch it.
CREATE INDEX results_podium ON results (tournament_id, place) WHERE place <= 3;

-- +goose Down
DROP INDEX results_podium;
