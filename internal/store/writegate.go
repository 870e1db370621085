package store

import (
	"context"
	"sync/atomic"
)

// writeGate gives SQLite's writer transactions their turns in arrival order.
// The one writer connection is a pool of one, and when it frees,
// database/sql hands it to a random waiter (connRequestSet.TakeRandom), so
// under four weigh-in officers an unlucky save waited several turns while
// later ones went first: that was the PUT's p99. A goroutine blocked sending
// on a channel is woken first-in, first-out, and a full buffered channel
// passes the freed slot straight to the oldest waiter, so nobody barges.
type writeGate struct {
	slot    chan struct{} // capacity 1: full while a transaction holds the writer
	blocked atomic.Int64  // goroutines waiting for their turn (tests watch it)
}

func newWriteGate() *writeGate { return &writeGate{slot: make(chan struct{}, 1)} }

// acquire waits for the writer's turn; a request that gives up (ctx done)
// leaves the queue without taking one.
func (g *writeGate) acquire(ctx context.Context) error {
	select {
	case g.slot <- struct{}{}:
		return nil
	default:
	}
	g.blocked.Add(1)
	defer g.blocked.Add(-1)
	select {
	case g.slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release ends the turn; the oldest waiter gets it.
func (g *writeGate) release() { <-g.slot }
