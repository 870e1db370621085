package store_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
)

// TestCreateSeasonFrom_CopiesTheLatestEarlierSeason: a new season gets the
// rules, payouts, rules text and dues setting of the latest season before
// it (not a later one), is audited, and an existing year is refused with
// nothing changed; with no earlier season it gets the engine's defaults.
func TestCreateSeasonFrom_CopiesTheLatestEarlierSeason(t *testing.T) {
	f := newFx(t)
	f.season(2023, nil)
	f.season(2025, func(r *scoring.RuleSet) { r.PlaceStyle = scoring.Dense })
	f.season(2030, func(r *scoring.RuleSet) { r.MaxPoints = 50 })
	pay := scoring.DefaultPayouts()
	pay.EntryFee, pay.Charity = 30_00, 7_00
	pj, _ := json.Marshal(pay)
	src, err := f.s.Season(f.ctx, 2025)
	f.must(err)
	f.must(f.s.UpdateSeasonRules(f.ctx, 0, 2025, src.Version, src.RulesJSON, string(pj), "Life jackets on."))
	src, _ = f.s.Season(f.ctx, 2025)
	actor := f.person("Olive", true)

	se, err := f.s.CreateSeasonFrom(f.ctx, actor, 2027)
	f.must(err)
	got, err := f.s.Season(f.ctx, 2027)
	f.must(err)
	if got.RulesJSON != src.RulesJSON || got.PayoutJSON != src.PayoutJSON || got.RulesMD != "Life jackets on." ||
		got.Version != 1 || se.Year != 2027 {
		t.Errorf("2027 = %+v, want a copy of 2025 %+v at version 1", got, src)
	}
	es, err := f.s.AuditEntries(f.ctx, store.AuditFilter{Kind: "season", ObjectID: 2027})
	f.must(err)
	if len(es) != 1 || es[0].Action != "create" || es[0].ActorID != actor {
		t.Errorf("audit of the creation: %+v", es)
	}

	_, err = f.s.CreateSeasonFrom(f.ctx, actor, 2025)
	if !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "2025 season already exists") {
		t.Errorf("creating 2025 again: %v, want ErrConflict naming the year", err)
	}
	if again, _ := f.s.Season(f.ctx, 2025); again != src {
		t.Errorf("the refused creation changed 2025: %+v", again)
	}

	f.must2(f.s.CreateSeasonFrom(f.ctx, actor, 2020))
	first, _ := f.s.Season(f.ctx, 2020)
	var rules scoring.RuleSet
	var payouts scoring.PayoutSchedule
	f.must(json.Unmarshal([]byte(first.RulesJSON), &rules))
	f.must(json.Unmarshal([]byte(first.PayoutJSON), &payouts))
	if rules.PlaceStyle != scoring.Competition || rules.MaxPoints != 100 || payouts.EntryFee != 25_00 {
		t.Errorf("2020 (nothing earlier) = %+v %+v, want the defaults", rules, payouts)
	}
}

func (f *fx) must2(_ any, err error) {
	f.t.Helper()
	f.must(err)
}

// TestUpdateSeasonRules_StaleVersionSavesNothing: a save bumps the version;
// a second save sent with the version read before it is a StaleError and
// changes nothing.
func TestUpdateSeasonRules_StaleVersionSavesNothing(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	read, err := f.s.Season(f.ctx, 2026)
	f.must(err)
	f.must(f.s.UpdateSeasonRules(f.ctx, 0, 2026, read.Version, read.RulesJSON, read.PayoutJSON, "First save."))
	first, _ := f.s.Season(f.ctx, 2026)
	if first.Version != read.Version+1 {
		t.Errorf("version after a save = %d, want %d", first.Version, read.Version+1)
	}
	err = f.s.UpdateSeasonRules(f.ctx, 0, 2026, read.Version, read.RulesJSON, read.PayoutJSON, "Second save.")
	var stale *store.StaleError
	if !errors.As(err, &stale) || !errors.Is(err, store.ErrStale) {
		t.Fatalf("stale save = %v, want a StaleError", err)
	}
	if now, _ := f.s.Season(f.ctx, 2026); now != first {
		t.Errorf("the stale save changed the season: %+v, want %+v", now, first)
	}
}

// TestGenerateSchedule_NeverDuplicates: the first run creates the missing
// tournaments, meetings and holidays and keeps an April tournament an
// officer had put on a Saturday; the second run creates nothing. One audit
// entry per run that created something.
func TestGenerateSchedule_NeverDuplicates(t *testing.T) {
	f := newFx(t)
	f.season(2027, nil)
	april := f.tournament(2027, club.NewDate(2027, time.April, 17), "April Saturday special")
	created, err := f.s.GenerateSchedule(f.ctx, 0, 2027)
	f.must(err)
	holidays := len(club.Holidays(2027))
	if len(created) != 11+12+holidays {
		t.Errorf("first run created %d events, want %d", len(created), 11+12+holidays)
	}
	again, err := f.s.GenerateSchedule(f.ctx, 0, 2027)
	f.must(err)
	if len(again) != 0 {
		t.Errorf("second run created %d events: %+v", len(again), again)
	}
	evs, err := f.s.Events(f.ctx, club.NewDate(2027, 1, 1), club.NewDate(2028, 1, 1))
	f.must(err)
	perMonth := map[string]int{}
	for _, e := range evs {
		perMonth[e.Date.Format("01 ")+e.Kind]++
	}
	for m := 1; m <= 12; m++ {
		for _, kind := range []string{"tournament", "meeting"} {
			if k := club.NewDate(2027, time.Month(m), 1).Format("01 ") + kind; perMonth[k] != 1 {
				t.Errorf("%s: %d events, want 1", k, perMonth[k])
			}
		}
	}
	ts, err := f.s.Tournaments(f.ctx, store.TournamentFilter{Year: 2027})
	f.must(err)
	kept := false
	for _, tr := range ts {
		kept = kept || tr.ID == april && tr.Date.Day() == 17
	}
	if len(ts) != 12 || !kept {
		t.Errorf("%d tournaments in 2027 (April's kept: %v), want 12", len(ts), kept)
	}
	es, err := f.s.AuditEntries(f.ctx, store.AuditFilter{Kind: "season", ObjectID: 2027})
	f.must(err)
	if len(es) != 1 || es[0].Action != "schedule" {
		t.Errorf("audit: %+v, want one schedule entry", es)
	}
	if _, err := f.s.GenerateSchedule(f.ctx, 0, 2031); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a year without a season: %v, want ErrNotFound", err)
	}
}
