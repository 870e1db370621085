package club_test

import (
	"strings"
	"testing"
	"time"

	"sabc/internal/club"
)

// TestHolidays_AreTheRealDatesOfEachYear checks the computed holidays
// against the dates printed in published US calendars (OPM's federal
// holiday tables, and Easter from the church calendar).
func TestHolidays_AreTheRealDatesOfEachYear(t *testing.T) {
	known := map[int]map[string]string{
		2024: {"Martin Luther King Jr. Day": "2024-01-15", "Presidents' Day": "2024-02-19", "Easter": "2024-03-31",
			"Memorial Day": "2024-05-27", "Labor Day": "2024-09-02", "Columbus Day": "2024-10-14",
			"Thanksgiving": "2024-11-28"},
		2025: {"Martin Luther King Jr. Day": "2025-01-20", "Presidents' Day": "2025-02-17", "Easter": "2025-04-20",
			"Memorial Day": "2025-05-26", "Labor Day": "2025-09-01", "Columbus Day": "2025-10-13",
			"Thanksgiving": "2025-11-27"},
		2026: {"Martin Luther King Jr. Day": "2026-01-19", "Presidents' Day": "2026-02-16", "Easter": "2026-04-05",
			"Memorial Day": "2026-05-25", "Labor Day": "2026-09-07", "Columbus Day": "2026-10-12",
			"Thanksgiving": "2026-11-26", "Independence Day": "2026-07-04", "Christmas Day": "2026-12-25"},
		2027: {"Martin Luther King Jr. Day": "2027-01-18", "Presidents' Day": "2027-02-15", "Easter": "2027-03-28",
			"Memorial Day": "2027-05-31", "Labor Day": "2027-09-06", "Columbus Day": "2027-10-11",
			"Thanksgiving": "2027-11-25", "Juneteenth": "2027-06-19"},
	}
	for year, want := range known {
		got := map[string]string{}
		for _, h := range club.Holidays(year) {
			got[h.Name] = h.Date.String()
		}
		for name, date := range want {
			if got[name] != date {
				t.Errorf("%d %s = %q, want %s", year, name, got[name], date)
			}
		}
	}
}

// TestHoliday_ObservedMovesWeekendFederalHolidaysOnly: a Saturday federal
// holiday is observed on Friday, a Sunday one on Monday; Easter stays put.
func TestHoliday_ObservedMovesWeekendFederalHolidaysOnly(t *testing.T) {
	observed := map[string]string{}
	for _, h := range append(club.Holidays(2026), club.Holidays(2027)...) {
		observed[h.Date.String()+" "+h.Name] = h.Observed().String()
	}
	for k, want := range map[string]string{
		"2026-07-04 Independence Day": "2026-07-03", // Saturday
		"2027-07-04 Independence Day": "2027-07-05", // Sunday
		"2027-12-25 Christmas Day":    "2027-12-24", // Saturday
		"2027-06-19 Juneteenth":       "2027-06-18",
		"2026-12-25 Christmas Day":    "2026-12-25", // Friday
		"2027-03-28 Easter":           "2027-03-28", // a Sunday, not federal
	} {
		if observed[k] != want {
			t.Errorf("%s observed %q, want %s", k, observed[k], want)
		}
	}
}

// TestPlanSchedule_RegularDaysAndHolidayWarnings: 2027 gets a last-Sunday
// tournament and a first-Monday 19:00 meeting every month, every holiday,
// and a warning where a meeting lands on a holiday (Labor Day is always a
// first Monday; Independence Day is observed on Monday, July 5, 2027) or a
// tournament on Easter (March 28, 2027).
func TestPlanSchedule_RegularDaysAndHolidayWarnings(t *testing.T) {
	items := club.PlanSchedule(2027, nil)
	count := map[string]int{}
	warned := map[string]string{}
	for i, it := range items {
		if !it.Missing() {
			t.Errorf("%s %s: existing with nothing stored", it.Event.Date, it.Event.Title)
		}
		if i > 0 && it.Date().Before(items[i-1].Date().Time) {
			t.Errorf("%s comes after %s", it.Date(), items[i-1].Date())
		}
		count[it.Event.Kind]++
		e := it.Event
		switch e.Kind {
		case "tournament":
			if e.Date.Weekday() != time.Sunday || e.Date.AddDate(0, 0, 7).Month() == e.Date.Month() {
				t.Errorf("tournament %s is not a last Sunday", e.Date)
			}
		case "meeting":
			if e.Date.Weekday() != time.Monday || e.Date.Day() > 7 || e.StartTime != "19:00" || e.EndTime != "20:00" {
				t.Errorf("meeting %s %s–%s is not a first Monday 19:00–20:00", e.Date, e.StartTime, e.EndTime)
			}
		}
		if len(it.Warnings) > 0 {
			warned[e.Date.String()] = strings.Join(it.Warnings, " ")
		}
	}
	if count["tournament"] != 12 || count["meeting"] != 12 || count["holiday"] != len(club.Holidays(2027)) {
		t.Errorf("planned %v, want 12 tournaments, 12 meetings, every holiday", count)
	}
	want := map[string]string{
		"2027-09-06": "The meeting falls on Labor Day.",
		"2027-07-05": "The meeting falls on the day Independence Day is observed.",
		"2027-03-28": "The tournament falls on Easter.",
	}
	for d, w := range want {
		if warned[d] != w {
			t.Errorf("warning on %s = %q, want %q", d, warned[d], w)
		}
	}
	if len(warned) != len(want) {
		t.Errorf("warnings %v, want exactly %v", warned, want)
	}
}

// TestPlanSchedule_KeepsWhatIsStored: a month with a tournament on another
// day (or a cancelled one) gets no second tournament, a stored holiday is
// not proposed again, and a stored event of another kind does not count.
func TestPlanSchedule_KeepsWhatIsStored(t *testing.T) {
	stored := []club.Event{
		{ID: 7, Date: club.NewDate(2027, time.April, 17), Kind: "tournament", Title: "April Saturday special"},
		{ID: 8, Date: club.NewDate(2027, time.May, 30), Kind: "tournament", Title: "Cancelled", Cancelled: true},
		{ID: 9, Date: club.NewDate(2027, time.July, 4), Kind: "holiday", Title: "Fourth of July"},
		{ID: 10, Date: club.NewDate(2027, time.June, 7), Kind: "other", Title: "Boat show"},
	}
	kept := map[string]int64{}
	for _, it := range club.PlanSchedule(2027, stored) {
		if !it.Missing() {
			kept[it.Event.Date.Format("2006-01")+" "+it.Event.Kind] = it.Existing.ID
		}
	}
	want := map[string]int64{"2027-04 tournament": 7, "2027-05 tournament": 8, "2027-07 holiday": 9}
	if len(kept) != len(want) {
		t.Errorf("kept %v, want %v", kept, want)
	}
	for k, id := range want {
		if kept[k] != id {
			t.Errorf("%s: kept event %d, want %d", k, kept[k], id)
		}
	}
}
