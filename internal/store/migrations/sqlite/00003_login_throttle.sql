-- +goose Up
-- Password guesses are counted per email (issue 14, findings 2 and 3): one
-- row per hashed, normalized email — known or not, so a lockout does not tell
-- whether an account exists — counted by a single atomic upsert *before* the
-- password is checked, so parallel guesses cannot all get through.
DROP TABLE login_failures;

CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,      -- hex SHA-256 of the lower-cased email
    window_start TIMESTAMP NOT NULL,    -- first guess of the current window
    attempts     INTEGER NOT NULL       -- guesses since window_start
);
CREATE INDEX login_throttle_window ON login_throttle (window_start);

-- +goose Down
DROP TABLE login_throttle;

CREATE TABLE login_failures (
    id         INTEGER PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_person ON login_failures (person_id, at);
