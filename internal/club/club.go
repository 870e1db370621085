// Package club holds the domain types shared by the store and the web layer:
// people, lakes, seasons, events, tournaments, results, boats, polls, news.
// Weights are integer hundredths of a pound, money integer cents.
package club

import (
	"database/sql/driver"
	"fmt"
	"time"
	_ "time/tzdata" // club time must work on hosts without zoneinfo
)

// TimeZone is the club's time zone; times are stored in UTC and shown in it.
const TimeZone = "America/Chicago"

// Location is the loaded club time zone.
var Location = mustLoad(TimeZone)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// tzdata may be missing on a minimal host; time/tzdata is embedded by main.
		panic(fmt.Sprintf("load time zone %s: %v", name, err))
	}
	return loc
}

// Date is a calendar day without a time (tournament date, dues paid-through).
// It scans from a DATE column on both databases and binds as "YYYY-MM-DD".
type Date struct{ time.Time }

// NewDate returns the day y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date like 2026-11-26", s)
	}
	return Date{t}, nil
}

// Today is the current day in club time.
func Today(now time.Time) Date {
	y, m, d := now.In(Location).Date()
	return NewDate(y, m, d)
}

// At is the instant the club's clocks read hhmm ("19:00") on day d; an
// empty or malformed hhmm means the start of the day.
func (d Date) At(hhmm string) time.Time {
	c, _ := time.Parse("15:04", hhmm) // zero on error: midnight
	return time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, Location).UTC()
}

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(time.DateOnly)
}

// Value binds the date as text, which both SQLite and PostgreSQL accept for DATE.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan accepts what the drivers return for a DATE column.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = NewDate(v.Year(), v.Month(), v.Day())
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("scan date from %T", src)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	p, err := ParseDate(s)
	*d = p
	return err
}

// Roles and positions.
const (
	FormatIndividual = "individual"
	FormatTeam       = "team"

	StatusScheduled = "scheduled"
	StatusWeighIn   = "weigh-in"
	StatusComplete  = "complete"
)

// Positions are the officer positions in bylaw order.
var Positions = []string{"president", "vice-president", "secretary", "treasurer",
	"tournament-director", "assistant-tournament-director", "media-director", "technology-director"}

// EventKinds are the kinds of calendar events.
var EventKinds = []string{"tournament", "meeting", "holiday", "external", "lake-event", "closure", "other"}
