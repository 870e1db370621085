package web

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// weighInInput is one angler's weigh-in as the screen's form and the JSON
// API send it (docs/api.md); weights are decimal strings like "12.45".
type weighInInput struct {
	Fish               int      `json:"fish"`
	Dead               int      `json:"dead"`
	LateMinutes        int      `json:"late_minutes"`
	Gross              string   `json:"gross"`
	BigBass            string   `json:"big_bass"`
	OtherPenalty       string   `json:"other_penalty"`
	OtherPenaltyReason string   `json:"other_penalty_reason"`
	Lengths            []string `json:"lengths"`
	BuyIn              bool     `json:"buy_in"`
	DQ                 bool     `json:"dq"`
	DQReason           string   `json:"dq_reason"`
	DQPointsAllowed    bool     `json:"dq_points_allowed"`
	Version            int      `json:"version"`       // 0: a new result
	ConfirmHeavy       bool     `json:"confirm_heavy"` // over 50 lb gross or 20 lb big bass is meant
	Correction         string   `json:"correction"`    // why a complete tournament's result changes
}

// errCompleteNeedsReason is the correction path's refusal, next to its field:
// the store refuses a complete tournament's change without a reason
// (store.ErrNeedsCorrection), checked in the write's own transaction, so a
// tournament marked complete while the officer typed is refused too.
var errCompleteNeedsReason = scoring.Errors{{Field: "correction",
	Message: "This tournament is complete: give a reason for the correction."}}

// correctionRefusal turns the store's refusal into the field error.
func correctionRefusal(err error) error {
	if errors.Is(err, store.ErrNeedsCorrection) {
		return errCompleteNeedsReason
	}
	return err
}

// errUnstorable refuses a text holding a NUL, which JSON can send ("\u0000")
// and PostgreSQL cannot store. (Forms are checked before any handler runs.)
const errUnstorable = "must not contain a NUL character (\\u0000): it cannot be stored"

// resultOf turns the input into a result row, with weights parsed; bad
// weights come back as field errors.
func (in weighInInput) resultOf(tid, pid int64) (club.Result, error) {
	r := club.Result{TournamentID: tid, PersonID: pid, Fish: in.Fish, Dead: in.Dead, LateMinutes: in.LateMinutes,
		OtherReason: strings.TrimSpace(in.OtherPenaltyReason), Lengths: strings.Join(in.Lengths, ", "),
		BuyIn: in.BuyIn, Disqualified: in.DQ, DQReason: strings.TrimSpace(in.DQReason),
		DQPointsAllowed: in.DQPointsAllowed, Version: in.Version, ConfirmHeavy: in.ConfirmHeavy,
		Correction: strings.TrimSpace(in.Correction)}
	var es scoring.Errors
	for _, f := range []struct {
		field, text string
		dst         *int64
	}{{"gross", in.Gross, &r.Gross}, {"big_bass", in.BigBass, &r.BigBass}, {"other_penalty", in.OtherPenalty, &r.OtherPenalty}} {
		if strings.TrimSpace(f.text) == "" {
			continue
		}
		w, err := scoring.ParseWeight(f.text)
		if err != nil {
			es = append(es, scoring.FieldError{Field: f.field, Message: err.Error()})
			continue
		}
		*f.dst = int64(w)
	}
	for _, f := range []struct{ field, text string }{{"other_penalty_reason", in.OtherPenaltyReason},
		{"dq_reason", in.DQReason}, {"correction", in.Correction}, {"lengths", strings.Join(in.Lengths, "")}} {
		if !forms.Storable(f.text) {
			es = append(es, scoring.FieldError{Field: f.field, Message: errUnstorable})
		}
	}
	for i, l := range in.Lengths {
		if strings.Contains(l, ",") {
			es = append(es, scoring.FieldError{Field: "lengths", Message: fmt.Sprintf("length %d: one length per entry", i+1)})
		}
	}
	if len(es) > 0 {
		return r, es
	}
	return r, nil
}

// saveWeighIn stores one angler's weigh-in — the one write path of the
// weigh-in screen, its script and the API (which saves the row weighInRow
// makes with its Idempotency-Key: Store.SaveResultKeyed).
func (s *Server) saveWeighIn(ctx context.Context, actorID int64, t club.Tournament, p club.Person,
	in weighInInput) error {
	r, err := s.weighInRow(ctx, t, p, in)
	if err != nil {
		return err
	}
	_, err = s.Store.SaveWeighIn(ctx, actorID, r, t.Status == club.StatusScheduled)
	return correctionRefusal(err)
}

// weighInRow turns the input into the row to save. A result for the angler
// exists: it is an edit of that row, which needs its version (0 is a second
// result for the angler: DuplicateError). None exists: a new row, unless a
// version was sent (the row was deleted since: StaleError). A complete
// tournament changes only with a correction reason. The membership snapshot
// is taken when the result is first entered.
func (s *Server) weighInRow(ctx context.Context, t club.Tournament, p club.Person, in weighInInput) (club.Result, error) {
	r, err := in.resultOf(t.ID, p.ID)
	if err != nil {
		return r, err
	}
	old, err := s.Store.ResultFor(ctx, t.ID, p.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if in.Version != 0 {
			return r, &store.StaleError{}
		}
		r.WasMember = p.Member
	case err != nil:
		return r, err
	case in.Version == 0:
		return r, &store.DuplicateError{Existing: old}
	default:
		r.ID, r.WasMember, r.Locked, r.LockedPlace, r.LockedPoints = old.ID, old.WasMember, old.Locked, old.LockedPlace, old.LockedPoints
	}
	if t.Status != club.StatusComplete {
		r.Correction = "" // only a complete tournament's changes are corrections
	}
	return r, nil
}

// deleteWeighIn removes an angler's result; version 0 skips the check. The
// store checks the version and the correction rule in the delete's own
// transaction.
func (s *Server) deleteWeighIn(ctx context.Context, actorID int64, t club.Tournament, personID int64, version int,
	correction string) error {
	correction, err := deleteCorrection(correction)
	if err != nil {
		return err
	}
	return correctionRefusal(s.Store.RemoveResultOf(ctx, actorID, t.ID, personID, version, correction))
}

// deleteCorrection is a delete's correction reason, trimmed and storable.
func deleteCorrection(correction string) (string, error) {
	correction = strings.TrimSpace(correction)
	if !forms.Storable(correction) {
		return "", scoring.Errors{{Field: "correction", Message: errUnstorable}}
	}
	return correction, nil
}
