package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// fx is a small club built through the store's own write methods; every
// test here runs unchanged on SQLite and, with SABC_TEST_DATABASE_URL, PostgreSQL.
type fx struct {
	t   testing.TB
	s   *store.Store
	ctx context.Context
	n   int
}

func newFx(t testing.TB) *fx {
	return &fx{t: t, s: testutil.NewDB(t), ctx: context.Background()}
}

func (f *fx) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// season creates a season with the default rules and payouts, changed by edit.
func (f *fx) season(year int, edit func(*scoring.RuleSet)) {
	f.t.Helper()
	rules := scoring.DefaultRules()
	if edit != nil {
		edit(&rules)
	}
	rj, _ := json.Marshal(rules)
	pj, _ := json.Marshal(scoring.DefaultPayouts())
	f.must(f.s.CreateSeason(f.ctx, club.Season{Year: year, RulesJSON: string(rj), PayoutJSON: string(pj)}))
}

// person creates an active account; member says whether they are a club member.
func (f *fx) person(first string, member bool) int64 {
	f.t.Helper()
	f.n++
	id, err := f.s.CreatePerson(f.ctx, club.Person{Email: fmt.Sprintf("%s%d@example.com", first, f.n),
		FirstName: first, LastName: "Angler", IsActive: true, Member: member})
	f.must(err)
	return id
}

// tournament creates a points-counting individual tournament at the weigh-in:
// results are entered before it is marked complete (f.complete), as at the
// ramp; afterwards they change only with a correction reason.
func (f *fx) tournament(year int, date club.Date, name string) int64 {
	f.t.Helper()
	id, err := f.s.CreateTournament(f.ctx, club.Tournament{SeasonYear: year, Date: date, Name: name,
		Format: club.FormatIndividual, PointsCount: true, Status: club.StatusWeighIn})
	f.must(err)
	return id
}

// complete marks tournaments complete: the season views count them.
func (f *fx) complete(ids ...int64) {
	f.t.Helper()
	for _, id := range ids {
		f.must(f.s.SetTournamentStatus(f.ctx, 0, id, club.StatusComplete))
	}
}

// weigh saves one result through SaveResult (weights in hundredths).
func (f *fx) weigh(tid, pid int64, member bool, fish int, gross, bigBass int64) int64 {
	f.t.Helper()
	id, err := f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: pid, WasMember: member,
		Fish: fish, Gross: gross, BigBass: bigBass})
	f.must(err)
	return id
}

// byPerson reads a tournament's stored results keyed by person.
func (f *fx) byPerson(tid int64) map[int64]club.Result {
	f.t.Helper()
	rs, err := f.s.Results(f.ctx, tid)
	f.must(err)
	out := map[int64]club.Result{}
	for _, r := range rs {
		out[r.PersonID] = r
	}
	return out
}

func ptr(p *int) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

func day(m time.Month, d int) club.Date { return club.NewDate(2026, m, d) }

func TestPeopleStore(t *testing.T) {
	f := newFx(t)
	id, err := f.s.CreatePerson(f.ctx, club.Person{Email: " Ann.Lee@Example.com ", FirstName: "Ann", LastName: "Lee",
		Phone: "+15125550100", IsActive: true, Member: true, MemberSince: club.NewDate(2019, 3, 1)})
	f.must(err)
	p, err := f.s.Person(f.ctx, id)
	f.must(err)
	if p.Email != "Ann.Lee@Example.com" || p.Name() != "Ann Lee" || !p.Member || p.SessionVersion != 1 ||
		p.MemberSince.String() != "2019-03-01" || !p.DuesPaidThrough.IsZero() {
		t.Fatalf("person read back wrong: %+v", p)
	}
	for _, email := range []string{"ann.lee@example.com", "ANN.LEE@EXAMPLE.COM", " ann.LEE@example.com"} {
		got, err := f.s.PersonByEmail(f.ctx, email)
		if err != nil || got.ID != id {
			t.Errorf("PersonByEmail(%q) = %d, %v; want %d", email, got.ID, err, id)
		}
	}
	if _, err := f.s.PersonByEmail(f.ctx, "nobody@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown email: %v, want ErrNotFound", err)
	}
	p.LastName, p.DuesPaidThrough, p.Member = "Lee-Roe", club.NewDate(2026, 12, 31), false
	f.must(f.s.SaveProfile(f.ctx, 0, store.ProfileChange{Person: p}))
	got, _ := f.s.Person(f.ctx, id)
	if got.LastName != "Lee-Roe" || got.DuesPaidThrough.String() != "2026-12-31" || got.Member {
		t.Errorf("update not stored: %+v", got)
	}
	f.must(f.s.SetPassword(f.ctx, id, "hash-2"))
	got, _ = f.s.Person(f.ctx, id)
	if got.PasswordHash != "hash-2" || got.SessionVersion != 2 {
		t.Errorf("SetPassword: hash %q session_version %d, want hash-2 and 2", got.PasswordHash, got.SessionVersion)
	}
	if err := f.s.SetPassword(f.ctx, 999999, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetPassword on a missing person: %v", err)
	}
	if err := f.s.SaveProfile(f.ctx, 0, store.ProfileChange{Person: club.Person{ID: 999999, Email: "z@example.com", FirstName: "Z"}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SaveProfile on a missing person: %v", err)
	}
	f.person("Bob", true)
	inactive, err := f.s.CreatePerson(f.ctx, club.Person{Email: "gone@example.com", FirstName: "Gone", LastName: "Aaa"})
	f.must(err)
	all, _ := f.s.People(f.ctx, false)
	active, _ := f.s.People(f.ctx, true)
	if len(all) != 3 || len(active) != 2 || all[0].ID != inactive {
		t.Errorf("People: %d all (first %d), %d active; want 3 (first %d) and 2", len(all), all[0].ID, len(active), inactive)
	}
}

func TestOfficerTermsStore(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	ann, bob := f.person("Ann", true), f.person("Bob", true)
	_, err := f.s.AddOfficerTerm(f.ctx, club.OfficerTerm{SeasonYear: 2026, Position: "president", PersonID: ann})
	f.must(err)
	_, err = f.s.AddOfficerTerm(f.ctx, club.OfficerTerm{SeasonYear: 2026, Position: "treasurer", PersonID: bob})
	f.must(err)
	if _, err := f.s.AddOfficerTerm(f.ctx, club.OfficerTerm{SeasonYear: 2026, Position: "president", PersonID: ann}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("same term twice: %v, want ErrConflict", err)
	}
	if _, err := f.s.AddOfficerTerm(f.ctx, club.OfficerTerm{SeasonYear: 2026, Position: "king", PersonID: ann}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("unknown position: %v, want ErrConflict", err)
	}
	terms, err := f.s.OfficerTerms(f.ctx, 2026)
	f.must(err)
	if len(terms) != 2 || terms[0].Position != "president" || terms[0].PersonName != "Ann Angler" {
		t.Errorf("terms: %+v", terms)
	}
	if ok, _ := f.s.IsOfficer(f.ctx, bob, 2026); !ok {
		t.Error("Bob is treasurer in 2026")
	}
	if ok, _ := f.s.IsOfficer(f.ctx, bob, 2025); ok {
		t.Error("Bob held nothing in 2025")
	}
}

func TestLakesStore(t *testing.T) {
	f := newFx(t)
	id, err := f.s.CreateLake(f.ctx, club.Lake{Name: "  Lake   Travis ", Paper: true, MapURL: "https://maps.example/travis",
		Ramps: []club.Ramp{{Name: "Mansfield Dam"}, {Name: "Hurst Creek"}}})
	f.must(err)
	l, err := f.s.Lake(f.ctx, id)
	f.must(err)
	if l.Name != "Lake Travis" || l.Key != "lake travis" || !l.Paper || len(l.Ramps) != 2 || l.Ramps[0].Name != "Hurst Creek" {
		t.Fatalf("lake read back: %+v", l)
	}
	_, err = f.s.AddRamp(f.ctx, club.Ramp{LakeID: id, Name: "Pace Bend"})
	f.must(err)
	_, err = f.s.CreateLake(f.ctx, club.Lake{Name: "Inks Lake"})
	f.must(err)
	lakes, err := f.s.Lakes(f.ctx)
	f.must(err)
	if len(lakes) != 2 || lakes[0].Name != "Inks Lake" || len(lakes[1].Ramps) != 3 {
		t.Errorf("lakes: %+v", lakes)
	}
	if _, err := f.s.Lake(f.ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing lake: %v", err)
	}
}

func TestSeasonsStore(t *testing.T) {
	f := newFx(t)
	f.season(2025, nil)
	f.season(2026, func(r *scoring.RuleSet) { r.PlaceStyle = scoring.Dense })
	se, err := f.s.Season(f.ctx, 2026)
	f.must(err)
	var rules scoring.RuleSet
	f.must(json.Unmarshal([]byte(se.RulesJSON), &rules))
	if rules.PlaceStyle != scoring.Dense || se.UpdatedAt.IsZero() {
		t.Errorf("season 2026 read back: %+v", se)
	}
	years, _ := f.s.SeasonYears(f.ctx)
	if fmt.Sprint(years) != "[2026 2025]" {
		t.Errorf("years %v", years)
	}
	if err := f.s.CreateSeason(f.ctx, club.Season{Year: 2026, RulesJSON: "{}", PayoutJSON: "{}"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second 2026 season: %v", err)
	}
	if _, err := f.s.Season(f.ctx, 1990); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing season: %v", err)
	}
}

func TestEventsStore(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	for _, e := range []club.Event{
		{Date: day(3, 2), Kind: "meeting", Title: "March meeting", StartTime: "19:00"},
		{Date: day(3, 31), Kind: "holiday", Title: "Cesar Chavez Day"},
		{Date: day(4, 1), Kind: "other", Title: "April Fools"},
		{Date: day(2, 28), Kind: "other", Title: "February"},
	} {
		_, err := f.s.CreateEvent(f.ctx, e)
		f.must(err)
	}
	tid := f.tournament(2026, day(3, 29), "March Madness")
	evs, err := f.s.Events(f.ctx, day(3, 1), day(4, 1)) // to is exclusive
	f.must(err)
	var got []string
	for _, e := range evs {
		got = append(got, e.Date.String()+" "+e.Title)
	}
	want := "[2026-03-02 March meeting 2026-03-29 March Madness 2026-03-31 Cesar Chavez Day]"
	if fmt.Sprint(got) != want {
		t.Fatalf("March events:\n got %v\nwant %s", got, want)
	}
	if evs[1].TournamentID != tid || evs[1].Kind != "tournament" {
		t.Errorf("tournament event: %+v", evs[1])
	}
	if _, err := f.s.CreateEvent(f.ctx, club.Event{Date: day(5, 1), Kind: "party", Title: "x"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("unknown kind: %v", err)
	}
}

func TestTournamentsStore(t *testing.T) {
	f := newFx(t)
	f.season(2025, nil)
	f.season(2026, nil)
	lake, err := f.s.CreateLake(f.ctx, club.Lake{Name: "Lake Travis", Paper: true, Ramps: []club.Ramp{{Name: "Mansfield Dam"}}})
	f.must(err)
	l, _ := f.s.Lake(f.ctx, lake)
	id, err := f.s.CreateTournament(f.ctx, club.Tournament{SeasonYear: 2026, Date: day(3, 29), Name: "March",
		StartTime: "06:30", LakeID: lake, RampID: l.Ramps[0].ID, PointsCount: true, FishLimit: 3})
	f.must(err)
	f.complete(f.tournament(2026, day(1, 25), "January"), f.tournament(2025, club.NewDate(2025, 12, 28), "Old"))
	tr, err := f.s.Tournament(f.ctx, id)
	f.must(err)
	if tr.Name != "March" || tr.Date.String() != "2026-03-29" || tr.LakeName != "Lake Travis" || tr.RampName != "Mansfield Dam" ||
		!tr.Paper || tr.Format != club.FormatIndividual || tr.Status != club.StatusScheduled || tr.FishLimit != 3 ||
		tr.Version != 1 || tr.StartTime != "06:30" {
		t.Fatalf("tournament read back (paper defaults from the lake): %+v", tr)
	}
	names := func(fl store.TournamentFilter) string {
		ts, err := f.s.Tournaments(f.ctx, fl)
		f.must(err)
		var out []string
		for _, t := range ts {
			out = append(out, t.Name)
		}
		return fmt.Sprint(out)
	}
	for _, c := range []struct {
		f    store.TournamentFilter
		want string
	}{
		{store.TournamentFilter{}, "[March January Old]"},
		{store.TournamentFilter{Year: 2026}, "[March January]"},
		{store.TournamentFilter{LakeID: lake}, "[March]"},
		{store.TournamentFilter{Status: club.StatusComplete}, "[January Old]"},
		{store.TournamentFilter{Limit: 1}, "[March]"},
	} {
		if got := names(c.f); got != c.want {
			t.Errorf("Tournaments(%+v) = %s, want %s", c.f, got, c.want)
		}
	}
	if _, err := f.s.CreateTournament(f.ctx, club.Tournament{SeasonYear: 2031, Date: day(5, 1), Name: "No season"}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("tournament without a season: %v", err)
	}
	if _, err := f.s.Tournament(f.ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing tournament: %v", err)
	}
}

func TestResultsStore(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	ann, bob := f.person("Ann", true), f.person("Bob", true)
	id, err := f.s.SaveResult(f.ctx, ann, club.Result{TournamentID: tid, PersonID: ann, WasMember: true, Fish: 5,
		Gross: 1234, BigBass: 456, OtherPenalty: 10, OtherReason: "short fish"})
	f.must(err)
	r, err := f.s.Result(f.ctx, id)
	f.must(err)
	if r.Gross != 1234 || r.Net != 1224 || r.Penalty != 10 || r.OtherReason != "short fish" || r.Version != 1 ||
		r.UpdatedBy != ann || ptr(r.Place) != "1" || r.FirstName != "Ann" {
		t.Fatalf("result read back: %+v", r)
	}
	bid := f.weigh(tid, bob, true, 5, 1500, 0)
	if got := f.byPerson(tid)[ann]; ptr(got.Place) != "2" {
		t.Errorf("Ann after Bob's 15.00: place %s, want 2", ptr(got.Place))
	}
	r.Gross, r.Fish = 1600, 5
	_, err = f.s.SaveResult(f.ctx, 0, r)
	f.must(err)
	if got := f.byPerson(tid); ptr(got[ann].Place) != "1" || ptr(got[bob].Place) != "2" || got[ann].Version != 2 {
		t.Errorf("after update: Ann %s (v%d), Bob %s", ptr(got[ann].Place), got[ann].Version, ptr(got[bob].Place))
	}
	f.must(f.s.DeleteResult(f.ctx, 0, id))
	if got := f.byPerson(tid); len(got) != 1 || ptr(got[bob].Place) != "1" || ptr(got[bob].Points) != "100" {
		t.Errorf("after delete: %+v", got)
	}
	if _, err := f.s.Result(f.ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted result: %v", err)
	}
	if err := f.s.DeleteResult(f.ctx, 0, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
	// Over the fish limit: the engine refuses and nothing is saved.
	_, err = f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tid, PersonID: ann, Fish: 6, Gross: 1000})
	var es scoring.Errors
	if !errors.As(err, &es) {
		t.Errorf("six fish: %v, want scoring.Errors", err)
	}
	if got := f.byPerson(tid); len(got) != 1 {
		t.Errorf("refused result was saved: %d rows", len(got))
	}
	_ = bid
}

func TestBoatsStore(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	tid := f.tournament(2026, day(3, 29), "March")
	a, b, c := f.person("Ann", true), f.person("Bob", true), f.person("Cat", true)
	f.weigh(tid, a, true, 5, 1000, 300)
	f.weigh(tid, b, true, 3, 500, 200)
	cid := f.weigh(tid, c, true, 5, 1200, 400)
	b1, err := f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid, Anglers: []club.BoatAngler{{PersonID: a}, {PersonID: b}}})
	f.must(err)
	b2, err := f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid, Anglers: []club.BoatAngler{{PersonID: c}}})
	f.must(err)
	boats, err := f.s.Boats(f.ctx, tid)
	f.must(err)
	if len(boats) != 2 || boats[0].ID != b1 || boats[0].Net != 1500 || len(boats[0].Anglers) != 2 ||
		boats[0].Anglers[1].FirstName != "Bob" || ptr(boats[1].Place) != "2" || boats[1].ID != b2 {
		t.Fatalf("boats: %+v", boats)
	}
	if _, err := f.s.SaveBoat(f.ctx, 0, club.Boat{TournamentID: tid}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("boat without anglers: %v", err)
	}
	// Editing the seats: Bob leaves the boat; a stale version is refused.
	boats[0].Anglers = boats[0].Anglers[:1]
	_, err = f.s.SaveBoat(f.ctx, 0, boats[0])
	f.must(err)
	if _, err := f.s.SaveBoat(f.ctx, 0, boats[0]); !errors.Is(err, store.ErrStale) {
		t.Errorf("stale boat save: %v", err)
	}
	// Deleting the only angler of a solo boat removes the boat, and the
	// tournament still scores.
	f.must(f.s.DeleteResult(f.ctx, 0, cid))
	boats, _ = f.s.Boats(f.ctx, tid)
	if len(boats) != 1 || boats[0].ID != b1 || boats[0].Net != 1000 {
		t.Errorf("after deleting Cat's result: %+v", boats)
	}
	f.must(f.s.DeleteBoat(f.ctx, 0, b1))
	if boats, _ = f.s.Boats(f.ctx, tid); len(boats) != 0 {
		t.Errorf("after DeleteBoat: %d boats", len(boats))
	}
}

func TestPollsStore(t *testing.T) {
	f := newFx(t)
	ann, bob, cat := f.person("Ann", true), f.person("Bob", true), f.person("Cat", true)
	opens := f.s.Now().Add(-5 * 24 * time.Hour) // open now: votes count only while it is
	id, err := f.s.CreatePoll(f.ctx, club.Poll{Kind: "lake", Title: "Next lake", OpensAt: opens,
		ClosesAt: opens.Add(7 * 24 * time.Hour), CreatedBy: ann,
		Options: []club.PollOption{{Label: "Travis"}, {Label: "Inks"}, {Label: "Buchanan"}}})
	f.must(err)
	p, err := f.s.PollWithCounts(f.ctx, id)
	f.must(err)
	if len(p.Options) != 3 || p.Options[1].Label != "Inks" || !p.Open(opens.Add(time.Hour)) {
		t.Fatalf("poll read back: %+v", p)
	}
	vote := func(person int64, opt int) error {
		return f.s.CastVote(f.ctx, club.Vote{PollID: id, OptionID: p.Options[opt].ID, PersonID: person})
	}
	f.must(vote(ann, 1))
	f.must(vote(bob, 1))
	f.must(f.s.CastVote(f.ctx, club.Vote{PollID: id, OptionID: p.Options[2].ID, PersonID: cat, ProxyBy: ann}))
	p, _ = f.s.PollWithCounts(f.ctx, id)
	if got := fmt.Sprint(p.Options[0].Votes, p.Options[1].Votes, p.Options[2].Votes); got != "0 2 1" {
		t.Errorf("counts %s, want 0 2 1", got)
	}
	open, _ := f.s.OpenPolls(f.ctx, opens.Add(time.Hour))
	closed, _ := f.s.OpenPolls(f.ctx, opens.Add(8*24*time.Hour))
	if len(open) != 1 || len(closed) != 0 {
		t.Errorf("open polls: %d while open, %d after closing", len(open), len(closed))
	}
	if _, err := f.s.CreatePoll(f.ctx, club.Poll{Kind: "lake", Title: "Backwards", OpensAt: opens, ClosesAt: opens,
		Options: []club.PollOption{{Label: "x"}}}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("poll closing when it opens: %v", err)
	}
	if _, err := f.s.PollWithCounts(f.ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing poll: %v", err)
	}
}

func TestNewsStore(t *testing.T) {
	f := newFx(t)
	ann := f.person("Ann", true)
	now := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	for i, title := range []string{"Old", "Newer", "Scheduled"} {
		_, err := f.s.CreateNews(f.ctx, club.News{Title: title, BodyMD: "**" + title + "**", AuthorID: ann,
			PublishAt: now.Add(time.Duration(i-1) * 24 * time.Hour).Add(-time.Minute)})
		f.must(err)
	}
	news, err := f.s.News(f.ctx, now, 10)
	f.must(err)
	if len(news) != 2 || news[0].Title != "Newer" || news[1].AuthorID != ann || news[0].EmailedAt != nil {
		t.Fatalf("published news: %+v", news)
	}
	if one, _ := f.s.News(f.ctx, now, 1); len(one) != 1 {
		t.Errorf("limit 1 gave %d", len(one))
	}
	if _, err := f.s.CreateNews(f.ctx, club.News{Title: "", PublishAt: now}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("untitled news: %v", err)
	}
}
