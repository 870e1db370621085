package ratelimit

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// TestRedis_RecoversAfterOutage uses miniredis (unit test only) because the
// real test Redis cannot be stopped and restarted from a test.
func TestRedis_RecoversAfterOutage(t *testing.T) {
	mr := miniredis.RunT(t)
	addr := mr.Addr()
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	var (
		mu     sync.Mutex
		states []bool
	)
	// Timeout is generous on purpose: this test is about recovery, not the
	// call budget. With the default 100 ms, the first call after a (re)dial
	// (connect, then EVALSHA→NOSCRIPT→EVAL of redis_rate's script in
	// miniredis's Lua) took 35 ms under -race on the loaded CI machine and
	// sometimes overran, failing "before" or "after outage" at random.
	l, err := NewRedis(c, RedisConfig{Timeout: 10 * time.Second, RetryAfterFailure: time.Millisecond, OnStateChange: func(ok bool, _ error) {
		mu.Lock()
		states = append(states, ok)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if d, err := l.Allow(ctx, "k", Page); err != nil || !d.Allowed {
		t.Fatalf("before outage: %+v, %v", d, err)
	}
	mr.Close()
	if d, err := l.Allow(ctx, "k", Page); err == nil || !d.Allowed {
		t.Fatalf("during outage: %+v, %v; want allowed with error", d, err)
	}
	if err := mr.StartAddr(addr); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // past RetryAfterFailure
	if d, err := l.Allow(ctx, "k", Page); err != nil || !d.Allowed {
		t.Fatalf("after outage: %+v, %v", d, err)
	}
	if ok, err := l.Healthy(); !ok || err != nil {
		t.Errorf("Healthy = %v, %v after recovery", ok, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(states) != 2 || states[0] || !states[1] {
		t.Errorf("state changes = %v, want [false true]", states)
	}
}
