package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"sabc/internal/cache"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// TestTwoInstancesNeverServeStalePages: two app instances share PostgreSQL
// and Redis, as two replicas behind a load balancer do. After a weigh-in
// edit through instance A, instance B picks the new page up (pub/sub, or
// the version refresh) and, once it has, never flips back to the old one.
// twoDemoStores opens two stores on one demo-club database, as two replicas
// would, on one clock. Without PostgreSQL the test skips (fails when
// services are required): two instances cannot share a SQLite file here.
func twoDemoStores(t *testing.T) (*store.Store, *store.Store) {
	t.Helper()
	if testutil.PostgresURL() == "" {
		if testutil.RequireServices() {
			t.Fatal("SABC_TEST_DATABASE_URL is not set but SABC_REQUIRE_SERVICES=1")
		}
		t.Skip("SABC_TEST_DATABASE_URL not set: two instances need a shared PostgreSQL")
	}
	ctx := context.Background()
	clock := testutil.NewClock(testutil.Now)
	stA, dbURL := testutil.NewDBURLWith(t, store.Options{Now: clock.Now})
	if err := demo.Generate(ctx, stA, demo.Options{Now: clock.Now(), PasswordHash: testutil.DemoPasswordHash()}); err != nil {
		t.Fatal(err)
	}
	stB, err := store.Open(ctx, dbURL, store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stB.Close() })
	return stA, stB
}

func TestTwoInstancesNeverServeStalePages(t *testing.T) {
	redisURL := testutil.RedisURL(t)
	stA, stB := twoDemoStores(t)

	prefix := keyPrefix(t)
	cacheA := newPageCache(t, cache.Options{RedisURL: redisURL, KeyPrefix: prefix})
	cacheB := newPageCache(t, cache.Options{RedisURL: redisURL, KeyPrefix: prefix})
	for _, c := range []*cache.Tiered{cacheA, cacheB} {
		if c.Degraded() {
			testutil.Unreachable(t, "Redis (SABC_TEST_REDIS_URL)", fmt.Errorf("%+v", c.Status()))
		}
	}
	a := newInstance(t, stA, cacheA)
	b := newInstance(t, stB, cacheB)

	w := latestWinner(t, stA)
	pages := []string{fmt.Sprintf("/tournaments/%d/", w.t.ID), "/"}
	for _, p := range pages {
		// Both replicas hold the page (B may take it from Redis).
		for _, base := range []string{a, b} {
			if ans := fetch(t, base+p); ans.status != 200 {
				t.Fatalf("GET %s%s: %d", base, p, ans.status)
			}
		}
		if ans := fetch(t, b+p); ans.queries != 0 {
			t.Fatalf("B did not cache %s (%d queries): the test would not show staleness", p, ans.queries)
		}
	}
	net := lb(addWeight(t, stA, w, 5000))
	if ans := fetch(t, a+pages[0]); !strings.Contains(ans.body, net) {
		t.Fatalf("instance A itself shows a stale tournament page after its own write")
	}

	for _, p := range pages {
		deadline := time.Now().Add(15 * time.Second)
		for {
			ans := fetch(t, b+p)
			if ans.status == 200 && strings.Contains(ans.body, net) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("instance B still serves %s without the new weight %s after 15 s", p, net)
			}
			time.Sleep(20 * time.Millisecond)
		}
		for i := range 50 {
			if ans := fetch(t, b+p); ans.status != 200 || !strings.Contains(ans.body, net) {
				t.Fatalf("instance B flipped back to a stale %s on request %d after the fresh one (status %d)",
					p, i+1, ans.status)
			}
		}
	}
}
