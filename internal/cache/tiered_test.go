package cache

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Fast unit tests: L1 only or miniredis. Real servers are in
// integration_test.go and outage_test.go.

func TestL1ServesSecondRead(t *testing.T) {
	c, _ := newTiered(t, Options{})
	src := &source{val: "page"}
	k := Key{Name: "page:/", Deps: HomePage()}
	ctx, st := WithStats(context.Background())
	for range 3 {
		v, err := c.GetOrLoad(ctx, k, time.Minute, src.load)
		if err != nil || string(v) != "page" {
			t.Fatalf("got %q, %v", v, err)
		}
	}
	if n := src.calls.Load(); n != 1 {
		t.Fatalf("loader calls = %d, want 1", n)
	}
	if st.Hits() != 2 || st.Misses() != 1 {
		t.Fatalf("stats hits=%d misses=%d, want 2/1", st.Hits(), st.Misses())
	}
}

func TestStampedeRunsOneLoader(t *testing.T) {
	c, _ := newTiered(t, Options{})
	var calls atomic.Int64
	release := make(chan struct{})
	load := func(context.Context) ([]byte, error) {
		calls.Add(1)
		<-release
		return []byte("v"), nil
	}
	const n = 64
	var wg sync.WaitGroup
	var started sync.WaitGroup
	started.Add(n)
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			started.Done()
			v, err := c.GetOrLoad(context.Background(), Key{Name: "hot"}, time.Minute, load)
			if err == nil && string(v) != "v" {
				err = errors.New("wrong value " + string(v))
			}
			errs <- err
		})
	}
	started.Wait()
	time.Sleep(20 * time.Millisecond) // let them pile up on the flight; not an assertion
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := calls.Load(); got != 1 {
		t.Fatalf("loader ran %d times for one key, want 1", got)
	}
}

func TestBumpMakesNextReadMiss(t *testing.T) {
	for _, mode := range []string{"l1-only", "miniredis"} {
		t.Run(mode, func(t *testing.T) {
			o := Options{}
			if mode == "miniredis" {
				o.RedisURL = "redis://" + miniredis.RunT(t).Addr()
			}
			c, _ := newTiered(t, o)
			src := &source{val: "old"}
			k := Key{Name: "page:/tournaments/17/", Deps: TournamentPage(17)}
			if v := get(t, c, k, src.load); v != "old" {
				t.Fatalf("got %q", v)
			}
			src.set("new")
			if v := get(t, c, k, src.load); v != "old" {
				t.Fatalf("before bump got %q, want cached old", v)
			}
			c.Bump(context.Background(), ResultWrite(2026, 17, 3, 5, 6)...)
			if v := get(t, c, k, src.load); v != "new" {
				t.Fatalf("after bump got %q, want new", v)
			}
			other := Key{Name: "page:/standings/2025/", Deps: StandingsPage(2025)}
			get(t, c, other, src.load)
			before := src.calls.Load()
			c.Bump(context.Background(), ResultWrite(2026, 17, 3)...)
			get(t, c, other, src.load)
			if src.calls.Load() != before {
				t.Fatal("a 2026 result write invalidated the 2025 standings")
			}
		})
	}
}

func TestLoaderErrorIsNotCached(t *testing.T) {
	c, _ := newTiered(t, Options{})
	boom := errors.New("db down")
	_, err := c.GetOrLoad(context.Background(), Key{Name: "x"}, time.Minute,
		func(context.Context) ([]byte, error) { return nil, boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	src := &source{val: "ok"}
	if v := get(t, c, Key{Name: "x"}, src.load); v != "ok" {
		t.Fatalf("got %q after a failed load", v)
	}
}

func TestMiniredisSharedL2AndPubSub(t *testing.T) {
	mr := miniredis.RunT(t)
	prefix := uniquePrefix(t)
	a, _ := newTiered(t, Options{RedisURL: "redis://" + mr.Addr(), KeyPrefix: prefix})
	b, _ := newTiered(t, Options{RedisURL: "redis://" + mr.Addr(), KeyPrefix: prefix})
	waitSubscribed(t, b)
	src := &source{val: "v1"}
	k := Key{Name: "page:/standings/2026/", Deps: StandingsPage(2026)}
	get(t, a, k, src.load)
	ctx, st := WithStats(context.Background())
	v, err := b.GetOrLoad(ctx, k, time.Minute, src.load)
	if err != nil || string(v) != "v1" || src.calls.Load() != 1 || st.Hits() != 1 {
		t.Fatalf("B: %q %v, loader calls %d, hits %d: want v1 from redis", v, err, src.calls.Load(), st.Hits())
	}
	src.set("v2")
	a.Bump(context.Background(), SeasonRulesWrite(2026)...)
	eventually(t, 5*time.Second, "B to see v2", func() bool { return get(t, b, k, src.load) == "v2" })
}

func TestWarmersRunDebouncedOneAtATime(t *testing.T) {
	c, _ := newTiered(t, Options{WarmDebounce: 30 * time.Millisecond})
	var running, maxRunning, runs atomic.Int64
	c.RegisterWarmer("home", func(ctx context.Context) error {
		n := running.Add(1)
		for {
			m := maxRunning.Load()
			if n <= m || maxRunning.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(10 * time.Millisecond)
		running.Add(-1)
		runs.Add(1)
		return nil
	})
	for range 50 {
		c.Bump(context.Background(), NewsWrite()...)
	}
	<-c.warm.runs
	// A burst of 50 writes is at most two runs (one pending behind another).
	time.Sleep(100 * time.Millisecond)
	if r := runs.Load(); r < 1 || r > 2 {
		t.Fatalf("warm runs = %d for one burst, want 1..2", r)
	}
	if m := maxRunning.Load(); m != 1 {
		t.Fatalf("max concurrent warm runs = %d, want 1", m)
	}
}

func TestMetricsPerTier(t *testing.T) {
	reg := prometheus.NewRegistry()
	mr := miniredis.RunT(t)
	c, _ := newTiered(t, Options{RedisURL: "redis://" + mr.Addr(), Registerer: reg})
	src := &source{val: "x"}
	get(t, c, Key{Name: "a"}, src.load) // l1 miss, redis miss
	get(t, c, Key{Name: "a"}, src.load) // l1 hit
	for _, tc := range []struct{ tier, result string }{{"l1", "miss"}, {"l1", "hit"}, {"redis", "miss"}} {
		if v := counterValue(t, c.m.requests.WithLabelValues(tc.tier, tc.result)); v != 1 {
			t.Errorf("%s %s = %v, want 1", tc.tier, tc.result, v)
		}
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, mf := range mfs {
		names[mf.GetName()] = true
	}
	for _, n := range []string{"sabc_cache_requests_total", "sabc_cache_latency_seconds", "sabc_cache_tier_up"} {
		if !names[n] {
			t.Errorf("%s not registered", n)
		}
	}
	// A second cache in the same registry shares the series instead of failing.
	newTiered(t, Options{Registerer: reg})
}

func TestStatusL1Only(t *testing.T) {
	c, _ := newTiered(t, Options{})
	st := c.Status()
	if len(st) != 1 || st[0].Name != "l1" || !st[0].OK || c.Degraded() {
		t.Fatalf("status = %+v", st)
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestMemcachedKeyIsAlwaysLegal(t *testing.T) {
	for _, k := range []string{"short", strings.Repeat("x", 300), "with space", "ctl\x01"} {
		got := mcKey(k)
		if len(got) > 250 || strings.ContainsAny(got, " \x01") {
			t.Errorf("mcKey(%q) = %q is not a legal memcached key", k, got)
		}
	}
	if mcKey("short") != "short" {
		t.Error("legal keys must pass through unchanged")
	}
}

func TestRedisURLTopologies(t *testing.T) {
	for _, u := range []string{
		"redis://127.0.0.1:6379/0",
		"redis://127.0.0.1:7000?addr=127.0.0.1:7001&addr=127.0.0.1:7002",
		"redis://127.0.0.1:26379?master_name=mymaster&addr=127.0.0.1:26380",
	} {
		rc, err := NewRedisClient(u, 50*time.Millisecond)
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		_ = rc.Close()
	}
	if _, err := NewRedisClient("redis://h:1?bogus=1", time.Second); err == nil {
		t.Error("unknown URL parameter accepted")
	}
}

func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
