package store

import (
	"context"
	"database/sql"
	"time"
)

// APIToken is one personal API token (the secret itself is never stored).
type APIToken struct {
	ID        int64
	PersonID  int64
	Name      string
	CreatedAt time.Time
}

// CreateAPIToken stores the hash of a new token for a person.
func (s *Store) CreateAPIToken(ctx context.Context, personID int64, name, tokenHash string) (int64, error) {
	return insertID(ctx, s.write, `INSERT INTO api_tokens (person_id, name, token_hash, created_at)
		VALUES ($1, $2, $3, $4)`, personID, name, tokenHash, s.Now())
}

// APITokens lists a person's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, personID int64) ([]APIToken, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, person_id, name, created_at FROM api_tokens
		WHERE person_id = $1 ORDER BY created_at DESC, id DESC`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		if err := rows.Scan(&t.ID, &t.PersonID, &t.Name, &t.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteAPIToken revokes one of the person's tokens.
func (s *Store) DeleteAPIToken(ctx context.Context, personID, id int64) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = $1 AND person_id = $2`, id, personID)
	return mustAffect(res, err, "api token", id)
}

// APITokenPerson returns the person a token hash belongs to (ErrNotFound otherwise).
func (s *Store) APITokenPerson(ctx context.Context, tokenHash string) (int64, error) {
	var id int64
	err := s.read.QueryRowContext(ctx, `SELECT person_id FROM api_tokens WHERE token_hash = $1`, tokenHash).Scan(&id)
	return id, mapErr(err)
}

// Idempotent is a stored answer to a request sent with an Idempotency-Key.
type Idempotent struct {
	Fingerprint string // what the first request was (method, path, body hash)
	Status      int    // 0: the first request is still running
	Body        string
}

// idempotencyTTL is how long an answer is kept for replay: longer than any
// phone stays offline during one weigh-in.
const idempotencyTTL = 48 * time.Hour

// idempotencySweep is how often a claim also deletes the expired keys: not
// on every claim, which made each weigh-in PUT's claim scan the table on the
// one SQLite writer. A key may so outlive its TTL by this much; harmless.
const idempotencySweep = 10 * time.Minute

// abandonedClaim is how long a claim may stay unanswered before a retry
// takes it over: far longer than any save takes.
const abandonedClaim = time.Minute

// ClaimIdempotencyKey reserves key for the person's request. fresh is true
// when this request is the first with the key and must run; otherwise the
// stored entry is returned (Status 0 while the first one is still running).
// The primary key makes the claim atomic across requests and replicas.
func (s *Store) ClaimIdempotencyKey(ctx context.Context, personID int64, key, fingerprint string) (
	prev Idempotent, fresh bool, err error) {
	now := s.Now()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if last := s.idemSweptAt.Load(); now.UnixNano()-last >= int64(idempotencySweep) &&
			s.idemSweptAt.CompareAndSwap(last, now.UnixNano()) {
			if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`,
				now.Add(-idempotencyTTL)); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (person_id, idem_key, fingerprint, created_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (person_id, idem_key) DO NOTHING`, personID, key, fingerprint, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			fresh = true
			return nil
		}
		// A claim still "running" after a minute belongs to a request that
		// died (a crashed replica): the retry takes it over. Should the first
		// write have committed, the retry meets its row (409), never a copy.
		res, err = tx.ExecContext(ctx, `UPDATE idempotency_keys SET created_at = $3 WHERE person_id = $1
			AND idem_key = $2 AND status = 0 AND fingerprint = $4 AND created_at < $5`,
			personID, key, now, fingerprint, now.Add(-abandonedClaim))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			fresh = true
			return nil
		}
		return tx.QueryRowContext(ctx, `SELECT fingerprint, status, body FROM idempotency_keys
			WHERE person_id = $1 AND idem_key = $2`, personID, key).Scan(&prev.Fingerprint, &prev.Status, &prev.Body)
	})
	return prev, fresh, err
}

// FinishIdempotencyKey stores the answer of the request that claimed key.
func (s *Store) FinishIdempotencyKey(ctx context.Context, personID int64, key string, status int, body string) error {
	_, err := s.write.ExecContext(ctx, `UPDATE idempotency_keys SET status = $3, body = $4
		WHERE person_id = $1 AND idem_key = $2`, personID, key, status, body)
	return err
}

// ReleaseIdempotencyKey forgets a claim whose request failed on our side
// (a 5xx), so the client's retry runs instead of replaying the failure.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, personID int64, key string) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE person_id = $1 AND idem_key = $2
		AND status = 0`, personID, key)
	return err
}
