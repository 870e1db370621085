package ratelimit

import (
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
