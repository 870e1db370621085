package store_test

import (
	"context"
	"database/sql/driver"
	"testing"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/obs"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// TestReadsNeverWrite runs every read method the pages use over the demo
// club, counting statements through the obs driver hook: a GET must never
// write (no lazy rescoring, no "fix up on read"). Each read must also run at
// least one statement and find data, so the hook is known to be live.
func TestReadsNeverWrite(t *testing.T) {
	s := testutil.NewDBWith(t, store.Options{Wrap: func(c driver.Connector) driver.Connector {
		return obs.WrapConnector(c, &obs.QueryHook{})
	}})
	ctx := context.Background()
	if err := demo.Generate(ctx, s, demo.Options{Now: testutil.Now, Seasons: 2, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	// Pick real ids to read, outside the measured calls.
	done, err := s.Tournaments(ctx, store.TournamentFilter{Status: club.StatusComplete})
	if err != nil || len(done) == 0 {
		t.Fatalf("demo club has no complete tournament: %v", err)
	}
	var team club.Tournament
	for _, tr := range done {
		if tr.Format == club.FormatTeam {
			team = tr
		}
	}
	results, _ := s.Results(ctx, done[0].ID)
	people, _ := s.People(ctx, true)
	lakes, _ := s.Lakes(ctx)
	polls, _ := s.OpenPolls(ctx, testutil.Now)
	if team.ID == 0 || len(results) == 0 || len(people) == 0 || len(lakes) == 0 || len(polls) == 0 {
		t.Fatal("demo club is missing a team tournament, results, people, lakes or an open poll")
	}
	reads := readMethods(s, done[0], team, results[0], people[0], lakes[0], polls[0])
	for name, read := range reads {
		qctx, st := obs.WithQueryStats(ctx)
		n, err := read(qctx)
		switch {
		case err != nil:
			t.Errorf("%s: %v", name, err)
		case n == 0:
			t.Errorf("%s found nothing in the demo club", name)
		case st.Count() == 0:
			t.Errorf("%s: the query hook counted no statement", name)
		case st.Writes() != 0:
			t.Errorf("%s: %d writes among %d statements; reads must not write", name, st.Writes(), st.Count())
		}
	}
	// Control: the hook does count a write as a write.
	qctx, st := obs.WithQueryStats(ctx)
	if err := s.SetPassword(qctx, people[0].ID, "y"); err != nil || st.Writes() == 0 {
		t.Errorf("SetPassword counted %d writes (%v); the hook must see writes", st.Writes(), err)
	}
}

// readMethods lists the store's read methods, each returning how many items it found.
func readMethods(s *store.Store, done, team club.Tournament, result club.Result, person club.Person,
	lake club.Lake, poll club.Poll) map[string]func(ctx context.Context) (int, error) {
	year := done.SeasonYear
	results := []club.Result{result}
	people := []club.Person{person}
	lakes := []club.Lake{lake}
	polls := []club.Poll{poll}
	return map[string]func(ctx context.Context) (int, error){
		"Results": func(ctx context.Context) (int, error) { r, err := s.Results(ctx, done.ID); return len(r), err },
		"Result":  func(ctx context.Context) (int, error) { _, err := s.Result(ctx, results[0].ID); return 1, err },
		"Boats":   func(ctx context.Context) (int, error) { b, err := s.Boats(ctx, team.ID); return len(b), err },
		"PageResults": func(ctx context.Context) (int, error) {
			r, err := s.PageResults(ctx, done.ID)
			return len(r), err
		},
		"PageBoats":  func(ctx context.Context) (int, error) { b, err := s.PageBoats(ctx, team.ID); return len(b), err },
		"Tournament": func(ctx context.Context) (int, error) { _, err := s.Tournament(ctx, done.ID); return 1, err },
		"Tournaments": func(ctx context.Context) (int, error) {
			ts, err := s.Tournaments(ctx, store.TournamentFilter{Year: year})
			return len(ts), err
		},
		"Standings": func(ctx context.Context) (int, error) { st, err := s.Standings(ctx, year, 0); return len(st), err },
		"Podiums":   func(ctx context.Context) (int, error) { p, err := s.Podiums(ctx, 5, 0); return len(p), err },
		"Headlines": func(ctx context.Context) (int, error) {
			h, err := s.Headlines(ctx, testutil.Now, 3)
			return len(h), err
		},
		"PollList": func(ctx context.Context) (int, error) {
			p, err := s.PollList(ctx, testutil.Now, 10)
			return len(p), err
		},
		"PollContext": func(ctx context.Context) (int, error) {
			_, err := s.PollContext(ctx, 1, 0, year, club.Today(testutil.Now))
			return 1, err
		},
		"Events": func(ctx context.Context) (int, error) {
			e, err := s.Events(ctx, club.NewDate(year, 1, 1), club.NewDate(year+1, 1, 1))
			return len(e), err
		},
		"Lakes":         func(ctx context.Context) (int, error) { l, err := s.Lakes(ctx); return len(l), err },
		"Lake":          func(ctx context.Context) (int, error) { _, err := s.Lake(ctx, lakes[0].ID); return 1, err },
		"People":        func(ctx context.Context) (int, error) { p, err := s.People(ctx, false); return len(p), err },
		"Person":        func(ctx context.Context) (int, error) { _, err := s.Person(ctx, people[0].ID); return 1, err },
		"PersonByEmail": func(ctx context.Context) (int, error) { _, err := s.PersonByEmail(ctx, people[0].Email); return 1, err },
		"PollWithCounts": func(ctx context.Context) (int, error) {
			p, err := s.PollWithCounts(ctx, polls[0].ID)
			return len(p.Options), err
		},
		"OpenPolls":    func(ctx context.Context) (int, error) { p, err := s.OpenPolls(ctx, testutil.Now); return len(p), err },
		"News":         func(ctx context.Context) (int, error) { n, err := s.News(ctx, testutil.Now, 10); return len(n), err },
		"Season":       func(ctx context.Context) (int, error) { _, err := s.Season(ctx, year); return 1, err },
		"SeasonYears":  func(ctx context.Context) (int, error) { y, err := s.SeasonYears(ctx); return len(y), err },
		"Club":         func(ctx context.Context) (int, error) { _, err := s.Club(ctx); return 1, err },
		"OfficerTerms": func(ctx context.Context) (int, error) { o, err := s.OfficerTerms(ctx, year); return len(o), err },
		"IsOfficer":    func(ctx context.Context) (int, error) { _, err := s.IsOfficer(ctx, people[0].ID, year); return 1, err },
		"IsEmpty":      func(ctx context.Context) (int, error) { _, err := s.IsEmpty(ctx); return 1, err },
	}
}
