package store

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"
	"time"
)

// SessionStore keeps scs sessions in the sessions table, so sessions survive
// restarts, are shared by replicas and can be revoked. It implements
// scs.Store and scs.CtxStore.
//
// Rows expire on the store's clock (one clock, docs/architecture.md): the
// deadline scs computes from time.Now is ignored, and a row lives lifetime
// after its last commit. The absolute lifetime of a login is the web layer's
// check on its own start stamp, on the same clock.
type SessionStore struct {
	s        *Store
	lifetime time.Duration
	commits  atomic.Int64
}

// Sessions returns the scs store on this database; rows live lifetime after
// their last commit.
func (s *Store) Sessions(lifetime time.Duration) *SessionStore {
	return &SessionStore{s: s, lifetime: lifetime}
}

// sessionSweepEvery: expired rows are deleted on one commit in this many, which
// keeps the table small without a background job (commits only happen on
// logins and other POSTs, never on a GET).
const sessionSweepEvery = 100

// FindCtx returns the data of a live session; an unknown or expired token is
// simply not found.
func (ss *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := ss.s.read.QueryRowContext(ctx, `SELECT data FROM sessions WHERE token = $1 AND expiry > $2`,
		token, ss.s.Now()).Scan(&b)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return b, true, nil
}

// CommitCtx inserts or replaces a session. scs's wall-clock expiry is
// ignored (see SessionStore).
func (ss *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, _ time.Time) error {
	now := ss.s.Now()
	_, err := ss.s.write.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, now.Add(ss.lifetime))
	if err != nil {
		return err
	}
	if ss.commits.Add(1)%sessionSweepEvery == 0 {
		_, err = ss.s.write.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= $1`, now)
	}
	return err
}

// DeleteCtx removes a session (logout, token renewal); unknown tokens are fine.
func (ss *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := ss.s.write.ExecContext(ctx, `DELETE FROM sessions WHERE token = $1`, token)
	return err
}

// Find implements scs.Store.
func (ss *SessionStore) Find(token string) ([]byte, bool, error) {
	return ss.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (ss *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return ss.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (ss *SessionStore) Delete(token string) error { return ss.DeleteCtx(context.Background(), token) }
