package obs

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
