package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// Officer tools for seasons (02-site §4, issue 11): the list of seasons with
// a form to create the next one, and each season's rules and payouts
// editor. A new season copies the latest earlier one's rules and payouts.

type seasonsData struct {
	Form  *forms.Form
	Years []int
}

func (s *Server) seasonList(w http.ResponseWriter, r *http.Request) {
	s.renderSeasons(w, r, http.StatusOK, nil)
}

// renderSeasons shows the list; f is the create form as typed (nil: a new
// form proposing the year after the newest season).
func (s *Server) renderSeasons(w http.ResponseWriter, r *http.Request, status int, f *forms.Form) {
	years, err := s.Store.SeasonYears(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f == nil {
		f = forms.Empty()
		next := club.Today(s.Now()).Year()
		if len(years) > 0 {
			next = max(next, years[0]+1)
		}
		f.Set("year", strconv.Itoa(next))
	}
	s.render(w, r, status, "admin_seasons", "Seasons", seasonsData{Form: f, Years: years})
}

func (s *Server) createSeason(w http.ResponseWriter, r *http.Request) {
	f := forms.New(r)
	this := club.Today(s.Now()).Year()
	year, err := strconv.Atoi(f.Get("year"))
	switch {
	case f.Get("year") == "":
		f.Fail("year", "Year is required.")
	case err != nil || !validCalendarYear(year, this):
		f.Fail("year", fmt.Sprintf("Year must be a year from %d to %d.", minCalendarYear, this+maxCalendarSpan))
	}
	if !f.Valid() {
		s.renderSeasons(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	_, err = s.Store.CreateSeasonFrom(r.Context(), visitorOf(r.Context()).Person.ID, year)
	if errors.Is(err, store.ErrConflict) {
		f.Fail("year", fmt.Sprintf("The %d season already exists; edit its rules from the list below.", year))
		s.renderSeasons(w, r, http.StatusConflict, f)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/seasons/%d/rules/?notice=created", year), http.StatusSeeOther)
}

// seasonRulesData is the rules and payouts editor.
type seasonRulesData struct {
	Year     int
	Form     *forms.Form
	Notice   string
	Conflict *conflictView
	Weigh    []numField
	Points   []numField
	Pay      []numField
	Places   []int // 0-based place slots shown
	Ties     []int // 0-based tie-break slots
	AoYTies  []int
	TieOpts  []choice
	AoYOpts  []choice
	Styles   []choice
	Bases    []choice
}

var seasonNotices = map[string]string{
	"created": "The season is created with the previous season's rules and payouts (the club defaults when " +
		"there is none). Check them, then generate its schedule.",
	"saved": "Saved. The public rules page and every result of this season now use these rules.",
}

// seasonYear reads {year} and loads that season's rules; an unknown season
// is a 404 that says where seasons are created.
func (s *Server) seasonYear(w http.ResponseWriter, r *http.Request) (store.SeasonRules, bool) {
	year, ok := parseYear(r.PathValue("year"))
	if !ok {
		s.notFound(w, r)
		return store.SeasonRules{}, false
	}
	sr, err := s.Store.SeasonRules(r.Context(), year)
	if errors.Is(err, store.ErrNotFound) {
		s.errorPage(w, r, http.StatusNotFound,
			fmt.Sprintf("There is no %d season yet. Create it on the seasons page (/admin/seasons/).", year))
		return sr, false
	}
	if err != nil {
		s.fail(w, r, err)
		return sr, false
	}
	return sr, true
}

func (s *Server) seasonRulesForm(w http.ResponseWriter, r *http.Request) {
	sr, ok := s.seasonYear(w, r)
	if !ok {
		return
	}
	s.renderSeasonRules(w, r, http.StatusOK, sr.Season.Year, seasonForm(sr), nil)
}

func (s *Server) renderSeasonRules(w http.ResponseWriter, r *http.Request, status, year int, f *forms.Form,
	c *conflictView) {
	d := seasonRulesData{Year: year, Form: f, Notice: seasonNotices[r.URL.Query().Get("notice")], Conflict: c,
		Weigh: weighInFields, Points: pointsFields, Pay: payFields, Ties: slots(tieSlots), AoYTies: slots(aoySlots),
		Places: slots(placeCount(f)), TieOpts: tieChoices, AoYOpts: aoyChoices, Styles: placeStyles, Bases: feeBases}
	s.render(w, r, status, "admin_season_rules", fmt.Sprintf("%d rules and payouts", year), d)
}

func slots(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// saveSeasonRules saves the editor through UpdateSeasonRules, which
// validates with the engine, rescores that season only and audits. A form
// read before someone else's save gets the conflict page (409) with the
// typed values kept.
func (s *Server) saveSeasonRules(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sr, ok := s.seasonYear(w, r)
	if !ok {
		return
	}
	year := sr.Season.Year
	f := forms.New(r)
	v, err := strconv.ParseInt(f.Get("version"), 10, 32) // an INTEGER column: PostgreSQL fails beyond it
	version := int(v)
	if err != nil {
		f.Fail("version", "The form is missing its version: reload the page and edit again.")
	}
	rules, pay := parseSeasonForm(f, sr)
	if !f.Valid() {
		s.renderSeasonRules(w, r, http.StatusUnprocessableEntity, year, f, nil)
		return
	}
	rj, _ := json.Marshal(rules)
	pj, _ := json.Marshal(pay)
	err = s.Store.UpdateSeasonRules(ctx, visitorOf(ctx).Person.ID, year, version, string(rj), string(pj),
		f.Get("rules_md"))
	var es scoring.Errors
	switch {
	case errors.As(err, &es):
		engineErrors(f, es)
		s.renderSeasonRules(w, r, http.StatusUnprocessableEntity, year, f, nil)
	case errors.Is(err, store.ErrStale):
		s.seasonConflict(w, r, year, f)
	case err != nil:
		s.fail(w, r, err)
	default:
		http.Redirect(w, r, fmt.Sprintf("/admin/seasons/%d/rules/?notice=saved", year), http.StatusSeeOther)
	}
}

// seasonConflict shows what the other save changed next to what was typed,
// and moves the form's version to the stored one: saving again keeps the
// typed values.
func (s *Server) seasonConflict(w http.ResponseWriter, r *http.Request, year int, f *forms.Form) {
	stored, err := s.Store.SeasonRules(r.Context(), year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sf := seasonForm(stored)
	c := s.conflict(r.Context(), "season", int64(year), f, sf, seasonLabels(max(placeCount(f), placeCount(sf))))
	f.Set("version", sf.Get("version"))
	s.renderSeasonRules(w, r, http.StatusConflict, year, f, &c)
}
