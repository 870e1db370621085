package web

import (
	"net/http"

	"sabc/internal/ratelimit"
)

// Page requests are counted against the per-address Page limit only when
// they reach the database (ratelimit.PageIfMissed): rateClass defers them,
// cachePage charges a request only when the cache misses, and chargePage
// charges every other route before its handler. A ramp full of members
// reloading a cached page from one carrier address is never refused; an
// open live stream is one request however many events it carries.

// chargePage counts a deferred page request before h runs (h may query).
func chargePage(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f := ratelimit.Charge(r); f != nil {
			f.Write(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// errPageRefused is a cache loader's answer when its request was refused by
// the Page limit: nothing is stored, and requests that were only waiting for
// that load render (and are counted) themselves.
type errPageRefused struct{ *ratelimit.Refusal }

func (errPageRefused) Error() string { return "page request refused by the rate limit" }
