package scoring

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Expected values below are worked out by hand from spec 01-domain §4, never read
// back from the engine.

// w parses a weight literal in tests.
func w(s string) Weight {
	v, err := ParseWeight(s)
	if err != nil {
		panic(err)
	}
	return v
}

// row builds a weighed entry; member rows are "M", guests "G".
func row(name string, member bool, gross string, fish int, bb string) Entry {
	return Entry{Name: name, Member: member, Gross: w(gross), Fish: fish, BigBass: w(bb)}
}

func zero(name string, member bool) Entry { return Entry{Name: name, Member: member} }

// score numbers entries 1… in order and scores them.
func score(t *testing.T, r RuleSet, pointsCount bool, es ...Entry) Outcome {
	t.Helper()
	tt := Tournament{ID: 1, Name: "T", PointsCount: pointsCount}
	for i, e := range es {
		e.ID = int64(i + 1)
		tt.Entries = append(tt.Entries, e)
	}
	o, err := Score(r, tt)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	return o
}

// pay is Pay for a test: a refused payout fails the test instead of
// leaving a zero Payouts for the checks to compare.
func pay(t *testing.T, o Outcome, s PayoutSchedule, carried Carry) Payouts {
	t.Helper()
	p, err := Pay(o, s, carried)
	if err != nil {
		t.Fatalf("Pay: %v", err)
	}
	return p
}

// placesPoints renders each result as "place/points", "-" for none.
func placesPoints(o Outcome) []string {
	out := make([]string, len(o.Results))
	for i, r := range o.Results {
		place, points := "-", "-"
		if r.Place > 0 {
			place = strconv.Itoa(r.Place)
		}
		if r.Pointed {
			points = strconv.Itoa(r.Points)
		}
		out[i] = place + "/" + points
	}
	return out
}

func dense() RuleSet {
	r := DefaultRules()
	r.PlaceStyle = Dense
	return r
}

func bigBassFirst() RuleSet {
	r := DefaultRules()
	r.TieBreak = []TieKey{TieBigBass, TieFish}
	return r
}

func TestVectors(t *testing.T) {
	v7 := make([]Entry, 11)
	for n := range v7 {
		v7[n] = row("A"+strconv.Itoa(n), n%2 == 0, strconv.Itoa(5+n)+".00", 5, "1.00")
	}
	buyIn := Entry{Name: "buy-in", Member: true, BuyIn: true}
	dq := func(e Entry, allowed bool) Entry { e.DQ, e.DQPointsAllowed = true, allowed; return e }
	locked := row("M14", true, "14.00", 5, "3.00")
	locked.Locked = &Lock{Place: 9, Points: 50}
	v1 := []Entry{row("A", true, "10.00", 5, "3.00"), row("B", true, "10.00", 5, "3.00"),
		row("C", true, "8.00", 5, "2.00"), row("D", true, "8.00", 4, "2.00"), zero("E", true)}
	v8 := []Entry{row("A", true, "12.00", 5, "4.00"), row("B", true, "12.00", 4, "5.00")}

	tables := []struct {
		name        string
		rules       RuleSet
		pointsCount bool
		entries     []Entry
		want        []string
	}{
		{"V1_ties_share_place_and_points", DefaultRules(), true, v1,
			[]string{"1/100", "1/100", "3/98", "4/97", "5/95"}},
		{"V1_dense_style", dense(), true, v1,
			[]string{"1/100", "1/100", "2/99", "3/98", "4/96"}},
		{"V2_guests_take_places_not_points", DefaultRules(), true, []Entry{
			row("G12", false, "12.00", 5, "0"), row("M11", true, "11.00", 5, "0"), row("G10", false, "10.00", 5, "0"),
			row("M9", true, "9.00", 5, "0"), zero("Gz", false), zero("Mz", true)},
			[]string{"1/-", "2/100", "3/-", "4/99", "5/-", "5/97"}},
		{"V3_nobody_weighed_offsets_from_max", DefaultRules(), true, []Entry{
			zero("zero", true), buyIn, dq(zero("dq", true), false), dq(zero("dq-allowed", true), true)},
			[]string{"1/98", "2/96", "-/0", "-/97"}},
		{"V4_buy_ins_share_place", DefaultRules(), true, []Entry{
			row("M15", true, "15.00", 5, "4.00"), row("M12", true, "12.00", 5, "0"), buyIn, buyIn,
			dq(row("DQ14", true, "14.00", 5, "0"), false), dq(zero("DQ0", true), true), zero("zero", true)},
			[]string{"1/100", "2/99", "4/95", "4/95", "-/0", "-/96", "3/97"}},
		{"V5_locked_row_keeps_place_and_points", DefaultRules(), true, []Entry{
			row("M15", true, "15.00", 5, "3.00"), locked, row("M13", true, "13.00", 5, "3.00")},
			[]string{"1/100", "9/50", "3/99"}},
		{"V6_points_do_not_count", DefaultRules(), false, []Entry{
			row("M10", true, "10.00", 5, "0"), row("M9", true, "9.00", 5, "0")},
			[]string{"1/-", "2/-"}},
		{"V7_guests_consume_no_points_slot", DefaultRules(), true, v7,
			[]string{"11/95", "10/-", "9/96", "8/-", "7/97", "6/-", "5/98", "4/-", "3/99", "2/-", "1/100"}},
		{"V8_default_chain_fish_first", DefaultRules(), true, v8, []string{"1/100", "2/99"}},
		{"V8_chain_big_bass_first", bigBassFirst(), true, v8, []string{"2/99", "1/100"}},
	}
	for _, tc := range tables {
		t.Run(tc.name, func(t *testing.T) {
			got := placesPoints(score(t, tc.rules, tc.pointsCount, tc.entries...))
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("place/points (-want +got):\n%s", d)
			}
		})
	}

	checks := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"V8_tie_explanation", testV8Explanation},
		{"V9_dead_fish_penalty_from_gross", testV9},
		{"V10_late_penalty_and_dq", testV10},
		{"V11_payouts_and_big_bass_carry", testV11},
		{"V12_tied_first_splits_prizes", testV12},
		{"V13_carried_pot_won_at_minimum", testV13},
		{"V14_guest_big_bass_does_not_win_pot", testV14},
		{"V15_boat_totals", testV15},
		{"V16_boat_with_dq_angler", testV16},
		{"V17_season_views", testV17},
		{"V18_length_weight_table", testV18},
		{"V19_payout_parts_must_add_up", testV19},
	}
	for _, c := range checks {
		t.Run(c.name, c.run)
	}
}

func testV8Explanation(t *testing.T) {
	o := score(t, DefaultRules(), true, row("A", true, "12.00", 5, "4.00"), row("B", true, "12.00", 4, "5.00"))
	got := []string{o.Results[0].Ties[0].String(), o.Results[1].Ties[0].String()}
	want := []string{"tied on 12.00 lb — won on 5 fish vs 4", "tied on 12.00 lb — lost on 4 fish vs 5"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ties (-want +got):\n%s", d)
	}
	o = score(t, DefaultRules(), true, row("A", true, "12.00", 5, "4.10"), row("B", true, "12.00", 5, "5.00"))
	if got, want := o.Results[0].Ties[0].String(), "tied on 12.00 lb and 5 fish — lost on big bass 4.10 vs 5.00"; got != want {
		t.Errorf("A: got %q, want %q", got, want)
	}
}

func testV9(t *testing.T) {
	e := row("A", true, "12.00", 5, "3.00")
	for dead, net := range map[int]string{1: "11.75", 2: "11.50"} {
		e.Dead = dead
		r := score(t, DefaultRules(), true, e).Results[0]
		if r.Net != w(net) || r.Penalty != w("0.25")*Weight(dead) {
			t.Errorf("dead %d: penalty %s net %s, want net %s", dead, r.Penalty, r.Net, net)
		}
	}
}

func testV10(t *testing.T) {
	late := row("late16", true, "10.00", 5, "2.00")
	late.LateMinutes = 16
	ok := row("late3", true, "10.00", 5, "2.00")
	ok.LateMinutes = 3
	o := score(t, DefaultRules(), true, late, ok)
	if r := o.Results[0]; !r.DQ || r.DQReason != "late" || r.Place != 0 {
		t.Errorf("16 min late: DQ %v reason %q place %d, want DQ late no place", r.DQ, r.DQReason, r.Place)
	}
	if r := o.Results[1]; r.DQ || r.Penalty != w("3.00") || r.Net != w("7.00") {
		t.Errorf("3 min late: DQ %v penalty %s net %s, want 3.00 / 7.00", r.DQ, r.Penalty, r.Net)
	}
}

// sevenAnglers is V11's field: distinct weights, no bass reaches 5.00.
func sevenAnglers(t *testing.T, tieFirst bool) Outcome {
	var es []Entry
	for i, g := range []string{"14.00", "13.00", "12.00", "11.00", "10.00", "9.00", "8.00"} {
		es = append(es, row(string(rune('A'+i)), true, g, 5, "4.00"))
	}
	if tieFirst {
		es[1].Gross = w("14.00")
	}
	return score(t, DefaultRules(), true, es...)
}

func amounts(ps []Prize) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name+" "+p.Amount.String())
	}
	return out
}

func testV11(t *testing.T) {
	p, err := Pay(sevenAnglers(t, false), DefaultPayouts(), Carry{})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{p.Club.String(), p.Total.String(), p.Charity.String(), p.BigBass.Total.String(), p.BigBass.CarryOut.Amount.String()}
	if d := cmp.Diff([]string{"$21.00", "$175.00", "$14.00", "$28.00", "$28.00"}, got); d != "" {
		t.Errorf("club, total, charity, pot, carried (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"A $49.00", "B $35.00", "C $28.00"}, amounts(p.Places)); d != "" {
		t.Errorf("places (-want +got):\n%s", d)
	}
	if len(p.BigBass.Winners) != 0 {
		t.Errorf("big bass winners %v, want none", p.BigBass.Winners)
	}
}

func testV12(t *testing.T) {
	p, err := Pay(sevenAnglers(t, true), DefaultPayouts(), Carry{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"A $42.00", "B $42.00", "C $28.00"}, amounts(p.Places)); d != "" {
		t.Errorf("places (-want +got):\n%s", d)
	}
}

func testV13(t *testing.T) {
	first := pay(t, sevenAnglers(t, false), DefaultPayouts(), Carry{})
	var es []Entry
	for i := range 8 {
		es = append(es, row(string(rune('A'+i)), true, "9.00", 5, "3.00"))
	}
	es[5].BigBass = w("5.00")
	pot := pay(t, score(t, DefaultRules(), true, es...), DefaultPayouts(), first.BigBass.CarryOut).BigBass
	if pot.Own != 32_00 || pot.Carried.Amount != 28_00 || pot.Total != 60_00 || pot.CarryOut.Amount != 0 {
		t.Errorf("pot own %s carried %s total %s carry-out %s, want $32/$28/$60/$0", pot.Own, pot.Carried.Amount, pot.Total, pot.CarryOut.Amount)
	}
	if d := cmp.Diff([]string{"F $60.00"}, amounts(pot.Winners)); d != "" {
		t.Errorf("winners (-want +got):\n%s", d)
	}
	if got, want := pot.String(), "pot $60.00 (incl. $28.00 carried over from T)"; got != want {
		t.Errorf("pot text %q, want %q", got, want)
	}
}

func testV14(t *testing.T) {
	o := score(t, DefaultRules(), true, row("Guest", false, "12.00", 5, "8.00"), row("Member", true, "10.00", 5, "4.00"))
	if len(o.BigBass.Winners) != 0 {
		t.Errorf("winners %v, want none", o.BigBass.Winners)
	}
	if d := cmp.Diff([]int64{1}, o.BigBass.Day); d != "" || o.BigBass.DayWeight != w("8.00") {
		t.Errorf("biggest of the day %v %s, want guest 8.00", o.BigBass.Day, o.BigBass.DayWeight)
	}
	p := pay(t, o, DefaultPayouts(), Carry{})
	if p.BigBass.CarryOut.Amount != 8_00 {
		t.Errorf("carry-out %s, want $8.00", p.BigBass.CarryOut.Amount)
	}
}

// boatTournament puts a and b in boat 10 and a solo angler in boat 11.
func boatTournament(a, b Entry) Tournament {
	solo := row("Solo", true, "5.00", 3, "2.00")
	a.ID, b.ID, solo.ID = 1, 2, 3
	return Tournament{ID: 1, Name: "T", PointsCount: true, Entries: []Entry{a, b, solo},
		Boats: []Boat{{ID: 10, Anglers: []int64{1, 2}}, {ID: 11, Anglers: []int64{3}}}}
}

func testV15(t *testing.T) {
	a, b := row("A", true, "10.00", 5, "3.00"), row("B", true, "8.00", 4, "4.00")
	a.Dead, b.Dead = 1, 2
	o, err := Score(DefaultRules(), boatTournament(a, b))
	if err != nil {
		t.Fatal(err)
	}
	bt := o.Boats[0]
	if bt.Net != w("17.25") || bt.Fish != 9 || bt.Dead != 3 || bt.BigBass != w("4.00") || bt.Place != 1 || bt.Pointed {
		t.Errorf("boat net %s fish %d dead %d bb %s place %d pointed %v, want 17.25/9/3/4.00/1/no points",
			bt.Net, bt.Fish, bt.Dead, bt.BigBass, bt.Place, bt.Pointed)
	}
}

func testV16(t *testing.T) {
	a, b := row("A", true, "20.00", 5, "3.00"), row("B", true, "8.00", 4, "4.00")
	b.DQ, b.DQReason = true, "no life jacket"
	o, err := Score(DefaultRules(), boatTournament(a, b))
	if err != nil {
		t.Fatal(err)
	}
	if bt := o.Boats[0]; !bt.DQ || bt.Place != 0 {
		t.Errorf("boat DQ %v place %d, want DQ without place", bt.DQ, bt.Place)
	}
	p := pay(t, o, DefaultPayouts(), Carry{})
	for _, pr := range p.Places {
		if pr.ID == 10 {
			t.Errorf("DQ boat paid %s", pr.Amount)
		}
	}
	if d := cmp.Diff([]string{"Solo $21.00"}, amounts(p.Places)); d != "" {
		t.Errorf("places (-want +got):\n%s", d)
	}
}

func testV18(t *testing.T) {
	var got []string
	for _, in := range []string{"14.5", "14 1/2", "9.875", "31"} {
		l, err := ParseLength(in)
		if err != nil {
			t.Fatalf("ParseLength(%q): %v", in, err)
		}
		got = append(got, WeightOf(l).String())
	}
	for _, in := range []string{"1.12", "1.13", "20.0"} {
		got = append(got, LengthOf(w(in)).Decimal())
	}
	want := []string{"1.63", "1.63", "0.00", "18.00", "12.875", "13.0", "30.0"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func testV19(t *testing.T) {
	s := PayoutSchedule{FeeBasis: PerAngler, EntryFee: 25_00, Club: 3_00, Places: []Cents{7_00, 5_00, 4_00}, Charity: 2_00, BigBass: 3_00}
	err := s.Validate()
	es, ok := err.(Errors)
	if !ok || es.For("entry_fee") != "parts add up to $24.00, entry fee is $25.00" {
		t.Errorf("Validate = %v, want entry_fee: parts add up to $24.00, entry fee is $25.00", err)
	}
	if err := DefaultPayouts().Validate(); err != nil {
		t.Errorf("default schedule refused: %v", err)
	}
	if !strings.Contains(err.Error(), "parts add up to $24.00, entry fee is $25.00") {
		t.Errorf("error text %q", err)
	}
}
