package ratelimit

import (
	"context"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// PageIfMissed is a page request that may be answered without the database
// (a shared page cache hit). Middleware does not count it on arrival: it
// leaves a charge in the request's context, and the handler calls Charge
// once it knows the request must reach the database. A page served from the
// cache costs nothing, so members reloading the live board from one carrier
// address or hotspot are not refused for it; every request that does reach
// the database is still counted against the Page limit. A handler that never
// calls Charge leaves the request unlimited, so the web layer charges every
// route that is not a cached page before its handler runs.
const PageIfMissed Class = "page-if-missed"

// charge is a deferred Page count: the keys the middleware would have
// counted (worked out from the request as it arrived there), counted at
// most once.
type charge struct {
	l        Limiter
	arrived  *http.Request
	trusted  []netip.Prefix
	userKey  func(context.Context) string
	onReject func(*http.Request, Class)

	once    sync.Once
	refusal *Refusal
}

type chargeKey struct{}

func withCharge(ctx context.Context, c *charge) context.Context {
	return context.WithValue(ctx, chargeKey{}, c)
}

// Refusal is a counted request the Page limit refused.
type Refusal struct{ RetryAfter time.Duration }

// Write answers the refused request with 429 and Retry-After.
func (f *Refusal) Write(w http.ResponseWriter, r *http.Request) { reject(w, r, f.RetryAfter) }

// Charge counts r against the Page limit if its count was deferred
// (PageIfMissed) and not yet taken; nil means go on. A second call returns
// the first call's answer without counting again. Requests that were counted
// on arrival, or not limited at all, always get nil.
func Charge(r *http.Request) *Refusal {
	c, _ := r.Context().Value(chargeKey{}).(*charge)
	if c == nil {
		return nil
	}
	c.once.Do(func() {
		for _, k := range requestKeys(c.arrived, c.trusted, c.userKey) {
			// As in Middleware: the first refusal stops, so it does not
			// also spend the other key's allowance.
			if d, _ := c.l.Allow(r.Context(), k, Page); !d.Allowed {
				if c.onReject != nil {
					c.onReject(r, Page)
				}
				c.refusal = &Refusal{RetryAfter: d.RetryAfter}
				return
			}
		}
	})
	return c.refusal
}
