package store

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"sabc/internal/club"
	"sabc/internal/scoring"
)

// Scored is one tournament as a rescore left it: the rows the rescore read,
// with the outcome it stored, in the order Results and Boats list them. A
// weigh-in write answers with its standings from it instead of reading
// them again.
type Scored struct {
	Tournament  club.Tournament
	Results     []club.Result
	Boats       []club.Boat
	BigBassJSON string // as stored on the tournament row (big_bass_json)
}

func scoredOf(t club.Tournament, results []club.Result, boats []club.Boat, bb scoring.BigBass) Scored {
	b, _ := json.Marshal(bb)
	sc := Scored{Tournament: t, Results: slices.Clone(results), Boats: slices.Clone(boats), BigBassJSON: string(b)}
	sortResults(sc.Results)
	slices.SortStableFunc(sc.Boats, func(a, b club.Boat) int {
		return cmp.Or(comparePlace(a.Place, b.Place), cmp.Compare(a.ID, b.ID))
	})
	return sc
}

// sortResults puts one tournament's results in finishing order: placed rows
// by place, then the rest; ties by last name, first name, id. Compared
// byte by byte in Go, so the order does not depend on the database's
// collation (SQLite and a PostgreSQL in en_US order "de Leon" apart).
func sortResults(rs []club.Result) {
	slices.SortFunc(rs, func(a, b club.Result) int {
		// Not cmp.Or, which compares the names of every pair, places apart or not.
		if c := comparePlace(a.Place, b.Place); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.LastName, b.LastName), strings.Compare(a.FirstName, b.FirstName),
			cmp.Compare(a.ID, b.ID))
	})
}

// comparePlace orders places ascending with no place last.
func comparePlace(a, b *int) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*a, *b)
}

// applyResultOutcome sets a result row's derived fields to the outcome
// storeOutcome stores for it.
func applyResultOutcome(r *club.Result, res scoring.Result, place, points *int, note string, prize int64) {
	r.OutFish, r.OutDead, r.OutGross, r.OutBigBass = res.Fish, res.Dead, int64(res.Gross), int64(res.BigBass)
	r.OutBuyIn, r.OutDQ, r.OutDQReason = res.BuyIn, res.DQ, res.DQReason
	r.Penalty, r.Net, r.Place, r.Points, r.TieNote, r.PrizeCents = int64(res.Penalty), int64(res.Net), place, points,
		note, prize
}

// applyBoatOutcome is applyResultOutcome for a boat row.
func applyBoatOutcome(b *club.Boat, res scoring.BoatResult, prize int64) {
	b.TotalFish, b.TotalDead, b.TotalBigBass = res.Fish, res.Dead, int64(res.BigBass)
	b.Penalty, b.Net, b.IsDQ, b.IsBuyIn = int64(res.Penalty), int64(res.Net), res.DQ, res.BuyIn
	b.Place, b.Points, b.PrizeCents = placeOf(res.Scored), pointsOf(res.Scored), prize
}
