package store

import (
	"context"
	"database/sql"
	"fmt"

	"sabc/internal/cache"
	"sabc/internal/club"
)

// CreateSeason inserts a season. Rules and payouts are JSON of the scoring
// package's RuleSet and PayoutSchedule, validated by the caller.
func (s *Store) CreateSeason(ctx context.Context, se club.Season) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO seasons (year, rules_json, payout_json, rules_md, requires_dues, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, se.Year, se.RulesJSON, se.PayoutJSON, se.RulesMD, se.RequiresDues, s.Now())
	if err != nil {
		return fmt.Errorf("create season %d: %w", se.Year, mapErr(err))
	}
	s.wrote(ctx, cache.SeasonRulesWrite(se.Year)...)
	return nil
}

// Season loads one season, with the version an edit form must send back.
func (s *Store) Season(ctx context.Context, year int) (club.Season, error) {
	return seasonTx(ctx, s.read, year)
}

const seasonCols = `year, rules_json, payout_json, rules_md, requires_dues, version, updated_at`

func seasonTx(ctx context.Context, q querier, year int) (club.Season, error) {
	return scanSeason(q.QueryRowContext(ctx, `SELECT `+seasonCols+` FROM seasons WHERE year = $1`, year))
}

func scanSeason(row *sql.Row) (club.Season, error) {
	var se club.Season
	err := row.Scan(&se.Year, &se.RulesJSON, &se.PayoutJSON, &se.RulesMD, &se.RequiresDues, &se.Version, &se.UpdatedAt)
	if err != nil {
		return se, fmt.Errorf("season: %w", mapErr(err))
	}
	return se, nil
}

// SeasonYears lists the years that have a season, newest first.
func (s *Store) SeasonYears(ctx context.Context) ([]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT year FROM seasons ORDER BY year DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// Club loads the settings row (zero value before the first run seeds it).
func (s *Store) Club(ctx context.Context) (club.Club, error) {
	var c club.Club
	err := s.read.QueryRowContext(ctx, `SELECT name, short_name, founded, about_md, bylaws_md FROM club WHERE id = 1`).
		Scan(&c.Name, &c.ShortName, &c.Founded, &c.AboutMD, &c.BylawsMD)
	return c, mapErr(err)
}

// SaveClub writes the settings row.
func (s *Store) SaveClub(ctx context.Context, c club.Club) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO club (id, name, short_name, founded, about_md, bylaws_md, updated_at)
		VALUES (1, $1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,
		founded = excluded.founded, about_md = excluded.about_md, bylaws_md = excluded.bylaws_md,
		updated_at = excluded.updated_at`, c.Name, c.ShortName, c.Founded, c.AboutMD, c.BylawsMD, s.Now())
	if err == nil {
		s.wrote(ctx, cache.ClubWrite()...)
	}
	return mapErr(err)
}

// IsEmpty reports whether the database has no people yet (first run → demo).
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM people`).Scan(&n)
	return n == 0, err
}

// HasAdmin reports whether an active admin account exists (first run in
// production → the operator is told to run `sabc createadmin`).
func (s *Store) HasAdmin(ctx context.Context) (bool, error) {
	var ok bool
	err := s.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM people WHERE is_admin = TRUE AND is_active = TRUE)`).Scan(&ok)
	return ok, err
}
