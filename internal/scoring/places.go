package scoring

import (
	"cmp"
	"slices"
	"strings"
)

// unit is one rankable row, an angler result or a boat: places and points are the
// same algorithm for both (spec §3.3 "the same algorithm ranks boats").
type unit struct {
	id              int64
	name, sortName  string
	member          bool
	dqPointsAllowed bool
	lock            *Lock
	s               *Scored
}

// ranking is the outcome of rank, kept for points and locks.
type ranking struct {
	groups [][]*unit // ranked rows, best first; a group is one shared place
	buyIns []*unit
	dqs    []*unit
}

// rank sorts units and sets Place, Order and Ties (spec §3.3). Locks are applied
// later, so a locked row still occupies its computed slot.
func rank(r RuleSet, us []*unit) ranking {
	var rk ranking
	var ranked []*unit
	for _, u := range us {
		switch {
		case u.s.DQ:
			rk.dqs = append(rk.dqs, u)
		case u.s.BuyIn:
			rk.buyIns = append(rk.buyIns, u)
		default:
			ranked = append(ranked, u)
		}
	}
	slices.SortFunc(ranked, func(a, b *unit) int {
		if c := comparePerformance(r.TieBreak, a.s, b.s); c != 0 {
			return c
		}
		return compareNames(a, b)
	})
	slices.SortFunc(rk.buyIns, compareNames)
	slices.SortFunc(rk.dqs, compareNames)

	place := 0
	for i, u := range ranked {
		if i == 0 || comparePerformance(r.TieBreak, ranked[i-1].s, u.s) != 0 {
			rk.groups = append(rk.groups, nil)
			place = i + 1
			if r.PlaceStyle == Dense {
				place = len(rk.groups)
			}
		}
		rk.groups[len(rk.groups)-1] = append(rk.groups[len(rk.groups)-1], u)
		u.s.Place = place
	}
	buyInPlace := len(ranked) + 1
	if r.PlaceStyle == Dense {
		buyInPlace = place + 1
	}
	for _, u := range rk.buyIns {
		u.s.Place = buyInPlace
	}
	for i, u := range slices.Concat(ranked, rk.buyIns, rk.dqs) {
		u.s.Order = i
		if u.s.DQ {
			u.s.Place = 0
		}
		u.s.RankPlace = u.s.Place
	}
	tieNotes(r.TieBreak, ranked)
	return rk
}

// comparePerformance orders by net, then each key of the chain, heaviest/most first.
func comparePerformance(chain []TieKey, a, b *Scored) int {
	if c := cmp.Compare(b.Net, a.Net); c != 0 {
		return c
	}
	for _, k := range chain {
		if c := cmp.Compare(chainValue(b, k), chainValue(a, k)); c != 0 {
			return c
		}
	}
	return 0
}

// compareNames is the display order among tied rows: sort name, then the caller's ID
// so the outcome never depends on input order.
func compareNames(a, b *unit) int {
	return cmp.Or(cmp.Compare(a.sortName, b.sortName), cmp.Compare(a.id, b.id))
}

func chainValue(s *Scored, k TieKey) int64 {
	if k == TieFish {
		return int64(s.Fish)
	}
	return int64(s.BigBass)
}

// TieNote explains how a row compares with a neighbour that weighed the same net, so
// a page can print "tied on 12.45 lb — won on 5 fish vs 4".
type TieNote struct {
	OtherID   int64
	OtherName string
	Net       Weight    // the net weight both rows share
	Steps     []TieStep // chain keys compared, in order, up to the deciding one
	Won       bool      // this row ranks ahead of the other
	Shared    bool      // equal on every key: the rows share a place
}

// TieStep is one compared tie-break key: fish counts or big bass hundredths.
type TieStep struct {
	Key        TieKey
	Own, Other int64
}

// tieNotes records, for each ranked row, the comparison with the rows directly above
// and below that share its net. Zero-weight rows are skipped: they tie by rule.
func tieNotes(chain []TieKey, ranked []*unit) {
	for i := 1; i < len(ranked); i++ {
		a, b := ranked[i-1], ranked[i]
		if a.s.Net != b.s.Net || a.s.Net == 0 {
			continue
		}
		var steps, back []TieStep
		for _, k := range chain {
			va, vb := chainValue(a.s, k), chainValue(b.s, k)
			steps = append(steps, TieStep{k, va, vb})
			back = append(back, TieStep{k, vb, va})
			if va != vb {
				break
			}
		}
		shared := comparePerformance(chain, a.s, b.s) == 0
		a.s.Ties = append(a.s.Ties, TieNote{b.id, b.name, a.s.Net, steps, !shared, shared})
		b.s.Ties = append(b.s.Ties, TieNote{a.id, a.name, a.s.Net, back, false, shared})
	}
}

// String says it the way the results page prints it, e.g.
// "tied on 12.45 lb — won on 5 fish vs 4" or "tied on 12.45 lb and 5 fish — lost on
// big bass 4.10 vs 5.00" or "tied on 12.45 lb, 5 fish and big bass 4.10 — shares the place".
func (n TieNote) String() string {
	equal := n.Steps
	if !n.Shared && len(equal) > 0 {
		equal = equal[:len(equal)-1]
	}
	parts := []string{n.Net.String() + " lb"}
	for _, st := range equal {
		parts = append(parts, st.value(st.Own))
	}
	tied := "tied on " + joinAnd(parts)
	if n.Shared {
		return tied + " — shares the place"
	}
	last := n.Steps[len(n.Steps)-1]
	verb := "lost"
	if n.Won {
		verb = "won"
	}
	if last.Key == TieFish {
		return tied + " — " + verb + " on " + last.value(last.Own) + " vs " + itoa(last.Other)
	}
	return tied + " — " + verb + " on " + last.value(last.Own) + " vs " + Weight(last.Other).String()
}

func (st TieStep) value(v int64) string {
	if st.Key == TieFish {
		return itoa(v) + " fish"
	}
	return "big bass " + Weight(v).String()
}

func joinAnd(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
