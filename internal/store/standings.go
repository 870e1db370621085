package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"sabc/internal/club"
	"sabc/internal/scoring"
)

// rebuildSeason recomputes a season's AoY standings and awards from the stored
// outcomes of its complete tournaments and replaces the stored rows.
func (s *Store) rebuildSeason(ctx context.Context, tx *sql.Tx, year int) error {
	se, err := seasonTx(ctx, tx, year)
	if err != nil {
		return err
	}
	rules, _, err := loadRules(se)
	if err != nil {
		return err
	}
	ts, err := seasonTournaments(ctx, tx, year)
	if err != nil {
		return err
	}
	aoy := scoring.Standings(rules, ts)
	if _, err := tx.ExecContext(ctx, `DELETE FROM standings WHERE season_year = $1`, year); err != nil {
		return err
	}
	for _, st := range aoy.Rows {
		cum, _ := json.Marshal(st.Cumulative)
		if _, err := tx.ExecContext(ctx, `INSERT INTO standings (season_year, person_id, rank, points, events, wins,
			fish, net, biggest_bass, eligible, cumulative_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			year, st.AnglerID, st.Rank, st.Points, st.Events, st.Wins, st.Fish, int64(st.Net), int64(st.BigBass),
			st.Eligible, string(cum)); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM season_awards WHERE season_year = $1`, year); err != nil {
		return err
	}
	for kind, list := range map[string][]scoring.Catch{
		"heavy-stringer": scoring.HeavyStringers(rules, ts, 10),
		"big-bass":       scoring.BigBassOfYear(rules, ts, 10),
	} {
		for _, c := range list {
			if _, err := tx.ExecContext(ctx, `INSERT INTO season_awards (season_year, kind, rank, person_id,
				tournament_id, weight) VALUES ($1, $2, $3, $4, $5, $6)`,
				year, kind, c.Rank, c.AnglerID, c.TournamentID, int64(c.Weight)); err != nil {
				return err
			}
		}
	}
	return nil
}

// seasonTournaments loads the stored outcomes of a season's complete
// tournaments in date order, in one query.
func seasonTournaments(ctx context.Context, q querier, year int) ([]scoring.SeasonTournament, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.id, t.name, t.points_count, t.paper, r.person_id, p.first_name,
		p.last_name, r.was_member, r.place, r.points, r.out_fish, r.net, r.out_big_bass, r.out_buy_in, r.out_dq
		FROM tournaments t JOIN events e ON e.id = t.event_id
		JOIN results r ON r.tournament_id = t.id JOIN people p ON p.id = r.person_id
		WHERE t.season_year = $1 AND t.status = $2 ORDER BY e.event_date, t.id, r.id`, year, club.StatusComplete)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []scoring.SeasonTournament
	for rows.Next() {
		var t scoring.SeasonTournament
		var r scoring.SeasonResult
		var first, last string
		var place, points sql.NullInt64
		var net, bb int64
		if err := rows.Scan(&t.ID, &t.Name, &t.PointsCount, &t.Paper, &r.AnglerID, &first, &last, &r.Member,
			&place, &points, &r.Fish, &net, &bb, &r.BuyIn, &r.DQ); err != nil {
			return nil, err
		}
		r.Name, r.SortName = first+" "+last, last+", "+first
		r.Place, r.Points, r.Pointed = int(place.Int64), int(points.Int64), points.Valid
		r.Net, r.BigBass = scoring.Weight(net), scoring.Weight(bb)
		if n := len(out); n == 0 || out[n-1].ID != t.ID {
			out = append(out, t)
		}
		out[len(out)-1].Results = append(out[len(out)-1].Results, r)
	}
	return out, rows.Err()
}

// Standing is one stored AoY row with the angler's name.
type Standing struct {
	PersonID    int64
	Name        string
	Rank        int
	Points      int
	Events      int
	Wins        int
	Fish        int
	Net         int64
	BiggestBass int64
	Eligible    bool
	Cumulative  []int
}

// Standings lists a season's stored AoY rows in order (limit 0 = all), one query.
func (s *Store) Standings(ctx context.Context, year, limit int) ([]Standing, error) {
	q := `SELECT st.person_id, p.first_name || ' ' || p.last_name, st.rank, st.points, st.events, st.wins, st.fish,
		st.net, st.biggest_bass, st.eligible, st.cumulative_json
		FROM standings st JOIN people p ON p.id = st.person_id WHERE st.season_year = $1
		ORDER BY CASE WHEN st.eligible THEN 0 ELSE 1 END, st.rank, st.points DESC, p.last_name, p.first_name`
	args := []any{year}
	if limit > 0 {
		q += ` LIMIT $2`
		args = append(args, limit)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Standing
	for rows.Next() {
		var st Standing
		var cum string
		if err := rows.Scan(&st.PersonID, &st.Name, &st.Rank, &st.Points, &st.Events, &st.Wins, &st.Fish, &st.Net,
			&st.BiggestBass, &st.Eligible, &cum); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(cum), &st.Cumulative)
		out = append(out, st)
	}
	return out, rows.Err()
}
