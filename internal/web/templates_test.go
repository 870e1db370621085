package web_test

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"sabc/internal/demo"
	"sabc/internal/testutil"
)

// templateCase reaches one page template through the real server with demo
// data. The <title> tells which template answered (each page sets its own),
// and "</html>" that the whole layout executed.
type templateCase struct {
	page   string // template name (templates/pages/<page>.html)
	path   string
	as     string // demo login email, "" for anonymous
	status int
	title  string // expected in <title>
}

var templateCases = []templateCase{
	{"home", "/", "", 200, "<title>South Austin Bass Club</title>"},
	{"tournaments", "/tournaments/", "", 200, "<title>Tournaments ·"},
	{"tournament", "/tournaments/34/", "", 200, " · South Austin Bass Club</title>"},
	{"standings", "/standings/2025/", "", 200, "<title>2025 Angler of the Year standings ·"},
	{"angler", "/anglers/1/", "", 200, "<title>Ada Admin ·"},
	{"calendar", "/calendar/?year=2026", "", 200, "<title>Calendar 2026 ·"},
	{"lakes", "/lakes/", "", 200, "<title>Lakes ·"},
	{"lake", "/lakes/1/", "", 200, " · South Austin Bass Club</title>"},
	{"about", "/about/", "", 200, "<title>About the club ·"},
	{"bylaws", "/bylaws/", "", 200, "<title>Bylaws ·"},
	{"rules", "/rules/2026/", "", 200, "<title>2026 rules ·"},
	{"polls", "/polls/", "", 200, "<title>Polls ·"},
	{"poll", "/polls/1/", "", 200, "<title>Where do we fish next month? ·"},
	{"login", "/login/", "", 200, "<title>Log in ·"},
	{"register", "/register/", "", 200, "<title>Create an account ·"},
	{"reset_request", "/password-reset/", "", 200, "<title>Reset your password ·"},
	{"reset", "/password-reset/not-a-token/", "", 404, "<title>Reset link expired ·"},
	{"error", "/no-such-page/", "", 404, "<title>Not Found ·"},
	{"password", "/account/password/", demo.MemberEmail, 200, "<title>Change your password ·"},
	{"profile_edit", "/anglers/3/edit/", demo.MemberEmail, 200, "<title>Edit profile ·"},
	{"roster", "/roster/", demo.MemberEmail, 200, "<title>Roster ·"},
	{"errors", "/admin/errors/", demo.AdminEmail, 200, "<title>Errors ·"},
	{"admin_dashboard", "/admin/", demo.OfficerEmail, 200, "<title>Officers ·"},
	{"admin_audit", "/admin/audit/", demo.OfficerEmail, 200, "<title>Audit log ·"},
	{"admin_members", "/admin/members/", demo.OfficerEmail, 200, "<title>Members ·"},
	{"admin_result", "/admin/tournaments/1/results/6/", demo.OfficerEmail, 200, "<title>Result of Ryan Moore ·"},
	{"merge", "/admin/merge/", demo.AdminEmail, 200, "<title>Merge accounts ·"},
	{"tokens", "/account/api-tokens/", demo.OfficerEmail, 200, "<title>API tokens ·"},
	{"weighin", "/tournaments/34/weigh-in/", demo.OfficerEmail, 200, "<title>Weigh-in ·"},
	{"live", "/tournaments/34/live/", "", 200, "<title>Live: "},
	// Officer tools: events and tournaments
	{"admin_events", "/admin/events/?year=2026", demo.OfficerEmail, 200, "<title>Events 2026 ·"},
	{"admin_event_edit", "/admin/events/1/edit/", demo.OfficerEmail, 200, "<title>Edit event ·"},
	{"admin_tournament_edit", "/admin/tournaments/34/edit/", demo.OfficerEmail, 200, "<title>Edit tournament ·"},
	{"admin_delete", "/admin/tournaments/34/delete/", demo.OfficerEmail, 200, "<title>Delete tournament ·"},
	{"admin_seasons", "/admin/seasons/", demo.OfficerEmail, 200, "<title>Seasons ·"},
	{"admin_season_rules", "/admin/seasons/2026/rules/", demo.OfficerEmail, 200, "<title>2026 rules and payouts ·"},
	{"admin_schedule", "/admin/seasons/2026/schedule/", demo.OfficerEmail, 200, "<title>2026 schedule ·"},
}

// TestEveryPageTemplateRenders executes every parsed page template with demo
// data. A template added without a row here fails, as does one that errors
// halfway (render turns that into a 500 page with another title).
func TestEveryPageTemplateRenders(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	byPage := map[string]templateCase{}
	for _, c := range templateCases {
		byPage[c.page] = c
	}
	names := site.Web.PageNames()
	sort.Strings(names)
	clients := map[string]*http.Client{"": site.Client()}
	for _, name := range names {
		c, ok := byPage[name]
		if !ok {
			t.Errorf("page template %q has no row in templateCases (templates_test.go)", name)
			continue
		}
		cl, ok := clients[c.as]
		if !ok {
			cl = siteLogin(t, site, c.as)
			clients[c.as] = cl
		}
		p := siteGet(t, cl, site.URL+c.path)
		if p.status != c.status {
			t.Errorf("%s (%s): status %d, want %d", name, c.path, p.status, c.status)
		}
		if !strings.Contains(p.body, c.title) {
			t.Errorf("%s (%s): no %q in the page: another template answered", name, c.path, c.title)
		}
		if !strings.HasSuffix(strings.TrimSpace(p.body), "</html>") {
			t.Errorf("%s (%s): the page stops before </html>", name, c.path)
		}
		if strings.Contains(p.body, " style=") {
			t.Errorf("%s (%s): inline style attribute (the CSP blocks it)", name, c.path)
		}
		if c.as != "" && c.status == http.StatusOK {
			if cc := p.header.Get("Cache-Control"); !strings.Contains(cc, "private") && !strings.Contains(cc, "no-store") {
				t.Errorf("%s as %s: Cache-Control %q, want private", name, c.as, cc)
			}
		}
	}
	for _, c := range templateCases {
		if !contains(names, c.page) {
			t.Errorf("templateCases lists %q, which is not a page template", c.page)
		}
	}
}

// siteLogin logs a demo account in through the real login form.
func siteLogin(t *testing.T, site *testutil.Site, email string) *http.Client {
	t.Helper()
	cl := site.Client()
	resp, err := cl.PostForm(site.URL+"/login/", url.Values{"email": {email}, "password": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in as %s: status %d", email, resp.StatusCode)
	}
	return cl
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
