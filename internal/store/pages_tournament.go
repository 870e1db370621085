package store

import (
	"context"
	"database/sql"
	"fmt"

	"sabc/internal/club"
)

// Read models for the public tournament, tournament list and standings pages.
// Each method is one query; the pages' query budgets (spec 03 §2) are the sum
// of the methods they call, whatever the size of the club.

// TournamentLink names a tournament for a link ("← March Lake Travis").
type TournamentLink struct {
	ID   int64
	Name string
	Date club.Date
}

// TournamentHeader is a tournament with what its page shows around the
// results: the stored payout and big-bass outcomes, the season's rules, the
// neighbours by date and where carried big-bass money came from.
type TournamentHeader struct {
	club.Tournament
	PayoutJSON       string // scoring.Payouts, stored by the scoring step
	BigBassJSON      string // scoring.BigBass
	RulesJSON        string // the season's scoring.RuleSet
	SeasonPayoutJSON string // the season's scoring.PayoutSchedule
	RulesMD          string // the season's rules text
	Prev, Next       TournamentLink
	CarryFrom        TournamentLink // the tournament whose big-bass pot carried in
}

// TournamentHeader loads one tournament for its public page in one query.
// Previous and next are by event date (ties by id), the same order the
// big-bass carry-over follows (see neighbours in score.go). Their conditions
// bound the date first (<=, >=) so the events_date index narrows the search
// to one side of the tournament instead of scanning every event twice.
func (s *Store) TournamentHeader(ctx context.Context, id int64) (TournamentHeader, error) {
	var h TournamentHeader
	dest := append(tournamentFields(&h.Tournament), &h.PayoutJSON, &h.BigBassJSON, &h.RulesJSON,
		&h.SeasonPayoutJSON, &h.RulesMD,
		&h.Prev.ID, &h.Prev.Name, &h.Prev.Date, &h.Next.ID, &h.Next.Name, &h.Next.Date,
		&h.CarryFrom.ID, &h.CarryFrom.Name)
	err := s.read.QueryRowContext(ctx, `SELECT `+tournamentCols+`, t.payout_json, t.big_bass_json,
		se.rules_json, se.payout_json, se.rules_md,
		COALESCE(pt.id, 0), COALESCE(pt.name, ''), pe.event_date,
		COALESCE(nt.id, 0), COALESCE(nt.name, ''), ne.event_date,
		COALESCE(cf.id, 0), COALESCE(cf.name, '')`+tournamentFrom+`
		JOIN seasons se ON se.year = t.season_year
		LEFT JOIN tournaments pt ON pt.id = (SELECT t2.id FROM tournaments t2 JOIN events e2 ON e2.id = t2.event_id
			WHERE e2.event_date <= e.event_date AND (e2.event_date < e.event_date OR t2.id < t.id)
			ORDER BY e2.event_date DESC, t2.id DESC LIMIT 1)
		LEFT JOIN events pe ON pe.id = pt.event_id
		LEFT JOIN tournaments nt ON nt.id = (SELECT t2.id FROM tournaments t2 JOIN events e2 ON e2.id = t2.event_id
			WHERE e2.event_date >= e.event_date AND (e2.event_date > e.event_date OR t2.id > t.id)
			ORDER BY e2.event_date, t2.id LIMIT 1)
		LEFT JOIN events ne ON ne.id = nt.event_id
		LEFT JOIN tournaments cf ON cf.id = t.big_bass_carry_from_id
		WHERE t.id = $1`, id).Scan(dest...)
	if err != nil {
		return h, fmt.Errorf("tournament page %d: %w", id, mapErr(err))
	}
	return h, nil
}

// FilterOption is one choice of a list filter (a season year or a lake).
type FilterOption struct {
	ID   int64
	Name string
}

// TournamentFilters lists the season years (newest first) and the lakes that
// have held a tournament (by name), for the tournament list's filters — one
// query for both.
func (s *Store) TournamentFilters(ctx context.Context) (years []int, lakes []FilterOption, err error) {
	rows, err := s.read.QueryContext(ctx, `SELECT kind, id, name FROM (
		SELECT 0 AS kind, year AS id, '' AS name FROM seasons
		UNION ALL
		SELECT DISTINCT 1 AS kind, l.id, l.name FROM lakes l JOIN tournaments t ON t.lake_id = l.id
	) f ORDER BY kind, CASE WHEN kind = 0 THEN -id ELSE 0 END, name`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind int
		var o FilterOption
		if err := rows.Scan(&kind, &o.ID, &o.Name); err != nil {
			return nil, nil, err
		}
		if kind == 0 {
			years = append(years, int(o.ID))
		} else {
			lakes = append(lakes, o)
		}
	}
	return years, lakes, rows.Err()
}

// SeasonTournamentRow is one tournament of a season on the standings page.
type SeasonTournamentRow struct {
	ID          int64
	Name        string
	Date        club.Date
	Status      string
	PointsCount bool
	LakeName    string
	Entries     int
	StatsJSON   string // scoring.TournamentStats
}

// SeasonOverview lists every season year (newest first) and, for year, its
// tournaments in date order — one query. found is false when year has no season.
func (s *Store) SeasonOverview(ctx context.Context, year int) (years []int, ts []SeasonTournamentRow, found bool,
	err error) {
	// Every season contributes one row of its own (id 0) for the list of
	// years; only the requested year's tournaments are read, through
	// tournaments_season. (A LEFT JOIN of seasons to all tournaments made
	// SQLite materialize every season's tournaments, stats included, and
	// index them on each request.)
	rows, err := s.read.QueryContext(ctx, `SELECT year AS season, 0 AS id, '' AS name, NULL AS event_date, '' AS status,
		FALSE AS points_count, '' AS lake, 0 AS entries, '{}' AS stats FROM seasons
		UNION ALL
		SELECT t.season_year, t.id, t.name, e.event_date, t.status, t.points_count, COALESCE(l.name, ''), t.entries,
			t.stats_json
		FROM tournaments t JOIN events e ON e.id = t.event_id LEFT JOIN lakes l ON l.id = t.lake_id
		WHERE t.season_year = $1
		ORDER BY season DESC, event_date, id`, year)
	if err != nil {
		return nil, nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var y int
		var t SeasonTournamentRow
		if err := rows.Scan(&y, &t.ID, &t.Name, &t.Date, &t.Status, &t.PointsCount, &t.LakeName, &t.Entries,
			&t.StatsJSON); err != nil {
			return nil, nil, false, err
		}
		if len(years) == 0 || years[len(years)-1] != y {
			years = append(years, y)
		}
		if y == year {
			found = true
		}
		if t.ID != 0 {
			ts = append(ts, t)
		}
	}
	return years, ts, found, rows.Err()
}

// Award is one line of a season top list (Heavy Stringer, Big Bass of the Year).
type Award struct {
	Kind           string // "heavy-stringer" or "big-bass"
	Rank           int
	PersonID       int64
	Name           string
	TournamentID   int64
	TournamentName string
	Weight         int64
	Guest          bool // fished that tournament as a guest: shown "(G)"
}

// SeasonAwards lists the stored top lists of a season, both kinds, in rank
// order — one query.
func (s *Store) SeasonAwards(ctx context.Context, year int) ([]Award, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT a.kind, a.rank, a.person_id, p.first_name || ' ' || p.last_name,
		a.tournament_id, t.name, a.weight, NOT COALESCE(r.was_member, TRUE)
		FROM season_awards a JOIN people p ON p.id = a.person_id JOIN tournaments t ON t.id = a.tournament_id
		JOIN events e ON e.id = t.event_id
		LEFT JOIN results r ON r.tournament_id = a.tournament_id AND r.person_id = a.person_id
		WHERE a.season_year = $1
		ORDER BY a.kind, a.rank, e.event_date, p.last_name, p.first_name`, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Award
	for rows.Next() {
		var a Award
		if err := rows.Scan(&a.Kind, &a.Rank, &a.PersonID, &a.Name, &a.TournamentID, &a.TournamentName,
			&a.Weight, &a.Guest); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PageResults lists a tournament's results with only what its public page
// prints: the angler, the stored outcome (places, points, nets, prizes, tie
// notes), not the entered fields, lengths, locks or audit stamps. It is
// Results' order (sortResults) from half the columns: the page is the
// render members wait for after every weigh-in save, and decoding a column
// is most of what reading a row costs. One query.
func (s *Store) PageResults(ctx context.Context, tournamentID int64) ([]club.Result, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.person_id, p.first_name, p.last_name, r.was_member,
		r.out_fish, r.out_dead, r.out_gross, r.out_big_bass, r.out_buy_in, r.out_dq, r.out_dq_reason, r.penalty,
		r.net, r.place, r.points, r.prize_cents, r.tie_note
		FROM results r JOIN people p ON p.id = r.person_id WHERE r.tournament_id = $1`, tournamentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.Result
	for rows.Next() {
		r := club.Result{TournamentID: tournamentID}
		var place, points sql.NullInt64
		if err := rows.Scan(&r.ID, &r.PersonID, &r.FirstName, &r.LastName, &r.WasMember, &r.OutFish, &r.OutDead,
			&r.OutGross, &r.OutBigBass, &r.OutBuyIn, &r.OutDQ, &r.OutDQReason, &r.Penalty, &r.Net, &place, &points,
			&r.PrizeCents, &r.TieNote); err != nil {
			return nil, err
		}
		r.Place, r.Points = intPtr(place), intPtr(points)
		out = append(out, r)
	}
	sortResults(out)
	return out, rows.Err()
}

// PageBoats lists a tournament's boats with their anglers in finishing
// order, as Boats does, with only the columns the public page prints (see
// PageResults). One query.
func (s *Store) PageBoats(ctx context.Context, tournamentID int64) ([]club.Boat, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT b.id, b.total_fish, b.total_dead, b.total_big_bass, b.penalty,
		b.net, b.is_dq, b.is_buy_in, b.dq_reason, b.place, b.points, b.prize_cents,
		COALESCE(a.person_id, 0), COALESCE(p.first_name, ''), COALESCE(p.last_name, '')`+boatsWithAnglers, tournamentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.Boat
	for rows.Next() {
		b := club.Boat{TournamentID: tournamentID}
		var a club.BoatAngler
		var place, points sql.NullInt64
		if err := rows.Scan(&b.ID, &b.TotalFish, &b.TotalDead, &b.TotalBigBass, &b.Penalty, &b.Net, &b.IsDQ,
			&b.IsBuyIn, &b.DQReason, &place, &points, &b.PrizeCents, &a.PersonID, &a.FirstName, &a.LastName); err != nil {
			return nil, err
		}
		b.Place, b.Points = intPtr(place), intPtr(points)
		out = appendBoatRow(out, b, a)
	}
	return out, rows.Err()
}
