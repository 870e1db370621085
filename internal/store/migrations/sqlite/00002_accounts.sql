-- +goose Up
-- Accounts (spec 02-site §1, §3): an admin can grant officer rights outside
-- the season's officer terms, and failed logins are kept per account so a
-- lockout holds across restarts and replicas.
ALTER TABLE people ADD COLUMN officer_granted BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE login_failures (
    id         INTEGER PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_person ON login_failures (person_id, at);

-- +goose Down
DROP TABLE login_failures;
ALTER TABLE people DROP COLUMN officer_granted;
