package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"sabc/internal/bench"
)

// TestServerRSSUnderBenchLoad is a measuring tool, not a check (issue 16):
// with SABC_RSS_PROBE=1 it runs the load of `sabc bench` against `sabc
// serve` in processes of their own and logs each server's peak resident set
// (VmHWM). `sabc bench` runs its load generator in the server's process, so
// its memory figure is an upper bound; this one is the server alone. Without
// the variable it does nothing. docs/benchmarks.md "Resident memory".
func TestServerRSSUnderBenchLoad(t *testing.T) {
	if os.Getenv("SABC_RSS_PROBE") == "" {
		t.Skip("set SABC_RSS_PROBE=1 to measure the server's own memory under the bench's load")
	}
	ctx := context.Background()
	f, err := parseBenchFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg, err := benchConfig(f, dir)
	if err != nil {
		t.Fatal(err)
	}
	// The same data as the bench: ten seasons, the 200-angler weigh-in
	// tournament and an API token, written before any server starts.
	if err := seedBench(ctx, cfg, f); err != nil {
		t.Fatal(err)
	}
	a, _, stop, err := startBenchApp(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fx, err := benchFixture(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	tid, people, err := weighInTournament(ctx, a, fx.Year)
	if err != nil {
		t.Fatal(err)
	}
	token, err := adminToken(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	stop()

	env := []string{"DATABASE_URL=" + cfg.DatabaseURL, "SABC_DATA_DIR=" + dir, "SABC_DEMO=false",
		"TRUSTED_PROXIES=127.0.0.1/32"}
	cached := startChild(t, env...)
	uncached := startChild(t, append(env, "SABC_PAGE_CACHE=off")...)
	hello, stopHello, err := serveOn(http.HandlerFunc(bench.Hello))
	if err != nil {
		t.Fatal(err)
	}
	defer stopHello()
	for _, r := range runPageScenarios(ctx, io.Discard, hello, cached.base, uncached.base, fx, f.load) {
		t.Logf("%s %s: %.0f req/s, %d errors", r.Name, r.Mode, float64(r.Requests)/r.Elapsed.Seconds(), r.Errors)
	}
	t.Logf("server with SABC_PAGE_CACHE=off, after the uncached page scenarios: peak RSS %s", peakRSS(t, uncached))
	uncached.kill9(t)
	t.Logf("server with the page cache, after the cached page scenarios: peak RSS %s", peakRSS(t, cached))

	// The fan-out's 500 subscribers stay connected through the live
	// weigh-in scenario, which adds its 200 streams and 200 reloading phones.
	ctx, cancel := context.WithCancel(ctx)
	held := holdStreams(ctx, t, fmt.Sprintf("%s/tournaments/%d/live/events", cached.base, tid), 500)
	api := &officerAPI{base: cached.base, token: token, client: &http.Client{Timeout: 30 * time.Second}}
	live, err := benchLive(ctx, api, cached.base, tid, people[benchOfficers], f.live)
	cancel()
	held.Wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: p99 %s, %d errors, %d × 429; %s", live.Name, live.P99, live.Errors, live.Limited, live.Note)
	t.Logf("server with the page cache, after pages, 500 + 200 live streams, 200 phones and a save every %s: peak RSS %s",
		f.live.SaveEvery, peakRSS(t, cached))
}

// holdStreams opens n live streams, each from its own address, and reads
// them until ctx ends.
func holdStreams(ctx context.Context, t *testing.T, url string, n int) *sync.WaitGroup {
	var wg sync.WaitGroup
	for i := range n {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.13.%d.%d", i/250, 1+i%250))
		status, body, err := openStream(req)
		if err != nil || status != http.StatusOK {
			t.Fatalf("stream %d: status %d, %v", i, status, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer body.Close()
			sseDataLines(body, func() {})
		}()
	}
	return &wg
}

// peakRSS is a child's VmHWM from /proc.
func peakRSS(t *testing.T, c *child) string {
	_, peak := bench.ProcessMemory(strconv.Itoa(c.cmd.Process.Pid))
	if peak == 0 {
		t.Fatal("no VmHWM in the child's /proc status")
	}
	return fmt.Sprintf("%d MiB (%d MB)", peak>>20, peak/1_000_000)
}
