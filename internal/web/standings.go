package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"sabc/internal/chart"
	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
)

// The standings and awards pages read the season views the scoring step
// stored with every write (standings rows with their cumulative points,
// season_awards) and the tournaments' stored statistics.

type standingsView struct {
	Year           int
	Years          []int
	Awards         bool // /awards/{year}/: the award lists come first
	Rows           []store.Standing
	Top, Rest      []store.Standing // Rows split: the first standingsShown, then the rest (behind "show all")
	TopRows        template.HTML    // Top and Rest as table rows (standing_rows.go)
	RestRows       template.HTML
	Chart          chart.Chart
	ChartLabels    []string
	HeavyStringers []store.Award
	BigBass        []store.Award
	Tournaments    []store.SeasonTournamentRow
	// The lists above as HTML list items (standing_rows.go).
	HeavyStringerItems, BigBassItems, ScheduleItems, LegendItems template.HTML
	Season                                                       seasonStats
	NotStarted                                                   bool // no tournament scheduled in the season yet (or no season row for this or next year)
}

// seasonStats adds up the stored per-tournament statistics of the season's
// complete tournaments; sums and maxima only, no scoring.
type seasonStats struct {
	Scheduled, Complete int
	Entries             int // angler entries, not distinct anglers
	Fish, Limits, Zeros int
	Net                 int64
	BiggestBass         int64
	HeaviestStringer    int64
	AoYAnglers          int
}

// standingsShown rows are visible at once; the rest fold away behind a
// <details> so the chart and the award lists are not a long scroll away on a phone.
const standingsShown = 20

// standingsRedirect sends /standings/ to the current season: the newest
// season that has started (or the newest at all on a brand-new club).
func (s *Server) standingsRedirect(w http.ResponseWriter, r *http.Request) {
	years, err := s.Store.SeasonYears(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(years) == 0 {
		// A new club: redirecting to this year would land on a bare 404.
		s.errorPage(w, r, http.StatusNotFound,
			"No season has been set up yet. Standings and awards appear here once the first tournament is scored.")
		return
	}
	now := club.Today(s.Now()).Year()
	year := now
	for i, y := range years { // newest first
		if y <= now || i == len(years)-1 {
			year = y
			break
		}
	}
	base := "/standings/"
	if r.URL.Path == "/awards/" {
		base = "/awards/"
	}
	http.Redirect(w, r, base+strconv.Itoa(year)+"/", http.StatusFound)
}

func (s *Server) standingsPage(w http.ResponseWriter, r *http.Request) { s.season(w, r, false) }
func (s *Server) awardsPage(w http.ResponseWriter, r *http.Request)    { s.season(w, r, true) }

// season renders a season's standings and awards (3 queries: the season's
// tournaments with the year list, the standings rows, the award lists).
func (s *Server) season(w http.ResponseWriter, r *http.Request, awards bool) {
	year, ok := parseYear(r.PathValue("year"))
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	v := standingsView{Year: year, Awards: awards}
	var err error
	var found bool
	if v.Years, v.Tournaments, found, err = s.Store.SeasonOverview(ctx, year); err != nil {
		s.fail(w, r, err)
		return
	}
	if !found {
		// This year's or next year's season not set up yet: say so, and
		// where to look, rather than a bare 404 for a link members will try.
		if this := club.Today(s.Now()).Year(); year != this && year != this+1 {
			s.notFound(w, r)
			return
		}
	}
	if v.Rows, err = s.Store.Standings(ctx, year, 0); err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.Store.SeasonAwards(ctx, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, a := range list {
		if a.Kind == "heavy-stringer" {
			v.HeavyStringers = append(v.HeavyStringers, a)
		} else {
			v.BigBass = append(v.BigBass, a)
		}
	}
	v.NotStarted = !found || len(v.Tournaments) == 0
	v.Top, v.Rest = v.Rows[:min(len(v.Rows), standingsShown)], v.Rows[min(len(v.Rows), standingsShown):]
	v.TopRows, v.RestRows = standingRows(v.Top), standingRows(v.Rest)
	v.Season = addUpSeason(v.Tournaments)
	v.Season.AoYAnglers = len(v.Rows)
	v.ChartLabels, v.Chart = standingsChart(v.Tournaments, v.Rows)
	v.HeavyStringerItems, v.BigBassItems = awardItems(v.HeavyStringers), awardItems(v.BigBass)
	v.ScheduleItems, v.LegendItems = seasonScheduleItems(v.Tournaments), chartLegendItems(v.Chart.Legend)
	title := fmt.Sprintf("%d Angler of the Year standings", year)
	if awards {
		title = fmt.Sprintf("%d awards", year)
	}
	s.render(w, r, http.StatusOK, "standings", title, v)
}

func addUpSeason(ts []store.SeasonTournamentRow) seasonStats {
	var st seasonStats
	for _, t := range ts {
		if t.Status != club.StatusComplete {
			st.Scheduled++
			continue
		}
		st.Complete++
		var ts scoring.TournamentStats
		json.Unmarshal([]byte(t.StatsJSON), &ts)
		st.Entries += t.Entries
		st.Fish += ts.Fish
		st.Limits += ts.Limits
		st.Zeros += ts.Zeros
		st.Net += int64(ts.Net)
		st.BiggestBass = max(st.BiggestBass, int64(ts.BiggestBass))
		st.HeaviestStringer = max(st.HeaviestStringer, int64(ts.HeavyStringer))
	}
	return st
}

// standingsChart draws the top 10's cumulative points. The stored
// cumulative_json has one value per counted tournament — the season's
// complete points tournaments in date order, the order the store lists them.
func standingsChart(ts []store.SeasonTournamentRow, rows []store.Standing) ([]string, chart.Chart) {
	var labels []string
	for _, t := range ts {
		if t.Status == club.StatusComplete && t.PointsCount {
			labels = append(labels, t.Date.Format("Jan"))
		}
	}
	var series []chart.Series
	for _, st := range rows[:min(len(rows), chart.Palette)] {
		vals := st.Cumulative[:min(len(st.Cumulative), len(labels))]
		series = append(series, chart.Series{Name: st.Name, Href: "/anglers/" + strconv.FormatInt(st.PersonID, 10) + "/",
			Values: vals})
	}
	return labels, chart.StandingsOverTime("aoy", labels, series)
}
