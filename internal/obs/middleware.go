package obs

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultHighQueryCount is HIGH_QUERY_COUNT_THRESHOLD's default.
const DefaultHighQueryCount = 20

// Monitor is the per-request middleware: access log line, query-count
// warning, timing headers and HTTP metrics. Zero values are usable; set
// the fields before serving.
type Monitor struct {
	Logger         *slog.Logger // nil: slog.Default()
	Metrics        *Metrics     // nil: no metrics
	Tracker        *Tracker     // placed in the context for Wrap/Capture; may be nil
	Development    bool         // adds X-DB-Query-Count, X-DB-Write-Transactions and X-Execution-Time
	HighQueryCount int          // 0: DefaultHighQueryCount

	// Prepare runs before the handler so other packages can attach their
	// per-request state (the cache's hit counter) to the context.
	Prepare func(context.Context) context.Context
	// CacheHits returns the cache hits of the request, for the access log
	// and Server-Timing. May be nil.
	CacheHits func(context.Context) int
	// CacheTime returns time spent in the cache for the request. May be nil.
	CacheTime func(context.Context) time.Duration
	// UserID returns the signed-in user; nil or 0 falls back to SetUserID.
	UserID func(context.Context) int64

	now func() time.Time // tests
}

func (m *Monitor) clock() time.Time {
	if m.now != nil {
		return m.now()
	}
	return time.Now()
}

// Middleware wraps next. It must sit inside RequestIDMiddleware.
func (m *Monitor) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := m.clock()
		ctx, info := withInfo(r.Context())
		ctx, qs := WithQueryStats(ctx)
		if m.Tracker != nil {
			ctx = WithTracker(ctx, m.Tracker)
		}
		if m.Prepare != nil {
			ctx = m.Prepare(ctx)
		}
		r2 := r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		// Headers are computed at WriteHeader time: afterwards they can no
		// longer be changed, so later queries only reach the log line.
		sw.beforeHeader = func(h http.Header) { m.timingHeaders(ctx, h, qs, m.clock().Sub(start)) }

		defer func() {
			// Runs on panic too (Recover re-panics http.ErrAbortHandler),
			// so every request has its access line.
			p := recover()
			route := r2.Pattern
			if route == "" {
				route = info.getRoute()
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
				if p != nil {
					status = http.StatusInternalServerError
				}
			}
			m.finish(ctx, r2, route, status, sw.bytes, m.clock().Sub(start), qs, info)
			if p != nil {
				panic(p)
			}
		}()
		next.ServeHTTP(sw, r2)
		if !sw.wroteHeader() {
			// net/http would send the implicit 200 without our headers.
			sw.WriteHeader(http.StatusOK)
		}
	})
}

func (m *Monitor) finish(ctx context.Context, r *http.Request, route string, status int, bytes int64,
	d time.Duration, qs *QueryStats, info *requestInfo) {
	// A failure after the client went away (an aborted health probe whose
	// check was cancelled, a page whose database query was) is logged as
	// 499 at info: nobody was served an error, and it is no server fault.
	gone := status >= 500 && ClientGone(r.Context(), nil)
	if gone {
		status = StatusClientClosedRequest
	}
	m.Metrics.ObserveHTTP(r.Method, route, status, d)
	l := m.Logger
	if l == nil {
		l = slog.Default()
	}
	if route == "" {
		route = UnmatchedRoute
	}
	uid := info.userID.Load()
	if m.UserID != nil {
		if id := m.UserID(ctx); id != 0 {
			uid = id
		}
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Int64("bytes", bytes),
		slog.Float64("duration_ms", ms(d)),
		slog.Int("queries", qs.Count()),
		slog.Float64("query_ms", ms(qs.Duration())),
	}
	if m.CacheHits != nil {
		attrs = append(attrs, slog.Int("cache_hits", m.CacheHits(ctx)))
	}
	// contextHandler adds request_id and the SetUserID user; add the hook's
	// user explicitly when it is the only source.
	if uid != 0 && info.userID.Load() == 0 {
		attrs = append(attrs, slog.Int64("user_id", uid))
	}
	if gone {
		attrs = append(attrs, slog.String("note", "client closed the request"))
	}
	// A 503 is a deliberate answer (database outage, shutting down) that
	// the outage's own state-change line explains: a warning, not an error.
	level := slog.LevelInfo
	switch {
	case status == http.StatusServiceUnavailable:
		level = slog.LevelWarn
	case status >= 500:
		level = slog.LevelError
	}
	l.LogAttrs(ctx, level, "request", attrs...)
	limit := m.HighQueryCount
	if limit <= 0 {
		limit = DefaultHighQueryCount
	}
	if n := qs.Count(); n > limit {
		l.WarnContext(ctx, "high query count", "route", route, "queries", n, "threshold", limit)
	}
}

// timingHeaders writes Server-Timing (always) and the development debug
// headers; a request marked HideQueryCounts gets only the total. "app" is total minus database and cache time: mostly rendering.
func (m *Monitor) timingHeaders(ctx context.Context, h http.Header, qs *QueryStats, total time.Duration) {
	if countsHidden(ctx) {
		h.Add("Server-Timing", fmt.Sprintf("total;dur=%.2f", ms(total)))
		return
	}
	db := qs.Duration()
	var cache time.Duration
	if m.CacheTime != nil {
		cache = m.CacheTime(ctx)
	}
	parts := []string{fmt.Sprintf(`db;dur=%.2f;desc="%d queries"`, ms(db), qs.Count())}
	if m.CacheHits != nil || m.CacheTime != nil {
		p := fmt.Sprintf("cache;dur=%.2f", ms(cache))
		if m.CacheHits != nil {
			p += fmt.Sprintf(`;desc="%d hits"`, m.CacheHits(ctx))
		}
		parts = append(parts, p)
	}
	app := max(total-db-cache, 0)
	parts = append(parts, fmt.Sprintf("app;dur=%.2f", ms(app)), fmt.Sprintf("total;dur=%.2f", ms(total)))
	h.Add("Server-Timing", strings.Join(parts, ", "))
	if m.Development {
		h.Set("X-DB-Query-Count", strconv.Itoa(qs.Count()))
		h.Set("X-DB-Write-Transactions", strconv.Itoa(qs.WriteTransactions()))
		h.Set("X-Execution-Time", fmt.Sprintf("%.2fms", ms(total)))
	}
}

// statusWriter records status and size, runs beforeHeader once just
// before the header is sent, and exposes the wrapped writer through Unwrap
// for http.ResponseController (Hijack, deadlines). Flush is implemented
// directly because SSE code usually asserts http.Flusher.
type statusWriter struct {
	http.ResponseWriter
	status       int
	bytes        int64
	beforeHeader func(http.Header)
}

// wrapWriter reuses an outer statusWriter (Recover inside Monitor) so the
// "has the response started" answer is the real one.
func wrapWriter(w http.ResponseWriter) *statusWriter {
	if sw, ok := w.(*statusWriter); ok {
		return sw
	}
	return &statusWriter{ResponseWriter: w}
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status != 0 {
		return // a second WriteHeader is a no-op in net/http too
	}
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		w.ResponseWriter.WriteHeader(code) // informational: not the final header
		return
	}
	w.status = code
	if w.beforeHeader != nil {
		w.beforeHeader(w.Header())
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Flush sends the header first (with our headers) and then flushes.
func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap is used by http.ResponseController.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// wroteHeader reports whether the response has started.
func (w *statusWriter) wroteHeader() bool { return w.status != 0 }
