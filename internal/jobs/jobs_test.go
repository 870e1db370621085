package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sabc/internal/jobs"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// Two replicas (two store handles on one database) racing for the same job:
// exactly one runs it per lease, and the other takes over when it expires.
func TestJobRunsOncePerCluster(t *testing.T) {
	clock := testutil.NewClock(testutil.Now) // one clock for the whole cluster
	s1, url := testutil.NewDBURLWith(t, store.Options{Now: clock.Now})
	s2, err := store.Open(context.Background(), url, store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, b := jobs.NewRunner(s1, log, nil), jobs.NewRunner(s2, log, nil)
	var runs atomic.Int32
	job := func(context.Context) error { runs.Add(1); return nil }
	ctx := context.Background()
	var wg sync.WaitGroup
	for _, r := range []*jobs.Runner{a, b, a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); r.RunOnce(ctx, "health-alerts", time.Hour, job) }()
	}
	wg.Wait()
	first := runs.Load()
	if first < 1 || first > 2 {
		t.Fatalf("runs = %d, want the lease holder only (1, or 2 if it ran twice)", first)
	}
	// The holder runs again; the other replica still cannot.
	ranA := a.RunOnce(ctx, "health-alerts", time.Hour, job)
	ranB := b.RunOnce(ctx, "health-alerts", time.Hour, job)
	if ranA == ranB {
		t.Fatalf("both or neither replica ran (a=%v b=%v)", ranA, ranB)
	}
	// An expired lease passes to the other replica.
	holder, other := a, b
	if ranB {
		holder, other = b, a
	}
	if !holder.RunOnce(ctx, "short", time.Minute, job) {
		t.Fatal("a free lease was not taken")
	}
	if other.RunOnce(ctx, "short", time.Hour, job) {
		t.Error("a lease still running was taken over")
	}
	clock.Advance(time.Minute + time.Second)
	if !other.RunOnce(ctx, "short", time.Hour, job) {
		t.Error("an expired lease was not taken over")
	}
}
