package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"sabc/internal/chart"
	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
)

// The public angler profile (spec 02 §2): name, photo, member since, officer
// badge, per-season and all-time numbers, results history and a points
// chart. It loads public columns only — never email or phone.

type anglerView struct {
	P         store.PublicPerson
	Avatar    string // "/media/<key>", or "" for the placeholder
	Initials  string
	Officer   []string // positions held this season, as printed
	Year      int      // the current season
	FirstYear int      // the season of the angler's first result, 0 when none
	Current   seasonNumbers
	Seasons   []seasonNumbers // newest first
	AllTime   scoring.Profile
	BestAoY   int // best AoY rank in any season, 0 when never ranked
	History   []store.AnglerResult
	Chart     chart.Chart
	// Seasons and History as table rows (angler_rows.go).
	SeasonRows, HistoryRows template.HTML
}

// seasonNumbers is one season's line of the profile. The template names
// its numbers through .Profile: a promoted field costs html/template a
// reflect search with allocations on every use (see tournamentView).
type seasonNumbers struct {
	Year int
	scoring.Profile
	Eligible bool
}

const chartTournaments = 12 // the points chart shows the latest dozen

// anglerPage renders /anglers/{id}/ (3 queries: the person with this
// season's officer positions, the results history, the stored AoY lines).
func (s *Server) anglerPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	year := club.Today(s.Now()).Year()
	p, err := s.Store.PublicPerson(ctx, id, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	history, err := s.Store.AnglerResults(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	history = slices.DeleteFunc(history, func(h store.AnglerResult) bool {
		return standingsHidden(ctx, h.HideLive, h.Status)
	})
	standings, err := s.Store.AnglerStandings(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := anglerView{P: p, Year: year, History: history, Initials: initials(p)}
	if p.AvatarKey != "" {
		v.Avatar = "/media/" + url.PathEscape(p.AvatarKey)
	}
	for _, pos := range p.Positions {
		v.Officer = append(v.Officer, positionTitle(pos))
	}
	profileNumbers(&v, id, standings)
	v.Chart = finishesChart(history)
	for _, h := range history {
		v.FirstYear = h.Season // history is newest first: the last is the oldest
	}
	v.SeasonRows, v.HistoryRows = seasonRows(v.Seasons), historyRows(v.History)
	s.render(w, r, http.StatusOK, "angler", p.Name(), v)
}

// profileNumbers fills the season and all-time numbers with the scoring
// engine's AnglerProfile over the stored outcomes of complete tournaments;
// AoY points and rank per season come from the stored standings rows.
func profileNumbers(v *anglerView, id int64, standings []store.AnglerStanding) {
	bySeason := map[int][]scoring.SeasonTournament{}
	var all []scoring.SeasonTournament
	var years []int
	for i := len(v.History) - 1; i >= 0; i-- { // oldest first, as the engine expects
		h := v.History[i]
		if h.Status != club.StatusComplete {
			continue
		}
		t := scoring.SeasonTournament{ID: h.TournamentID, Name: h.Tournament, PointsCount: h.PointsCount,
			Paper: h.Paper, Results: []scoring.SeasonResult{{AnglerID: id, Member: h.WasMember,
				Place: deref(h.Place), Points: deref(h.Points), Pointed: h.Points != nil, Fish: h.Fish,
				Net: scoring.Weight(h.Net), BigBass: scoring.Weight(h.BigBass), BuyIn: h.BuyIn, DQ: h.DQ}}}
		if _, ok := bySeason[h.Season]; !ok {
			years = append(years, h.Season)
		}
		bySeason[h.Season] = append(bySeason[h.Season], t)
		all = append(all, t)
	}
	stored := map[int]store.AnglerStanding{}
	for _, st := range standings {
		stored[st.Season] = st
		if st.Eligible && st.Rank > 0 && (v.BestAoY == 0 || st.Rank < v.BestAoY) {
			v.BestAoY = st.Rank
		}
	}
	for i := len(years) - 1; i >= 0; i-- { // newest first
		y := years[i]
		var aoy *scoring.AoY
		st, ok := stored[y]
		if ok {
			aoy = &scoring.AoY{Rows: []scoring.Standing{{AnglerID: id, Rank: st.Rank, Points: st.Points,
				Eligible: st.Eligible}}}
		}
		line := seasonNumbers{Year: y, Profile: scoring.AnglerProfile(id, bySeason[y], aoy), Eligible: st.Eligible}
		v.Seasons = append(v.Seasons, line)
		if y == v.Year {
			v.Current = line
		}
	}
	v.Current.Year = v.Year
	v.AllTime = scoring.AnglerProfile(id, all, nil)
}

// finishesChart plots the latest complete tournaments, oldest first.
func finishesChart(history []store.AnglerResult) chart.Chart {
	var fs []chart.Finish
	for _, h := range history { // newest first
		if h.Status != club.StatusComplete {
			continue
		}
		f := chart.Finish{Label: h.Date.Format("Jan ’06"), Points: deref(h.Points), Pointed: h.Points != nil,
			Place: finishText(h), Unscored: !h.PointsCount}
		fs = append(fs, f)
		if len(fs) == chartTournaments {
			break
		}
	}
	for i, j := 0, len(fs)-1; i < j; i, j = i+1, j-1 {
		fs[i], fs[j] = fs[j], fs[i]
	}
	return chart.Finishes("finishes", "Points and finishes, latest tournaments", fs)
}

// finishText is how a finish reads: "1st", "DQ", "buy-in".
func finishText(h store.AnglerResult) string {
	switch {
	case h.DQ:
		return "DQ"
	case h.BuyIn:
		return "buy-in"
	case h.Place != nil:
		return ordinal(*h.Place)
	}
	return ""
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func initials(p store.PublicPerson) string {
	var b strings.Builder
	for _, n := range []string{p.FirstName, p.LastName} {
		if r := []rune(strings.TrimSpace(n)); len(r) > 0 {
			b.WriteString(strings.ToUpper(string(r[0])))
		}
	}
	return b.String()
}

// positionTitle prints "tournament-director" as "Tournament Director".
func positionTitle(pos string) string {
	words := strings.Split(pos, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	out := strings.Join(words, " ")
	return strings.Replace(out, "Vice President", "Vice-President", 1)
}
