package cache

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the Prometheus series of one Tiered cache. They exist (and are
// updated) even when no Registerer is given, which keeps the code paths free
// of nil checks.
type metrics struct {
	requests *prometheus.CounterVec   // tier, result=hit|miss|error
	latency  *prometheus.HistogramVec // tier, op
	up       *prometheus.GaugeVec     // tier: 1 ok, 0 degraded
	loads    prometheus.Counter
	bumps    prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sabc_cache_requests_total",
			Help: "Cache lookups per tier by result (hit, miss, error).",
		}, []string{"tier", "result"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "sabc_cache_latency_seconds",
			Help: "Cache operation latency per tier and operation.",
			// L2 budget is ~50 ms, so resolution matters below that.
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25},
		}, []string{"tier", "op"}),
		up: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "sabc_cache_tier_up",
			Help: "1 when the cache tier is healthy, 0 when degraded.",
		}, []string{"tier"}),
		loads: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sabc_cache_loads_total",
			Help: "Loader calls (values computed because no tier had them).",
		}),
		bumps: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sabc_cache_namespace_bumps_total",
			Help: "Namespace versions bumped by writes on this process.",
		}),
	}
	if reg != nil {
		m.requests = register(reg, m.requests)
		m.latency = register(reg, m.latency)
		m.up = register(reg, m.up)
		m.loads = register(reg, m.loads)
		m.bumps = register(reg, m.bumps)
	}
	return m
}

// register reuses an already registered collector so a second Tiered in the
// same process (tests, a CLI command inside serve) shares the series instead
// of failing.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
	}
	return c
}

func (m *metrics) observe(tier, op string, start time.Time) {
	m.latency.WithLabelValues(tier, op).Observe(time.Since(start).Seconds())
}

func (m *metrics) result(tier, result string) { m.requests.WithLabelValues(tier, result).Inc() }

// Stats counts one request's cache use so the access log can print it.
// Safe for concurrent use (a request may render fragments in parallel).
type Stats struct {
	hits, misses atomic.Int64
}

// Hits is the number of GetOrLoad calls answered by L1 or L2.
func (s *Stats) Hits() int64 {
	if s == nil {
		return 0
	}
	return s.hits.Load()
}

// Misses is the number of GetOrLoad calls that ran (or waited for) a loader.
func (s *Stats) Misses() int64 {
	if s == nil {
		return 0
	}
	return s.misses.Load()
}

func (s *Stats) hit() {
	if s != nil {
		s.hits.Add(1)
	}
}

func (s *Stats) miss() {
	if s != nil {
		s.misses.Add(1)
	}
}

type statsKey struct{}

// WithStats attaches a fresh Stats to ctx; middleware calls it once per
// request and reads the counts after the handler returns.
func WithStats(ctx context.Context) (context.Context, *Stats) {
	s := new(Stats)
	return context.WithValue(ctx, statsKey{}, s), s
}

// StatsFrom returns the Stats attached by WithStats, or nil (all methods of a
// nil *Stats are safe).
func StatsFrom(ctx context.Context) *Stats {
	s, _ := ctx.Value(statsKey{}).(*Stats)
	return s
}
