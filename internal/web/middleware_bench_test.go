package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"sabc/internal/cache"
	"sabc/internal/config"
	"sabc/internal/obs"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

// BenchmarkMiddlewareChain serves the trivial endpoint and a cached page
// through the whole production handler — request id, monitor (access log
// formatted and discarded, metrics), recover, security headers, cross-origin
// protection, session, limiter, Compress — wired as newApp wires it, with
// each request from another address behind a trusted proxy as `sabc bench`
// sends them. allocs/op is the cost of the chain itself (no network, no
// load generator); see docs/benchmarks.md "Middleware chain".
func BenchmarkMiddlewareChain(b *testing.B) {
	c, err := cache.New(cache.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	site := testutil.NewSite(b, testutil.SiteOptions{
		Config: func(cfg *config.Config) { cfg.TrustedProxies = "127.0.0.1/32" },
		Deps: func(d *web.Deps) {
			log := obs.NewLogger(d.Config.Env, io.Discard, slog.LevelInfo)
			d.Logger, d.Cache, d.Limiter = log, c, nil // the production in-process limiter
			d.Metrics = obs.NewMetrics("bench")
			d.Monitor = &obs.Monitor{Logger: log, Metrics: d.Metrics, Development: true,
				Prepare:   func(ctx context.Context) context.Context { ctx, _ = cache.WithStats(ctx); return ctx },
				CacheHits: func(ctx context.Context) int { return int(cache.StatsFrom(ctx).Hits()) }}
		}})
	paths := budgetPaths(b, site.Store)
	h := site.Web.Handler()
	for _, p := range []struct{ name, path string }{
		{"liveness", "/health/liveness/"},
		{"tournament cached", paths["tournament"]},
	} {
		b.Run(p.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, p.path, nil)
			req.RemoteAddr = "127.0.0.1:1234"
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req) // the first GET renders the page into the cache
			if rec.Code != http.StatusOK {
				b.Fatalf("GET %s: %d", p.path, rec.Code)
			}
			addrs := make([]string, 4096) // built before the clock starts
			for i := range addrs {
				addrs[i] = "10.1." + strconv.Itoa(i>>8) + "." + strconv.Itoa(i&0xff)
			}
			b.ReportAllocs()
			cpu0 := processCPU()
			i := 0
			for b.Loop() {
				i++
				req.Header["X-Forwarded-For"] = []string{addrs[i%len(addrs)]}
				rec := discard{h: http.Header{}}
				h.ServeHTTP(&rec, req)
				if rec.code != http.StatusOK {
					b.Fatalf("GET %s: %d", p.path, rec.code)
				}
			}
			b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// discard is a ResponseWriter that keeps only the status, so the benchmark
// counts the server's allocations and not a recorder's copy of the body.
type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header { return d.h }
func (d *discard) WriteHeader(code int) {
	if d.code == 0 {
		d.code = code
	}
}
func (d *discard) Write(b []byte) (int, error) {
	d.WriteHeader(http.StatusOK)
	return len(b), nil
}
