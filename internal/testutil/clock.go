package testutil

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// Now is the fixed "today" tests run on: Wednesday 2026-11-25, noon in
// Austin — the demo club, generated relative to it, has complete
// tournaments before it and scheduled ones after. SABC_TEST_NOW (RFC 3339)
// moves it, so CI can prove no test depends on the day it runs.
var Now = testNow(os.Getenv("SABC_TEST_NOW"))

// Fixed is Now's default, for the few tests whose facts are about particular
// calendar days (daylight-saving offsets, a season hand-built for 2026): they
// run on FixedClock whatever SABC_TEST_NOW says.
var Fixed = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

// FixedClock is a fake clock stopped at Fixed.
func FixedClock() *Clock { return NewClock(Fixed) }

func testNow(v string) time.Time {
	if v == "" {
		return Fixed
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		panic(fmt.Sprintf("SABC_TEST_NOW=%q: want an RFC 3339 time like 2031-06-15T17:00:00Z", v))
	}
	return t.UTC()
}

// Clock is a fake clock: it stands still until the test moves it.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now reads the clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
