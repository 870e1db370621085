package store_test

import (
	"errors"
	"strings"
	"testing"

	"sabc/internal/club"
	"sabc/internal/store"
)

// Once a tournament is complete its results and boats change only through
// the correction path: every store write without a reason is refused with
// ErrNeedsCorrection and changes nothing; with a reason it is audited as a
// correction carrying the reason (02-site §4 "Mark complete").
func TestCompleteTournamentChangesOnlyWithACorrectionReason(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	ann, bob, cat := f.person("Ann", true), f.person("Bob", true), f.person("Cat", true)
	aid := f.weigh(tid, ann, true, 5, 1000, 300)
	f.weigh(tid, bob, true, 4, 800, 200)
	boat, err := f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid, Anglers: []club.BoatAngler{{PersonID: ann}}})
	f.must(err)
	f.complete(tid)

	refused := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, store.ErrNeedsCorrection) {
			t.Errorf("%s on a complete tournament without a reason: %v, want ErrNeedsCorrection", what, err)
		}
	}
	r, err := f.s.Result(f.ctx, aid)
	f.must(err)
	edit := r
	edit.Gross, edit.Correction = 1100, "  "
	_, err = f.s.SaveResult(f.ctx, 0, edit)
	refused("SaveResult (edit, blank reason)", err)
	_, err = f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: cat, WasMember: true, Fish: 1, Gross: 100})
	refused("SaveResult (new row)", err)
	refused("DeleteResult", f.s.DeleteResult(f.ctx, 0, aid))
	b, err := f.s.Boats(f.ctx, tid)
	f.must(err)
	if len(b) != 1 {
		t.Fatalf("boats after the refused delete: %+v, want Ann's boat", b)
	}
	b[0].Anglers = append(b[0].Anglers, club.BoatAngler{PersonID: bob})
	_, err = f.s.SaveBoat(f.ctx, 0, b[0])
	refused("SaveBoat (edit)", err)
	_, err = f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid, Anglers: []club.BoatAngler{{PersonID: bob}}})
	refused("SaveBoat (new boat)", err)
	refused("DeleteBoat", f.s.DeleteBoat(f.ctx, 0, boat))
	if got := f.byPerson(tid); len(got) != 2 || got[ann].Gross != 1000 || got[ann].Version != r.Version {
		t.Fatalf("refused writes changed the results: %+v", got)
	}
	if bs, _ := f.s.Boats(f.ctx, tid); len(bs) != 1 || len(bs[0].Anglers) != 1 {
		t.Fatalf("refused writes changed the boats: %+v", bs)
	}

	edit.Correction = "scale re-checked"
	_, err = f.s.SaveResult(f.ctx, 0, edit)
	f.must(err)
	b[0].Correction = "Bob rode with Ann"
	_, err = f.s.SaveBoat(f.ctx, 0, b[0])
	f.must(err)
	f.must(f.s.RemoveResult(f.ctx, 0, f.byPerson(tid)[bob].ID, "Bob fished the wrong club's event"))
	if got := f.byPerson(tid); len(got) != 1 || got[ann].Gross != 1100 {
		t.Errorf("corrections with a reason did not apply: %+v", got)
	}
	entries, err := f.s.AuditEntries(f.ctx, store.AuditFilter{TournamentID: tid, Limit: 3})
	f.must(err)
	var got []string
	for _, e := range entries {
		reason := ""
		for _, r := range []string{"scale re-checked", "Bob rode with Ann", "wrong club"} {
			if strings.Contains(e.After, r) {
				reason = r
			}
		}
		got = append(got, e.ObjectKind+" "+e.Action+" "+reason)
	}
	if want := "result correct-delete wrong club|boat correct Bob rode with Ann|result correct scale re-checked"; strings.Join(got, "|") != want {
		t.Errorf("audit of the corrections: %q, want %q", strings.Join(got, "|"), want)
	}
}

// The season views count complete tournaments only: saves at the weigh-in
// leave them alone, marking complete adds the tournament, and reopening it
// (back to the weigh-in) takes it out again.
func TestSeasonViewsFollowTheTournamentInAndOutOfComplete(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	ann := f.person("Ann", true)
	f.weigh(tid, ann, true, 5, 1000, 300)
	aoy := func() int {
		t.Helper()
		st, err := f.s.Standings(f.ctx, 2026, 0)
		f.must(err)
		return len(st)
	}
	if n := aoy(); n != 0 {
		t.Fatalf("AoY rows at the weigh-in: %d, want 0", n)
	}
	f.complete(tid)
	if n := aoy(); n != 1 {
		t.Fatalf("AoY rows once complete: %d, want 1", n)
	}
	f.must(f.s.SetTournamentStatus(f.ctx, 0, tid, club.StatusWeighIn))
	if n := aoy(); n != 0 {
		t.Errorf("AoY rows after reopening the weigh-in: %d, want 0", n)
	}
}
