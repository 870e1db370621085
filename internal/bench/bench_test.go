package bench

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 200; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	// Nearest rank on 1..200 ms: p50 is the 100th value, p99 the 198th.
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 100 * time.Millisecond}, {95, 190 * time.Millisecond}, {99, 198 * time.Millisecond}, {100, 200 * time.Millisecond}} {
		if got := Percentile(lat, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if got := Percentile([]time.Duration{7}, 99); got != 7 {
		t.Errorf("single value p99 = %v", got)
	}
	if got := Percentile(nil, 50); got != 0 {
		t.Errorf("empty p50 = %v", got)
	}
}

func TestSplice(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"empty file", "", "# Benchmarks\n\n## Site under load\n\n<!-- bench:start -->\nNEW\n<!-- bench:end -->\n"},
		{"markers", "a\n<!-- bench:start -->\nold\n<!-- bench:end -->\nb\n",
			"a\n<!-- bench:start -->\nNEW\n<!-- bench:end -->\nb\n"},
		{"heading only", "# B\n\n## Site under load\ntext\n## Other\n",
			"# B\n\n## Site under load\n\n<!-- bench:start -->\nNEW\n<!-- bench:end -->\ntext\n## Other\n"},
		{"other sections", "# B\n\n## Scoring engine and store\n\nx\n",
			"# B\n\n## Scoring engine and store\n\nx\n\n## Site under load\n\n<!-- bench:start -->\nNEW\n<!-- bench:end -->\n"},
	}
	for _, c := range cases {
		if got := Splice(c.doc, "NEW\n"); got != c.want {
			t.Errorf("%s:\ngot  %q\nwant %q", c.name, got, c.want)
		}
	}
}

func TestChecksNameMissesAndGaps(t *testing.T) {
	r := Report{Options: Options{Workers: 32}, Seasons: 10, Database: "sqlite", ColdStart: 2 * time.Second,
		PeakRSS: 100 << 20, Rows: []Row{
			{Name: "trivial endpoint", Mode: Ceiling, Requests: 1000, Elapsed: time.Second},
			{Name: "home", Mode: Cached, Requests: 600, Elapsed: time.Second, P99: 5 * time.Millisecond},
			{Name: "tournament (latest complete)", Mode: Cached, Requests: 400, Elapsed: time.Second, P99: time.Millisecond},
			{Name: "standings (current year)", Mode: Cached, Requests: 900, Elapsed: time.Second, P99: time.Millisecond},
			{Name: "tournament (latest complete)", Mode: Uncached, Requests: 10, Elapsed: time.Second, MaxQuery: 5,
				P99: 20 * time.Millisecond},
		}}
	got := map[string]string{}
	for _, c := range r.Checks() {
		got[c.Target] = c.Status
	}
	want := map[string]string{
		"cached home, tournament, standings ≥ 50 % of the trivial endpoint's req/s": NotMet, // tournament at 40 %
		"cached pages p99 < 10 ms at 32 clients":                                    Met,
		"uncached tournament page ≤ 4 queries":                                      NotMet,
		"uncached tournament page p99 < 25 ms":                                      Met,
		"weigh-in write p99 < 30 ms on SQLite":                                      NotMeasured,
		"resident memory under load < 150 MB":                                       Met,
		"cold start to ready < 1 s with 10 seasons":                                 NotMet,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%q: %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if md := r.Markdown(); !strings.Contains(md, "tournament (latest complete) 40 %") {
		t.Errorf("ratio not reported:\n%s", md)
	}
}

// TestChainChecks: the trivial endpoint is held against the bare hello
// world of the same run, every cached page against the trivial endpoint.
func TestChainChecks(t *testing.T) {
	const hello, pages = "trivial endpoint ≥ 50 % of a bare net/http hello world's req/s (same run)",
		"every cached page ≥ 80 % of the trivial endpoint's req/s"
	rows := []Row{{Name: TrivialName, Mode: Ceiling, Requests: 600, Elapsed: time.Second},
		{Name: HelloName, Mode: Baseline, Path: HelloPath, Requests: 1000, Elapsed: time.Second}}
	for i, p := range Pages {
		rows = append(rows, Row{Name: p.Name, Mode: Cached, Requests: 470 + 10*i, Elapsed: time.Second})
	}
	statuses := func(r Report) map[string]string {
		got := map[string]string{}
		for _, c := range r.Checks() {
			got[c.Target] = c.Status + " / " + c.Measured
		}
		return got
	}
	got := statuses(Report{Rows: rows})
	if !strings.HasPrefix(got[hello], Met+" / 600 vs 1000 req/s: 60 %") {
		t.Errorf("hello world check: %q", got[hello])
	}
	if !strings.HasPrefix(got[pages], NotMet) || !strings.Contains(got[pages], "(lowest: home)") {
		t.Errorf("cached pages check with home at 78 %% of the trivial endpoint: %q", got[pages])
	}
	rows[0].Requests = 400 // trivial endpoint at 40 % of hello world; every page ≥ 122 % of it
	got = statuses(Report{Rows: rows})
	if !strings.HasPrefix(got[hello], NotMet) || !strings.HasPrefix(got[pages], Met) {
		t.Errorf("trivial endpoint at 40 %%: hello %q, pages %q", got[hello], got[pages])
	}
	got = statuses(Report{Rows: rows[:1]})
	if !strings.HasPrefix(got[hello], NotMeasured) || !strings.HasPrefix(got[pages], NotMeasured) {
		t.Errorf("without hello world and pages: hello %q, pages %q", got[hello], got[pages])
	}
}

// TestRoundsTakeTurns: every target gets its share of each round and the
// rows come back in the targets' order with all their requests.
func TestRoundsTakeTurns(t *testing.T) {
	var mu sync.Mutex
	var order []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if len(order) == 0 || order[len(order)-1] != r.URL.Path {
			order = append(order, r.URL.Path)
		}
		mu.Unlock()
		w.Header().Set("X-DB-Query-Count", map[string]string{"/a": "1", "/b": "3"}[r.URL.Path])
	}))
	defer srv.Close()
	rows := Rounds([]Target{{Name: "a", Mode: Cached, Base: srv.URL, Path: "/a"},
		{Name: "b", Mode: Ceiling, Base: srv.URL, Path: "/b"}}, Options{Duration: 300 * time.Millisecond, Workers: 2}, 3)
	if len(rows) != 2 || rows[0].Name != "a" || rows[1].Name != "b" || rows[1].Mode != Ceiling {
		t.Fatalf("rows %+v", rows)
	}
	for _, r := range rows {
		if r.Requests == 0 || r.Errors != 0 || r.Elapsed < 250*time.Millisecond || r.Elapsed > 2*time.Second {
			t.Errorf("%s: %d requests, %d errors in %s (three turns of 100 ms)", r.Name, r.Requests, r.Errors, r.Elapsed)
		}
	}
	if rows[0].Queries != 1 || rows[1].MaxQuery != 3 {
		t.Errorf("query counts mixed up between targets: %+v", rows)
	}
	if want := []string{"/a", "/b", "/a", "/b", "/a", "/b"}; !slices.Equal(order, want) {
		t.Errorf("turns %v, want %v", order, want)
	}
}

// TestAttackCountsBodyBytes: bodies are read to the end and counted though
// the load generator keeps none of them.
func TestAttackCountsBodyBytes(t *testing.T) {
	page := strings.Repeat("x", 7000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // no Content-Length: the count must come from reading
		}
		_, _ = w.Write([]byte(page))
	}))
	defer srv.Close()
	for _, path := range []string{"/", "/chunked"} {
		r := Attack("page", Cached, srv.URL, path, Options{Duration: 100 * time.Millisecond, Workers: 2})
		if r.Requests == 0 || r.Errors != 0 || r.Bytes != 7000 {
			t.Errorf("%s: %d requests, %d errors, %.1f bytes each; want 7000", path, r.Requests, r.Errors, r.Bytes)
		}
	}
}
