package store

import (
	"context"
	"database/sql"
	"fmt"

	"sabc/internal/cache"
	"sabc/internal/club"
)

// Officer edits of calendar events and tournament deletes (issue 11). Every
// write checks the version the form was read at (optimistic locking), is
// audited and names the cache namespaces it makes stale. A tournament's own
// event is edited through the tournament (UpdateTournament), never here, so
// the two cannot disagree.

const eventCols = `e.id, e.event_date, e.kind, e.title, e.start_time, e.end_time, COALESCE(e.lake_id, 0),
	COALESCE(e.ramp_id, 0), e.cancelled, e.description, e.version, COALESCE(l.name, ''), COALESCE(t.id, 0)`

const eventFrom = ` FROM events e LEFT JOIN lakes l ON l.id = e.lake_id LEFT JOIN tournaments t ON t.event_id = e.id`

func scanEvent(row interface{ Scan(...any) error }) (club.Event, error) {
	var e club.Event
	err := row.Scan(&e.ID, &e.Date, &e.Kind, &e.Title, &e.StartTime, &e.EndTime, &e.LakeID, &e.RampID,
		&e.Cancelled, &e.Description, &e.Version, &e.LakeName, &e.TournamentID)
	return e, err
}

// Event loads one calendar event with its version and, for a tournament's
// event, the tournament id.
func (s *Store) Event(ctx context.Context, id int64) (club.Event, error) {
	e, err := scanEvent(s.read.QueryRowContext(ctx, `SELECT `+eventCols+eventFrom+` WHERE e.id = $1`, id))
	if err != nil {
		return e, fmt.Errorf("event %d: %w", id, mapErr(err))
	}
	return e, nil
}

// eventForEdit reads an event inside tx and checks the version the form was
// read at and that it is not a tournament's event.
func eventForEdit(ctx context.Context, tx *sql.Tx, id int64, version int) (club.Event, error) {
	old, err := scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventCols+eventFrom+` WHERE e.id = $1`, id))
	if err != nil {
		return old, fmt.Errorf("event %d: %w", id, mapErr(err))
	}
	if old.Version != version {
		return old, &StaleError{}
	}
	return old, nil
}

// ErrTournamentEvent refuses an event write that must go through the
// tournament (its event is part of it).
var ErrTournamentEvent = fmt.Errorf("%w: a tournament's event is edited with the tournament", ErrConflict)

// UpdateEvent saves an event's fields. e.Version must be the version that
// was read; a mismatch is a StaleError and nothing is saved. A tournament's
// event, or a change of kind to "tournament", is ErrTournamentEvent.
func (s *Store) UpdateEvent(ctx context.Context, actorID int64, e club.Event) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := eventForEdit(ctx, tx, e.ID, e.Version)
		if err != nil {
			return err
		}
		if old.TournamentID != 0 || e.Kind == "tournament" {
			return ErrTournamentEvent
		}
		res, err := tx.ExecContext(ctx, `UPDATE events SET event_date = $2, kind = $3, title = $4, start_time = $5,
			end_time = $6, lake_id = $7, ramp_id = $8, cancelled = $9, description = $10, version = version + 1
			WHERE id = $1 AND version = $11`, e.ID, e.Date, e.Kind, e.Title, e.StartTime, e.EndTime,
			nullID(e.LakeID), nullID(e.RampID), e.Cancelled, e.Description, e.Version)
		if err := staleUnless(res, err); err != nil {
			return err
		}
		s.touch(tx, cache.EventWrite(old.Date.Year())...)
		s.touch(tx, cache.EventWrite(e.Date.Year())...)
		e.Version++
		return audit(ctx, tx, s.Now(), club.AuditEntry{ActorID: actorID, ObjectKind: "event", ObjectID: e.ID,
			Action: "update"}, old, e)
	})
}

// CancelEvent marks an event cancelled (or not): it stays on the calendar,
// shown as cancelled. A tournament's event may be cancelled this way; the
// tournament's version moves too, so an open tournament form goes stale.
func (s *Store) CancelEvent(ctx context.Context, actorID, id int64, version int, cancelled bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := eventForEdit(ctx, tx, id, version)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE events SET cancelled = $2, version = version + 1
			WHERE id = $1 AND version = $3`, id, cancelled, version)
		if err := staleUnless(res, err); err != nil {
			return err
		}
		s.touch(tx, cache.EventWrite(old.Date.Year())...)
		e := club.AuditEntry{ActorID: actorID, ObjectKind: "event", ObjectID: id, Action: "cancel"}
		if !cancelled {
			e.Action = "uncancel"
		}
		if old.TournamentID != 0 {
			var season int
			var lake sql.NullInt64
			if err := tx.QueryRowContext(ctx, `UPDATE tournaments SET version = version + 1, updated_at = $2
				WHERE id = $1 RETURNING season_year, lake_id`, old.TournamentID, s.Now()).Scan(&season, &lake); err != nil {
				return err
			}
			s.touch(tx, cache.TournamentWrite(season, old.TournamentID, lake.Int64)...)
			e.TournamentID = old.TournamentID
		}
		return audit(ctx, tx, s.Now(), e, map[string]bool{"cancelled": old.Cancelled},
			map[string]bool{"cancelled": cancelled})
	})
}

// DeleteEvent removes an event that is not a tournament's (those go with
// DeleteTournament). Polls linked to it keep their results, unlinked.
func (s *Store) DeleteEvent(ctx context.Context, actorID, id int64, version int) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := eventForEdit(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if old.TournamentID != 0 {
			return ErrTournamentEvent
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM events WHERE id = $1 AND version = $2`, id, version)
		if err := staleUnless(res, err); err != nil {
			return err
		}
		s.touch(tx, cache.EventWrite(old.Date.Year())...)
		return audit(ctx, tx, s.Now(), club.AuditEntry{ActorID: actorID, ObjectKind: "event", ObjectID: id,
			Action: "delete"}, old, nil)
	})
}

// TournamentCounts is what deleting a tournament takes with it.
type TournamentCounts struct {
	Results int `json:"results"`
	Boats   int `json:"boats"`
}

// TournamentDeleteCounts counts a tournament's results and boats, for the
// delete confirmation ("This deletes 27 results and 14 boats").
func (s *Store) TournamentDeleteCounts(ctx context.Context, id int64) (TournamentCounts, error) {
	return tournamentCounts(ctx, s.read, id)
}

func tournamentCounts(ctx context.Context, q querier, id int64) (TournamentCounts, error) {
	var c TournamentCounts
	err := q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM results WHERE tournament_id = $1),
		(SELECT count(*) FROM boats WHERE tournament_id = $1)`, id).Scan(&c.Results, &c.Boats)
	return c, err
}

// DeleteTournament removes a tournament with its event, results, boats and
// payouts. version is the tournament's version the confirmation was read at
// and expect the counts it showed: if either moved on (someone saved, or
// weighed another angler in) it is a StaleError and nothing is deleted, so
// the officer never deletes more than the page named. The tournament that
// followed it is rescored (its big-bass carry now comes from elsewhere) and
// the season views rebuilt, in the same transaction; audited.
func (s *Store) DeleteTournament(ctx context.Context, actorID, id int64, version int, expect TournamentCounts) error {
	return s.scoringTx(ctx, func(tx *sql.Tx) error {
		old, err := scanTournament(tx.QueryRowContext(ctx, `SELECT `+tournamentCols+tournamentFrom+` WHERE t.id = $1`, id))
		if err != nil {
			return fmt.Errorf("tournament %d: %w", id, mapErr(err))
		}
		counts, err := tournamentCounts(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Version != version || counts != expect {
			return &StaleError{At: old.UpdatedAt}
		}
		next, err := followerAt(ctx, tx, old)
		if err != nil {
			return err
		}
		if err := s.touchNeighbours(ctx, tx, id, old.Date); err != nil {
			return err
		}
		// The deleted results' anglers: their profiles list the tournament.
		people, err := idColumn(ctx, tx, `SELECT person_id FROM results WHERE tournament_id = $1`, id)
		if err != nil {
			return err
		}
		// The event's cascade takes the tournament, its results, boats, payouts
		// and award rows; audit entries keep their text, unlinked.
		if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE id = $1`, old.EventID); err != nil {
			return err
		}
		var ids []int64
		if next != 0 {
			ids = append(ids, next)
		}
		if err := s.rescoreSet(ctx, tx, ids, old.SeasonYear); err != nil {
			return err
		}
		s.touch(tx, cache.TournamentWrite(old.SeasonYear, id, old.LakeID)...)
		s.touch(tx, cache.EventWrite(old.Date.Year())...)
		s.touch(tx, cache.AnglersWrite(people...)...)
		before := struct {
			club.Tournament
			TournamentCounts
		}{old, counts}
		return audit(ctx, tx, s.Now(), club.AuditEntry{ActorID: actorID, ObjectKind: "tournament", ObjectID: id,
			Action: "delete"}, before, nil)
	})
}

// staleUnless turns an optimistic-lock write that matched no row into a
// StaleError (a concurrent save won between the read and the write).
func staleUnless(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return &StaleError{}
	}
	return nil
}
