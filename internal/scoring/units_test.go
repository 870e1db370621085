package scoring

import (
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseWeight(t *testing.T) {
	for in, want := range map[string]Weight{"12.45": 1245, "12.5": 1250, "12": 1200, " 0.05 ": 5, ".5": 50, "12.": 1200} {
		if got, err := ParseWeight(in); err != nil || got != want {
			t.Errorf("ParseWeight(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "12.345", "1e3", "12,5", "abc", ".", "1.2.3", "9999999999999"} {
		if _, err := ParseWeight(in); err == nil {
			t.Errorf("ParseWeight(%q) accepted", in)
		}
	}
	if got := Weight(1245).String(); got != "12.45" {
		t.Errorf("String = %q", got)
	}
	if got := Cents(1234).String(); got != "$12.34" {
		t.Errorf("Cents String = %q", got)
	}
	if c, err := ParseCents("$25"); err != nil || c != 2500 {
		t.Errorf("ParseCents($25) = %d, %v", c, err)
	}
}

func TestValidateEntry(t *testing.T) {
	tests := []struct {
		name  string
		e     Entry
		field string
	}{
		{"over limit", Entry{Fish: 6, Gross: 1000}, "fish"},
		{"dead over fish", Entry{Fish: 2, Dead: 3, Gross: 500}, "dead"},
		{"weight with zero fish", Entry{Gross: 500}, "gross"},
		{"big bass over gross", Entry{Fish: 1, Gross: 300, BigBass: 400}, "big_bass"},
		{"heavy gross unconfirmed", Entry{Fish: 5, Gross: 50_01}, "gross"},
		{"heavy big bass unconfirmed", Entry{Fish: 5, Gross: 30_00, BigBass: 20_01}, "big_bass"},
		{"negative fish", Entry{Fish: -1}, "fish"},
		{"negative late", Entry{LateMinutes: -1}, "late_minutes"},
		{"negative weight", Entry{Fish: 1, Gross: -5}, "gross"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			es := ValidateEntry(tc.e, 5)
			if es.For(tc.field) == "" {
				t.Errorf("no error on %s; got %v", tc.field, es)
			}
		})
	}
	ok := Entry{Fish: 5, Dead: 1, Gross: 60_00, BigBass: 21_00, ConfirmHeavy: true}
	if es := ValidateEntry(ok, 5); len(es) != 0 {
		t.Errorf("confirmed heavy entry refused: %v", es)
	}
	if _, err := Score(DefaultRules(), Tournament{Entries: []Entry{{ID: 1, Fish: 6, Gross: 100}}}); err == nil ||
		err.(Errors).For("entries[0].fish") == "" {
		t.Errorf("Score accepted an over-limit row: %v", err)
	}
}

func TestRulesValidate(t *testing.T) {
	if err := DefaultRules().Validate(); err != nil {
		t.Fatalf("defaults refused: %v", err)
	}
	r := DefaultRules()
	r.TieBreak = []TieKey{TieFish, TieFish}
	r.PlaceStyle = "olympic"
	r.MaxPoints = 0
	es, _ := r.Validate().(Errors)
	for _, f := range []string{"tie_break", "place_style", "max_points"} {
		if es.For(f) == "" {
			t.Errorf("no error on %s: %v", f, es)
		}
	}
}

func TestTeamFormat(t *testing.T) {
	// Boat 10 (member Ann + guest Gil) beats boat 11 (two guests) and boat 12 (members).
	tt := Tournament{Name: "Team", Format: Team, PointsCount: true,
		Entries: []Entry{{ID: 1, Name: "Ann", Member: true}, {ID: 2, Name: "Gil"}, {ID: 3, Name: "Hal"},
			{ID: 4, Name: "Ian"}, {ID: 5, Name: "Joe", Member: true}, {ID: 6, Name: "Kim", Member: true}},
		Boats: []Boat{
			{ID: 10, Anglers: []int64{1, 2}, WeighIn: Entry{Fish: 5, Gross: 20_00, BigBass: 6_00}},
			{ID: 11, Anglers: []int64{3, 4}, WeighIn: Entry{Fish: 5, Gross: 18_00, BigBass: 7_00}},
			{ID: 12, Anglers: []int64{5, 6}, WeighIn: Entry{Fish: 4, Gross: 15_00, BigBass: 4_00}},
		}}
	o, err := Score(DefaultRules(), tt)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"1/100", "1/-", "2/-", "2/-", "3/99", "3/99"}, placesPoints(o)); d != "" {
		t.Errorf("anglers (-want +got):\n%s", d)
	}
	if !o.BigBass.OnBoats || o.BigBass.Weight != 6_00 || len(o.BigBass.Winners) != 1 || o.BigBass.Winners[0] != 10 {
		t.Errorf("big bass %+v, want boat 10 with 6.00 (boat 11 has no member)", o.BigBass)
	}
	p, err := Pay(o, PayoutSchedule{FeeBasis: PerBoat, EntryFee: 50_00, Places: []Cents{30_00, 20_00}}, Carry{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"Ann / Gil $90.00", "Hal / Ian $60.00"}, amounts(p.Places)); d != "" {
		t.Errorf("boat prizes (-want +got):\n%s", d)
	}
}

func TestLeftoverCentsGoToEarliestName(t *testing.T) {
	o := score(t, DefaultRules(), true, row("Cy", true, "10.00", 5, "1.00"), row("Al", true, "10.00", 5, "1.00"),
		row("Bo", true, "10.00", 5, "1.00"))
	p, err := Pay(o, PayoutSchedule{FeeBasis: PerAngler, EntryFee: 1_00, Places: []Cents{1_00}}, Carry{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"Al $1.00", "Bo $1.00", "Cy $1.00"}, amounts(p.Places)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	o.Results = append(o.Results, Result{ID: 4, Name: "Dee", SortName: "Dee", Scored: Scored{BuyIn: true, Place: 4, Order: 3}})
	p = pay(t, o, PayoutSchedule{FeeBasis: PerAngler, EntryFee: 1_00, Places: []Cents{1_00}}, Carry{})
	// $4.00 over three: $1.34, $1.33, $1.33 — the extra cent to Al, first by name.
	if d := cmp.Diff([]string{"Al $1.34", "Bo $1.33", "Cy $1.33"}, amounts(p.Places)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestParseLengthErrors(t *testing.T) {
	for _, in := range []string{"", "-3", "14 5/4", "14-8", "fourteen", "14 1/0", "14.5.5", "41", "14 1/2 3", "14.12345"} {
		if _, err := ParseLength(in); err == nil {
			t.Errorf("ParseLength(%q) accepted", in)
		}
	}
	for in, want := range map[string]Length{"14-4": 116, "14 3/8": 115, "14.3": 114, "14": 112, "29.99": 239} {
		if got, err := ParseLength(in); err != nil || got != want {
			t.Errorf("ParseLength(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if s := Length(116).String(); s != "14 1/2" {
		t.Errorf("String = %q", s)
	}
	if g, bb := PaperCatch([]Length{116, 160}); g != 1_63+4_68 || bb != 4_68 {
		t.Errorf("PaperCatch = %s, %s", g, bb)
	}
}

// Weights and money print as fmt's "%s%s%d.%02d" of sign, unit, whole and
// hundredths (the formatting they had before it was written by hand).
func TestHundredthsPrintAsFmtDid(t *testing.T) {
	want := func(v int64, unit string) string {
		sign, u := "", uint64(v)
		if v < 0 {
			sign, u = "-", uint64(-v)
		}
		return fmt.Sprintf("%s%s%d.%02d", sign, unit, u/100, u%100)
	}
	values := []int64{math.MinInt64, math.MinInt64 + 1, math.MaxInt64, -100000, 99_999_99, 123456789}
	for v := int64(-1050); v <= 1050; v++ {
		values = append(values, v)
	}
	for _, v := range values {
		if got, w := Weight(v).String(), want(v, ""); got != w {
			t.Errorf("Weight(%d) = %q, want %q", v, got, w)
		}
		if got, w := Cents(v).String(), want(v, "$"); got != w {
			t.Errorf("Cents(%d) = %q, want %q", v, got, w)
		}
	}
}
