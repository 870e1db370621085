package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
)

// Expected numbers in this file are copied from the acceptance vectors of
// spec 01-domain §4 (or worked out by hand from §3), never computed by the engine.

// placesPoints renders the stored place/points of people in order: "1/100 1/100 3/98".
func placesPoints(f *fx, tid int64, people []int64) string {
	f.t.Helper()
	rs := f.byPerson(tid)
	var out []string
	for _, p := range people {
		out = append(out, ptr(rs[p].Place)+"/"+ptr(rs[p].Points))
	}
	return strings.Join(out, " ")
}

// v1 enters spec V1 into a new tournament of year: A 10.00/5/bb 3.00,
// B 10.00/5/3.00, C 8.00/5/2.00, D 8.00/4/2.00, E zero — all members.
func v1(f *fx, year int, date club.Date) (int64, []int64) {
	tid := f.tournament(year, date, fmt.Sprintf("V1 %d", year))
	var ids []int64
	for _, r := range []struct {
		name    string
		fish    int
		gross   int64
		bigBass int64
	}{{"A", 5, 1000, 300}, {"B", 5, 1000, 300}, {"C", 5, 800, 200}, {"D", 4, 800, 200}, {"E", 0, 0, 0}} {
		p := f.person(r.name, true)
		f.weigh(tid, p, true, r.fish, r.gross, r.bigBass)
		ids = append(ids, p)
	}
	return tid, ids
}

func TestStoreScoresV1(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid, people := v1(f, 2026, day(3, 29))
	if got, want := placesPoints(f, tid, people), "1/100 1/100 3/98 4/97 5/95"; got != want {
		t.Errorf("V1 through SaveResult: %s, want %s", got, want)
	}
}

func TestSeasonRulesChangeRescoresThatSeasonOnly(t *testing.T) {
	f := newFx(t)
	f.season(2025, nil)
	f.season(2026, nil)
	old, oldPeople := v1(f, 2025, club.NewDate(2025, 10, 26))
	cur, curPeople := v1(f, 2026, day(3, 29))
	rules := scoring.DefaultRules()
	rules.PlaceStyle = scoring.Dense
	rj, _ := json.Marshal(rules)
	pj, _ := json.Marshal(scoring.DefaultPayouts())
	f.must(f.s.UpdateSeasonRules(f.ctx, oldPeople[0], 2026, 1, string(rj), string(pj), "Dense places from 2026."))
	if got, want := placesPoints(f, cur, curPeople), "1/100 1/100 2/99 3/98 4/96"; got != want {
		t.Errorf("V1 dense (2026): %s, want %s", got, want)
	}
	if got, want := placesPoints(f, old, oldPeople), "1/100 1/100 3/98 4/97 5/95"; got != want {
		t.Errorf("2025 must keep its own rules: %s, want %s", got, want)
	}
	// The AoY rows follow: C's 99 points in 2026, still 98 in 2025.
	for year, want := range map[int]int{2025: 98, 2026: 99} {
		st, err := f.s.Standings(f.ctx, year, 0)
		f.must(err)
		for _, row := range st {
			if row.PersonID == curPeople[2] || row.PersonID == oldPeople[2] {
				if row.Points != want {
					t.Errorf("%d standings: C has %d points, want %d", year, row.Points, want)
				}
			}
		}
	}
	se, _ := f.s.Season(f.ctx, 2026)
	if se.RulesMD != "Dense places from 2026." || !strings.Contains(se.RulesJSON, `"dense"`) {
		t.Errorf("season not saved: %+v", se)
	}
	var n int
	f.must(f.s.DB().QueryRowContext(f.ctx, `SELECT count(*) FROM audit_entries WHERE object_kind = 'season'
		AND object_id = 2026 AND actor_id = $1 AND before_json LIKE '%competition%'`, oldPeople[0]).Scan(&n))
	if n != 1 {
		t.Errorf("%d audit entries for the rules change, want 1", n)
	}

	// Refused changes save nothing: V19's schedule, bad JSON, an unknown field.
	bad := scoring.DefaultPayouts()
	bad.Places, bad.Club, bad.Charity, bad.BigBass = []scoring.Cents{7_00, 5_00, 4_00}, 3_00, 2_00, 3_00
	bj, _ := json.Marshal(bad)
	for _, c := range []struct{ rules, pay, want string }{
		{string(rj), string(bj), "parts add up to $24.00, entry fee is $25.00"},
		{`{"place_style": `, string(pj), "rules_json"},
		{`{"place_stile": "dense"}`, string(pj), "place_stile"},
		{`{"place_style": "sparse"}`, string(pj), "rules_json.place_style"},
	} {
		err := f.s.UpdateSeasonRules(f.ctx, 0, 2026, 2, c.rules, c.pay, "changed")
		var es scoring.Errors
		if !errors.As(err, &es) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("UpdateSeasonRules(%.30s…) = %v, want scoring.Errors mentioning %q", c.rules, err, c.want)
		}
	}
	if se, _ := f.s.Season(f.ctx, 2026); se.RulesMD != "Dense places from 2026." {
		t.Errorf("a refused change was saved: %q", se.RulesMD)
	}
	if err := f.s.UpdateSeasonRules(f.ctx, 0, 1999, 1, string(rj), string(pj), ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing season: %v", err)
	}
}

func TestStoreRescoresFromGrossV9(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "V9")
	p := f.person("Ann", true)
	id, err := f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: p, WasMember: true, Fish: 5, Dead: 1, Gross: 1200})
	f.must(err)
	r, _ := f.s.Result(f.ctx, id)
	if r.Penalty != 25 || r.Net != 1175 {
		t.Fatalf("V9: penalty %d net %d, want 25 and 1175", r.Penalty, r.Net)
	}
	stale := r
	r.Dead = 2
	_, err = f.s.SaveResult(f.ctx, p, r)
	f.must(err)
	r, _ = f.s.Result(f.ctx, id)
	if r.Net != 1150 || r.Gross != 1200 || r.Version != 2 {
		t.Fatalf("V9 dead 1 → 2: net %d gross %d version %d, want 1150, 1200, 2", r.Net, r.Gross, r.Version)
	}
	stale.Dead = 3
	_, err = f.s.SaveResult(f.ctx, 0, stale)
	var se *store.StaleError
	if !errors.Is(err, store.ErrStale) || !errors.As(err, &se) || se.By != p {
		t.Fatalf("stale save: %v (%+v), want StaleError by %d", err, se, p)
	}
	if r, _ := f.s.Result(f.ctx, id); r.Dead != 2 || r.Net != 1150 {
		t.Errorf("stale save changed the row: dead %d net %d", r.Dead, r.Net)
	}
}

// payouts reads a tournament's stored payout rows as "kind:position:cents" in a fixed order.
func payouts(f *fx, tid int64) string {
	f.t.Helper()
	rows, err := f.s.DB().QueryContext(f.ctx, `SELECT kind, position, amount_cents, COALESCE(person_id, 0)
		FROM payouts WHERE tournament_id = $1 ORDER BY kind, position, person_id`, tid)
	f.must(err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind string
		var pos int
		var cents, person int64
		f.must(rows.Scan(&kind, &pos, &cents, &person))
		out = append(out, fmt.Sprintf("%s:%d:%d", kind, pos, cents))
	}
	return strings.Join(out, " ")
}

func TestStoreBigBassCarryOverV11V13(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	// Created in date order: V11 in March, V13 in April, a scheduled May.
	t1 := f.tournament(2026, day(3, 29), "March")
	t2 := f.tournament(2026, day(4, 26), "April")
	t3, err := f.s.CreateTournament(f.ctx, club.Tournament{SeasonYear: 2026, Date: day(5, 31), Name: "May", PointsCount: true})
	f.must(err)
	for i := 0; i < 7; i++ { // V11: seven anglers, nobody's bass reaches 5.00
		f.weigh(t1, f.person("M", true), true, 5, int64(1500-100*i), 400)
	}
	var winner, winnerResult int64
	for i := 0; i < 8; i++ { // V13: eight anglers, one member's bass is exactly 5.00
		p := f.person("N", true)
		bb := int64(300)
		if i == 5 {
			bb, winner = 500, p
		}
		id := f.weigh(t2, p, true, 5, int64(1500-100*i), bb)
		if i == 5 {
			winnerResult = id
		}
	}
	tour := func(id int64) club.Tournament {
		tr, err := f.s.Tournament(f.ctx, id)
		f.must(err)
		return tr
	}
	if tr := tour(t1); tr.PotTotalCents != 175_00 || tr.BigBassPotCents != 28_00 || !tr.BigBassCarriedOut || tr.Entries != 7 {
		t.Errorf("V11: total %d big bass %d carried out %v entries %d; want 17500, 2800, true, 7",
			tr.PotTotalCents, tr.BigBassPotCents, tr.BigBassCarriedOut, tr.Entries)
	}
	if got, want := payouts(f, t1), "charity:0:1400 club:0:2100 place:1:4900 place:2:3500 place:3:2800"; got != want {
		t.Errorf("V11 payouts:\n got %s\nwant %s", got, want)
	}
	tr := tour(t2)
	if tr.BigBassCarryInCents != 28_00 || tr.BigBassPotCents != 60_00 || tr.BigBassCarriedOut || tr.BigBassCarryFromID != t1 {
		t.Errorf("V13: carried in %d from %d, pot %d, carried out %v; want 2800 from %d, 6000, false",
			tr.BigBassCarryInCents, tr.BigBassCarryFromID, tr.BigBassPotCents, tr.BigBassCarriedOut, t1)
	}
	if got := f.byPerson(t2)[winner].PrizeCents; got != 60_00 {
		t.Errorf("V13 winner's stored prize: %d, want 6000 (no place money: 6th)", got)
	}
	if !strings.Contains(payouts(f, t2), "big-bass:0:6000") {
		t.Errorf("V13 payouts lack the $60 big bass: %s", payouts(f, t2))
	}
	if tr := tour(t3); tr.BigBassCarryInCents != 0 {
		t.Errorf("May gets %d carried in after the pot was won", tr.BigBassCarryInCents)
	}
	// Deleting the winner: April (now 7 anglers, $28 own + $28 in) carries $56 to May.
	f.must(f.s.DeleteResult(f.ctx, 0, winnerResult))
	if tr := tour(t2); !tr.BigBassCarriedOut || tr.BigBassPotCents != 56_00 || strings.Contains(payouts(f, t2), "big-bass") {
		t.Errorf("April after deleting the winner: pot %d carried out %v payouts %s; want 5600, true, no big-bass row",
			tr.BigBassPotCents, tr.BigBassCarriedOut, payouts(f, t2))
	}
	if tr := tour(t3); tr.BigBassCarryInCents != 56_00 || tr.BigBassCarryFromID != t2 {
		t.Errorf("May: carried in %d from %d, want 5600 from %d", tr.BigBassCarryInCents, tr.BigBassCarryFromID, t2)
	}
}

func TestStoreBoatTotalsV15(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "V15")
	a, b := f.person("Ann", true), f.person("Bob", true)
	_, err := f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: a, WasMember: true, Fish: 5, Dead: 1, Gross: 1000, BigBass: 300})
	f.must(err)
	_, err = f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: b, WasMember: true, Fish: 4, Dead: 2, Gross: 800, BigBass: 400})
	f.must(err)
	_, err = f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid, Anglers: []club.BoatAngler{{PersonID: a}, {PersonID: b}}})
	f.must(err)
	boats, err := f.s.Boats(f.ctx, tid)
	f.must(err)
	if len(boats) != 1 {
		t.Fatalf("%d boats", len(boats))
	}
	bt := boats[0]
	if bt.Net != 1725 || bt.TotalFish != 9 || bt.TotalDead != 3 || bt.TotalBigBass != 400 || ptr(bt.Place) != "1" || bt.Points != nil {
		t.Errorf("V15 boat: net %d fish %d dead %d bb %d place %s points %s; want 1725, 9, 3, 400, 1, none",
			bt.Net, bt.TotalFish, bt.TotalDead, bt.TotalBigBass, ptr(bt.Place), ptr(bt.Points))
	}
	// Place money goes to the boat (the prize unit when there are boats): 2 fees × $7 + $5 + $4 … only 1 boat
	// is paid, so it takes 1st = $7 × 2 anglers.
	if bt.PrizeCents != 14_00 {
		t.Errorf("boat prize %d, want 1400", bt.PrizeCents)
	}
}

func TestStoreTeamFormatPointsEachMemberAngler(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid, err := f.s.CreateTournament(f.ctx, club.Tournament{SeasonYear: 2026, Date: day(4, 26), Name: "Team Classic",
		Format: club.FormatTeam, PointsCount: true, Status: club.StatusWeighIn})
	f.must(err)
	ann, gus, bob, cat := f.person("Ann", true), f.person("Gus", false), f.person("Bob", true), f.person("Cat", true)
	for _, p := range []struct {
		id     int64
		member bool
	}{{ann, true}, {gus, false}, {bob, true}, {cat, true}} { // participation rows
		f.weigh(tid, p.id, p.member, 0, 0, 0)
	}
	_, err = f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid, Fish: 5, Gross: 1500, BigBass: 400,
		Anglers: []club.BoatAngler{{PersonID: ann}, {PersonID: gus}}})
	f.must(err)
	_, err = f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid, Fish: 5, Gross: 1200, BigBass: 300,
		Anglers: []club.BoatAngler{{PersonID: bob}, {PersonID: cat}}})
	f.must(err)
	if got, want := placesPoints(f, tid, []int64{ann, gus, bob, cat}), "1/100 1/- 2/99 2/99"; got != want {
		t.Errorf("team format anglers: %s, want %s (boat points to each member, none to the guest)", got, want)
	}
	f.complete(tid)
	st, err := f.s.Standings(f.ctx, 2026, 0)
	f.must(err)
	var got []string
	for _, row := range st {
		got = append(got, fmt.Sprintf("%s:%d", row.Name, row.Points))
	}
	if want := "[Ann Angler:100 Bob Angler:99 Cat Angler:99]"; fmt.Sprint(got) != want {
		t.Errorf("team AoY %v, want %s", got, want)
	}
}

func TestStoreSeasonViewsV17(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	t1 := f.tournament(2026, day(3, 29), "T1")
	t2 := f.tournament(2026, day(4, 26), "T2")
	ivan, gus, bob := f.person("Ivan", true), f.person("Gus", false), f.person("Bob", true)
	alice := f.person("Alice", true)
	f.weigh(t1, ivan, true, 5, 3000, 1000)
	f.weigh(t1, gus, false, 5, 2000, 900)
	f.weigh(t1, bob, true, 5, 1200, 600)
	f.weigh(t1, alice, true, 5, 1000, 300)
	f.weigh(t2, alice, true, 5, 1100, 550)
	f.weigh(t2, bob, true, 0, 0, 0)
	f.complete(t1, t2)

	// "Ivan's account is deactivated later": after the season's tournaments
	// are complete, the way an officer's Deactivate button does it. Then the
	// season views are rebuilt (T1 marked complete again rescores it), so the
	// checks below read views built while Ivan is inactive.
	a, err := f.s.Account(f.ctx, ivan, 2026)
	f.must(err)
	a.Person.IsActive = false
	f.must(f.s.SaveProfile(f.ctx, 0, store.ProfileChange{Person: a.Person, OfficerGranted: a.OfficerGranted}))
	if iv, err := f.s.Person(f.ctx, ivan); err != nil || iv.IsActive || !iv.Member {
		t.Fatalf("Ivan after deactivation: active %v member %v (%v), want inactive member", iv.IsActive, iv.Member, err)
	}
	f.complete(t1)

	if got, want := placesPoints(f, t1, []int64{ivan, bob, alice}), "1/100 3/99 4/98"; got != want {
		t.Errorf("T1: %s, want %s", got, want)
	}
	if got, want := placesPoints(f, t2, []int64{alice, bob}), "1/100 2/98"; got != want {
		t.Errorf("T2: %s, want %s", got, want)
	}
	st, err := f.s.Standings(f.ctx, 2026, 0)
	f.must(err)
	var got []string
	for _, r := range st {
		got = append(got, fmt.Sprintf("%d %s %d (%d)", r.Rank, strings.Fields(r.Name)[0], r.Points, r.Events))
	}
	if want := "[1 Alice 198 (2) 2 Bob 197 (2) 3 Ivan 100 (1)]"; fmt.Sprint(got) != want {
		t.Errorf("V17 AoY %v\nwant %s", got, want)
	}
	if top, _ := f.s.Standings(f.ctx, 2026, 2); len(top) != 2 {
		t.Errorf("Standings limit 2 gave %d rows", len(top))
	}
	rows, err := f.s.DB().QueryContext(f.ctx, `SELECT a.kind, p.first_name, a.weight FROM season_awards a
		JOIN people p ON p.id = a.person_id WHERE a.season_year = 2026 ORDER BY a.kind DESC, a.rank, a.weight DESC`)
	f.must(err)
	defer rows.Close()
	awards := map[string][]string{}
	for rows.Next() {
		var kind, name string
		var w int64
		f.must(rows.Scan(&kind, &name, &w))
		awards[kind] = append(awards[kind], fmt.Sprintf("%s %s", name, scoring.Weight(w)))
	}
	if got, want := fmt.Sprint(awards["heavy-stringer"]), "[Ivan 30.00 Gus 20.00 Bob 12.00 Alice 11.00 Alice 10.00]"; got != want {
		t.Errorf("heavy stringer %s\nwant %s", got, want)
	}
	if got, want := fmt.Sprint(awards["big-bass"]), "[Ivan 10.00 Gus 9.00 Bob 6.00 Alice 5.50]"; got != want {
		t.Errorf("big bass of the year %s\nwant %s", got, want)
	}
}

func TestUpdateTournamentRescores(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	ann, bob := f.person("Ann", true), f.person("Bob", true)
	f.weigh(tid, ann, true, 5, 1000, 0)
	f.weigh(tid, bob, true, 4, 900, 0)
	tr, _ := f.s.Tournament(f.ctx, tid)
	var stats scoring.TournamentStats
	f.must(json.Unmarshal([]byte(tr.StatsJSON), &stats))
	if stats.Limits != 1 {
		t.Fatalf("limits with the season's 5-fish limit: %d, want 1", stats.Limits)
	}

	// A lower limit than a stored catch is refused by the engine: nothing saved.
	low := tr
	low.FishLimit = 4
	var es scoring.Errors
	if err := f.s.UpdateTournament(f.ctx, ann, low); !errors.As(err, &es) {
		t.Errorf("4-fish limit under Ann's 5 fish: %v, want scoring.Errors", err)
	}
	tr.PointsCount, tr.FishLimit, tr.Description = false, 6, "Six-fish special"
	stale := tr
	f.must(f.s.UpdateTournament(f.ctx, ann, tr))
	if got, want := placesPoints(f, tid, []int64{ann, bob}), "1/- 2/-"; got != want {
		t.Errorf("points flag off (V6): %s, want %s", got, want)
	}
	if st, _ := f.s.Standings(f.ctx, 2026, 0); len(st) != 0 {
		t.Errorf("a tournament without points still feeds AoY: %+v", st)
	}
	tr, _ = f.s.Tournament(f.ctx, tid)
	f.must(json.Unmarshal([]byte(tr.StatsJSON), &stats))
	if tr.Version != 2 || tr.Description != "Six-fish special" || tr.FishLimit != 6 || stats.Limits != 0 {
		t.Errorf("after the edit: version %d, %q, limit %d, limits %d; want 2, the text, 6, 0",
			tr.Version, tr.Description, tr.FishLimit, stats.Limits)
	}
	if err := f.s.UpdateTournament(f.ctx, 0, stale); !errors.Is(err, store.ErrStale) {
		t.Errorf("stale tournament edit: %v, want ErrStale", err)
	}
	var n int
	f.must(f.s.DB().QueryRowContext(f.ctx, `SELECT count(*) FROM audit_entries WHERE object_kind = 'tournament'
		AND action = 'update' AND object_id = $1`, tid).Scan(&n))
	if n != 1 {
		t.Errorf("%d audit entries for the edit, want 1 (the refused ones roll back)", n)
	}
}

func TestUpdateTournamentMovesCarryOver(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	t1, t2 := f.tournament(2026, day(3, 29), "March"), f.tournament(2026, day(4, 26), "April")
	f.weigh(t1, f.person("A", true), true, 5, 1000, 300) // no qualifying bass: $4 carries
	f.weigh(t2, f.person("B", true), true, 5, 1000, 300) // none either: $4 + $4 carry
	if tr, _ := f.s.Tournament(f.ctx, t2); tr.BigBassCarryInCents != 4_00 || tr.BigBassPotCents != 8_00 {
		t.Fatalf("April before the move: in %d pot %d, want 400 and 800", tr.BigBassCarryInCents, tr.BigBassPotCents)
	}
	// March is postponed to May: April is now first and carries nothing in.
	tr, _ := f.s.Tournament(f.ctx, t1)
	tr.Date = day(5, 31)
	f.must(f.s.UpdateTournament(f.ctx, 0, tr))
	a, _ := f.s.Tournament(f.ctx, t2)
	m, _ := f.s.Tournament(f.ctx, t1)
	if a.BigBassCarryInCents != 0 || a.BigBassPotCents != 4_00 || m.BigBassCarryInCents != 4_00 || m.BigBassCarryFromID != t2 {
		t.Errorf("after the move: April in %d pot %d; May in %d from %d; want 0, 400, 400 from %d",
			a.BigBassCarryInCents, a.BigBassPotCents, m.BigBassCarryInCents, m.BigBassCarryFromID, t2)
	}
	if evs, _ := f.s.Events(f.ctx, day(5, 1), day(6, 1)); len(evs) != 1 || evs[0].TournamentID != t1 {
		t.Errorf("the event did not move: %+v", evs)
	}
}

func TestSetWasMemberRescores(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	gus, mia := f.person("Gus", false), f.person("Mia", true)
	gid := f.weigh(tid, gus, false, 5, 1200, 0) // V2's first two rows: G 12, M 11
	f.weigh(tid, mia, true, 5, 1100, 0)
	if got, want := placesPoints(f, tid, []int64{gus, mia}), "1/- 2/100"; got != want {
		t.Fatalf("before: %s, want %s", got, want)
	}
	f.must(f.s.SetWasMember(f.ctx, mia, gid, true))
	if got, want := placesPoints(f, tid, []int64{gus, mia}), "1/100 2/99"; got != want {
		t.Errorf("Gus counted as a member: %s, want %s", got, want)
	}
	if err := f.s.SetWasMember(f.ctx, 0, 999999, true); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing result: %v", err)
	}
}

// TestConcurrentWeighInsScoreTogether saves anglers of one tournament from
// parallel goroutines: the stored places must account for every row. On
// PostgreSQL this needs the scoring lock; SQLite serializes writers anyway.
func TestConcurrentWeighInsScoreTogether(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "Rush")
	const n = 8
	people := make([]int64, n)
	for i := range people {
		people[i] = f.person("P", true)
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: p, WasMember: true,
				Fish: 5, Gross: int64(2000 - 100*i)})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		f.must(err)
	}
	// Weights 20.00 down to 13.00: places 1…8, points 100…93.
	want := "1/100 2/99 3/98 4/97 5/96 6/95 7/94 8/93"
	if got := placesPoints(f, tid, people); got != want {
		t.Errorf("after parallel saves: %s\nwant %s", got, want)
	}
}

// TestConcurrentEditAndEntryDoNotDeadlock races corrections of one existing
// result (its row is locked by the UPDATE before rescoring) against new
// entries in the same tournament (whose rescore rewrites that row's places).
// The scoring lock must be taken before either write's row locks, or
// PostgreSQL aborts one of them with "deadlock detected".
func TestConcurrentEditAndEntryDoNotDeadlock(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "Rush")
	ann := f.person("Ann", true)
	rid := f.weigh(tid, ann, true, 5, 500, 0)
	const rounds = 6
	var wg sync.WaitGroup
	wg.Add(2)
	errs := make(chan error, 2*rounds)
	go func() { // the officer correcting Ann's weight
		defer wg.Done()
		for i := 0; i < rounds; i++ {
			r, err := f.s.Result(f.ctx, rid)
			if err == nil {
				r.Gross = 500 + int64(100*i) + 50
				_, err = f.s.SaveResult(f.ctx, 0, r)
			}
			errs <- err
		}
	}()
	people := make([]int64, rounds)
	for i := range people {
		people[i] = f.person("P", true)
	}
	go func() { // the weigh-in table entering new anglers
		defer wg.Done()
		for i, p := range people {
			_, err := f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: p, WasMember: true,
				Fish: 5, Gross: int64(1000 + 100*i)})
			errs <- err
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		f.must(err)
	}
	// Ann ends at 10.50 lb; the six others weigh 10.00 … 15.00, so Ann is 6th of 7.
	if r := f.byPerson(tid)[ann]; r.Gross != 1050 || ptr(r.Place) != "6" || ptr(r.Points) != "95" {
		t.Errorf("Ann: gross %d place %s points %s; want 1050, 6, 95", r.Gross, ptr(r.Place), ptr(r.Points))
	}
}
