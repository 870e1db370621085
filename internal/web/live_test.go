package web_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/config"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

type sseEvent struct{ id, name, data string }

// sseStream opens the live events of a tournament and returns its events
// as they arrive. lastID "" sends no Last-Event-ID.
func sseStream(t *testing.T, base string, tid int64, lastID string) <-chan sseEvent {
	t.Helper()
	return sseStreamWith(t, http.DefaultClient, base, tid, lastID)
}

// sseStreamWith is sseStream through client c (its session cookies apply).
func sseStreamWith(t *testing.T, c *http.Client, base string, tid int64, lastID string) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/tournaments/%d/live/events", base, tid), nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("live events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan sseEvent, 16)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.data != "" {
					out <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				ev.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.name = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[6:]
			}
		}
		close(out)
	}()
	return out
}

func nextEvent(t *testing.T, ch <-chan sseEvent, within time.Duration, what string) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-ch:
		if !ok {
			t.Fatalf("%s: the stream ended", what)
		}
		return ev
	case <-time.After(within):
		t.Fatalf("%s: no event within %s", what, within)
	}
	return sseEvent{}
}

func saveFor(t *testing.T, st *store.Store, tid, pid int64, gross int64) {
	t.Helper()
	if _, err := st.SaveResult(context.Background(), 0, club.Result{TournamentID: tid, PersonID: pid, WasMember: true,
		Fish: 3, Gross: gross}); err != nil {
		t.Fatal(err)
	}
}

func TestLiveEvents_EachSaveArrivesAndLastEventIDResumes(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	tr := scheduledTournament(t, site.Store)
	member := acctPerson(t, site.Store, demo.MemberEmail)
	events := sseStream(t, site.URL, tr.ID, "")
	first := nextEvent(t, events, 5*time.Second, "initial standings")
	if first.name != "standings" || !strings.Contains(first.data, `"results":[]`) {
		t.Fatalf("first event: %+v", first)
	}
	saveFor(t, site.Store, tr.ID, member.ID, 812)
	ev := nextEvent(t, events, 5*time.Second, "event after a save")
	if !strings.Contains(ev.data, `"net":"8.12"`) || ev.id == first.id {
		t.Fatalf("after the save: %+v", ev)
	}
	// Reconnecting with the last id: nothing missed, so nothing is resent
	// until the next save.
	again := sseStream(t, site.URL, tr.ID, ev.id)
	select {
	case got := <-again:
		t.Fatalf("resume with the current id resent %q", got.id)
	case <-time.After(300 * time.Millisecond):
	}
	// Resuming from an older id gets the current standings at once.
	old := sseStream(t, site.URL, tr.ID, first.id)
	if got := nextEvent(t, old, 5*time.Second, "resume from an old id"); got.id != ev.id {
		t.Errorf("resume from an old id: %q, want %q", got.id, ev.id)
	}
	guest := acctGuest(t, site.Store)
	saveFor(t, site.Store, tr.ID, guest.ID, 500)
	if got := nextEvent(t, again, 5*time.Second, "resumed stream after the next save"); !strings.Contains(got.data, `"net":"5.00"`) {
		t.Errorf("resumed stream: %+v", got)
	}
}

func TestLiveHiddenUntilComplete(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	tr := scheduledTournament(t, site.Store)
	saveFor(t, site.Store, tr.ID, acctPerson(t, site.Store, demo.MemberEmail).ID, 812)
	if err := site.Store.SetHideLive(context.Background(), 0, tr.ID, true); err != nil {
		t.Fatal(err)
	}
	ev := nextEvent(t, sseStream(t, site.URL, tr.ID, ""), 5*time.Second, "hidden standings")
	if !strings.Contains(ev.data, `"hidden":true`) || strings.Contains(ev.data, "8.12") {
		t.Errorf("hidden tournament streamed %s", ev.data)
	}
	page := siteGet(t, site.Client(), fmt.Sprintf("%s/tournaments/%d/live/", site.URL, tr.ID))
	if strings.Contains(page.body, "8.12") || !strings.Contains(page.body, "hidden until the tournament is complete") {
		t.Errorf("hidden live page shows the results")
	}
}

// TestLiveTwoInstances: a save through instance A reaches an SSE subscriber
// of instance B (Redis pub/sub between replicas over one database).
func TestLiveTwoInstances(t *testing.T) {
	redisURL := testutil.RedisURL(t)
	stA, stB := twoDemoStores(t)
	start := func(st *store.Store) (*web.Server, string) {
		cfg, err := config.FromEnv(func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		cfg.DataDir, cfg.RedisURL = t.TempDir(), redisURL
		cfg.MediaDir = cfg.DataDir + "/media"
		w, err := web.New(web.Deps{Config: cfg, Store: st, Limiter: roomyLimiter(t),
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-w.LiveReady():
		case <-time.After(5 * time.Second):
			testutil.Unreachable(t, "Redis (SABC_TEST_REDIS_URL)", fmt.Errorf("no subscription after 5 s"))
		}
		srv := httptest.NewServer(w.Handler())
		t.Cleanup(srv.Close)
		return w, srv.URL
	}
	_, _ = start(stA)
	b, urlB := start(stB)
	tr := scheduledTournament(t, stA)
	events := sseStream(t, urlB, tr.ID, "")
	nextEvent(t, events, 5*time.Second, "B's initial standings")
	if b.LiveSubscribers() != 1 {
		t.Fatalf("B has %d live subscribers, want 1", b.LiveSubscribers())
	}
	saveFor(t, stA, tr.ID, acctPerson(t, stA, demo.MemberEmail).ID, 933) // through A's store: A publishes
	if ev := nextEvent(t, events, 5*time.Second, "B's event after A's save"); !strings.Contains(ev.data, `"net":"9.33"`) {
		t.Errorf("B's event: %s", ev.data)
	}
}
