package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"sabc/internal/club"
)

// Read models for the public angler profile (spec 02-site §2). They select
// only public columns: a profile never shows email or phone, so it never
// loads them either.

// PublicPerson is what anyone may see of an account.
type PublicPerson struct {
	ID          int64
	FirstName   string
	LastName    string
	Member      bool
	IsActive    bool
	MemberSince club.Date
	AvatarKey   string
	CreatedAt   time.Time
	Positions   []string // officer positions held in the season asked for, in bylaw order
}

// Name is "First Last".
func (p PublicPerson) Name() string { return p.FirstName + " " + p.LastName }

// PublicPerson loads an angler's public fields and the officer positions held
// in season, in one query.
func (s *Store) PublicPerson(ctx context.Context, id int64, season int) (PublicPerson, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT p.id, p.first_name, p.last_name, p.member, p.is_active,
		p.member_since, p.avatar_key, p.created_at, COALESCE(o.position, '')
		FROM people p LEFT JOIN officer_terms o ON o.person_id = p.id AND o.season_year = $2
		WHERE p.id = $1`, id, season)
	if err != nil {
		return PublicPerson{}, fmt.Errorf("person %d: %w", id, err)
	}
	defer rows.Close()
	var p PublicPerson
	found := false
	for rows.Next() {
		var pos string
		if err := rows.Scan(&p.ID, &p.FirstName, &p.LastName, &p.Member, &p.IsActive, &p.MemberSince,
			&p.AvatarKey, anyTime{&p.CreatedAt}, &pos); err != nil {
			return PublicPerson{}, err
		}
		found = true
		if pos != "" {
			p.Positions = append(p.Positions, pos)
		}
	}
	if err := rows.Err(); err != nil {
		return PublicPerson{}, err
	}
	if !found {
		return PublicPerson{}, fmt.Errorf("person %d: %w", id, ErrNotFound)
	}
	p.Positions = inBylawOrder(p.Positions)
	return p, nil
}

func inBylawOrder(held []string) []string {
	var out []string
	for _, pos := range club.Positions {
		for _, h := range held {
			if h == pos {
				out = append(out, pos)
			}
		}
	}
	return out
}

// AnglerResult is one of an angler's stored results with its tournament.
type AnglerResult struct {
	TournamentID int64
	Tournament   string
	Season       int
	Date         club.Date
	Status       string
	HideLive     bool // the officers hid the standings until complete
	Format       string
	PointsCount  bool
	Paper        bool
	LakeName     string
	Entries      int // fees paid (anglers, or boats on a per-boat fee)
	Boats        int // a team event's places are among its boats
	WasMember    bool
	Place        *int
	Points       *int
	Fish         int
	Net          int64
	BigBass      int64
	BuyIn        bool
	DQ           bool
	DQReason     string
	PrizeCents   int64
}

// AnglerResults lists every result of one angler, newest first, in one query.
func (s *Store) AnglerResults(ctx context.Context, personID int64) ([]AnglerResult, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT t.id, t.name, t.season_year, e.event_date, t.status, t.hide_live, t.format,
		t.points_count, t.paper, COALESCE(l.name, ''), t.entries,
		(SELECT COUNT(*) FROM boats b WHERE b.tournament_id = t.id), r.was_member, r.place, r.points, r.out_fish,
		r.net, r.out_big_bass, r.out_buy_in, r.out_dq, r.out_dq_reason, r.prize_cents
		FROM results r JOIN tournaments t ON t.id = r.tournament_id JOIN events e ON e.id = t.event_id
		LEFT JOIN lakes l ON l.id = t.lake_id
		WHERE r.person_id = $1
		ORDER BY e.event_date DESC, t.id DESC`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AnglerResult
	for rows.Next() {
		var a AnglerResult
		var place, points sql.NullInt64
		if err := rows.Scan(&a.TournamentID, &a.Tournament, &a.Season, &a.Date, &a.Status, &a.HideLive, &a.Format,
			&a.PointsCount, &a.Paper, &a.LakeName, &a.Entries, &a.Boats, &a.WasMember, &place, &points, &a.Fish, &a.Net,
			&a.BigBass, &a.BuyIn, &a.DQ, &a.DQReason, &a.PrizeCents); err != nil {
			return nil, err
		}
		a.Place, a.Points = intPtr(place), intPtr(points)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AnglerStanding is an angler's stored AoY line in one season.
type AnglerStanding struct {
	Season   int
	Rank     int
	Points   int
	Events   int
	Eligible bool
}

// AnglerStandings lists an angler's stored AoY lines, newest season first, in one query.
func (s *Store) AnglerStandings(ctx context.Context, personID int64) ([]AnglerStanding, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT season_year, rank, points, events, eligible
		FROM standings WHERE person_id = $1 ORDER BY season_year DESC`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AnglerStanding
	for rows.Next() {
		var a AnglerStanding
		if err := rows.Scan(&a.Season, &a.Rank, &a.Points, &a.Events, &a.Eligible); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
