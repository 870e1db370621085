package store_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"sabc/internal/testutil"
)

// Guesses arriving at once each get their own number: the count is one
// atomic statement, so no two parallel guesses can both be "the 5th".
func TestCountLoginAttempt_ParallelGuessesGetDistinctNumbers(t *testing.T) {
	s := testutil.NewDB(t)
	ctx := context.Background()
	const n = 20
	got := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g, err := s.CountLoginAttempt(ctx, "Lou@Example.org", testutil.Now, 15*time.Minute)
			if err != nil {
				t.Error(err)
			}
			got[i] = g.Attempt
		}()
	}
	wg.Wait()
	sort.Ints(got)
	for i, a := range got {
		if a != i+1 {
			t.Fatalf("attempt numbers %v: want 1…%d, each once", got, n)
		}
	}
}

// The window starts at the first guess and ends window later; case and
// spaces in the email do not start a new count; a clear forgets it.
func TestCountLoginAttempt_WindowAndClear(t *testing.T) {
	s := testutil.NewDB(t)
	ctx := context.Background()
	t0, window := testutil.Now, 15*time.Minute
	count := func(email string, at time.Time) int {
		t.Helper()
		g, err := s.CountLoginAttempt(ctx, email, at, window)
		if err != nil {
			t.Fatal(err)
		}
		return g.Attempt
	}
	for i := 1; i <= 6; i++ {
		if a := count(" lou@example.org", t0.Add(time.Duration(i-1)*time.Minute)); a != i {
			t.Fatalf("guess %d numbered %d", i, a)
		}
	}
	g, _ := s.CountLoginAttempt(ctx, "LOU@example.org", t0.Add(7*time.Minute), window)
	if g.Allowed(5) || !g.Until.Equal(t0.Add(window)) {
		t.Errorf("7th guess: %+v, want refused until %v", g, t0.Add(window))
	}
	if a := count("lou@example.org", t0.Add(window)); a != 1 {
		t.Errorf("first guess after the window: number %d, want 1", a)
	}
	if a := count("someone-else@example.org", t0.Add(window)); a != 1 {
		t.Errorf("another email shares the count: %d", a)
	}
	if err := s.ClearLoginAttempts(ctx, "Lou@example.org"); err != nil {
		t.Fatal(err)
	}
	if a := count("lou@example.org", t0.Add(window+time.Minute)); a != 1 {
		t.Errorf("after a clear: number %d, want 1", a)
	}
}
