package web_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/chromedp/chromedp"

	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// phoneFit is run in each page at 390 px. It opens every <details> (a
// "show all" table counts too), then lists what a member would have to
// scroll sideways for, or could not see at all:
//   - the document wider than the viewport;
//   - a table wider than its box (its .table-scroll wrapper, or itself);
//   - a table cell (place, name, weight, points, money and every other
//     column) that is not rendered or sticks out of the viewport.
const phoneFit = `(() => {
  document.querySelectorAll("details").forEach(d => d.open = true);
  const bad = [], vw = window.innerWidth, doc = document.documentElement;
  if (doc.scrollWidth > vw) bad.push("document is " + doc.scrollWidth + " px wide");
  document.querySelectorAll("main table").forEach((t, i) => {
    const name = "table " + (t.className || i);
    const box = t.closest(".table-scroll") || t.parentElement;
    if (box.scrollWidth > box.clientWidth + 1) bad.push(name + ": " + box.scrollWidth + " px in a " + box.clientWidth + " px box");
    t.querySelectorAll("tbody td, tbody th, tfoot td, tfoot th").forEach(c => {
      const r = c.getBoundingClientRect(), label = c.dataset.label || c.textContent.trim().slice(0, 20);
      if (c.getClientRects().length === 0 || r.width === 0) bad.push(name + ": hidden cell " + JSON.stringify(label));
      else if (r.left < -1 || r.right > vw + 1) bad.push(name + ": cell " + JSON.stringify(label) + " at " + Math.round(r.left) + "–" + Math.round(r.right) + " px");
    });
  });
  return [...new Set(bad)].slice(0, 12);
})()`

// columnEdges is where the text of the first nav link, the brand logo and
// the page's heading start, in px from the left.
const columnEdges = `(() => {
  const textLeft = el => { const r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect().left; };
  return {nav: textLeft(document.querySelector(".main-nav a")),
    brand: document.querySelector(".brand img").getBoundingClientRect().left,
    heading: textLeft(document.querySelector("main h1"))};
})()`

// TestBrowserEveryPublicPageFitsA390pxPhone renders each public page kind
// at 390 px: no page is wider than the phone and no table hides or pushes
// off screen a column — the results, boats, standings, profile and lake
// tables show place, names, weight, points and money without scrolling.
// Then, at 1280 px, the nav lines up with the content column.
func TestBrowserEveryPublicPageFitsA390pxPhone(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := browser(t) // after the site: its cleanup closes chromium's connections first
	pages, shots := everyPublicPageKind(t, site)
	for _, path := range pages {
		if err := chromedp.Run(ctx, chromedp.Navigate(site.URL+path), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if name, ok := shots[path]; ok {
			shot(t, ctx, name+"-390.png") // as it opens, before phoneFit unfolds every <details>
		}
		var bad []string
		if err := chromedp.Run(ctx, chromedp.Evaluate(phoneFit, &bad)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, b := range bad {
			t.Errorf("%s at 390 px: %s", path, b)
		}
	}
	// On a desktop the nav sits in the content column: its first link's text
	// starts where the page heading does, as the brand in the header does.
	var edges map[string]float64
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(site.URL+"/tournaments/"),
		chromedp.WaitReady("body"), chromedp.Evaluate(columnEdges, &edges)); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"nav", "brand"} {
		if d := edges[k] - edges["heading"]; d < -2 || d > 2 {
			t.Errorf("at 1280 px the %s starts at %.0f px, the page heading at %.0f px", k, edges[k], edges["heading"])
		}
	}
	if os.Getenv("SABC_SCREENSHOTS") == "" {
		return
	}
	// The docs' desktop screenshots of the same pages.
	for path, name := range shots {
		if err := chromedp.Run(ctx, chromedp.Navigate(site.URL+path), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		shot(t, ctx, name+"-1280.png")
	}
}

// everyPublicPageKind is one URL of every public page kind in the demo club: a team
// and an individual tournament, standings, awards, a profile with history,
// the calendar, lakes, club pages, polls, accounts and an error page.
func everyPublicPageKind(t *testing.T, site *testutil.Site) (pages []string, shots map[string]string) {
	ctx := context.Background()
	ts, err := site.Store.Tournaments(ctx, store.TournamentFilter{Status: "complete"})
	if err != nil {
		t.Fatal(err)
	}
	year := testutil.Now.Year()
	pages = []string{"/", "/tournaments/", fmt.Sprintf("/standings/%d/", year), fmt.Sprintf("/awards/%d/", year),
		"/calendar/", "/lakes/", "/about/", "/bylaws/", fmt.Sprintf("/rules/%d/", year), "/polls/",
		"/login/", "/register/", "/password-reset/", "/no-such-page/"}
	shots = map[string]string{"/": "home", fmt.Sprintf("/standings/%d/", year): "standings", "/calendar/": "calendar"}
	var team, individual bool
	for _, tr := range ts {
		if tr.Format == "team" && !team || tr.Format != "team" && !individual {
			page := fmt.Sprintf("/tournaments/%d/", tr.ID)
			pages = append(pages, page, page+"live/")
			shots[page] = "tournament-" + map[bool]string{true: "team", false: "individual"}[tr.Format == "team"]
			team, individual = team || tr.Format == "team", individual || tr.Format != "team"
		}
	}
	if !team || !individual {
		t.Fatalf("the demo club needs a complete team and individual tournament (team %v, individual %v)", team, individual)
	}
	results, err := site.Store.Results(ctx, ts[0].ID)
	if err != nil || len(results) == 0 {
		t.Fatalf("results of %d: %v (%d)", ts[0].ID, err, len(results))
	}
	pages = append(pages, fmt.Sprintf("/anglers/%d/", results[0].PersonID))
	shots[pages[len(pages)-1]] = "profile"
	if lakes, err := site.Store.Lakes(ctx); err != nil || len(lakes) == 0 {
		t.Fatalf("lakes: %v", err)
	} else {
		pages = append(pages, fmt.Sprintf("/lakes/%d/", lakes[0].ID))
	}
	if polls, err := site.Store.PollList(ctx, site.Clock.Now(), 5); err == nil && len(polls) > 0 {
		pages = append(pages, fmt.Sprintf("/polls/%d/", polls[0].ID))
	}
	return pages, shots
}

// TestBrowserOfficerPagesFitA390pxPhone: the officer's pages — dashboard,
// members, one result, a profile editor, the audit log, the seasons list, a
// season's rules editor and a schedule preview (of a new 2027 season, so it
// proposes a whole year) — fit a 390 px phone the same way the public pages
// do (the boat-ramp case).
func TestBrowserOfficerPagesFitA390pxPhone(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := browser(t)
	if err := chromedp.Run(ctx, chromedp.Navigate(site.URL+"/login/"),
		chromedp.SendKeys("#email", demo.OfficerEmail), chromedp.SendKeys("#password", demo.Password),
		chromedp.Submit("#password"), chromedp.WaitVisible(`form[action="/logout/"]`)); err != nil {
		t.Fatalf("log in: %v", err)
	}
	ts, err := site.Store.Tournaments(context.Background(), store.TournamentFilter{Status: "complete"})
	if err != nil || len(ts) == 0 {
		t.Fatalf("complete tournaments: %v", err)
	}
	rs, err := site.Store.Results(context.Background(), ts[0].ID)
	if err != nil || len(rs) == 0 {
		t.Fatalf("results: %v", err)
	}
	pages := [][2]string{{"/admin/", "admin-dashboard"}, {"/admin/members/", "admin-members"},
		{fmt.Sprintf("/admin/tournaments/%d/results/%d/", ts[0].ID, rs[0].PersonID), "admin-result"},
		{fmt.Sprintf("/anglers/%d/edit/", rs[0].PersonID), ""}, {"/admin/audit/", ""},
		{"/admin/seasons/", ""}, {"/admin/seasons/2026/rules/", "season-rules"},
		{"/admin/seasons/2027/schedule/", "schedule-preview"}}
	if _, err := site.Store.CreateSeasonFrom(context.Background(), 0, 2027); err != nil {
		t.Fatal(err)
	}
	for _, pg := range pages {
		path, name := pg[0], pg[1]
		var loc string
		if err := chromedp.Run(ctx, chromedp.Navigate(site.URL+path), chromedp.WaitReady("body"),
			chromedp.Location(&loc)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if loc != site.URL+path {
			t.Fatalf("%s ended at %s: not logged in as an officer?", path, loc)
		}
		if name != "" {
			shot(t, ctx, name+"-390.png")
		}
		var bad []string
		if err := chromedp.Run(ctx, chromedp.Evaluate(phoneFit, &bad)); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, b := range bad {
			t.Errorf("%s at 390 px: %s", path, b)
		}
	}
}
