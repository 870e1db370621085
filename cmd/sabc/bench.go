package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"sabc/internal/bench"
	"sabc/internal/config"
	"sabc/internal/demo"
	"sabc/internal/web"
)

func init() {
	commands["bench"] = subcommand{summary: "load-test the real server on loopback; writes docs/benchmarks.md",
		run: runBench}
}

type benchFlags struct {
	scale, seasons int
	load           bench.Options
	out, note      string
	cpuProfile     string
	dbURL, redis   string
	memcached      string
	only           map[string]bool // scenario groups to run; empty: all
	live           liveOptions
	stopProfile    func() // stops the CPU profile (once); the weigh-in group calls it after the PUTs
}

// benchGroups are the scenario groups --only picks from.
var benchGroups = []string{"pages", "write", "weigh-in", "live"}

// runs reports whether the scenario group runs.
func (f benchFlags) runs(group string) bool { return len(f.only) == 0 || f.only[group] }

func parseBenchFlags(args []string) (benchFlags, error) {
	var f benchFlags
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.IntVar(&f.scale, "scale", 1, "demo club size multiplier (10 for the scaled mode)")
	fs.IntVar(&f.seasons, "seasons", 10, "seasons of demo data (spec: cold start with 10 seasons)")
	fs.DurationVar(&f.load.Duration, "duration", 5*time.Second, "length of each scenario")
	fs.IntVar(&f.load.Workers, "workers", 32, "concurrent clients")
	fs.IntVar(&f.load.Rate, "rate", 0, "requests/s per scenario; 0 = as fast as the clients get answers")
	fs.StringVar(&f.out, "out", "docs/benchmarks.md", `Markdown file whose "Site under load" section is replaced; "-" = none`)
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the scenarios run to this file (go tool pprof); with --only weigh-in, of the PUTs")
	fs.StringVar(&f.note, "note", "", "a remark added to the report (e.g. that the machine was shared)")
	fs.StringVar(&f.dbURL, "database-url", "", "an EMPTY database (SQLite path or postgres://, fresh schema); default: a temporary SQLite file")
	fs.StringVar(&f.redis, "redis-url", "", "Redis L2 for the page cache (default: L1 only)")
	fs.StringVar(&f.memcached, "memcached-servers", "", "Memcached L2 (comma list)")
	only := fs.String("only", "", "run only these scenario groups (comma list of "+strings.Join(benchGroups, ", ")+
		"); the report is then printed, not written, unless --out is given")
	fs.DurationVar(&f.live.Duration, "live-duration", 20*time.Second, "length of the live weigh-in scenario")
	fs.DurationVar(&f.live.SaveEvery, "live-save-every", 2*time.Second, "live weigh-in: time between two result saves")
	fs.DurationVar(&f.live.ReloadEvery, "live-reload-every", time.Second, "live weigh-in: mean time between two reloads of one phone")
	fs.IntVar(&f.live.Clients, "live-clients", 200, "live weigh-in: phones reloading the page, and as many holding the live stream")
	if err := fs.Parse(args); err != nil {
		return f, exitError{2, err}
	}
	if *only != "" {
		f.only = map[string]bool{}
		for _, g := range strings.Split(*only, ",") {
			if g = strings.TrimSpace(g); !slices.Contains(benchGroups, g) {
				return f, exitError{2, fmt.Errorf("--only: unknown scenario group %q (have %s)", g, strings.Join(benchGroups, ", "))}
			}
			f.only[g] = true
		}
		outGiven := false
		fs.Visit(func(fl *flag.Flag) { outGiven = outGiven || fl.Name == "out" })
		if !outGiven { // a partial report would replace the whole generated section
			f.out = "-"
		}
	}
	if f.live.Duration <= 0 || f.live.SaveEvery <= 0 || f.live.ReloadEvery <= 0 || f.live.Clients < 1 {
		return f, exitError{2, errors.New("--live-duration, --live-save-every, --live-reload-every and --live-clients must be positive")}
	}
	if f.load.Workers < 1 || f.load.Duration <= 0 || f.scale < 1 || f.seasons < 1 {
		return f, exitError{2, errors.New("--workers, --duration, --scale and --seasons must be positive")}
	}
	return f, nil
}

// runBench seeds a fresh database, starts the real app (newApp, as serve
// does) on a random loopback port, drives it with vegeta and writes the report.
func runBench(ctx context.Context, args []string, io stdio) error {
	f, err := parseBenchFlags(args)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "sabc-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg, err := benchConfig(f, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.out, "seeding the demo club (scale %d, %d seasons) into %s…\n", f.scale, f.seasons, cfg.Dialect())
	t0 := time.Now()
	if err := seedBench(ctx, cfg, f); err != nil {
		return err
	}
	fmt.Fprintf(io.out, "seeded in %s\n", time.Since(t0).Round(time.Millisecond))
	loadBefore := loadAvg()

	t0 = time.Now()
	a, base, stop, err := startBenchApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer stop()
	cold := time.Since(t0)
	fmt.Fprintf(io.out, "cold start to ready: %s\n", cold.Round(time.Microsecond))
	fx, err := benchFixture(ctx, a)
	if err != nil {
		return err
	}
	if cfg.RedisURL != "" || cfg.MemcachedServers != "" {
		// A shared L2 may still hold pages of an earlier run under the same
		// namespace versions: move every benched namespace past them.
		a.cache.Bump(ctx, benchNamespaces(fx)...)
	}
	uncachedBase := base // SABC_PAGE_CACHE=off: the app itself is the uncached site
	stopUncached := func() {}
	if !cfg.PageCacheOff() {
		var stop func()
		if uncachedBase, stop, err = startUncached(a); err != nil {
			return err
		}
		stopUncached = sync.OnceFunc(stop)
		defer stopUncached()
	}

	rep := bench.Report{When: time.Now(), Options: f.load, Seasons: f.seasons, Database: cfg.Dialect(),
		ColdStart: cold, Setup: benchSetup(cfg, f)}
	stopProfile, err := startProfile(f.cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	f.stopProfile = stopProfile
	// Peaks are taken per scenario group, from the start of its load: the
	// seeding before it is not "under load".
	reset := bench.ResetPeak()
	if f.runs("pages") {
		cachedBase := base
		if cfg.PageCacheOff() {
			cachedBase = "" // no cached rows: only the uncached path is measured
		}
		// The bare net/http hello world: same process, load generator and
		// options as the site, so the two ceilings compare the middleware.
		helloBase, stopHello, err := serveOn(http.HandlerFunc(bench.Hello))
		if err != nil {
			return err
		}
		rep.Rows = runPageScenarios(ctx, io.out, helloBase, cachedBase, uncachedBase, fx, f.load)
		stopHello()
		stopUncached() // the page-cache-off twin serves only the page scenarios
		if _, peak := bench.Memory(); reset {
			rep.PeakPages = peak
		}
		reset = bench.ResetPeak()
	}
	if len(f.only) == 0 {
		stopProfile() // the page scenarios only, as before --only existed
	}
	if f.runs("write") {
		w, err := benchWrites(ctx, a, fx, f.load.Duration)
		if err != nil {
			return err
		}
		printRow(io.out, w)
		rep.Rows = append(rep.Rows, w)
	}
	if f.runs("weigh-in") || f.runs("live") {
		rows, err := benchWeighIn(ctx, a, base, fx.Year, f)
		for _, r := range rows {
			printRow(io.out, r)
		}
		rep.Rows = append(rep.Rows, rows...)
		if err != nil {
			return err
		}
	}
	if _, peak := bench.Memory(); reset && (f.runs("write") || f.runs("weigh-in") || f.runs("live")) {
		rep.PeakWrites = peak
	}
	_, rep.PeakRSS = bench.Memory()
	if reset {
		rep.PeakRSS = max(rep.PeakPages, rep.PeakWrites)
	}
	rep.Notes = benchNotes(f, loadBefore, loadAvg())
	md := rep.Markdown()
	fmt.Fprintln(io.out)
	fmt.Fprint(io.out, md)
	if f.out != "-" {
		if err := bench.WriteFile(f.out, md); err != nil {
			return err
		}
		fmt.Fprintf(io.out, "\nwrote the \"Site under load\" section of %s\n", f.out)
	}
	return nil
}

// benchConfig is serve's configuration with the bench's database and L2, in
// development mode so every response carries X-DB-Query-Count. The
// environment's DATABASE_URL/REDIS_URL are ignored: a bench never touches
// the real site's data unless a flag names it. SABC_PAGE_CACHE=off is read:
// the bench then measures only uncached pages, on the app as started.
func benchConfig(f benchFlags, dir string) (config.Config, error) {
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		return cfg, err
	}
	cfg.DatabaseURL = filepath.Join(dir, "bench.db")
	if f.dbURL != "" {
		cfg.DatabaseURL = f.dbURL
	}
	cfg.RedisURL, cfg.MemcachedServers = f.redis, f.memcached
	if v := os.Getenv("SABC_PAGE_CACHE"); v != "" {
		cfg.PageCache = v
	}
	cfg.Env, cfg.Demo, cfg.Addr = "development", false, "127.0.0.1:0"
	cfg.DataDir, cfg.MediaDir = dir, filepath.Join(dir, "media")
	cfg.ErrorLogFile = ""
	// Load arrives through loopback carrying many visitors' addresses in
	// X-Forwarded-For (bench.crowd), as traffic behind a proxy does.
	cfg.TrustedProxies = "127.0.0.1/32"
	return cfg, cfg.Validate()
}

// seedBench fills the (empty) database before the clock starts, so cold
// start measures opening a database that already holds the seasons.
func seedBench(ctx context.Context, cfg config.Config, f benchFlags) error {
	// Bench accounts never log in: the cheapest hash keeps seeding fast.
	return seedEmpty(ctx, cfg, demo.Options{Now: time.Now(), Scale: f.scale, Seasons: f.seasons}, bcrypt.MinCost)
}

// startBenchApp is serve's start-up — newApp, listen, serve, warm — timed
// until readiness answers 200. Logs go nowhere but are still formatted.
func startBenchApp(ctx context.Context, cfg config.Config) (*app, string, func(), error) {
	a, err := newApp(ctx, cfg, stdio{out: io.Discard, err: io.Discard}, nil)
	if err != nil {
		return nil, "", nil, err
	}
	base, stopSrv, err := serveOn(a.web.Handler())
	if err != nil {
		a.close()
		return nil, "", nil, err
	}
	a.warm()
	stop := func() { stopSrv(); a.close() }
	if err := waitReady(ctx, base); err != nil {
		stop()
		return nil, "", nil, err
	}
	return a, base, stop, nil
}

// startUncached serves the same app with the page cache off: a second
// web.Server over the same dependencies with SABC_PAGE_CACHE=off, exactly
// what an operator gets with that setting (every GET renders).
func startUncached(a *app) (string, func(), error) {
	d := a.web.Deps
	d.Config.PageCache = "off"
	w, err := web.New(d)
	if err != nil {
		return "", nil, err
	}
	return serveOn(w.Handler())
}

// startProfile profiles the scenarios (server and load generator alike)
// when asked to; the returned function stops and flushes it (once).
func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return sync.OnceFunc(func() { pprof.StopCPUProfile(); f.Close() }), nil
}

func serveOn(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

func waitReady(ctx context.Context, base string) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if code, err := bench.Probe(ctx, base, "/health/readiness/"); err == nil && code == http.StatusOK {
			return nil
		}
		time.Sleep(time.Millisecond)
	}
	return errors.New("the server did not become ready within 30 s")
}

func printRow(w io.Writer, r bench.Row) {
	if r.Skipped != "" {
		fmt.Fprintf(w, "%-30s %-9s skipped: %s\n", r.Name, r.Mode, r.Skipped)
		return
	}
	fmt.Fprintf(w, "%-30s %-9s %8.0f req/s  p50 %6.2f  p95 %6.2f  p99 %6.2f ms  %5.2f q/req  %3d errors\n",
		r.Name, r.Mode, r.RPS(), msf(r.P50), msf(r.P95), msf(r.P99), r.Queries, r.Errors)
}

func msf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func benchSetup(cfg config.Config, f benchFlags) string {
	l2 := "none (L1 in process only)"
	switch {
	case cfg.RedisURL != "" && cfg.MemcachedServers != "":
		l2 = "Redis (Memcached standby)"
	case cfg.RedisURL != "":
		l2 = "Redis"
	case cfg.MemcachedServers != "":
		l2 = "Memcached"
	}
	db := "embedded SQLite (temporary file)"
	if cfg.Dialect() == "postgres" {
		db = "PostgreSQL"
	} else if f.dbURL != "" {
		db = "SQLite " + f.dbURL
	}
	return fmt.Sprintf("%s; L2 cache: %s; demo club scale %d, %d seasons; %s/%s, %d CPUs (%s), %s",
		db, l2, f.scale, f.seasons, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), cpuModel(), runtime.Version())
}

func benchNotes(f benchFlags, before, after string) []string {
	notes := []string{
		"The load generator (vegeta, as a library) runs in the same process and on the same CPUs as the server: " +
			"req/s are shared with it, and allocations and resident memory count both. Compare a page's " +
			"allocs/req with the trivial endpoint's to see what the page itself costs. The server's own peak " +
			"resident memory under the same load, in a process of its own: `SABC_RSS_PROBE=1 go test ./cmd/sabc " +
			"-run TestServerRSSUnderBenchLoad -v` (docs/benchmarks.md \"Resident memory\").",
		"The hello-world row is a bare net/http server (no middleware) in the same process, driven by the same " +
			"load generator with the same options: its ratio with the trivial endpoint is what the middleware " +
			"chain costs. Hello world, the trivial endpoint and the cached pages take turns (rounds of about a " +
			"second each, the same total time each), so a change in the machine's background load falls on all " +
			"of them alike; uncached pages run one after another. Peak resident memory is taken per scenario " +
			"group (reset before it) and is the whole process, so an upper bound for the server alone.",
		"Uncached rows are the same app with the page cache switched off (every GET renders from the database); " +
			"cached rows are anonymous GETs served from L1 after one warming request.",
	}
	if before != "" {
		notes = append(notes, fmt.Sprintf("Load average (1/5/15 min) before the run: %s; after: %s. "+
			"Anything well above 0 before the run means other work shared the machine.", before, after))
	}
	if f.note != "" {
		notes = append(notes, f.note)
	}
	return notes
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	fields := strings.Fields(string(b))
	if len(fields) < 3 {
		return ""
	}
	return strings.Join(fields[:3], " ")
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
