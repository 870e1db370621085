package obs

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sabc/internal/mail"
)

type switchable struct{ err error }

func (s *switchable) ping(context.Context) error { return s.err }

func newTestHealth(db, cache *switchable) *Health {
	h := NewHealth(HealthConfig{Version: "v9", Environment: "production", Logger: discardLogger(),
		Authorized: func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer t" }})
	h.Register(
		PingCheck("database", true, true, db.ping),
		PingCheck("cache", false, true, cache.ping),
		Check{Name: "static_files", Check: func(context.Context) (Status, string) { return StatusHealthy, "ok" }},
	)
	return h
}

func getHealth(t *testing.T, h http.Handler, path string, auth bool) (int, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if auth {
		req.Header.Set("Authorization", "Bearer t")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func TestDetailedHealthStates(t *testing.T) {
	db, cache := &switchable{}, &switchable{}
	h := newTestHealth(db, cache)
	decode := func(body string) Report {
		var r Report
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		return r
	}

	code, body := getHealth(t, h.DetailedHandler(), "/health/", false)
	r := decode(body)
	if code != 200 || r.Status != StatusHealthy || r.Version != "v9" || r.Environment != "production" ||
		r.Uptime == "" || len(r.Checks) != 3 {
		t.Errorf("healthy: %d %+v", code, r)
	}

	cache.err = errors.New("dial tcp 10.0.0.5:6379: connection refused")
	code, body = getHealth(t, h.DetailedHandler(), "/health/", false)
	if r = decode(body); code != 200 || r.Status != StatusDegraded || r.Checks["cache"].Status != StatusDegraded {
		t.Errorf("cache down: %d %+v", code, r)
	}

	db.err = errors.New("open /tmp/secret/path: boom")
	code, body = getHealth(t, h.DetailedHandler(), "/health/", false)
	if r = decode(body); code != 503 || r.Status != StatusUnhealthy || r.Checks["database"].Status != StatusUnhealthy {
		t.Errorf("db down: %d %+v", code, r)
	}
	for _, leak := range []string{"/tmp/secret/path", "boom", "connection refused", `"message"`} {
		if strings.Contains(body, leak) {
			t.Errorf("anonymous output contains %q:\n%s", leak, body)
		}
	}

	_, body = getHealth(t, h.DetailedHandler(), "/health/", true)
	if !strings.Contains(body, "/tmp/secret/path: boom") || !strings.Contains(body, "connection refused") {
		t.Errorf("authorized output lacks detail:\n%s", body)
	}
}

func TestReadinessAndLiveness(t *testing.T) {
	db, cache := &switchable{}, &switchable{}
	h := newTestHealth(db, cache)
	if code, body := getHealth(t, h.LivenessHandler(), "/health/liveness/", false); code != 200 || body != "OK\n" {
		t.Errorf("liveness %d %q", code, body)
	}
	if code, body := getHealth(t, h.ReadinessHandler(), "/health/readiness/", false); code != 200 || body != "OK\n" {
		t.Errorf("readiness %d %q", code, body)
	}
	cache.err = errors.New("down") // non-critical: degraded, still ready
	if code, _ := getHealth(t, h.ReadinessHandler(), "/health/readiness/", false); code != 200 {
		t.Errorf("readiness with cache degraded = %d, want 200", code)
	}
	db.err = errors.New("open /var/lib/sabc/db: locked")
	code, body := getHealth(t, h.ReadinessHandler(), "/health/readiness/", false)
	if code != 503 || body != "database\n" {
		t.Errorf("readiness with db down = %d %q, want 503 \"database\"", code, body)
	}
	db.err = nil
	h.SetShuttingDown()
	if code, _ := getHealth(t, h.ReadinessHandler(), "/health/readiness/", false); code != 503 {
		t.Errorf("readiness while shutting down = %d", code)
	}
	if code, _ := getHealth(t, h.LivenessHandler(), "/health/liveness/", false); code != 200 {
		t.Errorf("liveness while shutting down = %d", code)
	}
}

func TestCheckTimeoutAndPanic(t *testing.T) {
	h := NewHealth(HealthConfig{Logger: discardLogger()})
	h.Register(
		Check{Name: "slow", Critical: true, Timeout: 20 * time.Millisecond, Check: func(ctx context.Context) (Status, string) {
			<-ctx.Done()
			time.Sleep(time.Second) // ignores ctx a while: must not delay the report
			return StatusHealthy, ""
		}},
		Check{Name: "panics", Check: func(context.Context) (Status, string) { panic("oops") }},
	)
	start := time.Now()
	rep := h.Run(context.Background(), false)
	if time.Since(start) > 500*time.Millisecond {
		t.Errorf("report waited for the overrunning check: %v", time.Since(start))
	}
	if rep.Checks["slow"].Status != StatusUnhealthy || rep.Checks["panics"].Status != StatusUnhealthy ||
		rep.Status != StatusUnhealthy {
		t.Errorf("%+v", rep)
	}
}

func TestAlertOnStateChangeOnly(t *testing.T) {
	db, cache := &switchable{}, &switchable{}
	h := newTestHealth(db, cache)
	rec := &mail.Recorder{}
	to := []string{"ops@example.org"}
	ctx := context.Background()
	run := func() bool { _, changed := h.AlertOnChange(ctx, rec, to); return changed }

	run()
	run()
	if n := len(rec.Sent()); n != 0 {
		t.Fatalf("mails while healthy = %d", n)
	}
	db.err = errors.New("down")
	run()
	run()
	run()
	cache.err = errors.New("down") // still unhealthy: no new mail
	run()
	if n := len(rec.Sent()); n != 1 {
		t.Fatalf("mails after one change = %d, want 1", n)
	}
	if s := rec.Sent()[0].Subject; !strings.Contains(s, "healthy → unhealthy") {
		t.Errorf("subject %q", s)
	}
	db.err = nil
	run() // → degraded
	cache.err = nil
	run() // → healthy
	run()
	sent := rec.Sent()
	if len(sent) != 3 || !strings.Contains(sent[2].Subject, "degraded → healthy") {
		t.Errorf("mails %d, last %q", len(sent), sent[len(sent)-1].Subject)
	}
	if !strings.Contains(sent[0].Text, "database") {
		t.Errorf("alert text lacks check table:\n%s", sent[0].Text)
	}
}

func TestBuiltinChecks(t *testing.T) {
	ctx := context.Background()
	if s, msg := DiskSpaceCheck(t.TempDir(), 0).Check(ctx); s == StatusUnhealthy || !strings.Contains(msg, "used") {
		t.Errorf("disk: %s %q", s, msg)
	}
	if s, _ := DiskSpaceCheck("/no/such/dir", 0).Check(ctx); s != StatusDegraded {
		t.Errorf("disk on missing dir: %s", s)
	}
	if s, _ := DiskSpaceCheck(t.TempDir(), 0.0000001).Check(ctx); s != StatusDegraded {
		t.Errorf("disk over a tiny threshold: %s", s)
	}
	if s, _ := MemoryCheck(1, 0).Check(ctx); s != StatusDegraded { // 1-byte limit: over
		t.Errorf("memory over limit: %s", s)
	}
	if s, msg := MemoryCheck(1<<50, 0).Check(ctx); s != StatusHealthy {
		t.Errorf("memory under limit: %s %q", s, msg)
	}
	if s, msg := usageStatus("disk", 95, 100, 0.9); s != StatusDegraded || !strings.Contains(msg, "95.0%") {
		t.Errorf("95%%: %s %q", s, msg)
	}
	if s, _ := usageStatus("disk", 89, 100, 0.9); s != StatusHealthy {
		t.Errorf("89%%: %s", s)
	}

	if s, _ := EmailCheck(NewTrackedMailer(nil)).Check(ctx); s != StatusDegraded {
		t.Errorf("email unconfigured: %s", s)
	}
	rec := &mail.Recorder{}
	tm := NewTrackedMailer(rec)
	check := EmailCheck(tm)
	if s, _ := check.Check(ctx); s != StatusHealthy {
		t.Errorf("email configured: %s", s)
	}
	rec.Err = errors.New("smtp: 421 try later")
	_ = tm.Send(ctx, mail.Message{To: []string{"a@b.c"}})
	if s, msg := check.Check(ctx); s != StatusDegraded || !strings.Contains(msg, "421") {
		t.Errorf("email after failure: %s %q", s, msg)
	}
	rec.Err = nil
	_ = tm.Send(ctx, mail.Message{To: []string{"a@b.c"}})
	if s, _ := check.Check(ctx); s != StatusHealthy {
		t.Errorf("email after recovery: %s", s)
	}
	if s, _ := StaticFilesCheck(func() error { return errors.New("missing app.css") }).Check(ctx); s != StatusDegraded {
		t.Errorf("static: %s", s)
	}
	if c := JobsCheck(func(context.Context) (Status, string) { return StatusDegraded, "late" }); c.Name != "jobs" {
		t.Errorf("jobs check name %q", c.Name)
	}
}
