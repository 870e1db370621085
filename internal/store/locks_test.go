package store_test

import (
	"testing"

	"sabc/internal/club"
)

func intp(v int) *int { return &v }

// A lock is an input: a rescore in which its points do not apply (a guest row)
// must not erase them, so a later correction to member shows the locked points
// (01-domain §3.3 step 6, §3.4 step 4).
func TestLockedGuestKeepsItsPointsWhenCorrectedToMember(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	gus, mia := f.person("Gus", false), f.person("Mia", true)
	gid, err := f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: gus, WasMember: false,
		Fish: 3, Gross: 600, Locked: true, LockedPlace: intp(1), LockedPoints: intp(50)})
	f.must(err)
	f.weigh(tid, mia, true, 5, 1100, 0)
	if got, want := placesPoints(f, tid, []int64{gus, mia}), "1/- 1/100"; got != want {
		t.Fatalf("guest locked at 1st: %s, want %s (a guest shows no points)", got, want)
	}
	f.must(f.s.SetWasMember(f.ctx, mia, gid, true))
	if got, want := placesPoints(f, tid, []int64{gus, mia}), "1/50 1/100"; got != want {
		t.Errorf("after correcting Gus to member: %s, want %s (the lock's 50 points, Mia unmoved)", got, want)
	}
}

// Place money paid to a boat is shared by its anglers on their own rows and
// profiles (issue 13: the March winner showed "–" while his boat took $252).
func TestBoatPlaceMoneyIsSharedOnAnglerRowsAndProfiles(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "V15")
	a, b := f.person("Ann", true), f.person("Bob", true)
	f.weigh(tid, a, true, 5, 1000, 300)
	f.weigh(tid, b, true, 4, 800, 400)
	_, err := f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid, Anglers: []club.BoatAngler{{PersonID: a}, {PersonID: b}}})
	f.must(err)
	// Two fees: 1st = 2 × $7 = $14 to the boat, $7 each; big bass (min 5.00) carries.
	rs := f.byPerson(tid)
	if rs[a].PrizeCents != 7_00 || rs[b].PrizeCents != 7_00 {
		t.Errorf("angler prizes %d and %d, want 700 each (half the boat's $14)", rs[a].PrizeCents, rs[b].PrizeCents)
	}
	hist, err := f.s.AnglerResults(f.ctx, a)
	f.must(err)
	if len(hist) != 1 || hist[0].PrizeCents != 7_00 {
		t.Errorf("Ann's profile history %+v, want one row won $7.00", hist)
	}
}
