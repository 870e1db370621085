package web_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"syscall"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/testutil"
)

// BenchmarkUncachedPages renders each hot public page through the real
// handler (all middleware, no page cache: the site has no Deps.Cache) on the
// demo club, the path members hit right after a weigh-in save invalidated the
// cached copy. Compare ns/op and allocs/op with -count and benchstat; see
// docs/benchmarks.md "Uncached renders".
func BenchmarkUncachedPages(b *testing.B) {
	site := testutil.NewSite(b, testutil.SiteOptions{})
	paths := budgetPaths(b, site.Store)
	year := strconv.Itoa(club.Today(testutil.Now).Year())
	pages := []struct{ name, path string }{
		{"tournament", paths["tournament"]},
		{"standings", paths["standings"]},
		{"home", "/"},
		{"calendar", "/calendar/?year=" + year},
		{"profile", paths["profile"]},
		// The floor: the same middleware with no page behind it.
		{"liveness", "/health/liveness/"},
		{"notfound", "/nope"},
	}
	h := site.Web.Handler()
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, p.path, nil)
			req.RemoteAddr = "127.0.0.1:1234"
			b.ReportAllocs()
			cpu0 := processCPU()
			for b.Loop() {
				rec := discard{h: http.Header{}} // a recorder would count its copy of the body
				h.ServeHTTP(&rec, req)
				if rec.code != http.StatusOK && p.name != "notfound" {
					b.Fatalf("GET %s: %d", p.path, rec.code)
				}
			}
			// CPU time (user+system, GC included) is what a render costs
			// the machine; wall time on a shared machine mostly measures
			// the other tenants.
			b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// processCPU is the process's user+system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
