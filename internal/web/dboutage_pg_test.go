package web_test

import (
	"context"
	"database/sql/driver"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"sabc/internal/cache"
	"sabc/internal/config"
	"sabc/internal/demo"
	"sabc/internal/obs"
	"sabc/internal/store"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

// statusCounter keeps visitors reading pages and counts the answers by
// status; a transport error counts as status 0.
type statusCounter struct {
	mu     sync.Mutex
	counts map[int]int
	stop   chan struct{}
	done   sync.WaitGroup
	total  atomic.Int64
}

func countStatuses(c *http.Client, base string, paths []string, clients int) *statusCounter {
	sc := &statusCounter{counts: map[int]int{}, stop: make(chan struct{})}
	for n := range clients {
		sc.done.Go(func() {
			for i := n; ; i++ {
				select {
				case <-sc.stop:
					return
				default:
				}
				status := 0
				if resp, err := c.Get(base + paths[i%len(paths)]); err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
					status = resp.StatusCode
				}
				sc.total.Add(1)
				sc.mu.Lock()
				sc.counts[status]++
				sc.mu.Unlock()
			}
		})
	}
	return sc
}

func (sc *statusCounter) end() map[int]int {
	close(sc.stop)
	sc.done.Wait()
	return sc.counts
}

// pgOutageSite is the demo club on pg's cluster behind a real server with
// the page cache, a tracker whose groups the test reads and a log buffer.
func pgOutageSite(t *testing.T, pg *ownPostgres) *outageSite {
	t.Helper()
	ctx := context.Background()
	clock := testutil.NewClock(testutil.Now)
	st, err := store.Open(ctx, pg.url(), store.Options{Now: clock.Now, Wrap: func(c driver.Connector) driver.Connector {
		return obs.WrapConnector(c, &obs.QueryHook{})
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := demo.Generate(ctx, st, demo.Options{Now: clock.Now(), PasswordHash: testutil.DemoPasswordHash()}); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	cfg.MediaDir = cfg.DataDir + "/media"
	o := &outageSite{log: &syncBuffer{}, groups: obs.NewMemoryErrorStore()}
	logger := slog.New(slog.NewTextHandler(o.log, nil))
	tracker, err := obs.NewTracker(obs.TrackerConfig{Store: o.groups, Logger: logger, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	w, err := web.New(web.Deps{Config: cfg, Store: st, Cache: newPageCache(t, cache.Options{}), Limiter: roomyLimiter(t),
		Logger: logger, Tracker: tracker, PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.StopOutageProbe)
	srv := httptest.NewServer(w.Handler())
	t.Cleanup(srv.Close)
	o.Site = &testutil.Site{URL: srv.URL, Store: st, Web: w, Server: srv, Clock: clock}
	return o
}

func readiness(base string) (int, string) {
	resp, err := plainClient.Get(base + "/health/readiness/")
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// TestDatabaseOutageUnderLoadRecoversWithoutRestart stops a private
// PostgreSQL under concurrent GETs and starts it again: readiness goes 503
// naming the database and back to 200, pages that need the database answer
// the 503 page with Retry-After (a logged-in member too), cached anonymous
// pages keep answering 200, nobody gets a 500, no error group is captured,
// the outage is logged once each way, and the same server serves again.
func TestDatabaseOutageUnderLoadRecoversWithoutRestart(t *testing.T) {
	pg := startOwnPostgres(t)
	site := pgOutageSite(t, pg)
	member := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	pages := publicPages(t, site.Store)
	home := pages[0]
	uncached := "/tournaments/?year=2001" // no visitor asks for it before the outage
	for range 2 {
		if a := fetch(t, site.URL+home); a.status != http.StatusOK {
			t.Fatalf("home before the outage: %d", a.status)
		}
	}
	if code, body := readiness(site.URL); code != http.StatusOK {
		t.Fatalf("readiness before the outage: %d %s", code, body)
	}
	// Members are never served from the shared cache: each of their GETs
	// reads the session and renders from the database. Anonymous visitors
	// read the cached home page.
	members := countStatuses(member, site.URL, pages, 3)
	anonymous := countStatuses(plainClient, site.URL, []string{home}, 1)
	time.Sleep(200 * time.Millisecond)

	pg.stop("immediate")
	waitFor(t, 10*time.Second, "readiness to answer 503 naming the database", func() bool {
		code, body := readiness(site.URL)
		return code == http.StatusServiceUnavailable && body == "database"
	})
	check503(t, "anonymous GET "+uncached, acctGet(t, site.Client(), site.URL+uncached))
	check503(t, "logged-in member on the home page", acctGet(t, member, site.URL+home))
	if a := fetch(t, site.URL+home); a.status != http.StatusOK {
		t.Errorf("cached anonymous home page during the outage: %d, want 200", a.status)
	}
	time.Sleep(300 * time.Millisecond) // the load meets the outage for a while

	pg.start()
	took := waitUntil(t, 15*time.Second, "readiness 200 after the database is back", func() bool {
		code, _ := readiness(site.URL)
		return code == http.StatusOK
	})
	waitFor(t, 10*time.Second, "the member's pages to render again", func() bool {
		return acctGet(t, member, site.URL+pages[1]).status == http.StatusOK
	})
	if r := acctGet(t, member, site.URL+"/account/password/"); r.status != http.StatusOK {
		t.Errorf("the member's session after recovery: status %d, want 200 (still logged in)", r.status)
	}
	t.Logf("readiness was 200 again %v after pg_ctl start returned", took.Round(10*time.Millisecond))
	time.Sleep(200 * time.Millisecond)
	memberCounts, anonCounts := members.end(), anonymous.end()
	t.Logf("member answers: %v; anonymous home: %v", memberCounts, anonCounts)
	for status, n := range memberCounts {
		if status != http.StatusOK && status != http.StatusServiceUnavailable {
			t.Errorf("%d member answers with status %d (want only 200 and 503)\n%s", n, status, site.log)
		}
	}
	if memberCounts[http.StatusServiceUnavailable] == 0 || memberCounts[http.StatusOK] == 0 {
		t.Error("the members' load did not see both the outage (503) and service (200)")
	}
	for status, n := range anonCounts {
		if status != http.StatusOK {
			t.Errorf("%d anonymous home answers with status %d: the cached page must keep answering 200", n, status)
		}
	}
	if groups, _ := site.groups.ListGroups(context.Background(), true); len(groups) != 0 {
		t.Errorf("%d error groups captured during the outage, want none; first: %s", len(groups), groups[0].Sample)
	}
	for _, msg := range []string{`msg="database unavailable"`, `msg="database available again"`} {
		if n := logCount(site.log, msg); n != 1 {
			t.Errorf("%s logged %d times, want once\n%s", msg, n, site.log)
		}
	}
}
