// Package jobs runs scheduled work once per cluster, not once per replica:
// before each run a replica must hold the job's lease in the database.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"sabc/internal/obs"
)

// Locker grants cluster-wide leases (store.Store implements it).
type Locker interface {
	TryLock(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
}

// Runner runs jobs on this replica when it holds their lease.
type Runner struct {
	Locker  Locker
	Logger  *slog.Logger
	Metrics *obs.Metrics // job runs by result; may be nil
	holder  string
}

// NewRunner names this replica with a random holder id.
func NewRunner(l Locker, log *slog.Logger, m *obs.Metrics) *Runner {
	b := make([]byte, 8)
	rand.Read(b)
	return &Runner{Locker: l, Logger: log, Metrics: m, holder: hex.EncodeToString(b)}
}

// Every runs fn every interval until ctx ends, on whichever replica holds the
// lease (the lease lasts two intervals, so a dead leader is replaced quickly).
func (r *Runner) Every(ctx context.Context, name string, interval time.Duration, fn func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		r.RunOnce(ctx, name, 2*interval, fn)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce runs fn if this replica gets the lease; it reports whether fn ran.
func (r *Runner) RunOnce(ctx context.Context, name string, lease time.Duration, fn func(context.Context) error) bool {
	ok, err := r.Locker.TryLock(ctx, name, r.holder, lease)
	if err != nil {
		r.Logger.WarnContext(ctx, "job lease failed", "job", name, "err", err)
		r.Metrics.JobRun(name, "lease_error")
		return false
	}
	if !ok {
		return false
	}
	if err := fn(ctx); err != nil {
		r.Logger.ErrorContext(ctx, "job failed", "job", name, "err", err)
		r.Metrics.JobRun(name, "error")
		return true
	}
	r.Metrics.JobRun(name, "ok")
	return true
}
