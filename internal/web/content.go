package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
)

// The club's own words: about and bylaws are markdown from the club row
// (officers edit them), rules are the season's RuleSet and PayoutSchedule
// said in plain words. Each page is one query (rules: two, with the year picker).

// aboutPage is /about/.
func (s *Server) aboutPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.clubRow(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "about", "About the club", c)
}

// bylawsPage is /bylaws/.
func (s *Server) bylawsPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.clubRow(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "bylaws", "Bylaws", c)
}

// clubRow loads the settings row; before the first setup there is none, and
// the pages then say so instead of answering 404.
func (s *Server) clubRow(r *http.Request) (club.Club, error) {
	c, err := s.Store.Club(r.Context())
	if errors.Is(err, store.ErrNotFound) {
		return club.Club{}, nil
	}
	return c, err
}

// rulesRedirect is /rules/: this season's rules (club time), or the newest
// season when this year's has not been set up yet.
func (s *Server) rulesRedirect(w http.ResponseWriter, r *http.Request) {
	year := club.Today(s.Now()).Year()
	years, err := s.Store.SeasonYears(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(years) == 0 {
		// A new club: redirecting to this year would land on a bare 404.
		s.errorPage(w, r, http.StatusNotFound, "No season has been set up yet, so there are no rules to show.")
		return
	}
	target := year
	if !containsInt(years, year) {
		target = years[0]
		for _, y := range years { // newest first: the latest season not after this year
			if y <= year {
				target = y
				break
			}
		}
	}
	http.Redirect(w, r, "/rules/"+strconv.Itoa(target)+"/", http.StatusFound)
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// ruleLine is one rule in plain words.
type ruleLine struct{ Term, Text string }

type rulesData struct {
	Year    int
	Years   []int
	Rules   []ruleLine
	AoY     []ruleLine
	Payouts []ruleLine
	TieRule string
	Text    []string // markdown: the season's rules text and the rule set's note
}

// rulesPage is /rules/{year}/.
func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request) {
	year, ok := parseYear(r.PathValue("year"))
	if !ok {
		s.notFound(w, r)
		return
	}
	sr, err := s.Store.SeasonRules(r.Context(), year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	years, err := s.Store.SeasonYears(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := rulesData{Year: year, Years: years, Rules: ruleLines(sr.Rules), AoY: aoyLines(sr.Rules),
		Payouts: payoutLines(sr.Payouts), TieRule: scoring.TieSplitRule}
	for _, t := range []string{sr.Season.RulesMD, sr.Rules.Text} {
		if strings.TrimSpace(t) != "" {
			d.Text = append(d.Text, t)
		}
	}
	s.render(w, r, http.StatusOK, "rules", fmt.Sprintf("%d rules", year), d)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

var tieWords = map[scoring.TieKey]string{scoring.TieFish: "more fish", scoring.TieBigBass: "the bigger big bass"}

var aoyWords = map[scoring.AoYKey]string{scoring.AoYTotalWeight: "more total weight",
	scoring.AoYBigBass: "the bigger biggest bass", scoring.AoYWins: "more wins"}

func chain[K comparable](keys []K, words map[K]string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = words[k]
	}
	return strings.Join(parts, ", then ")
}

// ruleLines states the tournament rules. Only the rule set's own numbers are
// printed; nothing is worked out here that the scoring engine decides.
func ruleLines(r scoring.RuleSet) []ruleLine {
	late := "No penalty for arriving late."
	if r.LatePenaltyPerMinute > 0 {
		late = fmt.Sprintf("%s lb per minute late at the weigh-in.", r.LatePenaltyPerMinute)
	}
	if r.LateDQAfterMinutes > 0 {
		late += fmt.Sprintf(" More than %s late is a disqualification.", plural(r.LateDQAfterMinutes, "minute", "minutes"))
	}
	ties := "Anglers with the same net weight share the place."
	if len(r.TieBreak) > 0 {
		ties = "Equal net weights are decided by " + chain(r.TieBreak, tieWords) +
			". Anglers still equal on all of these share the place."
	}
	style := "Places after a tie skip ahead (two tied for 1st, the next is 3rd)."
	if r.PlaceStyle == scoring.Dense {
		style = "Places after a tie continue with the next number (two tied for 1st, the next is 2nd)."
	}
	points := fmt.Sprintf("The best member weight earns %d points; each later member group earns ", r.MaxPoints)
	if r.PlaceStyle == scoring.Dense {
		points += "one point fewer than the group before it."
	} else {
		points += fmt.Sprintf("%d minus the number of members who weighed more.", r.MaxPoints)
	}
	points += " Tied members share points. Guests earn no points and do not take a points place."
	others := fmt.Sprintf("Members who weigh no fish earn %s fewer than the last member who weighed; buy-ins %s fewer; "+
		"a disqualified member earns 0, or %s fewer when the tournament director allows points.",
		plural(r.ZeroOffset, "point", "points"), plural(r.BuyInOffset, "point", "points"), plural(r.DQOffset, "point", "points"))
	return []ruleLine{
		{"Fish limit", fmt.Sprintf("%s per angler; %s per boat in team tournaments. A tournament may set its own limit.",
			plural(r.FishLimit, "fish", "fish"), plural(r.TeamFishLimit, "fish", "fish"))},
		{"Dead fish", fmt.Sprintf("Each dead fish costs %s lb.", r.DeadFishPenalty)},
		{"Late arrival", late},
		{"Net weight", "Net weight is the weighed (gross) weight minus penalties, never below zero."},
		{"Ties", ties + " " + style},
		{"Points", points},
		{"No fish, buy-ins, disqualifications", others},
		{"Big bass", fmt.Sprintf("The big-bass pot goes to the heaviest bass of at least %s lb (%s lb counts) caught by a member "+
			"who is not disqualified and did not buy in. Equal fish share the pot; when nobody qualifies it carries over "+
			"to the next tournament.", r.BigBassMin, r.BigBassMin)},
	}
}

func aoyLines(r scoring.RuleSet) []ruleLine {
	events := "Every member with points is ranked."
	if r.AoYMinEvents > 0 {
		events = fmt.Sprintf("Members need %s to be eligible; others are listed and marked.",
			plural(r.AoYMinEvents, "tournament", "tournaments"))
	}
	drop := "Every points tournament counts."
	if r.AoYDropWorst > 0 {
		drop = fmt.Sprintf("Each member's worst %s are dropped.", plural(r.AoYDropWorst, "result", "results"))
	}
	stringer := "Heavy Stringer of the Year: the heaviest single-tournament weights of "
	if r.HeavyStringerGuests {
		stringer += "members and guests"
	} else {
		stringer += "members"
	}
	if !r.HeavyStringerPaper {
		stringer += ", not counting paper (measured) tournaments"
	}
	return []ruleLine{
		{"Angler of the Year", "Points from every completed points tournament of the season are added up. " + events + " " + drop},
		{"Ties in the standings", "Equal points are decided by " + chain(r.AoYTieBreak, aoyWords) + ", then by name."},
		{"Season awards", stringer + fmt.Sprintf(". Big Bass of the Year: the heaviest bass of at least %s lb, anyone not disqualified.",
			r.BigBassMin)},
	}
}

func payoutLines(p scoring.PayoutSchedule) []ruleLine {
	basis := "per angler"
	if p.FeeBasis == scoring.PerBoat {
		basis = "per boat"
	}
	places := make([]string, len(p.Places))
	for i, c := range p.Places {
		places[i] = ordinal(i+1) + " " + money(c)
	}
	return []ruleLine{
		{"Entry fee", fmt.Sprintf("%s %s.", money(p.EntryFee), basis)},
		{"Where each fee goes", fmt.Sprintf("Places: %s. Big-bass pot %s, club %s, charity %s.",
			strings.Join(places, ", "), money(p.BigBass), money(p.Club), money(p.Charity))},
		{"Pots", fmt.Sprintf("Each pot is its part times the number of entry fees paid (%s; buy-ins and "+
			"disqualified entries pay too). Place money goes to boats when the tournament has boats, otherwise to anglers.", basis)},
	}
}
