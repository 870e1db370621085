package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"sabc/internal/cache"
	"sabc/internal/club"
	"sabc/internal/scoring"
)

// Officer tools for seasons (issue 11): create a season from the one before
// it, and generate its schedule. Rule edits are UpdateSeasonRules.

// CreateSeasonFrom creates the year's season with the rule set, payout
// schedule, rules text and dues setting of the latest earlier season (the
// engine's defaults when there is none; a season created before the
// existing ones still copies only from the past). An existing year is
// ErrConflict and nothing changes. Audited as kind "season", id = year.
func (s *Store) CreateSeasonFrom(ctx context.Context, actorID int64, year int) (club.Season, error) {
	var se club.Season
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := seasonTx(ctx, tx, year); err == nil {
			return fmt.Errorf("the %d season already exists: %w", year, ErrConflict)
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		prev, err := scanSeason(tx.QueryRowContext(ctx, `SELECT `+seasonCols+` FROM seasons WHERE year < $1
			ORDER BY year DESC LIMIT 1`, year))
		switch {
		case errors.Is(err, ErrNotFound):
			rules, _ := json.Marshal(scoring.DefaultRules())
			pay, _ := json.Marshal(scoring.DefaultPayouts())
			prev = club.Season{RulesJSON: string(rules), PayoutJSON: string(pay)}
		case err != nil:
			return err
		}
		now := s.Now()
		se = club.Season{Year: year, RulesJSON: prev.RulesJSON, PayoutJSON: prev.PayoutJSON, RulesMD: prev.RulesMD,
			RequiresDues: prev.RequiresDues, Version: 1, UpdatedAt: now}
		if _, err := tx.ExecContext(ctx, `INSERT INTO seasons (year, rules_json, payout_json, rules_md, requires_dues,
			version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, se.Year, se.RulesJSON, se.PayoutJSON, se.RulesMD,
			se.RequiresDues, se.Version, now); err != nil {
			return err
		}
		s.touch(tx, cache.SeasonRulesWrite(year)...)
		return audit(ctx, tx, now, club.AuditEntry{ActorID: actorID, ObjectKind: "season", ObjectID: int64(year),
			Action: "create"}, nil, seasonAudit(se))
	})
	if err != nil {
		return se, fmt.Errorf("create season %d: %w", year, err)
	}
	return se, nil
}

// SchedulePlan is the generator's preview for a season: every regular
// tournament, meeting and holiday of the year (club.PlanSchedule), each
// either matched to the stored event that covers it or to be created.
func (s *Store) SchedulePlan(ctx context.Context, year int) ([]club.ScheduleItem, error) {
	if _, err := s.Season(ctx, year); err != nil {
		return nil, err
	}
	return planSchedule(ctx, s.read, year)
}

// GenerateSchedule creates the missing events of the season's plan in one
// transaction. The plan is made again inside it from the events stored at
// that moment, so a preview that went stale (another officer generated or
// added a tournament meanwhile) never duplicates anything. Tournaments are
// created scheduled, individual, counting for points, without a lake (the
// members vote on it); one audit entry (kind "season", id = year) lists
// what was created. Returns the created events.
func (s *Store) GenerateSchedule(ctx context.Context, actorID int64, year int) ([]club.Event, error) {
	var created []club.Event
	err := s.scoringTx(ctx, func(tx *sql.Tx) error {
		if _, err := seasonTx(ctx, tx, year); err != nil {
			return err
		}
		items, err := planSchedule(ctx, tx, year)
		if err != nil {
			return err
		}
		for _, it := range items {
			if !it.Missing() {
				continue
			}
			e := it.Event
			if e.ID, err = s.createPlanned(ctx, tx, year, e); err != nil {
				return fmt.Errorf("%s %s: %w", e.Date, e.Title, err)
			}
			created = append(created, e)
		}
		if len(created) == 0 {
			return nil
		}
		s.touch(tx, cache.EventWrite(year)...)
		return audit(ctx, tx, s.Now(), club.AuditEntry{ActorID: actorID, ObjectKind: "season", ObjectID: int64(year),
			Action: "schedule"}, nil, scheduleAudit(created))
	})
	if err != nil {
		return nil, fmt.Errorf("generate the %d schedule: %w", year, err)
	}
	return created, nil
}

// createPlanned stores one planned event: a tournament with its event, or a
// plain calendar event. It returns the event's id.
func (s *Store) createPlanned(ctx context.Context, tx *sql.Tx, year int, e club.Event) (int64, error) {
	if e.Kind != "tournament" {
		return createEvent(ctx, tx, e)
	}
	id, err := s.createTournament(ctx, tx, club.Tournament{SeasonYear: year, Name: e.Title, Date: e.Date,
		StartTime: e.StartTime, EndTime: e.EndTime, Format: club.FormatIndividual, PointsCount: true,
		Status: club.StatusScheduled})
	if err != nil {
		return 0, err
	}
	var eventID int64
	err = tx.QueryRowContext(ctx, `SELECT event_id FROM tournaments WHERE id = $1`, id).Scan(&eventID)
	return eventID, err
}

// planSchedule plans the year against the events stored in it.
func planSchedule(ctx context.Context, q querier, year int) ([]club.ScheduleItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.id, e.event_date, e.kind, e.title, e.start_time, e.end_time,
		e.cancelled, COALESCE(t.id, 0) FROM events e LEFT JOIN tournaments t ON t.event_id = e.id
		WHERE e.event_date >= $1 AND e.event_date < $2 ORDER BY e.event_date, e.id`,
		club.NewDate(year, 1, 1), club.NewDate(year+1, 1, 1))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var existing []club.Event
	for rows.Next() {
		var e club.Event
		if err := rows.Scan(&e.ID, &e.Date, &e.Kind, &e.Title, &e.StartTime, &e.EndTime, &e.Cancelled,
			&e.TournamentID); err != nil {
			return nil, err
		}
		existing = append(existing, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return club.PlanSchedule(year, existing), nil
}

// seasonAudit is a season as the audit log shows it: one key per rule and
// payout value ("max_points", "payout.entry_fee"), so an edit reads
// "max_points: 100 → 50" instead of two long JSON strings.
func seasonAudit(se club.Season) map[string]any {
	out := map[string]any{"year": se.Year, "rules_md": se.RulesMD, "requires_dues": se.RequiresDues}
	for prefix, text := range map[string]string{"": se.RulesJSON, "payout.": se.PayoutJSON} {
		m := map[string]any{}
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			out[prefix+"json"] = text
			continue
		}
		for k, v := range m {
			out[prefix+k] = v
		}
	}
	return out
}

// scheduleAudit lists the generated events' dates by kind.
func scheduleAudit(created []club.Event) map[string]string {
	out := map[string]string{}
	for _, e := range created {
		if out[e.Kind] != "" {
			out[e.Kind] += ", "
		}
		out[e.Kind] += e.Date.String()
	}
	return out
}
