// Package demo generates the deterministic demo club (spec 02-site §8): Central
// Texas lakes with ramps, ~150 anglers, three seasons of monthly tournaments
// with realistic weigh-ins, meetings, news and an open lake poll. The same
// seed and "now" always give the same club, so tests and benchmarks agree.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
)

// Demo logins printed by `sabc serve` on first run.
const (
	AdminEmail   = "admin@sabc.example"
	OfficerEmail = "officer@sabc.example"
	MemberEmail  = "member@sabc.example"
	Password     = "bass-club-demo-2026"
)

// Options shape the generated club.
type Options struct {
	Now          time.Time // tournaments before Now are complete; after are scheduled
	Scale        int       // multiplies anglers and field sizes (benchmarks use 10); 0 means 1
	Seasons      int       // number of seasons ending with Now's year; 0 means 3
	PasswordHash string    // bcrypt hash of Password, shared by all demo accounts
}

// Generate fills an empty store. It is deterministic for the same Options.
func Generate(ctx context.Context, s *store.Store, o Options) error {
	if o.Scale < 1 {
		o.Scale = 1
	}
	if o.Seasons < 1 {
		o.Seasons = 3
	}
	g := &gen{s: s, o: o, rng: rand.New(rand.NewPCG(1981, uint64(o.Scale)))}
	steps := []func(context.Context) error{g.club, g.people, g.makeLakes, g.seasons, g.news, g.poll}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}

type gen struct {
	s       *store.Store
	o       Options
	rng     *rand.Rand
	admin   int64
	members []int64
	guests  []int64
	skill   map[int64]float64
	lakes   []club.Lake
}

func (g *gen) club(ctx context.Context) error {
	return g.s.SaveClub(ctx, club.Club{Name: "South Austin Bass Club", ShortName: "SABC", Founded: 1981,
		AboutMD: aboutMD, BylawsMD: bylawsMD})
}

func (g *gen) people(ctx context.Context) error {
	g.skill = map[int64]float64{}
	year := g.o.Now.In(club.Location).Year()
	fixed := []club.Person{
		{Email: AdminEmail, FirstName: "Ada", LastName: "Admin", IsAdmin: true, Member: true},
		{Email: OfficerEmail, FirstName: "Otis", LastName: "Officer", Member: true},
		{Email: MemberEmail, FirstName: "Mandy", LastName: "Member", Member: true},
	}
	n := 150 * g.o.Scale
	used := map[string]bool{}
	for i := 0; i < n; i++ {
		var p club.Person
		if i < len(fixed) {
			p = fixed[i]
		} else {
			for {
				p.FirstName = firstNames[g.rng.IntN(len(firstNames))]
				p.LastName = lastNames[g.rng.IntN(len(lastNames))]
				if !used[p.FirstName+p.LastName] || g.o.Scale > 1 {
					break
				}
			}
			p.Email = fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(p.FirstName), strings.ToLower(p.LastName), i)
			p.Member = g.rng.Float64() < 0.72
		}
		used[p.FirstName+p.LastName] = true
		p.Phone = fmt.Sprintf("+1512555%04d", 1000+i%9000)
		p.PasswordHash = g.o.PasswordHash
		p.IsActive = true
		p.EmailNews = g.rng.Float64() < 0.8
		p.EmailPolls = true
		if p.Member {
			p.MemberSince = club.NewDate(year-g.o.Seasons-g.rng.IntN(15), time.January, 1+g.rng.IntN(28)) // before the first demo season
			p.DuesPaidThrough = club.NewDate(year, time.December, 31)
		}
		id, err := g.s.CreatePerson(ctx, p)
		if err != nil {
			return err
		}
		if p.Member {
			g.members = append(g.members, id)
		} else {
			g.guests = append(g.guests, id)
		}
		if i == 0 {
			g.admin = id
		}
		g.skill[id] = 0.5 + g.rng.Float64() // some anglers are simply better
	}
	return nil
}

func (g *gen) makeLakes(ctx context.Context) error {
	for _, l := range lakes {
		lake := club.Lake{Name: l.name, Paper: l.paper,
			MapURL: "https://www.google.com/maps/search/?api=1&query=" + strings.ReplaceAll(l.name, " ", "+") + "+Texas"}
		for _, r := range l.ramps {
			lake.Ramps = append(lake.Ramps, club.Ramp{Name: r,
				MapURL: "https://www.google.com/maps/search/?api=1&query=" + strings.ReplaceAll(r, " ", "+")})
		}
		if _, err := g.s.CreateLake(ctx, lake); err != nil {
			return err
		}
	}
	var err error
	g.lakes, err = g.s.Lakes(ctx)
	return err
}

func (g *gen) seasons(ctx context.Context) error {
	last := g.o.Now.In(club.Location).Year()
	rules, _ := json.Marshal(scoring.DefaultRules())
	payouts, _ := json.Marshal(scoring.DefaultPayouts())
	for year := last - g.o.Seasons + 1; year <= last; year++ {
		if err := g.s.CreateSeason(ctx, club.Season{Year: year, RulesJSON: string(rules), PayoutJSON: string(payouts),
			RulesMD: "Club bylaws apply. Five-fish limit, 12-inch minimum length, live-well checks at launch."}); err != nil {
			return err
		}
		if err := g.officers(ctx, year); err != nil {
			return err
		}
		if err := g.schedule(ctx, year); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) officers(ctx context.Context, year int) error {
	for i, pos := range club.Positions {
		id := g.members[i%len(g.members)]
		if i > 1 { // rotating officers, never the demo logins (their roles are printed)
			id = g.members[3+(i+year)%(len(g.members)-3)]
		}
		if _, err := g.s.AddOfficerTerm(ctx, club.OfficerTerm{SeasonYear: year, Position: pos, PersonID: id}); err != nil {
			return err
		}
	}
	return nil
}

// NextMeetingStart is the start of the first monthly meeting after now.
func NextMeetingStart(now time.Time) time.Time {
	today := club.Today(now)
	for m := 0; ; m++ {
		first := today.AddDate(0, m, 1-today.Day())
		if at := club.MeetingDay(first.Year(), first.Month()).At(club.MeetingStart); at.After(now) {
			return at
		}
	}
}

// schedule creates the season's meetings (first Monday) and tournaments (last
// Sunday), weighing in every tournament already fished.
func (g *gen) schedule(ctx context.Context, year int) error {
	today := club.Today(g.o.Now)
	for _, m := range club.FishingMonths {
		meet := club.MeetingDay(year, m)
		if _, err := g.s.CreateEvent(ctx, club.Event{Date: meet, Kind: "meeting", Title: club.MeetingTitle,
			StartTime: club.MeetingStart, EndTime: club.MeetingEnd, Description: club.MeetingDescription}); err != nil {
			return err
		}
		day := club.TournamentDay(year, m)
		lake := g.lakes[g.rng.IntN(len(g.lakes))]
		ramp := lake.Ramps[g.rng.IntN(len(lake.Ramps))]
		t := club.Tournament{SeasonYear: year, Name: fmt.Sprintf("%s %s", m, lake.Name), Date: day,
			StartTime: club.TournamentStart, EndTime: club.TournamentEnd, LakeID: lake.ID, RampID: ramp.ID, Format: club.FormatIndividual,
			PointsCount: m != time.December, Status: club.StatusScheduled}
		if m == time.April || m == time.September {
			t.Format = club.FormatTeam
			t.Name = fmt.Sprintf("%s %s Team Classic", m, lake.Name)
		}
		if !day.Before(today.Time) {
			if _, err := g.s.CreateTournament(ctx, t); err != nil {
				return err
			}
			continue
		}
		t.Status = club.StatusComplete
		id, err := g.s.CreateTournament(ctx, t)
		if err != nil {
			return err
		}
		results, boats := g.weighIn(t, lake.Paper)
		if err := g.s.ImportResults(ctx, g.admin, id, results, boats); err != nil {
			return fmt.Errorf("weigh-in %s: %w", t.Name, err)
		}
	}
	return nil
}

// news posts one item a month before today, in the club's morning.
func (g *gen) news(ctx context.Context) error {
	today := club.Today(g.o.Now)
	for i, n := range news {
		at := club.Date{Time: today.AddDate(0, 0, -30*(len(news)-i))}.At(fmt.Sprintf("%02d:15", 8+i%4))
		if _, err := g.s.CreateNews(ctx, club.News{Title: n.title, BodyMD: n.body, PublishAt: at, AuthorID: g.admin}); err != nil {
			return err
		}
	}
	return nil
}

// poll opens a lake poll for next month's tournament with a few votes in; it
// closes when the next monthly meeting starts.
func (g *gen) poll(ctx context.Context) error {
	now := g.o.Now.UTC()
	p := club.Poll{Kind: "lake", Title: "Where do we fish next month?", SeasonYear: club.Today(now).Year(),
		Description: "Vote for next month's lake. Voting closes when the monthly meeting starts.",
		OpensAt:     now.Add(-5 * 24 * time.Hour), ClosesAt: NextMeetingStart(now), CreatedBy: g.admin}
	for i := 0; i < 4; i++ {
		l := g.lakes[(i*5+3)%len(g.lakes)]
		p.Options = append(p.Options, club.PollOption{Label: l.Name, LakeID: l.ID, RampID: l.Ramps[0].ID, StartTime: "06:30"})
	}
	id, err := g.s.CreatePoll(ctx, p)
	if err != nil {
		return err
	}
	poll, err := g.s.PollWithCounts(ctx, id)
	if err != nil {
		return err
	}
	for i, m := range g.members[3:40] { // the demo logins have not voted yet
		o := poll.Options[(i*7+i/3)%len(poll.Options)]
		if err := g.s.CastVote(ctx, club.Vote{PollID: id, OptionID: o.ID, PersonID: m}); err != nil {
			return err
		}
	}
	return nil
}
