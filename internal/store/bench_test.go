package store_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"sabc/internal/club"
)

// benchSeason builds a season of 12 complete tournaments with 200 anglers
// each (100 two-angler boats, some guests, zeros, buy-ins and DQs) through
// ImportResults, and returns the last tournament and one of its results.
func benchSeason(b *testing.B) (*fx, int64, club.Result) {
	f := newFx(b)
	f.season(2026, nil)
	rng := rand.New(rand.NewPCG(2026, 200))
	people := make([]int64, 200)
	for i := range people {
		people[i] = f.person(fmt.Sprintf("A%03d", i), i%10 != 0)
	}
	var last int64
	for m := time.January; m <= time.December; m++ {
		last = f.tournament(2026, club.LastWeekday(2026, m, time.Sunday), m.String())
		results := make([]club.Result, len(people))
		for i, p := range people {
			r := club.Result{PersonID: p, WasMember: i%10 != 0}
			switch k := rng.IntN(40); {
			case k == 0:
				r.BuyIn = true
			case k == 1:
				r.Disqualified, r.DQReason = true, "off limits"
			case k < 5: // zero
			default:
				r.Fish = 1 + rng.IntN(5)
				r.Gross = int64(r.Fish) * int64(100+rng.IntN(300)) // many ties on round weights
				r.BigBass = min(r.Gross, int64(150+rng.IntN(500)))
				r.Dead = rng.IntN(2)
			}
			results[i] = r
		}
		var boats []club.Boat
		for i := 0; i+1 < len(people); i += 2 {
			boats = append(boats, club.Boat{Anglers: []club.BoatAngler{{PersonID: people[i]}, {PersonID: people[i+1]}}})
		}
		f.must(f.s.ImportResults(f.ctx, 0, last, results, boats))
	}
	rs, err := f.s.Results(f.ctx, last)
	f.must(err)
	return f, last, rs[len(rs)/2]
}

// BenchmarkSaveResultWeighIn is one weigh-in correction through the store:
// SaveResult on a 200-angler tournament in a 12-tournament season, which
// rescores the tournament (places, points, boats, payouts, stats) and
// rebuilds the season's AoY and awards, in one transaction. The weight
// alternates so places really move on every save.
func BenchmarkSaveResultWeighIn(b *testing.B) {
	f, _, r := benchSeason(b)
	r.Fish = 5
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Gross = 1200 + int64(i%2)*600
		if _, err := f.s.SaveResult(f.ctx, 0, r); err != nil {
			b.Fatal(err)
		}
		r.Version++
	}
}
