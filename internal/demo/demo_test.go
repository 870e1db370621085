package demo_test

import (
	"context"
	"testing"
	"time"

	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

var now = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

func TestGenerateBuildsAPlausibleClub(t *testing.T) {
	s := testutil.NewDB(t)
	ctx := context.Background()
	if err := demo.Generate(ctx, s, demo.Options{Now: now, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	people, _ := s.People(ctx, true)
	if len(people) != 150 {
		t.Errorf("people = %d, want 150", len(people))
	}
	lakes, _ := s.Lakes(ctx)
	if len(lakes) < 20 {
		t.Errorf("lakes = %d, want ≥ 20", len(lakes))
	}
	done, _ := s.Tournaments(ctx, store.TournamentFilter{Status: "complete"})
	all, _ := s.Tournaments(ctx, store.TournamentFilter{})
	if len(all) != 36 || len(done) < 30 || len(done) >= 36 {
		t.Errorf("tournaments: %d in all, %d complete; want 36 with the last ones still ahead", len(all), len(done))
	}
	results, err := s.Results(ctx, done[0].ID)
	if err != nil || len(results) < 20 {
		t.Fatalf("latest tournament has %d results (%v)", len(results), err)
	}
	if results[0].Place == nil || *results[0].Place != 1 {
		t.Errorf("first result place = %v, want 1 (stored by the scoring step)", results[0].Place)
	}
	var withPoints, buyIns, dqs int
	for _, r := range results {
		if r.Points != nil {
			withPoints++
		}
		if r.OutBuyIn {
			buyIns++
		}
		if r.OutDQ {
			dqs++
		}
	}
	if withPoints == 0 {
		t.Error("no member got points")
	}
	polls, err := s.OpenPolls(ctx, now)
	if err != nil || len(polls) != 1 {
		t.Fatalf("open polls = %d (%v), want 1", len(polls), err)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	ctx := context.Background()
	fingerprint := func() []int64 {
		s := testutil.NewDB(t)
		if err := demo.Generate(ctx, s, demo.Options{Now: now, PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
		ts, _ := s.Tournaments(ctx, store.TournamentFilter{Status: "complete", Limit: 3})
		var out []int64
		for _, tt := range ts {
			rs, _ := s.Results(ctx, tt.ID)
			for _, r := range rs {
				out = append(out, r.PersonID, r.Net)
			}
		}
		return out
	}
	a, b := fingerprint(), fingerprint()
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("runs differ in size: %d vs %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("runs differ at %d: %d vs %d", i, a[i], b[i])
		}
	}
}
