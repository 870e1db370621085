package web

import (
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/store"
)

// TestCalendarHTMLMatchesTheTemplate: the Go-written grid, month links and
// agendas print what pages/calendar.html printed, for a year with what the
// demo club lacks: cancelled events, markup and quotes in titles and places,
// several entries on one day, today's cell, an all-day event.
func TestCalendarHTMLMatchesTheTemplate(t *testing.T) {
	today := club.NewDate(2026, time.March, 14)
	ev := func(d club.Date, kind, title string, mod func(*store.CalendarEvent)) store.CalendarEvent {
		e := store.CalendarEvent{Event: club.Event{Date: d, Kind: kind, Title: title, StartTime: "06:30", EndTime: "14:30"}}
		if mod != nil {
			mod(&e)
		}
		return e
	}
	evs := []store.CalendarEvent{
		ev(club.NewDate(2026, time.February, 7), "tournament", nasty, func(e *store.CalendarEvent) {
			e.TournamentID, e.LakeName, e.RampName = 12, "Lake <Travis>", "Mansfield & Dam"
		}),
		ev(today, "meeting", "Meeting "+nasty, nil),
		ev(today, "closure", "Ramp closed", func(e *store.CalendarEvent) { e.Cancelled, e.StartTime = true, "" }),
		ev(club.NewDate(2026, time.April, 2), "external", "Expo", func(e *store.CalendarEvent) {
			e.Cancelled, e.TournamentID = true, 40
		}),
		ev(club.NewDate(2026, time.May, 9), "tournament", "May", func(e *store.CalendarEvent) { e.TournamentID = 41 }),
	}
	c := buildCalendar(2026, today, evs, club.Club{Name: "SABC", MeetingPlace: "VFW \"Post\" 8787"})
	if len(c.Upcoming) == 0 {
		t.Fatal("no upcoming entries: the test year lost its today")
	}
	data := struct{ Data calYear }{c}
	sameAsTemplate(t, "grid", `{{with .Data}}{{range .Months}}
<section class="cal-month" aria-labelledby="month-{{printf "%d" .Month}}">
  <h2 id="month-{{printf "%d" .Month}}">{{.Name}} <span class="vh">{{$.Data.Year}}</span></h2>
  <table class="month">
    <thead><tr>{{range $.Data.Weekdays}}<th scope="col"><abbr title="{{.}}">{{slice . 0 2}}</abbr></th>{{end}}</tr></thead>
    <tbody>
    {{range .Weeks}}<tr>{{range .}}{{if .Day}}<td data-date="{{.Date}}"{{if or .Today .Items}} class="{{if .Today}}today{{end}}{{with .Items}} has-{{(index . 0).Kind}}{{end}}"{{end}}{{if .Today}} aria-current="date"{{end}}>
      <span class="dn">{{.Day}}</span>{{if .Today}}<span class="vh"> (today)</span>{{end}}
      {{range .Items}}<a class="mark mark-{{.Kind}}{{if .Cancelled}} is-cancelled{{end}}" href="{{if .URL}}{{.URL}}{{else}}#{{.Anchor}}{{end}}" title="{{.Title}}">{{.Glyph}}<span class="vh"> {{.Title}}{{if .Cancelled}} (cancelled){{end}}</span></a>{{end}}
    </td>{{else}}<td class="pad"></td>{{end}}{{end}}</tr>
    {{end}}
    </tbody>
  </table>
  {{with .Items}}{{template "cal-agenda" .}}{{else}}<p class="agenda-empty muted">Nothing scheduled.</p>{{end}}
</section>
{{end}}{{end}}`+calAgendaReference, data, calendarGrid(c))
	sameAsTemplate(t, "upcoming", `{{template "cal-agenda" .}}`+calAgendaReference, c.Upcoming, calendarAgenda(c.Upcoming))
	sameAsTemplate(t, "month links", `{{with .Data}}{{range .Months}}<li><a href="#month-{{printf "%d" .Month}}"{{if and $.Data.ShowToday (eq .Month $.Data.Today.Month)}} aria-current="true"{{end}}>{{slice .Name 0 3}}</a></li>{{end}}{{end}}`,
		data, calendarMonthLinks(c))
}

const calAgendaReference = `{{define "cal-agenda"}}<ul class="agenda">
    {{range .}}<li{{with .Anchor}} id="{{.}}"{{end}}{{if .Cancelled}} class="cancelled"{{end}}><span class="mark mark-{{.Kind}}" aria-hidden="true">{{.Glyph}}</span>
      <span class="when"><time datetime="{{.Date}}">{{.Date.Format "Mon Jan 2"}}</time>{{with .Time}}, {{.}}{{end}}</span>
      <span class="what">{{if .Cancelled}}<s>{{end}}{{if .URL}}<a href="{{.URL}}">{{.Title}}</a>{{else}}{{.Title}}{{end}}{{if .Cancelled}}</s> <strong>Cancelled</strong>{{end}}{{with .Place}}<span class="where"> · {{.}}</span>{{end}}</span>
    </li>{{end}}
  </ul>{{end}}`
