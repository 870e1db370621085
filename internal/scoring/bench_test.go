package scoring

import (
	"math/rand/v2"
	"testing"
)

// benchField is a 200-angler tournament with 100 boats, as a big club day.
func benchField(seed uint64) Tournament {
	t := randomTournament(rand.New(rand.NewPCG(seed, 1)), 200)
	t.PointsCount = true
	return t
}

func BenchmarkScore200Anglers(b *testing.B) {
	r, t := DefaultRules(), benchField(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(r, t); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAoY12Tournaments200Anglers(b *testing.B) {
	r := DefaultRules()
	var season []SeasonTournament
	for i := range 12 {
		o, err := Score(r, benchField(uint64(i)))
		if err != nil {
			b.Fatal(err)
		}
		season = append(season, SeasonTournament{ID: int64(i), PointsCount: true, Results: SeasonResults(o)})
	}
	b.ReportAllocs()
	for b.Loop() {
		Standings(r, season)
	}
}
