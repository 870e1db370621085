package cache

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// logBuf collects slog output so tests can count state-change lines.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) count(msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), `msg="`+msg+`"`)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var prefixSeq atomic.Int64

// uniquePrefix keeps tests (and repeated runs) from seeing each other's keys
// on shared servers.
func uniquePrefix(t testing.TB) string {
	return fmt.Sprintf("test:%s:%d:%d:", t.Name(), time.Now().UnixNano(), prefixSeq.Add(1))
}

// newTiered builds a cache with test-friendly timings and a captured log.
func newTiered(t testing.TB, o Options) (*Tiered, *logBuf) {
	t.Helper()
	lb := &logBuf{}
	if o.KeyPrefix == "" {
		o.KeyPrefix = uniquePrefix(t)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(lb, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if o.ProbeInterval == 0 {
		o.ProbeInterval = 50 * time.Millisecond
	}
	if o.WarmDebounce == 0 {
		o.WarmDebounce = 10 * time.Millisecond
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, lb
}

// waitSubscribed waits until the pub/sub subscription is live, so a test's
// first Bump cannot race the SUBSCRIBE.
func waitSubscribed(t testing.TB, c *Tiered) {
	t.Helper()
	eventually(t, 5*time.Second, "pub/sub subscribed", c.subscribed.Load)
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// source is a fake page renderer: it returns the current "database" value
// and counts renders.
type source struct {
	mu    sync.Mutex
	val   string
	calls atomic.Int64
}

func (s *source) set(v string) { s.mu.Lock(); s.val = v; s.mu.Unlock() }

func (s *source) load(context.Context) ([]byte, error) {
	s.calls.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	return []byte(s.val), nil
}

func get(t testing.TB, c *Tiered, k Key, load Loader) string {
	t.Helper()
	v, err := c.GetOrLoad(context.Background(), k, time.Minute, load)
	if err != nil {
		t.Fatalf("GetOrLoad %s: %v", k.Name, err)
	}
	return string(v)
}

func tierStatus(c *Tiered, name string) TierStatus {
	for _, s := range c.Status() {
		if s.Name == name {
			return s
		}
	}
	return TierStatus{}
}
