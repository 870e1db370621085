package web_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"sabc/internal/cache"
	"sabc/internal/club"
	"sabc/internal/config"
	"sabc/internal/ratelimit"
	"sabc/internal/store"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

// pageLimit is the per-address Page limit these tests set; the other classes
// stay out of the way.
const pageLimit = 4

// tightPageSite is the demo site with the page cache on (unless cfg turns it
// off) and a Page limit of pageLimit a minute on the site's stopped clock, so
// no allowance comes back during the test.
func tightPageSite(t *testing.T, cfg func(*config.Config)) *testutil.Site {
	t.Helper()
	clock := testutil.NewClock(testutil.Now)
	lots := ratelimit.Limit{Requests: 1_000_000, Per: time.Minute}
	lim, err := ratelimit.NewMemory(ratelimit.MemoryConfig{Now: clock.Now, Limits: ratelimit.Limits{
		ratelimit.Login: lots, ratelimit.Register: lots, ratelimit.PasswordReset: lots, ratelimit.Upload: lots,
		ratelimit.Post: lots, ratelimit.Page: {Requests: pageLimit, Per: time.Minute}}})
	if err != nil {
		t.Fatal(err)
	}
	c := newPageCache(t, cache.Options{})
	return testutil.NewSite(t, testutil.SiteOptions{Clock: clock, Config: cfg, Deps: func(d *web.Deps) {
		d.Cache, d.Limiter = c, lim
	}})
}

func getStatus(t *testing.T, cl *http.Client, url string) int {
	t.Helper()
	return siteGet(t, cl, url).status
}

func TestRateLimit_PageCacheHitsAreNeverRefused(t *testing.T) {
	site := tightPageSite(t, nil)
	cl := site.Client()
	for i := range 10 * pageLimit {
		if st := getStatus(t, cl, site.URL+"/"); st != http.StatusOK {
			t.Fatalf("home page request %d from one address (all but the first from the cache): %d, want 200", i+1, st)
		}
	}
	// The one miss was counted: the allowance left is pageLimit-1.
	for i := range pageLimit - 1 {
		if st := getStatus(t, cl, site.URL+"/polls/"); st != http.StatusOK {
			t.Fatalf("uncached request %d after the hits: %d, want 200", i+1, st)
		}
	}
	if st := getStatus(t, cl, site.URL+"/polls/"); st != http.StatusTooManyRequests {
		t.Errorf("uncached request past the limit: %d, want 429", st)
	}
}

func TestRateLimit_PageCacheMissesAreStillCounted(t *testing.T) {
	site := tightPageSite(t, nil)
	ts, err := site.Store.Tournaments(context.Background(), store.TournamentFilter{Status: club.StatusComplete})
	if err != nil || len(ts) <= pageLimit {
		t.Fatalf("demo tournaments: %v (%d)", err, len(ts))
	}
	cl := site.Client()
	// Each tournament page is a different cache entry: every request misses.
	for i := range pageLimit {
		url := site.URL + "/tournaments/" + strconv.FormatInt(ts[i].ID, 10) + "/"
		if st := getStatus(t, cl, url); st != http.StatusOK {
			t.Fatalf("miss %d: %d, want 200", i+1, st)
		}
	}
	url := site.URL + "/tournaments/" + strconv.FormatInt(ts[pageLimit].ID, 10) + "/"
	p := siteGet(t, cl, url)
	if p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") == "" {
		t.Fatalf("miss past the limit: %d (Retry-After %q), want 429", p.status, p.header.Get("Retry-After"))
	}
	// The refused render stored nothing, and a page already cached is
	// still served to the refused address.
	if st := getStatus(t, cl, site.URL+"/tournaments/"+strconv.FormatInt(ts[0].ID, 10)+"/"); st != http.StatusOK {
		t.Errorf("cached page after the refusal: %d, want 200", st)
	}
	if st := getStatus(t, cl, url); st != http.StatusTooManyRequests {
		t.Errorf("the refused page again (must still miss): %d, want 429", st)
	}
}

func TestRateLimit_PageCacheOffCountsEveryPage(t *testing.T) {
	site := tightPageSite(t, func(c *config.Config) { c.PageCache = "off" })
	cl := site.Client()
	for i := range pageLimit {
		if st := getStatus(t, cl, site.URL+"/"); st != http.StatusOK {
			t.Fatalf("request %d: %d, want 200", i+1, st)
		}
	}
	if st := getStatus(t, cl, site.URL+"/"); st != http.StatusTooManyRequests {
		t.Errorf("home page past the limit with SABC_PAGE_CACHE=off: %d, want 429", st)
	}
}

func TestRateLimit_LiveStreamCountsOnceWhateverItsEvents(t *testing.T) {
	site := tightPageSite(t, nil)
	tr := scheduledTournament(t, site.Store)
	events := sseStream(t, site.URL, tr.ID, "")
	nextEvent(t, events, 5*time.Second, "initial standings")
	people, err := site.Store.People(context.Background(), true)
	if err != nil || len(people) < 2*pageLimit {
		t.Fatalf("demo people: %v (%d)", err, len(people))
	}
	for i := range 2 * pageLimit {
		saveFor(t, site.Store, tr.ID, people[i].ID, int64(500+i))
		nextEvent(t, events, 5*time.Second, "event "+strconv.Itoa(i+1))
	}
	// The stream was one request: pageLimit-1 more pages are allowed.
	cl := site.Client()
	for i := range pageLimit - 1 {
		if st := getStatus(t, cl, site.URL+"/polls/"); st != http.StatusOK {
			t.Fatalf("page %d after a stream of %d events: %d, want 200", i+1, 2*pageLimit+1, st)
		}
	}
	if st := getStatus(t, cl, site.URL+"/polls/"); st != http.StatusTooManyRequests {
		t.Errorf("page past the limit: %d, want 429 (the stream was not counted)", st)
	}
}

func TestPageCacheOff_EveryRequestRenders(t *testing.T) {
	for _, mode := range []string{"on", "off"} {
		site := cachedSite(t, newPageCache(t, cache.Options{}), func(c *config.Config) { c.PageCache = mode })
		cl := site.Client()
		siteGet(t, cl, site.URL+"/")
		n := siteGet(t, cl, site.URL+"/").header.Get("X-DB-Query-Count")
		if rendered := n != "0" && n != ""; rendered != (mode == "off") {
			t.Errorf("SABC_PAGE_CACHE=%s: the second home page ran %s queries", mode, n)
		}
	}
}
