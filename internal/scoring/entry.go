package scoring

import (
	"cmp"
	"fmt"
	"slices"
)

// Entry is one weigh-in row as entered: an angler's result, or a boat's weigh-in in
// team format (spec §2 Result, §3.2).
type Entry struct {
	ID       int64  // the caller's key (result id, person id…)
	Name     string // display name
	SortName string // ordering name ("Smith, Ann"); Name when empty

	Member          bool // was_member: membership when the result was entered
	Fish, Dead      int
	LateMinutes     int
	OtherPenalty    Weight
	PenaltyReason   string // reason for OtherPenalty, carried for display only
	Gross, BigBass  Weight // as weighed (paper events: from lengths, see Length)
	BuyIn           bool
	DQ              bool
	DQReason        string
	DQPointsAllowed bool
	Locked          *Lock // manual place/points override; nil when not locked
	ConfirmHeavy    bool  // the officer confirmed a gross > 50 lb or big bass > 20 lb
}

// Lock is a manually fixed place and points (spec §3.3 step 6).
type Lock struct {
	Place  int
	Points int
}

// Scored is the outcome of one row, shared by angler results and boats.
type Scored struct {
	// Effective inputs: a buy-in's fish, dead, gross and big bass are zero.
	Fish, Dead     int
	Gross, BigBass Weight
	Penalty, Net   Weight
	BuyIn, DQ      bool
	DQReason       string // "late" for the automatic late DQ
	Place          int    // 0 = no place (DQ); a locked row's stored place
	RankPlace      int    // the computed place, before any lock: money follows it
	Points         int    // meaningful only when Pointed
	Pointed        bool   // false for guests, boats in individual format, or points_count off
	Locked         bool   // Place and Points are the stored, manual ones
	Order          int    // display position, 0-based, over all rows of its kind
	Ties           []TieNote
}

const (
	heavyGross   Weight = 50_00
	heavyBigBass Weight = 20_00
	maxLate             = 24 * 60
)

// ValidateEntry returns every form error of one weigh-in row (spec §3.2), with
// fish limit fishLimit (see RuleSet.FishLimitFor). Nothing should be saved when it
// returns errors. Field names match the JSON contract of `sabc score`.
func ValidateEntry(e Entry, fishLimit int) Errors {
	es := checkEntry(e, fishLimit)
	if !e.BuyIn && !e.ConfirmHeavy {
		if e.Gross > heavyGross {
			es.add("gross", fmt.Sprintf("%s lb is over 50 lb: tick the confirmation to keep it", e.Gross))
		}
		if e.BigBass > heavyBigBass {
			es.add("big_bass", fmt.Sprintf("%s lb is over 20 lb: tick the confirmation to keep it", e.BigBass))
		}
	}
	return es
}

// checkEntry holds the checks that stored rows must also pass when they are rescored.
// The heavy-weight confirmation is left to ValidateEntry because the flag belongs to
// the form, not to the stored row.
func checkEntry(e Entry, fishLimit int) Errors {
	var es Errors
	counts := [...]struct {
		field string
		v     int
	}{{"fish", e.Fish}, {"dead", e.Dead}, {"late_minutes", e.LateMinutes}}
	for _, c := range counts {
		if c.v < 0 {
			es.add(c.field, "must not be negative")
		}
	}
	weights := [...]struct {
		field string
		w     Weight
	}{{"gross", e.Gross}, {"big_bass", e.BigBass}, {"other_penalty", e.OtherPenalty}}
	for _, c := range weights {
		if c.w < 0 || c.w > maxWeight {
			es.add(c.field, "must be between 0.00 and 99999.99")
		}
	}
	if e.LateMinutes > maxLate {
		es.add("late_minutes", "more than a day late")
	}
	if e.Locked != nil && (e.Locked.Place < 1 || e.Locked.Points < 0) {
		es.add("locked", "a locked place must be at least 1 and points not negative")
	}
	if len(es) > 0 || e.BuyIn {
		// A buy-in's catch is ignored, so only signs are checked.
		return sortErrors(es)
	}
	if e.Fish > fishLimit {
		es.add("fish", fmt.Sprintf("%d fish is over the limit of %d", e.Fish, fishLimit))
	}
	if e.Dead > e.Fish {
		es.add("dead", fmt.Sprintf("%d dead fish but only %d fish", e.Dead, e.Fish))
	}
	if e.Fish == 0 && e.Gross > 0 {
		es.add("gross", "a weight is entered with 0 fish")
	}
	if e.BigBass > e.Gross {
		es.add("big_bass", fmt.Sprintf("big bass %s lb is heavier than the gross weight %s lb", e.BigBass, e.Gross))
	}
	return sortErrors(es)
}

// sortErrors orders errors by field, so a message lists fields alphabetically.
func sortErrors(es Errors) Errors {
	slices.SortStableFunc(es, func(a, b FieldError) int { return cmp.Compare(a.Field, b.Field) })
	return es
}

// scoreEntry applies §3.2: buy-in zeroing, penalty, net, and the late DQ.
func scoreEntry(r RuleSet, e Entry) Scored {
	s := Scored{Fish: e.Fish, Dead: e.Dead, Gross: e.Gross, BigBass: e.BigBass, BuyIn: e.BuyIn}
	late := e.LateMinutes
	if e.BuyIn {
		// A buy-in paid without fishing: no catch, and so nothing to penalise.
		s = Scored{BuyIn: true}
		late = 0
	} else {
		s.Penalty = Weight(e.Dead)*r.DeadFishPenalty + Weight(late)*r.LatePenaltyPerMinute + e.OtherPenalty
		s.Net = max(0, s.Gross-s.Penalty)
	}
	switch {
	case e.DQ:
		s.DQ, s.DQReason = true, e.DQReason
		if s.DQReason == "" {
			s.DQReason = "disqualified"
		}
	case r.LateDQAfterMinutes > 0 && late > r.LateDQAfterMinutes:
		s.DQ, s.DQReason = true, "late"
	}
	if s.DQ {
		s.BuyIn = false // a DQ outranks a buy-in: no place, DQ points
	}
	return s
}
