package club

import (
	"fmt"
	"sort"
	"time"
)

// The club's regular schedule (01-domain §3.10): a tournament on the last
// Sunday of every month, a meeting on the first Monday, 19:00–20:00. The
// demo club and the officers' schedule generator both use these.
const (
	MeetingStart    = "19:00"
	MeetingEnd      = "20:00"
	TournamentStart = "06:30" // safe light at the ramp
	TournamentEnd   = "14:30" // weigh-in

	MeetingTitle       = "Monthly meeting"
	MeetingDescription = "Lake vote, results and club business."
)

// FishingMonths are the months the club holds a tournament and a meeting:
// all twelve (Central Texas lakes fish all year).
var FishingMonths = []time.Month{time.January, time.February, time.March, time.April, time.May, time.June,
	time.July, time.August, time.September, time.October, time.November, time.December}

// TournamentDay is the month's regular tournament day: its last Sunday.
func TournamentDay(year int, m time.Month) Date { return LastWeekday(year, m, time.Sunday) }

// MeetingDay is the month's regular meeting day: its first Monday.
func MeetingDay(year int, m time.Month) Date { return NthWeekday(year, m, time.Monday, 1) }

// ScheduleItem is one event the generator proposes for a season.
type ScheduleItem struct {
	Event    Event    // what would be created
	Existing *Event   // a stored event that already covers it: nothing is created
	Warnings []string // e.g. "Labor Day: the meeting falls on a holiday"
}

// Missing reports whether the item would be created.
func (it ScheduleItem) Missing() bool { return it.Existing == nil }

// PlanSchedule proposes a year's regular tournaments, meetings and holidays
// and matches them against the events already stored that year. A month
// that already has a tournament (or meeting) — on any day, cancelled or not
// — keeps it and gets no second one: an officer who moved April's
// tournament to a Saturday or cancelled it meant it. A holiday is there when
// a holiday event is stored on its date. Items come by date, holidays first
// on a shared day. Pure, so the preview and the transaction that creates the
// missing ones plan the same list.
func PlanSchedule(year int, existing []Event) []ScheduleItem {
	holidays := Holidays(year)
	var items []ScheduleItem
	for _, h := range holidays {
		e := Event{Date: h.Date, Kind: "holiday", Title: h.Name}
		if obs := h.Observed(); !obs.Equal(h.Date.Time) {
			e.Description = "Observed " + obs.Format("Monday, January 2") + "."
		}
		items = append(items, ScheduleItem{Event: e, Existing: findEvent(existing, e, sameDay)})
	}
	for _, m := range FishingMonths {
		t := Event{Date: TournamentDay(year, m), Kind: "tournament", Title: m.String() + " tournament",
			StartTime: TournamentStart, EndTime: TournamentEnd}
		meet := Event{Date: MeetingDay(year, m), Kind: "meeting", Title: MeetingTitle,
			StartTime: MeetingStart, EndTime: MeetingEnd, Description: MeetingDescription}
		for _, e := range []Event{t, meet} {
			it := ScheduleItem{Event: e, Existing: findEvent(existing, e, sameMonth)}
			it.Warnings = holidayWarnings(holidays, it.Date(), e.Kind)
			items = append(items, it)
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i].Date(), items[j].Date()
		if !a.Equal(b.Time) {
			return a.Before(b.Time)
		}
		return items[i].Event.Kind == "holiday" && items[j].Event.Kind != "holiday"
	})
	return items
}

// Date is the day the item is on: the stored event's when there is one.
func (it ScheduleItem) Date() Date {
	if it.Existing != nil {
		return it.Existing.Date
	}
	return it.Event.Date
}

func sameDay(a, b Date) bool { return a.Equal(b.Time) }

func sameMonth(a, b Date) bool { return a.Year() == b.Year() && a.Month() == b.Month() }

// findEvent is the first stored event of e's kind on a matching date.
func findEvent(existing []Event, e Event, match func(a, b Date) bool) *Event {
	for i := range existing {
		if existing[i].Kind == e.Kind && match(existing[i].Date, e.Date) {
			return &existing[i]
		}
	}
	return nil
}

// holidayWarnings names the holidays an event falls on, by date or by the
// day the holiday is observed (members have the Monday off, the meeting
// room may be closed).
func holidayWarnings(holidays []Holiday, d Date, kind string) []string {
	var out []string
	for _, h := range holidays {
		switch {
		case h.Date.Equal(d.Time):
			out = append(out, fmt.Sprintf("The %s falls on %s.", kind, h.Name))
		case h.Observed().Equal(d.Time):
			out = append(out, fmt.Sprintf("The %s falls on the day %s is observed.", kind, h.Name))
		}
	}
	return out
}
