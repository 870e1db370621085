package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/scoring"
	"sabc/internal/testutil"
)

// The public site, walked like a visitor would: every link on every page
// leads somewhere, bad query strings never crash a page, and an empty club
// answers every public page gracefully.

// crawlLimit bounds the walk: the demo club has a few hundred distinct pages
// (anglers, tournaments, lakes, seasons); the bound only stops a runaway.
const crawlLimit = 3000

// crawlSkip are paths a crawler must not follow: they change state, or are
// parameterised to infinity (the calendar's "next year" links are bounded
// by the site itself, which the walk checks).
func crawlSkip(p string) bool {
	for _, pre := range []string{"/logout/", "/static/", "/media/"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

// crawl visits every same-site link reachable from the start pages and
// returns the pages that answered with something other than 200 (or a
// redirect to another site page), keyed by path, with the page linking there.
func crawl(t *testing.T, site *testutil.Site, c *http.Client, start ...string) map[string]string {
	t.Helper()
	base, _ := url.Parse(site.URL)
	seen := map[string]bool{}
	from := map[string]string{}
	queue := append([]string(nil), start...)
	bad := map[string]string{}
	for len(queue) > 0 && len(seen) < crawlLimit {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		resp, err := c.Get(site.URL + p)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			loc, err := base.Parse(p)
			if err == nil {
				loc, err = loc.Parse(resp.Header.Get("Location"))
			}
			if err != nil || loc.Host != base.Host {
				bad[p] = "redirect to " + resp.Header.Get("Location")
				continue
			}
			next := loc.RequestURI()
			if !seen[next] {
				from[next] = p
				queue = append(queue, next)
			}
			continue
		case resp.StatusCode == http.StatusNotFound && strings.Contains(string(body), "No season has been set up yet"):
			continue // an empty club's season pages explain themselves (checked below)
		case resp.StatusCode != http.StatusOK:
			bad[p] = resp.Status + " (linked from " + from[p] + ")"
			continue
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			continue
		}
		doc, err := html.Parse(strings.NewReader(string(body)))
		if err != nil {
			t.Fatalf("parse %s: %v", p, err)
		}
		for _, tag := range []string{"a", "link", "img", "form", "use"} {
			for _, n := range findAll(doc, tag) {
				ref := attr(n, "href")
				if tag == "img" {
					ref = attr(n, "src")
				}
				if tag == "form" {
					if strings.EqualFold(attr(n, "method"), "post") {
						continue
					}
					ref = attr(n, "action")
				}
				if ref == "" || strings.HasPrefix(ref, "#") {
					continue
				}
				u, err := base.Parse(p)
				if err == nil {
					u, err = u.Parse(ref)
				}
				if err != nil {
					bad[p+" → "+ref] = "unparseable link"
					continue
				}
				if u.Host != base.Host || (u.Scheme != "http" && u.Scheme != "https") {
					continue
				}
				u.Fragment = ""
				next := u.RequestURI()
				if crawlSkip(u.Path) && tag != "link" && tag != "img" {
					continue
				}
				if tag == "link" || tag == "img" || strings.HasPrefix(u.Path, "/static/") || strings.HasPrefix(u.Path, "/media/") {
					// Assets are checked once each, not parsed.
					if !seen[next] {
						seen[next] = true
						r, err := c.Get(site.URL + next)
						if err != nil {
							t.Fatal(err)
						}
						r.Body.Close()
						if r.StatusCode != http.StatusOK {
							bad[next] = r.Status + " (linked from " + p + ")"
						}
					}
					continue
				}
				if !seen[next] {
					if _, ok := from[next]; !ok {
						from[next] = p
					}
					queue = append(queue, next)
				}
			}
		}
	}
	if len(seen) >= crawlLimit {
		t.Errorf("crawl stopped at %d pages: a link pattern runs away", crawlLimit)
	}
	t.Logf("crawled %d pages", len(seen))
	return bad
}

var crawlStart = []string{"/", "/tournaments/", "/standings/", "/awards/", "/calendar/", "/lakes/", "/about/",
	"/bylaws/", "/rules/", "/polls/", "/calendar.ics"}

func TestCrawlPublicSiteHasNoBrokenLinks(t *testing.T) {
	if testing.Short() {
		t.Skip("walks the whole demo site")
	}
	site := testutil.NewSite(t, testutil.SiteOptions{})
	for name, c := range map[string]*http.Client{
		"anonymous": site.Client(),
		"member":    acctLogin(t, site, demo.MemberEmail, demo.Password),
	} {
		t.Run(name, func(t *testing.T) {
			for p, why := range crawl(t, site, c, crawlStart...) {
				t.Errorf("%s: %s", p, why)
			}
		})
	}
}

// An empty club (no seasons, lakes, people or club row) answers every public
// page with a page, never a crash.
func TestEmptyClubPublicPages(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true})
	c := site.Client()
	for _, p := range []string{"/", "/?page=2", "/tournaments/", "/tournaments/?year=2026", "/tournaments/1/",
		"/tournaments/1/results.csv", "/standings/", "/standings/2026/", "/awards/", "/awards/2026/", "/anglers/1/",
		"/calendar/", "/calendar/2026.png", "/calendar.ics", "/lakes/", "/lakes/1/", "/about/", "/bylaws/",
		"/rules/", "/rules/2026/", "/polls/", "/polls/1/"} {
		resp, err := c.Get(site.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusFound {
			t.Errorf("empty club %s: %s", p, resp.Status)
		}
	}
	// The crawl from the start pages also stays clean on an empty club: the
	// season pages say why there is nothing yet instead of sending the
	// visitor on to a bare 404.
	for p, why := range crawl(t, site, c, crawlStart...) {
		t.Errorf("empty club %s: %s", p, why)
	}
	for _, p := range []string{"/standings/", "/awards/", "/rules/"} {
		resp, body := pageGet(t, site, p)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "No season has been set up yet") {
			t.Errorf("empty club %s: %s, want 404 saying no season is set up", p, resp.Status)
		}
	}
}

// Query strings typed or mangled by hand never crash a page.
func TestBadQueryParamsNeverFail(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	c := site.Client()
	for _, p := range []string{"/?page=-1", "/?page=0", "/?page=abc", "/?page=99999999", "/?page=9223372036854775807",
		"/?page=4611686018427387904", "/?page=1e9", "/?page=2305843009213693953", "/?page=3689348814741910324",
		"/tournaments/?year=3000000000", "/calendar/?year=3000000000", "/standings/3000000000/", "/rules/3000000000/",
		"/tournaments/?year=abc", "/tournaments/?year=-5", "/tournaments/?year=99999999999999999999",
		"/tournaments/?lake=abc", "/tournaments/?lake=-1", "/tournaments/?lake=99999", "/tournaments/?year=2026&lake=x",
		"/calendar/?year=abc", "/calendar/?year=-1", "/calendar/?year=99999999999", "/calendar/?year=0",
		"/calendar/abc.png", "/calendar/-1.png", "/calendar/99999999999999.png",
		"/standings/abc/", "/standings/-1/", "/standings/99999999999999999999/", "/awards/0/",
		"/rules/abc/", "/rules/-1/", "/rules/99999999999999999999/", "/rules/0/",
		"/tournaments/abc/", "/tournaments/-1/", "/tournaments/99999999999999999999/", "/tournaments/0/results.csv",
		"/anglers/abc/", "/anglers/-1/", "/anglers/99999999999999999999/",
		"/lakes/abc/", "/lakes/-1/", "/lakes/99999999999999999999/",
		"/polls/abc/", "/polls/-1/", "/polls/99999999999999999999/",
	} {
		resp, err := c.Get(site.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Errorf("%s: %s", p, resp.Status)
		}
	}
}

// A club between seasons: it is late November 2026, the 2026 season has not
// been set up, and the December tournament is on the calendar before its
// lake (and so its tournament) is decided. Every link on the home page must
// still lead somewhere, and the news is shown as the markdown it was written in.
func TestHomeBetweenSeasonsHasNoBrokenLinks(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true, Clock: testutil.FixedClock()})
	st := site.Store
	siteMust(t, st.CreateSeason(ctx, club.Season{Year: 2025, RulesJSON: "{}", PayoutJSON: "{}"}))
	siteID(t)(st.CreateEvent(ctx, club.Event{Date: club.NewDate(2026, 12, 6), Kind: "tournament",
		Title: "December tournament", StartTime: "06:30", EndTime: "14:30"}))
	siteID(t)(st.CreateNews(ctx, club.News{Title: "Banquet", BodyMD: "Bring a **dish**.",
		PublishAt: testutil.Fixed.Add(-time.Hour)}))

	resp, body := pageGet(t, site, "/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("home: %s", resp.Status)
	}
	page := string(body)
	for _, want := range []string{"December tournament", "<strong>dish</strong>"} {
		if !strings.Contains(page, want) {
			t.Errorf("home lacks %q", want)
		}
	}
	if strings.Contains(page, "**dish**") {
		t.Error("home shows the news markdown unrendered")
	}
	for p, why := range crawl(t, site, site.Client(), "/") {
		t.Errorf("%s: %s", p, why)
	}
}

// Pages past the last page of podiums are not found, rather than an empty
// list that claims no results were ever entered.
func TestHomePastLastPageIsNotFound(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	for p, want := range map[string]int{"/?page=1": 200, "/?page=2": 200, "/?page=500": 404} {
		if resp, _ := pageGet(t, site, p); resp.StatusCode != want {
			t.Errorf("%s: %s, want %d", p, resp.Status, want)
		}
	}
}

// The home page's podiums number each finisher with the stored place, as a
// reader sees it: two anglers tied for 1st are both "1.", and the next is "3."
// (a list's own counting would say 1, 2, 3).
func TestHomePodiumShowsStoredPlaces(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true})
	st := site.Store
	rules, _ := json.Marshal(scoring.DefaultRules())
	pay, _ := json.Marshal(scoring.DefaultPayouts())
	siteMust(t, st.CreateSeason(ctx, club.Season{Year: 2026, RulesJSON: string(rules), PayoutJSON: string(pay)}))
	lake := siteID(t)(st.CreateLake(ctx, club.Lake{Name: "Lake Travis"}))
	tid := siteID(t)(st.CreateTournament(ctx, club.Tournament{SeasonYear: 2026, Name: "Tied Up", LakeID: lake,
		Date: club.NewDate(2026, 10, 25), Format: club.FormatIndividual, PointsCount: true}))
	// Identical catches tie on every tie-break; the third weighed less.
	for i, gross := range []int64{1000, 1000, 800} {
		pid := siteID(t)(st.CreatePerson(ctx, club.Person{Email: fmt.Sprintf("p%d@example.org", i), FirstName: "P",
			LastName: fmt.Sprintf("Angler%d", i), IsActive: true, Member: true}))
		siteID(t)(st.SaveResult(ctx, 0, club.Result{TournamentID: tid, PersonID: pid, WasMember: true, Fish: 5,
			Gross: gross, BigBass: 300}))
	}
	siteMust(t, st.SetTournamentStatus(ctx, 0, tid, club.StatusComplete))

	_, body := pageGet(t, site, "/")
	doc := mustParse(t, body)
	var shown []string
	for _, ol := range findAll(doc, "ol") {
		n := 0
		for _, li := range findAll(ol, "li") {
			n++ // an <li> without value continues the list's count (HTML §4.4.8)
			if v := attr(li, "value"); v != "" {
				n, _ = strconv.Atoi(v)
			}
			shown = append(shown, fmt.Sprintf("%d %s", n, textOf(li)))
		}
	}
	want := []string{"1 P Angler0 — 10.00 lb (5 fish)", "1 P Angler1 — 10.00 lb (5 fish)", "3 P Angler2 — 8.00 lb (5 fish)"}
	if strings.Join(shown, "\n") != strings.Join(want, "\n") {
		t.Errorf("podium reads\n%s\nwant\n%s", strings.Join(shown, "\n"), strings.Join(want, "\n"))
	}
}
