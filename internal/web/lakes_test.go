package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/testutil"
)

// lakeClub builds a tiny club by hand: two complete tournaments on Lake
// Travis with known weights, one scheduled there, one elsewhere.
type lakeClub struct {
	site                 *testutil.Site
	travis, bad          int64
	first, second, later int64
}

func newLakeClub(t *testing.T) lakeClub {
	t.Helper()
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true})
	ctx := context.Background()
	st := site.Store
	must := func(id int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	rules, _ := json.Marshal(scoring.DefaultRules())
	pay, _ := json.Marshal(scoring.DefaultPayouts())
	if err := st.CreateSeason(ctx, club.Season{Year: 2026, RulesJSON: string(rules), PayoutJSON: string(pay)}); err != nil {
		t.Fatal(err)
	}
	c := lakeClub{site: site}
	c.travis = must(st.CreateLake(ctx, club.Lake{Name: "Lake Travis", MapURL: "https://maps.example/travis",
		Ramps: []club.Ramp{{Name: "Mansfield Dam", MapURL: "https://maps.example/mansfield"}, {Name: "Pace Bend"}}}))
	c.bad = must(st.CreateLake(ctx, club.Lake{Name: "Inks Lake", MapURL: "javascript:alert(1)",
		Ramps: []club.Ramp{{Name: "State Park", MapURL: `<iframe src="https://evil.example/embed"></iframe>`}}}))
	person := func(first, last string, member bool) int64 {
		return must(st.CreatePerson(ctx, club.Person{Email: strings.ToLower(first) + "@example.com", FirstName: first,
			LastName: last, Member: member, IsActive: true}))
	}
	ann, bob, gus := person("Ann", "Angler", true), person("Bob", "Bass", true), person("Gus", "Guest", false)
	tourney := func(name string, day club.Date, lake int64, status string) int64 {
		return must(st.CreateTournament(ctx, club.Tournament{SeasonYear: 2026, Name: name, Date: day, StartTime: "06:30",
			EndTime: "14:30", LakeID: lake, Format: club.FormatIndividual, PointsCount: true, Status: status}))
	}
	weigh := func(id int64, rs ...club.Result) {
		t.Helper()
		if err := st.ImportResults(ctx, 0, id, rs, nil); err != nil {
			t.Fatal(err)
		}
	}
	c.first = tourney("March on Travis", club.NewDate(2026, time.March, 29), c.travis, club.StatusComplete)
	weigh(c.first, club.Result{PersonID: ann, Fish: 5, Gross: 1250, BigBass: 410, WasMember: true},
		club.Result{PersonID: bob, Fish: 3, Gross: 800, BigBass: 525, WasMember: true},
		club.Result{PersonID: gus, Fish: 1, Gross: 150, BigBass: 150})
	c.second = tourney("May on Travis", club.NewDate(2026, time.May, 31), c.travis, club.StatusComplete)
	weigh(c.second, club.Result{PersonID: bob, Fish: 5, Gross: 1510, BigBass: 620, WasMember: true},
		club.Result{PersonID: ann, Fish: 4, Gross: 900, BigBass: 300, WasMember: true})
	c.later = tourney("December on Travis", club.NewDate(2026, time.December, 27), c.travis, club.StatusScheduled)
	other := tourney("June on Inks", club.NewDate(2026, time.June, 28), c.bad, club.StatusComplete)
	weigh(other, club.Result{PersonID: gus, Fish: 5, Gross: 2222, BigBass: 999})
	return c
}

func TestLakePageShowsHistory(t *testing.T) {
	c := newLakeClub(t)
	resp, b := pageGet(t, c.site, fmt.Sprintf("/lakes/%d/", c.travis))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if n := queryCount(t, resp); n > 3 {
		t.Errorf("lake page ran %d queries, budget 3", n)
	}
	doc, err := html.Parse(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{} // tournament name → its history row's text
	for _, tr := range findAll(doc, "tr") {
		txt := textOf(tr)
		for _, name := range []string{"March on Travis", "May on Travis", "December on Travis", "June on Inks"} {
			if strings.Contains(txt, name) {
				rows[name] = txt
			}
		}
	}
	// Weights written by hand from the weigh-ins above (no penalties: net = gross).
	if r := rows["March on Travis"]; !strings.Contains(r, "Ann Angler") || !strings.Contains(r, "12.50 lb") ||
		!strings.Contains(r, "5.25 lb") || strings.Contains(r, "Bob Bass") {
		t.Errorf("March row: %q (want winner Ann Angler 12.50 lb, biggest bass 5.25 lb)", r)
	}
	if r := rows["May on Travis"]; !strings.Contains(r, "Bob Bass") || !strings.Contains(r, "15.10 lb") ||
		!strings.Contains(r, "6.20 lb") {
		t.Errorf("May row: %q (want winner Bob Bass 15.10 lb, biggest bass 6.20 lb)", r)
	}
	if _, ok := rows["December on Travis"]; ok {
		t.Error("the scheduled tournament is in the history table")
	}
	if _, ok := rows["June on Inks"]; ok {
		t.Error("another lake's tournament is in Lake Travis's history")
	}
	page := textOf(doc)
	for _, want := range []string{"2 tournaments fished", "15.10 lb heaviest winning weight", "6.20 lb biggest bass",
		"Coming up here", "December on Travis", "Mansfield Dam", "Pace Bend"} {
		if !strings.Contains(page, want) {
			t.Errorf("lake page lacks %q", want)
		}
	}
	if !strings.Contains(string(b), fmt.Sprintf(`href="/tournaments/%d/"`, c.first)) {
		t.Error("history does not link the tournament")
	}
}

func TestLakeListAndMapLinks(t *testing.T) {
	c := newLakeClub(t)
	resp, b := pageGet(t, c.site, "/lakes/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if n := queryCount(t, resp); n > 3 {
		t.Errorf("/lakes/ ran %d queries, budget 3", n)
	}
	body := string(b)
	for _, want := range []string{"Lake Travis", "Inks Lake", "Mansfield Dam", "State Park",
		`href="https://maps.example/travis"`, `href="https://maps.example/mansfield"`,
		fmt.Sprintf(`href="/lakes/%d/"`, c.travis)} {
		if !strings.Contains(body, want) {
			t.Errorf("/lakes/ lacks %s", want)
		}
	}
	for _, path := range []string{"/lakes/", fmt.Sprintf("/lakes/%d/", c.bad)} {
		_, b := pageGet(t, c.site, path)
		for _, bad := range []string{"javascript:", "<iframe", "evil.example", "ZgotmplZ"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s shows an unsafe map link (%s)", path, bad)
			}
		}
	}
	for _, p := range []string{"/lakes/999/", "/lakes/abc/"} {
		if resp, _ := pageGet(t, c.site, p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, resp.StatusCode)
		}
	}
	_, b = pageGet(t, c.site, fmt.Sprintf("/lakes/%d/", c.bad))
	if !strings.Contains(textOf(mustParse(t, b)), "22.22 lb") {
		t.Error("Inks Lake page lacks its guest winner's 22.22 lb")
	}
}

func mustParse(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
