package obs

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds every Prometheus collector of the app in its own registry,
// so tests can build as many as they like and nothing leaks into the
// global default registry. All methods are safe on a nil *Metrics, which
// makes metrics optional for callers and tests.
type Metrics struct {
	Registry *prometheus.Registry

	HTTPRequests        *prometheus.CounterVec   // method, route, status
	HTTPDuration        *prometheus.HistogramVec // method, route
	DBQueries           *prometheus.CounterVec   // operation, result
	DBQueryDuration     *prometheus.HistogramVec // operation
	CacheRequests       *prometheus.CounterVec   // tier, result (hit|miss|error)
	CacheDuration       *prometheus.HistogramVec // tier
	Errors              *prometheus.CounterVec   // severity
	RateLimitRejections *prometheus.CounterVec   // class
	JobRuns             *prometheus.CounterVec   // job, result
	BuildInfo           *prometheus.GaugeVec     // version, goversion
}

// NewMetrics registers the collectors (plus Go runtime and process
// collectors) and sets build_info for version.
func NewMetrics(version string) *Metrics {
	r := prometheus.NewRegistry()
	fast := []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}
	m := &Metrics{
		Registry: r,
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total", Help: "HTTP requests by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "http_request_duration_seconds", Help: "HTTP request duration by method and route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		DBQueries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "db_queries_total", Help: "Database statements by operation and result (ok|error).",
		}, []string{"operation", "result"}),
		DBQueryDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "db_query_duration_seconds", Help: "Database statement duration by operation.", Buckets: fast,
		}, []string{"operation"}),
		CacheRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cache_requests_total", Help: "Cache lookups by tier (l1|redis|memcached) and result (hit|miss|error).",
		}, []string{"tier", "result"}),
		CacheDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "cache_operation_duration_seconds", Help: "Cache operation latency by tier.", Buckets: fast,
		}, []string{"tier"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "errors_total", Help: "Captured errors by severity.",
		}, []string{"severity"}),
		RateLimitRejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rate_limit_rejections_total", Help: "Requests refused with 429, by route class.",
		}, []string{"class"}),
		JobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "job_runs_total", Help: "Scheduled job runs by job and result (ok|error|skipped).",
		}, []string{"job", "result"}),
		BuildInfo: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "build_info", Help: "Always 1; labels carry the build.",
		}, []string{"version", "goversion"}),
	}
	r.MustRegister(m.HTTPRequests, m.HTTPDuration, m.DBQueries, m.DBQueryDuration,
		m.CacheRequests, m.CacheDuration, m.Errors, m.RateLimitRejections, m.JobRuns, m.BuildInfo,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.BuildInfo.WithLabelValues(version, runtime.Version()).Set(1)
	// Pre-create the severity series so dashboards show 0, not "no data".
	for _, s := range []Severity{Critical, High, Medium, Low} {
		m.Errors.WithLabelValues(string(s))
	}
	return m
}

// UnmatchedRoute labels requests that matched no route pattern, so random
// paths from scanners cannot explode the series count.
const UnmatchedRoute = "unmatched"

// ObserveHTTP records one finished request. route must be a pattern.
func (m *Metrics) ObserveHTTP(method, route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = UnmatchedRoute
	}
	method = metricMethod(method)
	m.HTTPRequests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.HTTPDuration.WithLabelValues(method, route).Observe(d.Seconds())
}

// metricMethod bounds the method label: clients can send any token.
func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// ObserveQuery records one database statement.
func (m *Metrics) ObserveQuery(op string, d time.Duration, err error) {
	if m == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.DBQueries.WithLabelValues(op, result).Inc()
	m.DBQueryDuration.WithLabelValues(op).Observe(d.Seconds())
}

// CacheResult counts a cache lookup: result is "hit", "miss" or "error".
func (m *Metrics) CacheResult(tier, result string) {
	if m != nil {
		m.CacheRequests.WithLabelValues(tier, result).Inc()
	}
}

// ObserveCache records a cache operation's latency.
func (m *Metrics) ObserveCache(tier string, d time.Duration) {
	if m != nil {
		m.CacheDuration.WithLabelValues(tier).Observe(d.Seconds())
	}
}

// RateLimited counts a rejected request of the given route class
// ("login", "register", "post", "page"…).
func (m *Metrics) RateLimited(class string) {
	if m != nil {
		m.RateLimitRejections.WithLabelValues(class).Inc()
	}
}

// JobRun counts a scheduled job run; result is "ok", "error" or "skipped".
func (m *Metrics) JobRun(job, result string) {
	if m != nil {
		m.JobRuns.WithLabelValues(job, result).Inc()
	}
}

// CountError counts a captured error.
func (m *Metrics) CountError(s Severity) {
	if m != nil {
		m.Errors.WithLabelValues(string(s)).Inc()
	}
}

// MetricsAccess decides who may read /metrics and the detailed health
// output: a caller presenting "Authorization: Bearer <Token>", or one
// connecting from AllowNets.
//
// AllowNets is checked against the connection's address only, and never
// for requests carrying proxy headers (X-Forwarded-For, Forwarded,
// X-Real-IP): behind a reverse proxy on loopback every outside request
// would otherwise look local.
type MetricsAccess struct {
	Token     string         // METRICS_TOKEN; "" disables token access
	AllowNets []netip.Prefix // e.g. ParseNets("127.0.0.0/8,::1/128")
}

// ParseNets parses a comma list of CIDR prefixes or bare addresses.
func ParseNets(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("metrics network %q: %w", f, err)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("metrics network %q: %w", f, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// BearerToken is the token of an "Authorization: Bearer …" header. The
// scheme is matched without regard to case (RFC 9110 §11.1): "bearer x" is
// the same credential.
func BearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// Allow reports whether r may see metrics and full health detail.
func (a MetricsAccess) Allow(r *http.Request) bool {
	if a.Token != "" {
		if tok, ok := BearerToken(r); ok && subtle.ConstantTimeCompare([]byte(tok), []byte(a.Token)) == 1 {
			return true
		}
	}
	if len(a.AllowNets) == 0 || proxied(r) {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range a.AllowNets {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

func proxied(r *http.Request) bool {
	return r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" ||
		r.Header.Get("X-Real-IP") != ""
}

// Handler serves the registry to callers access allows; others get 401
// (with a Bearer challenge when a token is configured) so the endpoint's
// content never leaks.
func (m *Metrics) Handler(access MetricsAccess) http.Handler {
	h := promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !access.Allow(r) {
			if access.Token != "" {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			}
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
