package store

import (
	"context"
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
