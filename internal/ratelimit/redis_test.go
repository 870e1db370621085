package ratelimit

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"sabc/internal/testutil/services"
)

// newRedisClient returns a fresh go-redis client against the real test
// Redis, failing (not skipping) when it is configured but unreachable.
func newRedisClient(t *testing.T) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(services.RedisURL(t))
	if err != nil {
		t.Fatalf("SABC_TEST_REDIS_URL: %v", err)
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { c.Close() })
	if err := c.Ping(context.Background()).Err(); err != nil {
		services.Unreachable(t, "Redis", err)
	}
	return c
}

// testPrefix is unique per test run so runs never see each other's counters.
func testPrefix(t *testing.T) string {
	return fmt.Sprintf("sabc-test:rl:%s:%d:", t.Name(), time.Now().UnixNano())
}

func TestRedis_LimitsSharedAcrossInstances(t *testing.T) {
	prefix := testPrefix(t)
	a, err := NewRedis(newRedisClient(t), RedisConfig{Prefix: prefix, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewRedis(newRedisClient(t), RedisConfig{Prefix: prefix, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// Alternate replicas: five logins in total are allowed, not five each.
	for i := range 5 {
		l := []*Redis{a, b}[i%2]
		d, err := l.Allow(ctx, "ip:192.0.2.1", Login)
		if err != nil || !d.Allowed {
			t.Fatalf("login %d: %+v, %v", i+1, d, err)
		}
	}
	for _, l := range []*Redis{a, b} {
		d, err := l.Allow(ctx, "ip:192.0.2.1", Login)
		if err != nil {
			t.Fatal(err)
		}
		if d.Allowed {
			t.Fatal("6th login allowed by another replica")
		}
		if d.RetryAfter <= 55*time.Second || d.RetryAfter > time.Minute {
			t.Errorf("RetryAfter = %s, want about 1m", d.RetryAfter)
		}
	}
	if d, _ := b.Allow(ctx, "ip:192.0.2.2", Login); !d.Allowed {
		t.Error("other client refused")
	}
}

func TestRedis_MiddlewareSharedAcrossReplicas(t *testing.T) {
	prefix := testPrefix(t)
	var hs []*harness
	for range 2 {
		l, err := NewRedis(newRedisClient(t), RedisConfig{Prefix: prefix, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, newHarness(t, l, nil))
	}
	for i := range 3 {
		if w := hs[i%2].do("POST", "/register/", "192.0.2.1:1", "", ""); w.Code != http.StatusOK {
			t.Fatalf("register %d: %d", i+1, w.Code)
		}
	}
	w := hs[1].do("POST", "/register/", "192.0.2.1:1", "", "")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("4th register: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
}

func TestRedis_FailsOpenAndReportsStateChanges(t *testing.T) {
	// A port nothing listens on: connection refused, quickly.
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer c.Close()
	var (
		mu     sync.Mutex
		states []bool
	)
	l, err := NewRedis(c, RedisConfig{Prefix: testPrefix(t), OnStateChange: func(ok bool, _ error) {
		mu.Lock()
		states = append(states, ok)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		d, err := l.Allow(context.Background(), "ip:192.0.2.1", Login)
		if !d.Allowed || err == nil {
			t.Fatalf("got %+v, %v; want allowed with error", d, err)
		}
	}
	if ok, err := l.Healthy(); ok || err == nil {
		t.Errorf("Healthy = %v, %v; want false with error", ok, err)
	}

	// With a fallback, an outage keeps per-replica limits instead of none.
	mem, _ := NewMemory(MemoryConfig{})
	lf, _ := NewRedis(c, RedisConfig{Prefix: testPrefix(t), Fallback: mem})
	for i := range 5 {
		if d, err := lf.Allow(context.Background(), "ip:192.0.2.1", Login); !d.Allowed || err == nil {
			t.Fatalf("fallback login %d: %+v, %v", i+1, d, err)
		}
	}
	if d, err := lf.Allow(context.Background(), "ip:192.0.2.1", Login); d.Allowed || err == nil {
		t.Errorf("fallback 6th login: %+v, %v; want refused with the Redis error", d, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(states) != 1 || states[0] {
		t.Errorf("state changes = %v, want one [false]", states)
	}
}
