package scoring

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
)

// The JSON contract of `sabc score` (see docs/scoring.md). Field names are fixed;
// weights travel as decimal strings so no float ever touches them.

type jsonInput struct {
	Rules       *jsonRules  `json:"rules"`
	PointsCount bool        `json:"points_count"`
	FishLimit   int         `json:"fish_limit"` // tournament override; 0 = rules
	Entries     []jsonEntry `json:"entries"`
}

// jsonRules holds only the fields present in the input; absent ones keep defaults.
type jsonRules struct {
	FishLimit            *int        `json:"fish_limit"`
	DeadFishPenalty      *string     `json:"dead_fish_penalty"`
	LatePenaltyPerMinute *string     `json:"late_penalty_per_minute"`
	LateDQAfterMinutes   *int        `json:"late_dq_after_minutes"`
	TieBreak             *[]TieKey   `json:"tie_break"`
	PlaceStyle           *PlaceStyle `json:"place_style"`
	MaxPoints            *int        `json:"max_points"`
	ZeroOffset           *int        `json:"zero_offset"`
	BuyInOffset          *int        `json:"buy_in_offset"`
	DQOffset             *int        `json:"dq_offset"`
	BigBassMin           *string     `json:"big_bass_min"`
}

type jsonEntry struct {
	Angler          string `json:"angler"`
	Member          bool   `json:"member"`
	Fish            int    `json:"fish"`
	Dead            int    `json:"dead"`
	LateMinutes     int    `json:"late_minutes"`
	OtherPenalty    string `json:"other_penalty"`
	Gross           string `json:"gross"`
	BigBass         string `json:"big_bass"`
	BuyIn           bool   `json:"buy_in"`
	DQ              bool   `json:"dq"`
	DQReason        string `json:"dq_reason"`
	DQPointsAllowed bool   `json:"dq_points_allowed"`
	Locked          *struct {
		Place  int `json:"place"`
		Points int `json:"points"`
	} `json:"locked"`
	ConfirmHeavy bool `json:"confirm_heavy"`
}

// maxInput bounds what one `sabc score` call reads: far above any club tournament.
const maxInput = 8 << 20

// DecodeScoreInput reads and validates one `sabc score` input. Entry IDs are their
// 1-based positions. Errors are Errors naming each field ("entries[2].dead").
func DecodeScoreInput(r io.Reader) (RuleSet, Tournament, error) {
	var in jsonInput
	dec := json.NewDecoder(io.LimitReader(r, maxInput))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return RuleSet{}, Tournament{}, jsonError(err)
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return RuleSet{}, Tournament{}, Errors{{"input", "unexpected data after the JSON object"}}
	}
	var es Errors
	rules := in.Rules.apply(DefaultRules(), &es)
	if err := rules.Validate(); err != nil {
		es = append(es, err.(Errors).prefixed("rules.")...)
	}
	if len(es) > 0 {
		// Entries are checked against the rules, so they wait until the rules are valid.
		return RuleSet{}, Tournament{}, es
	}
	t := Tournament{Format: Individual, PointsCount: in.PointsCount, FishLimit: in.FishLimit, Entries: make([]Entry, len(in.Entries))}
	limit := rules.FishLimitFor(Individual, in.FishLimit)
	for i, je := range in.Entries {
		prefix := fmt.Sprintf("entries[%d].", i)
		e, entryErrs := je.entry(int64(i + 1))
		if len(entryErrs) == 0 {
			entryErrs = ValidateEntry(e, limit)
		}
		es = append(es, entryErrs.prefixed(prefix)...)
		t.Entries[i] = e
	}
	if in.FishLimit < 0 || in.FishLimit > 50 {
		es.add("fish_limit", "must be between 0 (season limit) and 50")
	}
	return rules, t, es.orNil()
}

func (jr *jsonRules) apply(r RuleSet, es *Errors) RuleSet {
	if jr == nil {
		return r
	}
	setInt := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	setWeight := func(field string, dst *Weight, v *string) {
		if v != nil {
			w, err := ParseWeight(*v)
			if err != nil {
				es.add("rules."+field, err.Error())
			}
			*dst = w
		}
	}
	setInt(&r.FishLimit, jr.FishLimit)
	setInt(&r.LateDQAfterMinutes, jr.LateDQAfterMinutes)
	setInt(&r.MaxPoints, jr.MaxPoints)
	setInt(&r.ZeroOffset, jr.ZeroOffset)
	setInt(&r.BuyInOffset, jr.BuyInOffset)
	setInt(&r.DQOffset, jr.DQOffset)
	setWeight("dead_fish_penalty", &r.DeadFishPenalty, jr.DeadFishPenalty)
	setWeight("late_penalty_per_minute", &r.LatePenaltyPerMinute, jr.LatePenaltyPerMinute)
	setWeight("big_bass_min", &r.BigBassMin, jr.BigBassMin)
	if jr.TieBreak != nil {
		r.TieBreak = *jr.TieBreak
	}
	if jr.PlaceStyle != nil {
		r.PlaceStyle = *jr.PlaceStyle
	}
	return r
}

// entry converts one JSON row; an absent weight is 0.00.
func (je jsonEntry) entry(id int64) (Entry, Errors) {
	var es Errors
	weight := func(field, s string) Weight {
		if s == "" {
			return 0
		}
		w, err := ParseWeight(s)
		if err != nil {
			es.add(field, err.Error())
		}
		return w
	}
	e := Entry{ID: id, Name: je.Angler, Member: je.Member, Fish: je.Fish, Dead: je.Dead,
		LateMinutes: je.LateMinutes, OtherPenalty: weight("other_penalty", je.OtherPenalty),
		Gross: weight("gross", je.Gross), BigBass: weight("big_bass", je.BigBass),
		BuyIn: je.BuyIn, DQ: je.DQ, DQReason: je.DQReason, DQPointsAllowed: je.DQPointsAllowed,
		ConfirmHeavy: je.ConfirmHeavy}
	if je.Locked != nil {
		e.Locked = &Lock{Place: je.Locked.Place, Points: je.Locked.Points}
	}
	if je.Angler == "" {
		es.add("angler", "is required")
	}
	return e, es
}

// jsonError turns a decoder error into a message naming the field when it can.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want := map[reflect.Kind]string{reflect.String: `a string like "12.45"`, reflect.Int: "a whole number",
			reflect.Bool: "true or false", reflect.Slice: "a list", reflect.Struct: "an object", reflect.Pointer: "an object"}[te.Type.Kind()]
		if want == "" {
			want = te.Type.String()
		}
		return Errors{{cmp.Or(te.Field, "input"), fmt.Sprintf("got a JSON %s, want %s", te.Value, want)}}
	}
	if errors.Is(err, io.EOF) {
		return Errors{{"input", "empty input: want a JSON object"}}
	}
	return Errors{{"input", "invalid JSON: " + err.Error()}}
}

type jsonResult struct {
	Angler   string   `json:"angler"`
	Member   bool     `json:"member"`
	Fish     int      `json:"fish"`
	Dead     int      `json:"dead"`
	Gross    Weight   `json:"gross"`
	BigBass  Weight   `json:"big_bass"`
	Penalty  Weight   `json:"penalty"`
	Net      Weight   `json:"net"`
	Place    *int     `json:"place"`
	Points   *int     `json:"points"`
	BuyIn    bool     `json:"buy_in"`
	DQ       bool     `json:"dq"`
	DQReason string   `json:"dq_reason"`
	Locked   bool     `json:"locked"`
	Ties     []string `json:"ties,omitempty"`
}

type jsonOutput struct {
	Results []jsonResult `json:"results"`
	BigBass struct {
		Weight      Weight   `json:"weight"`
		Winners     []string `json:"winners"`
		DayWeight   Weight   `json:"biggest_of_day"`
		DayAnglers  []string `json:"biggest_of_day_by"`
		CarriesOver bool     `json:"carries_over"`
	} `json:"big_bass"`
}

// EncodeScoreOutput writes an outcome in the `sabc score` output format, results in
// input order; place is null for DQ, points null when not pointed.
func EncodeScoreOutput(w io.Writer, o Outcome) error {
	out := jsonOutput{Results: make([]jsonResult, len(o.Results))}
	names := make(map[int64]string, len(o.Results))
	for i, r := range o.Results {
		names[r.ID] = r.Name
		jr := jsonResult{Angler: r.Name, Member: r.Member, Fish: r.Fish, Dead: r.Dead, Gross: r.Gross,
			BigBass: r.BigBass, Penalty: r.Penalty, Net: r.Net, BuyIn: r.BuyIn, DQ: r.DQ,
			DQReason: r.DQReason, Locked: r.Locked}
		if r.Place > 0 {
			jr.Place = &o.Results[i].Place
		}
		if r.Pointed {
			jr.Points = &o.Results[i].Points
		}
		for _, n := range r.Ties {
			jr.Ties = append(jr.Ties, n.String())
		}
		out.Results[i] = jr
	}
	bb := &out.BigBass
	bb.Weight, bb.DayWeight, bb.CarriesOver = o.BigBass.Weight, o.BigBass.DayWeight, len(o.BigBass.Winners) == 0
	bb.Winners, bb.DayAnglers = []string{}, []string{}
	for _, id := range o.BigBass.Winners {
		bb.Winners = append(bb.Winners, names[id])
	}
	for _, id := range o.BigBass.Day {
		bb.DayAnglers = append(bb.DayAnglers, names[id])
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
