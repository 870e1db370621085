package demo

import (
	"math"
	"slices"
	"strings"

	"sabc/internal/club"
	"sabc/internal/scoring"
)

// weighIn invents a realistic field for one tournament: who fished, their
// fish and weights (better anglers catch more), a few dead fish, late
// arrivals, buy-ins and the odd DQ, paired into boats.
func (g *gen) weighIn(t club.Tournament, paper bool) ([]club.Result, []club.Boat) {
	size := (24 + g.rng.IntN(18)) * g.o.Scale
	field := g.pickField(size)
	results := make([]club.Result, 0, len(field))
	for _, id := range field {
		r := club.Result{PersonID: id, WasMember: slices.Contains(g.members, id)}
		if t.Format != club.FormatTeam {
			g.catch(&r, paper)
		}
		results = append(results, r)
	}
	var boats []club.Boat
	for i := 0; i < len(field); i += 2 {
		b := club.Boat{Anglers: []club.BoatAngler{{PersonID: field[i]}}}
		if i+1 < len(field) && g.rng.Float64() < 0.9 {
			b.Anglers = append(b.Anglers, club.BoatAngler{PersonID: field[i+1]})
		} else if i+1 < len(field) {
			boats = append(boats, b)
			b = club.Boat{Anglers: []club.BoatAngler{{PersonID: field[i+1]}}}
		}
		if t.Format == club.FormatTeam {
			var r club.Result
			g.catch(&r, false)
			b.Fish, b.Dead, b.LateMinutes, b.Gross, b.BigBass = r.Fish, r.Dead, r.LateMinutes, r.Gross, r.BigBass
			b.BuyIn, b.Disqualified, b.DQReason = r.BuyIn, r.Disqualified, r.DQReason
			if r.Fish > 0 && g.rng.Float64() < 0.7 { // two anglers bring more to the scale
				extra := int64(100 + g.rng.IntN(300))
				b.Gross += extra
			}
		}
		boats = append(boats, b)
	}
	return results, boats
}

// pickField chooses size distinct anglers, members far more often than guests.
func (g *gen) pickField(size int) []int64 {
	seen := map[int64]bool{}
	var field []int64
	for len(field) < size && len(field) < len(g.members)+len(g.guests) {
		pool := g.members
		if g.rng.Float64() < 0.2 {
			pool = g.guests
		}
		id := pool[g.rng.IntN(len(pool))]
		if !seen[id] {
			seen[id] = true
			field = append(field, id)
		}
	}
	return field
}

// catch fills one angler's weigh-in.
func (g *gen) catch(r *club.Result, paper bool) {
	switch x := g.rng.Float64(); {
	case x < 0.05:
		r.BuyIn = true
		return
	case x < 0.065:
		r.Disqualified, r.DQReason = true, "Fishing before safe light"
	}
	skill := g.skill[r.PersonID]
	if skill == 0 {
		skill = 1
	}
	fish := int(math.Round(g.rng.NormFloat64()*1.4 + 2.5 + skill))
	r.Fish = max(0, min(5, fish))
	var lengths []string
	for i := 0; i < r.Fish; i++ {
		w := int64(math.Max(90, (g.rng.ExpFloat64()*0.9+1.1)*skill*100)) // hundredths of a pound
		if g.rng.Float64() < 0.02 {
			w += 400 + int64(g.rng.IntN(300)) // a lunker
		}
		if paper {
			l := scoring.LengthOf(scoring.Weight(w))
			lengths = append(lengths, l.String())
			w = int64(scoring.WeightOf(l))
		}
		r.Gross += w
		r.BigBass = max(r.BigBass, w)
	}
	r.Lengths = strings.Join(lengths, ", ")
	if r.Fish > 0 && g.rng.Float64() < 0.12 {
		r.Dead = 1
	}
	if g.rng.Float64() < 0.04 {
		r.LateMinutes = 1 + g.rng.IntN(20) // past 15 minutes is a DQ
	}
}
