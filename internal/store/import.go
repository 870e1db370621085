package store

import (
	"context"
	"database/sql"
	"fmt"

	"sabc/internal/club"
)

// ImportResults stores a whole weigh-in at once — historic imports and the
// demo club — and rescores once. All or nothing: any bad row rolls back
// everything. Boat anglers are given by PersonID.
func (s *Store) ImportResults(ctx context.Context, actorID, tournamentID int64, results []club.Result, boats []club.Boat) error {
	return s.scoringTx(ctx, func(tx *sql.Tx) error {
		now := s.Now()
		for i, r := range results {
			if _, err := tx.ExecContext(ctx, `INSERT INTO results (tournament_id, person_id, fish, dead, late_minutes,
				other_penalty, other_reason, gross, big_bass, lengths, buy_in, disqualified, dq_reason,
				dq_points_allowed, was_member, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
				tournamentID, r.PersonID, r.Fish, r.Dead, r.LateMinutes, r.OtherPenalty, r.OtherReason, r.Gross,
				r.BigBass, r.Lengths, r.BuyIn, r.Disqualified, r.DQReason, r.DQPointsAllowed, r.WasMember,
				nullID(actorID), now); err != nil {
				return fmt.Errorf("result %d (person %d): %w", i+1, r.PersonID, mapErr(err))
			}
		}
		for i, b := range boats {
			id, err := insertID(ctx, tx, `INSERT INTO boats (tournament_id, fish, dead, late_minutes, other_penalty,
				other_reason, gross, big_bass, buy_in, disqualified, dq_reason, dq_points_allowed, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
				tournamentID, b.Fish, b.Dead, b.LateMinutes, b.OtherPenalty, b.OtherReason, b.Gross, b.BigBass,
				b.BuyIn, b.Disqualified, b.DQReason, b.DQPointsAllowed, now)
			if err != nil {
				return fmt.Errorf("boat %d: %w", i+1, err)
			}
			for seat, a := range b.Anglers {
				if _, err := tx.ExecContext(ctx, `INSERT INTO boat_anglers (boat_id, tournament_id, person_id, seat)
					VALUES ($1, $2, $3, $4)`, id, tournamentID, a.PersonID, seat+1); err != nil {
					return fmt.Errorf("boat %d seat %d: %w", i+1, seat+1, mapErr(err))
				}
			}
		}
		if err := s.rescore(ctx, tx, tournamentID); err != nil {
			return err
		}
		return audit(ctx, tx, now, club.AuditEntry{ActorID: actorID, ObjectKind: "tournament", ObjectID: tournamentID,
			Action: "import-results", TournamentID: tournamentID}, nil,
			map[string]int{"results": len(results), "boats": len(boats)})
	})
}
