package store_test

import (
	"context"
	"errors"
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

// claimedKey is a store on a movable clock with one officer who has
// claimed key "k" for request "fp".
func claimedKey(t *testing.T) (*store.Store, int64, *time.Time) {
	now := time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC)
	s := testutil.NewDBWith(t, store.Options{Now: func() time.Time { return now }})
	ctx := context.Background()
	pid, err := s.CreatePerson(ctx, club.Person{Email: "o@example.com", FirstName: "O", IsActive: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, fresh, err := s.ClaimIdempotencyKey(ctx, pid, "k", "fp"); err != nil || !fresh {
		t.Fatalf("first claim: fresh %v, %v", fresh, err)
	}
	return s, pid, &now
}

func TestIdempotencyKeyReplaysAndAbandonedClaimsAreTakenOver(t *testing.T) {
	s, pid, now := claimedKey(t)
	ctx := context.Background()
	if prev, fresh, _ := s.ClaimIdempotencyKey(ctx, pid, "k", "fp"); fresh || prev.Status != 0 {
		t.Fatalf("second claim while running: fresh %v status %d", fresh, prev.Status)
	}
	*now = now.Add(2 * time.Minute)
	if _, fresh, _ := s.ClaimIdempotencyKey(ctx, pid, "k", "other"); fresh {
		t.Fatal("an abandoned claim was taken over by a different request")
	}
	if _, fresh, _ := s.ClaimIdempotencyKey(ctx, pid, "k", "fp"); !fresh {
		t.Fatal("an abandoned claim was not taken over by its retry")
	}
	if err := s.FinishIdempotencyKey(ctx, pid, "k", 200, "answer"); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(10 * time.Minute)
	if prev, fresh, _ := s.ClaimIdempotencyKey(ctx, pid, "k", "fp"); fresh || prev.Status != 200 || prev.Body != "answer" {
		t.Fatalf("replay: fresh %v %+v", fresh, prev)
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
	s, pid, now := claimedKey(t)
	ctx := context.Background()
	if err := s.FinishIdempotencyKey(ctx, pid, "k", 200, "answer"); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(47 * time.Hour)
	if _, fresh, _ := s.ClaimIdempotencyKey(ctx, pid, "k", "fp"); fresh {
		t.Fatal("replayed within 47 hours: ran again")
	}
	*now = now.Add(2 * time.Hour)
	if _, fresh, err := s.ClaimIdempotencyKey(ctx, pid, "k", "fp"); err != nil || !fresh {
		t.Errorf("after 49 hours: fresh %v (%v), want the expired answer swept and the request run", fresh, err)
	}
}
