package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sabc/internal/testutil/services"
)

// Integration tests against the real servers named by SABC_TEST_REDIS_URL
// and SABC_TEST_MEMCACHED_SERVERS (skipped when unset, failing when
// SABC_REQUIRE_SERVICES=1).

func redisTier(t *testing.T) *Redis {
	t.Helper()
	rc, err := NewRedisClient(services.RedisURL(t), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rc.Close() })
	r := NewRedis(rc)
	if err := r.ping(context.Background()); err != nil {
		services.Unreachable(t, "Redis", err)
	}
	return r
}

func memcachedTier(t *testing.T) *Memcached {
	t.Helper()
	m, err := NewMemcached(services.MemcachedServers(t), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.close() })
	if err := m.ping(context.Background()); err != nil {
		services.Unreachable(t, "Memcached", err)
	}
	return m
}

// TestTierContract runs the same Get/Set/Delete/miss/version rules on every
// tier implementation.
func TestTierContract(t *testing.T) {
	mem, err := NewMemory(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		mk   func(*testing.T) Cache
	}{
		{"l1", func(*testing.T) Cache { return mem }},
		{"redis", func(t *testing.T) Cache { return redisTier(t) }},
		{"memcached", func(t *testing.T) Cache { return memcachedTier(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.mk(t)
			ctx := context.Background()
			k := uniquePrefix(t) + "k with spaces and a long tail " + fmt.Sprint(make([]int, 100))
			if _, err := c.Get(ctx, k); !errors.Is(err, ErrMiss) {
				t.Fatalf("Get absent = %v, want ErrMiss", err)
			}
			if err := c.Set(ctx, k, []byte("v"), time.Minute); err != nil {
				t.Fatal(err)
			}
			if v, err := c.Get(ctx, k); err != nil || string(v) != "v" {
				t.Fatalf("Get = %q, %v", v, err)
			}
			if err := c.Delete(ctx, k); err != nil {
				t.Fatal(err)
			}
			if err := c.Delete(ctx, k); err != nil {
				t.Fatalf("deleting an absent key: %v", err)
			}
			if _, err := c.Get(ctx, k); !errors.Is(err, ErrMiss) {
				t.Fatalf("Get after Delete = %v, want ErrMiss", err)
			}
			be, ok := c.(backend)
			if !ok {
				return
			}
			vk := uniquePrefix(t) + "ver:x"
			if vs, err := be.loadVersions(ctx, []string{vk}, 0, 0); err != nil || vs[0] != 0 {
				t.Fatalf("read-only load of a missing counter = %v, %v; want 0 and nothing created", vs, err)
			}
			vs, err := be.loadVersions(ctx, []string{vk}, 1000, time.Minute)
			if err != nil || vs[0] != 1000 {
				t.Fatalf("new counter = %v, %v; want seed 1000", vs, err)
			}
			if v, err := be.incr(ctx, vk, 5, time.Minute); err != nil || v != 1001 {
				t.Fatalf("incr = %d, %v; want 1001", v, err)
			}
			if err := be.raise(ctx, vk, 2000, time.Minute); err != nil {
				t.Fatal(err)
			}
			if err := be.raise(ctx, vk, 1500, time.Minute); err != nil {
				t.Fatal(err)
			}
			if vs, _ := be.loadVersions(ctx, []string{vk}, 1, time.Minute); vs[0] != 2000 {
				t.Fatalf("after raise(2000), raise(1500): %d, want 2000 (never lowered)", vs[0])
			}
		})
	}
}

func TestRedisHitMissPerTier(t *testing.T) {
	url := services.RedisURL(t)
	prefix := uniquePrefix(t)
	a, _ := newTiered(t, Options{RedisURL: url, KeyPrefix: prefix})
	b, _ := newTiered(t, Options{RedisURL: url, KeyPrefix: prefix})
	src := &source{val: "home"}
	k := Key{Name: "page:/", Deps: HomePage()}
	get(t, a, k, src.load) // l1 miss, redis miss, load
	get(t, a, k, src.load) // l1 hit
	get(t, b, k, src.load) // l1 miss, redis hit
	if n := src.calls.Load(); n != 1 {
		t.Fatalf("loader calls = %d, want 1", n)
	}
	for _, tc := range []struct {
		c            *Tiered
		tier, result string
		want         float64
	}{
		{a, "l1", "miss", 1}, {a, "l1", "hit", 1}, {a, "redis", "miss", 1},
		{b, "l1", "miss", 1}, {b, "redis", "hit", 1},
	} {
		if v := counterValue(t, tc.c.m.requests.WithLabelValues(tc.tier, tc.result)); v != tc.want {
			t.Errorf("%s %s = %v, want %v", tc.tier, tc.result, v, tc.want)
		}
	}
}

// TestReplicasServeNewValueWithinOneSecondOfBump: two replicas share one
// Redis. After a write bumps on A, B picks the bump up over pub/sub: no read
// on B that starts more than 1 s after the bump gets the old value (the
// version resync alone would take 10 s), and once B has served the new page
// it never serves the old one again, even under concurrent reads.
func TestReplicasServeNewValueWithinOneSecondOfBump(t *testing.T) {
	url := services.RedisURL(t)
	prefix := uniquePrefix(t)
	a, _ := newTiered(t, Options{RedisURL: url, KeyPrefix: prefix})
	b, _ := newTiered(t, Options{RedisURL: url, KeyPrefix: prefix})
	waitSubscribed(t, b)
	src := &source{}
	k := Key{Name: "page:/tournaments/17/", Deps: TournamentPage(17)}
	for round := 1; round <= 20; round++ {
		old, cur := fmt.Sprint("v", round-1), fmt.Sprint("v", round)
		src.set(old)
		get(t, a, k, src.load)
		if v := get(t, b, k, src.load); v != old {
			t.Fatalf("round %d: B got %q before the write, want %q", round, v, old)
		}
		src.set(cur)                                                  // the write commits ...
		a.Bump(context.Background(), ResultWrite(2026, 17, 3, 42)...) // ... then invalidates
		bumped := time.Now()
		if v := get(t, a, k, src.load); v != cur {
			t.Fatalf("round %d: A got %q right after its own bump", round, v)
		}
		// B: poll until the pub/sub message lands, then never the old value.
		var sawNew atomic.Bool
		var wg sync.WaitGroup
		errs := make(chan string, 8)
		for range 4 {
			wg.Go(func() {
				for n := 0; n < 200; {
					seenBefore := sawNew.Load()
					start := time.Now()
					switch v := get(t, b, k, src.load); {
					case v == cur:
						sawNew.Store(true)
						n++
					case seenBefore:
						errs <- fmt.Sprintf("round %d: B served %q after it had served %q", round, v, cur)
						return
					case start.Sub(bumped) > time.Second:
						errs <- fmt.Sprintf("round %d: B served %q to a read started %v after the bump (bound 1 s)",
							round, v, start.Sub(bumped).Round(time.Millisecond))
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Fatal(e)
		}
	}
}

// TestMemcachedOnly: without Redis there is no pub/sub, so L1 is capped at
// 5 s and replicas learn of bumps by polling the counters.
func TestMemcachedOnly(t *testing.T) {
	servers := services.MemcachedServers(t)
	prefix := uniquePrefix(t)
	o := Options{MemcachedServers: servers, KeyPrefix: prefix, L1MaxTTL: time.Hour, VersionRefresh: 50 * time.Millisecond}
	a, _ := newTiered(t, o)
	b, _ := newTiered(t, o)
	src := &source{val: "old"}
	k := Key{Name: "page:/calendar/2026/", Deps: CalendarPage(2026)}
	get(t, a, k, src.load)
	if v := get(t, b, k, src.load); v != "old" || src.calls.Load() != 1 {
		t.Fatalf("B got %q with %d loads; want old from memcached", v, src.calls.Load())
	}
	for _, c := range []*Tiered{a, b} {
		left, ok := c.l1.expiresIn(c.fullKey(context.Background(), k))
		if !ok || left > MaxL1TTLWithoutPubSub {
			t.Fatalf("L1 entry lives %v (present %v); want ≤ %v in memcached-only mode", left, ok, MaxL1TTLWithoutPubSub)
		}
	}
	if tierStatus(a, "memcached").State != "ok" || !tierStatus(a, "memcached").Active {
		t.Fatalf("status = %+v", a.Status())
	}
	src.set("new")
	a.Bump(context.Background(), EventWrite(2026)...)
	if v := get(t, a, k, src.load); v != "new" {
		t.Fatalf("A got %q after its own bump", v)
	}
	eventually(t, 5*time.Second, "B to see the bump through memcached", func() bool {
		return get(t, b, k, src.load) == "new"
	})
}
