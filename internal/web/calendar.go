package web

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"sabc/internal/club"
	"sabc/internal/store"
)

// The calendar shows a year from the club's events (one query) plus the US
// holidays of that year, computed by club.Holidays. The HTML page, the PNG
// image and the iCalendar feed share the model built here.

// Years outside this range are refused: nothing the club plans is there, and
// it keeps crawlers from walking "next year" links forever.
const (
	minCalendarYear = 1981 // the club was founded
	maxCalendarSpan = 10   // years past the current one
)

// calItem is one entry on a day.
type calItem struct {
	Kind      string // css class and legend key: tournament, meeting, holiday, closure, other
	Glyph     string // the shape/letter shown with the colour, so colour is never the only cue
	Title     string
	Time      string // "6:30 AM–2:30 PM", "" for all-day
	URL       string // tournament page, when there is one
	Place     string // lake (and ramp)
	Cancelled bool
	Date      club.Date
	Anchor    string // id of its agenda line: a grid mark without a page of its own links there
}

// calDay is one cell of a month grid; Day == 0 is padding before the 1st or after the last.
type calDay struct {
	Day   int
	Date  club.Date
	Today bool
	Items []calItem
}

// calMonth is one month: weeks of seven days, Sunday first.
type calMonth struct {
	Name  string
	Month time.Month
	Weeks [][7]calDay
	Items []calItem // the month's entries in date order, for the agenda under the grid
}

// calYear is the whole page model.
type calYear struct {
	Year, Prev, Next int
	Today            club.Date
	ShowToday        bool
	Months           []calMonth
	Upcoming         []calItem // this year's next entries from today: what a phone shows first
	Legend           []legendEntry
	Weekdays         [7]string
	Club             string // the club's name (the PNG's title)
}

type legendEntry struct{ Kind, Glyph, Label string }

// legend lists the kinds in the order a reader scans for them.
var legend = []legendEntry{
	{"tournament", "T", "Tournament"},
	{"meeting", "M", "Meeting"},
	{"holiday", "H", "Holiday"},
	{"closure", "X", "Closure"},
	{"other", "E", "Other event"},
}

// kindClass folds the stored event kinds onto the legend's five.
func kindClass(kind string) string {
	switch kind {
	case "tournament", "meeting", "holiday", "closure":
		return kind
	}
	return "other" // external, lake-event, other
}

func glyphOf(kind string) string {
	for _, l := range legend {
		if l.Kind == kind {
			return l.Glyph
		}
	}
	return "E"
}

// calendarYear parses ?year= (default: this year in club time).
func (s *Server) calendarYear(r *http.Request) (int, bool) {
	this := club.Today(s.Now()).Year()
	v := r.URL.Query().Get("year")
	if v == "" {
		return this, true
	}
	y, err := strconv.Atoi(v)
	return y, err == nil && validCalendarYear(y, this)
}

func validCalendarYear(y, this int) bool { return y >= minCalendarYear && y <= this+maxCalendarSpan }

// loadCalendar reads the year's events in one query and builds the grid.
func (s *Server) loadCalendar(r *http.Request, year int) (calYear, error) {
	evs, err := s.Store.CalendarEvents(r.Context(), club.NewDate(year, time.January, 1), club.NewDate(year+1, time.January, 1))
	if err != nil {
		return calYear{}, err
	}
	return buildCalendar(year, club.Today(s.Now()), evs, s.clubInfo(r.Context())), nil
}

// buildCalendar lays out twelve Sunday-first month grids. Weekdays come from
// time.Date, never from arithmetic of our own. Meetings without a lake are
// at the club's meeting place (cl).
func buildCalendar(year int, today club.Date, evs []store.CalendarEvent, cl club.Club) calYear {
	c := calYear{Year: year, Prev: year - 1, Next: year + 1, Today: today, ShowToday: today.Year() == year,
		Legend: legend, Club: cl.Name}
	for i := range 7 {
		c.Weekdays[i] = time.Weekday(i).String()
	}
	// Entries by day of the year: the year's events and its holidays.
	byDay := make([][]calItem, 367)
	stored := map[int]bool{} // stored holiday events win over the computed ones
	for _, e := range evs {
		if e.Date.Year() != year {
			continue // not on this year's grid
		}
		it := eventItem(e)
		if it.Place == "" && e.Kind == "meeting" {
			it.Place = meetingPlace(cl)
		}
		yd := e.Date.YearDay()
		byDay[yd] = append(byDay[yd], it)
		if it.Kind == "holiday" {
			stored[yd] = true
		}
	}
	for _, h := range club.Holidays(year) {
		if yd := h.Date.YearDay(); !stored[yd] {
			byDay[yd] = append([]calItem{{Kind: "holiday", Glyph: "H", Title: h.Name, Date: h.Date}}, byDay[yd]...)
		}
	}
	for _, items := range byDay {
		for i := range items {
			items[i].Anchor = "on-" + items[i].Date.String() + "-" + strconv.Itoa(i+1)
		}
	}
	for m := time.January; m <= time.December; m++ {
		c.Months = append(c.Months, buildMonth(year, m, today, byDay))
		for _, it := range c.Months[len(c.Months)-1].Items {
			if c.ShowToday && !it.Date.Before(today.Time) && len(c.Upcoming) < upcomingShown {
				it.Anchor = "" // the id belongs to the month's agenda line
				c.Upcoming = append(c.Upcoming, it)
			}
		}
	}
	return c
}

// upcomingShown entries head the current year's page, above the grid, so a
// phone opens on what is next rather than on January.
const upcomingShown = 5

func buildMonth(year int, m time.Month, today club.Date, byDay [][]calItem) calMonth {
	first := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
	days := time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
	cm := calMonth{Name: m.String(), Month: m}
	var week [7]calDay
	col := int(first.Weekday())
	for d := 1; d <= days; d++ {
		date := club.NewDate(year, m, d)
		items := byDay[date.YearDay()]
		week[col] = calDay{Day: d, Date: date, Today: date.Equal(today.Time), Items: items}
		cm.Items = append(cm.Items, items...)
		if col == 6 || d == days {
			cm.Weeks = append(cm.Weeks, week)
			week = [7]calDay{}
		}
		col = (col + 1) % 7
	}
	return cm
}

// eventItem turns a stored event into a calendar entry.
func eventItem(e store.CalendarEvent) calItem {
	it := calItem{Kind: kindClass(e.Kind), Title: e.Title, Cancelled: e.Cancelled, Date: e.Date,
		Time: timeRange(e.StartTime, e.EndTime), Place: e.LakeName}
	it.Glyph = glyphOf(it.Kind)
	if e.RampName != "" && e.LakeName != "" {
		it.Place += " · " + e.RampName
	}
	if e.TournamentID != 0 {
		it.URL = "/tournaments/" + strconv.FormatInt(e.TournamentID, 10) + "/"
	}
	return it
}

// timeRange formats stored "HH:MM" club times the American way: "6:30 AM–2:30 PM".
func timeRange(start, end string) string {
	s, ok := clockText(start)
	if !ok {
		return ""
	}
	if e, ok := clockText(end); ok {
		return s + "–" + e
	}
	return s
}

func clockText(hhmm string) (string, bool) {
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return "", false
	}
	return t.Format("3:04 PM"), true
}

// calendarPage is /calendar/?year=.
func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) {
	year, ok := s.calendarYear(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	c, err := s.loadCalendar(r, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	this := club.Today(s.Now()).Year()
	if !validCalendarYear(c.Prev, this) {
		c.Prev = 0
	}
	if !validCalendarYear(c.Next, this) {
		c.Next = 0
	}
	v := calendarView{calYear: c, MonthLinks: calendarMonthLinks(c), Grid: calendarGrid(c),
		UpcomingAgenda: calendarAgenda(c.Upcoming)}
	s.render(w, r, http.StatusOK, "calendar", "Calendar "+strconv.Itoa(year), v)
}

// calendarView is what the calendar page prints: the year's model with its
// repetitive parts already written as HTML (calendar_html.go).
type calendarView struct {
	calYear
	MonthLinks, Grid, UpcomingAgenda template.HTML
}
