// Package bench is the load logic behind `sabc bench`: the pages it drives,
// a bounded vegeta attack against a running server, exact latency
// percentiles, process counters (allocations, resident memory), the
// comparison with the targets of spec 03 §11 and the Markdown report.
//
// The command (cmd/sabc/bench.go) owns the wiring: seeding, starting the real
// app, cold start. This package knows nothing about the app beyond URLs and
// the X-DB-Query-Count header the development-mode monitor sets.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Fixture holds the ids of the seeded club the page paths need.
type Fixture struct {
	TournamentID int64 // latest complete tournament
	AnglerID     int64 // its winner
	LakeID       int64 // its lake
	Year         int   // current season
}

// Page is one public page the bench drives, cached and uncached. Add a row
// to Pages to bench a new page; a path answering anything but 200 (a route
// not built yet) is reported as skipped instead of failing the run.
type Page struct {
	Name string
	Path func(Fixture) string
	// Headline pages are the ones spec 03 §11 sets the cached targets for.
	Headline bool
}

// Pages are benched in this order.
var Pages = []Page{
	{Name: "home", Path: func(Fixture) string { return "/" }, Headline: true},
	{Name: "tournament (latest complete)", Headline: true,
		Path: func(f Fixture) string { return "/tournaments/" + strconv.FormatInt(f.TournamentID, 10) + "/" }},
	{Name: "standings (current year)", Headline: true,
		Path: func(f Fixture) string { return "/standings/" + strconv.Itoa(f.Year) + "/" }},
	{Name: "calendar", Path: func(Fixture) string { return "/calendar/" }},
	{Name: "lakes", Path: func(Fixture) string { return "/lakes/" }},
	{Name: "angler profile", Path: func(f Fixture) string { return "/anglers/" + strconv.FormatInt(f.AnglerID, 10) + "/" }},
}

// CeilingPath is the trivial endpoint of the same binary: the throughput
// ceiling the cached pages are compared with.
const CeilingPath = "/health/liveness/"

// Row names of the two ceilings: the site's trivial endpoint (all of its
// middleware) and a bare net/http server answering "Hello, world!", which
// shows what the middleware chain itself costs.
const (
	TrivialName = "trivial endpoint"
	HelloName   = "hello world (bare net/http)"
	HelloPath   = "/"
)

// Hello is the bare net/http handler of the hello-world row: no middleware,
// no logging, nothing but the answer.
func Hello(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("Hello, world!\n"))
}

// Options bound an attack.
type Options struct {
	Duration time.Duration // per scenario
	Workers  int           // concurrent clients (max in-flight requests)
	Rate     int           // requests/s; 0 = closed loop: each client sends as fast as answers come
}

// Mode says how a row was measured.
type Mode string

const (
	Ceiling  Mode = "ceiling"
	Baseline Mode = "baseline" // not the site: a bare net/http server
	Cached   Mode = "cached"
	Uncached Mode = "uncached"
	Write    Mode = "write"
)

// Row is one scenario's measurements.
type Row struct {
	Name     string
	Mode     Mode
	Path     string
	Skipped  string // why the scenario did not run ("" = it ran)
	Requests int
	Errors   int // non-2xx/3xx answers and transport errors
	Elapsed  time.Duration
	P50      time.Duration
	P95      time.Duration
	P99      time.Duration
	Queries  float64 // mean X-DB-Query-Count per request
	MaxQuery int     // highest X-DB-Query-Count seen
	Bytes    float64 // mean response bytes on the wire (gzip where the server compressed)
	Allocs   float64 // heap allocations per request, whole process (server + load generator)
	AllocKB  float64 // heap KiB allocated per request, whole process
	RSS      int64   // VmRSS after the scenario, bytes

	// Cost of a write scenario's request (0: not measured).
	CPU      time.Duration // process CPU (user + system) per request, whole process
	WriteTxs float64       // mean X-DB-Write-Transactions per request
	Limited  int           // 429 answers, counted apart from Errors
	Note     string        // one line about the scenario under the table
}

// RPS is completed requests per second of wall time.
func (r Row) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Probe GETs path once and returns the status, so a page can be skipped
// (route not built yet) and a cached page is in the cache before its attack.
func Probe(ctx context.Context, base, path string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// Attack drives GET base+path with o.Workers concurrent clients for
// o.Duration and measures it. Responses are not kept: only their latency,
// status, size and query count.
func Attack(name string, mode Mode, base, path string, o Options) Row {
	var s sample
	s.attack(base+path, o, o.Duration)
	return s.row(name, mode, path)
}

// Target is one GET scenario of Rounds.
type Target struct {
	Name       string
	Mode       Mode
	Base, Path string
}

// Rounds drives the targets in turns: rounds times, each target for
// o.Duration/rounds, so every target gets o.Duration in all. On a shared
// machine the background load changes within a minute; taking turns spreads
// that change over all targets alike, so the ratios between them (hello
// world, trivial endpoint, cached pages) measure the server and not the
// neighbours. Rows come back in the order of targets.
func Rounds(targets []Target, o Options, rounds int) []Row {
	rounds = max(rounds, 1)
	slice := o.Duration / time.Duration(rounds)
	samples := make([]sample, len(targets))
	for range rounds {
		for i, t := range targets {
			runtime.GC() // the previous slice's garbage is not this one's
			samples[i].attack(t.Base+t.Path, o, slice)
		}
	}
	rows := make([]Row, len(targets))
	for i, t := range targets {
		rows[i] = samples[i].row(t.Name, t.Mode, t.Path)
	}
	return rows
}

// sample accumulates one scenario's measurements over one or more attacks.
type sample struct {
	lat              []time.Duration
	bytesIn, queries int64
	errors, maxQuery int
	elapsed          time.Duration
	mallocs, alloc   uint64 // process-wide, during the attacks only
}

func (s *sample) attack(url string, o Options, d time.Duration) {
	var bodyBytes atomic.Int64
	client := &http.Client{Timeout: 30 * time.Second, Transport: countingTransport{n: &bodyBytes,
		next: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: o.Workers, MaxConnsPerHost: o.Workers}}}
	defer client.CloseIdleConnections()
	// MaxBody(0): vegeta reads each body to the end but keeps none of it.
	// Keeping it (io.ReadAll, ~25 KiB of garbage per 7 KiB page) made the
	// in-process load generator, not the server, the cost that grows with
	// a page's size; wrk and browsers do not pay it on the server's CPUs.
	atk := vegeta.NewAttacker(vegeta.Client(client), vegeta.Workers(uint64(o.Workers)),
		vegeta.MaxWorkers(uint64(o.Workers)), vegeta.Redirects(vegeta.NoFollow), vegeta.MaxBody(0))
	tr := crowd(url)
	pace := vegeta.Rate{Freq: o.Rate, Per: time.Second} // Freq 0: as fast as the workers go
	if s.lat == nil {
		s.lat = make([]time.Duration, 0, 1<<16)
	}
	before := readMem()
	start := time.Now()
	for res := range atk.Attack(tr, pace, d, url) {
		s.lat = append(s.lat, res.Latency)
		if res.Code < 200 || res.Code >= 400 {
			s.errors++
		}
		q, _ := strconv.Atoi(res.Headers.Get("X-DB-Query-Count"))
		s.queries += int64(q)
		s.maxQuery = max(s.maxQuery, q)
		res.Body = nil
	}
	s.elapsed += time.Since(start)
	s.bytesIn += bodyBytes.Load()
	after := readMem()
	s.mallocs += after.Mallocs - before.Mallocs
	s.alloc += after.TotalAlloc - before.TotalAlloc
}

func (s *sample) row(name string, mode Mode, path string) Row {
	row := Row{Name: name, Mode: mode, Path: path, Errors: s.errors, MaxQuery: s.maxQuery, Elapsed: s.elapsed}
	row.fill(s.lat, s.mallocs, s.alloc)
	if row.Requests > 0 {
		row.Bytes = float64(s.bytesIn) / float64(row.Requests)
		row.Queries = float64(s.queries) / float64(row.Requests)
	}
	return row
}

// countingTransport counts the response body bytes the client reads, on
// the wire (gzip where the server compressed): vegeta's own count is of the
// bytes it keeps, and the bench keeps none.
type countingTransport struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (t countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if resp != nil && resp.Body != nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: t.n}
	}
	return resp, err
}

func (t countingTransport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// crowd targets url as many visitors would: each request carries the next
// of 65 536 addresses in X-Forwarded-For (the bench trusts loopback as a
// proxy), so the per-address rate limit of spec 03 §8 — which still runs on
// every request — does not turn a load test from one machine into 429s.
// Browsers ask for gzip; asking explicitly (with transparent decompression
// off) makes BytesIn the bytes on the wire.
func crowd(url string) vegeta.Targeter {
	var n atomic.Uint32
	return func(t *vegeta.Target) error {
		i := n.Add(1) % 65536
		t.Method, t.URL = http.MethodGet, url
		t.Header = http.Header{"Accept-Encoding": {"gzip"},
			"X-Forwarded-For": {fmt.Sprintf("10.1.%d.%d", i>>8, i&0xff)}}
		return nil
	}
}

// Repeat calls op sequentially until d has passed (at least minRuns times)
// and measures each call: for writes, which are timed in Go rather than over
// HTTP.
func Repeat(name, path string, d time.Duration, minRuns int, op func(i int) error) (Row, error) {
	row := Row{Name: name, Mode: Write, Path: path}
	var lat []time.Duration
	before := readMem()
	start := time.Now()
	for i := 0; i < minRuns || time.Since(start) < d; i++ {
		t0 := time.Now()
		if err := op(i); err != nil {
			return row, fmt.Errorf("%s, run %d: %w", name, i+1, err)
		}
		lat = append(lat, time.Since(t0))
	}
	row.Elapsed = time.Since(start)
	after := readMem()
	row.fill(lat, after.Mallocs-before.Mallocs, after.TotalAlloc-before.TotalAlloc)
	return row, nil
}

func (r *Row) fill(lat []time.Duration, mallocs, alloc uint64) {
	slices.Sort(lat)
	r.Requests = len(lat)
	r.P50, r.P95, r.P99 = Percentile(lat, 50), Percentile(lat, 95), Percentile(lat, 99)
	if n := float64(len(lat)); n > 0 {
		r.Allocs = float64(mallocs) / n
		r.AllocKB = float64(alloc) / 1024 / n
	}
	r.RSS, _ = Memory()
}

// Percentile is the nearest-rank p-th percentile of sorted latencies.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

func readMem() runtime.MemStats {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

// ResetPeak starts a new peak-RSS window: writing 5 to /proc/self/clear_refs
// resets VmHWM to the current resident set (Linux ≥ 4.0), so Memory's peak
// then covers only what runs after it. False where that is not possible.
// The heap is first collected and returned to the system: otherwise the
// window would start from the garbage of what ran before it (seeding ten
// seasons of demo data, an earlier scenario group), which the runtime hands
// back only minutes later and which a server that never seeded would not hold.
func ResetPeak() bool {
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// Memory returns this process's resident set (VmRSS) and its peak (VmHWM)
// in bytes, from /proc/self/status; zeros where that file does not exist.
func Memory() (rss, peak int64) { return ProcessMemory("self") }

// ProcessMemory is Memory for the process pid ("self" or a number).
func ProcessMemory(pid string) (rss, peak int64) {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0, 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "VmRSS":
			rss = kb * 1024
		case "VmHWM":
			peak = kb * 1024
		}
	}
	return rss, peak
}
