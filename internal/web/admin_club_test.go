package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"sabc/internal/cache"
	"sabc/internal/demo"
	"sabc/internal/testutil"
)

// clubValues is the settings form as an admin would submit it.
func clubValues(version string) url.Values {
	return url.Values{"version": {version}, "name": {"Hill Country Bass Anglers"}, "short_name": {"HCBA"},
		"founded": {"1979"}, "meeting_place": {"Lakeway Activity Center"}, "meeting_address": {"105 Cross Creek, Lakeway, TX 78734"},
		"contact_email": {"Board@HCBA.example"}, "dues": {"$1,025.50"}, "join_md": {"Fish **two** events as a guest."},
		"about_md": {"We fish."}, "bylaws_md": {"1. Be kind."}}
}

// TestClubSettings_NewNameOnEveryPageRightAfterTheSave: with the page cache
// on and every page cached under the old name, an admin's save is visible at
// once on home (title and heading), on another cached page's header, in the
// ICS feed's calendar name and in the password-reset mail; dues are stored
// as cents and the save is audited.
func TestClubSettings_NewNameOnEveryPageRightAfterTheSave(t *testing.T) {
	site := cachedSite(t, newPageCache(t, cache.Options{}), nil)
	anon := site.Client()
	for _, p := range []string{"/", "/lakes/", "/"} { // warm: miss, then hit
		if b := siteGet(t, anon, site.URL+p).body; !strings.Contains(b, "South Austin Bass Club") {
			t.Fatalf("%s before the save lacks the demo club's name", p)
		}
	}
	admin := siteLogin(t, site, demo.AdminEmail)
	form := acctGet(t, admin, site.URL+"/admin/club/")
	if form.status != http.StatusOK {
		t.Fatalf("settings page: %d", form.status)
	}
	r := acctPost(t, admin, site.URL+"/admin/club/", clubValues(formVersion(t, form.body)))
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, acctExcerpt(r.body))
	}
	home := siteGet(t, anon, site.URL+"/").body
	for _, want := range []string{"<title>Hill Country Bass Anglers</title>", "<h1>Hill Country Bass Anglers</h1>",
		"since 1979", "Board@hcba.example"} {
		if !strings.Contains(home, want) {
			t.Errorf("home right after the save lacks %q", want)
		}
	}
	if strings.Contains(home, "South Austin") {
		t.Error("home still shows the old name")
	}
	if b := siteGet(t, anon, site.URL+"/lakes/").body; !strings.Contains(b, "Lakes · Hill Country Bass Anglers") {
		t.Error("the cached lakes page still shows the old name")
	}
	ics := siteGet(t, anon, site.URL+"/calendar.ics").body
	for _, want := range []string{"X-WR-CALNAME:Hill Country Bass Anglers", "PRODID:-//Hill Country Bass Anglers//sabc//EN"} {
		if !strings.Contains(ics, want) {
			t.Errorf("calendar.ics lacks %q", want)
		}
	}
	c, err := site.Store.Club(context.Background())
	if err != nil || c.DuesCents != 102550 || c.Founded != 1979 || c.ContactEmail != "Board@hcba.example" {
		t.Errorf("stored club %+v, %v", c, err)
	}
	if n := auditCount(t, site.Store, "club"); n != 1 {
		t.Errorf("%d club audit entries, want 1", n)
	}
	if about := html.UnescapeString(siteGet(t, anon, site.URL+"/about/").body); !strings.Contains(about, "$1,025.50") ||
		!strings.Contains(about, "<strong>two</strong>") {
		t.Error("the about page lacks the dues or the rendered how-to-join text")
	}
}

// TestCalendar_MeetingsAreAtTheClubsMeetingPlace: meetings have no lake;
// the ICS LOCATION and the calendar page give the club's meeting place and
// address (the demo's), and follow a change of them.
func TestCalendar_MeetingsAreAtTheClubsMeetingPlace(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	anon := site.Client()
	check := func(place string) {
		t.Helper()
		ics := siteGet(t, anon, site.URL+"/calendar.ics").body
		unfolded := strings.ReplaceAll(ics, "\r\n ", "")
		var evs []string
		for _, ev := range strings.Split(unfolded, "BEGIN:VEVENT")[1:] {
			if strings.Contains(ev, "CATEGORIES:Meeting\r\n") {
				evs = append(evs, ev)
			}
		}
		if len(evs) == 0 {
			t.Fatal("the feed has no meetings")
		}
		want := "LOCATION:" + strings.ReplaceAll(place, ",", `\,`) + "\r\n"
		for _, ev := range evs {
			if !strings.Contains(ev, want) {
				t.Fatalf("a meeting lacks %q:\n%s", want, ev)
			}
		}
		if cal := html.UnescapeString(siteGet(t, anon, site.URL+"/calendar/").body); !strings.Contains(cal, place) {
			t.Errorf("the calendar page lacks the meeting place %q", place)
		}
	}
	check("Southpark Library, community room, 100 Example Ln, Austin, TX 78745")

	admin := siteLogin(t, site, demo.AdminEmail)
	form := acctGet(t, admin, site.URL+"/admin/club/")
	if r := acctPost(t, admin, site.URL+"/admin/club/", clubValues(formVersion(t, form.body))); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, acctExcerpt(r.body))
	}
	check("Lakeway Activity Center, 105 Cross Creek, Lakeway, TX 78734")
}

// TestClubSettings_RefusalsStaleFormsAndBadInput: refusals beside their
// fields with nothing saved; a stale form is 409 with the conflict page and
// the typed text kept; invalid UTF-8 is 400.
func TestClubSettings_RefusalsStaleFormsAndBadInput(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := context.Background()
	admin := siteLogin(t, site, demo.AdminEmail)
	version := formVersion(t, acctGet(t, admin, site.URL+"/admin/club/").body)
	before, _ := site.Store.Club(ctx)

	bad := clubValues(version)
	bad.Set("name", "")
	bad.Set("dues", "12.345")
	bad.Set("founded", "19x9")
	bad.Set("contact_email", "not-an-email")
	r := acctPost(t, admin, site.URL+"/admin/club/", bad)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	for _, field := range []string{"name", "dues", "founded", "contact_email"} {
		if !strings.Contains(r.body, `id="`+field+`-error"`) {
			t.Errorf("no message next to %s", field)
		}
	}
	if !strings.Contains(r.body, "Lakeway Activity Center") {
		t.Error("the typed meeting place is not kept")
	}
	bad = clubValues(version)
	bad.Set("about_md", "caf\xe9")
	if r := acctPost(t, admin, site.URL+"/admin/club/", bad); r.status != http.StatusUnprocessableEntity {
		t.Errorf("invalid UTF-8: %d, want 422 naming the field", r.status)
	}
	if after, _ := site.Store.Club(ctx); after != before {
		t.Fatalf("refused forms changed the club row: %+v", after)
	}

	if r := acctPost(t, admin, site.URL+"/admin/club/", clubValues(version)); r.status != http.StatusSeeOther {
		t.Fatalf("first save: %d", r.status)
	}
	stale := clubValues(version)
	stale.Set("name", "Someone Else's Club")
	r = acctPost(t, admin, site.URL+"/admin/club/", stale)
	body := html.UnescapeString(r.body)
	if r.status != http.StatusConflict || !strings.Contains(body, "Someone else saved this") ||
		!strings.Contains(body, `value="Someone Else's Club"`) {
		t.Errorf("stale form: %d, want 409 with the conflict and the typed name", r.status)
	}
	if c, _ := site.Store.Club(ctx); c.Name != "Hill Country Bass Anglers" {
		t.Errorf("stored name %q: the stale form overwrote it", c.Name)
	}
}

// TestTwoInstancesShowANewClubNameOnEveryReplica: replicas A and B share
// PostgreSQL and Redis and each keeps the club row in memory. After a club
// save through A, B's home (cached under the old name) shows the new name
// once B hears of the bump, and never the old one again.
func TestTwoInstancesShowANewClubNameOnEveryReplica(t *testing.T) {
	redisURL := testutil.RedisURL(t)
	stA, stB := twoDemoStores(t)
	prefix := keyPrefix(t)
	a := newInstance(t, stA, newPageCache(t, cache.Options{RedisURL: redisURL, KeyPrefix: prefix}))
	b := newInstance(t, stB, newPageCache(t, cache.Options{RedisURL: redisURL, KeyPrefix: prefix}))
	for _, base := range []string{a, b, b} {
		if ans := fetch(t, base+"/"); !strings.Contains(ans.body, "<h1>South Austin Bass Club</h1>") {
			t.Fatalf("%s/ before the save: status %d without the demo name", base, ans.status)
		}
	}
	ctx := context.Background()
	c, err := stA.Club(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.Name = "Two Replica Bass Club"
	if err := stA.SaveClub(ctx, c); err != nil {
		t.Fatal(err)
	}
	if ans := fetch(t, a+"/"); !strings.Contains(ans.body, "<h1>Two Replica Bass Club</h1>") {
		t.Fatal("instance A shows the old name after its own save")
	}
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(fetch(t, b+"/").body, "<h1>Two Replica Bass Club</h1>") {
		if time.Now().After(deadline) {
			t.Fatal("instance B still shows the old club name 15 s after the save")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for i := range 20 {
		if body := fetch(t, b+"/lakes/").body; !strings.Contains(body, "Two Replica Bass Club") {
			t.Fatalf("instance B's lakes page shows the old name on request %d", i+1)
		}
	}
}
