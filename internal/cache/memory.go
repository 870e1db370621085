package cache

import (
	"context"
	"fmt"
	"time"

	"github.com/maypok86/otter/v2"
)

// Memory is the in-process L1 tier: bounded by total bytes (keys + values),
// with a TTL per entry. It never fails.
type Memory struct {
	c *otter.Cache[string, memItem]
}

// memItem carries its own TTL because otter's expiry is computed from the
// entry, and pages have different lifetimes.
type memItem struct {
	val []byte
	ttl time.Duration
}

// DefaultL1MaxBytes bounds L1 when Options.L1MaxBytes is zero.
const DefaultL1MaxBytes = 64 << 20

// NewMemory returns an L1 tier holding at most maxBytes of keys and values.
func NewMemory(maxBytes int64) (*Memory, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultL1MaxBytes
	}
	c, err := otter.New(&otter.Options[string, memItem]{
		MaximumWeight: uint64(maxBytes),
		Weigher: func(k string, v memItem) uint32 {
			// Small fixed overhead so many tiny entries still count.
			n := len(k) + len(v.val) + 64
			if n > 1<<31 {
				n = 1 << 31
			}
			return uint32(n)
		},
		ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, memItem]) time.Duration {
			return e.Value.ttl
		}),
	})
	if err != nil {
		return nil, fmt.Errorf("cache: l1: %w", err)
	}
	return &Memory{c: c}, nil
}

// Name implements Cache.
func (m *Memory) Name() string { return "l1" }

// Get implements Cache.
func (m *Memory) Get(_ context.Context, key string) ([]byte, error) {
	it, ok := m.c.GetIfPresent(key)
	if !ok {
		return nil, ErrMiss
	}
	return it.val, nil
}

// Set implements Cache. A non-positive ttl stores nothing.
func (m *Memory) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return nil
	}
	m.c.Set(key, memItem{val: value, ttl: ttl})
	return nil
}

// Delete implements Cache.
func (m *Memory) Delete(_ context.Context, key string) error {
	m.c.Invalidate(key)
	return nil
}

// expiresIn reports the remaining lifetime of key (tests check the L1 TTL
// clamp with it).
func (m *Memory) expiresIn(key string) (time.Duration, bool) {
	e, ok := m.c.GetEntryQuietly(key)
	if !ok {
		return 0, false
	}
	return time.Until(e.ExpiresAt()), true
}

// Len is the number of entries (approximate).
func (m *Memory) Len() int { return m.c.EstimatedSize() }

// Close stops otter's background work.
func (m *Memory) Close() { m.c.StopAllGoroutines() }
