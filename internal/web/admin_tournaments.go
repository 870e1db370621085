package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// Officers create, edit and delete tournaments (02-site §4). The edit form
// carries the version it was read at: a stale save gets 409 and the conflict
// page with the officer's input kept. Every save goes through the store's
// one audited, rescoring path (EditTournament).

type tournamentFormData struct {
	Form     *forms.Form
	ID       int64 // 0 for a new tournament
	Lakes    []club.Lake
	Statuses []string
	Conflict *conflictView
}

// tournamentLabels name the edit form's fields for the conflict page.
var tournamentLabels = []fieldLabel{
	{"name", "Name", nil}, {"date", "Date", nil}, {"start_time", "Start time", nil},
	{"end_time", "End time", nil}, {"lake", "Lake", nil}, {"ramp", "Ramp", nil}, {"format", "Format", nil},
	checkbox("points_count", "Counts for AoY points"), checkbox("paper", "Paper (length-scored)"),
	{"fish_limit", "Fish limit", nil}, {"status", "Status", nil}, checkbox("cancelled", "Cancelled"),
	{"description", "Description", nil},
}

var tournamentStatuses = []string{club.StatusScheduled, club.StatusWeighIn, club.StatusComplete}

// tournamentForm fills the form with a stored tournament.
func tournamentForm(t club.Tournament) *forms.Form {
	f := forms.Empty()
	f.Set("name", t.Name)
	whenWhereForm(f, t.Date, t.StartTime, t.EndTime, t.LakeID, t.RampID)
	f.Set("format", t.Format)
	setCheck(f, "points_count", t.PointsCount)
	setCheck(f, "paper", t.Paper)
	setCheck(f, "cancelled", t.Cancelled)
	if t.FishLimit > 0 {
		f.Set("fish_limit", strconv.Itoa(t.FishLimit))
	}
	f.Set("description", t.Description)
	f.Set("status", t.Status)
	if t.Version > 0 {
		f.Set("version", strconv.Itoa(t.Version))
	}
	return f
}

// parseTournament applies the form to base (the stored tournament, or a new
// one), failing each bad field next to it.
func parseTournament(f *forms.Form, lakes []club.Lake, base club.Tournament) club.Tournament {
	t := base
	f.Required("name", "Name")
	f.MaxLen("name", "Name", 120)
	f.MaxLen("description", "Description", 4000)
	t.Name, t.Description = f.Get("name"), f.Get("description")
	t.Date, t.StartTime, t.EndTime = parseWhen(f)
	lake, ramp := parsePlace(f, lakes)
	t.LakeID, t.RampID = lake.ID, ramp
	switch v := f.Get("format"); v {
	case club.FormatIndividual, club.FormatTeam:
		t.Format = v
	default:
		f.Fail("format", "Choose individual or team.")
	}
	t.PointsCount, t.Paper, t.Cancelled = f.Checked("points_count"), f.Checked("paper"), f.Checked("cancelled")
	t.FishLimit = 0
	if raw := f.Get("fish_limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 25 {
			f.Fail("fish_limit", "Fish limit must be a whole number from 1 to 25, or blank for the season's rule.")
		}
		t.FishLimit = n
	}
	if raw := f.Get("status"); raw != "" || base.ID != 0 {
		if !slices.Contains(tournamentStatuses, raw) {
			f.Fail("status", "Choose scheduled, weigh-in or complete.")
		}
		t.Status = raw
	}
	if !t.Date.IsZero() {
		t.SeasonYear = t.Date.Year()
	}
	f.MaxLen("reason", "Reason", 500)
	return t
}

// checkSeason fails the date when its year has no season yet: a tournament
// is scored with its season's rules.
func (s *Server) checkSeason(r *http.Request, f *forms.Form, t club.Tournament) error {
	if t.Date.IsZero() {
		return nil
	}
	_, err := s.Store.Season(r.Context(), t.SeasonYear)
	if errors.Is(err, store.ErrNotFound) {
		f.Fail("date", "There is no "+strconv.Itoa(t.SeasonYear)+" season yet: create the season first.")
		return nil
	}
	return err
}

func (s *Server) renderTournamentForm(w http.ResponseWriter, r *http.Request, status int, d tournamentFormData) {
	title := "New tournament"
	if d.ID != 0 {
		title = "Edit tournament"
	}
	d.Statuses = tournamentStatuses
	s.render(w, r, status, "admin_tournament_edit", title, d)
}

func (s *Server) newTournamentForm(w http.ResponseWriter, r *http.Request) {
	lakes, err := s.Store.Lakes(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := forms.Empty()
	f.Set("format", club.FormatIndividual)
	setCheck(f, "points_count", true)
	s.renderTournamentForm(w, r, http.StatusOK, tournamentFormData{Form: f, Lakes: lakes})
}

// createTournament adds a tournament and its calendar event. Paper starts
// from the lake's default (the store ORs it in) when not ticked.
func (s *Server) createTournament(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, lakes, ok := s.formAndLakes(w, r)
	if !ok {
		return
	}
	d := tournamentFormData{Form: f, Lakes: lakes}
	t := parseTournament(f, lakes, club.Tournament{Status: club.StatusScheduled})
	if err := s.checkSeason(r, f, t); err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Valid() {
		s.renderTournamentForm(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	id, err := s.Store.CreateTournament(ctx, t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/tournaments/"+strconv.FormatInt(id, 10)+"/", http.StatusSeeOther)
}

func (s *Server) editTournamentForm(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r)
	if !ok {
		return
	}
	t, err := s.Store.Tournament(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lakes, err := s.Store.Lakes(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderTournamentForm(w, r, http.StatusOK, tournamentFormData{Form: tournamentForm(t), ID: id, Lakes: lakes})
}

// saveTournament validates the edit and saves it with the version the form
// was read at. A stale version is a 409 conflict page, the input kept.
func (s *Server) saveTournament(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := s.pathID(w, r)
	if !ok {
		return
	}
	f, lakes, ok := s.formAndLakes(w, r)
	if !ok {
		return
	}
	stored, err := s.Store.Tournament(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := tournamentFormData{Form: f, ID: id, Lakes: lakes}
	t := parseTournament(f, lakes, stored)
	version, ok := formVersion(f)
	if !ok {
		f.Fail("version", "This form lacks the version it was read at: reload the page and edit again.")
	}
	t.Version = version
	if err := s.checkSeason(r, f, t); err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.Valid() {
		s.renderTournamentForm(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	err = s.Store.EditTournament(ctx, visitorOf(ctx).Person.ID, t, f.Get("reason"))
	var es scoring.Errors
	switch {
	case errors.Is(err, store.ErrStale):
		s.tournamentConflict(w, r, d)
	case errors.As(err, &es):
		for _, e := range es {
			f.Fail(tournamentErrorField(e.Field), refusal(e))
		}
		s.renderTournamentForm(w, r, http.StatusUnprocessableEntity, d)
	case err != nil:
		s.fail(w, r, err)
	default:
		http.Redirect(w, r, "/tournaments/"+strconv.FormatInt(id, 10)+"/", http.StatusSeeOther)
	}
}

// tournamentConflict shows the edit form again with 409: what the other
// officer saved next to what this one typed, the version moved to the stored
// one so that saving again means "keep mine".
func (s *Server) tournamentConflict(w http.ResponseWriter, r *http.Request, d tournamentFormData) {
	now, err := s.Store.Tournament(r.Context(), d.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := s.conflict(r.Context(), "tournament", d.ID, d.Form, tournamentForm(now), withPlaces(tournamentLabels, d.Lakes))
	d.Form.Set("version", strconv.Itoa(now.Version))
	d.Conflict = &c
	s.renderTournamentForm(w, r, http.StatusConflict, d)
}

// tournamentErrorField puts a store refusal next to the field it is about:
// the reason, or — when the stored results refuse the new rules (a fish
// limit under a stored catch) — the fish limit.
func tournamentErrorField(field string) string {
	if field == "reason" {
		return "reason"
	}
	if strings.Contains(field, "fish") {
		return "fish_limit"
	}
	return "format"
}

func refusal(e scoring.FieldError) string {
	if e.Field == "reason" {
		return e.Message
	}
	return "The stored results do not fit this change (" + e.Field + ": " + e.Message + ")."
}
