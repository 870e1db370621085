package demo_test

import (
	"context"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

var now = testutil.Now

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
	past := 0
	for _, tt := range all {
		if tt.Date.Before(club.Today(now).Time) {
			past++
		}
	}
	if len(all) != 36 || len(done) != past || len(done) == 0 {
		t.Errorf("tournaments: %d in all, %d complete, %d before today; want 36, every past one complete", len(all), len(done), past)
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

func TestNextMeetingStart_IsTheFirstMondayAt7PMClubTimeAfterNow(t *testing.T) {
	chicago := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, club.Location)
	}
	for _, c := range []struct {
		name      string
		now, want time.Time
	}{
		{"later in the month", chicago(2026, 11, 25, 12, 0), chicago(2026, 12, 7, 19, 0)},
		{"meeting day, before it starts", chicago(2026, 12, 7, 18, 59), chicago(2026, 12, 7, 19, 0)},
		{"meeting day, once it started", chicago(2026, 12, 7, 19, 0), chicago(2027, 1, 4, 19, 0)},
		{"across daylight saving time", chicago(2027, 3, 2, 9, 0), chicago(2027, 4, 5, 19, 0)},
		{"late on the 31st", chicago(2031, 1, 31, 23, 30), chicago(2031, 2, 3, 19, 0)},
	} {
		if got := demo.NextMeetingStart(c.now); !got.Equal(c.want) {
			t.Errorf("%s: NextMeetingStart(%v) = %v, want %v", c.name, c.now, got.In(club.Location), c.want)
		}
	}
}

// The demo runs at club hours: tournaments 6:30–14:30, meetings 19:00–20:00,
// news in the daytime, and the open poll closes as the next meeting starts.
func TestGenerate_RealisticClubTimes(t *testing.T) {
	s := testutil.NewDB(t)
	ctx := context.Background()
	if err := demo.Generate(ctx, s, demo.Options{Now: now, Seasons: 1, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	today := club.Today(now)
	events, err := s.Events(ctx, club.Date{Time: today.AddDate(-1, 0, 0)}, club.Date{Time: today.AddDate(1, 0, 0)})
	if err != nil || len(events) == 0 {
		t.Fatalf("events: %d, %v", len(events), err)
	}
	var next time.Time
	for _, e := range events {
		want := map[string][2]string{"meeting": {"19:00", "20:00"}, "tournament": {"06:30", "14:30"}}[e.Kind]
		if e.StartTime != want[0] || e.EndTime != want[1] {
			t.Errorf("%s %s on %s: %s–%s, want %s–%s", e.Kind, e.Title, e.Date, e.StartTime, e.EndTime, want[0], want[1])
		}
		if e.Kind == "meeting" && e.Date.Weekday() != time.Monday || e.Date.Day() > 7 && e.Kind == "meeting" {
			t.Errorf("meeting on %s: want the first Monday", e.Date)
		}
		if at := e.Date.At(e.StartTime); e.Kind == "meeting" && at.After(now) && (next.IsZero() || at.Before(next)) {
			next = at
		}
	}
	polls, err := s.OpenPolls(ctx, now)
	if err != nil || len(polls) != 1 {
		t.Fatalf("open polls: %d, %v", len(polls), err)
	}
	if !polls[0].ClosesAt.Equal(next) {
		t.Errorf("the poll closes %v, want the next meeting's start %v", polls[0].ClosesAt.In(club.Location), next.In(club.Location))
	}
	news, err := s.News(ctx, now, 10)
	if err != nil || len(news) == 0 {
		t.Fatalf("news: %d, %v", len(news), err)
	}
	for _, n := range news {
		if h := n.PublishAt.In(club.Location).Hour(); h < 7 || h > 18 {
			t.Errorf("news %q published at %v club time, want daytime", n.Title, n.PublishAt.In(club.Location))
		}
	}
}
