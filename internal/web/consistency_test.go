package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/ratelimit"
	"sabc/internal/store"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

// TestGuestsAreMarkedOnTheHomePodiumAndInTheAwards: Gus fished March as a
// guest and took 3rd; the home podium and the Heavy Stringer list say (G)
// after his name, as the results table does.
func TestGuestsAreMarkedOnTheHomePodiumAndInTheAwards(t *testing.T) {
	c := newSiteClub(t)
	cl := c.site.Client()
	guest := `Gus Guest</a> <abbr title="guest" class="guest">(G)</abbr>`
	home := siteGet(t, cl, c.site.URL+"/")
	siteWant(t, "home", home.body, guest)
	awards := siteGet(t, cl, c.site.URL+"/awards/2026/")
	siteWant(t, "awards", awards.body, guest)
	if strings.Contains(awards.body, `Alice Archer</a> <abbr title="guest"`) {
		t.Error("a member is marked as a guest in the awards")
	}
}

// TestTournamentNamesOutOfTheirSeasonCarryTheYear: names repeat every
// season, so where the page is not about that season — the home podiums,
// a profile's history, a lake's history — the name has its year.
func TestTournamentNamesOutOfTheirSeasonCarryTheYear(t *testing.T) {
	c := newSiteClub(t)
	cl := c.site.Client()
	h, err := c.site.Store.TournamentHeader(context.Background(), c.march)
	if err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"/", fmt.Sprintf("/anglers/%d/", c.alice), fmt.Sprintf("/lakes/%d/", h.LakeID)} {
		p := siteGet(t, cl, c.site.URL+page)
		siteWant(t, page, p.body, fmt.Sprintf(`/tournaments/%d/">March Madness 2026</a>`, c.march))
	}
	// The tournament page's own heading is in context: no year added.
	p := siteGet(t, cl, fmt.Sprintf("%s/tournaments/%d/", c.site.URL, c.march))
	siteWant(t, "tournament", p.body, "<h1>March Madness</h1>", `April Showers 2026</a>`)
}

// TestMoneyHasThousandsSeparators: a 41-angler demo field pays a $1,025.00
// pot ($25 a head); the header, the payouts line and the rules page print
// money with a thousands separator, never "$1025.00".
func TestMoneyHasThousandsSeparators(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()}) // the 2026 demo club
	ts, err := site.Store.Tournaments(context.Background(), store.TournamentFilter{Status: club.StatusComplete})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range ts {
		dollars := tr.Entries * 25
		if tr.Format == club.FormatTeam || dollars < 1000 {
			continue
		}
		p := siteGet(t, site.Server.Client(), fmt.Sprintf("%s/tournaments/%d/", site.URL, tr.ID))
		want := fmt.Sprintf("$%d,%03d.00", dollars/1000, dollars%1000)
		siteWant(t, tr.Name, p.body, "pot "+want, "total "+want)
		if strings.Contains(p.body, fmt.Sprintf("$%d.00", dollars)) {
			t.Errorf("%s: the pot is also printed without a separator", tr.Name)
		}
		return
	}
	t.Fatal("the demo club has no individual tournament with a pot of $1,000 or more")
}

// TestTooManyRequestsIsAStyledPageWithAWayBack: a browser that hits the
// rate limit gets a page of the site — its stylesheet, which loads although
// the page budget is spent, a link home and a retry link — not bare text.
func TestTooManyRequestsIsAStyledPageWithAWayBack(t *testing.T) {
	limits := ratelimit.Limits{}
	for _, c := range []ratelimit.Class{ratelimit.Login, ratelimit.Register, ratelimit.PasswordReset,
		ratelimit.Upload, ratelimit.Post} {
		limits[c] = ratelimit.Limit{Requests: 100, Per: time.Minute}
	}
	limits[ratelimit.Page] = ratelimit.Limit{Requests: 1, Per: time.Hour}
	lim, err := ratelimit.NewMemory(ratelimit.MemoryConfig{Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true, Deps: func(d *web.Deps) { d.Limiter = lim }})
	cl := site.Client()
	html := []string{"Accept", "text/html"}
	siteGet(t, cl, site.URL+"/lakes/", html...)
	p := siteGet(t, cl, site.URL+"/lakes/", html...)
	if p.status != http.StatusTooManyRequests {
		t.Fatalf("second page in the hour: %d, want 429", p.status)
	}
	siteWant(t, "429 page", p.body, `<link rel="stylesheet" href="/static/app.css">`, `<a href="/">Back to the home page</a>`,
		`<a href="/lakes/">Try again</a>`, `class="wrap error-page"`)
	css := siteGet(t, cl, site.URL+"/static/app.css") // redirects to the fingerprinted name
	if loc := css.header.Get("Location"); css.status == http.StatusFound {
		css = siteGet(t, cl, site.URL+loc)
	}
	if css.status != http.StatusOK || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") {
		t.Errorf("the 429 page's stylesheet: %d %q", css.status, css.header.Get("Content-Type"))
	}
}

// TestSeasonNotStartedIsAPageNotA404: next season's standings before its
// first tournament — set up with no tournaments, or not set up at all yet —
// say the season has not started, with links on; years beyond stay 404.
func TestSeasonNotStartedIsAPageNotA404(t *testing.T) {
	c := newSiteClub(t) // a 2026 season; the clock is in 2026
	cl := c.site.Client()
	for _, page := range []string{"/standings/2027/", "/awards/2027/"} {
		p := siteGet(t, cl, c.site.URL+page)
		if p.status != http.StatusOK {
			t.Fatalf("%s before the 2027 season exists: %d, want 200", page, p.status)
		}
		siteWant(t, page, p.body, "The 2027 season has not started yet", `href="/calendar/"`, `/2026/">2026</a>`)
	}
	rules, pay := `{}`, `{}`
	siteMust(t, c.site.Store.CreateSeason(context.Background(), club.Season{Year: 2027, RulesJSON: rules, PayoutJSON: pay}))
	p := siteGet(t, cl, c.site.URL+"/standings/2027/")
	siteWant(t, "2027 set up, nothing scheduled", p.body, "The 2027 season has not started yet")
	if strings.Contains(p.body, "Heavy Stringer of the Year") {
		t.Error("an empty season shows empty award lists under the notice")
	}
	if p := siteGet(t, cl, c.site.URL+"/standings/2029/"); p.status != http.StatusNotFound {
		t.Errorf("/standings/2029/: %d, want 404", p.status)
	}
	if p := siteGet(t, cl, c.site.URL+"/standings/2026/"); strings.Contains(p.body, "has not started") {
		t.Error("a season with results says it has not started")
	}
}
