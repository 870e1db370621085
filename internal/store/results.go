package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"sabc/internal/cache"
	"sabc/internal/club"
)

const resultCols = `r.id, r.tournament_id, r.person_id, p.first_name, p.last_name, r.fish, r.dead, r.late_minutes,
	r.other_penalty, r.other_reason, r.gross, r.big_bass, r.lengths, r.buy_in, r.disqualified, r.dq_reason,
	r.dq_points_allowed, r.was_member, r.locked, r.locked_place, r.locked_points, r.out_fish, r.out_dead, r.out_gross, r.out_big_bass, r.out_buy_in, r.out_dq, r.out_dq_reason, r.penalty, r.net, r.place, r.points, r.prize_cents, r.tie_note,
	r.version, COALESCE(r.updated_by, 0), r.updated_at`

func scanResult(row interface{ Scan(...any) error }) (club.Result, error) {
	var r club.Result
	var place, points, lockedPlace, lockedPoints sql.NullInt64
	err := row.Scan(&r.ID, &r.TournamentID, &r.PersonID, &r.FirstName, &r.LastName, &r.Fish, &r.Dead,
		&r.LateMinutes, &r.OtherPenalty, &r.OtherReason, &r.Gross, &r.BigBass, &r.Lengths, &r.BuyIn,
		&r.Disqualified, &r.DQReason, &r.DQPointsAllowed, &r.WasMember, &r.Locked, &lockedPlace, &lockedPoints,
		&r.OutFish, &r.OutDead, &r.OutGross, &r.OutBigBass,
		&r.OutBuyIn, &r.OutDQ, &r.OutDQReason, &r.Penalty, &r.Net,
		&place, &points, &r.PrizeCents, &r.TieNote, &r.Version, &r.UpdatedBy, &r.UpdatedAt)
	r.Place, r.Points = intPtr(place), intPtr(points)
	r.LockedPlace, r.LockedPoints = intPtr(lockedPlace), intPtr(lockedPoints)
	return r, err
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func nullable(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// Results lists a tournament's results in finishing order (placed rows by
// place, then DQs), tied rows by last name — one query.
func (s *Store) Results(ctx context.Context, tournamentID int64) ([]club.Result, error) {
	rs, err := tournamentResults(ctx, s.read, tournamentID)
	sortResults(rs) // the order a rescore's Scored has, whatever the database's collation
	return rs, err
}

// tournamentResults reads one tournament's results in no particular order.
// Sorting is Go's (sortResults): an ORDER BY here had SQLite sort the 200
// rows of 37 columns, a large part of the rescore's read inside a weigh-in
// save's writer transaction (docs/benchmarks.md), and the rescore needs no
// order: the engine's outcome does not depend on the order of its entries
// (scoring.TestPropertyShuffleNeverChangesOutcome).
func tournamentResults(ctx context.Context, q querier, tournamentID int64) ([]club.Result, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+resultCols+` FROM results r JOIN people p ON p.id = r.person_id
		WHERE r.tournament_id = $1`, tournamentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.Result
	for rows.Next() {
		r, err := scanResult(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Result loads one result.
func (s *Store) Result(ctx context.Context, id int64) (club.Result, error) {
	r, err := scanResult(s.read.QueryRowContext(ctx, `SELECT `+resultCols+` FROM results r
		JOIN people p ON p.id = r.person_id WHERE r.id = $1`, id))
	if err != nil {
		return r, fmt.Errorf("result %d: %w", id, mapErr(err))
	}
	return r, nil
}

// SaveResult inserts (ID 0) or updates a result, rescores the tournament and
// audits the change, all in one transaction. An update whose Version does
// not match the stored one returns ErrStale (someone else saved first); a
// second result for the same angler is ErrConflict. Derived fields in r are
// ignored: the scoring step computes them. A lock is r.Locked with
// r.LockedPlace and r.LockedPoints.
func (s *Store) SaveResult(ctx context.Context, actorID int64, r club.Result) (int64, error) {
	return s.SaveWeighIn(ctx, actorID, r, false)
}

// SaveWeighIn is SaveResult from the weigh-in screen: with startWeighIn, the
// first save of a scheduled tournament also moves it to weigh-in, in the
// same transaction, so the save and the status change stand or fall
// together.
func (s *Store) SaveWeighIn(ctx context.Context, actorID int64, r club.Result, startWeighIn bool) (int64, error) {
	var id int64
	err := s.cachedRowsTx(ctx, func(tx *sql.Tx, hint *rowsHint) error {
		var err error
		id, err = s.saveResult(ctx, tx, actorID, r, startWeighIn, nil, hint)
		return err
	})
	return id, err
}

// SaveResultKeyed is SaveResult for a request sent with an Idempotency-Key
// (see keyedScoringTx): the key's claim and answer ride in the save's own
// transaction. startWeighIn moves a scheduled tournament to weigh-in in it
// too, so the first save and the status change stand or fall together.
func (s *Store) SaveResultKeyed(ctx context.Context, actorID int64, r club.Result, startWeighIn bool, k KeyedWrite) (
	ans Idempotent, replayed bool, err error) {
	return s.keyedScoringTx(ctx, k, func(tx *sql.Tx, keep *Scored, hint *rowsHint) error {
		_, err := s.saveResult(ctx, tx, actorID, r, startWeighIn, keep, hint)
		return err
	})
}

// saveResult is SaveResult's transaction; keep (when not nil) receives the
// tournament as rescored; hint (when not nil) carries its rows in and out
// of the rows cache (rowscache.go).
func (s *Store) saveResult(ctx context.Context, tx *sql.Tx, actorID int64, r club.Result, startWeighIn bool,
	keep *Scored, hint *rowsHint) (int64, error) {
	id := r.ID
	var before any
	now := s.Now()
	if r.ID != 0 {
		old, err := scanResult(tx.QueryRowContext(ctx, `SELECT `+resultCols+` FROM results r
			JOIN people p ON p.id = r.person_id WHERE r.id = $1`, r.ID))
		if err != nil {
			return id, fmt.Errorf("result %d: %w", r.ID, mapErr(err))
		}
		if old.Version != r.Version {
			return id, &StaleError{By: old.UpdatedBy, At: old.UpdatedAt, Current: old}
		}
		before, r.TournamentID = old, old.TournamentID
	}
	t, err := checkResult(ctx, tx, &r)
	if err != nil {
		return id, err
	}
	if err := correctionNeeded(t.Status, r.Correction); err != nil {
		return id, err
	}
	if startWeighIn {
		if err := s.startWeighIn(ctx, tx, actorID, t.ID, t.Status); err != nil {
			return id, err
		}
	}
	if r.ID == 0 {
		if old, err := scanResult(tx.QueryRowContext(ctx, `SELECT `+resultCols+` FROM results r
			JOIN people p ON p.id = r.person_id WHERE r.tournament_id = $1 AND r.person_id = $2`,
			r.TournamentID, r.PersonID)); err == nil {
			return id, &DuplicateError{Existing: old}
		} else if err != sql.ErrNoRows {
			return id, err
		}
		var err error
		id, err = insertID(ctx, tx, `INSERT INTO results (tournament_id, person_id, fish, dead, late_minutes,
			other_penalty, other_reason, gross, big_bass, lengths, buy_in, disqualified, dq_reason,
			dq_points_allowed, was_member, locked, locked_place, locked_points, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
			r.TournamentID, r.PersonID, r.Fish, r.Dead, r.LateMinutes, r.OtherPenalty, r.OtherReason, r.Gross,
			r.BigBass, r.Lengths, r.BuyIn, r.Disqualified, r.DQReason, r.DQPointsAllowed, r.WasMember, r.Locked,
			lockedVal(r.Locked, r.LockedPlace), lockedVal(r.Locked, r.LockedPoints), nullID(actorID), now)
		if err != nil {
			return id, err
		}
	} else {
		old := before.(club.Result)
		// The rescore names the tournament's anglers now; the one the row
		// moved off (a corrected entry) still shows it on their profile.
		s.touch(tx, cache.AnglersWrite(old.PersonID)...)
		// The version is checked again by the UPDATE itself: on PostgreSQL a
		// concurrent save can commit between the SELECT above and this statement.
		res, err := tx.ExecContext(ctx, `UPDATE results SET person_id = $2, fish = $3, dead = $4,
			late_minutes = $5, other_penalty = $6, other_reason = $7, gross = $8, big_bass = $9, lengths = $10,
			buy_in = $11, disqualified = $12, dq_reason = $13, dq_points_allowed = $14, was_member = $15,
			locked = $16, locked_place = $17, locked_points = $18,
			version = version + 1, updated_by = $19, updated_at = $20 WHERE id = $1 AND version = $21`,
			r.ID, r.PersonID, r.Fish, r.Dead, r.LateMinutes, r.OtherPenalty, r.OtherReason, r.Gross, r.BigBass,
			r.Lengths, r.BuyIn, r.Disqualified, r.DQReason, r.DQPointsAllowed, r.WasMember, r.Locked,
			lockedVal(r.Locked, r.LockedPlace), lockedVal(r.Locked, r.LockedPoints), nullID(actorID), now, r.Version)
		if err := staleUnlessAffected(res, err, old); err != nil {
			return id, err
		}
	}
	r.ID = id
	if hint != nil {
		// The cached rows are exact only if this row is the one results row
		// this transaction has written so far: anything else that writes
		// results before the rescore must not pass the hint on.
		hint.written = id
	}
	if err := s.rescoreKeep(ctx, tx, []int64{r.TournamentID}, keep, hint); err != nil {
		return id, err
	}
	action := "create"
	if before != nil {
		action = "update"
	}
	return id, auditResult(ctx, tx, now, actorID, action, r, before, r)
}

// auditResult audits a result write; a correction of a complete tournament
// is its own action and carries the officer's reason.
func auditResult(ctx context.Context, tx *sql.Tx, now time.Time, actorID int64, action string, r club.Result,
	before, after any) error {
	if reason := strings.TrimSpace(r.Correction); reason != "" {
		action = "correct"
		after = map[string]any{"result": after, "reason": reason}
	}
	return audit(ctx, tx, now, club.AuditEntry{ActorID: actorID, ObjectKind: "result", ObjectID: r.ID,
		Action: action, TournamentID: r.TournamentID, PersonID: r.PersonID}, before, after)
}

// staleUnlessAffected turns an optimistic-lock UPDATE that matched no row
// into a StaleError naming the last writer seen.
func staleUnlessAffected(res sql.Result, err error, old club.Result) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return &StaleError{By: old.UpdatedBy, At: old.UpdatedAt, Current: old}
	}
	return nil
}

func lockedVal(locked bool, v *int) any {
	if !locked {
		return nil
	}
	return nullable(v)
}

// DeleteResult removes a result, rescores and audits.
func (s *Store) DeleteResult(ctx context.Context, actorID, id int64) error {
	return s.RemoveResult(ctx, actorID, id, "")
}

// RemoveResult is DeleteResult with a correction reason (audited as
// "correct-delete"); a complete tournament's result is removed only with one.
func (s *Store) RemoveResult(ctx context.Context, actorID, id int64, correction string) error {
	return s.scoringTx(ctx, func(tx *sql.Tx) error {
		old, err := scanResult(tx.QueryRowContext(ctx, `SELECT `+resultCols+` FROM results r
			JOIN people p ON p.id = r.person_id WHERE r.id = $1`, id))
		if err != nil {
			return fmt.Errorf("result %d: %w", id, mapErr(err))
		}
		return s.removeResult(ctx, tx, actorID, old, 0, correction, nil)
	})
}

// RemoveResultOf removes one angler's result in a tournament if it is still
// at version (0: whatever it is now), with RemoveResult's correction rule.
// The version is checked by the DELETE itself, in the write's transaction:
// a save that committed since the caller read the row makes it a StaleError
// carrying the row as stored, and nothing is removed.
func (s *Store) RemoveResultOf(ctx context.Context, actorID, tournamentID, personID int64, version int,
	correction string) error {
	return s.scoringTx(ctx, func(tx *sql.Tx) error {
		return s.removeResultOf(ctx, tx, actorID, tournamentID, personID, version, correction, nil)
	})
}

// RemoveResultOfKeyed is RemoveResultOf for a request sent with an
// Idempotency-Key, in one transaction with the key (see keyedScoringTx).
func (s *Store) RemoveResultOfKeyed(ctx context.Context, actorID, tournamentID, personID int64, version int,
	correction string, k KeyedWrite) (ans Idempotent, replayed bool, err error) {
	return s.keyedScoringTx(ctx, k, func(tx *sql.Tx, keep *Scored, _ *rowsHint) error {
		return s.removeResultOf(ctx, tx, actorID, tournamentID, personID, version, correction, keep)
	})
}

func (s *Store) removeResultOf(ctx context.Context, tx *sql.Tx, actorID, tournamentID, personID int64, version int,
	correction string, keep *Scored) error {
	old, err := scanResult(tx.QueryRowContext(ctx, `SELECT `+resultCols+` FROM results r
		JOIN people p ON p.id = r.person_id WHERE r.tournament_id = $1 AND r.person_id = $2`,
		tournamentID, personID))
	if err != nil {
		return fmt.Errorf("result of person %d in tournament %d: %w", personID, tournamentID, mapErr(err))
	}
	return s.removeResult(ctx, tx, actorID, old, version, correction, keep)
}

func (s *Store) removeResult(ctx context.Context, tx *sql.Tx, actorID int64, old club.Result, version int,
	correction string, keep *Scored) error {
	if _, err := requireCorrection(ctx, tx, old.TournamentID, correction); err != nil {
		return err
	}
	if version == 0 {
		version = old.Version
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM results WHERE id = $1 AND version = $2`, old.ID, version)
	if err := staleUnlessAffected(res, err, old); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM boat_anglers WHERE tournament_id = $1 AND person_id = $2`,
		old.TournamentID, old.PersonID); err != nil {
		return err
	}
	// A solo boat whose only angler is removed is no boat at all; leaving it
	// would make the tournament unscorable ("a boat has one or two anglers").
	if _, err := tx.ExecContext(ctx, `DELETE FROM boats WHERE tournament_id = $1
		AND NOT EXISTS (SELECT 1 FROM boat_anglers a WHERE a.boat_id = boats.id)`, old.TournamentID); err != nil {
		return err
	}
	// The rescore names only the anglers left; the removed one's profile lists the result.
	s.touch(tx, cache.AnglersWrite(old.PersonID)...)
	if err := s.rescoreKeep(ctx, tx, []int64{old.TournamentID}, keep, nil); err != nil {
		return err
	}
	var after any
	action := "delete"
	if reason := strings.TrimSpace(correction); reason != "" {
		action, after = "correct-delete", map[string]any{"reason": reason}
	}
	return audit(ctx, tx, s.Now(), club.AuditEntry{ActorID: actorID, ObjectKind: "result", ObjectID: old.ID,
		Action: action, TournamentID: old.TournamentID, PersonID: old.PersonID}, old, after)
}

// ErrNeedsCorrection refuses a write to a complete tournament's results or
// boats that carries no reason: once official, results change only through
// the officer correction path, audited with the reason.
var ErrNeedsCorrection = errors.New("this tournament is complete: give a reason for the correction")

// requireCorrection checks, inside the write's own transaction (a mark
// complete cannot slip between the check and the write: both are scoring
// writes), that a write to a complete tournament gives a reason. It returns
// the status it read.
func requireCorrection(ctx context.Context, tx *sql.Tx, tournamentID int64, reason string) (status string, err error) {
	if err := tx.QueryRowContext(ctx, `SELECT status FROM tournaments WHERE id = $1`, tournamentID).
		Scan(&status); err != nil {
		return "", fmt.Errorf("tournament %d: %w", tournamentID, mapErr(err))
	}
	return status, correctionNeeded(status, reason)
}

func correctionNeeded(status, reason string) error {
	if status == club.StatusComplete && strings.TrimSpace(reason) == "" {
		return ErrNeedsCorrection
	}
	return nil
}

// StaleError is ErrStale with who saved last and when, for the
// "changed by X at HH:MM — review and save again" message.
type StaleError struct {
	By      int64
	At      time.Time
	Current club.Result // the row as stored before this write (its version may have moved on since)
}

func (e *StaleError) Error() string { return "changed by someone else" }
func (e *StaleError) Unwrap() error { return ErrStale }

// audit writes one audit entry with before/after as JSON.
func audit(ctx context.Context, q querier, at time.Time, e club.AuditEntry, before, after any) error {
	enc := func(v any) string {
		if v == nil {
			return ""
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	_, err := q.ExecContext(ctx, `INSERT INTO audit_entries (at, actor_id, object_kind, object_id, action,
		tournament_id, person_id, before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		at, nullID(e.ActorID), e.ObjectKind, e.ObjectID, e.Action, nullID(e.TournamentID), nullID(e.PersonID),
		enc(before), enc(after))
	return err
}

// ResultFor loads the result of one angler in one tournament.
func (s *Store) ResultFor(ctx context.Context, tournamentID, personID int64) (club.Result, error) {
	r, err := scanResult(s.read.QueryRowContext(ctx, `SELECT `+resultCols+` FROM results r
		JOIN people p ON p.id = r.person_id WHERE r.tournament_id = $1 AND r.person_id = $2`, tournamentID, personID))
	if err != nil {
		return r, fmt.Errorf("result of person %d in tournament %d: %w", personID, tournamentID, mapErr(err))
	}
	return r, nil
}

// startWeighIn moves a scheduled tournament (status as read in tx) to
// weigh-in inside tx: a weigh-in screen's first save starts it.
func (s *Store) startWeighIn(ctx context.Context, tx *sql.Tx, actorID, tournamentID int64, status string) error {
	if status != club.StatusScheduled {
		return nil
	}
	// Not complete before or after: the season views stay as they are.
	_, err := s.setStatus(ctx, tx, actorID, tournamentID, club.StatusWeighIn)
	return err
}
