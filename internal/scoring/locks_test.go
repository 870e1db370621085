package scoring

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Issue 13: a lock changes only the locked row's shown place and points; money
// follows the computed slots (spec §3.3 step 6, §3.7).

// payLocked pays members A, B, C… with the given gross weights (5 fish, bass
// 4.00 each, default payouts), B carrying lock.
func payLocked(t *testing.T, lock *Lock, grosses ...string) Payouts {
	t.Helper()
	var es []Entry
	for i, g := range grosses {
		es = append(es, row(string(rune('A'+i)), true, g, 5, "4.00"))
	}
	es[1].Locked = lock
	p, err := Pay(score(t, DefaultRules(), true, es...), DefaultPayouts(), Carry{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLockingSlowerAnglerToFirstLeavesLeadersMoney(t *testing.T) {
	// V11's field (A 14 … G 8 lb, seven fees): A $49, B $35, C $28 unlocked.
	// B locked to 1st must not make B share A's place money.
	p := payLocked(t, &Lock{Place: 1, Points: 100}, "14.00", "13.00", "12.00", "11.00", "10.00", "9.00", "8.00")
	if d := cmp.Diff([]string{"A $49.00", "B $35.00", "C $28.00"}, amounts(p.Places)); d != "" {
		t.Errorf("places (-want +got):\n%s", d)
	}
	if got := p.Places[1]; got.Place != 1 || got.Shared != 1 {
		t.Errorf("locked B's prize shows place %d shared by %d, want its locked place 1, not shared", got.Place, got.Shared)
	}
}

func TestLockingTiedAnglerApartKeepsTheSplit(t *testing.T) {
	// A and B tie for 1st and share $49 + $35; locking B to 3rd shows 3rd but the
	// two still occupy the first two positions together.
	p := payLocked(t, &Lock{Place: 3, Points: 98}, "14.00", "14.00", "12.00", "11.00", "10.00", "9.00", "8.00")
	if d := cmp.Diff([]string{"A $42.00", "B $42.00", "C $28.00"}, amounts(p.Places)); d != "" {
		t.Errorf("places (-want +got):\n%s", d)
	}
}

func TestBiggestBassOfTheDayCountsDisqualifiedAnglers(t *testing.T) {
	dq := row("Dee", true, "12.00", 5, "8.25")
	dq.DQ, dq.DQReason = true, "no life jacket"
	o := score(t, DefaultRules(), true, dq, row("Max", true, "10.00", 5, "5.22"))
	if d := cmp.Diff([]int64{1}, o.BigBass.Day); d != "" || o.BigBass.DayWeight != w("8.25") {
		t.Errorf("biggest of the day %v %s, want Dee's 8.25 (anyone, spec §3.6)", o.BigBass.Day, o.BigBass.DayWeight)
	}
	if d := cmp.Diff([]int64{2}, o.BigBass.Winners); d != "" {
		t.Errorf("pot winners %v, want Max only: a DQ'd angler never takes the pot", o.BigBass.Winners)
	}
}

func TestAnglerPrizesShareTheirBoatsPlaceMoney(t *testing.T) {
	// Individual format with boats: place money goes to boats, and each angler's
	// prize is their share of it. $3.03 to boat A/B splits $1.52 (A, first by name)
	// and $1.51; the solo boat's second place has no prize in this schedule.
	a, b := row("A", true, "10.00", 5, "3.00"), row("B", true, "8.00", 4, "4.00")
	o, err := Score(DefaultRules(), boatTournament(a, b))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Pay(o, PayoutSchedule{FeeBasis: PerAngler, EntryFee: 1_01, Places: []Cents{1_01}}, Carry{})
	if err != nil {
		t.Fatal(err)
	}
	got := AnglerPrizes(o, p)
	if d := cmp.Diff(map[int64]Cents{1: 1_52, 2: 1_51}, got); d != "" {
		t.Errorf("angler prizes (-want +got):\n%s", d)
	}
}

func TestAnglerPrizesShareTeamBigBass(t *testing.T) {
	// Team format: the boat weighed the big bass, so both anglers share the pot.
	tt := boatTournament(row("A", true, "0", 0, "0"), row("B", true, "0", 0, "0"))
	tt.Format = Team
	tt.Boats[0].WeighIn = row("", true, "15.00", 5, "5.00")
	tt.Boats[1].WeighIn = row("", true, "9.00", 5, "2.00")
	o, err := Score(DefaultRules(), tt)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Pay(o, PayoutSchedule{FeeBasis: PerBoat, EntryFee: 3_00, Places: []Cents{2_00}, BigBass: 1_00}, Carry{})
	if err != nil {
		t.Fatal(err)
	}
	// Two boats: place pot $4.00 to boat A/B, big-bass pot $2.00 to the same boat.
	if d := cmp.Diff(map[int64]Cents{1: 3_00, 2: 3_00}, AnglerPrizes(o, p)); d != "" {
		t.Errorf("angler prizes (-want +got):\n%s", d)
	}
}

func TestTeamAverageWeightIsPerAnglerWhoWeighed(t *testing.T) {
	// Boat A/B 15.00 lb and solo boat 9.00 lb: 24.00 lb over three anglers = 8.00,
	// not 12.00 per boat (spec §3.8 "average weight per angler who weighed").
	tt := boatTournament(row("A", true, "0", 0, "0"), row("B", true, "0", 0, "0"))
	tt.Format = Team
	tt.Boats[0].WeighIn = row("", true, "15.00", 5, "5.00")
	tt.Boats[1].WeighIn = row("", true, "9.00", 5, "2.00")
	o, err := Score(DefaultRules(), tt)
	if err != nil {
		t.Fatal(err)
	}
	if st := Stats(o); st.AverageWeight != w("8.00") || st.Boats != 2 || st.Anglers != 3 {
		t.Errorf("average %s over %d boats / %d anglers, want 8.00 over 2 / 3", st.AverageWeight, st.Boats, st.Anglers)
	}
}
