package obs

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// A captured error reaches a Sentry endpoint (a real HTTP server standing in
// for sentry.io) grouped by our fingerprint, with personal data scrubbed.
func TestSentryForwardingScrubs(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	dsn := strings.Replace(srv.URL, "http://", "http://publickey@", 1) + "/42"
	forward, flush, err := NewSentry(dsn, "test", "v1")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTracker(TrackerConfig{Forward: forward, Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithRequestID(context.Background(), "req-sentry-1")
	g := tr.Capture(ctx, errors.New("login failed for ann@example.com with password hunter22"), High)
	flush()
	mu.Lock()
	defer mu.Unlock()
	all := strings.Join(bodies, "\n")
	if len(bodies) == 0 || !strings.Contains(all, g.Fingerprint) {
		t.Fatalf("Sentry did not receive the event with fingerprint %s: %q", g.Fingerprint, all)
	}
	for _, secret := range []string{"ann@example.com", "hunter22"} {
		if strings.Contains(all, secret) {
			t.Errorf("Sentry payload contains %q", secret)
		}
	}
	if !strings.Contains(all, "req-sentry-1") {
		t.Error("Sentry payload lacks the request id tag")
	}
}

func TestSentryBadDSN(t *testing.T) {
	if _, _, err := NewSentry("not a dsn", "test", "v1"); err == nil || !strings.Contains(err.Error(), "SENTRY_DSN") {
		t.Fatalf("err = %v, want a message naming SENTRY_DSN", err)
	}
}

func TestRedactStringPersonalData(t *testing.T) {
	cases := map[string]string{
		"login failed for ann@example.com":          "login failed for [REDACTED]@example.com",
		"bad password hunter22 for user":            "bad password [REDACTED] for user",
		"call (512) 555-1234 or +15125551234 today": "call [REDACTED] or [REDACTED] today",
		"postgres://u:pw@db:5432/x failed":          "postgres://[REDACTED]@db:5432/x failed",
		"tournament 17 has 40 results":              "tournament 17 has 40 results",
	}
	for in, want := range cases {
		if got := RedactString(in); got != want {
			t.Errorf("RedactString(%q) = %q, want %q", in, got, want)
		}
	}
}
