package scoring

import (
	"cmp"
	"slices"
)

// Catch is one line of a season top list: a stringer or a big bass.
type Catch struct {
	Rank           int // shared when weights are equal
	TournamentID   int64
	TournamentName string
	AnglerID       int64
	Name           string
	Weight         Weight
}

// HeavyStringers is the season's top n single-tournament net weights (spec §3.8):
// not DQ, not buy-in, a fish weighed; guests and paper events per the rule set.
func HeavyStringers(r RuleSet, ts []SeasonTournament, n int) []Catch {
	return topCatches(ts, n, func(t SeasonTournament, res SeasonResult) (Weight, bool) {
		ok := !res.DQ && !res.BuyIn && res.Fish > 0 && res.Net > 0 &&
			(res.Member || r.HeavyStringerGuests) && (!t.Paper || r.HeavyStringerPaper)
		return res.Net, ok
	})
}

// BigBassOfYear is the season's top n big bass at or above the minimum, anyone not DQ.
func BigBassOfYear(r RuleSet, ts []SeasonTournament, n int) []Catch {
	return topCatches(ts, n, func(_ SeasonTournament, res SeasonResult) (Weight, bool) {
		return res.BigBass, !res.DQ && res.BigBass > 0 && res.BigBass >= r.BigBassMin
	})
}

// topCatches sorts the picked weights heaviest first, then earlier tournament, then
// name, and keeps n.
func topCatches(ts []SeasonTournament, n int, pick func(SeasonTournament, SeasonResult) (Weight, bool)) []Catch {
	type item struct {
		c        Catch
		ti       int
		sortName string
	}
	var items []item
	for ti, t := range ts {
		for _, res := range t.Results {
			if w, ok := pick(t, res); ok {
				items = append(items, item{Catch{0, t.ID, t.Name, res.AnglerID, res.Name, w}, ti, cmp.Or(res.SortName, res.Name)})
			}
		}
	}
	slices.SortFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(b.c.Weight, a.c.Weight), cmp.Compare(a.ti, b.ti),
			cmp.Compare(a.sortName, b.sortName), cmp.Compare(a.c.AnglerID, b.c.AnglerID))
	})
	out := make([]Catch, 0, min(n, len(items)))
	for i, it := range items[:min(n, len(items))] {
		it.c.Rank = i + 1
		if i > 0 && out[i-1].Weight == it.c.Weight {
			it.c.Rank = out[i-1].Rank
		}
		out = append(out, it.c)
	}
	return out
}

// TournamentStats are the numbers under a tournament's results (spec §3.8).
type TournamentStats struct {
	Anglers       int // angler rows that are not buy-ins
	Boats         int
	Fish          int    // not counting DQ'd rows
	Net           Weight // total net of rows with fish, not DQ
	Weighed       int    // rows with fish, not DQ
	Limits        int    // rows with fish = limit
	Zeros         int
	BuyIns        int
	DQs           int
	BiggestBass   Weight // anyone not DQ
	HeavyStringer Weight // the place-1 net
	AverageWeight Weight // Net per angler who weighed (boats' anglers in team format), rounded half up
}

// Stats computes a tournament's statistics. Catch numbers come from the weigh-in
// rows: boats in team format, anglers otherwise.
func Stats(o Outcome) TournamentStats {
	st := TournamentStats{Boats: len(o.Boats)}
	for _, r := range o.Results {
		if !r.BuyIn {
			st.Anglers++
		}
	}
	for _, u := range unitsOf(o, o.Format == Team) {
		s := u.s
		switch {
		case s.DQ:
			st.DQs++
			continue
		case s.BuyIn:
			st.BuyIns++
			continue
		case s.Fish == 0:
			st.Zeros++
		default:
			st.Weighed++
			st.Fish += s.Fish
			st.Net += s.Net
		}
		if s.Fish == o.FishLimit {
			st.Limits++
		}
		st.BiggestBass = max(st.BiggestBass, s.BigBass)
		st.HeavyStringer = max(st.HeavyStringer, s.Net)
	}
	// The average is per angler who weighed (spec §3.8): in team format a
	// boat's net is shared by the anglers in it.
	weighedAnglers := st.Weighed
	if o.Format == Team {
		weighedAnglers = 0
		for _, b := range o.Boats {
			if !b.DQ && !b.BuyIn && b.Fish > 0 {
				weighedAnglers += len(b.Anglers)
			}
		}
	}
	if weighedAnglers > 0 {
		k := Weight(weighedAnglers)
		st.AverageWeight = (2*st.Net + k) / (2 * k)
	}
	return st
}

// Profile is an angler's numbers over the tournaments given: one season, or all
// seasons for the all-time line.
type Profile struct {
	Events     int
	Wins       int
	Top3       int
	Points     int // AoY points (after drop-worst) when aoy lists the angler, else the sum
	AoYRank    int // 0 when unranked or no AoY was given
	Fish       int
	Weight     Weight
	BigBass    Weight
	BestFinish int // 0 when never placed
	History    []HistoryRow
}

// HistoryRow is one tournament in an angler's results history.
type HistoryRow struct {
	TournamentID   int64
	TournamentName string
	SeasonResult
}

// AnglerProfile computes one angler's profile numbers (spec §3.8). Wins, top-3s and
// best finish count fished places only (no buy-ins, no DQ); DQ'd catches are not
// counted. aoy may be nil (all-time).
func AnglerProfile(anglerID int64, ts []SeasonTournament, aoy *AoY) Profile {
	var p Profile
	for _, t := range ts {
		for _, res := range t.Results {
			if res.AnglerID != anglerID {
				continue
			}
			p.Events++
			p.History = append(p.History, HistoryRow{t.ID, t.Name, res})
			if res.Pointed {
				p.Points += res.Points
			}
			if res.DQ {
				continue
			}
			p.Fish += res.Fish
			p.Weight += res.Net
			p.BigBass = max(p.BigBass, res.BigBass)
			if res.BuyIn || res.Place == 0 {
				continue
			}
			if p.BestFinish == 0 || res.Place < p.BestFinish {
				p.BestFinish = res.Place
			}
			if res.Place == 1 {
				p.Wins++
			}
			if res.Place <= 3 {
				p.Top3++
			}
		}
	}
	if aoy != nil {
		for _, st := range aoy.Rows {
			if st.AnglerID == anglerID {
				p.Points, p.AoYRank = st.Points, st.Rank
			}
		}
	}
	return p
}
