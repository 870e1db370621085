package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sabc/internal/testutil"
)

// TestBenchSmoke runs `sabc bench` for a moment and checks the report's
// shape: rows with numbers, the targets table, and that only the marked
// section of an existing file changed. It says nothing about performance.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and drives it: skipped with -short")
	}
	out := filepath.Join(t.TempDir(), "benchmarks.md")
	other := "# Benchmarks\n\n## Scoring engine and store\n\nwritten by someone else\n\n## Site under load\n\n" +
		"<!-- bench:start -->\nold numbers\n<!-- bench:end -->\n\nhand-written analysis\n"
	if err := os.WriteFile(out, []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"bench", "--duration", "150ms", "--workers", "2", "--seasons", "1", "--out", out,
		"--live-duration", "1s", "--live-save-every", "200ms", "--live-clients", "5"}
	if testutil.PostgresURL() != "" {
		_, url := testutil.NewDBURL(t) // a fresh, empty schema
		args = append(args, "--database-url", url)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, stdio{strings.NewReader(""), &stdout, &stderr}); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, kept := range []string{"written by someone else", "hand-written analysis", "## Scoring engine and store"} {
		if !strings.Contains(doc, kept) {
			t.Errorf("text outside the bench markers was lost: %q missing\n%s", kept, doc)
		}
	}
	if strings.Contains(doc, "old numbers") || strings.Count(doc, "<!-- bench:start -->") != 1 {
		t.Errorf("the marked section was not replaced exactly once:\n%s", doc)
	}
	// | name | mode | `path` | req/s | p50 | p95 | p99 | queries | bytes | allocs | KiB | RSS | errors |
	row := regexp.MustCompile("(?m)^\\| ([^|]+) \\| (baseline|ceiling|cached|uncached|write) \\| `[^`]+` \\| (\\d+) \\| ([0-9.]+) ms \\| " +
		"[0-9.]+ ms \\| ([0-9.]+) ms \\| ([0-9.]+) \\| \\d+ \\| \\d+ \\| [0-9.]+ \\| \\d+ MiB \\| (\\d+) \\|$")
	rows := row.FindAllStringSubmatch(doc, -1)
	modes := map[string]int{}
	for _, m := range rows {
		modes[m[2]]++
		if rps, _ := strconv.Atoi(m[3]); rps <= 0 {
			t.Errorf("%s %s: %s req/s", m[1], m[2], m[3])
		}
		if p99, _ := strconv.ParseFloat(m[5], 64); p99 <= 0 {
			t.Errorf("%s %s: p99 %s", m[1], m[2], m[5])
		}
		if m[7] != "0" {
			t.Errorf("%s %s: %s errors", m[1], m[2], m[7])
		}
	}
	if modes["baseline"] != 1 || modes["ceiling"] != 1 || modes["write"] != 4 || modes["cached"] < 3 || modes["uncached"] < 3 {
		t.Errorf("rows per mode = %v, want the hello world, the ceiling, the four writes (store, API PUT, live fan-out, live weigh-in) and at least home/tournament/standings both ways\n%s",
			modes, doc)
	}
	// The uncached tournament page really hit the database.
	if m := regexp.MustCompile(`(?m)^\| tournament \(latest complete\) \| uncached \| .*? \| ([0-9.]+) \| \d+ \|`).
		FindStringSubmatch(doc); m == nil {
		t.Errorf("no uncached tournament row:\n%s", doc)
	} else if q, _ := strconv.ParseFloat(m[1], 64); q < 1 {
		t.Errorf("uncached tournament page: %s queries/request, want ≥ 1", m[1])
	}
	for _, want := range []string{"Cold start to ready: **", "| Target | Measured | Status |", "weigh-in write",
		"- weigh-in PUT (API): 1.00 writer transactions", "- live weigh-in: tournament page: "} {
		if !strings.Contains(doc, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// --only picks scenario groups; a partial run does not overwrite the report
// unless --out names a file, and an unknown group is a usage error.
func TestBenchOnlyPicksGroupsAndPrintsPartialReports(t *testing.T) {
	f, err := parseBenchFlags([]string{"--only", "weigh-in,live"})
	if err != nil {
		t.Fatal(err)
	}
	if !f.runs("weigh-in") || !f.runs("live") || f.runs("pages") || f.runs("write") || f.out != "-" {
		t.Errorf("--only weigh-in,live: runs pages %v write %v weigh-in %v live %v, out %q; want only the two, out \"-\"",
			f.runs("pages"), f.runs("write"), f.runs("weigh-in"), f.runs("live"), f.out)
	}
	if f, _ := parseBenchFlags([]string{"--only", "live", "--out", "x.md"}); f.out != "x.md" {
		t.Errorf("--only with --out: out %q, want x.md", f.out)
	}
	if f, _ := parseBenchFlags(nil); !f.runs("pages") || !f.runs("live") || f.out != "docs/benchmarks.md" {
		t.Errorf("no --only: every group runs and the report is written (out %q)", f.out)
	}
	var ee exitError
	if _, err := parseBenchFlags([]string{"--only", "pages,typo"}); !errors.As(err, &ee) || ee.code != 2 {
		t.Errorf("--only with an unknown group: %v, want a usage error (exit 2)", err)
	}
}

// TestSSEDataLinesCountsEventsNotTheirText: the bench's phones count an
// event per "data: " line at a line start, whatever its length, and never
// mistake "data: " inside a long line (past the 4 KiB they keep) for one.
func TestSSEDataLinesCountsEventsNotTheirText(t *testing.T) {
	long := strings.Repeat("x", 4096-len("data: ")) + "data: inside the same line" + strings.Repeat("y", 9000)
	stream := "retry: 2000\n\nid: 1\nevent: standings\ndata: {}\n\n: keep-alive\n\n" +
		"id: 2\nevent: standings\ndata: " + long + "\n\nid: 3\ndata: {\"x\":1}\n\n"
	n := 0
	sseDataLines(strings.NewReader(stream), func() { n++ })
	if n != 3 {
		t.Errorf("counted %d events, want 3", n)
	}
}

// TestOpenStreamReadsAStreamedAnswerAndClosesWithItsContext: the bench's
// raw-connection subscribers send the caller's request as an http.Client
// would, read a chunked, flushed event stream event by event (an event
// arrives before the handler writes the next) and let go of the connection
// when their context ends.
func TestOpenStreamReadsAStreamedAnswerAndClosesWithItsContext(t *testing.T) {
	next, handlerDone := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(handlerDone)
		if r.Header.Get("X-Forwarded-For") != "10.9.0.7" || r.Proto != "HTTP/1.1" || r.URL.Path != "/live/events" {
			http.Error(w, fmt.Sprintf("%s %s X-Forwarded-For %q", r.Proto, r.URL.Path, r.Header.Get("X-Forwarded-For")), 400)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range 3 {
			// Longer than the 512-byte reader and the 4 KiB line buffer.
			fmt.Fprintf(w, "id: %d\nevent: standings\ndata: %s\n\n", i, strings.Repeat("x", 9000))
			w.(http.Flusher).Flush()
			select {
			case <-next:
			case <-r.Context().Done():
				return
			}
		}
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/live/events", nil)
	req.Header.Set("X-Forwarded-For", "10.9.0.7")
	status, body, err := openStream(req)
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	if status != http.StatusOK {
		b, _ := io.ReadAll(body)
		t.Fatalf("status %d: %s", status, b)
	}
	events := make(chan struct{}, 3)
	read := make(chan struct{})
	go func() {
		defer close(read)
		sseDataLines(body, func() { events <- struct{}{} })
	}()
	for i := range 3 {
		select {
		case <-events:
		case <-time.After(10 * time.Second):
			t.Fatalf("event %d did not arrive", i+1)
		}
		next <- struct{}{}
	}
	cancel()
	for name, done := range map[string]chan struct{}{"the reader": read, "the handler": handlerDone} {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s did not end after the context was cancelled", name)
		}
	}
}
