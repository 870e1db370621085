package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"sabc/internal/cache"
	"sabc/internal/club"
	"sabc/internal/scoring"
)

// UpdateSeasonRules replaces a season's RuleSet, PayoutSchedule and rules
// text, then rescores every tournament of that season in the same
// transaction (and the carry chain after them) and audits the change. Other
// seasons keep their stored outcomes: results are scored with their own
// season's rules. Bad JSON or rules the engine refuses come back as
// scoring.Errors naming the field ("rules_json", "payout_json.entry_fee"),
// with nothing saved. version is the season's version the form was read at
// (optimistic lock): another save since is a StaleError and nothing changes.
func (s *Store) UpdateSeasonRules(ctx context.Context, actorID int64, year, version int, rulesJSON, payoutJSON,
	rulesMD string) error {
	rules, pay, err := decodeSeasonRules(rulesJSON, payoutJSON)
	if err != nil {
		return err
	}
	// Store the decoded values, so what is stored is exactly what the engine uses
	// (defaults for omitted fields written out).
	rulesOut, _ := json.Marshal(rules)
	payOut, _ := json.Marshal(pay)
	return s.scoringTx(ctx, func(tx *sql.Tx) error {
		old, err := seasonTx(ctx, tx, year)
		if err != nil {
			return err
		}
		if old.Version != version {
			return &StaleError{At: old.UpdatedAt}
		}
		now := s.Now()
		res, err := tx.ExecContext(ctx, `UPDATE seasons SET rules_json = $2, payout_json = $3, rules_md = $4,
			version = version + 1, updated_at = $5 WHERE year = $1 AND version = $6`,
			year, string(rulesOut), string(payOut), rulesMD, now, version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return &StaleError{At: old.UpdatedAt} // a concurrent save won (PostgreSQL)
		}
		ids, err := seasonTournamentIDs(ctx, tx, year)
		if err != nil {
			return err
		}
		if err := s.rescoreSet(ctx, tx, ids, year); err != nil {
			return err
		}
		s.touch(tx, cache.SeasonRulesWrite(year)...)
		after := old
		after.RulesJSON, after.PayoutJSON, after.RulesMD, after.UpdatedAt = string(rulesOut), string(payOut), rulesMD, now
		after.Version = old.Version + 1
		return audit(ctx, tx, now, club.AuditEntry{ActorID: actorID, ObjectKind: "season", ObjectID: int64(year),
			Action: "rules"}, seasonAudit(old), seasonAudit(after))
	})
}

// decodeSeasonRules decodes rules and payouts over the defaults, refusing
// unknown fields (a typo would otherwise silently keep the default) and
// anything the engine's validation refuses.
func decodeSeasonRules(rulesJSON, payoutJSON string) (scoring.RuleSet, scoring.PayoutSchedule, error) {
	rules, pay := scoring.DefaultRules(), scoring.DefaultPayouts()
	var es scoring.Errors
	if err := strictJSON(rulesJSON, &rules); err != nil {
		es = append(es, scoring.FieldError{Field: "rules_json", Message: err.Error()})
	} else if err := rules.Validate(); err != nil {
		es = append(es, prefixErrors("rules_json.", err)...)
	}
	if err := strictJSON(payoutJSON, &pay); err != nil {
		es = append(es, scoring.FieldError{Field: "payout_json", Message: err.Error()})
	} else if err := pay.Validate(); err != nil {
		es = append(es, prefixErrors("payout_json.", err)...)
	}
	if len(es) > 0 {
		return rules, pay, es
	}
	return rules, pay, nil
}

func strictJSON(text string, v any) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("not valid JSON: %v", err)
	}
	if dec.More() {
		return fmt.Errorf("not valid JSON: text after the object")
	}
	return nil
}

func prefixErrors(prefix string, err error) scoring.Errors {
	es, ok := err.(scoring.Errors)
	if !ok {
		return scoring.Errors{{Field: prefix[:len(prefix)-1], Message: err.Error()}}
	}
	out := make(scoring.Errors, len(es))
	for i, e := range es {
		out[i] = scoring.FieldError{Field: prefix + e.Field, Message: e.Message}
	}
	return out
}

func seasonTournamentIDs(ctx context.Context, q querier, year int) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM tournaments WHERE season_year = $1`, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// UpdateTournament saves a tournament's editable fields and its calendar
// event. t.Version must be the version that was read (optimistic lock): a
// mismatch is a StaleError and nothing is saved. A change that can move the
// outcome — format, points flag, fish limit, paper, date (the big-bass carry
// order), name (carry-over text), season or status (season views count
// complete tournaments only) — rescores in the same transaction. Audited.
// A status moved back (complete → weigh-in → scheduled) needs a reason:
// use EditTournament.
func (s *Store) UpdateTournament(ctx context.Context, actorID int64, t club.Tournament) error {
	return s.EditTournament(ctx, actorID, t, "")
}

// statusRank orders the tournament statuses: a move to a lower rank is a
// move back.
var statusRank = map[string]int{club.StatusScheduled: 0, club.StatusWeighIn: 1, club.StatusComplete: 2}

// EditTournament is UpdateTournament with a reason, audited with the
// change. Moving the status back (reopening a complete tournament's
// weigh-in, say) is refused without one, as a scoring.Errors naming
// "reason", with nothing saved.
func (s *Store) EditTournament(ctx context.Context, actorID int64, t club.Tournament, reason string) error {
	reason = strings.TrimSpace(reason)
	return s.scoringTx(ctx, func(tx *sql.Tx) error {
		old, err := scanTournament(tx.QueryRowContext(ctx, `SELECT `+tournamentCols+tournamentFrom+` WHERE t.id = $1`, t.ID))
		if err != nil {
			return fmt.Errorf("tournament %d: %w", t.ID, mapErr(err))
		}
		if old.Version != t.Version {
			return &StaleError{At: old.UpdatedAt}
		}
		if t.Format == "" {
			t.Format = old.Format
		}
		if t.Status == "" {
			t.Status = old.Status
		}
		if statusRank[t.Status] < statusRank[old.Status] && reason == "" {
			return scoring.Errors{{Field: "reason", Message: "Moving the status back from " + old.Status +
				" to " + t.Status + " needs a reason."}}
		}
		now := s.Now()
		// The event's version moves too: it is part of the tournament.
		if _, err := tx.ExecContext(ctx, `UPDATE events SET event_date = $2, title = $3, start_time = $4,
			end_time = $5, lake_id = $6, ramp_id = $7, cancelled = $8, description = $9, version = version + 1
			WHERE id = $1`,
			old.EventID, t.Date, t.Name, t.StartTime, t.EndTime, nullID(t.LakeID), nullID(t.RampID), t.Cancelled,
			t.Description); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE tournaments SET season_year = $2, name = $3, lake_id = $4,
			ramp_id = $5, format = $6, points_count = $7, paper = $8, status = $9, fish_limit = $10,
			description = $11, hide_live = $12, version = version + 1, updated_at = $13
			WHERE id = $1 AND version = $14`,
			t.ID, t.SeasonYear, t.Name, nullID(t.LakeID), nullID(t.RampID), t.Format, t.PointsCount, t.Paper,
			t.Status, nullInt(t.FishLimit), t.Description, t.HideLive, now, t.Version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return &StaleError{At: old.UpdatedAt} // a concurrent save won (PostgreSQL)
		}
		if err := s.rescoreEdited(ctx, tx, old, t); err != nil {
			return err
		}
		s.touch(tx, cache.TournamentWrite(t.SeasonYear, t.ID, old.LakeID, t.LakeID)...)
		s.touch(tx, cache.EventWrite(t.Date.Year())...)
		if old.Name != t.Name || !old.Date.Equal(t.Date.Time) { // neighbours' previous/next links
			if err := s.touchNeighbours(ctx, tx, t.ID, old.Date, t.Date); err != nil {
				return err
			}
		}
		if old.SeasonYear != t.SeasonYear || old.Date.Year() != t.Date.Year() {
			s.touch(tx, cache.TournamentWrite(old.SeasonYear, t.ID)...)
			s.touch(tx, cache.EventWrite(old.Date.Year())...)
		}
		t.Version++
		after := struct {
			club.Tournament
			Reason string `json:"reason,omitempty"`
		}{t, reason}
		return audit(ctx, tx, now, club.AuditEntry{ActorID: actorID, ObjectKind: "tournament", ObjectID: t.ID,
			Action: "update", TournamentID: t.ID}, old, after)
	})
}

// rescoreEdited rescores after a tournament edit when the outcome can change.
// A date move also rescores the tournament that used to follow it: its
// carry now comes from a different tournament.
func (s *Store) rescoreEdited(ctx context.Context, tx *sql.Tx, old, t club.Tournament) error {
	moved := !old.Date.Equal(t.Date.Time)
	if !moved && old.Format == t.Format && old.PointsCount == t.PointsCount && old.FishLimit == t.FishLimit &&
		old.Paper == t.Paper && old.Name == t.Name && old.SeasonYear == t.SeasonYear && old.Status == t.Status {
		return nil
	}
	ids := []int64{t.ID}
	if moved {
		// Both the tournament that used to follow it and the one that follows
		// it now get their carry from somewhere else; the walk from t alone
		// reaches the new follower only when t's own carry-out changed.
		for _, at := range []club.Tournament{old, t} {
			next, err := followerAt(ctx, tx, at)
			if err != nil {
				return err
			}
			if next != 0 {
				ids = append(ids, next)
			}
		}
	}
	return s.rescoreSet(ctx, tx, ids, old.SeasonYear)
}

// touchNeighbours names the pages of the tournaments just before and after
// tournament id at each of the given dates: their previous/next links show
// its name and date.
func (s *Store) touchNeighbours(ctx context.Context, tx *sql.Tx, id int64, dates ...club.Date) error {
	for _, d := range dates {
		var prev, next int64
		if err := tx.QueryRowContext(ctx, `SELECT
			COALESCE((SELECT t.id FROM tournaments t JOIN events e ON e.id = t.event_id
				WHERE t.id <> $2 AND (e.event_date < $1 OR (e.event_date = $1 AND t.id < $2))
				ORDER BY e.event_date DESC, t.id DESC LIMIT 1), 0),
			COALESCE((SELECT t.id FROM tournaments t JOIN events e ON e.id = t.event_id
				WHERE t.id <> $2 AND (e.event_date > $1 OR (e.event_date = $1 AND t.id > $2))
				ORDER BY e.event_date, t.id LIMIT 1), 0)`, d, id).Scan(&prev, &next); err != nil {
			return err
		}
		s.touch(tx, cache.TournamentLinksWrite(prev, next)...)
	}
	return nil
}

// followerAt finds the first tournament other than old that comes after old's
// previous position (old date, old id) in carry-over order.
func followerAt(ctx context.Context, tx *sql.Tx, old club.Tournament) (int64, error) {
	var next int64
	err := tx.QueryRowContext(ctx, `SELECT t.id FROM tournaments t JOIN events e ON e.id = t.event_id
		WHERE t.id <> $2 AND (e.event_date > $1 OR (e.event_date = $1 AND t.id > $2))
		ORDER BY e.event_date, t.id LIMIT 1`, old.Date, old.ID).Scan(&next)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return next, err
}

// SetWasMember edits a result's membership snapshot (officers correct who
// counted as a member that day), rescores the tournament — points, big-bass
// eligibility, AoY — and audits, in one transaction.
func (s *Store) SetWasMember(ctx context.Context, actorID, resultID int64, wasMember bool) error {
	return s.scoringTx(ctx, func(tx *sql.Tx) error {
		var tid, personID int64
		var before bool
		if err := tx.QueryRowContext(ctx, `SELECT tournament_id, person_id, was_member FROM results WHERE id = $1`,
			resultID).Scan(&tid, &personID, &before); err != nil {
			return fmt.Errorf("result %d: %w", resultID, mapErr(err))
		}
		now := s.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE results SET was_member = $2, version = version + 1,
			updated_by = $3, updated_at = $4 WHERE id = $1`, resultID, wasMember, nullID(actorID), now); err != nil {
			return err
		}
		if err := s.rescore(ctx, tx, tid); err != nil {
			return err
		}
		return audit(ctx, tx, now, club.AuditEntry{ActorID: actorID, ObjectKind: "result", ObjectID: resultID,
			Action: "membership", TournamentID: tid, PersonID: personID},
			map[string]bool{"was_member": before}, map[string]bool{"was_member": wasMember})
	})
}
