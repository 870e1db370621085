package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"sabc/internal/cache"
	"sabc/internal/config"
	"sabc/internal/testutil"
)

// TestTwoSitesOnOneRedisDoNotServeEachOthersPages: two installations with
// different databases share one Redis, each with the cache prefix its
// configuration derives by default (CACHE_PREFIX unset). Both hold the demo
// club, so their pages have the same paths and namespaces. An edit on site
// A must neither bump B's versions nor put A's page on B (issue 15: with one
// "sabc:" prefix, B served A's pages).
func TestTwoSitesOnOneRedisDoNotServeEachOthersPages(t *testing.T) {
	redisURL := testutil.RedisURL(t)
	clock := testutil.NewClock(testutil.Now)
	stA, urlA := demoDB(t, clock.Now)
	stB, urlB := demoDB(t, clock.Now)
	prefixA := config.Config{DatabaseURL: urlA}.CacheKeyPrefix()
	prefixB := config.Config{DatabaseURL: urlB}.CacheKeyPrefix()
	cacheA := newPageCache(t, cache.Options{RedisURL: redisURL, KeyPrefix: prefixA})
	cacheB := newPageCache(t, cache.Options{RedisURL: redisURL, KeyPrefix: prefixB})
	for _, c := range []*cache.Tiered{cacheA, cacheB} {
		if c.Degraded() {
			testutil.Unreachable(t, "Redis (SABC_TEST_REDIS_URL)", fmt.Errorf("%+v", c.Status()))
		}
		waitFor(t, 10*time.Second, "pub/sub to be live", c.PubSubLive)
	}
	a, b := newInstance(t, stA, cacheA), newInstance(t, stB, cacheB)

	w := latestWinner(t, stA)
	page := fmt.Sprintf("/tournaments/%d/", w.t.ID)
	ns := cache.TournamentPage(w.t.ID)[0]
	primeBoth(t, a, b, []string{page})
	before := cacheB.Version(context.Background(), ns)

	net := lb(addWeight(t, stA, w, 5000))
	if ans := fetch(t, a+page); !strings.Contains(ans.body, net) {
		t.Fatalf("site A does not show its own edit")
	}
	// Pub/sub delivers in milliseconds; a second and a half of reads on B
	// gives a leak every chance to show.
	for end := time.Now().Add(1500 * time.Millisecond); time.Now().Before(end); {
		if ans := fetch(t, b+page); strings.Contains(ans.body, net) {
			t.Fatalf("site B served site A's page (weight %s) for %s", net, page)
		}
		if v := cacheB.Version(context.Background(), ns); v != before {
			t.Fatalf("site A's edit bumped site B's %s: %d → %d", ns, before, v)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
