package scoring

import (
	"cmp"
	"fmt"
	"slices"
)

// FeeBasis says what one entry fee pays for.
type FeeBasis string

const (
	PerAngler FeeBasis = "per-angler"
	PerBoat   FeeBasis = "per-boat"
)

// PayoutSchedule is one season's split of the entry fee (spec §3.7). Every part is
// per fee unit; each pot is the part times the number of fees paid.
type PayoutSchedule struct {
	FeeBasis FeeBasis `json:"fee_basis"`
	EntryFee Cents    `json:"entry_fee"`
	Places   []Cents  `json:"places"` // 1st, 2nd, 3rd…
	Club     Cents    `json:"club"`
	Charity  Cents    `json:"charity"`
	BigBass  Cents    `json:"big_bass"`
}

// DefaultPayouts is the club's schedule: $25 per angler = $7/$5/$4 + club $3 +
// charity $2 + big bass $4.
func DefaultPayouts() PayoutSchedule {
	return PayoutSchedule{FeeBasis: PerAngler, EntryFee: 25_00, Places: []Cents{7_00, 5_00, 4_00},
		Club: 3_00, Charity: 2_00, BigBass: 4_00}
}

// Validate refuses a schedule whose parts do not add up to the fee, with the numbers
// in the message: "parts add up to $24.00, entry fee is $25.00".
func (p PayoutSchedule) Validate() error {
	var es Errors
	if p.FeeBasis != PerAngler && p.FeeBasis != PerBoat {
		es.add("fee_basis", fmt.Sprintf("%q is not per-angler or per-boat", p.FeeBasis))
	}
	sum := p.Club + p.Charity + p.BigBass
	negative := p.EntryFee < 0 || p.Club < 0 || p.Charity < 0 || p.BigBass < 0
	for _, c := range p.Places {
		sum += c
		negative = negative || c < 0
	}
	switch {
	case negative:
		es.add("entry_fee", "amounts must not be negative")
	case sum != p.EntryFee:
		es.add("entry_fee", fmt.Sprintf("parts add up to %s, entry fee is %s", sum, p.EntryFee))
	}
	return es.orNil()
}

// TieSplitRule is the payout tie rule in the words the tournament page prints.
const TieSplitRule = "Tied anglers or boats share the prizes of the positions they occupy " +
	"(one position each, whatever the place style), split equally to the cent; " +
	"leftover cents go to the earliest by name. A unit must weigh a fish to be paid; " +
	"place money nobody can take goes to the club."

// Carry is big-bass money carried into a tournament and the tournaments it came from.
type Carry struct {
	Amount Cents
	From   []string // tournament names, oldest first
}

// Prize is money paid to one prize unit (a boat, or an angler when there are no boats).
type Prize struct {
	ID     int64 // entry or boat ID, per Payouts.OnBoats
	Name   string
	Place  int // the place shown
	Amount Cents
	Shared int // how many units split this money (1 = not shared)
}

// BigBassPot is the big-bass money of one tournament.
type BigBassPot struct {
	Own      Cents // this tournament's part × fees
	Carried  Carry // what came in from earlier tournaments
	Total    Cents
	Winners  []Prize
	CarryOut Carry // passed to the next tournament by date; zero when won
}

// Payouts is who gets what in one tournament.
type Payouts struct {
	Fees      int  // N: fees paid (anglers or boats per the fee basis)
	OnBoats   bool // prizes are paid to boats
	Total     Cents
	Club      Cents // the club's part, not counting Unawarded
	Charity   Cents
	PlacePot  Cents
	Places    []Prize // in ranking order
	Unawarded Cents   // place money with no eligible unit; goes to the club
	BigBass   BigBassPot
}

// Pay splits a scored tournament's entry fees (spec §3.7). carried is the previous
// tournament's BigBass.CarryOut (by date); the caller walks tournaments in date
// order, which is the whole carry-over chain.
func Pay(o Outcome, s PayoutSchedule, carried Carry) (Payouts, error) {
	if err := s.Validate(); err != nil {
		return Payouts{}, err
	}
	p := Payouts{Fees: len(o.Results), OnBoats: len(o.Boats) > 0}
	if s.FeeBasis == PerBoat && p.OnBoats {
		// Per-boat without boats keeps counting anglers: each fished as a boat of one.
		p.Fees = len(o.Boats)
	}
	n := Cents(p.Fees)
	p.Total, p.Club, p.Charity = s.EntryFee*n, s.Club*n, s.Charity*n
	prizes := make([]Cents, len(s.Places))
	for i, c := range s.Places {
		prizes[i] = c * n
		p.PlacePot += prizes[i]
	}
	p.Places, p.Unawarded = payPlaces(placeUnits(o), prizes)

	pot := &p.BigBass
	pot.Own, pot.Carried = s.BigBass*n, carried
	pot.Total = pot.Own + carried.Amount
	var winners []prizeUnit
	for _, u := range unitsOf(o, o.BigBass.OnBoats) {
		if slices.Contains(o.BigBass.Winners, u.id) {
			winners = append(winners, u)
		}
	}
	if len(winners) == 0 {
		pot.CarryOut = Carry{pot.Total, append(slices.Clip(carried.From), o.Name)}
	} else {
		pot.Winners = split(winners, pot.Total)
	}
	return p, nil
}

type prizeUnit struct {
	id             int64
	name, sortName string
	s              *Scored
}

// unitsOf lists the boats or the angler results of an outcome.
func unitsOf(o Outcome, boats bool) []prizeUnit {
	us := make([]prizeUnit, 0, max(len(o.Boats), len(o.Results)))
	if boats {
		for i := range o.Boats {
			b := &o.Boats[i]
			us = append(us, prizeUnit{b.ID, b.Name, b.SortName, &b.Scored})
		}
		return us
	}
	for i := range o.Results {
		r := &o.Results[i]
		us = append(us, prizeUnit{r.ID, r.Name, r.SortName, &r.Scored})
	}
	return us
}

// placeUnits lists, in ranking order, the units that may take place money: boats
// when the tournament has boats, else anglers; not DQ, not buy-in, and with a fish
// weighed (a club pays for a catch, not for showing up).
func placeUnits(o Outcome) []prizeUnit {
	var paid []prizeUnit
	for _, u := range unitsOf(o, len(o.Boats) > 0) {
		if !u.s.DQ && !u.s.BuyIn && u.s.Fish > 0 {
			paid = append(paid, u)
		}
	}
	slices.SortFunc(paid, func(a, b prizeUnit) int { return cmp.Compare(a.s.Order, b.s.Order) })
	return paid
}

// payPlaces walks the paid units one position each; a tie group (same computed
// place) shares the prizes of the positions it occupies. A lock changes only the
// locked row's shown place, never who ties with whom (spec §3.3 step 6).
func payPlaces(units []prizeUnit, prizes []Cents) ([]Prize, Cents) {
	var out []Prize
	pos := 0
	for i := 0; i < len(units) && pos < len(prizes); {
		j := i + 1
		for j < len(units) && units[j].s.RankPlace == units[i].s.RankPlace {
			j++
		}
		var sum Cents
		for k := pos; k < pos+(j-i) && k < len(prizes); k++ {
			sum += prizes[k]
		}
		out = append(out, split(units[i:j], sum)...)
		pos += j - i
		i = j
	}
	var left Cents
	for k := pos; k < len(prizes); k++ {
		left += prizes[k]
	}
	return out, left
}

// split shares amount equally in cents; leftover cents go to the earliest by name.
// Each prize carries its unit's shown place.
func split(us []prizeUnit, amount Cents) []Prize {
	byName := slices.Clone(us)
	slices.SortFunc(byName, func(a, b prizeUnit) int {
		return cmp.Or(cmp.Compare(a.sortName, b.sortName), cmp.Compare(a.id, b.id))
	})
	k := Cents(len(us))
	out := make([]Prize, len(us))
	for i, u := range byName {
		out[i] = Prize{ID: u.id, Name: u.name, Place: u.s.Place, Amount: amount / k, Shared: len(us)}
		if Cents(i) < amount%k {
			out[i].Amount++
		}
	}
	return out
}

// AnglerPrizes is every angler's money in one tournament: prizes paid to the
// angler, plus an equal share of each prize paid to their boat (leftover cents to
// the earliest by name, as in any split). Summed over anglers it is exactly the
// money paid out to units. Anglers who won nothing are absent.
func AnglerPrizes(o Outcome, p Payouts) map[int64]Cents {
	anglers := map[int64]prizeUnit{}
	for _, u := range unitsOf(o, false) {
		anglers[u.id] = u
	}
	crews := map[int64][]prizeUnit{}
	for _, b := range o.Boats {
		for _, id := range b.Anglers {
			crews[b.ID] = append(crews[b.ID], anglers[id])
		}
	}
	out := map[int64]Cents{}
	credit := func(onBoats bool, prizes []Prize) {
		for _, pr := range prizes {
			if !onBoats {
				out[pr.ID] += pr.Amount
				continue
			}
			for _, share := range split(crews[pr.ID], pr.Amount) {
				out[share.ID] += share.Amount
			}
		}
	}
	credit(p.OnBoats, p.Places)
	credit(o.BigBass.OnBoats, p.BigBass.Winners)
	return out
}

// String is the line the tournament page prints, e.g.
// "pot $60.00 (incl. $28.00 carried over from March Madness)".
func (p BigBassPot) String() string {
	s := "pot " + p.Total.String()
	if p.Carried.Amount > 0 {
		s += fmt.Sprintf(" (incl. %s carried over from %s)", p.Carried.Amount, joinAnd(p.Carried.From))
	}
	return s
}
