package scoring

import (
	"fmt"
	"slices"
)

// TieKey is one step of a tournament tie-break chain.
type TieKey string

const (
	TieFish    TieKey = "fish"     // more fish wins
	TieBigBass TieKey = "big_bass" // heavier big bass wins
)

// AoYKey is one step of the Angler-of-the-Year tie-break chain.
type AoYKey string

const (
	AoYTotalWeight AoYKey = "total_weight"
	AoYBigBass     AoYKey = "big_bass"
	AoYWins        AoYKey = "wins"
)

// PlaceStyle says how places continue after a tie.
type PlaceStyle string

const (
	Competition PlaceStyle = "competition" // 1, 1, 3
	Dense       PlaceStyle = "dense"       // 1, 1, 2
)

// Format is a tournament's format.
type Format string

const (
	Individual Format = "individual" // each angler weighs in; boats are derived
	Team       Format = "team"       // the boat weighs in
)

// RuleSet is one season's scoring rules (spec §3.1). Results are always scored with
// the rules of their own season, so the store keeps one RuleSet per season.
type RuleSet struct {
	FishLimit            int        `json:"fish_limit"`      // per angler
	TeamFishLimit        int        `json:"team_fish_limit"` // per boat in team format
	DeadFishPenalty      Weight     `json:"dead_fish_penalty"`
	LatePenaltyPerMinute Weight     `json:"late_penalty_per_minute"` // 0 disables
	LateDQAfterMinutes   int        `json:"late_dq_after_minutes"`   // 0 disables the DQ
	TieBreak             []TieKey   `json:"tie_break"`
	PlaceStyle           PlaceStyle `json:"place_style"`
	MaxPoints            int        `json:"max_points"`
	ZeroOffset           int        `json:"zero_offset"`
	BuyInOffset          int        `json:"buy_in_offset"`
	DQOffset             int        `json:"dq_offset"`
	BigBassMin           Weight     `json:"big_bass_min"` // inclusive
	AoYMinEvents         int        `json:"aoy_min_events"`
	AoYDropWorst         int        `json:"aoy_drop_worst"`
	AoYTieBreak          []AoYKey   `json:"aoy_tie_break"`
	HeavyStringerGuests  bool       `json:"heavy_stringer_guests"`
	HeavyStringerPaper   bool       `json:"heavy_stringer_paper"`
	Text                 string     `json:"text,omitempty"` // markdown shown on the rules page
}

// DefaultRules returns the club's bylaw defaults (spec §3.1, bold values).
func DefaultRules() RuleSet {
	return RuleSet{
		FishLimit:            5,
		TeamFishLimit:        5,
		DeadFishPenalty:      25,
		LatePenaltyPerMinute: 100,
		LateDQAfterMinutes:   15,
		TieBreak:             []TieKey{TieFish, TieBigBass},
		PlaceStyle:           Competition,
		MaxPoints:            100,
		ZeroOffset:           2,
		BuyInOffset:          4,
		DQOffset:             3,
		BigBassMin:           500,
		AoYTieBreak:          []AoYKey{AoYTotalWeight, AoYBigBass, AoYWins},
		HeavyStringerGuests:  true,
	}
}

// FishLimitFor returns the limit that applies to one weigh-in row: the tournament's
// override when set, else the season's per-angler or per-boat limit.
func (r RuleSet) FishLimitFor(f Format, override int) int {
	switch {
	case override > 0:
		return override
	case f == Team:
		return r.TeamFishLimit
	}
	return r.FishLimit
}

// Validate refuses a rule set the engine cannot apply, naming each bad field.
func (r RuleSet) Validate() error {
	var es Errors
	atLeast := func(field string, v, min int) {
		if v < min {
			es.add(field, fmt.Sprintf("must be at least %d", min))
		}
	}
	atLeast("fish_limit", r.FishLimit, 1)
	atLeast("team_fish_limit", r.TeamFishLimit, 1)
	atLeast("late_dq_after_minutes", r.LateDQAfterMinutes, 0)
	atLeast("max_points", r.MaxPoints, 1)
	atLeast("zero_offset", r.ZeroOffset, 0)
	atLeast("buy_in_offset", r.BuyInOffset, 0)
	atLeast("dq_offset", r.DQOffset, 0)
	atLeast("aoy_min_events", r.AoYMinEvents, 0)
	atLeast("aoy_drop_worst", r.AoYDropWorst, 0)
	for field, w := range map[string]Weight{"dead_fish_penalty": r.DeadFishPenalty,
		"late_penalty_per_minute": r.LatePenaltyPerMinute, "big_bass_min": r.BigBassMin} {
		if w < 0 || w > maxWeight {
			es.add(field, "must be between 0.00 and 99999.99")
		}
	}
	if r.FishLimit > 50 || r.TeamFishLimit > 50 {
		es.add("fish_limit", "must be at most 50")
	}
	if r.PlaceStyle != Competition && r.PlaceStyle != Dense {
		es.add("place_style", fmt.Sprintf("%q is not competition or dense", r.PlaceStyle))
	}
	if msg := chainProblem(r.TieBreak, []TieKey{TieFish, TieBigBass}); msg != "" {
		es.add("tie_break", msg)
	}
	if msg := chainProblem(r.AoYTieBreak, []AoYKey{AoYTotalWeight, AoYBigBass, AoYWins}); msg != "" {
		es.add("aoy_tie_break", msg)
	}
	return sortErrors(es).orNil()
}

// chainProblem reports an unknown or repeated key in a tie-break chain.
func chainProblem[K ~string](chain, known []K) string {
	for i, k := range chain {
		if !slices.Contains(known, k) {
			return fmt.Sprintf("%q is not one of %v", k, known)
		}
		if slices.Contains(chain[:i], k) {
			return fmt.Sprintf("%q is listed twice", k)
		}
	}
	return ""
}
