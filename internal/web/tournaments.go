package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"sabc/internal/chart"
	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
)

// The tournament pages read the stored outcome of the scoring step (places,
// points, nets, payouts, statistics, tie notes); they never score anything.

type tournamentListData struct {
	Seasons []tournamentSeason
	Years   []int
	Lakes   []store.FilterOption
	Year    int
	LakeID  int64
	Lake    string // the chosen lake's name
}

type tournamentSeason struct {
	Year        int
	Tournaments []tournamentListRow
}

type tournamentListRow struct {
	club.Tournament
	Winning int64 // the place-1 net (stored statistics), 0 before results
}

// tournamentList lists tournaments by season, newest first, filtered by
// ?year= and ?lake= (2 queries: the list and the filter choices).
func (s *Server) tournamentList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	year, _ := parseYear(q.Get("year")) // a mangled year (0) shows every season
	lakeID, _ := parseID(q.Get("lake")) // not an id (or none): every lake
	ts, err := s.Store.Tournaments(r.Context(), store.TournamentFilter{Year: year, LakeID: lakeID})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := tournamentListData{Year: year, LakeID: lakeID}
	if d.Years, d.Lakes, err = s.Store.TournamentFilters(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, l := range d.Lakes {
		if l.ID == lakeID {
			d.Lake = l.Name
		}
	}
	if lakeID != 0 && d.Lake == "" {
		noStore(w) // a lake id nobody fished: shown, never cached (one entry per id would have no bound)
	}
	for _, t := range ts {
		if n := len(d.Seasons); n == 0 || d.Seasons[n-1].Year != t.SeasonYear {
			d.Seasons = append(d.Seasons, tournamentSeason{Year: t.SeasonYear})
		}
		var st scoring.TournamentStats
		json.Unmarshal([]byte(t.StatsJSON), &st)
		cur := &d.Seasons[len(d.Seasons)-1]
		cur.Tournaments = append(cur.Tournaments, tournamentListRow{t, int64(st.HeavyStringer)})
	}
	title := "Tournaments"
	if year != 0 {
		title = fmt.Sprintf("Tournaments %d", year)
	}
	s.render(w, r, http.StatusOK, "tournaments", title, d)
}

// tournamentView is everything the tournament page prints.
// Its fields are all its own, none promoted from an embedded struct:
// html/template looks a field up by name on every use, and a promoted field
// costs reflect a breadth-first search with allocations each time (a tenth
// of a render when the header was embedded).
type tournamentView struct {
	T                club.Tournament
	RulesMD          string // the season's rules text
	Prev, Next       store.TournamentLink
	CarryFrom        store.TournamentLink // the tournament whose big-bass pot carried in
	LakeMap, RampMap string               // validated http(s) URLs or ""
	RulesSummary     []string
	Results          []club.Result
	ResultRows       template.HTML // the results table's rows (tournament_rows.go)
	Boats            []club.Boat
	BoatRows         template.HTML // the boats table's rows
	PayoutRows       template.HTML // the place-money table's rows
	BigBassWinners   template.HTML // the big-bass card's winners
	StatsItems       template.HTML // the Statistics list
	Stats            scoring.TournamentStats
	Pay              scoring.Payouts
	BigBass          scoring.BigBass
	BigBassLine      string   // "pot $X (incl. $Y carried over from …)"
	BiggestOfDay     []string // names of the anglers/boats with the biggest bass of the day
	TieRule          string
	TieNotes         []tieNote
	Chart            chart.Chart
	Scored           bool // the scoring step has run (there are results)
	Hidden           bool // standings hidden until complete (standingsHidden): none of the above is loaded
}

// standingsHidden reports that the visitor may not see a tournament's
// unofficial standings: an officer hid them until it is complete (so
// anglers still on the water cannot watch the weights, 02-site §4).
// Officers still see them; a complete tournament's results are public.
func standingsHidden(ctx context.Context, hideLive bool, status string) bool {
	return hideLive && status != club.StatusComplete && !visitorOf(ctx).IsOfficer()
}

type tieNote struct {
	PersonID int64
	Name     string
	Note     string
}

// tournamentPage shows one tournament's stored outcome (3 queries: the
// header with neighbours and season rules, results, boats).
func (s *Server) tournamentPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	h, err := s.Store.TournamentHeader(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := tournamentView{T: h.Tournament, RulesMD: h.RulesMD, Prev: h.Prev, Next: h.Next, CarryFrom: h.CarryFrom,
		LakeMap: safeMapURL(h.LakeMapURL),
		TieRule: scoring.TieSplitRule, RulesSummary: rulesSummary(h)}
	if h.RampName != "" { // its own link, or a search for "ramp, lake, state"
		v.RampMap = rampLink(club.Ramp{Name: h.RampName, MapURL: h.RampMapURL}, club.Lake{Name: h.LakeName, State: h.LakeState})
	}
	if v.Hidden = standingsHidden(r.Context(), h.HideLive, h.Status); v.Hidden {
		s.render(w, r, http.StatusOK, "tournament", h.Name, v)
		return
	}
	if v.Results, err = s.Store.PageResults(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Boats, err = s.Store.PageBoats(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	// Stored JSON written by the scoring step; an empty object before the
	// first result leaves the zero values, which the template treats as "no
	// outcome yet".
	json.Unmarshal([]byte(h.StatsJSON), &v.Stats)
	json.Unmarshal([]byte(h.PayoutJSON), &v.Pay)
	json.Unmarshal([]byte(h.BigBassJSON), &v.BigBass)
	v.Scored = len(v.Results) > 0 && v.Pay.Fees > 0
	v.BigBassLine = bigBassLine(v.Pay.BigBass)
	v.BiggestOfDay = s.biggestOfDay(v)
	for _, res := range v.Results {
		if res.TieNote != "" {
			v.TieNotes = append(v.TieNotes, tieNote{res.PersonID, res.Name(), res.TieNote})
		}
	}
	v.Chart = weightChart(v.Results)
	v.ResultRows = resultRows(v.Results)
	v.BoatRows = boatRows(v.Boats, h.Format == club.FormatTeam)
	v.PayoutRows = payoutRows(v.Pay)
	v.BigBassWinners = bigBassWinners(v.Pay.BigBass.Winners, v.BigBass)
	v.StatsItems = statsItems(v.Stats)
	s.render(w, r, http.StatusOK, "tournament", h.Name, v)
}

// weightChart draws how the field's net weights spread out. Buy-ins and DQs
// are not part of the field's catch, so they are left out.
func weightChart(results []club.Result) chart.Chart {
	var weights []int64
	zeros := 0
	for _, r := range results {
		switch {
		case r.OutBuyIn || r.OutDQ:
		case r.OutFish == 0:
			zeros++
		default:
			weights = append(weights, r.Net)
		}
	}
	if len(weights) == 0 {
		return chart.Chart{}
	}
	return chart.Histogram("weights", "Weight distribution", "lb", "anglers", chart.WeightBins(weights, zeros))
}

// biggestOfDay names the holders of the biggest bass of the day (anyone,
// members or guests; spec §3.6), looked up among results or boats by the
// ids the scoring step stored.
func (s *Server) biggestOfDay(v tournamentView) []string {
	var names []string
	for _, id := range v.BigBass.Day {
		if v.BigBass.OnBoats {
			for _, b := range v.Boats {
				if b.ID == id {
					names = append(names, boatName(b))
				}
			}
			continue
		}
		for _, r := range v.Results {
			if r.PersonID == id {
				n := r.Name()
				if !r.WasMember {
					n += " (G)"
				}
				names = append(names, n)
			}
		}
	}
	return names
}

// boatName is "Ann Smith & Bob Jones" (or the one angler of a solo boat).
func boatName(b club.Boat) string {
	var names []string
	for _, a := range b.Anglers {
		names = append(names, a.FirstName+" "+a.LastName)
	}
	return strings.Join(names, " & ")
}

// bigBassLine is the pot line of the payouts card, e.g. "pot $60.00 (incl.
// $28.00 carried over from February Lake Bastrop and March Lake Bastrop)".
func bigBassLine(p scoring.BigBassPot) string {
	line := "pot " + money(p.Total)
	if p.Carried.Amount > 0 {
		from := p.Carried.From
		names := strings.Join(from, ", ")
		if len(from) > 1 {
			names = strings.Join(from[:len(from)-1], ", ") + " and " + from[len(from)-1]
		}
		line += fmt.Sprintf(" (incl. %s carried over from %s)", money(p.Carried.Amount), names)
	}
	return line
}

// rulesSummary says in plain words the rules this tournament was fished and
// scored under: its season's RuleSet and PayoutSchedule.
func rulesSummary(h store.TournamentHeader) []string {
	rules, pay := scoring.DefaultRules(), scoring.DefaultPayouts()
	json.Unmarshal([]byte(h.RulesJSON), &rules)
	json.Unmarshal([]byte(h.SeasonPayoutJSON), &pay)
	var out []string
	limit := rules.FishLimitFor(scoring.Format(h.Format), h.FishLimit)
	unit := "angler"
	if h.Format == club.FormatTeam {
		unit = "boat"
	}
	out = append(out, fmt.Sprintf("%d-fish limit per %s", limit, unit))
	if h.Paper {
		out = append(out, "paper tournament: fish are measured and weights come from the TPWD length–weight table")
	}
	if rules.DeadFishPenalty > 0 {
		out = append(out, fmt.Sprintf("dead fish: −%s lb each", rules.DeadFishPenalty))
	}
	if rules.LatePenaltyPerMinute > 0 {
		late := fmt.Sprintf("late: −%s lb per minute", rules.LatePenaltyPerMinute)
		if rules.LateDQAfterMinutes > 0 {
			late += fmt.Sprintf(", disqualified after %d minutes", rules.LateDQAfterMinutes)
		}
		out = append(out, late)
	}
	var chain []string
	for _, k := range rules.TieBreak {
		switch k {
		case scoring.TieFish:
			chain = append(chain, "most fish")
		case scoring.TieBigBass:
			chain = append(chain, "biggest bass")
		}
	}
	if len(chain) > 0 {
		out = append(out, "ties on weight go to "+strings.Join(chain, ", then "))
	}
	if h.PointsCount {
		out = append(out, fmt.Sprintf("counts for Angler of the Year (winner %d points, members only)", rules.MaxPoints))
	} else {
		out = append(out, "does not count for Angler of the Year")
	}
	out = append(out, fmt.Sprintf("big bass pot: members, %s lb or heavier", rules.BigBassMin))
	basis := "angler"
	if pay.FeeBasis == scoring.PerBoat {
		basis = "boat"
	}
	places := make([]string, len(pay.Places))
	for i, c := range pay.Places {
		places[i] = ordinal(i+1) + " " + money(c)
	}
	out = append(out, fmt.Sprintf("entry %s per %s: %s, big bass %s, club %s, charity %s (each per entry)",
		money(pay.EntryFee), basis, strings.Join(places, ", "), money(pay.BigBass), money(pay.Club), money(pay.Charity)))
	return out
}

// safeMapURL passes only absolute http(s) links: map links are entered by
// officers, and a javascript: or data: URL must never become a link.
func safeMapURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
