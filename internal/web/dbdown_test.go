package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"sabc/internal/cache"
	"sabc/internal/demo"
	"sabc/internal/obs"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

// logCount is how often s occurs in the log.
func logCount(log *syncBuffer, s string) int { return strings.Count(log.String(), s) }

// outageSite is the demo site with the page cache, a tracker whose groups
// the test reads, and its log in a buffer.
type outageSite struct {
	*testutil.Site
	log    *syncBuffer
	groups *obs.MemoryErrorStore
}

func newOutageSite(t *testing.T) *outageSite {
	t.Helper()
	o := &outageSite{log: &syncBuffer{}, groups: obs.NewMemoryErrorStore()}
	logger := slog.New(slog.NewTextHandler(o.log, nil))
	tracker, err := obs.NewTracker(obs.TrackerConfig{Store: o.groups, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	c := newPageCache(t, cache.Options{})
	o.Site = testutil.NewSite(t, testutil.SiteOptions{Deps: func(d *web.Deps) {
		d.Cache, d.Limiter, d.Logger, d.Tracker = c, roomyLimiter(t), logger, tracker
	}})
	t.Cleanup(o.Web.StopOutageProbe)
	return o
}

// check503 asserts the database-unavailable page.
func check503(t *testing.T, who string, r acctResp) {
	t.Helper()
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" ||
		!strings.Contains(r.body, "database is unavailable") {
		t.Errorf("%s while the database is down: status %d, Retry-After %q, want 503 with Retry-After and the "+
			"database-unavailable page\n%s", who, r.status, r.header.Get("Retry-After"), acctExcerpt(r.body))
	}
}

// TestDatabaseUnavailable_503PageNoErrorGroupsOneLogLine closes the
// database under a running site: pages that need it answer the 503 page
// with Retry-After (a logged-in member too, whose session cannot be read),
// cached anonymous pages still answer 200, no error group is captured and
// the outage is logged once, not per request.
func TestDatabaseUnavailable_503PageNoErrorGroupsOneLogLine(t *testing.T) {
	site := newOutageSite(t)
	member := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	pages := publicPages(t, site.Store)
	home, uncached := pages[0], pages[1]
	for range 2 { // the second GET is a cache hit
		if a := fetch(t, site.URL+home); a.status != http.StatusOK {
			t.Fatalf("home before the outage: %d", a.status)
		}
	}

	site.Store.Close() // every query now fails: "sql: database is closed"

	if a := fetch(t, site.URL+home); a.status != http.StatusOK {
		t.Errorf("cached anonymous home page during the outage: %d, want 200 from the page cache", a.status)
	}
	anon := site.Client()
	for i := range 3 {
		check503(t, fmt.Sprintf("anonymous GET %s (#%d)", uncached, i+1), acctGet(t, anon, site.URL+uncached))
	}
	if r := acctGet(t, anon, site.URL+"/api/v1/tournaments/1/results"); r.status != http.StatusServiceUnavailable ||
		r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "database is unavailable") {
		t.Errorf("API read during the outage: %d, Retry-After %q, %s; want 503 JSON with Retry-After", r.status,
			r.header.Get("Retry-After"), r.body)
	}
	check503(t, "logged-in member on the home page", acctGet(t, member, site.URL+home))
	check503(t, "logged-in member on a tournament", acctGet(t, member, site.URL+uncached))

	if groups, _ := site.groups.ListGroups(context.Background(), true); len(groups) != 0 {
		t.Errorf("error groups captured during the outage: %d, want none (first: %s %s)", len(groups),
			groups[0].Type, groups[0].Sample)
	}
	if n := logCount(site.log, `msg="database unavailable"`); n != 1 {
		t.Errorf("\"database unavailable\" logged %d times for 5 failed requests, want once\n%s", n, site.log)
	}
	if n := logCount(site.log, "level=ERROR"); n != 0 {
		t.Errorf("%d ERROR lines during the outage, want none (503 is not a bug)\n%s", n, site.log)
	}
}

// TestClientGoneDuringCacheFill_NotAnErrorGroup: an anonymous visitor who
// disconnects while waiting on the shared page-cache fill (singleflight)
// used to become a high error group (an alert mail). It is logged as 499 at
// INFO and never captured.
func TestClientGoneDuringCacheFill_NotAnErrorGroup(t *testing.T) {
	site := newOutageSite(t)
	uncached := publicPages(t, site.Store)[1]
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // gone before the fill (which renders from the database) can finish
	req := httptest.NewRequest(http.MethodGet, uncached, nil).WithContext(ctx)
	site.Web.Handler().ServeHTTP(httptest.NewRecorder(), req)

	if groups, _ := site.groups.ListGroups(context.Background(), true); len(groups) != 0 {
		t.Errorf("a client that went away became %d error group(s): %s %s", len(groups), groups[0].Severity,
			groups[0].Sample)
	}
	if !strings.Contains(site.log.String(), "status=499") || logCount(site.log, "level=ERROR") != 0 {
		t.Errorf("want the access line at INFO with status 499, no ERROR line\n%s", site.log)
	}
}
