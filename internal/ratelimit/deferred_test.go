package ratelimit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestPageIfMissed_CountedOnlyWhenCharged: a deferred page costs nothing
// until its handler charges it; a charge counts once however often it is
// asked, per address and per account, and its refusal answers 429.
func TestPageIfMissed_CountedOnlyWhenCharged(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	limits := DefaultLimits()
	limits[Page] = Limit{Requests: 2, Per: time.Minute}
	l, err := NewMemory(MemoryConfig{Limits: limits, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	var charges int // how many of the handler's requests ask to be charged
	h := Middleware(l, func(*http.Request) Class { return PageIfMissed }, nil, testUserKey, nil)(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("miss") == "" {
				w.WriteHeader(http.StatusOK) // a cache hit: never charged
				return
			}
			charges++
			first, again := Charge(r), Charge(r)
			if first != again {
				t.Error("a second Charge gave another answer")
			}
			if first != nil {
				first.Write(w, r)
				return
			}
			w.WriteHeader(http.StatusOK)
		}))
	get := func(path string) int {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.RemoteAddr = "192.0.2.1:1000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code
	}
	for range 20 {
		if c := get("/"); c != http.StatusOK {
			t.Fatalf("uncharged page: %d", c)
		}
	}
	for i, want := range []int{200, 200, 429} {
		if c := get("/?miss=1"); c != want {
			t.Errorf("charged page %d: %d, want %d", i+1, c, want)
		}
	}
	if charges != 3 {
		t.Errorf("%d charges, want 3", charges)
	}
	if Charge(httptest.NewRequest(http.MethodGet, "/", nil)) != nil {
		t.Error("a request without a deferred count was refused")
	}
}

// TestPageIfMissed_KeyedLikeTheMiddleware: a deferred charge counts the keys
// the middleware would have counted on arrival — the client address behind
// a trusted proxy, and the account of a logged-in user — so one client's
// misses never spend another's allowance, and one account's misses are
// counted whatever address they come from.
func TestPageIfMissed_KeyedLikeTheMiddleware(t *testing.T) {
	limits := DefaultLimits()
	limits[Page] = Limit{Requests: 2, Per: time.Minute}
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	l, err := NewMemory(MemoryConfig{Limits: limits, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	trusted, err := ParseTrusted("127.0.0.1/32")
	if err != nil {
		t.Fatal(err)
	}
	h := Middleware(l, func(*http.Request) Class { return PageIfMissed }, trusted, testUserKey, nil)(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if f := Charge(r); f != nil {
				f.Write(w, r)
				return
			}
			w.WriteHeader(http.StatusOK)
		}))
	get := func(client, user string) int {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = "127.0.0.1:1000" // the proxy
		r.Header.Set("X-Forwarded-For", client)
		if user != "" {
			r = r.WithContext(context.WithValue(r.Context(), userCtxKey{}, user))
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code
	}
	for i, c := range []struct {
		client, user string
		want         int
	}{
		{"198.51.100.1", "", 200}, {"198.51.100.1", "", 200}, {"198.51.100.1", "", 429}, // A's two, then refused
		{"198.51.100.2", "", 200}, {"198.51.100.2", "", 200}, // B has its own
		{"198.51.100.3", "7", 200}, {"198.51.100.4", "7", 200}, {"198.51.100.5", "7", 429}, // account 7 from three addresses
	} {
		if got := get(c.client, c.user); got != c.want {
			t.Errorf("request %d (client %s, user %q): %d, want %d", i+1, c.client, c.user, got, c.want)
		}
	}
}
