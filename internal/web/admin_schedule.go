package web

import (
	"fmt"
	"net/http"
	"strconv"

	"sabc/internal/club"
	"sabc/internal/web/forms"
)

// The schedule generator (01-domain §3.10): a preview of the season's
// regular tournaments, meetings and holidays, marking what is already on
// the calendar and warning where a meeting or tournament falls on a
// holiday; one POST creates the missing ones (the store plans again inside
// its transaction, so nothing is ever duplicated).

type scheduleData struct {
	Year     int
	Items    []club.ScheduleItem
	Missing  map[string]int // kind → events to create
	ToCreate int
	Existing int
	Warnings int
	Created  int // after a POST: how many were created (from the redirect)
	Done     bool
	Form     *forms.Form
	// the regular times, as the calendar prints them
	TournamentHours, MeetingHours string
}

func (s *Server) schedulePreview(w http.ResponseWriter, r *http.Request) {
	d := scheduleData{Form: forms.Empty()}
	if n, err := strconv.Atoi(r.URL.Query().Get("created")); err == nil && n >= 0 {
		d.Created, d.Done = n, true
	}
	s.renderSchedule(w, r, http.StatusOK, d)
}

func (s *Server) renderSchedule(w http.ResponseWriter, r *http.Request, status int, d scheduleData) {
	sr, ok := s.seasonYear(w, r)
	if !ok {
		return
	}
	d.Year = sr.Season.Year
	d.TournamentHours = timeRange(club.TournamentStart, club.TournamentEnd)
	d.MeetingHours = timeRange(club.MeetingStart, club.MeetingEnd)
	items, err := s.Store.SchedulePlan(r.Context(), d.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Items, d.Missing = items, map[string]int{}
	for _, it := range items {
		if it.Missing() {
			d.ToCreate++
			d.Missing[it.Event.Kind]++
		} else {
			d.Existing++
		}
		d.Warnings += len(it.Warnings)
	}
	s.render(w, r, status, "admin_schedule", fmt.Sprintf("%d schedule", d.Year), d)
}

// generateSchedule creates the missing events. The form carries confirm=yes
// from the preview's button; anything else (an empty post) shows the
// preview again with the reason.
func (s *Server) generateSchedule(w http.ResponseWriter, r *http.Request) {
	f := forms.New(r)
	if f.Get("confirm") != "yes" {
		f.Fail("confirm", "Nothing was created: check the list below, then press the create button.")
		s.renderSchedule(w, r, http.StatusUnprocessableEntity, scheduleData{Form: f})
		return
	}
	year, ok := parseYear(r.PathValue("year"))
	if !ok {
		s.notFound(w, r)
		return
	}
	created, err := s.Store.GenerateSchedule(r.Context(), visitorOf(r.Context()).Person.ID, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/seasons/%d/schedule/?created=%d", year, len(created)), http.StatusSeeOther)
}
