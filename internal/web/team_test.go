package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/testutil"
)

// teamClub is one complete team tournament worked out by hand with the default
// rules and payouts ($25 per angler: $7/$5/$4, big bass $4, min 5.00, dead 0.25):
//
//	boat 1 Ann Archer & Gus Guest (guest)  5 fish, 1 dead, 15.00 gross, bb 5.00 → net 14.75, 1st
//	boat 2 Bob Baker & Cat Cole            5 fish, 12.00                  → 2nd
//	boat 3 Dan Dunn (solo)                 4 fish,  9.00                  → 3rd
//
// Five anglers pay: 1st $35.00, 2nd $25.00, 3rd $20.00 to boats; the $20.00
// big-bass pot to boat 1. Ann's share: $17.50 + $10.00 = $27.50.
type teamClub struct {
	site *testutil.Site
	tid  int64
	ann  int64
}

func newTeamClub(t *testing.T) teamClub {
	t.Helper()
	ctx := context.Background()
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true, Clock: testutil.FixedClock()})
	st := site.Store
	rules, _ := json.Marshal(scoring.DefaultRules())
	pay, _ := json.Marshal(scoring.DefaultPayouts())
	siteMust(t, st.CreateSeason(ctx, club.Season{Year: 2026, RulesJSON: string(rules), PayoutJSON: string(pay)}))
	tid := siteID(t)(st.CreateTournament(ctx, club.Tournament{SeasonYear: 2026, Name: "Team Classic",
		Date: club.NewDate(2026, 4, 26), Format: club.FormatTeam, PointsCount: true}))
	person := func(first, last string, member bool) int64 {
		pid := siteID(t)(st.CreatePerson(ctx, club.Person{Email: strings.ToLower(first) + "@example.org",
			FirstName: first, LastName: last, IsActive: true, Member: member}))
		siteID(t)(st.SaveResult(ctx, 0, club.Result{TournamentID: tid, PersonID: pid, WasMember: member}))
		return pid
	}
	ann, gus := person("Ann", "Archer", true), person("Gus", "Guest", false)
	bob, cat, dan := person("Bob", "Baker", true), person("Cat", "Cole", true), person("Dan", "Dunn", true)
	boat := func(fish, dead int, gross, bigBass int64, anglers ...int64) {
		b := club.Boat{TournamentID: tid, Fish: fish, Dead: dead, Gross: gross, BigBass: bigBass}
		for _, a := range anglers {
			b.Anglers = append(b.Anglers, club.BoatAngler{PersonID: a})
		}
		siteID(t)(st.SaveBoat(ctx, 0, b))
	}
	boat(5, 1, 1500, 500, ann, gus)
	boat(5, 0, 1200, 300, bob, cat)
	boat(4, 0, 900, 200, dan)
	siteMust(t, st.SetTournamentStatus(ctx, 0, tid, club.StatusComplete))
	return teamClub{site: site, tid: tid, ann: ann}
}

func TestTeamTournamentPageCountsBoatsAndAnglers(t *testing.T) {
	c := newTeamClub(t)
	p := siteGet(t, c.site.Client(), c.site.URL+"/tournaments/"+siteItoa(c.tid)+"/")
	siteWant(t, "team page", p.body,
		"<dt>Entries</dt><dd>3 boats · 5 anglers · pot $125.00</dd>",
		// 35.75 lb over the five anglers in boats that weighed, not over 3 boats (11.92).
		"<dt>Average weight</dt><dd>7.15 lb</dd>")
}

func TestTeamAnglerRowsShowTheBoatsCatchAndMoneyShare(t *testing.T) {
	c := newTeamClub(t)
	p := siteGet(t, c.site.Client(), c.site.URL+"/tournaments/"+siteItoa(c.tid)+"/results.csv")
	rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	siteMust(t, err)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		if r[col["angler"]] != "Ann Archer" {
			continue
		}
		got := []string{r[col["place"]], r[col["fish"]], r[col["dead"]], r[col["gross_lb"]], r[col["penalty_lb"]],
			r[col["net_lb"]], r[col["prize"]]}
		want := []string{"1", "5", "1", "15.00", "0.25", "14.75", "27.50"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("Ann's CSV row place/fish/dead/gross/penalty/net/prize = %v, want %v", got, want)
		}
		return
	}
	t.Fatalf("no row for Ann in:\n%s", p.body)
}

func TestTeamProfilePlaceIsAmongBoats(t *testing.T) {
	c := newTeamClub(t)
	p := siteGet(t, c.site.Client(), c.site.URL+"/anglers/"+siteItoa(c.ann)+"/")
	siteWant(t, "Ann's profile", p.body, `1st<span class="muted small"> of 3 boats</span>`, "$27.50")
}

func TestHomePodiumListsTeamBoatsNotTies(t *testing.T) {
	c := newTeamClub(t)
	p := siteGet(t, c.site.Client(), c.site.URL+"/")
	start := strings.Index(p.body, `<article class="podium">`)
	if start < 0 {
		t.Fatalf("no podium on the home page")
	}
	podium := p.body[start:]
	podium = podium[:strings.Index(podium, "</article>")]
	if n := strings.Count(podium, "<li"); n != 3 {
		t.Errorf("podium has %d lines, want 3 boats:\n%s", n, podium)
	}
	siteWant(t, "podium", podium, `<li value="1">`, "Ann Archer</a> &amp; ", `Gus Guest</a> <abbr title="guest" class="guest">(G)</abbr>`,
		`<li value="2">`, "Bob Baker</a> &amp; ", `<li value="3">`, "Dan Dunn</a>")
}

// A treasurer rebuilds the payouts from the two downloads: boats.csv has each
// boat's money, results.csv each angler's share, and the two add up.
func TestBoatsCSVCarriesBoatPrizesThatAnglerSharesAddUpTo(t *testing.T) {
	c := newTeamClub(t)
	cl := c.site.Client()
	read := func(name string) [][]string {
		p := siteGet(t, cl, c.site.URL+"/tournaments/"+siteItoa(c.tid)+"/"+name)
		if p.status != 200 {
			t.Fatalf("%s: status %d", name, p.status)
		}
		rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
		siteMust(t, err)
		return rows
	}
	boats := read("boats.csv")
	var got []string
	for _, r := range boats[1:] {
		got = append(got, r[0]+" "+r[1]+" "+r[len(r)-1])
	}
	want := []string{"1 Ann Archer / Gus Guest 55.00", "2 Bob Baker / Cat Cole 25.00", "3 Dan Dunn 20.00"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("boats.csv place/anglers/prize = %q, want %q", got, want)
	}
	results := read("results.csv")
	prize := -1
	for i, h := range results[0] {
		if h == "prize" {
			prize = i
		}
	}
	var cents int
	for _, r := range results[1:] {
		var d, c int
		if _, err := fmt.Sscanf(r[prize], "%d.%d", &d, &c); err != nil {
			t.Fatalf("prize %q: %v", r[prize], err)
		}
		cents += d*100 + c
	}
	if cents != 100_00 {
		t.Errorf("angler prizes add up to %d cents, want 10000 (the boats' $55 + $25 + $20)", cents)
	}
}
