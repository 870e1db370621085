-- +goose Up
-- An Idempotency-Key answer of 1 KiB or more is kept gzipped (a weigh-in
-- save's answer is the whole standings: ~90 KB as text for 200 anglers,
-- written on every save); body is then ''.
ALTER TABLE idempotency_keys ADD COLUMN body_gz BYTEA;

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN body_gz;
