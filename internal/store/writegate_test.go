package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// Inside package store (testutil imports store): the gate is not visible
// from outside, and what is tested is its queue.

func openGateTestDB(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "gate.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// holdWriter starts a writer transaction that holds the writer until hold
// is closed; its result arrives on first.
func holdWriter(s *Store) (hold chan struct{}, first chan error) {
	held := make(chan struct{})
	hold, first = make(chan struct{}), make(chan error, 1)
	go func() {
		first <- s.tx(context.Background(), func(*sql.Tx) error { close(held); <-hold; return nil })
	}()
	<-held
	return hold, first
}

// waitBlocked waits until n transactions wait at the gate (a queue position
// is taken only once blocked, so each is known to be behind the one before).
func waitBlocked(t *testing.T, s *Store, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.writeGate.blocked.Load() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d transactions waiting at the gate, want %d", s.writeGate.blocked.Load(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// Writer transactions on SQLite run in the order they asked: database/sql
// alone gives the freed writer connection to a random waiter, so with eight
// queued the old code ran them in arrival order about once in 40 000 runs.
func TestWriterTransactionsTakeTurnsInArrivalOrder(t *testing.T) {
	s := openGateTestDB(t)
	ctx := context.Background()
	hold, first := holdWriter(s)
	const n = 8
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.tx(ctx, func(tx *sql.Tx) error {
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				_, err := tx.ExecContext(ctx, `SELECT 1`)
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
		waitBlocked(t, s, int64(i+1))
	}
	close(hold)
	wg.Wait()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7}; !slices.Equal(order, want) {
		t.Errorf("transactions ran in order %v, want %v", order, want)
	}
}

// A request that gives up while queued leaves without taking a turn, and
// the ones behind it still get theirs.
func TestWriterTransactionGivesUpItsPlaceWhenCancelled(t *testing.T) {
	s := openGateTestDB(t)
	ctx := context.Background()
	hold, first := holdWriter(s)
	cctx, cancel := context.WithCancel(ctx)
	gaveUp := make(chan error, 1)
	go func() { gaveUp <- s.tx(cctx, func(*sql.Tx) error { t.Error("a cancelled request ran"); return nil }) }()
	waitBlocked(t, s, 1)
	behind := make(chan error, 1)
	go func() { behind <- s.tx(ctx, func(*sql.Tx) error { return nil }) }()
	waitBlocked(t, s, 2)
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while queued: %v, want context.Canceled", err)
	}
	close(hold)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-behind; err != nil {
		t.Errorf("the transaction behind the cancelled one: %v", err)
	}
}
