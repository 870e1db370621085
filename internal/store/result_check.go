package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"sabc/internal/club"
	"sabc/internal/scoring"
)

// DuplicateError refuses a second result for one angler in one tournament.
// Existing is the row already stored, so the officer (or the API client)
// sees what is there instead of a bare refusal.
type DuplicateError struct{ Existing club.Result }

func (e *DuplicateError) Error() string {
	return e.Existing.Name() + " already has a result in this tournament"
}
func (e *DuplicateError) Unwrap() error { return ErrConflict }

// checkResult is the store side of the weigh-in form (01-domain §3.2):
// it reads the tournament's rules, turns paper-event lengths into gross and
// big bass, and refuses bad rows with field errors before anything is written.
// It normalizes r.Lengths to the table's spelling ("14 1/2, 15").
func checkResult(ctx context.Context, tx *sql.Tx, r *club.Result) (club.Tournament, error) {
	t, err := scanTournament(tx.QueryRowContext(ctx, `SELECT `+tournamentCols+tournamentFrom+` WHERE t.id = $1`,
		r.TournamentID))
	if err != nil {
		return t, fmt.Errorf("tournament %d: %w", r.TournamentID, mapErr(err))
	}
	se, err := seasonTx(ctx, tx, t.SeasonYear)
	if err != nil {
		return t, err
	}
	rules, _, err := loadRules(se)
	if err != nil {
		return t, err
	}
	es := paperCatch(r, t.Paper)
	if len(es) > 0 {
		return t, es
	}
	format := scoring.Format(t.Format)
	if t.Format == club.FormatTeam {
		// Team format: the boat is weighed; an angler's row records that they
		// fished (or bought in), so only its signs are checked here.
		if r.Fish != 0 || r.Gross != 0 || r.BigBass != 0 {
			return t, scoring.Errors{{Field: "fish", Message: "this is a team tournament: enter the catch on the boat"}}
		}
	}
	e := scoring.Entry{Fish: r.Fish, Dead: r.Dead, LateMinutes: r.LateMinutes, OtherPenalty: scoring.Weight(r.OtherPenalty),
		Gross: scoring.Weight(r.Gross), BigBass: scoring.Weight(r.BigBass), BuyIn: r.BuyIn, DQ: r.Disqualified,
		ConfirmHeavy: r.ConfirmHeavy}
	if es := scoring.ValidateEntry(e, rules.FishLimitFor(format, t.FishLimit)); len(es) > 0 {
		return t, es
	}
	if r.Disqualified && strings.TrimSpace(r.DQReason) == "" {
		return t, scoring.Errors{{Field: "dq_reason", Message: "say why the angler is disqualified"}}
	}
	if r.OtherPenalty > 0 && strings.TrimSpace(r.OtherReason) == "" {
		return t, scoring.Errors{{Field: "other_penalty_reason", Message: "say what the penalty is for"}}
	}
	return t, nil
}

// paperCatch parses r.Lengths ("14.5, 14 1/2, 14-4") and, in a paper event,
// derives gross and big bass from the length table unless they were entered
// directly; the fish count is the number of lengths when it was left at 0.
// Lengths outside a paper event are refused, not silently ignored.
func paperCatch(r *club.Result, paper bool) scoring.Errors {
	if strings.TrimSpace(r.Lengths) == "" {
		r.Lengths = ""
		return nil
	}
	if !paper {
		return scoring.Errors{{Field: "lengths", Message: "lengths are for paper events; enter the weight"}}
	}
	var ls []scoring.Length
	var names []string
	for _, part := range strings.Split(r.Lengths, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		l, err := scoring.ParseLength(part)
		if err != nil {
			return scoring.Errors{{Field: "lengths", Message: err.Error()}}
		}
		ls = append(ls, l)
		names = append(names, l.String())
	}
	if r.Fish == 0 {
		r.Fish = len(ls)
	}
	if r.Fish != len(ls) {
		return scoring.Errors{{Field: "lengths", Message: fmt.Sprintf("%d lengths for %d fish", len(ls), r.Fish)}}
	}
	gross, big := scoring.PaperCatch(ls)
	if r.Gross == 0 {
		r.Gross = int64(gross)
	}
	if r.BigBass == 0 {
		r.BigBass = int64(big)
	}
	r.Lengths = strings.Join(names, ", ")
	return nil
}

// checkBoat refuses a team-format boat weigh-in the engine would refuse, with
// the same field names as an angler's row. In individual format a boat only
// pairs anglers and its weigh-in columns are ignored.
func checkBoat(ctx context.Context, tx *sql.Tx, b club.Boat) error {
	t, err := scanTournament(tx.QueryRowContext(ctx, `SELECT `+tournamentCols+tournamentFrom+` WHERE t.id = $1`,
		b.TournamentID))
	if err != nil {
		return fmt.Errorf("tournament %d: %w", b.TournamentID, mapErr(err))
	}
	if t.Format != club.FormatTeam {
		return nil
	}
	se, err := seasonTx(ctx, tx, t.SeasonYear)
	if err != nil {
		return err
	}
	rules, _, err := loadRules(se)
	if err != nil {
		return err
	}
	e := scoring.Entry{Fish: b.Fish, Dead: b.Dead, LateMinutes: b.LateMinutes, OtherPenalty: scoring.Weight(b.OtherPenalty),
		Gross: scoring.Weight(b.Gross), BigBass: scoring.Weight(b.BigBass), BuyIn: b.BuyIn, DQ: b.Disqualified,
		ConfirmHeavy: b.ConfirmHeavy}
	if es := scoring.ValidateEntry(e, rules.FishLimitFor(scoring.Team, t.FishLimit)); len(es) > 0 {
		return es
	}
	return nil
}
