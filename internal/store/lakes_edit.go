package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"sabc/internal/cache"
	"sabc/internal/club"
)

// Officer edits of lakes and ramps (issue 11). Every write is audited in its
// transaction; lake edits are optimistic-locked on lakes.version (a stale
// form gets ErrStale, never an overwrite). Ramps are edited one small form
// each and carry no version (the schema has none): a ramp write does not
// make the lake's form stale, since that form does not show ramps' fields.

// InUseError refuses deleting a lake or ramp that tournaments, calendar
// events or poll options still name. The schema would quietly set their
// lake to NULL (ON DELETE SET NULL), leaving tournaments without a venue,
// which nobody deleting a duplicate lake expects.
type InUseError struct {
	Tournaments, Events, PollOptions int
}

func (e *InUseError) Error() string {
	var parts []string
	for _, c := range []struct {
		n    int
		noun string
	}{{e.Tournaments, "tournament"}, {e.Events, "other calendar event"}, {e.PollOptions, "poll option"}} {
		switch {
		case c.n == 1:
			parts = append(parts, "1 "+c.noun)
		case c.n > 1:
			parts = append(parts, strconv.Itoa(c.n)+" "+c.noun+"s")
		}
	}
	return strings.Join(parts, ", ")
}

func (e *InUseError) Unwrap() error { return ErrConflict }

// CreateLakeBy is CreateLake by an officer, audited in the same transaction.
func (s *Store) CreateLakeBy(ctx context.Context, actorID int64, l club.Lake) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = s.createLake(ctx, tx, l); err != nil {
			return err
		}
		l.Name, l.State = strings.Join(strings.Fields(l.Name), " "), lakeState(l.State)
		return s.auditLake(ctx, tx, actorID, "create", id, nil, lakeAudit(l))
	})
	return id, err
}

// UpdateLake saves an officer's edit of a lake's own fields (not its ramps).
// l.Version is the version the form was read at.
func (s *Store) UpdateLake(ctx context.Context, actorID int64, l club.Lake) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := lakeRow(ctx, tx, l.ID)
		if err != nil {
			return err
		}
		if old.Version != l.Version {
			return ErrStale
		}
		name := strings.Join(strings.Fields(l.Name), " ")
		l.Name, l.Key, l.State, l.Version = name, LakeKey(name), lakeState(l.State), old.Version+1
		res, err := tx.ExecContext(ctx, `UPDATE lakes SET name = $1, lake_key = $2, state = $3, paper = $4, map_url = $5,
			notes = $6, version = $7 WHERE id = $8 AND version = $9`,
			l.Name, l.Key, l.State, l.Paper, l.MapURL, l.Notes, l.Version, l.ID, old.Version)
		if err := oneRow(res, err); err != nil {
			return err
		}
		s.touch(tx, cache.LakeWrite(l.ID)...)
		return s.auditLake(ctx, tx, actorID, "update", l.ID, lakeAudit(old), lakeAudit(l))
	})
}

// DeleteLake removes a lake and its ramps unless anything still names it
// (InUseError).
func (s *Store) DeleteLake(ctx context.Context, actorID, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := lakeRow(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := refuseInUse(ctx, tx, "lake_id", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM lakes WHERE id = $1`, id); err != nil {
			return err
		}
		s.touch(tx, cache.LakeWrite(id)...)
		return s.auditLake(ctx, tx, actorID, "delete", id, lakeAudit(old), nil)
	})
}

// AddRampBy adds a ramp for an officer, audited; a ramp name the lake has is
// ErrConflict.
func (s *Store) AddRampBy(ctx context.Context, actorID int64, r club.Ramp) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = addRamp(ctx, tx, r); err != nil {
			return err
		}
		r.ID = id
		return s.rampWritten(ctx, tx, actorID, "create", r.LakeID, id, nil, rampAudit(r))
	})
	return id, err
}

// UpdateRamp renames a ramp or changes its map link. was is the ramp as the
// officer's form showed it: when the stored ramp is no longer that (someone
// saved it since), nothing is written and the answer is ErrStale — ramps
// have no version column, so their values are the version.
func (s *Store) UpdateRamp(ctx context.Context, actorID int64, was, r club.Ramp) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := rampRow(ctx, tx, r.LakeID, r.ID)
		if err != nil {
			return err
		}
		if old.Name != was.Name || old.MapURL != was.MapURL {
			return ErrStale
		}
		r.Name = strings.TrimSpace(r.Name)
		res, err := tx.ExecContext(ctx, `UPDATE ramps SET name = $1, map_url = $2
			WHERE id = $3 AND lake_id = $4 AND name = $5 AND map_url = $6`,
			r.Name, r.MapURL, r.ID, r.LakeID, was.Name, was.MapURL)
		if err := oneRow(res, err); err != nil {
			return err
		}
		return s.rampWritten(ctx, tx, actorID, "update", r.LakeID, r.ID, rampAudit(old), rampAudit(r))
	})
}

// DeleteRamp removes a ramp unless anything still names it (InUseError).
func (s *Store) DeleteRamp(ctx context.Context, actorID, lakeID, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := rampRow(ctx, tx, lakeID, id)
		if err != nil {
			return err
		}
		if err := refuseInUse(ctx, tx, "ramp_id", id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ramps WHERE id = $1`, id); err != nil {
			return err
		}
		return s.rampWritten(ctx, tx, actorID, "delete", lakeID, id, rampAudit(old), nil)
	})
}

// rampWritten invalidates the lake's pages and audits the ramp under kind
// "ramp" (the audit's tournament and person columns do not apply).
func (s *Store) rampWritten(ctx context.Context, tx *sql.Tx, actorID int64, action string, lakeID, rampID int64,
	before, after any) error {
	s.touch(tx, cache.LakeWrite(lakeID)...)
	return audit(ctx, tx, s.Now(), club.AuditEntry{ActorID: actorID, ObjectKind: "ramp", ObjectID: rampID,
		Action: action}, before, after)
}

func (s *Store) auditLake(ctx context.Context, q querier, actorID int64, action string, id int64, before, after any) error {
	return audit(ctx, q, s.Now(), club.AuditEntry{ActorID: actorID, ObjectKind: "lake", ObjectID: id, Action: action},
		before, after)
}

// refuseInUse counts what names a lake or ramp (col is lake_id or ramp_id).
// Tournaments' own calendar events are counted as the tournament.
func refuseInUse(ctx context.Context, q querier, col string, id int64) error {
	var e InUseError
	err := q.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM tournaments WHERE `+col+` = $1),
		(SELECT count(*) FROM events ev WHERE ev.`+col+` = $1
			AND NOT EXISTS (SELECT 1 FROM tournaments t WHERE t.event_id = ev.id)),
		(SELECT count(*) FROM poll_options WHERE `+col+` = $1)`, id).Scan(&e.Tournaments, &e.Events, &e.PollOptions)
	if err != nil {
		return err
	}
	if e.Tournaments+e.Events+e.PollOptions > 0 {
		return &e
	}
	return nil
}

func lakeRow(ctx context.Context, q querier, id int64) (club.Lake, error) {
	var l club.Lake
	err := q.QueryRowContext(ctx, `SELECT id, name, lake_key, state, version, paper, map_url, notes FROM lakes WHERE id = $1`, id).
		Scan(&l.ID, &l.Name, &l.Key, &l.State, &l.Version, &l.Paper, &l.MapURL, &l.Notes)
	if err != nil {
		return l, fmt.Errorf("lake %d: %w", id, mapErr(err))
	}
	return l, nil
}

func rampRow(ctx context.Context, q querier, lakeID, id int64) (club.Ramp, error) {
	r := club.Ramp{ID: id, LakeID: lakeID}
	err := q.QueryRowContext(ctx, `SELECT name, map_url FROM ramps WHERE id = $1 AND lake_id = $2`, id, lakeID).
		Scan(&r.Name, &r.MapURL)
	if err != nil {
		return r, fmt.Errorf("ramp %d of lake %d: %w", id, lakeID, mapErr(err))
	}
	return r, nil
}

// oneRow turns an UPDATE that matched nothing into ErrNotFound.
func oneRow(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return ErrNotFound
	}
	return nil
}

// lakeAudit and rampAudit are the audited fields (before → after).
func lakeAudit(l club.Lake) map[string]any {
	return map[string]any{"name": l.Name, "state": l.State, "paper": l.Paper, "map_url": l.MapURL, "notes": l.Notes}
}

func rampAudit(r club.Ramp) map[string]any {
	return map[string]any{"lake_id": r.LakeID, "name": r.Name, "map_url": r.MapURL}
}
