package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"sabc/internal/club"
)

const boatCols = `b.id, b.tournament_id, b.fish, b.dead, b.late_minutes, b.other_penalty, b.other_reason, b.gross,
	b.big_bass, b.buy_in, b.disqualified, b.dq_reason, b.dq_points_allowed, b.total_fish, b.total_dead,
	b.total_big_bass, b.penalty, b.net, b.is_dq, b.is_buy_in, b.place, b.points, b.prize_cents, b.version`

// Boats lists a tournament's boats with their anglers in finishing order, in one query.
func (s *Store) Boats(ctx context.Context, tournamentID int64) ([]club.Boat, error) {
	return queryBoats(ctx, s.read, tournamentID)
}

func queryBoats(ctx context.Context, q querier, tournamentID int64) ([]club.Boat, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+boatCols+`, COALESCE(a.person_id, 0), COALESCE(a.seat, 0),
		COALESCE(p.first_name, ''), COALESCE(p.last_name, '')`+boatsWithAnglers, tournamentID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.Boat
	for rows.Next() {
		var b club.Boat
		var a club.BoatAngler
		var place, points sql.NullInt64
		if err := rows.Scan(&b.ID, &b.TournamentID, &b.Fish, &b.Dead, &b.LateMinutes, &b.OtherPenalty,
			&b.OtherReason, &b.Gross, &b.BigBass, &b.BuyIn, &b.Disqualified, &b.DQReason, &b.DQPointsAllowed,
			&b.TotalFish, &b.TotalDead, &b.TotalBigBass, &b.Penalty, &b.Net, &b.IsDQ, &b.IsBuyIn, &place, &points,
			&b.PrizeCents, &b.Version, &a.PersonID, &a.Seat, &a.FirstName, &a.LastName); err != nil {
			return nil, err
		}
		b.Place, b.Points = intPtr(place), intPtr(points)
		out = appendBoatRow(out, b, a)
	}
	return out, rows.Err()
}

// boatsWithAnglers is the FROM … ORDER BY of a tournament's boats, one row
// per seat (a boat without anglers once), in finishing order.
const boatsWithAnglers = `
		FROM boats b LEFT JOIN boat_anglers a ON a.boat_id = b.id LEFT JOIN people p ON p.id = a.person_id
		WHERE b.tournament_id = $1
		ORDER BY CASE WHEN b.place IS NULL THEN 1 ELSE 0 END, b.place, b.id, a.seat`

// appendBoatRow folds one row of boatsWithAnglers into out: a new boat
// starts at its first row, and each seat's angler joins the boat it is in.
func appendBoatRow(out []club.Boat, b club.Boat, a club.BoatAngler) []club.Boat {
	if n := len(out); n == 0 || out[n-1].ID != b.ID {
		out = append(out, b)
	}
	if a.PersonID != 0 {
		last := &out[len(out)-1]
		last.Anglers = append(last.Anglers, a)
	}
	return out
}

// SaveBoat inserts (ID 0) or updates a boat and its seats, rescores and
// audits in one transaction. An angler already in another boat of the same
// tournament is ErrConflict; a stale Version is ErrStale. A complete
// tournament's boat changes only with b.Correction (ErrNeedsCorrection),
// audited as "correct" with the reason.
func (s *Store) SaveBoat(ctx context.Context, actorID int64, b club.Boat) (int64, error) {
	return s.SaveWeighInBoat(ctx, actorID, b, false)
}

// SaveWeighInBoat is SaveBoat from the weigh-in screen: with startWeighIn,
// the first save of a scheduled tournament also moves it to weigh-in, in
// the same transaction.
func (s *Store) SaveWeighInBoat(ctx context.Context, actorID int64, b club.Boat, startWeighIn bool) (int64, error) {
	if len(b.Anglers) == 0 || len(b.Anglers) > 2 {
		return 0, fmt.Errorf("a boat has one or two anglers, got %d: %w", len(b.Anglers), ErrConflict)
	}
	id := b.ID
	err := s.scoringTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		action := "create"
		var before any
		var status string // the tournament's, as read by requireCorrection
		if b.ID == 0 {
			var err error
			if status, err = requireCorrection(ctx, tx, b.TournamentID, b.Correction); err != nil {
				return err
			}
			id, err = insertID(ctx, tx, `INSERT INTO boats (tournament_id, fish, dead, late_minutes, other_penalty,
				other_reason, gross, big_bass, buy_in, disqualified, dq_reason, dq_points_allowed, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
				b.TournamentID, b.Fish, b.Dead, b.LateMinutes, b.OtherPenalty, b.OtherReason, b.Gross, b.BigBass,
				b.BuyIn, b.Disqualified, b.DQReason, b.DQPointsAllowed, now)
			if err != nil {
				return err
			}
		} else {
			action = "update"
			var tid int64
			var version int
			if err := tx.QueryRowContext(ctx, `SELECT tournament_id, version FROM boats WHERE id = $1`, b.ID).
				Scan(&tid, &version); err != nil {
				return fmt.Errorf("boat %d: %w", b.ID, mapErr(err))
			}
			if version != b.Version {
				return ErrStale
			}
			var err error
			if status, err = requireCorrection(ctx, tx, tid, b.Correction); err != nil {
				return err
			}
			b.TournamentID = tid
			old, err := boatOf(ctx, tx, tid, b.ID)
			if err != nil {
				return err
			}
			before = old
			// Version checked again in the UPDATE: a concurrent PostgreSQL save may
			// commit between the SELECT and here.
			res, err := tx.ExecContext(ctx, `UPDATE boats SET fish = $2, dead = $3, late_minutes = $4,
				other_penalty = $5, other_reason = $6, gross = $7, big_bass = $8, buy_in = $9, disqualified = $10,
				dq_reason = $11, dq_points_allowed = $12, version = version + 1, updated_at = $13
				WHERE id = $1 AND version = $14`,
				b.ID, b.Fish, b.Dead, b.LateMinutes, b.OtherPenalty, b.OtherReason, b.Gross, b.BigBass, b.BuyIn,
				b.Disqualified, b.DQReason, b.DQPointsAllowed, now, b.Version)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return ErrStale
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM boat_anglers WHERE boat_id = $1`, b.ID); err != nil {
				return err
			}
		}
		if startWeighIn {
			if err := s.startWeighIn(ctx, tx, actorID, b.TournamentID, status); err != nil {
				return err
			}
		}
		if err := checkBoat(ctx, tx, b); err != nil {
			return err
		}
		for i, a := range b.Anglers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO boat_anglers (boat_id, tournament_id, person_id, seat)
				VALUES ($1, $2, $3, $4)`, id, b.TournamentID, a.PersonID, i+1); err != nil {
				return err
			}
		}
		if err := s.rescore(ctx, tx, b.TournamentID); err != nil {
			return err
		}
		b.ID = id
		var after any = b
		if reason := strings.TrimSpace(b.Correction); reason != "" {
			action, after = "correct", map[string]any{"boat": b, "reason": reason}
		}
		return audit(ctx, tx, now, club.AuditEntry{ActorID: actorID, ObjectKind: "boat", ObjectID: id,
			Action: action, TournamentID: b.TournamentID}, before, after)
	})
	return id, err
}

// boatOf loads one boat with its seats, for the audit's before state.
func boatOf(ctx context.Context, q querier, tournamentID, id int64) (club.Boat, error) {
	boats, err := queryBoats(ctx, q, tournamentID)
	if err != nil {
		return club.Boat{}, err
	}
	for _, b := range boats {
		if b.ID == id {
			return b, nil
		}
	}
	return club.Boat{}, fmt.Errorf("boat %d: %w", id, ErrNotFound)
}

// DeleteBoat removes a boat, rescores and audits.
func (s *Store) DeleteBoat(ctx context.Context, actorID, id int64) error {
	return s.RemoveBoat(ctx, actorID, id, "")
}

// RemoveBoat is DeleteBoat with a correction reason (audited as
// "correct-delete"); a complete tournament's boat is removed only with one.
func (s *Store) RemoveBoat(ctx context.Context, actorID, id int64, correction string) error {
	return s.scoringTx(ctx, func(tx *sql.Tx) error {
		var tid int64
		if err := tx.QueryRowContext(ctx, `SELECT tournament_id FROM boats WHERE id = $1`, id).Scan(&tid); err != nil {
			return fmt.Errorf("boat %d: %w", id, mapErr(err))
		}
		if _, err := requireCorrection(ctx, tx, tid, correction); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM boats WHERE id = $1`, id); err != nil {
			return err
		}
		if err := s.rescore(ctx, tx, tid); err != nil {
			return err
		}
		action, after := "delete", any(nil)
		if reason := strings.TrimSpace(correction); reason != "" {
			action, after = "correct-delete", map[string]any{"reason": reason}
		}
		return audit(ctx, tx, s.Now(), club.AuditEntry{ActorID: actorID, ObjectKind: "boat", ObjectID: id,
			Action: action, TournamentID: tid}, nil, after)
	})
}
