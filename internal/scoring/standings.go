package scoring

import (
	"cmp"
	"slices"
)

// SeasonTournament is one complete tournament of a season as the season views need
// it, in date order. SeasonResults turns an Outcome into its rows; the store can also
// build them from stored outcomes without rescoring.
type SeasonTournament struct {
	ID          int64
	Name        string
	PointsCount bool
	Paper       bool
	Results     []SeasonResult
}

// SeasonResult is one angler's stored outcome in one tournament.
type SeasonResult struct {
	AnglerID       int64
	Name, SortName string
	Member         bool
	Place          int // 0 = no place
	Points         int
	Pointed        bool
	Fish           int
	Net, BigBass   Weight
	BuyIn, DQ      bool
}

// SeasonResults converts an outcome's angler rows (by Result.ID) for the season views.
func SeasonResults(o Outcome) []SeasonResult {
	out := make([]SeasonResult, len(o.Results))
	for i, r := range o.Results {
		out[i] = SeasonResult{AnglerID: r.ID, Name: r.Name, SortName: r.SortName, Member: r.Member,
			Place: r.Place, Points: r.Points, Pointed: r.Pointed, Fish: r.Fish, Net: r.Net,
			BigBass: r.BigBass, BuyIn: r.BuyIn, DQ: r.DQ}
	}
	return out
}

// Standing is one angler's Angler-of-the-Year line.
type Standing struct {
	AnglerID   int64
	Name       string
	Rank       int  // shared when tied; 0 when not eligible
	Eligible   bool // fished at least the minimum events
	Points     int  // after dropping the worst results
	Dropped    int  // points dropped
	Events     int
	Wins       int
	Fish       int
	Net        Weight
	BigBass    Weight
	Cumulative []int // running points after each counted tournament (chart)
}

// AoY is a season's Angler-of-the-Year table.
type AoY struct {
	Tournaments []int64 // IDs of the counted tournaments, the chart's x axis
	Rows        []Standing
}

// Standings computes Angler of the Year (spec §3.8) over the points tournaments of
// ts; the caller passes complete tournaments in date order. An angler appears once
// pointed in any of them. Drop-worst counts a missed tournament as 0 points and never
// drops the last counted result, so early-season standings are not all zero. Totals
// (fish, weight, biggest bass, wins) cover every counted event, dropped or not, and
// skip DQ'd catches. Eligible anglers come first, ranked by points, the AoY chain,
// then name (ties share a rank); those below the minimum events follow, unranked.
func Standings(r RuleSet, ts []SeasonTournament) AoY {
	type acc struct {
		st       Standing
		sortName string
		per      []int // points per counted tournament, 0 when missed
	}
	var aoy AoY
	for _, t := range ts {
		if t.PointsCount {
			aoy.Tournaments = append(aoy.Tournaments, t.ID)
		}
	}
	counted := len(aoy.Tournaments)
	byID := map[int64]*acc{}
	var all []*acc
	ti := 0
	for _, t := range ts {
		if !t.PointsCount {
			continue
		}
		for _, res := range t.Results {
			if !res.Pointed {
				continue
			}
			a := byID[res.AnglerID]
			if a == nil {
				a = &acc{st: Standing{AnglerID: res.AnglerID}, per: make([]int, counted)}
				byID[res.AnglerID] = a
				all = append(all, a)
			}
			a.st.Name, a.sortName = res.Name, cmp.Or(res.SortName, res.Name)
			a.per[ti] += res.Points
			addEvent(&a.st, res)
		}
		ti++
	}
	drop := min(r.AoYDropWorst, max(counted-1, 0))
	for _, a := range all {
		run := 0
		a.st.Cumulative = make([]int, counted)
		for i, p := range a.per {
			run += p
			a.st.Cumulative[i] = run
		}
		for _, p := range slices.Sorted(slices.Values(a.per))[:drop] {
			a.st.Dropped += p
		}
		a.st.Points = run - a.st.Dropped
		a.st.Eligible = a.st.Events >= r.AoYMinEvents
	}
	slices.SortFunc(all, func(x, y *acc) int {
		return cmp.Or(compareEligible(x.st, y.st), compareAoY(r.AoYTieBreak, x.st, y.st),
			cmp.Compare(x.sortName, y.sortName), cmp.Compare(x.st.AnglerID, y.st.AnglerID))
	})
	aoy.Rows = make([]Standing, len(all))
	for i, a := range all {
		aoy.Rows[i] = a.st
		switch {
		case !a.st.Eligible:
		case i > 0 && compareAoY(r.AoYTieBreak, all[i-1].st, a.st) == 0:
			aoy.Rows[i].Rank = aoy.Rows[i-1].Rank
		default:
			aoy.Rows[i].Rank = i + 1
		}
	}
	return aoy
}

// addEvent adds one pointed tournament to an angler's season totals.
func addEvent(st *Standing, res SeasonResult) {
	st.Events++
	if res.DQ {
		return
	}
	if res.Place == 1 && !res.BuyIn {
		st.Wins++
	}
	st.Fish += res.Fish
	st.Net += res.Net
	st.BigBass = max(st.BigBass, res.BigBass)
}

func compareEligible(a, b Standing) int {
	switch {
	case a.Eligible == b.Eligible:
		return 0
	case a.Eligible:
		return -1
	}
	return 1
}

// compareAoY orders by points, then the AoY chain, best first.
func compareAoY(chain []AoYKey, a, b Standing) int {
	if c := cmp.Compare(b.Points, a.Points); c != 0 {
		return c
	}
	for _, k := range chain {
		var c int
		switch k {
		case AoYTotalWeight:
			c = cmp.Compare(b.Net, a.Net)
		case AoYBigBass:
			c = cmp.Compare(b.BigBass, a.BigBass)
		case AoYWins:
			c = cmp.Compare(b.Wins, a.Wins)
		}
		if c != 0 {
			return c
		}
	}
	return 0
}
