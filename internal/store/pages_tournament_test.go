package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// TestPageResultsAndBoatsAreResultsAndBoatsNarrowed: the tournament page's
// narrow reads return, for every demo tournament, the rows Results and Boats
// return — same order, same printed fields — without the fields the page
// does not print.
func TestPageResultsAndBoatsAreResultsAndBoatsNarrowed(t *testing.T) {
	s := testutil.NewDB(t)
	ctx := context.Background()
	if err := demo.Generate(ctx, s, demo.Options{Now: testutil.Now, Seasons: 2, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	ts, err := s.Tournaments(ctx, store.TournamentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seenBoats, seenResults := 0, 0
	for _, tr := range ts {
		full, err := s.Results(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range full { // what the page prints, nothing else
			full[i] = club.Result{ID: r.ID, TournamentID: r.TournamentID, PersonID: r.PersonID, FirstName: r.FirstName,
				LastName: r.LastName, WasMember: r.WasMember, OutFish: r.OutFish, OutDead: r.OutDead, OutGross: r.OutGross,
				OutBigBass: r.OutBigBass, OutBuyIn: r.OutBuyIn, OutDQ: r.OutDQ, OutDQReason: r.OutDQReason,
				Penalty: r.Penalty, Net: r.Net, Place: r.Place, Points: r.Points, PrizeCents: r.PrizeCents, TieNote: r.TieNote}
		}
		page, err := s.PageResults(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(full, page); diff != "" {
			t.Errorf("tournament %d: PageResults differs from Results (-Results +PageResults):\n%s", tr.ID, diff)
		}
		seenResults += len(page)
		boats, err := s.Boats(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, b := range boats {
			var crew []club.BoatAngler
			for _, a := range b.Anglers {
				crew = append(crew, club.BoatAngler{PersonID: a.PersonID, FirstName: a.FirstName, LastName: a.LastName})
			}
			boats[i] = club.Boat{ID: b.ID, TournamentID: b.TournamentID, Anglers: crew, TotalFish: b.TotalFish,
				TotalDead: b.TotalDead, TotalBigBass: b.TotalBigBass, Penalty: b.Penalty, Net: b.Net, IsDQ: b.IsDQ,
				IsBuyIn: b.IsBuyIn, DQReason: b.DQReason, Place: b.Place, Points: b.Points, PrizeCents: b.PrizeCents}
		}
		pageBoats, err := s.PageBoats(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(boats, pageBoats); diff != "" {
			t.Errorf("tournament %d: PageBoats differs from Boats (-Boats +PageBoats):\n%s", tr.ID, diff)
		}
		seenBoats += len(pageBoats)
	}
	if seenResults == 0 || seenBoats == 0 {
		t.Fatalf("the demo club gave %d results and %d boats to compare", seenResults, seenBoats)
	}
}

// TestTournamentHeaderNeighboursByDateThenID: previous and next follow the
// event date, and tournaments on one date follow their ids — the order the
// big-bass carry-over walks.
func TestTournamentHeaderNeighboursByDateThenID(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	feb := f.tournament(2026, club.NewDate(2026, 2, 7), "Feb")
	a := f.tournament(2026, club.NewDate(2026, 3, 14), "A")
	b := f.tournament(2026, club.NewDate(2026, 3, 14), "B")
	c := f.tournament(2026, club.NewDate(2026, 3, 14), "C")
	apr := f.tournament(2026, club.NewDate(2026, 4, 11), "Apr")
	want := map[int64][2]int64{feb: {0, a}, a: {feb, b}, b: {a, c}, c: {b, apr}, apr: {c, 0}}
	for id, w := range want {
		h, err := f.s.TournamentHeader(f.ctx, id)
		f.must(err)
		if got := [2]int64{h.Prev.ID, h.Next.ID}; got != w {
			t.Errorf("tournament %d (%s): prev, next = %v, want %v", id, h.Name, got, w)
		}
	}
}
