package obs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestTracker_ClientCancelledRequestIsNeverAnErrorGroup: a client that went
// away while its request waited (context.Canceled, wrapped or only on the
// request's context) is not a server error: no group, no alert count.
func TestTracker_ClientCancelledRequestIsNeverAnErrorGroup(t *testing.T) {
	st := NewMemoryErrorStore()
	tr, err := NewTracker(TrackerConfig{Store: st, Logger: discardLogger(), Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	gone, cancel := context.WithCancel(WithTracker(context.Background(), tr))
	cancel()
	tr.Capture(context.Background(), fmt.Errorf("shared cache fill: %w", context.Canceled), High)
	tr.Capture(gone, errors.New("read rows: interrupted"), High)
	_ = tr.Wrap(gone, "load page", High, func() error { return errors.New("query cancelled") })
	_ = Wrap(gone, "load page", High, func() error { return context.Canceled })
	Capture(gone, errors.New("conn closed"), High)
	if groups, _ := st.ListGroups(context.Background(), true); len(groups) != 0 {
		t.Fatalf("captured %d groups for cancelled requests (first %q), want none", len(groups), groups[0].Sample)
	}
	// A real failure is still captured.
	tr.Capture(context.Background(), errors.New("template exploded"), High)
	if groups, _ := st.ListGroups(context.Background(), true); len(groups) != 1 {
		t.Fatalf("a real error: %d groups, want 1", len(groups))
	}
}

// TestMonitor_AbortedRequestIsLogged499AtInfo: a /health/ probe whose client
// went away makes the handler answer 503 (its checks were cancelled); the
// access line must say 499 at INFO, not ERROR 503.
func TestMonitor_AbortedRequestIsLogged499AtInfo(t *testing.T) {
	var buf bytes.Buffer
	m := &Monitor{Logger: slog.New(slog.NewJSONHandler(&buf, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cancel() // the client disconnects while the checks run
		<-r.Context().Done()
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/health/", nil).WithContext(ctx))
	line := findLine(logLines(t, &buf), "request")
	if line == nil {
		t.Fatal("no access line")
	}
	if line["level"] != "INFO" || line["status"] != float64(StatusClientClosedRequest) {
		t.Errorf("aborted request logged as %v %v, want INFO 499", line["level"], line["status"])
	}
}

// TestOutage_LogsOncePerStateChangeAndProbesUntilBack: many failures make
// one "unavailable" line, the probe notices the return by itself and logs
// one "available again" line.
func TestOutage_LogsOncePerStateChangeAndProbesUntilBack(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	up := false
	o := &Outage{Name: "database", ProbeEvery: 5 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
			mu.Lock()
			defer mu.Unlock()
			return buf.Write(p)
		}), nil)),
		Probe: func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			if !up {
				return errors.New("connection refused")
			}
			return nil
		}}
	defer o.Close()
	for range 20 {
		o.Down(context.Background(), errors.New("connection refused"))
	}
	mu.Lock()
	up = true
	mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for o.IsDown() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	if o.IsDown() {
		t.Fatalf("the probe never saw the database back\n%s", out)
	}
	if n := strings.Count(out, `msg="database unavailable"`); n != 1 {
		t.Errorf("%d unavailable lines for 20 failures, want 1\n%s", n, out)
	}
	if n := strings.Count(out, `msg="database available again"`); n != 1 {
		t.Errorf("%d available-again lines, want 1\n%s", n, out)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
