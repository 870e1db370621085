package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"sabc/internal/cache"
	"sabc/internal/config"
	"sabc/internal/demo"
	"sabc/internal/obs"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

func get(t *testing.T, c *http.Client, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// A panic in a handler becomes the friendly 500 page with the request id,
// and a critical error group in the database.
func TestPanicGivesFriendly500AndErrorGroup(t *testing.T) {
	var tracker *obs.Tracker
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true, Deps: func(d *web.Deps) {
		var err error
		tracker, err = obs.NewTracker(obs.TrackerConfig{Store: d.Store.ErrorGroups(), Logger: d.Logger})
		if err != nil {
			t.Fatal(err)
		}
		d.Tracker = tracker
	}})
	h := site.Web.WithMiddleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom at /srv/secret/path")
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, body := get(t, srv.Client(), srv.URL+"/explode", "X-Request-ID", "req-panic-12345")
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", resp.StatusCode)
	}
	if !strings.Contains(body, "req-panic-12345") {
		t.Error("the 500 page does not show the request id")
	}
	if strings.Contains(body, "boom") || strings.Contains(body, "/srv/secret") {
		t.Error("the 500 page leaks the panic text")
	}
	groups, err := site.Store.ErrorGroups().ListGroups(context.Background(), false)
	if err != nil || len(groups) != 1 {
		t.Fatalf("error groups = %d (%v), want 1", len(groups), err)
	}
	if g := groups[0]; g.Severity != obs.Critical || g.Count != 1 || g.Context.RequestID != "req-panic-12345" {
		t.Errorf("group = %+v, want critical, count 1, request id recorded", g)
	}
}

// The query hook counts exactly: the home page's four statements.
func TestQueryCountHeaderMatchesHomeBudget(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	resp, _ := get(t, site.Client(), site.URL+"/")
	if got := resp.Header.Get("X-DB-Query-Count"); got != "4" {
		t.Fatalf("home ran %s queries, want exactly 4 (events, podiums, standings, headlines)", got)
	}
	if !strings.Contains(resp.Header.Get("Server-Timing"), "db;dur=") {
		t.Errorf("Server-Timing = %q, want a db entry", resp.Header.Get("Server-Timing"))
	}
}

// Metrics are labelled by route pattern, never the raw path, and need the token.
func TestMetricsUseRoutePatterns(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Config: func(c *config.Config) { c.MetricsToken = "s3cret" }})
	c := site.Client()
	get(t, c, site.URL+"/tournaments/17/")
	if resp, _ := get(t, c, site.URL+"/metrics"); resp.StatusCode == http.StatusOK {
		t.Fatal("/metrics answered 200 without the token")
	}
	resp, body := get(t, c, site.URL+"/metrics", "Authorization", "Bearer s3cret")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics with token: %d", resp.StatusCode)
	}
	if !strings.Contains(body, `route="GET /tournaments/{id}/{$}"`) {
		t.Error("metrics lack the route pattern label")
	}
	if strings.Contains(body, "/tournaments/17/") {
		t.Error("metrics contain the raw path")
	}
}

// Health: unhealthy with the database gone, degraded with the L2 cache gone,
// and no internals for anonymous callers.
func TestHealthStates(t *testing.T) {
	t.Run("database gone is unhealthy, readiness names it", func(t *testing.T) {
		site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true})
		site.Store.Close()
		resp, body := get(t, site.Client(), site.URL+"/health/")
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, `"status": "unhealthy"`) {
			t.Fatalf("/health/ = %d %s, want 503 unhealthy", resp.StatusCode, body)
		}
		if strings.Contains(body, "/") && strings.Contains(body, "closed") || strings.Contains(body, "sql:") {
			t.Errorf("anonymous health output leaks error text: %s", body)
		}
		resp, body = get(t, site.Client(), site.URL+"/health/readiness/")
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "database") {
			t.Errorf("readiness = %d %q, want 503 naming database", resp.StatusCode, body)
		}
	})
	t.Run("cache L2 gone is degraded", func(t *testing.T) {
		site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true, Deps: func(d *web.Deps) {
			c, err := cache.New(cache.Options{RedisURL: "redis://127.0.0.1:1/0", Logger: d.Logger})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			d.Cache = c
		}})
		resp, body := get(t, site.Client(), site.URL+"/health/")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"status": "degraded"`) {
			t.Fatalf("/health/ = %d %s, want 200 degraded", resp.StatusCode, body)
		}
		if strings.Contains(body, "127.0.0.1:1") || strings.Contains(body, "refused") {
			t.Errorf("anonymous health output leaks the error: %s", body)
		}
		if resp, _ := get(t, site.Client(), site.URL+"/"); resp.StatusCode != http.StatusOK {
			t.Errorf("home with L2 down = %d, want 200 (serve from L1/database)", resp.StatusCode)
		}
	})
}

// Readiness turns 503 as soon as shutdown begins; liveness stays 200.
func TestReadinessDuringShutdown(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true})
	c := site.Client()
	if resp, _ := get(t, c, site.URL+"/health/readiness/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("readiness before shutdown = %d", resp.StatusCode)
	}
	site.Web.Health.SetShuttingDown()
	if resp, _ := get(t, c, site.URL+"/health/readiness/"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readiness during shutdown = %d, want 503", resp.StatusCode)
	}
	if resp, _ := get(t, c, site.URL+"/health/liveness/"); resp.StatusCode != http.StatusOK {
		t.Errorf("liveness during shutdown = %d, want 200", resp.StatusCode)
	}
}

// Officers see captured errors grouped with their context and can resolve
// them; a resolved group leaves the default list and reopens on recurrence.
func TestOfficerErrorPage(t *testing.T) {
	site := newAcctSite(t, func(d *web.Deps) {
		tr, err := obs.NewTracker(obs.TrackerConfig{Store: d.Store.ErrorGroups(), Logger: d.Logger})
		if err != nil {
			t.Fatal(err)
		}
		d.Tracker = tr
	})
	ctx := obs.WithRequestID(context.Background(), "req-errpage-1")
	// One call site: the fingerprint is type + location + normalized message.
	capture := func(row int) obs.Group {
		return site.Web.Tracker.Capture(ctx, fmt.Errorf("weigh-in import failed on row %d", row), obs.Medium)
	}
	g := capture(17)
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	r := acctGet(t, officer, site.URL+"/admin/errors/")
	if r.status != http.StatusOK || !strings.Contains(r.body, "weigh-in import failed on row") ||
		!strings.Contains(r.body, "req-errpage-1") {
		t.Fatalf("error page (%d) lacks the group or its request id", r.status)
	}
	if r := acctPost(t, officer, site.URL+"/admin/errors/"+g.Fingerprint+"/resolve/", nil); r.status != http.StatusSeeOther {
		t.Fatalf("resolve: %d", r.status)
	}
	if r := acctGet(t, officer, site.URL+"/admin/errors/"); strings.Contains(r.body, "weigh-in import failed") {
		t.Error("a resolved group is still listed")
	}
	capture(18)
	if r := acctGet(t, officer, site.URL+"/admin/errors/"); !strings.Contains(r.body, "seen 2 times") {
		t.Error("the recurring error did not reopen its group with count 2")
	}
	member := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	if r := acctGet(t, member, site.URL+"/admin/errors/"); r.status != http.StatusForbidden {
		t.Errorf("a member got %d on the error page, want 403", r.status)
	}
}
