package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

func newPerson(t *testing.T, s *store.Store, email, first, last string) club.Person {
	t.Helper()
	p := club.Person{Email: email, FirstName: first, LastName: last, IsActive: true, PasswordHash: "old"}
	id, err := s.CreatePerson(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	p.ID = id
	return p
}

func TestSessionStore_FindCommitDeleteAndExpiry(t *testing.T) {
	clock := testutil.NewClock(testutil.Now)
	s := testutil.NewDBWith(t, store.Options{Now: clock.Now})
	ss := s.Sessions(time.Hour)
	if _, found, err := ss.Find("nope"); found || err != nil {
		t.Fatalf("unknown token: found %v, err %v", found, err)
	}
	// scs's own deadline comes from the wall clock; the store ignores it.
	if err := ss.Commit("tok", []byte("one"), time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := ss.Commit("tok", []byte("two"), time.Now().Add(-time.Hour)); err != nil { // replace, not duplicate
		t.Fatal(err)
	}
	if b, found, err := ss.Find("tok"); !found || err != nil || string(b) != "two" {
		t.Fatalf("Find = %q, %v, %v; want two", b, found, err)
	}
	clock.Advance(59 * time.Minute)
	if _, found, _ := ss.Find("tok"); !found {
		t.Error("a session committed 59 minutes ago (lifetime 1h) is not found")
	}
	clock.Advance(2 * time.Minute)
	if _, found, _ := ss.Find("tok"); found {
		t.Error("a session committed 61 minutes ago (lifetime 1h) is found")
	}
	if err := ss.Commit("tok", []byte("three"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := ss.Delete("tok"); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := ss.Find("tok"); found {
		t.Error("a deleted session is found")
	}
	if err := ss.Delete("tok"); err != nil {
		t.Errorf("deleting twice: %v", err)
	}
}

func TestAccount_OfficerFromTermOrGrant(t *testing.T) {
	s := testutil.NewDB(t)
	ctx := context.Background()
	p := newPerson(t, s, "otto@example.org", "Otto", "Term")
	if _, err := s.AddOfficerTerm(ctx, club.OfficerTerm{SeasonYear: 2026, Position: "treasurer", PersonID: p.ID}); err != nil {
		t.Fatal(err)
	}
	for year, want := range map[int]bool{2026: true, 2027: false} {
		a, err := s.Account(ctx, p.ID, year)
		if err != nil || a.Officer != want {
			t.Errorf("season %d: officer %v (%v), want %v", year, a.Officer, err, want)
		}
	}
	a, _ := s.Account(ctx, p.ID, 2027)
	if err := s.SaveProfile(ctx, p.ID, store.ProfileChange{Person: a.Person, OfficerGranted: true}); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.AccountByEmail(ctx, "OTTO@example.org", 2027); !a.Officer || !a.OfficerGranted {
		t.Errorf("granted: officer %v granted %v", a.Officer, a.OfficerGranted)
	}
}

func TestResetPassword_OnceBeforeExpiry(t *testing.T) {
	s := testutil.NewDB(t)
	ctx := context.Background()
	p := newPerson(t, s, "rita@example.org", "Rita", "Reset")
	now := testutil.Now
	if err := s.CreatePasswordReset(ctx, p.ID, "hash-a", now, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.CreatePasswordReset(ctx, p.ID, "hash-b", now, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResetPassword(ctx, "hash-a", now.Add(61*time.Minute), "new"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired token: %v, want ErrNotFound", err)
	}
	got, err := s.ResetPassword(ctx, "hash-a", now.Add(30*time.Minute), "new")
	if err != nil || got.PasswordHash != "new" || got.SessionVersion != 2 {
		t.Fatalf("reset: %+v, %v; want hash new, session version 2", got, err)
	}
	for _, h := range []string{"hash-a", "hash-b"} { // the other open link dies with it
		if _, err := s.ResetPassword(ctx, h, now.Add(31*time.Minute), "again"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s after a reset: %v, want ErrNotFound", h, err)
		}
	}
}

// The purge of old tokens and a token's expiry read the same instant, the
// caller's: T is a year before the store's own (fake) clock, so a purge that
// read the store's clock would delete the tokens created at T at once.
func TestPasswordReset_PurgeAndExpiryAgreeOnOneClock(t *testing.T) {
	s := testutil.NewDB(t)
	ctx := context.Background()
	p := newPerson(t, s, "pia@example.org", "Pia", "Purge")
	T := testutil.Now.AddDate(-1, 0, 0)
	rows := func(hash string) int {
		var n int
		if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM password_resets WHERE token_hash = $1`, hash).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, h := range []string{"hash-t", "hash-t2"} {
		if err := s.CreatePasswordReset(ctx, p.ID, h, T, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ResetPassword(ctx, "hash-t", T.Add(30*time.Minute), "new"); err != nil {
		t.Fatalf("a token created at T, used at T+30m: %v; want it to work", err)
	}
	if err := s.CreatePasswordReset(ctx, p.ID, "hash-23h", T.Add(23*time.Hour), time.Hour); err != nil {
		t.Fatal(err)
	}
	if rows("hash-t") != 1 {
		t.Error("a purge at T+23h removed a token that expired at T+1h (less than a day ago)")
	}
	if err := s.CreatePasswordReset(ctx, p.ID, "hash-25h", T.Add(25*time.Hour+time.Minute), time.Hour); err != nil {
		t.Fatal(err)
	}
	if rows("hash-t") != 0 || rows("hash-t2") != 0 {
		t.Error("a purge at T+25h kept tokens that expired at T+1h")
	}
	if rows("hash-23h") != 1 || rows("hash-25h") != 1 {
		t.Error("a purge at T+25h removed tokens that are not a day past their expiry")
	}
}

func TestRoster_SearchIsLiteralAndCaseInsensitive(t *testing.T) {
	s := testutil.NewDB(t)
	ctx := context.Background()
	a := newPerson(t, s, "ann_100%@example.org", "Ann", "Percent")
	b := newPerson(t, s, "bob@example.org", "Bob", "Plain")
	b.Phone = "+15125550123"
	for _, p := range []club.Person{a, b} { // members: their contacts are on the roster
		p.Member = true
		if err := s.SaveProfile(ctx, 0, store.ProfileChange{Person: p}); err != nil {
			t.Fatal(err)
		}
	}
	g := newPerson(t, s, "gus_guest@example.org", "Gus", "Visitor")
	g.Phone = "+15125550199"
	if err := s.SaveProfile(ctx, 0, store.ProfileChange{Person: g}); err != nil {
		t.Fatal(err)
	}
	// The guest is found by name, never by the email or phone the roster hides.
	for q, want := range map[string]int{"": 3, "ANN": 1, "100%": 1, "_": 1, "%": 1, "bob plain": 1,
		"(512) 555-0123": 1, "555": 1, "zzz": 0, "gus visitor": 1, "gus_guest": 0, "0199": 0} {
		got, err := s.Roster(ctx, 2026, q)
		if err != nil || len(got) != want {
			t.Errorf("Roster(%q) = %d entries (%v), want %d", q, len(got), err, want)
		}
	}
}

func TestMergeAccounts_RefusesSharedPollVote(t *testing.T) {
	s := testutil.NewDB(t)
	ctx := context.Background()
	a := newPerson(t, s, "a@example.org", "Al", "One")
	b := newPerson(t, s, "b@example.org", "Al", "Two")
	now := s.Now() // votes count only while the poll is open
	pollID, err := s.CreatePoll(ctx, club.Poll{Kind: "generic", Title: "Meeting night", OpensAt: now.Add(-time.Hour),
		ClosesAt: now.Add(time.Hour), Options: []club.PollOption{{Label: "Monday"}, {Label: "Tuesday"}}})
	if err != nil {
		t.Fatal(err)
	}
	poll, err := s.PollWithCounts(ctx, pollID)
	if err != nil || len(poll.Options) == 0 {
		t.Fatalf("poll: %v", err)
	}
	for _, p := range []club.Person{a, b} {
		if err := s.CastVote(ctx, club.Vote{PollID: pollID, OptionID: poll.Options[0].ID, PersonID: p.ID}); err != nil {
			t.Fatal(err)
		}
	}
	m, err := s.MergeAccounts(ctx, a.ID, a.ID, b.ID)
	var conflict *store.MergeConflictError
	if !errors.As(err, &conflict) || len(m.VoteConflicts) != 1 || m.VoteConflicts[0] != "Meeting night" {
		t.Fatalf("merge with a shared vote: %v, conflicts %v", err, m.VoteConflicts)
	}
	if p, _ := s.Person(ctx, b.ID); !p.IsActive {
		t.Error("a refused merge changed the duplicate")
	}
	if _, err := s.MergeAccounts(ctx, a.ID, a.ID, a.ID); !errors.Is(err, store.ErrConflict) {
		t.Errorf("merging an account into itself: %v", err)
	}
}

// TestPreviewMerge_NamesConflictingTournamentsWithTheirYear: the merge page
// lists tournaments from any season, and names repeat every year, so each
// conflict says which season's tournament it is.
func TestPreviewMerge_NamesConflictingTournamentsWithTheirYear(t *testing.T) {
	f := newFx(t)
	f.season(2025, nil)
	a, b := f.person("Al", true), f.person("Bo", true)
	march := f.tournament(2025, club.NewDate(2025, 3, 30), "March Lake Bastrop")
	f.weigh(march, a, true, 3, 900, 300)
	f.weigh(march, b, true, 2, 700, 300)
	m, err := f.s.PreviewMerge(f.ctx, a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.ResultConflicts) != 1 || m.ResultConflicts[0].Title != "March Lake Bastrop 2025" || m.ResultConflicts[0].TournamentID != march {
		t.Errorf("result conflicts %+v, want [March Lake Bastrop 2025 (#%d)]", m.ResultConflicts, march)
	}
}
