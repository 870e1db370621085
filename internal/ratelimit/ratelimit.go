// Package ratelimit owns request rate limiting (spec 03 §8): the route
// classes and their limits, the Limiter interface with an in-process and a
// Redis implementation, the client address behind trusted proxies, and the
// HTTP middleware that answers 429 with Retry-After.
//
// Both implementations use GCRA (a token bucket described by one timestamp):
// a class limit of N per period allows a burst of N and then one request
// every period/N. The in-process and Redis stores therefore behave the same,
// so switching deployment shape does not change what users experience.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Class is a route class; each class has its own limit and its own counters.
// The string value is stable and safe to use as a metrics label.
type Class string

// Route classes from spec 03 §8.
const (
	// Exempt requests are never counted (health checks, static files).
	Exempt        Class = "exempt"
	Login         Class = "login"
	Register      Class = "register"
	PasswordReset Class = "reset"
	Upload        Class = "upload" // uploads and imports
	Post          Class = "post"   // every other state-changing request
	Page          Class = "page"   // everything else
)

// Limit allows Requests per Per, as a burst of Requests refilling evenly.
type Limit struct {
	Requests int
	Per      time.Duration
}

// interval is the steady-state spacing between requests once the burst is spent.
func (l Limit) interval() time.Duration { return l.Per / time.Duration(l.Requests) }

func (l Limit) valid() bool { return l.Requests > 0 && l.Per > 0 }

func (l Limit) String() string { return fmt.Sprintf("%d/%s", l.Requests, l.Per) }

// Limits maps each counted class to its limit.
type Limits map[Class]Limit

// DefaultLimits returns the limits of spec 03 §8.
func DefaultLimits() Limits {
	return Limits{
		Login:         {5, 5 * time.Minute},
		Register:      {3, 10 * time.Minute},
		PasswordReset: {5, time.Hour},
		Upload:        {10, 5 * time.Minute},
		Post:          {20, time.Minute},
		Page:          {60, time.Minute},
	}
}

// validate rejects a limit table with a missing or nonsensical entry, so a
// configuration mistake shows up at start rather than as an unlimited route.
func (ls Limits) validate() error {
	for _, c := range []Class{Login, Register, PasswordReset, Upload, Post, Page} {
		l, ok := ls[c]
		if !ok {
			return fmt.Errorf("ratelimit: no limit for class %q", c)
		}
		if !l.valid() {
			return fmt.Errorf("ratelimit: class %q: invalid limit %s", c, l)
		}
	}
	return nil
}

// Decision is a limiter's answer for one request.
type Decision struct {
	Allowed bool
	// Limit is the class limit that was applied.
	Limit Limit
	// Remaining is how many more requests would be allowed right now;
	// -1 when unknown (the store failed and the limiter failed open).
	Remaining int
	// RetryAfter is how long to wait before the next request is allowed;
	// zero when Allowed.
	RetryAfter time.Duration
}

// Limiter decides whether one more request for key in class may proceed.
//
// Implementations fail open: when their store is unavailable they return an
// allowing Decision together with the error, so a cache outage never locks
// the club out of its own site; the error is for logging and health.
type Limiter interface {
	Allow(ctx context.Context, key string, class Class) (Decision, error)
}

// ErrUnknownClass is returned (with an allowing Decision) for a class that
// has no limit, which is a programming error in the classifier.
var ErrUnknownClass = errors.New("ratelimit: unknown class")

// allowUncounted is the Decision for requests that are not counted (exempt
// class, or a failed store when failing open).
func allowUncounted(l Limit) Decision { return Decision{Allowed: true, Limit: l, Remaining: -1} }
