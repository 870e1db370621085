package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"sabc/internal/cache"
	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

// cachedPageURLs is one demo URL per cacheable page pattern; it fails when a
// pattern has none, so a page added to the cache is added here too.
func cachedPageURLs(t *testing.T, site *testutil.Site) []string {
	t.Helper()
	w := latestWinner(t, site.Store)
	year := strconv.Itoa(club.Today(site.Store.Now()).Year())
	byPattern := map[string]string{
		"GET /{$}":                  "/",
		"GET /tournaments/{$}":      "/tournaments/",
		"GET /tournaments/{id}/{$}": fmt.Sprintf("/tournaments/%d/", w.t.ID),
		"GET /standings/{year}/{$}": "/standings/" + year + "/",
		"GET /awards/{year}/{$}":    fmt.Sprintf("/awards/%d/", w.t.SeasonYear),
		"GET /calendar/{$}":         "/calendar/",
		"GET /lakes/{$}":            "/lakes/",
		"GET /lakes/{id}/{$}":       fmt.Sprintf("/lakes/%d/", w.t.LakeID),
		"GET /anglers/{id}/{$}":     fmt.Sprintf("/anglers/%d/", w.result.PersonID),
		"GET /rules/{year}/{$}":     "/rules/" + year + "/",
		"GET /about/{$}":            "/about/",
		"GET /bylaws/{$}":           "/bylaws/",
	}
	var out []string
	for _, p := range site.Web.CachedPagePatterns() {
		u, ok := byPattern[p]
		if !ok {
			t.Fatalf("cached page %q has no URL in cachedPageURLs", p)
		}
		out = append(out, u)
	}
	return out
}

// TestContentFragmentsServeWhatARenderWould: for every cached page and every
// logged-in role, the page served from the role's content fragment (the
// second GET, which costs only the session's queries) is byte for byte the
// page a server without any cache renders for the same visitor — the
// officer's Edit links included, and no other role's.
func TestContentFragmentsServeWhatARenderWould(t *testing.T) {
	site := cachedSite(t, newPageCache(t, cache.Options{}), nil)
	uncached := newInstance(t, site.Store, nil)
	urls := cachedPageURLs(t, site)
	for _, v := range roleVisitors(t, site) {
		if v.role == web.Anonymous {
			continue
		}
		for _, u := range urls {
			first := fetchWith(t, v.client, site.URL+u)
			hit := fetchWith(t, v.client, site.URL+u)
			want := fetchWith(t, v.client, uncached+u)
			if hit.status != http.StatusOK || want.status != http.StatusOK {
				t.Fatalf("%s GET %s: status %d cached, %d uncached", v.role, u, hit.status, want.status)
			}
			if hit.body != want.body {
				t.Errorf("%s GET %s from its fragment differs from a render:\n%s", v.role, u, firstDiff(hit.body, want.body))
			}
			if hit.queries > first.queries || (u != "/about/" && u != "/bylaws/" && hit.queries >= first.queries) {
				t.Errorf("%s GET %s: %d queries on the second GET, %d on the first: the fragment was not used",
					v.role, u, hit.queries, first.queries)
			}
		}
	}
}

// TestContentIsTheSameForEveryoneOfARole is what makes a fragment per role
// (not per person) safe: on a server without a cache, two members see the
// same <main> on every cached page, though the layout names each of them.
func TestContentIsTheSameForEveryoneOfARole(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := context.Background()
	member := acctPerson(t, site.Store, demo.MemberEmail)
	var other club.Person
	people, err := site.Store.People(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if p.Member && !p.IsAdmin && p.ID != member.ID && p.Email != "" && p.Email != demo.OfficerEmail {
			other = p
			break
		}
	}
	// The other member logs in with the demo password: copy its hash.
	if _, err := site.Store.DB().ExecContext(ctx, `UPDATE people SET password_hash =
		(SELECT password_hash FROM people WHERE id = $1) WHERE id = $2`, member.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	a := acctLogin(t, site, demo.MemberEmail, demo.Password)
	b := acctLogin(t, site, other.Email, demo.Password)
	for _, u := range cachedPageURLs(t, site) {
		pa, pb := fetchWith(t, a, site.URL+u), fetchWith(t, b, site.URL+u)
		if pa.status != http.StatusOK || pb.status != http.StatusOK {
			t.Fatalf("GET %s: %d and %d", u, pa.status, pb.status)
		}
		if pa.body == pb.body {
			t.Errorf("GET %s: the same page for two members: the layout should name each", u)
		}
		if ma, mb := mainOf(pa.body), mainOf(pb.body); ma != mb {
			t.Errorf("GET %s: two members see different content:\n%s", u, firstDiff(ma, mb))
		}
	}
}

func mainOf(page string) string {
	_, after, _ := strings.Cut(page, "<main")
	content, _, _ := strings.Cut(after, "</main>")
	return content
}
