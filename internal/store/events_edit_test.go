package store_test

import (
	"errors"
	"strings"
	"testing"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
)

// weighedTournament is a points tournament with results entered during its
// weigh-in, then marked complete.
func (f *fx) weighedTournament(date club.Date, name string, weigh func(tid int64)) int64 {
	f.t.Helper()
	id, err := f.s.CreateTournament(f.ctx, club.Tournament{SeasonYear: date.Year(), Date: date, Name: name,
		Format: club.FormatIndividual, PointsCount: true, Status: club.StatusWeighIn})
	f.must(err)
	weigh(id)
	f.must(f.s.SetTournamentStatus(f.ctx, 0, id, club.StatusComplete))
	return id
}

// TestDeleteTournament_TakesResultsAndRescores: deleting a tournament with
// results removes them (and its boat), the standings lose its points, and
// the tournament after it no longer gets its big-bass carry — all in the
// delete. Counts or a version that moved since the confirmation delete
// nothing.
func TestDeleteTournament_TakesResultsAndRescores(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	ann, bob := f.person("Ann", true), f.person("Bob", true)
	march := f.weighedTournament(day(3, 29), "March", func(tid int64) {
		f.weigh(tid, ann, true, 5, 1000, 300) // no qualifying bass: the pot carries
		f.weigh(tid, bob, true, 4, 900, 200)
		_, err := f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid, Anglers: []club.BoatAngler{{PersonID: ann}, {PersonID: bob}}})
		f.must(err)
	})
	april := f.weighedTournament(day(4, 26), "April", func(tid int64) { f.weigh(tid, bob, true, 5, 800, 300) })
	if a, _ := f.s.Tournament(f.ctx, april); a.BigBassCarryInCents == 0 {
		t.Fatal("April carries nothing in from March before the delete: the test could not fail")
	}
	mt, _ := f.s.Tournament(f.ctx, march)
	counts, err := f.s.TournamentDeleteCounts(f.ctx, march)
	f.must(err)
	if counts != (store.TournamentCounts{Results: 2, Boats: 1}) {
		t.Fatalf("counts %+v, want 2 results and 1 boat", counts)
	}

	// A result entered after the confirmation was read: nothing is deleted.
	if err := f.s.DeleteTournament(f.ctx, ann, march, mt.Version, store.TournamentCounts{Results: 1, Boats: 1}); !errors.Is(err, store.ErrStale) {
		t.Errorf("delete with other counts: %v, want ErrStale", err)
	}
	if err := f.s.DeleteTournament(f.ctx, ann, march, mt.Version-1, counts); !errors.Is(err, store.ErrStale) {
		t.Errorf("delete with an old version: %v, want ErrStale", err)
	}
	if _, err := f.s.Tournament(f.ctx, march); err != nil {
		t.Fatalf("a refused delete deleted: %v", err)
	}

	f.must(f.s.DeleteTournament(f.ctx, ann, march, mt.Version, counts))
	if _, err := f.s.Tournament(f.ctx, march); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the tournament is still there: %v", err)
	}
	var left int
	f.must(f.s.DB().QueryRowContext(f.ctx, `SELECT (SELECT count(*) FROM results WHERE tournament_id = $1)
		+ (SELECT count(*) FROM boats WHERE tournament_id = $1) + (SELECT count(*) FROM events WHERE id = $2)`,
		march, mt.EventID).Scan(&left))
	if left != 0 {
		t.Errorf("%d results, boats or events of the deleted tournament remain", left)
	}
	if a, _ := f.s.Tournament(f.ctx, april); a.BigBassCarryInCents != 0 || a.BigBassCarryFromID != 0 {
		t.Errorf("April still carries %d in from %d after March was deleted", a.BigBassCarryInCents, a.BigBassCarryFromID)
	}
	st, err := f.s.Standings(f.ctx, 2026, 0)
	f.must(err)
	if len(st) != 1 || st[0].PersonID != bob || st[0].Events != 1 {
		t.Errorf("standings after the delete: %+v, want only Bob with April", st)
	}
	var action, before string
	f.must(f.s.DB().QueryRowContext(f.ctx, `SELECT action, before_json FROM audit_entries
		WHERE object_kind = 'tournament' AND object_id = $1 ORDER BY id DESC LIMIT 1`, march).Scan(&action, &before))
	if action != "delete" || !strings.Contains(before, `"results":2`) || !strings.Contains(before, `"Name":"March"`) {
		t.Errorf("audit %s %s, want the delete with what it took", action, before)
	}
}

// TestEditTournament_StatusBackNeedsReason: complete → weigh-in without a
// reason is refused with nothing saved; with one it is saved and the reason
// audited.
func TestEditTournament_StatusBackNeedsReason(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	ann := f.person("Ann", true)
	tid := f.weighedTournament(day(3, 29), "March", func(tid int64) { f.weigh(tid, ann, true, 5, 1000, 300) })
	tr, _ := f.s.Tournament(f.ctx, tid)
	tr.Status = club.StatusWeighIn
	var es scoring.Errors
	if err := f.s.EditTournament(f.ctx, ann, tr, "  "); !errors.As(err, &es) || es[0].Field != "reason" {
		t.Fatalf("back to weigh-in without a reason: %v, want a refusal naming reason", err)
	}
	if now, _ := f.s.Tournament(f.ctx, tid); now.Status != club.StatusComplete || now.Version != tr.Version {
		t.Fatalf("the refused edit saved: %s v%d", now.Status, now.Version)
	}
	f.must(f.s.EditTournament(f.ctx, ann, tr, "Bob's weight was entered wrong"))
	if now, _ := f.s.Tournament(f.ctx, tid); now.Status != club.StatusWeighIn {
		t.Errorf("status %s, want weigh-in", now.Status)
	}
	var after string
	f.must(f.s.DB().QueryRowContext(f.ctx, `SELECT after_json FROM audit_entries WHERE object_kind = 'tournament'
		AND object_id = $1 AND action = 'update'`, tid).Scan(&after))
	if !strings.Contains(after, `"reason":"Bob's weight was entered wrong"`) {
		t.Errorf("audit after %s lacks the reason", after)
	}
	// Forward needs none.
	now, _ := f.s.Tournament(f.ctx, tid)
	now.Status = club.StatusComplete
	f.must(f.s.EditTournament(f.ctx, ann, now, ""))
}

// TestEvents_VersionedEditsCancelAndDelete: an event edit with the version
// read saves and moves it; a second save with the old version is stale and
// changes nothing; a tournament's event is edited and deleted only through
// its tournament, but can be cancelled, which makes an open tournament form
// stale too. Every write is audited.
func TestEvents_VersionedEditsCancelAndDelete(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	id, err := f.s.CreateEvent(f.ctx, club.Event{Date: day(3, 2), Kind: "meeting", Title: "March meeting",
		StartTime: "19:00", EndTime: "20:00"})
	f.must(err)
	e, err := f.s.Event(f.ctx, id)
	f.must(err)
	if e.Version != 1 {
		t.Fatalf("new event version %d, want 1", e.Version)
	}
	first, second := e, e
	first.Title = "March meeting (moved)"
	first.Date = day(3, 9)
	f.must(f.s.UpdateEvent(f.ctx, 0, first))
	second.Title = "Overwritten?"
	if err := f.s.UpdateEvent(f.ctx, 0, second); !errors.Is(err, store.ErrStale) {
		t.Errorf("stale event edit: %v, want ErrStale", err)
	}
	if now, _ := f.s.Event(f.ctx, id); now.Title != first.Title || now.Version != 2 || !now.Date.Equal(day(3, 9).Time) {
		t.Errorf("after the edits: %+v, want the first one saved at version 2", now)
	}
	f.must(f.s.CancelEvent(f.ctx, 0, id, 2, true))
	if now, _ := f.s.Event(f.ctx, id); !now.Cancelled || now.Version != 3 {
		t.Errorf("cancel: cancelled %v version %d, want true 3", now.Cancelled, now.Version)
	}
	if err := f.s.DeleteEvent(f.ctx, 0, id, 2); !errors.Is(err, store.ErrStale) {
		t.Errorf("delete with an old version: %v, want ErrStale", err)
	}
	f.must(f.s.DeleteEvent(f.ctx, 0, id, 3))
	if _, err := f.s.Event(f.ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted event: %v", err)
	}

	tid := f.tournament(2026, day(3, 29), "March")
	tr, _ := f.s.Tournament(f.ctx, tid)
	te, _ := f.s.Event(f.ctx, tr.EventID)
	if te.TournamentID != tid {
		t.Fatalf("the tournament's event names tournament %d, want %d", te.TournamentID, tid)
	}
	te.Title = "Renamed behind the tournament's back"
	if err := f.s.UpdateEvent(f.ctx, 0, te); !errors.Is(err, store.ErrTournamentEvent) {
		t.Errorf("edit of a tournament's event: %v, want ErrTournamentEvent", err)
	}
	if err := f.s.DeleteEvent(f.ctx, 0, te.ID, te.Version); !errors.Is(err, store.ErrTournamentEvent) {
		t.Errorf("delete of a tournament's event: %v, want ErrTournamentEvent", err)
	}
	f.must(f.s.CancelEvent(f.ctx, 0, te.ID, te.Version, true))
	if now, _ := f.s.Tournament(f.ctx, tid); !now.Cancelled || now.Version != tr.Version+1 {
		t.Errorf("cancelled tournament: cancelled %v version %d, want true %d", now.Cancelled, now.Version, tr.Version+1)
	}
	var n int
	f.must(f.s.DB().QueryRowContext(f.ctx, `SELECT count(*) FROM audit_entries WHERE object_kind = 'event'`).Scan(&n))
	if n != 4 {
		t.Errorf("%d event audit entries, want 4 (edit, cancel, delete, tournament cancel)", n)
	}
}
