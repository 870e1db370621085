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

// demoDB is a fresh database holding the demo club, and its URL.
func demoDB(t *testing.T, now func() time.Time) (*store.Store, string) {
	t.Helper()
	st, dbURL := testutil.NewDBURLWith(t, store.Options{Now: now})
	if err := demo.Generate(context.Background(), st, demo.Options{Now: now(), PasswordHash: testutil.DemoPasswordHash()}); err != nil {
		t.Fatal(err)
	}
	return st, dbURL
}

// twoDemoStores opens two stores on one demo-club database (PostgreSQL, or
// one SQLite file as two processes would share it), as two replicas would,
// on one clock. Each store announces only its own writes, so the second
// replica's cache learns of them only as a real replica's would.
func twoDemoStores(t *testing.T) (*store.Store, *store.Store) {
	t.Helper()
	clock := testutil.NewClock(testutil.Now)
	stA, dbURL := demoDB(t, clock.Now)
	stB, err := store.Open(context.Background(), dbURL, store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stB.Close() })
	return stA, stB
}

// freshWithin polls replica base for page p until it shows want. A stale
// answer to a request that started more than bound after the write (since)
// fails the test; so does serving the stale page again once the fresh one
// was served. It returns how long after the write the last stale request
// started (0: none was stale). Polling stops bound+10 s after the write.
func freshWithin(t *testing.T, base, p, want string, since time.Time, bound time.Duration) time.Duration {
	t.Helper()
	var stale time.Duration
	for {
		start := time.Now()
		ans := fetch(t, base+p)
		if ans.status == 200 && strings.Contains(ans.body, want) {
			break
		}
		stale = start.Sub(since)
		if stale > bound {
			t.Fatalf("%s%s was still stale (status %d, without %s) for a request sent %v after the write; the bound is %v",
				base, p, ans.status, want, stale.Round(time.Millisecond), bound)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for i := range 50 {
		if ans := fetch(t, base+p); ans.status != 200 || !strings.Contains(ans.body, want) {
			t.Fatalf("%s%s flipped back to stale on request %d after the fresh one (status %d)", base, p, i+1, ans.status)
		}
	}
	return stale
}

// TestTwoInstancesServeFreshPagesWithinOneSecondOverPubSub: two app
// instances share one database and Redis, as two replicas behind a load
// balancer do. After a weigh-in edit through instance A, Redis pub/sub
// carries the bump to B: no request B receives more than 1 s after the edit
// gets the old page (the version resync would take up to 10 s; the bound is
// pub/sub's), and B never flips back to the old page.
func TestTwoInstancesServeFreshPagesWithinOneSecondOverPubSub(t *testing.T) {
	redisURL := testutil.RedisURL(t)
	stA, stB := twoDemoStores(t)

	prefix := keyPrefix(t)
	cacheA := newPageCache(t, cache.Options{RedisURL: redisURL, KeyPrefix: prefix})
	cacheB := newPageCache(t, cache.Options{RedisURL: redisURL, KeyPrefix: prefix})
	for _, c := range []*cache.Tiered{cacheA, cacheB} {
		if c.Degraded() {
			testutil.Unreachable(t, "Redis (SABC_TEST_REDIS_URL)", fmt.Errorf("%+v", c.Status()))
		}
		waitFor(t, 10*time.Second, "pub/sub to be live", c.PubSubLive)
	}
	a := newInstance(t, stA, cacheA)
	b := newInstance(t, stB, cacheB)

	w := latestWinner(t, stA)
	pages := []string{fmt.Sprintf("/tournaments/%d/", w.t.ID), "/"}
	primeBoth(t, a, b, pages)
	net := lb(addWeight(t, stA, w, 5000))
	wrote := time.Now() // committed and announced: the bump is published before SaveResult returns
	if ans := fetch(t, a+pages[0]); !strings.Contains(ans.body, net) {
		t.Fatalf("instance A itself shows a stale tournament page after its own write")
	}
	for _, p := range pages {
		stale := freshWithin(t, b, p, net, wrote, time.Second)
		t.Logf("B stale for %s: last stale request %v after the write", p, stale.Round(time.Millisecond))
	}
}

// primeBoth has both replicas cache the pages; B must then serve them
// without a query, or a later fresh answer would prove nothing.
func primeBoth(t *testing.T, a, b string, pages []string) {
	t.Helper()
	for _, p := range pages {
		for _, base := range []string{a, b} {
			if ans := fetch(t, base+p); ans.status != 200 {
				t.Fatalf("GET %s%s: %d", base, p, ans.status)
			}
		}
		if ans := fetch(t, b+p); ans.queries != 0 {
			t.Fatalf("B did not cache %s (%d queries): the test would not show staleness", p, ans.queries)
		}
	}
}
