package web_test

// Page cache acceptance tests through the real HTTP server: hits cost no
// query, a result write shows on the next GET of every page it affects and
// on no other. twoinstances_test.go and l2outage_test.go reuse the helpers.

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
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

// roomyLimiter lets one test client send hundreds of page requests: these
// tests are about caching, and the per-address limits of spec 03 §8 would
// otherwise answer 429 to the polling loops.
func roomyLimiter(t testing.TB) ratelimit.Limiter {
	t.Helper()
	lots := ratelimit.Limit{Requests: 1_000_000, Per: time.Minute}
	l, err := ratelimit.NewMemory(ratelimit.MemoryConfig{Limits: ratelimit.Limits{ratelimit.Login: lots,
		ratelimit.Register: lots, ratelimit.PasswordReset: lots, ratelimit.Upload: lots, ratelimit.Post: lots,
		ratelimit.Page: lots}})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

var prefixSeq atomic.Int64

// keyPrefix keeps this test's keys and pub/sub channel apart from every
// other test and earlier run on shared Redis/Memcached servers.
func keyPrefix(t testing.TB) string {
	return fmt.Sprintf("webtest:%s:%d:%d:", t.Name(), time.Now().UnixNano(), prefixSeq.Add(1))
}

// newPageCache is a real tiered cache with test-friendly timings.
func newPageCache(t testing.TB, o cache.Options) *cache.Tiered {
	t.Helper()
	if o.KeyPrefix == "" {
		o.KeyPrefix = keyPrefix(t)
	}
	if o.ProbeInterval == 0 {
		o.ProbeInterval = 50 * time.Millisecond
	}
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	c, err := cache.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// cachedSite is the demo site with the page cache on.
func cachedSite(t testing.TB, c *cache.Tiered, cfg func(*config.Config)) *testutil.Site {
	t.Helper()
	return testutil.NewSite(t, testutil.SiteOptions{Config: cfg, Deps: func(d *web.Deps) {
		d.Cache, d.Limiter = c, roomyLimiter(t)
	}})
}

// newInstance is one more app instance (web server) over st: another
// replica in front of the same database, with its own cache.
func newInstance(t testing.TB, st *store.Store, c *cache.Tiered) string {
	t.Helper()
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	cfg.MediaDir = cfg.DataDir + "/media"
	w, err := web.New(web.Deps{Config: cfg, Store: st, Cache: c, Limiter: roomyLimiter(t),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(w.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// answer is one anonymous GET as seen by a browser.
type answer struct {
	status  int
	body    string
	queries int // X-DB-Query-Count; -1 when absent
}

var plainClient = &http.Client{Timeout: 30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func fetch(t testing.TB, url string) answer {
	t.Helper()
	return fetchWith(t, plainClient, url)
}

// fetchWith is fetch through a client of the test's (one logged in).
func fetchWith(t testing.TB, c *http.Client, url string) answer {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	q, err := strconv.Atoi(resp.Header.Get("X-DB-Query-Count"))
	if err != nil {
		q = -1
	}
	return answer{resp.StatusCode, string(b), q}
}

// lb formats hundredths of a pound the way a weigh-in sheet reads ("18.52"),
// written out here rather than taken from the scoring package.
func lb(hundredths int64) string { return fmt.Sprintf("%d.%02d", hundredths/100, hundredths%100) }

// weighIn is the result the write tests edit: the winner of the latest
// complete tournament, which home lists first.
type weighIn struct {
	t      club.Tournament
	result club.Result
}

func latestWinner(t testing.TB, st *store.Store) weighIn {
	t.Helper()
	ctx := context.Background()
	p, err := st.Podiums(ctx, 1, 0)
	if err != nil || len(p) == 0 || len(p[0].Top) == 0 {
		t.Fatalf("no complete tournament with a podium: %v", err)
	}
	rs, err := st.Results(ctx, p[0].Tournament.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.PersonID == p[0].Top[0].Anglers[0].PersonID {
			return weighIn{p[0].Tournament, r}
		}
	}
	t.Fatalf("winner %d has no result row", p[0].Top[0].Anglers[0].PersonID)
	return weighIn{}
}

// addWeight saves the result with gross weight raised by delta through the
// store, as the weigh-in screen does, and returns the net weight the pages
// must show now. Penalties do not depend on the gross, so the net moves by
// exactly delta.
func addWeight(t testing.TB, st *store.Store, w weighIn, delta int64) int64 {
	t.Helper()
	r := w.result
	r.Gross += delta
	r.ConfirmHeavy = true             // deltas of 50 lb make the change unmistakable on the page
	r.Correction = "scale re-checked" // the demo's past tournaments are complete
	if _, err := st.SaveResult(context.Background(), 0, r); err != nil {
		t.Fatalf("SaveResult: %v", err)
	}
	return w.result.Net + delta
}

var seasonTotal = regexp.MustCompile(`Total weight</dt><dd>([0-9]+)\.([0-9]{2}) lb`)

// seasonNet reads the season's total weight off a standings page, in hundredths.
func seasonNet(t testing.TB, body string) int64 {
	t.Helper()
	m := seasonTotal.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("standings page shows no season total weight")
	}
	whole, _ := strconv.ParseInt(m[1], 10, 64)
	frac, _ := strconv.ParseInt(m[2], 10, 64)
	return whole*100 + frac
}

// otherLake is a lake the tournament was not fished on.
func otherLake(t testing.TB, st *store.Store, not int64) int64 {
	t.Helper()
	lakes, err := st.Lakes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lakes {
		if l.ID != not {
			return l.ID
		}
	}
	t.Fatal("the demo club has a single lake")
	return 0
}

// checkHitMiss: the first anonymous GET of each page renders (queries), the
// second is answered from the cache with no query and the same bytes.
func checkHitMiss(t *testing.T, base string, paths []string) {
	t.Helper()
	for _, p := range paths {
		first := fetch(t, base+p)
		if first.status != http.StatusOK || first.queries < 1 {
			t.Fatalf("GET %s (miss): status %d, %d queries; want 200 rendered from the database", p, first.status,
				first.queries)
		}
		second := fetch(t, base+p)
		if second.status != http.StatusOK || second.queries != 0 {
			t.Errorf("GET %s again: status %d, %d queries; want 200 from the cache with 0 queries", p, second.status,
				second.queries)
		}
		if second.body != first.body {
			t.Errorf("GET %s: the cached body differs from the rendered one", p)
		}
	}
}

func publicPages(t testing.TB, st *store.Store) []string {
	w := latestWinner(t, st)
	return []string{"/", fmt.Sprintf("/tournaments/%d/", w.t.ID), fmt.Sprintf("/standings/%d/", w.t.SeasonYear),
		"/lakes/", fmt.Sprintf("/lakes/%d/", w.t.LakeID), fmt.Sprintf("/anglers/%d/", w.result.PersonID),
		"/calendar/"}
}

func TestPageCacheHitCostsNoQuery(t *testing.T) {
	site := cachedSite(t, newPageCache(t, cache.Options{}), nil)
	checkHitMiss(t, site.URL, publicPages(t, site.Store))
}

// TestPageCacheHitMemcached: the same with Memcached as L2, and a second
// replica (empty L1) is served from Memcached without rendering.
func TestPageCacheHitMemcached(t *testing.T) {
	servers := testutil.MemcachedServers(t)
	prefix := keyPrefix(t)
	c := newPageCache(t, cache.Options{MemcachedServers: servers, KeyPrefix: prefix})
	if c.Degraded() {
		testutil.Unreachable(t, "Memcached (SABC_TEST_MEMCACHED_SERVERS)", fmt.Errorf("%+v", c.Status()))
	}
	site := cachedSite(t, c, nil)
	pages := publicPages(t, site.Store)
	checkHitMiss(t, site.URL, pages)

	replica := newInstance(t, site.Store, newPageCache(t, cache.Options{MemcachedServers: servers, KeyPrefix: prefix}))
	for _, p := range pages {
		want := fetch(t, site.URL+p)
		got := fetch(t, replica+p)
		if got.status != http.StatusOK || got.queries != 0 || got.body != want.body {
			t.Errorf("replica GET %s: status %d, %d queries, same body %t; want the page from Memcached",
				p, got.status, got.queries, got.body == want.body)
		}
	}
}

// TestResultWriteRefreshesAffectedPagesOnly: after a weigh-in edit the next
// GET of the tournament, home and standings shows the new weight, while an
// unrelated lake page and last season's standings stay cached.
func TestResultWriteRefreshesAffectedPagesOnly(t *testing.T) {
	site := cachedSite(t, newPageCache(t, cache.Options{}), nil)
	w := latestWinner(t, site.Store)
	tour := fmt.Sprintf("%s/tournaments/%d/", site.URL, w.t.ID)
	standings := fmt.Sprintf("%s/standings/%d/", site.URL, w.t.SeasonYear)
	unrelated := []string{fmt.Sprintf("%s/lakes/%d/", site.URL, otherLake(t, site.Store, w.t.LakeID)),
		fmt.Sprintf("%s/standings/%d/", site.URL, w.t.SeasonYear-1)}
	for _, u := range append([]string{tour, site.URL + "/", standings}, unrelated...) {
		fetch(t, u) // fill the cache
	}
	before := fetch(t, standings)
	if before.queries != 0 {
		t.Fatalf("standings not cached before the write: %d queries", before.queries)
	}
	const delta = 5000 // 50 lb: the winner stays the winner
	net := lb(addWeight(t, site.Store, w, delta))

	for name, u := range map[string]string{"tournament": tour, "home": site.URL + "/"} {
		a := fetch(t, u)
		if a.status != http.StatusOK || !strings.Contains(a.body, net) {
			t.Errorf("%s page right after the write: status %d, shows new net %s: %t (stale page?)", name, a.status,
				net, strings.Contains(a.body, net))
		}
	}
	after := fetch(t, standings)
	if got, want := seasonNet(t, after.body), seasonNet(t, before.body)+delta; got != want {
		t.Errorf("standings season total right after the write = %s, want %s", lb(got), lb(want))
	}
	for _, u := range unrelated {
		if a := fetch(t, u); a.status != http.StatusOK || a.queries != 0 {
			t.Errorf("GET %s after an unrelated write: status %d, %d queries; want still cached (0)", u, a.status,
				a.queries)
		}
	}
}

// A cache hit for a gzip client sends the stored gzipped copy: it decodes to
// the same page, carries a weak ETag, and that ETag revalidates with 304.
func TestCachedPageServesStoredGzip(t *testing.T) {
	site := cachedSite(t, newPageCache(t, cache.Options{}), nil)
	tr := &http.Transport{DisableCompression: true} // see the raw encoding
	c := &http.Client{Transport: tr}
	fetch := func(hdr ...string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, site.URL+"/", nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	_, plain := fetch() // miss: rendered and stored
	resp, zipped := fetch("Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("X-DB-Query-Count") != "0" {
		t.Fatalf("hit: encoding %q, queries %s; want gzip from the cache with 0 queries",
			resp.Header.Get("Content-Encoding"), resp.Header.Get("X-DB-Query-Count"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if !bytes.Equal(unzipped, plain) {
		t.Fatal("the gzipped hit differs from the plain page")
	}
	etag := resp.Header.Get("ETag")
	if !strings.HasPrefix(etag, `W/"`) {
		t.Fatalf("gzipped ETag = %q, want a weak tag", etag)
	}
	if resp, _ := fetch("Accept-Encoding", "gzip", "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the weak tag: %d, want 304", resp.StatusCode)
	}
	if resp, _ := fetch("Accept-Encoding", "gzip;q=0"); resp.Header.Get("Content-Encoding") != "" {
		t.Error("gzip;q=0 still got gzip")
	}
}
