package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// SQLite copies the WAL back into the database file (a checkpoint) inside
// the commit that takes the WAL past wal_autocheckpoint pages: with the
// default of 1000, about one weigh-in save in twenty copied and synced
// ~4 MB while holding the one writer, and every save queued behind it waited
// too — that was most of the weigh-in PUT's p99. The checkpointer runs them
// beside the writer instead: PASSIVE checkpoints on a reader connection,
// which never block the writer, woken every checkpointEvery commits. The
// writer's own auto-checkpoint stays as a backstop at walBackstopPages.
// The WAL file starts over only when a writer begins after a checkpoint
// that copied everything, so under a steady stream of saves it can grow to
// the backstop; the writer's checkpoint there finds nearly every page copied
// already (the checkpointer did that work) and lets the WAL start over.
// Measured: weigh-in PUT p99 27–32 ms → 22–25 ms (docs/benchmarks.md).

const (
	checkpointEvery  = 16    // commits between two checkpoints (a save writes 30–60 pages)
	walBackstopPages = 10000 // ~40 MB of WAL before the writer checkpoints by itself
)

type checkpointer struct {
	commits atomic.Int64
	wake    chan struct{} // capacity 1: a wake-up while one runs is kept, more are merged
	done    chan struct{}
	once    sync.Once
}

// startCheckpointer runs checkpoints on db (the read pool) until stop.
func startCheckpointer(db *sql.DB) *checkpointer {
	c := &checkpointer{wake: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for range c.wake {
			// An error (busy, or the database closing) leaves the frames for
			// the next one or the backstop; nothing is lost either way.
			db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
		}
	}()
	return c
}

// committed counts a writer commit and wakes the checkpointer every
// checkpointEvery of them, without waiting.
func (c *checkpointer) committed() {
	if c.commits.Add(1)%checkpointEvery != 0 {
		return
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// stop waits for a running checkpoint and ends the goroutine; once.
func (c *checkpointer) stop() {
	c.once.Do(func() { close(c.wake) })
	<-c.done
}
