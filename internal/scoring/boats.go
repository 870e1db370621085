package scoring

import (
	"cmp"
	"slices"
	"strings"
)

// deriveBoats builds individual-format boats from their anglers' scored results
// (spec §3.5): sums of fish, dead, gross, penalty and net, the biggest bass, DQ when
// any angler is DQ, buy-in when all are. Boats are placed but never pointed.
func deriveBoats(r RuleSet, boats []Boat, anglers []*unit) []BoatResult {
	byID := unitsByID(anglers)
	out := make([]BoatResult, len(boats))
	us := make([]*unit, len(boats))
	for i, b := range boats {
		crew := crewOf(b, byID)
		s := Scored{BuyIn: true}
		for _, a := range crew {
			s.Fish += a.s.Fish
			s.Dead += a.s.Dead
			s.Gross += a.s.Gross
			s.Penalty += a.s.Penalty
			s.Net += a.s.Net
			s.BigBass = max(s.BigBass, a.s.BigBass)
			s.BuyIn = s.BuyIn && a.s.BuyIn
			if a.s.DQ && !s.DQ {
				s.DQ, s.DQReason = true, a.s.DQReason+" ("+a.name+")"
			}
		}
		s.BuyIn = s.BuyIn && !s.DQ
		out[i] = boatResult(b, crew, s)
		us[i] = boatUnit(&out[i], b.WeighIn)
	}
	rank(r, us)
	return out
}

// scoreTeams scores team-format boats on their own weigh-in (spec §3.5): places, and
// points when they count, with a boat counting as a member boat if any angler was a
// member. Each member angler then receives the boat's numbers and points; an angler
// in no boat gets no place. It returns the boats and their units for big bass.
func scoreTeams(r RuleSet, t Tournament, anglers []*unit) ([]BoatResult, []*unit) {
	byID := unitsByID(anglers)
	out := make([]BoatResult, len(t.Boats))
	us := make([]*unit, len(t.Boats))
	for i, b := range t.Boats {
		crew := crewOf(b, byID)
		out[i] = boatResult(b, crew, scoreEntry(r, b.WeighIn))
		us[i] = boatUnit(&out[i], b.WeighIn)
	}
	rk := rank(r, us)
	if t.PointsCount {
		assignPoints(r, rk)
	}
	applyLocks(us, t.PointsCount)

	boatOf := map[int64]*BoatResult{}
	for i := range out {
		for _, id := range out[i].Anglers {
			boatOf[id] = &out[i]
		}
	}
	for _, a := range anglers {
		b := boatOf[a.id]
		if b == nil {
			*a.s = Scored{Order: len(anglers)}
			continue
		}
		*a.s = b.Scored
		a.s.Pointed = b.Pointed && a.member
		a.s.Points = 0
		if a.s.Pointed {
			a.s.Points = b.Points
		}
	}
	// Anglers are displayed in their boat's order, then by name.
	sorted := slices.Clone(anglers)
	slices.SortFunc(sorted, func(a, b *unit) int { return cmp.Or(cmp.Compare(a.s.Order, b.s.Order), compareNames(a, b)) })
	for i, a := range sorted {
		a.s.Order = i
	}
	return out, us
}

func unitsByID(us []*unit) map[int64]*unit {
	m := make(map[int64]*unit, len(us))
	for _, u := range us {
		m[u.id] = u
	}
	return m
}

func crewOf(b Boat, byID map[int64]*unit) []*unit {
	crew := make([]*unit, 0, len(b.Anglers))
	for _, id := range b.Anglers {
		crew = append(crew, byID[id])
	}
	return crew
}

func boatResult(b Boat, crew []*unit, s Scored) BoatResult {
	names := make([]string, len(crew))
	sorts := make([]string, len(crew))
	member := false
	for i, a := range crew {
		names[i], sorts[i] = a.name, a.sortName
		member = member || a.member
	}
	return BoatResult{ID: b.ID, Name: strings.Join(names, " / "), SortName: strings.Join(sorts, " / "),
		Anglers: b.Anglers, Member: member, Scored: s}
}

func boatUnit(b *BoatResult, w Entry) *unit {
	return &unit{id: b.ID, name: b.Name, sortName: b.SortName, member: b.Member,
		dqPointsAllowed: w.DQPointsAllowed, lock: w.Locked, s: &b.Scored}
}
