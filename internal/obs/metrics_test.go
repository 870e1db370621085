package obs

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// counterValue sums the samples of a metric family whose labels include
// want (histograms: sample count).
func counterValue(t *testing.T, m *Metrics, name string, want map[string]string) float64 {
	t.Helper()
	fams, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	metric:
		for _, mt := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range mt.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if labels[k] != v {
					continue metric
				}
			}
			switch {
			case mt.Counter != nil:
				sum += mt.Counter.GetValue()
			case mt.Histogram != nil:
				sum += float64(mt.Histogram.GetSampleCount())
			case mt.Gauge != nil:
				sum += mt.Gauge.GetValue()
			}
		}
	}
	return sum
}

func TestMetricsUseRoutePatternNotPath(t *testing.T) {
	m := NewMetrics("1.2.3")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /tournaments/{id}/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	})
	// An inner layer that derives the request (as a session middleware
	// does) must not hide the pattern from the monitor.
	session := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(r.Context()))
		})
	}
	mon := &Monitor{Metrics: m, Logger: discardLogger()}
	h := RequestIDMiddleware(mon.Middleware(session(CaptureRoute(mux))))

	for _, p := range []string{"/tournaments/17/", "/tournaments/18/", "/no/such/page"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", p, nil))
	}
	if got := counterValue(t, m, "http_requests_total",
		map[string]string{"method": "GET", "route": "GET /tournaments/{id}/", "status": "200"}); got != 2 {
		t.Errorf("pattern-labelled requests = %v, want 2", got)
	}
	if got := counterValue(t, m, "http_request_duration_seconds",
		map[string]string{"route": "GET /tournaments/{id}/"}); got != 2 {
		t.Errorf("duration samples = %v, want 2", got)
	}
	if got := counterValue(t, m, "http_requests_total",
		map[string]string{"route": UnmatchedRoute, "status": "404"}); got != 1 {
		t.Errorf("unmatched = %v, want 1", got)
	}

	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:5555"
	m.Handler(MetricsAccess{AllowNets: mustNets(t, "127.0.0.0/8")}).ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `route="GET /tournaments/{id}/"`) {
		t.Fatalf("metrics: %d\n%s", rec.Code, body)
	}
	if strings.Contains(body, "/tournaments/17/") {
		t.Error("raw path leaked into metrics")
	}
	if !strings.Contains(body, `build_info{goversion="go`) || !strings.Contains(body, `version="1.2.3"`) {
		t.Error("build_info missing")
	}
}

func mustNets(t *testing.T, s string) []netip.Prefix {
	t.Helper()
	n, err := ParseNets(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMetricsAccess(t *testing.T) {
	m := NewMetrics("x")
	access := MetricsAccess{Token: "s3cret", AllowNets: mustNets(t, "127.0.0.1,::1")}
	cases := []struct {
		name, remote, auth, xff string
		want                    int
	}{
		{"loopback", "127.0.0.1:1", "", "", 200},
		{"loopback v6", "[::1]:1", "", "", 200},
		{"outside", "203.0.113.9:1", "", "", 401},
		{"outside with token", "203.0.113.9:1", "Bearer s3cret", "", 200},
		{"outside wrong token", "203.0.113.9:1", "Bearer nope", "", 401},
		{"proxied through loopback", "127.0.0.1:1", "", "203.0.113.9", 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/metrics", nil)
			req.RemoteAddr = c.remote
			if c.auth != "" {
				req.Header.Set("Authorization", c.auth)
			}
			if c.xff != "" {
				req.Header.Set("X-Forwarded-For", c.xff)
			}
			rec := httptest.NewRecorder()
			m.Handler(access).ServeHTTP(rec, req)
			if rec.Code != c.want {
				t.Errorf("status %d, want %d", rec.Code, c.want)
			}
		})
	}
}

func TestMetricsNilSafe(t *testing.T) {
	var m *Metrics
	m.ObserveHTTP("GET", "x", 200, 0)
	m.ObserveQuery("select", 0, nil)
	m.CacheResult("l1", "hit")
	m.RateLimited("login")
	m.JobRun("backup", "ok")
	m.CountError(High)
}

func TestMetricsCounters(t *testing.T) {
	m := NewMetrics("x")
	m.RateLimited("login")
	m.RateLimited("login")
	m.JobRun("backup", "ok")
	m.CacheResult("redis", "hit")
	m.CountError(Critical)
	for name, want := range map[string]float64{
		"rate_limit_rejections_total": 2, "job_runs_total": 1, "cache_requests_total": 1, "errors_total": 1,
	} {
		if got := counterValue(t, m, name, nil); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}
