-- +goose Up
-- Officer tools (issue 11). Optimistic locking: every object an officer edits
-- in a form carries a version, bumped by each save; a form posts the version
-- it was read at and a stale one gets the conflict page, never an overwrite.
ALTER TABLE seasons ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE lakes ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE people ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE events ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE club ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Ramp map links search for "ramp, lake, state" so they find the right place.
ALTER TABLE lakes ADD COLUMN state TEXT NOT NULL DEFAULT 'TX';

-- Club settings shown on the home page, the calendar, meetings and the ICS feed.
ALTER TABLE club ADD COLUMN meeting_place TEXT NOT NULL DEFAULT '';
ALTER TABLE club ADD COLUMN meeting_address TEXT NOT NULL DEFAULT '';
ALTER TABLE club ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE club ADD COLUMN dues_cents BIGINT NOT NULL DEFAULT 0;
ALTER TABLE club ADD COLUMN join_md TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE club DROP COLUMN join_md;
ALTER TABLE club DROP COLUMN dues_cents;
ALTER TABLE club DROP COLUMN contact_email;
ALTER TABLE club DROP COLUMN meeting_address;
ALTER TABLE club DROP COLUMN meeting_place;
ALTER TABLE lakes DROP COLUMN state;
ALTER TABLE club DROP COLUMN version;
ALTER TABLE events DROP COLUMN version;
ALTER TABLE people DROP COLUMN version;
ALTER TABLE lakes DROP COLUMN version;
ALTER TABLE seasons DROP COLUMN version;
