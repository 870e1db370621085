package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// TryLock takes or renews the cluster-wide lease on a scheduled job: it
// succeeds when nobody holds it, the lease expired, or holder already has it.
// One statement, so two replicas racing cannot both win.
func (s *Store) TryLock(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	now := s.Now()
	var got string
	err := s.write.QueryRowContext(ctx, `INSERT INTO job_locks (name, holder, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE job_locks.expires_at < $4 OR job_locks.holder = excluded.holder
		RETURNING holder`, name, holder, now.Add(ttl), now).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, mapErr(err)
	}
	return got == holder, nil
}
