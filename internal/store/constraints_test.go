package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// The data model's invariants live in the schema, so they hold for every
// writer (two app instances, an import, a psql session); the store maps the
// violation to ErrConflict on both databases.

func wantConflict(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrConflict) {
		t.Errorf("%s: got %v, want ErrConflict", what, err)
	}
}

func TestOneResultPerAnglerPerTournament(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	ann := f.person("Ann", true)
	f.weigh(tid, ann, true, 5, 1000, 0)
	_, err := f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: ann, Fish: 3, Gross: 500})
	wantConflict(t, "second result for the angler", err)
	err = f.s.ImportResults(f.ctx, 0, tid, []club.Result{{PersonID: ann, Fish: 1, Gross: 100}}, nil)
	wantConflict(t, "import of a second result", err)
	if rs, _ := f.s.Results(f.ctx, tid); len(rs) != 1 || rs[0].Gross != 1000 {
		t.Errorf("the refused writes changed the results: %+v", rs)
	}
	// The same angler in another tournament is fine.
	f.weigh(f.tournament(2026, day(4, 26), "April"), ann, true, 5, 1000, 0)
}

func TestAnglerInOneBoatPerTournament(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	ann, bob, cat := f.person("Ann", true), f.person("Bob", true), f.person("Cat", true)
	for _, p := range []int64{ann, bob, cat} {
		f.weigh(tid, p, true, 5, 1000, 0)
	}
	_, err := f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid, Anglers: []club.BoatAngler{{PersonID: ann}, {PersonID: bob}}})
	f.must(err)
	_, err = f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid, Anglers: []club.BoatAngler{{PersonID: cat}, {PersonID: bob}}})
	wantConflict(t, "Bob in a second boat", err)
	_, err = f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid, Anglers: []club.BoatAngler{{PersonID: cat}, {PersonID: cat}}})
	wantConflict(t, "Cat in both seats", err)
	if boats, _ := f.s.Boats(f.ctx, tid); len(boats) != 1 {
		t.Errorf("%d boats stored, want 1", len(boats))
	}
}

func TestOneVotePerMemberPerPoll(t *testing.T) {
	f := newFx(t)
	ann, bob := f.person("Ann", true), f.person("Bob", true)
	opens := f.s.Now().Add(-time.Hour) // votes count only while the poll is open
	newPoll := func() club.Poll {
		id, err := f.s.CreatePoll(f.ctx, club.Poll{Kind: "generic", Title: "Start time", OpensAt: opens,
			ClosesAt: opens.Add(48 * time.Hour), Options: []club.PollOption{{Label: "6:00"}, {Label: "6:30"}}})
		f.must(err)
		p, err := f.s.PollWithCounts(f.ctx, id)
		f.must(err)
		return p
	}
	p := newPoll()
	f.must(f.s.CastVote(f.ctx, club.Vote{PollID: p.ID, OptionID: p.Options[0].ID, PersonID: ann}))
	wantConflict(t, "second vote, other option", f.s.CastVote(f.ctx, club.Vote{PollID: p.ID, OptionID: p.Options[1].ID, PersonID: ann}))
	wantConflict(t, "proxy vote for someone who voted", f.s.CastVote(f.ctx, club.Vote{PollID: p.ID,
		OptionID: p.Options[1].ID, PersonID: ann, ProxyBy: bob}))

	// Two concurrent submits of the same member, repeated: exactly one wins each time.
	for round := 0; round < 5; round++ {
		p := newPoll()
		var wg sync.WaitGroup
		errs := make([]error, 2)
		start := make(chan struct{})
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = f.s.CastVote(f.ctx, club.Vote{PollID: p.ID, OptionID: p.Options[i].ID, PersonID: bob})
			}()
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, store.ErrConflict):
				t.Errorf("round %d: loser got %v, want ErrConflict", round, err)
			}
		}
		counted, _ := f.s.PollWithCounts(f.ctx, p.ID)
		if ok != 1 || counted.Options[0].Votes+counted.Options[1].Votes != 1 {
			t.Errorf("round %d: %d votes accepted, %d counted; want exactly 1", round, ok,
				counted.Options[0].Votes+counted.Options[1].Votes)
		}
	}
}

func TestEmailsUniqueAnyCase(t *testing.T) {
	f := newFx(t)
	_, err := f.s.CreatePerson(f.ctx, club.Person{Email: "Ann@x.com", FirstName: "Ann"})
	f.must(err)
	_, err = f.s.CreatePerson(f.ctx, club.Person{Email: "ann@X.COM", FirstName: "Other Ann"})
	wantConflict(t, "ann@X.COM after Ann@x.com", err)
	bob, err := f.s.CreatePerson(f.ctx, club.Person{Email: "bob@x.com", FirstName: "Bob"})
	f.must(err)
	p, _ := f.s.Person(f.ctx, bob)
	p.Email = "ANN@x.com"
	wantConflict(t, "Bob renamed to ANN@x.com", f.s.SaveProfile(f.ctx, 0, store.ProfileChange{Person: p}))
	_, err = f.s.CreatePerson(f.ctx, club.Person{Email: "", FirstName: "Nobody"})
	wantConflict(t, "empty email", err)
}

func TestLakeKeysUniqueAndRampsPerLake(t *testing.T) {
	f := newFx(t)
	travis, err := f.s.CreateLake(f.ctx, club.Lake{Name: "Lake Travis", Ramps: []club.Ramp{{Name: "Mansfield Dam"}}})
	f.must(err)
	_, err = f.s.CreateLake(f.ctx, club.Lake{Name: " lake  travis "})
	wantConflict(t, `" lake  travis " after "Lake Travis"`, err)
	_, err = f.s.AddRamp(f.ctx, club.Ramp{LakeID: travis, Name: "Mansfield Dam"})
	wantConflict(t, "same ramp twice", err)
	_, err = f.s.AddRamp(f.ctx, club.Ramp{LakeID: travis, Name: " mansfield dam"})
	wantConflict(t, "same ramp, other case", err)
	_, err = f.s.CreateLake(f.ctx, club.Lake{Name: "Inks Lake", Ramps: []club.Ramp{{Name: "Park"}, {Name: "PARK"}}})
	wantConflict(t, "a new lake with a duplicate ramp", err)
	if lakes, _ := f.s.Lakes(f.ctx); len(lakes) != 1 {
		t.Errorf("a refused lake was half-saved: %d lakes", len(lakes))
	}
	// The same ramp name on another lake is a different ramp.
	lbj, err := f.s.CreateLake(f.ctx, club.Lake{Name: "Lake LBJ"})
	f.must(err)
	_, err = f.s.AddRamp(f.ctx, club.Ramp{LakeID: lbj, Name: "Mansfield Dam"})
	f.must(err)
}

// A vote naming another poll's option records nothing and says so.
func TestVoteForAnotherPollsOptionIsNotFound(t *testing.T) {
	s := testutil.NewDB(t)
	ctx := context.Background()
	member, err := s.CreatePerson(ctx, club.Person{Email: "voter@example.com", FirstName: "Val", LastName: "Voter",
		Member: true, IsActive: true})
	if err != nil {
		t.Fatal(err)
	}
	now := s.Now()
	mk := func(title string) club.Poll {
		id, err := s.CreatePoll(ctx, club.Poll{Kind: "generic", Title: title, OpensAt: now.Add(-time.Hour),
			ClosesAt: now.Add(time.Hour), Options: []club.PollOption{{Label: "Yes"}, {Label: "No"}}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.PollWithCounts(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b := mk("A"), mk("B")
	err = s.CastVote(ctx, club.Vote{PollID: a.ID, OptionID: b.Options[0].ID, PersonID: member})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("vote with poll B's option on poll A: %v, want ErrNotFound", err)
	}
	p, _ := s.PollWithCounts(ctx, a.ID)
	for _, o := range p.Options {
		if o.Votes != 0 {
			t.Errorf("option %q has %d votes, want 0", o.Label, o.Votes)
		}
	}
}
