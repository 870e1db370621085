package obs

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// logLines decodes JSON log output.
func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(buf)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("bad log line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func findLine(lines []map[string]any, msg string) map[string]any {
	for _, l := range lines {
		if l["msg"] == msg {
			return l
		}
	}
	return nil
}

func TestAccessLogAndHeaders(t *testing.T) {
	var buf bytes.Buffer
	logger := NewLogger("production", &buf, slog.LevelInfo)
	db := openSQLite(t, &QueryHook{})
	mon := &Monitor{
		Logger: logger, Development: true, HighQueryCount: 2,
		CacheHits: func(context.Context) int { return 3 },
		UserID:    func(context.Context) int64 { return 0 },
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /standings/{season}/", func(w http.ResponseWriter, r *http.Request) {
		SetUserID(r.Context(), 42)
		for range 3 {
			var one int
			if err := db.QueryRowContext(r.Context(), "SELECT 1").Scan(&one); err != nil {
				t.Error(err)
			}
		}
		io.WriteString(w, "standings")
	})
	h := RequestIDMiddleware(mon.Middleware(CaptureRoute(mux)))
	req := httptest.NewRequest("GET", "/standings/2024/", nil)
	req.Header.Set(RequestIDHeader, "lb-abcdef12")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	if got := rec.Header().Get(RequestIDHeader); got != "lb-abcdef12" {
		t.Errorf("request id echoed = %q", got)
	}
	if got := rec.Header().Get("X-DB-Query-Count"); got != "3" {
		t.Errorf("X-DB-Query-Count = %q, want 3", got)
	}
	if rec.Header().Get("X-Execution-Time") == "" {
		t.Error("X-Execution-Time missing in development")
	}
	st := rec.Header().Get("Server-Timing")
	for _, want := range []string{"db;dur=", `desc="3 queries"`, "cache;dur=", `desc="3 hits"`, "app;dur=", "total;dur="} {
		if !strings.Contains(st, want) {
			t.Errorf("Server-Timing %q lacks %q", st, want)
		}
	}

	lines := logLines(t, &buf)
	access := findLine(lines, "request")
	if access == nil {
		t.Fatalf("no access line in %v", lines)
	}
	want := map[string]any{"method": "GET", "route": "GET /standings/{season}/", "status": 200.0,
		"bytes": 9.0, "queries": 3.0, "cache_hits": 3.0, "request_id": "lb-abcdef12", "user_id": 42.0}
	for k, v := range want {
		if access[k] != v {
			t.Errorf("access[%s] = %v, want %v", k, access[k], v)
		}
	}
	for _, k := range []string{"duration_ms", "query_ms"} {
		if _, ok := access[k]; !ok {
			t.Errorf("access line lacks %s", k)
		}
	}
	if w := findLine(lines, "high query count"); w == nil || w["queries"] != 3.0 {
		t.Errorf("high query count warning = %v", w)
	}
}

func TestHeadersOnEmptyResponse(t *testing.T) {
	mon := &Monitor{Logger: discardLogger(), Development: true}
	rec := httptest.NewRecorder()
	mon.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})).
		ServeHTTP(rec, httptest.NewRequest("HEAD", "/", nil))
	if rec.Code != 200 || rec.Header().Get("Server-Timing") == "" || rec.Header().Get("X-DB-Query-Count") != "0" {
		t.Errorf("handler that wrote nothing: %d %v", rec.Code, rec.Header())
	}
}

func TestProductionHasNoDebugHeaders(t *testing.T) {
	mon := &Monitor{Logger: discardLogger()}
	rec := httptest.NewRecorder()
	mon.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})).ServeHTTP(rec, httptest.NewRequest("POST", "/x", nil))
	if rec.Code != 201 || rec.Header().Get("Server-Timing") == "" {
		t.Errorf("code %d, Server-Timing %q", rec.Code, rec.Header().Get("Server-Timing"))
	}
	if rec.Header().Get("X-DB-Query-Count") != "" || rec.Header().Get("X-Execution-Time") != "" {
		t.Error("debug headers sent outside development")
	}
}

// Server-sent events need Flush through the wrapper, with our headers
// already on the first flushed bytes.
func TestFlushThroughMonitor(t *testing.T) {
	mon := &Monitor{Logger: discardLogger(), Development: true}
	got := make(chan string, 1)
	h := mon.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := w.(http.Flusher)
		if !ok {
			t.Error("wrapper is not an http.Flusher")
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: one\n\n")
		f.Flush()
		<-r.Context().Done()
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Server-Timing") == "" || resp.Header.Get("X-DB-Query-Count") != "0" {
		t.Errorf("headers missing on streamed response: %v", resp.Header)
	}
	go func() {
		line, _ := bufio.NewReader(resp.Body).ReadString('\n')
		got <- line
	}()
	select {
	case line := <-got:
		if line != "data: one\n" {
			t.Errorf("first line %q", line)
		}
	case <-ctx.Done():
		t.Fatal("flushed event never arrived")
	}
	// ResponseController reaches the real writer through Unwrap.
	if err := http.NewResponseController(&statusWriter{ResponseWriter: httptest.NewRecorder()}).Flush(); err != nil {
		t.Errorf("ResponseController.Flush: %v", err)
	}
}

func TestRequestIDValidation(t *testing.T) {
	var seen string
	h := RequestIDMiddleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = RequestID(r.Context())
	}))
	for in, keep := range map[string]bool{
		"abcDEF12":                  true,
		"a.b_c-d.1234":              true,
		"short":                     false,
		"has space in it":           false,
		"<script>alert(1)</script>": false,
		strings.Repeat("a", 65):     false,
		"":                          false,
	} {
		req := httptest.NewRequest("GET", "/", nil)
		if in != "" {
			req.Header.Set(RequestIDHeader, in)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		out := rec.Header().Get(RequestIDHeader)
		if out != seen {
			t.Errorf("%q: header %q != context %q", in, out, seen)
		}
		if keep && out != in {
			t.Errorf("%q was replaced by %q", in, out)
		}
		if !keep && (out == in || !ValidRequestID(out)) {
			t.Errorf("%q: got %q, want a fresh valid id", in, out)
		}
	}
}

// timingHeadersFmt is timingHeaders as it was written with fmt; the
// appending version must write the same bytes.
func timingHeadersFmt(m *Monitor, ctx context.Context, h http.Header, qs *QueryStats, total time.Duration) {
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

func TestTimingHeadersAsFormatted(t *testing.T) {
	durations := []time.Duration{0, time.Microsecond, 4999 * time.Nanosecond, 5 * time.Microsecond,
		1234567 * time.Nanosecond, 15 * time.Millisecond, 3*time.Second + 5*time.Microsecond, 90 * time.Minute}
	monitors := []*Monitor{{}, {Development: true},
		{Development: true, CacheHits: func(context.Context) int { return 12 }},
		{CacheTime: func(context.Context) time.Duration { return 2500 * time.Microsecond }},
		{Development: true, CacheHits: func(context.Context) int { return 0 },
			CacheTime: func(context.Context) time.Duration { return 7 * time.Millisecond }}}
	for i, m := range monitors {
		for _, hidden := range []bool{false, true} {
			for _, db := range durations {
				for _, total := range durations {
					ctx, _ := withInfo(context.Background())
					if hidden {
						HideQueryCounts(ctx)
					}
					qs := &QueryStats{}
					for range i * 3 {
						qs.add(db/time.Duration(max(i*3, 1)), i%2 == 0)
					}
					qs.addWriteTx()
					got, want := http.Header{"Server-Timing": {"edge;dur=1"}}, http.Header{"Server-Timing": {"edge;dur=1"}}
					m.timingHeaders(ctx, got, qs, total)
					timingHeadersFmt(m, ctx, want, qs, total)
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("monitor %d, hidden %v, db %s, total %s:\n got %q\nwant %q", i, hidden, db, total, got, want)
					}
				}
			}
		}
	}
}

// The keys written into header maps directly are the ones Header.Set
// would have stored.
func TestHeaderKeysCanonical(t *testing.T) {
	for written, spelled := range map[string]string{requestIDKeyCanonical: RequestIDHeader,
		hdrQueryCount: "X-DB-Query-Count", hdrWriteTxs: "X-DB-Write-Transactions", hdrExecTime: "X-Execution-Time",
		hdrServerTiming: "Server-Timing"} {
		if want := http.CanonicalHeaderKey(spelled); written != want {
			t.Errorf("%s is written as %q; Header.Set stores %q", spelled, written, want)
		}
	}
}
