package obs

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
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
		mr := m.begin(r.Context(), w)
		ctx := context.Context(&mr.ctx)
		if m.Tracker != nil {
			ctx = WithTracker(ctx, m.Tracker)
		}
		if m.Prepare != nil {
			ctx = m.Prepare(ctx)
		}
		mr.headerCtx = ctx
		r2 := r.WithContext(ctx)
		sw, info, qs := &mr.sw, mr.ctx.info, &mr.qs

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
			m.finish(ctx, r2, route, status, sw.bytes, m.clock().Sub(mr.start), qs, info)
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

// monitored is one request's monitoring state, made in one allocation
// (this runs on every request, the trivial ones included): the context node
// carrying the request holder and the query stats, and the status writer.
type monitored struct {
	m         *Monitor
	start     time.Time
	ctx       monitorContext
	headerCtx context.Context // the handler's context, for the timing headers
	info      requestInfo     // unused when an outer layer made the holder
	qs        QueryStats
	sw        statusWriter
}

// begin is withInfo and WithQueryStats in one step: the request holder of
// an outer layer is kept, and the stats nest in any enclosing ones.
func (m *Monitor) begin(parent context.Context, w http.ResponseWriter) *monitored {
	mr := &monitored{m: m, start: m.clock()}
	info := infoFrom(parent)
	if info == nil {
		info = &mr.info
	}
	mr.qs.parent = QueryStatsFrom(parent)
	mr.ctx = monitorContext{Context: parent, info: info, qs: &mr.qs}
	// Headers are computed at WriteHeader time: afterwards they can no
	// longer be changed, so later queries only reach the log line.
	mr.sw = statusWriter{ResponseWriter: w, timing: mr}
	return mr
}

// monitorContext answers for two context keys at once, as two nested
// context.WithValue would.
type monitorContext struct {
	context.Context
	info *requestInfo
	qs   *QueryStats
}

func (c *monitorContext) Value(key any) any {
	switch key {
	case infoKey:
		return c.info
	case queryStatsKey:
		return c.qs
	}
	return c.Context.Value(key)
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
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs,
		slog.String("method", r.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Int64("bytes", bytes),
		slog.Float64("duration_ms", ms(d)),
		slog.Int("queries", qs.Count()),
		slog.Float64("query_ms", ms(qs.Duration())))
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
	if l.Enabled(ctx, level) {
		// l.LogAttrs without the caller's program counter, which costs a
		// stack walk per request and which no handler of ours prints.
		rec := slog.NewRecord(time.Now(), level, "request", 0)
		rec.AddAttrs(attrs...)
		_ = l.Handler().Handle(ctx, rec)
	}
	limit := m.HighQueryCount
	if limit <= 0 {
		limit = DefaultHighQueryCount
	}
	if n := qs.Count(); n > limit {
		l.WarnContext(ctx, "high query count", "route", route, "queries", n, "threshold", limit)
	}
}

// Debug header keys in canonical form, so setting them costs no
// canonicalisation on every request (net/http sends them so spelled anyway).
const (
	hdrQueryCount   = "X-Db-Query-Count"        // X-DB-Query-Count
	hdrWriteTxs     = "X-Db-Write-Transactions" // X-DB-Write-Transactions
	hdrExecTime     = "X-Execution-Time"
	hdrServerTiming = "Server-Timing"
)

// timingHeaders writes Server-Timing (always) and the development debug
// headers; a request marked HideQueryCounts gets only the total. "app" is total minus database and cache time: mostly rendering.
// Durations are milliseconds with two decimals (what %.2f writes), appended
// to one buffer: this runs on every request.
func (m *Monitor) timingHeaders(ctx context.Context, h http.Header, qs *QueryStats, total time.Duration) {
	b := make([]byte, 0, 128)
	if countsHidden(ctx) {
		b = appendMS(append(b, "total;dur="...), total)
		h[hdrServerTiming] = append(h[hdrServerTiming], string(b))
		return
	}
	db := qs.Duration()
	var cache time.Duration
	if m.CacheTime != nil {
		cache = m.CacheTime(ctx)
	}
	b = appendMS(append(b, "db;dur="...), db)
	b = strconv.AppendInt(append(b, `;desc="`...), int64(qs.Count()), 10)
	b = append(b, ` queries"`...)
	if m.CacheHits != nil || m.CacheTime != nil {
		b = appendMS(append(b, ", cache;dur="...), cache)
		if m.CacheHits != nil {
			b = strconv.AppendInt(append(b, `;desc="`...), int64(m.CacheHits(ctx)), 10)
			b = append(b, ` hits"`...)
		}
	}
	app := max(total-db-cache, 0)
	b = appendMS(append(b, ", app;dur="...), app)
	b = appendMS(append(b, ", total;dur="...), total)
	h[hdrServerTiming] = append(h[hdrServerTiming], string(b))
	if m.Development {
		h[hdrQueryCount] = []string{strconv.Itoa(qs.Count())}
		h[hdrWriteTxs] = []string{strconv.Itoa(qs.WriteTransactions())}
		h[hdrExecTime] = []string{string(append(appendMS(b[:0], total), "ms"...))}
	}
}

// appendMS appends d in milliseconds as fmt's %.2f would.
func appendMS(b []byte, d time.Duration) []byte {
	return strconv.AppendFloat(b, ms(d), 'f', 2, 64)
}

// statusWriter records status and size, writes the timing headers once
// just before the header is sent, and exposes the wrapped writer through Unwrap
// for http.ResponseController (Hijack, deadlines). Flush is implemented
// directly because SSE code usually asserts http.Flusher.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	timing *monitored // nil: no timing headers (a writer of Recover's own)
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
	if t := w.timing; t != nil {
		t.m.timingHeaders(t.headerCtx, w.Header(), &t.qs, t.m.clock().Sub(t.start))
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
