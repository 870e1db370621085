package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// paperTournament creates a paper-event tournament (weights come from lengths).
func (f *fx) paperTournament(year int, date club.Date) int64 {
	f.t.Helper()
	id, err := f.s.CreateTournament(f.ctx, club.Tournament{SeasonYear: year, Date: date, Name: "Paper",
		Format: club.FormatIndividual, PointsCount: true, Paper: true, Status: club.StatusWeighIn})
	f.must(err)
	return id
}

func TestPaperEventWeighsLengthsThroughTheTable(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.paperTournament(2026, day(5, 3))
	ann := f.person("Ann", true)
	// 14.5 = 14 1/2 = 14-4 → 1.63 lb each (table row 14, column 4/8).
	id, err := f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: ann, WasMember: true,
		Lengths: "14.5, 14 1/2,14-4"})
	f.must(err)
	r, err := f.s.Result(f.ctx, id)
	f.must(err)
	if r.Fish != 3 || r.Gross != 489 || r.BigBass != 163 || r.Net != 489 || r.Lengths != "14 1/2, 14 1/2, 14 1/2" {
		t.Errorf("paper result: fish %d gross %d big %d net %d lengths %q; want 3, 489, 163, 489, 3× 14 1/2",
			r.Fish, r.Gross, r.BigBass, r.Net, r.Lengths)
	}
	bob := f.person("Bob", true)
	_, err = f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: bob, Lengths: "14.5, fourteen"})
	wantField(t, "bad length", err, "lengths")
	_, err = f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: bob, Fish: 3, Lengths: "14.5"})
	wantField(t, "3 fish, one length", err, "lengths")

	weighed := f.tournament(2026, day(5, 10), "Scale")
	_, err = f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: weighed, PersonID: bob, Lengths: "14.5"})
	wantField(t, "lengths outside a paper event", err, "lengths")
}

func TestWeighInRefusesBadRowsWithFieldErrors(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	ann := f.person("Ann", true)
	for _, c := range []struct {
		name  string
		r     club.Result
		field string
	}{
		{"over the limit", club.Result{Fish: 6, Gross: 1000}, "fish"},
		{"dead > fish", club.Result{Fish: 2, Dead: 3, Gross: 500}, "dead"},
		{"weight with zero fish", club.Result{Gross: 500}, "gross"},
		{"big bass heavier than the bag", club.Result{Fish: 2, Gross: 500, BigBass: 600}, "big_bass"},
		{"heavy bag without confirmation", club.Result{Fish: 5, Gross: 5100}, "gross"},
		{"heavy big bass without confirmation", club.Result{Fish: 5, Gross: 4000, BigBass: 2100}, "big_bass"},
		{"DQ without a reason", club.Result{Disqualified: true}, "dq_reason"},
		{"penalty without a reason", club.Result{Fish: 1, Gross: 200, OtherPenalty: 25}, "other_penalty_reason"},
	} {
		c.r.TournamentID, c.r.PersonID = tid, ann
		_, err := f.s.SaveResult(f.ctx, 0, c.r)
		wantField(t, c.name, err, c.field)
	}
	if got := f.byPerson(tid); len(got) != 0 {
		t.Fatalf("refused rows were saved: %d", len(got))
	}
	// The confirmation flag lets a heavy bag through.
	_, err := f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: ann, Fish: 5, Gross: 5100,
		ConfirmHeavy: true})
	f.must(err)
}

func TestSecondResultForAnAnglerNamesTheStoredRow(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	ann := f.person("Ann", true)
	id := f.weigh(tid, ann, true, 5, 1000, 0)
	_, err := f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: ann, Fish: 3, Gross: 500})
	var dup *store.DuplicateError
	if !errors.As(err, &dup) || dup.Existing.ID != id || dup.Existing.Gross != 1000 || !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second result: %v, want DuplicateError naming result %d", err, id)
	}
	// A stale edit carries the stored row.
	r, _ := f.s.Result(f.ctx, id)
	r.Gross = 1100
	f.must(func() error { _, err := f.s.SaveResult(f.ctx, 0, r); return err }())
	_, err = f.s.SaveResult(f.ctx, 0, r) // same old version again
	var stale *store.StaleError
	if !errors.As(err, &stale) || stale.Current.Version != 2 || stale.Current.Gross != 1100 {
		t.Fatalf("stale edit: %v, want StaleError with the version-2 row", err)
	}
}

func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	var es scoring.Errors
	if !errors.As(err, &es) || es.For(field) == "" {
		t.Errorf("%s: %v, want a field error on %q", what, err, field)
	}
}

// claimedKey is a store on a movable clock with one officer and a claim of
// key "k" for request "fp" that was never answered: what an older version,
// which claimed in a transaction of its own, left behind when it died.
func claimedKey(t *testing.T) (*store.Store, store.Keyed, *time.Time) {
	now := time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC)
	s := testutil.NewDBWith(t, store.Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	pid, err := s.CreatePerson(ctx, club.Person{Email: "o@example.com", FirstName: "O", IsActive: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(ctx, `INSERT INTO idempotency_keys (person_id, idem_key, fingerprint, created_at)
		VALUES ($1, 'k', 'fp', $2)`, pid, now); err != nil {
		t.Fatal(err)
	}
	return s, store.Keyed{PersonID: pid, Key: "k", Fingerprint: "fp"}, &now
}

func TestIdempotencyKeyReplaysAndAbandonedClaimsAreTakenOver(t *testing.T) {
	s, k, now := claimedKey(t)
	ctx := context.Background()
	if prev, stored, err := s.StoreIdempotentAnswer(ctx, k, 200, []byte("answer")); err != nil || stored || prev.Status != 0 {
		t.Fatalf("answer while the claim runs: stored %v status %d (%v)", stored, prev.Status, err)
	}
	*now = now.Add(2 * time.Minute)
	other := k
	other.Fingerprint = "other"
	if _, stored, _ := s.StoreIdempotentAnswer(ctx, other, 200, []byte("other answer")); stored {
		t.Fatal("an abandoned claim was taken over by a different request")
	}
	if _, stored, _ := s.StoreIdempotentAnswer(ctx, k, 200, []byte("answer")); !stored {
		t.Fatal("an abandoned claim was not taken over by its retry")
	}
	*now = now.Add(10 * time.Minute)
	if prev, found, _ := s.IdempotentAnswer(ctx, k.PersonID, k.Key); !found || prev.Status != 200 || prev.Body != "answer" {
		t.Fatalf("replay: found %v %+v", found, prev)
	}
}

// A keyed save claims the key, saves and stores the answer built from its
// own rescore in one transaction: the same key again is a replay that writes
// nothing, and a refused save stores nothing (its retry runs).
func TestSaveResultKeyedStoresTheAnswerWithTheSave(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(4, 12), "April")
	ann, bob := f.person("Ann", true), f.person("Bob", true)
	f.weigh(tid, bob, true, 5, 1500, 0)
	k := store.KeyedWrite{Keyed: store.Keyed{PersonID: ann, Key: "k", Fingerprint: "fp"}}
	var seen store.Scored
	k.Answer = func(sc store.Scored) (int, []byte) {
		seen = sc
		return 200, fmt.Appendf(nil, "%d results", len(sc.Results))
	}
	row := club.Result{TournamentID: tid, PersonID: ann, WasMember: true, Fish: 5, Gross: 2000}
	ans, replayed, err := f.s.SaveResultKeyed(f.ctx, 0, row, false, k)
	if err != nil || replayed || ans.Status != 200 || ans.Body != "2 results" {
		t.Fatalf("keyed save: %+v replayed %v (%v)", ans, replayed, err)
	}
	// The rows the rescore read, with the outcome it stored, in place order.
	stored, err := f.s.Results(f.ctx, tid)
	f.must(err)
	if len(seen.Results) != 2 || seen.Results[0].PersonID != ann || *seen.Results[0].Place != 1 ||
		*seen.Results[1].Place != 2 || seen.Results[1].Net != stored[1].Net || seen.Results[0].Version != stored[0].Version {
		t.Errorf("the answer's rows %+v, want Ann 1st and Bob 2nd as stored %+v", seen.Results, stored)
	}
	if got, found, _ := f.s.IdempotentAnswer(f.ctx, ann, "k"); !found || got.Body != "2 results" {
		t.Errorf("stored answer: %+v found %v", got, found)
	}
	row.Gross = 2500 // a resend with the same key: replayed, nothing saved
	if ans, replayed, err := f.s.SaveResultKeyed(f.ctx, 0, row, false, k); err != nil || !replayed || ans.Body != "2 results" {
		t.Errorf("same key again: %+v replayed %v (%v), want the stored answer", ans, replayed, err)
	}
	if rs := f.byPerson(tid); rs[ann].Gross != 2000 || rs[ann].Version != 1 {
		t.Errorf("after the replay Ann's row is %+v, want gross 2000 at version 1", rs[ann])
	}
	k.Key = "k2" // refused (a second row for Ann): nothing stored with the key
	if _, _, err := f.s.SaveResultKeyed(f.ctx, 0, row, false, k); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate keyed save: %v, want ErrConflict", err)
	}
	if _, found, _ := f.s.IdempotentAnswer(f.ctx, ann, "k2"); found {
		t.Error("a refused keyed save left its key claimed")
	}
}

// A versioned delete removes the row only at the version the officer saw:
// the DELETE itself carries the version, so a save committed since makes it
// a StaleError with the row as stored now, and nothing is removed.
func TestRemoveResultOfChecksTheVersionInTheDelete(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	ann := f.person("Ann", true)
	id := f.weigh(tid, ann, true, 5, 1000, 0)
	r, err := f.s.Result(f.ctx, id)
	f.must(err)
	seen := r.Version
	r.Gross = 1100 // another officer's edit lands first: version 2
	_, err = f.s.SaveResult(f.ctx, 0, r)
	f.must(err)

	var stale *store.StaleError
	if err := f.s.RemoveResultOf(f.ctx, 0, tid, ann, seen, ""); !errors.As(err, &stale) ||
		stale.Current.Version != seen+1 || stale.Current.Gross != 1100 {
		t.Fatalf("delete at the old version %d: %v (current %+v), want a StaleError with version %d", seen, err,
			stale, seen+1)
	}
	if got := f.byPerson(tid); len(got) != 1 {
		t.Fatalf("a stale delete removed the row: %+v", got)
	}
	f.must(f.s.RemoveResultOf(f.ctx, 0, tid, ann, seen+1, ""))
	if err := f.s.RemoveResultOf(f.ctx, 0, tid, ann, 0, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delete of a removed row: %v, want ErrNotFound", err)
	}
}

// Answers are kept for replay 48 hours; claims sweep out the older ones
// (at most every few minutes), so the key then runs again.
func TestIdempotencyKeysExpireAfterTheirTTL(t *testing.T) {
	s, k, now := claimedKey(t)
	ctx := context.Background()
	*now = now.Add(2 * time.Minute) // the abandoned claim is taken over and answered
	if _, stored, err := s.StoreIdempotentAnswer(ctx, k, 200, []byte("answer")); err != nil || !stored {
		t.Fatalf("answer: stored %v (%v)", stored, err)
	}
	*now = now.Add(47 * time.Hour)
	if _, found, _ := s.IdempotentAnswer(ctx, k.PersonID, k.Key); !found {
		t.Fatal("within 47 hours: the answer is gone")
	}
	if _, stored, _ := s.StoreIdempotentAnswer(ctx, k, 200, []byte("again")); stored {
		t.Fatal("replayed within 47 hours: ran again")
	}
	*now = now.Add(2 * time.Hour)
	if _, found, _ := s.IdempotentAnswer(ctx, k.PersonID, k.Key); found {
		t.Error("after 49 hours the expired answer is still replayed")
	}
	if _, stored, err := s.StoreIdempotentAnswer(ctx, k, 200, []byte("again")); err != nil || !stored {
		t.Errorf("after 49 hours: stored %v (%v), want the expired answer swept and the request run", stored, err)
	}
}

// An answer of 1 KiB or more is kept gzipped and read back whole; a short
// one is kept as text.
func TestLargeIdempotentAnswersAreKeptGzippedAndReadBackWhole(t *testing.T) {
	s, k, now := claimedKey(t)
	ctx := context.Background()
	*now = now.Add(2 * time.Minute)
	big := bytes.Repeat([]byte(`{"name":"Ann","net":"12.25"},`), 100)
	if _, stored, err := s.StoreIdempotentAnswer(ctx, k, 200, big); err != nil || !stored {
		t.Fatalf("answer: stored %v (%v)", stored, err)
	}
	got, found, err := s.IdempotentAnswer(ctx, k.PersonID, k.Key)
	text, terr := got.Text()
	if err != nil || !found || got.Gzip == nil || got.Body != "" || len(got.Gzip) >= len(big)/4 || terr != nil ||
		text != string(big) {
		t.Fatalf("big answer: found %v, %d gzipped bytes, body %q, text equal %v (%v, %v)",
			found, len(got.Gzip), got.Body, text == string(big), err, terr)
	}
	// The claim's own read (a retry meeting the stored answer) reads it too.
	prev, stored, err := s.StoreIdempotentAnswer(ctx, k, 200, []byte("again"))
	if text, _ := prev.Text(); err != nil || stored || text != string(big) {
		t.Errorf("retry: stored %v, text equal %v (%v)", stored, text == string(big), err)
	}
	k.Key = "short"
	if _, _, err := s.StoreIdempotentAnswer(ctx, k, 409, []byte(`{"error":"x"}`)); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.IdempotentAnswer(ctx, k.PersonID, k.Key); got.Gzip != nil || got.Body != `{"error":"x"}` {
		t.Errorf("short answer: %+v, want it kept as text", got)
	}
}

// A boat saved from the weigh-in screen starts a scheduled tournament's
// weigh-in in its own transaction (the anglers' results may already be in,
// e.g. after an officer moved the tournament back to scheduled); SaveBoat
// from the results editor leaves the status alone.
func TestWeighInBoatSaveStartsAScheduledTournament(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(4, 12), "April")
	ann, bob := f.person("Ann", true), f.person("Bob", true)
	f.weigh(tid, ann, true, 3, 900, 400)
	f.weigh(tid, bob, true, 2, 500, 300)
	f.must(f.s.SetTournamentStatus(f.ctx, 0, tid, club.StatusScheduled))
	boat := club.Boat{TournamentID: tid, Anglers: []club.BoatAngler{{PersonID: ann}, {PersonID: bob}}}
	id, err := f.s.SaveBoat(f.ctx, 0, boat)
	f.must(err)
	if tr, err := f.s.Tournament(f.ctx, tid); err != nil || tr.Status != club.StatusScheduled {
		t.Fatalf("after SaveBoat: status %q (%v), want scheduled", tr.Status, err)
	}
	f.must(f.s.DeleteBoat(f.ctx, 0, id))
	if _, err := f.s.SaveWeighInBoat(f.ctx, 0, boat, true); err != nil {
		t.Fatal(err)
	}
	if tr, err := f.s.Tournament(f.ctx, tid); err != nil || tr.Status != club.StatusWeighIn {
		t.Errorf("after the weigh-in screen's boat save: status %q (%v), want weigh-in", tr.Status, err)
	}
}
