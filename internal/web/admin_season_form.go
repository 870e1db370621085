package web

import (
	"fmt"
	"strconv"
	"strings"

	"sabc/internal/scoring"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// The rules editor's form: one input per RuleSet and PayoutSchedule value,
// in the units people use (pounds, dollars), never raw JSON. The engine's
// own validation decides what is allowed; its messages (with the numbers,
// e.g. V19's "parts add up to $24.00, entry fee is $25.00") are shown next
// to the field they name.

// numField is one number on the form, bound to the value it edits.
type numField struct {
	Name, Label, Hint string
	ptr               func(*scoring.RuleSet, *scoring.PayoutSchedule) any // *int, *scoring.Weight or *scoring.Cents
}

func ruleInt(f func(*scoring.RuleSet) *int) func(*scoring.RuleSet, *scoring.PayoutSchedule) any {
	return func(r *scoring.RuleSet, _ *scoring.PayoutSchedule) any { return f(r) }
}

func ruleWeight(f func(*scoring.RuleSet) *scoring.Weight) func(*scoring.RuleSet, *scoring.PayoutSchedule) any {
	return func(r *scoring.RuleSet, _ *scoring.PayoutSchedule) any { return f(r) }
}

func payCents(f func(*scoring.PayoutSchedule) *scoring.Cents) func(*scoring.RuleSet, *scoring.PayoutSchedule) any {
	return func(_ *scoring.RuleSet, p *scoring.PayoutSchedule) any { return f(p) }
}

// The form's number fields by section, in page order.
var (
	weighInFields = []numField{
		{"fish_limit", "Fish limit per angler", "", ruleInt(func(r *scoring.RuleSet) *int { return &r.FishLimit })},
		{"team_fish_limit", "Fish limit per boat (team events)", "", ruleInt(func(r *scoring.RuleSet) *int { return &r.TeamFishLimit })},
		{"dead_fish_penalty", "Dead fish penalty (lb each)", "e.g. 0.25", ruleWeight(func(r *scoring.RuleSet) *scoring.Weight { return &r.DeadFishPenalty })},
		{"late_penalty_per_minute", "Late penalty (lb per minute)", "0 turns it off.", ruleWeight(func(r *scoring.RuleSet) *scoring.Weight { return &r.LatePenaltyPerMinute })},
		{"late_dq_after_minutes", "Disqualified when later than (minutes)", "0 turns it off.", ruleInt(func(r *scoring.RuleSet) *int { return &r.LateDQAfterMinutes })},
		{"big_bass_min", "Big bass minimum (lb, inclusive)", "For the tournament pot and Big Bass of the Year.", ruleWeight(func(r *scoring.RuleSet) *scoring.Weight { return &r.BigBassMin })},
	}
	pointsFields = []numField{
		{"max_points", "Points for first place", "", ruleInt(func(r *scoring.RuleSet) *int { return &r.MaxPoints })},
		{"zero_offset", "Zero fish: points below last place", "", ruleInt(func(r *scoring.RuleSet) *int { return &r.ZeroOffset })},
		{"buy_in_offset", "Buy-in: points below last place", "", ruleInt(func(r *scoring.RuleSet) *int { return &r.BuyInOffset })},
		{"dq_offset", "DQ (when points allowed): below last place", "", ruleInt(func(r *scoring.RuleSet) *int { return &r.DQOffset })},
		{"aoy_min_events", "Angler of the Year: minimum events", "0 = no minimum.", ruleInt(func(r *scoring.RuleSet) *int { return &r.AoYMinEvents })},
		{"aoy_drop_worst", "Angler of the Year: drop the worst", "0 = every event counts.", ruleInt(func(r *scoring.RuleSet) *int { return &r.AoYDropWorst })},
	}
	payFields = []numField{
		{"entry_fee", "Entry fee", "The parts below must add up to it.", payCents(func(p *scoring.PayoutSchedule) *scoring.Cents { return &p.EntryFee })},
		{"club", "Club", "", payCents(func(p *scoring.PayoutSchedule) *scoring.Cents { return &p.Club })},
		{"charity", "Charity", "", payCents(func(p *scoring.PayoutSchedule) *scoring.Cents { return &p.Charity })},
		{"big_bass", "Big bass pot", "", payCents(func(p *scoring.PayoutSchedule) *scoring.Cents { return &p.BigBass })},
	}
)

// tieChoices are the options of the tie-break selects.
var (
	tieChoices = []choice{{"", "— nothing —"}, {string(scoring.TieFish), "More fish"},
		{string(scoring.TieBigBass), "The bigger big bass"}}
	aoyChoices = []choice{{"", "— nothing —"}, {string(scoring.AoYTotalWeight), "More total weight"},
		{string(scoring.AoYBigBass), "The bigger biggest bass"}, {string(scoring.AoYWins), "More wins"}}
	placeStyles = []choice{{string(scoring.Competition), "Competition: 1, 1, 3"}, {string(scoring.Dense), "Dense: 1, 1, 2"}}
	feeBases    = []choice{{string(scoring.PerAngler), "Per angler"}, {string(scoring.PerBoat), "Per boat"}}
)

type choice struct{ Value, Label string }

const (
	tieSlots   = 2 // fish count and big bass
	aoySlots   = 3 // total weight, big bass, wins
	extraPlace = 2 // empty place fields offered after the paid ones
	maxPlaces  = 20
)

// seasonForm fills the editor from a stored season.
func seasonForm(sr store.SeasonRules) *forms.Form {
	f := forms.Empty()
	r, p := sr.Rules, sr.Payouts
	for _, nf := range allNumFields() {
		f.Set(nf.Name, numText(nf.ptr(&r, &p)))
	}
	for i, k := range r.TieBreak {
		f.Set(slotName("tie", i), string(k))
	}
	for i, k := range r.AoYTieBreak {
		f.Set(slotName("aoy_tie", i), string(k))
	}
	for i, c := range p.Places {
		f.Set(slotName("place", i), numText(&c))
	}
	f.Set("place_style", string(r.PlaceStyle))
	f.Set("fee_basis", string(p.FeeBasis))
	for name, on := range map[string]bool{"heavy_stringer_guests": r.HeavyStringerGuests,
		"heavy_stringer_paper": r.HeavyStringerPaper} {
		if on {
			f.Set(name, "on")
		}
	}
	f.Set("rules_md", sr.Season.RulesMD)
	f.Set("version", strconv.Itoa(sr.Season.Version))
	return f
}

func allNumFields() []numField {
	return append(append(append([]numField{}, weighInFields...), pointsFields...), payFields...)
}

func slotName(prefix string, i int) string { return fmt.Sprintf("%s_%d", prefix, i+1) }

func numText(v any) string {
	switch p := v.(type) {
	case *int:
		return strconv.Itoa(*p)
	case *scoring.Weight:
		return p.String()
	case *scoring.Cents:
		return strings.TrimPrefix(p.String(), "$")
	}
	panic(fmt.Sprintf("numText of a %T", v))
}

// parseSeasonForm reads the typed values over the stored rules (which keep
// what the form does not show, such as the rule set's own note), failing
// each field that is not a number of its kind.
func parseSeasonForm(f *forms.Form, sr store.SeasonRules) (scoring.RuleSet, scoring.PayoutSchedule) {
	r, p := sr.Rules, sr.Payouts
	for _, nf := range allNumFields() {
		if msg := parseNum(f.Get(nf.Name), nf.ptr(&r, &p)); msg != "" {
			f.Fail(nf.Name, nf.Label+": "+msg+".")
		}
	}
	r.TieBreak = nil
	for i := range tieSlots {
		if v := f.Get(slotName("tie", i)); v != "" {
			r.TieBreak = append(r.TieBreak, scoring.TieKey(v))
		}
	}
	r.AoYTieBreak = nil
	for i := range aoySlots {
		if v := f.Get(slotName("aoy_tie", i)); v != "" {
			r.AoYTieBreak = append(r.AoYTieBreak, scoring.AoYKey(v))
		}
	}
	p.Places = parsePlaces(f)
	r.PlaceStyle = scoring.PlaceStyle(f.Get("place_style"))
	p.FeeBasis = scoring.FeeBasis(f.Get("fee_basis"))
	r.HeavyStringerGuests, r.HeavyStringerPaper = f.Checked("heavy_stringer_guests"), f.Checked("heavy_stringer_paper")
	f.MaxLen("rules_md", "The rules text", 20000)
	return r, p
}

// parsePlaces reads place_1, place_2, … up to the last one filled in; an
// empty place before a filled one is a gap the form refuses.
func parsePlaces(f *forms.Form) []scoring.Cents {
	var out []scoring.Cents
	last := -1
	for i := range maxPlaces {
		if f.Get(slotName("place", i)) != "" {
			last = i
		}
	}
	for i := 0; i <= last; i++ {
		name := slotName("place", i)
		label := ordinal(i+1) + " place"
		if f.Get(name) == "" {
			f.Fail(name, label+": fill it in, or clear the places after it.")
			continue
		}
		var c scoring.Cents
		if msg := parseNum(f.Get(name), &c); msg != "" {
			f.Fail(name, label+": "+msg+".")
		}
		out = append(out, c)
	}
	return out
}

func parseNum(text string, v any) string {
	var err error
	switch p := v.(type) {
	case *int:
		n, e := strconv.Atoi(text)
		if e != nil {
			return fmt.Sprintf("%q is not a whole number", text)
		}
		*p = n
	case *scoring.Weight:
		*p, err = scoring.ParseWeight(text)
	case *scoring.Cents:
		*p, err = scoring.ParseCents(text)
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// engineErrors puts the store's refusals ("rules_json.fish_limit",
// "payout_json.entry_fee") next to the form fields they name.
func engineErrors(f *forms.Form, es scoring.Errors) {
	labels := map[string]string{"tie_break": "Tie-break", "aoy_tie_break": "Angler of the Year tie-break",
		"place_style": "Places after a tie", "fee_basis": "Entry fee paid"}
	for _, nf := range allNumFields() {
		labels[nf.Name] = nf.Label
	}
	for _, e := range es {
		name := e.Field[strings.IndexByte(e.Field, '.')+1:]
		label := labels[name]
		if label == "" {
			label = name
		}
		f.Fail(name, label+": "+e.Message+".")
	}
}

// placeCount is how many place fields the page shows: every filled one
// plus a few empty ones to add a paid place.
func placeCount(f *forms.Form) int {
	n := 0
	for i := range maxPlaces {
		if f.Get(slotName("place", i)) != "" {
			n = i + 1
		}
	}
	return min(n+extraPlace, maxPlaces)
}

// seasonLabels name every field for the conflict comparison, in page order.
func seasonLabels(places int) []fieldLabel {
	var out []fieldLabel
	for _, nf := range append(append([]numField{}, weighInFields...), pointsFields...) {
		out = append(out, fieldLabel{Name: nf.Name, Label: nf.Label})
	}
	for i := range tieSlots {
		out = append(out, fieldLabel{Name: slotName("tie", i), Label: "Tie-break " + strconv.Itoa(i+1)})
	}
	out = append(out, fieldLabel{Name: "place_style", Label: "Places after a tie"})
	for i := range aoySlots {
		out = append(out, fieldLabel{Name: slotName("aoy_tie", i), Label: "Angler of the Year tie-break " + strconv.Itoa(i+1)})
	}
	out = append(out, checkbox("heavy_stringer_guests", "Heavy stringer: guests count"),
		checkbox("heavy_stringer_paper", "Heavy stringer: paper events count"),
		fieldLabel{Name: "fee_basis", Label: "Entry fee paid"})
	for _, nf := range payFields {
		out = append(out, fieldLabel{Name: nf.Name, Label: nf.Label})
	}
	for i := range places {
		out = append(out, fieldLabel{Name: slotName("place", i), Label: ordinal(i+1) + " place"})
	}
	return append(out, fieldLabel{Name: "rules_md", Label: "Rules text"})
}
