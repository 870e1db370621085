package scoring

import (
	"fmt"
	"strconv"
)

// Tournament is everything one tournament's outcome depends on besides the rules.
type Tournament struct {
	ID          int64
	Name        string // shown in carry-over text ("carried over from <Name>")
	Format      Format // "" means Individual
	PointsCount bool
	FishLimit   int // tournament override; 0 = the season's limit
	Entries     []Entry
	Boats       []Boat
}

// Boat pairs one or two anglers (by Entry ID). In team format WeighIn is the boat's
// weigh-in; its ID, Name and Member are taken from the boat and its anglers.
type Boat struct {
	ID      int64
	Anglers []int64
	WeighIn Entry
}

// Outcome is a scored tournament. Results and Boats are in input order.
type Outcome struct {
	TournamentID int64
	Name         string
	Format       Format
	FishLimit    int // the limit that applied to one weigh-in row
	Results      []Result
	Boats        []BoatResult
	BigBass      BigBass
}

// Result is one angler's outcome. In team format it mirrors the angler's boat, with
// points only when the angler was a member; an angler in no boat gets no place.
type Result struct {
	ID       int64
	Name     string
	SortName string // Entry.SortName, or Name
	Member   bool
	BoatID   int64 // 0 when the angler is in no boat
	Scored
}

// BoatResult is one boat's outcome.
type BoatResult struct {
	ID       int64
	Name     string  // "Ann Lee / Bob Roe"
	SortName string  // the anglers' sort names joined
	Anglers  []int64 // Entry IDs, as given
	Member   bool    // any angler was a member
	Scored
}

// Score computes a tournament's outcome (spec §3.2–§3.6). It refuses invalid rules
// or rows with Errors naming each field ("entries[2].dead"); the heavy-weight
// confirmation is a form concern (ValidateEntry) and is not rechecked here.
func Score(r RuleSet, t Tournament) (Outcome, error) {
	if err := validateTournament(r, t); err != nil {
		return Outcome{}, err
	}
	o := Outcome{TournamentID: t.ID, Name: t.Name, Format: t.Format, FishLimit: r.FishLimitFor(t.Format, t.FishLimit)}
	if o.Format == "" {
		o.Format = Individual
	}
	o.Results = make([]Result, len(t.Entries))
	units := make([]*unit, len(t.Entries))
	for i, e := range t.Entries {
		o.Results[i] = Result{ID: e.ID, Name: e.Name, SortName: sortName(e), Member: e.Member}
		if o.Format == Individual {
			o.Results[i].Scored = scoreEntry(r, e)
		}
		units[i] = &unit{id: e.ID, name: e.Name, sortName: sortName(e), member: e.Member,
			dqPointsAllowed: e.DQPointsAllowed, lock: e.Locked, s: &o.Results[i].Scored}
	}
	if o.Format == Individual {
		rk := rank(r, units)
		if t.PointsCount {
			assignPoints(r, rk)
		}
		applyLocks(units, t.PointsCount)
		o.Boats = deriveBoats(r, t.Boats, units)
		o.BigBass = bigBass(r, units)
	} else {
		var boatUnits []*unit
		o.Boats, boatUnits = scoreTeams(r, t, units)
		o.BigBass = bigBass(r, boatUnits)
		o.BigBass.OnBoats = true
	}
	index := make(map[int64]int, len(o.Results))
	for i, res := range o.Results {
		index[res.ID] = i
	}
	for _, b := range o.Boats {
		for _, id := range b.Anglers {
			o.Results[index[id]].BoatID = b.ID
		}
	}
	return o, nil
}

// validateTournament checks the rules, the format, every row and the boat pairing,
// returning all problems at once.
func validateTournament(r RuleSet, t Tournament) error {
	if err := r.Validate(); err != nil {
		return err.(Errors).prefixed("rules.")
	}
	var es Errors
	if t.Format != "" && t.Format != Individual && t.Format != Team {
		es.add("format", fmt.Sprintf("%q is not individual or team", t.Format))
	}
	if t.FishLimit < 0 || t.FishLimit > 50 {
		es.add("fish_limit", "must be between 0 (season limit) and 50")
	}
	limit := r.FishLimitFor(t.Format, t.FishLimit)
	seen := make(map[int64]bool, len(t.Entries))
	for i, e := range t.Entries {
		if seen[e.ID] {
			es.add(fmt.Sprintf("entries[%d].id", i), fmt.Sprintf("id %d is used twice", e.ID))
		}
		seen[e.ID] = true
		if t.Format == Team {
			continue // the anglers' rows only record participation
		}
		if bad := checkEntry(e, limit); len(bad) > 0 {
			es = append(es, bad.prefixed(fmt.Sprintf("entries[%d].", i))...)
		}
	}
	inBoat := map[int64]bool{}
	for i, b := range t.Boats {
		prefix := "boats[" + strconv.Itoa(i) + "]."
		if len(b.Anglers) < 1 || len(b.Anglers) > 2 {
			es.add(prefix+"anglers", "a boat has one or two anglers")
		}
		for _, id := range b.Anglers {
			switch {
			case !seen[id]:
				es.add(prefix+"anglers", fmt.Sprintf("angler %d has no entry", id))
			case inBoat[id]:
				es.add(prefix+"anglers", fmt.Sprintf("angler %d is in two boats", id))
			}
			inBoat[id] = true
		}
		if bad := checkEntry(b.WeighIn, limit); t.Format == Team && len(bad) > 0 {
			es = append(es, bad.prefixed(prefix+"weigh_in.")...)
		}
	}
	return es.orNil()
}

func sortName(e Entry) string {
	if e.SortName != "" {
		return e.SortName
	}
	return e.Name
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
