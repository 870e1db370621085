package scoring

import "slices"

// BigBass is a tournament's big-bass outcome (spec §3.6). In team format the rows
// are boats (the boat weighed the fish); otherwise angler entries.
type BigBass struct {
	OnBoats bool
	Weight  Weight  // the winning weight; 0 when nobody qualified
	Winners []int64 // IDs sharing the pot, by name; empty when the pot carries over
	// Biggest bass of the day: anyone (members, guests, DQ'd or buy-in rows with a
	// weighed fish), shown separately from the pot.
	DayWeight Weight
	Day       []int64
}

// bigBass picks the pot winners (members, not DQ, not buy-in, at least the minimum,
// which is inclusive) and the biggest bass of the day (anyone, spec §3.6). Equal
// weights share.
func bigBass(r RuleSet, us []*unit) BigBass {
	sorted := slices.Clone(us)
	slices.SortFunc(sorted, compareNames)
	var bb BigBass
	for _, u := range sorted {
		w := u.s.BigBass
		if w == 0 {
			continue
		}
		bb.DayWeight, bb.Day = heaviest(bb.DayWeight, bb.Day, w, u.id)
		if u.member && !u.s.DQ && !u.s.BuyIn && w >= r.BigBassMin {
			bb.Weight, bb.Winners = heaviest(bb.Weight, bb.Winners, w, u.id)
		}
	}
	return bb
}

// heaviest folds one fish into the current best weight and its holders.
func heaviest(best Weight, ids []int64, w Weight, id int64) (Weight, []int64) {
	switch {
	case w > best:
		return w, []int64{id}
	case w == best:
		return best, append(ids, id)
	}
	return best, ids
}
