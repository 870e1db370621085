package store

import (
	"context"
	"database/sql"
	"fmt"

	"sabc/internal/cache"
	"sabc/internal/club"
)

const tournamentCols = `t.id, t.event_id, t.season_year, t.name, e.event_date, e.start_time, e.end_time,
	COALESCE(t.lake_id, 0), COALESCE(l.name, ''), COALESCE(l.map_url, ''), COALESCE(l.state, ''), COALESCE(t.ramp_id, 0),
	COALESCE(r.name, ''), COALESCE(r.map_url, ''), t.format, t.points_count, t.paper, t.status,
	COALESCE(t.fish_limit, 0), t.description, t.hide_live, e.cancelled, t.version, t.updated_at,
	t.entries, t.pot_total_cents, t.big_bass_pot_cents, t.big_bass_carry_in_cents,
	COALESCE(t.big_bass_carry_from_id, 0), t.big_bass_carried_out, t.stats_json`

const tournamentFrom = ` FROM tournaments t JOIN events e ON e.id = t.event_id
	LEFT JOIN lakes l ON l.id = t.lake_id LEFT JOIN ramps r ON r.id = t.ramp_id`

func scanTournament(row interface{ Scan(...any) error }) (club.Tournament, error) {
	var t club.Tournament
	err := row.Scan(tournamentFields(&t)...)
	return t, err
}

// tournamentFields are the scan destinations matching tournamentCols.
func tournamentFields(t *club.Tournament) []any {
	return []any{&t.ID, &t.EventID, &t.SeasonYear, &t.Name, &t.Date, &t.StartTime, &t.EndTime,
		&t.LakeID, &t.LakeName, &t.LakeMapURL, &t.LakeState, &t.RampID, &t.RampName, &t.RampMapURL, &t.Format,
		&t.PointsCount, &t.Paper, &t.Status, &t.FishLimit, &t.Description, &t.HideLive, &t.Cancelled,
		&t.Version, &t.UpdatedAt, &t.Entries, &t.PotTotalCents, &t.BigBassPotCents, &t.BigBassCarryInCents,
		&t.BigBassCarryFromID, &t.BigBassCarriedOut, &t.StatsJSON}
}

// CreateTournament inserts the tournament and its calendar event together.
// The season must exist; paper defaults from the lake when not set.
func (s *Store) CreateTournament(ctx context.Context, t club.Tournament) (int64, error) {
	var id int64
	err := s.scoringTx(ctx, func(tx *sql.Tx) (err error) {
		id, err = s.createTournament(ctx, tx, t)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("create tournament %q: %w", t.Name, err)
	}
	return id, nil
}

// createTournament is CreateTournament inside a scoring transaction (the
// schedule generator creates a season's tournaments in one).
func (s *Store) createTournament(ctx context.Context, tx *sql.Tx, t club.Tournament) (int64, error) {
	var id int64
	err := func() error {
		eventID, err := createEvent(ctx, tx, club.Event{Date: t.Date, Kind: "tournament", Title: t.Name,
			StartTime: t.StartTime, EndTime: t.EndTime, LakeID: t.LakeID, RampID: t.RampID,
			Cancelled: t.Cancelled, Description: t.Description})
		if err != nil {
			return err
		}
		if t.Format == "" {
			t.Format = club.FormatIndividual
		}
		if t.Status == "" {
			t.Status = club.StatusScheduled
		}
		id, err = insertID(ctx, tx, `INSERT INTO tournaments (event_id, season_year, name, lake_id, ramp_id, format,
			points_count, paper, status, fish_limit, description, hide_live, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7,
			$8 OR COALESCE((SELECT paper FROM lakes WHERE id = $4), FALSE), $9, $10, $11, $12, $13)`,
			eventID, t.SeasonYear, t.Name, nullID(t.LakeID), nullID(t.RampID), t.Format, t.PointsCount, t.Paper,
			t.Status, nullInt(t.FishLimit), t.Description, t.HideLive, s.Now())
		if err != nil {
			return err
		}
		s.touch(tx, cache.TournamentWrite(t.SeasonYear, id, t.LakeID)...)
		s.touch(tx, cache.EventWrite(t.Date.Year())...)
		if err := s.touchNeighbours(ctx, tx, id, t.Date); err != nil {
			return err
		}
		// Scored at once, though nobody has fished it: placed between two
		// tournaments it now passes the big-bass carry on, and the next one
		// would otherwise read the unscored default payouts ("{}": no carry)
		// the next time it is rescored, losing the money carried so far.
		return s.rescore(ctx, tx, id)
	}()
	return id, err
}

// Tournament loads one tournament with its event, lake and ramp.
func (s *Store) Tournament(ctx context.Context, id int64) (club.Tournament, error) {
	t, err := scanTournament(s.read.QueryRowContext(ctx, `SELECT `+tournamentCols+tournamentFrom+` WHERE t.id = $1`, id))
	if err != nil {
		return t, fmt.Errorf("tournament %d: %w", id, mapErr(err))
	}
	return t, nil
}

// TournamentFilter selects tournaments for lists. Zero fields match all.
type TournamentFilter struct {
	Year   int
	LakeID int64
	Status string
	Limit  int
}

// Tournaments lists tournaments by date (newest first) in one query.
func (s *Store) Tournaments(ctx context.Context, f TournamentFilter) ([]club.Tournament, error) {
	q := `SELECT ` + tournamentCols + tournamentFrom + ` WHERE ($1 = 0 OR t.season_year = $1)
		AND ($2 = 0 OR t.lake_id = $2) AND ($3 = '' OR t.status = $3) ORDER BY e.event_date DESC, t.id DESC`
	args := []any{f.Year, f.LakeID, f.Status}
	if f.Limit > 0 {
		q += ` LIMIT $4`
		args = append(args, f.Limit)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.Tournament
	for rows.Next() {
		t, err := scanTournament(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SetTournamentStatus moves a tournament through scheduled → weigh-in →
// complete. Only complete tournaments count for the season views, so the
// tournament is rescored in the same transaction.
func (s *Store) SetTournamentStatus(ctx context.Context, actorID, id int64, status string) error {
	return s.scoringTx(ctx, func(tx *sql.Tx) error {
		season, err := s.setStatus(ctx, tx, actorID, id, status)
		if err != nil {
			return err
		}
		// The season views change when it becomes complete or stops being so.
		return s.rescoreSet(ctx, tx, []int64{id}, season)
	})
}

// setStatus changes the status inside tx and audits it; the caller
// rescores. It returns the tournament's season.
func (s *Store) setStatus(ctx context.Context, tx *sql.Tx, actorID, id int64, status string) (int, error) {
	res, err := tx.ExecContext(ctx, `UPDATE tournaments SET status = $2, version = version + 1, updated_at = $3
		WHERE id = $1`, id, status, s.Now())
	if err := mustAffect(res, err, "tournament", id); err != nil {
		return 0, err
	}
	var season int
	var lake sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT season_year, lake_id FROM tournaments WHERE id = $1`, id).
		Scan(&season, &lake); err != nil {
		return 0, err
	}
	s.touch(tx, cache.TournamentWrite(season, id, lake.Int64)...)
	return season, audit(ctx, tx, s.Now(), club.AuditEntry{ActorID: actorID, ObjectKind: "tournament", ObjectID: id,
		Action: "status", TournamentID: id}, nil, map[string]string{"status": status})
}

// SetHideLive hides a tournament's live standings from visitors until it is
// complete (the anti-sandbagging option), or shows them again; audited.
func (s *Store) SetHideLive(ctx context.Context, actorID, id int64, hide bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		var season int
		var lake sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT season_year, lake_id FROM tournaments WHERE id = $1`, id).
			Scan(&season, &lake); err != nil {
			return fmt.Errorf("tournament %d: %w", id, mapErr(err))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tournaments SET hide_live = $2, version = version + 1,
			updated_at = $3 WHERE id = $1`, id, hide, s.Now()); err != nil {
			return err
		}
		s.touch(tx, cache.TournamentWrite(season, id, lake.Int64)...)
		return audit(ctx, tx, s.Now(), club.AuditEntry{ActorID: actorID, ObjectKind: "tournament", ObjectID: id,
			Action: "hide-live", TournamentID: id}, nil, map[string]bool{"hide_live": hide})
	})
}
