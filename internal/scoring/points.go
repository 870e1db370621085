package scoring

// assignPoints applies spec §3.4 to a ranking. Only members are pointed; guests
// neither get points nor consume a points slot. Locked rows keep their stored points
// (applyLocks) and consume no slot either.
func assignPoints(r RuleSet, rk ranking) {
	give := func(u *unit, pts int) {
		u.s.Points, u.s.Pointed = max(pts, 0), true
	}
	pointable := func(u *unit) bool { return u.member && u.lock == nil }

	last, pts, ahead := r.MaxPoints, 0, 0
	var zeros []*unit
	for _, g := range rk.groups {
		var weighed []*unit
		for _, u := range g {
			switch {
			case !pointable(u):
			case u.s.Fish > 0:
				weighed = append(weighed, u)
			default:
				zeros = append(zeros, u)
			}
		}
		if len(weighed) == 0 {
			continue
		}
		switch {
		case ahead == 0:
			pts = r.MaxPoints
		case r.PlaceStyle == Dense:
			pts--
		default:
			pts = r.MaxPoints - ahead
		}
		for _, u := range weighed {
			give(u, pts)
		}
		ahead += len(weighed)
		last = max(pts, 0)
	}
	for _, u := range zeros {
		give(u, last-r.ZeroOffset)
	}
	for _, u := range rk.buyIns {
		if pointable(u) {
			give(u, last-r.BuyInOffset)
		}
	}
	for _, u := range rk.dqs {
		switch {
		case !pointable(u):
		case u.dqPointsAllowed:
			give(u, last-r.DQOffset)
		default:
			give(u, 0)
		}
	}
}

// applyLocks gives locked rows their stored place and, for members when points count,
// their stored points. It runs after ranking so the row has occupied its computed slot.
// A lock never points a guest: the bylaws give guests no points.
func applyLocks(us []*unit, pointsCount bool) {
	for _, u := range us {
		if u.lock == nil {
			continue
		}
		u.s.Locked = true
		u.s.Place = u.lock.Place
		if pointsCount && u.member {
			u.s.Points, u.s.Pointed = u.lock.Points, true
		}
	}
}
