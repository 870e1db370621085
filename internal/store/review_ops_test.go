package store_test

// Data-integrity review: the big-bass carry chain survives tournaments
// being inserted or moved, and writes announce the namespaces of every
// page they change (and nothing when they roll back). Amounts follow spec
// 01-domain §3.7 with the default $4 big-bass part per angler, worked out
// by hand.

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"

	"sabc/internal/club"
	"sabc/internal/store"
)

// announced records what the store announces after commits.
type announced struct {
	mu sync.Mutex
	ns []string
}

func listen(f *fx) *announced {
	a := &announced{}
	f.s.OnWrite(func(_ context.Context, ns []string) {
		a.mu.Lock()
		a.ns = append(a.ns, ns...)
		a.mu.Unlock()
	})
	return a
}

func (a *announced) take() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	ns := a.ns
	a.ns = nil
	return ns
}

// A tournament created between two others (a make-up date) takes its place
// in the carry chain: the money carried out of March reaches May through the
// new, not yet fished April instead of vanishing when May is next rescored.
func TestCreateTournamentBetweenKeepsBigBassCarry(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	march := f.tournament(2026, day(3, 29), "March")
	may := f.tournament(2026, day(5, 31), "May")
	f.weigh(march, f.person("A", true), true, 5, 1000, 300) // no bass ≥ 5.00: $4 carries
	f.tournament(2026, day(4, 26), "April make-up")         // scheduled between them, nobody fished yet
	f.weigh(may, f.person("B", true), true, 5, 1000, 300)   // May rescored: $4 own + $4 carried
	tr, err := f.s.Tournament(f.ctx, may)
	f.must(err)
	if tr.BigBassCarryInCents != 4_00 || tr.BigBassPotCents != 8_00 {
		t.Errorf("May after April was inserted: carried in %d, pot %d; want 400 and 800 (March's $4 lost?)",
			tr.BigBassCarryInCents, tr.BigBassPotCents)
	}
}

// Moving a tournament that wins its pot in front of another moves the carry:
// the tournament now after it must no longer count money the moved one paid out.
func TestUpdateTournamentMoveRescoresNewFollower(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	march := f.tournament(2026, day(3, 29), "March")
	may := f.tournament(2026, day(5, 31), "May")
	july := f.tournament(2026, day(7, 26), "July")
	f.weigh(march, f.person("A", true), true, 5, 1000, 300) // no winner: $4 carries to May
	f.weigh(may, f.person("B", true), true, 5, 1000, 300)   // no winner: $4 + $4 carried
	f.weigh(july, f.person("C", true), true, 5, 1000, 600)  // wins $4 + $8 carried
	if tr, _ := f.s.Tournament(f.ctx, may); tr.BigBassCarryInCents != 4_00 {
		t.Fatalf("May before the move: carried in %d, want 400", tr.BigBassCarryInCents)
	}
	// July is really April: it wins March's $4, so May carries nothing in.
	tr, err := f.s.Tournament(f.ctx, july)
	f.must(err)
	tr.Date, tr.Name = day(4, 26), "April"
	f.must(f.s.UpdateTournament(f.ctx, 0, tr))
	april, _ := f.s.Tournament(f.ctx, july)
	m, _ := f.s.Tournament(f.ctx, may)
	if april.BigBassCarryInCents != 4_00 || april.BigBassPotCents != 8_00 {
		t.Errorf("April after the move: carried in %d, pot %d; want 400 and 800",
			april.BigBassCarryInCents, april.BigBassPotCents)
	}
	if m.BigBassCarryInCents != 0 || m.BigBassPotCents != 4_00 {
		t.Errorf("May after April moved in front: carried in %d, pot %d; want 0 and 400 (March's $4 paid twice)",
			m.BigBassCarryInCents, m.BigBassPotCents)
	}
}

// Deleting a result, or moving it to another angler, announces the profile
// of the angler who lost it: the rescore only names the anglers left.
func TestResultRemovalAnnouncesTheFormerAngler(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid, err := f.s.CreateTournament(f.ctx, club.Tournament{SeasonYear: 2026, Date: day(3, 29), Name: "March",
		Status: club.StatusWeighIn})
	f.must(err)
	a, b, c := f.person("A", true), f.person("B", true), f.person("C", true)
	f.weigh(tid, a, true, 5, 1000, 300)
	rid := f.weigh(tid, b, true, 5, 900, 300)
	rec := listen(f)

	r, err := f.s.Result(f.ctx, rid)
	f.must(err)
	r.PersonID = c // entered under the wrong name: it was C's bag
	_, err = f.s.SaveResult(f.ctx, 0, r)
	f.must(err)
	if ns := rec.take(); !slices.Contains(ns, "angler:"+itoa(b)) {
		t.Errorf("moving B's result to C announced %v; want B's profile (angler:%d) too", ns, b)
	}
	f.must(f.s.DeleteResult(f.ctx, 0, rid))
	if ns := rec.take(); !slices.Contains(ns, "angler:"+itoa(c)) {
		t.Errorf("deleting C's result announced %v; want C's profile (angler:%d)", ns, c)
	}
}

// A weigh-in that moves someone else's AoY rank announces that angler's
// profile (it shows the rank), though they did not fish the tournament.
func TestStandingsChangeAnnouncesRankedAnglers(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	march, april := f.tournament(2026, day(3, 29), "March"), f.tournament(2026, day(4, 26), "April")
	leader, chaser := f.person("L", true), f.person("C", true)
	f.weigh(march, leader, true, 5, 1500, 300) // leader 100 points, chaser 99
	f.weigh(march, chaser, true, 5, 1000, 300)
	f.complete(march, april)
	rec := listen(f)
	// A late correction to April: the chaser 199 and first; the leader drops to 2nd.
	_, err := f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: april, PersonID: chaser, WasMember: true,
		Fish: 5, Gross: 1000, BigBass: 300, Correction: "card found in the truck"})
	f.must(err)
	st, err := f.s.Standings(f.ctx, 2026, 0)
	f.must(err)
	if len(st) != 2 || st[0].PersonID != chaser || st[1].PersonID != leader || st[1].Rank != 2 {
		t.Fatalf("standings after April: %+v; want the chaser first, the leader 2nd", st)
	}
	if ns := rec.take(); !slices.Contains(ns, "angler:"+itoa(leader)) {
		t.Errorf("April's weigh-in announced %v; want the former leader's profile (angler:%d)", ns, leader)
	}
}

// A new tournament or a renamed one changes its neighbours' previous/next
// links, so their pages are announced.
func TestTournamentNeighboursAnnounced(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	march, may := f.tournament(2026, day(3, 29), "March"), f.tournament(2026, day(5, 31), "May")
	rec := listen(f)
	april := f.tournament(2026, day(4, 26), "April")
	ns := rec.take()
	for _, id := range []int64{march, may} {
		if !slices.Contains(ns, "tournament:"+itoa(id)) {
			t.Errorf("creating April between March and May announced %v; want tournament:%d", ns, id)
		}
	}
	tr, err := f.s.Tournament(f.ctx, april)
	f.must(err)
	tr.Name = "April Lake Travis"
	f.must(f.s.UpdateTournament(f.ctx, 0, tr))
	ns = rec.take()
	for _, id := range []int64{march, may} {
		if !slices.Contains(ns, "tournament:"+itoa(id)) {
			t.Errorf("renaming April announced %v; want tournament:%d (its next/previous link)", ns, id)
		}
	}
}

// A write that fails part-way leaves nothing behind and announces nothing.
func TestFailedWritesRollBackAndAnnounceNothing(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	a := f.person("A", true)
	rec := listen(f)
	err := f.s.ImportResults(f.ctx, 0, tid, []club.Result{{PersonID: a, Fish: 5, Gross: 1000, WasMember: true},
		{PersonID: a, Fish: 3, Gross: 500, WasMember: true}}, nil) // the same angler twice
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("import with a duplicate angler: %v, want ErrConflict", err)
	}
	if rs, _ := f.s.Results(f.ctx, tid); len(rs) != 0 {
		t.Errorf("the refused import left %d result rows", len(rs))
	}
	_, err = f.s.CreateTournament(f.ctx, club.Tournament{SeasonYear: 1999, Date: club.NewDate(1999, 3, 28),
		Name: "No season"})
	if err == nil {
		t.Fatal("a tournament in a season that does not exist was created")
	}
	if evs, _ := f.s.Events(f.ctx, club.NewDate(1999, 1, 1), club.NewDate(2000, 1, 1)); len(evs) != 0 {
		t.Errorf("the refused tournament left its calendar event: %+v", evs)
	}
	if ns := rec.take(); len(ns) != 0 {
		t.Errorf("failed writes announced %v; want nothing", ns)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
