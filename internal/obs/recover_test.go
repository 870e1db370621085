package obs

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRecoverRendersFriendly500(t *testing.T) {
	var buf bytes.Buffer
	logger := NewLogger("production", &buf, slog.LevelInfo)
	tr, _ := NewTracker(TrackerConfig{Logger: logger})
	mon := &Monitor{Logger: logger}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /boom/{id}/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=600")
		var m map[string]int
		m["/srv/secret/internal"]++ // nil map write: a runtime panic
	})
	var gotID string
	render := func(w http.ResponseWriter, r *http.Request, status int, id string) {
		gotID = id
		w.WriteHeader(status)
		w.Write([]byte("Something went wrong. Request " + id))
	}
	h := RequestIDMiddleware(mon.Middleware(Recover(tr, render)(CaptureRoute(mux))))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/boom/3/", nil))

	if rec.Code != 500 {
		t.Fatalf("status %d", rec.Code)
	}
	id := rec.Header().Get(RequestIDHeader)
	if gotID != id || !strings.Contains(rec.Body.String(), id) {
		t.Errorf("page/request id mismatch: %q vs %q", gotID, id)
	}
	if strings.Contains(rec.Body.String(), "nil map") || strings.Contains(rec.Body.String(), "/srv") {
		t.Errorf("internals leaked: %s", rec.Body.String())
	}
	if rec.Header().Get("Cache-Control") == "public, max-age=600" {
		t.Error("failed page's cache header kept on the error page")
	}
	groups, _ := tr.Store().ListGroups(t.Context(), true)
	if len(groups) != 1 {
		t.Fatalf("groups %+v", groups)
	}
	g := groups[0]
	if g.Severity != Critical || !strings.HasPrefix(g.Location, "sabc/internal/obs/recover_test.go:") ||
		g.Context.Route != "GET /boom/{id}/" || g.Context.RequestID != id {
		t.Errorf("panic group %+v", g)
	}
	lines := logLines(t, &buf)
	if a := findLine(lines, "request"); a == nil || a["status"] != 500.0 || a["route"] != "GET /boom/{id}/" {
		t.Errorf("access line %v", a)
	}
}

func TestRecoverDefaultPageAndNilTracker(t *testing.T) {
	h := RequestIDMiddleware(Recover(nil, nil)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("kaboom at /etc/passwd")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "Request ID: "+rec.Header().Get(RequestIDHeader)) ||
		strings.Contains(rec.Body.String(), "kaboom") {
		t.Errorf("%d %q", rec.Code, rec.Body.String())
	}
}

func TestRecoverAfterHeadersAborts(t *testing.T) {
	h := Recover(nil, nil)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("partial"))
		panic("late")
	}))
	defer func() {
		if p := recover(); p != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", p)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}
