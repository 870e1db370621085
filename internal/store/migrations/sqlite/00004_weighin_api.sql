-- +goose Up
-- The weigh-in API (02-site §7): personal API tokens for officers (only a
-- SHA-256 of the token is kept; the token is shown once), and the answers
-- to Idempotency-Key requests, so a replayed save returns the first answer
-- and writes nothing — also on another replica.
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

CREATE TABLE idempotency_keys (
    person_id    BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    idem_key     TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0, -- 0 while the first request runs
    body         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (person_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE api_tokens;
