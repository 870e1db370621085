-- +goose Up
-- The home page shows the AoY top five: in this order SQLite reads the
-- season's rows from the index and sorts only ties of rank and points by
-- name, stopping after five, instead of joining and sorting every angler of
-- the season on each uncached render.
CREATE INDEX standings_order ON standings (season_year, eligible DESC, rank, points DESC);

-- +goose Down
DROP INDEX standings_order;
