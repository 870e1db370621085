package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for deterministic limiter tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestMemory(t *testing.T, clk *fakeClock, maxKeys int) *Memory {
	t.Helper()
	m, err := NewMemory(MemoryConfig{Now: clk.Now, MaxKeys: maxKeys})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMemory_AllowsBurstThenRefusesWithRetryAfter(t *testing.T) {
	for class, lim := range DefaultLimits() {
		t.Run(string(class), func(t *testing.T) {
			clk := newFakeClock()
			m := newTestMemory(t, clk, 0)
			ctx := context.Background()
			for i := range lim.Requests {
				d, err := m.Allow(ctx, "ip:192.0.2.1", class)
				if err != nil || !d.Allowed {
					t.Fatalf("request %d: got %+v, %v; want allowed", i+1, d, err)
				}
				if want := lim.Requests - i - 1; d.Remaining != want {
					t.Errorf("request %d: remaining %d, want %d", i+1, d.Remaining, want)
				}
			}
			d, _ := m.Allow(ctx, "ip:192.0.2.1", class)
			if d.Allowed {
				t.Fatalf("request %d allowed; want refused", lim.Requests+1)
			}
			if want := lim.Per / time.Duration(lim.Requests); d.RetryAfter != want {
				t.Errorf("RetryAfter = %s, want %s", d.RetryAfter, want)
			}
			// Another client is unaffected.
			if d, _ := m.Allow(ctx, "ip:192.0.2.2", class); !d.Allowed {
				t.Errorf("other key refused")
			}
			// After waiting Retry-After exactly, one more request fits.
			clk.Advance(d.RetryAfter)
			if d, _ := m.Allow(ctx, "ip:192.0.2.1", class); !d.Allowed {
				t.Errorf("refused after waiting Retry-After")
			}
			if d, _ := m.Allow(ctx, "ip:192.0.2.1", class); d.Allowed {
				t.Errorf("second request after one interval allowed")
			}
		})
	}
}

func TestMemory_ClassesAreCountedSeparately(t *testing.T) {
	m := newTestMemory(t, newFakeClock(), 0)
	ctx := context.Background()
	for range 5 {
		m.Allow(ctx, "k", Login)
	}
	if d, _ := m.Allow(ctx, "k", Login); d.Allowed {
		t.Fatal("6th login allowed")
	}
	if d, _ := m.Allow(ctx, "k", Page); !d.Allowed {
		t.Fatal("page refused after login limit hit")
	}
}

func TestMemory_ExemptAndUnknownClassFailOpen(t *testing.T) {
	m := newTestMemory(t, newFakeClock(), 0)
	if d, err := m.Allow(context.Background(), "k", Exempt); !d.Allowed || err != nil {
		t.Errorf("exempt: %+v, %v", d, err)
	}
	if d, err := m.Allow(context.Background(), "k", Class("bogus")); !d.Allowed || err == nil {
		t.Errorf("unknown class: %+v, %v; want allowed with error", d, err)
	}
}

func TestMemory_IdleKeysAreSwept(t *testing.T) {
	clk := newFakeClock()
	m := newTestMemory(t, clk, 0)
	ctx := context.Background()
	for i := range 1000 {
		m.Allow(ctx, fmt.Sprintf("ip:10.0.%d.%d", i/256, i%256), Page)
	}
	if m.Len() != 1000 {
		t.Fatalf("Len = %d, want 1000", m.Len())
	}
	// One page request refills in a second; after the sweep interval all
	// of them are idle and must be gone.
	clk.Advance(sweepEvery)
	m.Allow(ctx, "ip:192.0.2.1", Page)
	if m.Len() != 1 {
		t.Fatalf("after sweep Len = %d, want 1", m.Len())
	}
}

func TestMemory_MaxKeysBoundsMemory(t *testing.T) {
	clk := newFakeClock()
	m := newTestMemory(t, clk, 100)
	ctx := context.Background()
	for i := range 1000 {
		m.Allow(ctx, fmt.Sprintf("ip:10.0.%d.%d", i/256, i%256), Login)
	}
	if m.Len() > 100 {
		t.Fatalf("Len = %d, want ≤ 100", m.Len())
	}
}

func TestNewMemory_RejectsBadLimits(t *testing.T) {
	ls := DefaultLimits()
	ls[Login] = Limit{0, time.Minute}
	if _, err := NewMemory(MemoryConfig{Limits: ls}); err == nil {
		t.Error("zero requests accepted")
	}
	ls = DefaultLimits()
	delete(ls, Upload)
	if _, err := NewMemory(MemoryConfig{Limits: ls}); err == nil {
		t.Error("missing class accepted")
	}
}
