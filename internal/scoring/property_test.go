package scoring

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// randomTournament generates a field with many ties (weights from a coarse grid),
// guests, zeros, buy-ins, DQs, late anglers, locks and boats of one or two.
func randomTournament(rng *rand.Rand, n int) Tournament {
	t := Tournament{ID: 1, Name: "R", PointsCount: rng.IntN(5) > 0}
	for i := range n {
		e := Entry{ID: int64(100 + i), Name: fmt.Sprintf("Angler %02d", rng.IntN(n)), Member: rng.IntN(3) > 0}
		e.Fish = rng.IntN(6)
		if e.Fish > 0 {
			e.Gross = Weight(rng.IntN(8)+1) * 250
			e.BigBass = min(e.Gross, Weight(rng.IntN(4)+1)*150)
			e.Dead = rng.IntN(e.Fish + 1)
		}
		switch rng.IntN(12) {
		case 0:
			e.BuyIn = true
		case 1:
			e.DQ, e.DQPointsAllowed = true, rng.IntN(2) == 0
		case 2:
			e.LateMinutes = rng.IntN(20)
		case 3:
			e.Locked = &Lock{Place: rng.IntN(n) + 1, Points: rng.IntN(101)}
		}
		t.Entries = append(t.Entries, e)
	}
	perm := rng.Perm(n)
	for i := 0; i < n; {
		size := min(rng.IntN(2)+1, n-i)
		b := Boat{ID: int64(1000 + i)}
		for _, p := range perm[i : i+size] {
			b.Anglers = append(b.Anglers, t.Entries[p].ID)
		}
		t.Boats = append(t.Boats, b)
		i += size
	}
	if rng.IntN(4) == 0 {
		t.Boats = nil
	}
	return t
}

func randomRules(rng *rand.Rand) RuleSet {
	r := DefaultRules()
	if rng.IntN(2) == 0 {
		r.PlaceStyle = Dense
	}
	if rng.IntN(2) == 0 {
		r.TieBreak = []TieKey{TieBigBass, TieFish}
	}
	return r
}

// forRandomTournaments runs check over hundreds of generated fields with a fixed seed.
func forRandomTournaments(t *testing.T, check func(t *testing.T, rng *rand.Rand, r RuleSet, tt Tournament, o Outcome)) {
	rng := rand.New(rand.NewPCG(1981, 7))
	for i := range 400 {
		r, tt := randomRules(rng), randomTournament(rng, rng.IntN(60)+1)
		o, err := Score(r, tt)
		if err != nil {
			t.Fatalf("field %d: %v", i, err)
		}
		check(t, rng, r, tt, o)
		if t.Failed() {
			t.Fatalf("field %d failed (rules %+v)", i, r)
		}
	}
}

func byID[T any](xs []T, id func(T) int64) map[int64]T {
	m := make(map[int64]T, len(xs))
	for _, x := range xs {
		m[id(x)] = x
	}
	return m
}

func TestPropertyShuffleNeverChangesOutcome(t *testing.T) {
	forRandomTournaments(t, func(t *testing.T, rng *rand.Rand, r RuleSet, tt Tournament, o Outcome) {
		shuffled := tt
		shuffled.Entries, shuffled.Boats = slices.Clone(tt.Entries), slices.Clone(tt.Boats)
		rng.Shuffle(len(shuffled.Entries), func(i, j int) { shuffled.Entries[i], shuffled.Entries[j] = shuffled.Entries[j], shuffled.Entries[i] })
		rng.Shuffle(len(shuffled.Boats), func(i, j int) { shuffled.Boats[i], shuffled.Boats[j] = shuffled.Boats[j], shuffled.Boats[i] })
		o2, err := Score(r, shuffled)
		if err != nil {
			t.Fatal(err)
		}
		resID := func(r Result) int64 { return r.ID }
		boatID := func(b BoatResult) int64 { return b.ID }
		if d := cmp.Diff(byID(o.Results, resID), byID(o2.Results, resID)); d != "" {
			t.Errorf("results changed by shuffling (-before +after):\n%s", d)
		}
		if d := cmp.Diff(byID(o.Boats, boatID), byID(o2.Boats, boatID)); d != "" {
			t.Errorf("boats changed by shuffling (-before +after):\n%s", d)
		}
		if d := cmp.Diff(o.BigBass, o2.BigBass); d != "" {
			t.Errorf("big bass changed by shuffling:\n%s", d)
		}
		p1, p2 := pay(t, o, DefaultPayouts(), Carry{}), pay(t, o2, DefaultPayouts(), Carry{})
		if d := cmp.Diff(p1, p2); d != "" {
			t.Errorf("payouts changed by shuffling:\n%s", d)
		}
	})
}

func TestPropertyPlacesAndPoints(t *testing.T) {
	forRandomTournaments(t, func(t *testing.T, _ *rand.Rand, r RuleSet, tt Tournament, o Outcome) {
		rows := slices.Clone(o.Results)
		slices.SortFunc(rows, func(a, b Result) int { return a.Order - b.Order })
		var prev *Result
		for i := range rows {
			x := &rows[i]
			if x.Pointed && !x.Member {
				t.Errorf("guest %d got points", x.ID)
			}
			if x.Points < 0 {
				t.Errorf("row %d has %d points", x.ID, x.Points)
			}
			if x.Pointed && !tt.PointsCount {
				t.Errorf("row %d pointed while points do not count", x.ID)
			}
			if x.DQ && !x.Locked && x.Place != 0 {
				t.Errorf("DQ row %d has place %d", x.ID, x.Place)
			}
			if x.Locked || x.DQ {
				continue
			}
			if prev != nil && x.Place < prev.Place {
				t.Errorf("place decreases down the ranking: %d after %d", x.Place, prev.Place)
			}
			if prev != nil && !prev.BuyIn && !x.BuyIn && x.Net == prev.Net && x.Fish == prev.Fish && x.BigBass == prev.BigBass {
				if x.Place != prev.Place {
					t.Errorf("tied rows %d and %d have places %d and %d", prev.ID, x.ID, prev.Place, x.Place)
				}
				if x.Pointed && prev.Pointed && x.Points != prev.Points {
					t.Errorf("tied members %d and %d have points %d and %d", prev.ID, x.ID, prev.Points, x.Points)
				}
			}
			prev = x
		}
	})
}

func TestPropertyBoatsAndPayouts(t *testing.T) {
	forRandomTournaments(t, func(t *testing.T, _ *rand.Rand, _ RuleSet, _ Tournament, o Outcome) {
		res := byID(o.Results, func(r Result) int64 { return r.ID })
		for _, b := range o.Boats {
			var fish, dead int
			var net Weight
			for _, id := range b.Anglers {
				fish, dead, net = fish+res[id].Fish, dead+res[id].Dead, net+res[id].Net
			}
			if fish != b.Fish || dead != b.Dead || net != b.Net {
				t.Errorf("boat %d: %d/%d/%s, anglers sum %d/%d/%s", b.ID, b.Fish, b.Dead, b.Net, fish, dead, net)
			}
		}
		carry := Carry{Amount: 12_00, From: []string{"Before"}}
		p, err := Pay(o, DefaultPayouts(), carry)
		if err != nil {
			t.Fatal(err)
		}
		var places, bb Cents
		for _, pr := range p.Places {
			places += pr.Amount
		}
		for _, pr := range p.BigBass.Winners {
			bb += pr.Amount
		}
		if places+p.Unawarded != p.PlacePot {
			t.Errorf("places paid %s + unawarded %s != place pot %s", places, p.Unawarded, p.PlacePot)
		}
		if bb+p.BigBass.CarryOut.Amount != p.BigBass.Total || (bb > 0) == (p.BigBass.CarryOut.Amount > 0) && p.BigBass.Total > 0 {
			t.Errorf("big bass paid %s, carried %s, pot %s", bb, p.BigBass.CarryOut.Amount, p.BigBass.Total)
		}
		if p.Club+p.Charity+p.PlacePot+p.BigBass.Own != p.Total {
			t.Errorf("pots %s+%s+%s+%s do not make the total %s", p.Club, p.Charity, p.PlacePot, p.BigBass.Own, p.Total)
		}
	})
}
