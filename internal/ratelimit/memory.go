package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// MemoryConfig configures NewMemory. The zero value is usable.
type MemoryConfig struct {
	// Limits per class; nil means DefaultLimits().
	Limits Limits
	// MaxKeys bounds memory when many clients are active at once
	// (default 100 000 keys, a few MiB). See Memory for what happens at the cap.
	MaxKeys int
	// Now is the clock; nil means time.Now. Tests inject a fake clock.
	Now func() time.Time
}

// Memory is the in-process Limiter used by the embedded deployment shape.
//
// Each key stores only its GCRA "theoretical arrival time" (TAT). A key whose
// TAT is in the past has a full bucket and is indistinguishable from a key
// never seen, so sweeping such keys is exact: it frees memory without
// forgetting anything a client could exploit. Sweeps run at most once a
// minute, piggybacking on Allow, so no background goroutine needs stopping.
//
// If MaxKeys live keys exist at once (a flood from many addresses), a new key
// evicts the entry closest to idle among a small sample, the same trade
// Redis makes with maxmemory: memory stays bounded and the most-limited
// clients are the least likely to be forgotten.
type Memory struct {
	limits  Limits
	maxKeys int
	now     func() time.Time

	mu        sync.Mutex
	tat       map[memKey]time.Time
	lastSweep time.Time
}

type memKey struct {
	class Class
	key   string
}

const (
	defaultMaxKeys = 100_000
	sweepEvery     = time.Minute
	evictSample    = 8
)

// NewMemory returns an in-process limiter. It returns an error when the
// limit table lacks a class or has a non-positive limit.
func NewMemory(cfg MemoryConfig) (*Memory, error) {
	if cfg.Limits == nil {
		cfg.Limits = DefaultLimits()
	}
	if err := cfg.Limits.validate(); err != nil {
		return nil, err
	}
	if cfg.MaxKeys <= 0 {
		cfg.MaxKeys = defaultMaxKeys
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Memory{
		limits:  cfg.Limits,
		maxKeys: cfg.MaxKeys,
		now:     cfg.Now,
		tat:     make(map[memKey]time.Time),
	}, nil
}

// Allow implements Limiter with GCRA. It never returns an error except for
// an unknown class, which is allowed (fail open) and reported.
func (m *Memory) Allow(_ context.Context, key string, class Class) (Decision, error) {
	if class == Exempt {
		return allowUncounted(Limit{}), nil
	}
	lim, ok := m.limits[class]
	if !ok {
		return allowUncounted(Limit{}), fmt.Errorf("%w %q", ErrUnknownClass, class)
	}
	now := m.now()
	k := memKey{class, key}

	m.mu.Lock()
	defer m.mu.Unlock()
	if now.Sub(m.lastSweep) >= sweepEvery {
		m.sweep(now)
	}
	tat, seen := m.tat[k]
	if !seen && len(m.tat) >= m.maxKeys {
		m.evictOne(now)
	}
	d := gcra(lim, tat, now)
	if d.Allowed {
		m.tat[k] = d.newTAT
	}
	return d.Decision, nil
}

// Len reports how many keys are tracked; for tests and metrics.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.tat)
}

// sweep drops keys whose bucket has refilled completely; see Memory.
func (m *Memory) sweep(now time.Time) {
	for k, tat := range m.tat {
		if !tat.After(now) {
			delete(m.tat, k)
		}
	}
	m.lastSweep = now
}

// evictOne frees one slot: first by sweeping (cheap when many keys are
// idle), else by dropping the entry with the earliest TAT in a sample.
// Go randomises map iteration order, which makes the sample random enough.
func (m *Memory) evictOne(now time.Time) {
	m.sweep(now)
	if len(m.tat) < m.maxKeys {
		return
	}
	var (
		victim memKey
		best   time.Time
		n      int
	)
	for k, tat := range m.tat {
		if n == 0 || tat.Before(best) {
			victim, best = k, tat
		}
		if n++; n == evictSample {
			break
		}
	}
	delete(m.tat, victim)
}

type gcraResult struct {
	Decision
	newTAT time.Time
}

// gcra applies one request at now to a key whose stored TAT is tat (zero
// when unseen). The bucket holds lim.Requests; each request advances the TAT
// by one interval, and a request is refused when that would push the TAT
// more than a full bucket ahead of now.
func gcra(lim Limit, tat, now time.Time) gcraResult {
	interval := lim.interval()
	capacity := time.Duration(lim.Requests) * interval
	if tat.Before(now) {
		tat = now
	}
	newTAT := tat.Add(interval)
	ahead := newTAT.Sub(now)
	if ahead > capacity {
		return gcraResult{Decision: Decision{
			Limit:      lim,
			RetryAfter: ahead - capacity,
		}}
	}
	return gcraResult{
		Decision: Decision{
			Allowed:   true,
			Limit:     lim,
			Remaining: int((capacity - ahead) / interval),
		},
		newTAT: newTAT,
	}
}
