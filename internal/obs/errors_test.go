package obs

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func newClock() *fakeClock { return &fakeClock{t: time.Date(2025, 5, 3, 6, 0, 0, 0, time.UTC)} }

func TestNormalizeMessage(t *testing.T) {
	cases := map[string]string{
		`result 17 for angler 204 not found`:           `result N for angler N not found`,
		`lake "Lake Travis" closed`:                    `lake ? closed`,
		`user 'bob' missing`:                           `user ? missing`,
		`token 3f2a9c1d77e0 expired`:                   `token <hex> expired`,
		`id 123e4567-e89b-12d3-a456-426614174000 gone`: `id <uuid> gone`,
		`mail to angler@example.com bounced`:           `mail to <email> bounced`,
		`context deadline exceeded`:                    `context deadline exceeded`,
		`weight 12.5 lb over limit`:                    `weight N lb over limit`,
	}
	for in, want := range cases {
		if got := NormalizeMessage(in); got != want {
			t.Errorf("NormalizeMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCaptureGroupsByFingerprint(t *testing.T) {
	clock := newClock()
	store := NewMemoryErrorStore()
	logFile := filepath.Join(t.TempDir(), "errors.jsonl")
	m := NewMetrics("v1")
	tr, err := NewTracker(TrackerConfig{Store: store, Logger: discardLogger(), Metrics: m,
		LogFile: logFile, Release: "v1", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx, info := withInfo(WithRequestID(context.Background(), "req-abcdef01"))
	info.route = "POST /results/{id}/"
	SetUserID(ctx, 5)
	ctx, _ = WithQueryStats(ctx)

	var first Group
	for i := range 3 { // same line, different ids: one group
		clock.Advance(time.Second)
		err := fmt.Errorf("save result %d: %w", 100+i, errors.New("weight 999 out of range"))
		g := tr.Capture(ctx, err, High)
		if i == 0 {
			first = g
		}
	}
	other := tr.Capture(ctx, &fs.PathError{Op: "open", Path: "/srv/media/x.jpg", Err: fs.ErrNotExist}, Low)

	groups, _ := store.ListGroups(ctx, false)
	if len(groups) != 2 {
		t.Fatalf("groups = %d, want 2: %+v", len(groups), groups)
	}
	var g Group
	for _, x := range groups {
		if x.Fingerprint == first.Fingerprint {
			g = x
		}
	}
	if g.Count != 3 || !g.FirstSeen.Equal(first.FirstSeen) || !g.LastSeen.Equal(clock.Now()) {
		t.Errorf("group count/first/last = %d %v %v", g.Count, g.FirstSeen, g.LastSeen)
	}
	if g.Type != "*errors.errorString" || other.Type != "*fs.PathError" {
		t.Errorf("types %q %q", g.Type, other.Type)
	}
	if !strings.HasPrefix(g.Location, "sabc/internal/obs/errors_test.go:") {
		t.Errorf("location %q is not module-relative", g.Location)
	}
	wantCtx := ErrorContext{Route: "POST /results/{id}/", RequestID: "req-abcdef01", UserID: 5, Release: "v1"}
	if g.Context != wantCtx {
		t.Errorf("context = %+v, want %+v", g.Context, wantCtx)
	}
	if g.Message != "save result N: weight N out of range" {
		t.Errorf("message %q", g.Message)
	}
	if got := counterValue(t, m, "errors_total", map[string]string{"severity": "high"}); got != 3 {
		t.Errorf("errors_total{high} = %v", got)
	}

	// Resolve hides the group; a new occurrence reopens it.
	if err := store.Resolve(ctx, g.Fingerprint); err != nil {
		t.Fatal(err)
	}
	if open, _ := store.ListGroups(ctx, false); len(open) != 1 {
		t.Errorf("open groups after resolve = %d", len(open))
	}
	tr.Close()

	f, err := os.Open(logFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		if line["fingerprint"] == "" || line["severity"] == "" || line["time"] == "" {
			t.Errorf("line %d incomplete: %v", n, line)
		}
	}
	if n != 4 {
		t.Errorf("error log lines = %d, want 4", n)
	}
}

func TestWrapHelpers(t *testing.T) {
	tr, _ := NewTracker(TrackerConfig{Logger: discardLogger()})
	ctx := WithTracker(context.Background(), tr)
	boom := errors.New("import row 12: bad weight")
	if err := Wrap(ctx, "import results", Medium, func() error { return boom }); err != boom {
		t.Errorf("Wrap changed the error: %v", err)
	}
	if err := Wrap(ctx, "noop", Low, func() error { return nil }); err != nil {
		t.Error(err)
	}
	if err := tr.Wrap(ctx, "method", Low, func() error { return boom }); err != boom {
		t.Error(err)
	}
	groups, _ := tr.Store().ListGroups(ctx, true)
	if len(groups) != 2 { // two call sites → two locations
		t.Fatalf("groups = %+v", groups)
	}
	ops := map[string]bool{}
	for _, g := range groups {
		ops[g.Context.Operation] = true
	}
	if !ops["import results"] || !ops["method"] {
		t.Errorf("operations = %v", ops)
	}
	// Without a tracker Wrap still returns the error.
	if err := Wrap(context.Background(), "x", Low, func() error { return boom }); err != boom {
		t.Error(err)
	}
	defer Time(ctx, "scoring")()
}
