package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sabc/internal/cache"
	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// formVersion is the hidden version of an edit page.
func formVersion(t *testing.T, body string) string {
	t.Helper()
	m := versionField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version field on the page:\n%s", acctExcerpt(body))
	}
	return m[1]
}

// lakeForm is the edit form of a lake as stored, version included.
func lakeForm(t *testing.T, cl *http.Client, site *testutil.Site, id int64) url.Values {
	t.Helper()
	p := acctGet(t, cl, fmt.Sprintf("%s/admin/lakes/%d/edit/", site.URL, id))
	if p.status != http.StatusOK {
		t.Fatalf("edit page: %d", p.status)
	}
	l, err := site.Store.Lake(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return url.Values{"name": {l.Name}, "state": {l.State}, "map_url": {l.MapURL}, "notes": {l.Notes},
		"version": {formVersion(t, p.body)}}
}

func auditCount(t *testing.T, st *store.Store, kind string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(`SELECT count(*) FROM audit_entries WHERE object_kind = $1`, kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLakesAndRamps_OfficerCreatesEditsAndDeletesThroughTheForms drives the
// real forms: a new lake, a ramp added, renamed and deleted, each audited,
// and the public page showing the stored outcome after each step. A ramp
// without a link of its own gets a search for "ramp, lake, state".
func TestLakesAndRamps_OfficerCreatesEditsAndDeletesThroughTheForms(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := context.Background()
	off := siteLogin(t, site, demo.OfficerEmail)

	r := acctPost(t, off, site.URL+"/admin/lakes/new/", url.Values{"name": {"  Lake   Whitney "}, "state": {"tx"},
		"paper": {"on"}, "map_url": {"https://maps.apple.com/?q=Lake+Whitney"}, "notes": {"Low water: use the north ramps."}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.status, acctExcerpt(r.body))
	}
	var id int64
	if _, err := fmt.Sscanf(r.header.Get("Location"), "/admin/lakes/%d/edit/", &id); err != nil {
		t.Fatalf("redirect %q: %v", r.header.Get("Location"), err)
	}
	l, err := site.Store.Lake(ctx, id)
	if err != nil || l.Name != "Lake Whitney" || l.State != "TX" || !l.Paper || l.Notes != "Low water: use the north ramps." {
		t.Fatalf("stored lake %+v, %v", l, err)
	}

	base := fmt.Sprintf("%s/admin/lakes/%d", site.URL, id)
	if r := acctPost(t, off, base+"/ramps/", url.Values{"name": {"Black Rock Park"}}); r.status != http.StatusSeeOther {
		t.Fatalf("add ramp: %d\n%s", r.status, acctExcerpt(r.body))
	}
	r = acctPost(t, off, base+"/ramps/", url.Values{"name": {"black rock park"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "has a ramp named black rock park already") {
		t.Errorf("duplicate ramp: %d, want 409 with the message\n%s", r.status, acctExcerpt(r.body))
	}
	pub := siteGet(t, site.Client(), fmt.Sprintf("%s/lakes/%d/", site.URL, id))
	if !strings.Contains(html.UnescapeString(pub.body), "query=Black+Rock+Park%2C+Lake+Whitney%2C+TX") {
		t.Errorf("the public page does not search for the ramp on this lake:\n%s", acctExcerpt(pub.body))
	}

	l, _ = site.Store.Lake(ctx, id)
	if len(l.Ramps) != 1 {
		t.Fatalf("ramps %+v", l.Ramps)
	}
	ramp := fmt.Sprintf("%s/ramps/%d/", base, l.Ramps[0].ID)
	r = acctPost(t, off, ramp, url.Values{"name": {"Black Rock Park"}, "map_url": {"https://evil.example/maps"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "https:// link from Google Maps") {
		t.Errorf("bad ramp link: %d, want 422 with the field message", r.status)
	}
	r = acctPost(t, off, ramp, url.Values{"name": {"Black Rock Park ramp"},
		"map_url":  {"https://www.google.com/maps/place/Black+Rock+Park"},
		"was_name": {l.Ramps[0].Name}, "was_map_url": {l.Ramps[0].MapURL}}) // the ramp as the form showed it
	if r.status != http.StatusSeeOther {
		t.Fatalf("edit ramp: %d\n%s", r.status, acctExcerpt(r.body))
	}
	pub = siteGet(t, site.Client(), fmt.Sprintf("%s/lakes/%d/", site.URL, id))
	if b := html.UnescapeString(pub.body); !strings.Contains(b, "Black Rock Park ramp") ||
		!strings.Contains(b, `href="https://www.google.com/maps/place/Black+Rock+Park"`) {
		t.Errorf("the public page does not show the edited ramp")
	}
	if r := acctPost(t, off, ramp+"delete/", nil); r.status != http.StatusSeeOther {
		t.Fatalf("delete ramp: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if l, _ = site.Store.Lake(ctx, id); len(l.Ramps) != 0 {
		t.Errorf("ramp not deleted: %+v", l.Ramps)
	}
	if n := auditCount(t, site.Store, "ramp"); n != 3 {
		t.Errorf("%d ramp audit entries, want 3 (add, edit, delete)", n)
	}
	if p := acctGet(t, off, site.URL+"/admin/audit/?kind=ramp"); p.status != http.StatusOK ||
		!strings.Contains(html.UnescapeString(p.body), "Black Rock Park ramp") {
		t.Errorf("the audit log filtered by kind ramp: %d, without the renamed ramp", p.status)
	}
	if r := acctPost(t, off, base+"/delete/", nil); r.status != http.StatusSeeOther {
		t.Fatalf("delete unused lake: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if _, err := site.Store.Lake(ctx, id); err == nil {
		t.Error("the unused lake was not deleted")
	}
	if n := auditCount(t, site.Store, "lake"); n != 2 {
		t.Errorf("%d lake audit entries, want 2 (create, delete)", n)
	}
}

// TestLakeForm_RefusalsNextToTheirFieldsAndNothingSaved: a map link of a host
// that is not on the allow-list, a bad state and a missing name are each
// refused beside their field; nothing is stored. Invalid UTF-8 is 400 and a
// huge body 413.
func TestLakeForm_RefusalsNextToTheirFieldsAndNothingSaved(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	off := siteLogin(t, site, demo.OfficerEmail)
	before, _ := site.Store.Lakes(context.Background())
	r := acctPost(t, off, site.URL+"/admin/lakes/new/", url.Values{"name": {""}, "state": {"Texas"},
		"map_url": {"https://maps.google.com.evil.example/lake"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	for field, msg := range map[string]string{"name": "Name is required.", "state": "State must be a two-letter code",
		"map_url": "Use an https:// link from Google Maps"} {
		if !regexp.MustCompile(`id="` + field + `-error">` + regexp.QuoteMeta(msg)).MatchString(r.body) {
			t.Errorf("no %q next to %s", msg, field)
		}
	}
	if !strings.Contains(r.body, `value="https://maps.google.com.evil.example/lake"`) {
		t.Error("the typed map link is not kept")
	}
	for _, c := range []struct {
		form url.Values
		want int
	}{
		{url.Values{"name": {"Lake \xff"}}, http.StatusUnprocessableEntity},
		{url.Values{"name": {"Big"}, "notes": {strings.Repeat("x", 300<<10)}}, http.StatusRequestEntityTooLarge},
	} {
		if r := acctPost(t, off, site.URL+"/admin/lakes/new/", c.form); r.status != c.want {
			t.Errorf("status %d, want %d", r.status, c.want)
		}
	}
	if after, _ := site.Store.Lakes(context.Background()); len(after) != len(before) {
		t.Errorf("%d lakes after refused forms, %d before", len(after), len(before))
	}
}

// TestLakeEdit_StaleFormGets409WithTheConflictAndInputKept: two officers
// open the same lake; the first saves, the second gets the conflict page
// (who saved, what differs, their typing kept) and nothing of theirs is
// stored — until they save again from that page.
func TestLakeEdit_StaleFormGets409WithTheConflictAndInputKept(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := context.Background()
	admin, off := siteLogin(t, site, demo.AdminEmail), siteLogin(t, site, demo.OfficerEmail)
	lakes, _ := site.Store.Lakes(ctx)
	id := lakes[0].ID
	first, second := lakeForm(t, admin, site, id), lakeForm(t, off, site, id)

	first.Set("notes", "Ramp fee $10 since March.")
	edit := fmt.Sprintf("%s/admin/lakes/%d/edit/", site.URL, id)
	if r := acctPost(t, admin, edit, first); r.status != http.StatusSeeOther {
		t.Fatalf("first save: %d\n%s", r.status, acctExcerpt(r.body))
	}
	second.Set("notes", "Closed for repairs.")
	r := acctPost(t, off, edit, second)
	if r.status != http.StatusConflict {
		t.Fatalf("stale save: %d, want 409", r.status)
	}
	adminName := acctPerson(t, site.Store, demo.AdminEmail).Name()
	for _, want := range []string{"Someone else saved this", adminName, "Ramp fee $10 since March.", "Closed for repairs."} {
		if !strings.Contains(html.UnescapeString(r.body), want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	if l, _ := site.Store.Lake(ctx, id); l.Notes != "Ramp fee $10 since March." {
		t.Errorf("stored notes %q: the stale form overwrote them", l.Notes)
	}
	second.Set("version", formVersion(t, r.body)) // "save again to keep yours"
	if r := acctPost(t, off, edit, second); r.status != http.StatusSeeOther {
		t.Fatalf("save again: %d", r.status)
	}
	if l, _ := site.Store.Lake(ctx, id); l.Notes != "Closed for repairs." {
		t.Errorf("stored notes %q after saving again", l.Notes)
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", `"`, "&#34;").Replace(s)
}

// TestLakeDelete_UsedByTournamentsIsRefusedNamingHowMany: the schema would
// set the tournaments' lake to NULL; the site refuses instead and says how
// many tournaments use the lake (and a ramp, the same for its tournaments).
func TestLakeDelete_UsedByTournamentsIsRefusedNamingHowMany(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := context.Background()
	off := siteLogin(t, site, demo.OfficerEmail)
	var lakeID, rampID int64
	var lakeUses, rampUses int
	if err := site.Store.DB().QueryRow(`SELECT lake_id, count(*) FROM tournaments WHERE lake_id IS NOT NULL
		GROUP BY lake_id ORDER BY count(*) DESC, lake_id LIMIT 1`).Scan(&lakeID, &lakeUses); err != nil {
		t.Fatal(err)
	}
	if err := site.Store.DB().QueryRow(`SELECT ramp_id, count(*) FROM tournaments WHERE lake_id = $1 AND ramp_id IS NOT NULL
		GROUP BY ramp_id ORDER BY ramp_id LIMIT 1`, lakeID).Scan(&rampID, &rampUses); err != nil {
		t.Fatal(err)
	}
	r := acctPost(t, off, fmt.Sprintf("%s/admin/lakes/%d/delete/", site.URL, lakeID), nil)
	if want := fmt.Sprintf("it is used by %d tournaments", lakeUses); r.status != http.StatusConflict || !strings.Contains(r.body, want) {
		t.Errorf("delete used lake: %d, want 409 saying %q\n%s", r.status, want, acctExcerpt(r.body))
	}
	r = acctPost(t, off, fmt.Sprintf("%s/admin/lakes/%d/ramps/%d/delete/", site.URL, lakeID, rampID), nil)
	want := fmt.Sprintf("it is used by %d tournament", rampUses)
	if r.status != http.StatusConflict || !strings.Contains(r.body, want) {
		t.Errorf("delete used ramp: %d, want 409 saying %q\n%s", r.status, want, acctExcerpt(r.body))
	}
	l, err := site.Store.Lake(ctx, lakeID)
	if err != nil || len(l.Ramps) == 0 {
		t.Fatalf("the used lake or its ramps went: %+v, %v", l, err)
	}
	var n int
	site.Store.DB().QueryRow(`SELECT count(*) FROM tournaments WHERE lake_id = $1`, lakeID).Scan(&n)
	if n != lakeUses {
		t.Errorf("%d tournaments on the lake after the refusal, %d before", n, lakeUses)
	}
}

// TestLakePage_EditLinkForOfficersOnlyEvenWithThePageCache: the public lake
// page is cached for anonymous visitors; the officer's Edit link must
// neither be cached for them nor missing for officers.
func TestLakePage_EditLinkForOfficersOnlyEvenWithThePageCache(t *testing.T) {
	site := cachedSite(t, newPageCache(t, cache.Options{}), nil)
	lakes, _ := site.Store.Lakes(context.Background())
	page := fmt.Sprintf("/lakes/%d/", lakes[0].ID)
	link := fmt.Sprintf(`href="/admin/lakes/%d/edit/"`, lakes[0].ID)
	off := siteLogin(t, site, demo.OfficerEmail)
	if p := siteGet(t, off, site.URL+page); !strings.Contains(p.body, link) {
		t.Errorf("officer: no Edit link on %s", page)
	}
	for range 2 { // a miss, then a hit
		if p := siteGet(t, site.Client(), site.URL+page); p.status != http.StatusOK || strings.Contains(p.body, link) {
			t.Errorf("anonymous: status %d, Edit link shown: %v", p.status, strings.Contains(p.body, link))
		}
	}
	if p := siteGet(t, siteLogin(t, site, demo.MemberEmail), site.URL+page); strings.Contains(p.body, link) {
		t.Error("member sees the Edit link")
	}
}

// TestTournamentPage_RampWithoutLinkSearchesRampLakeAndState: the ramp line
// of a tournament page links a map search naming the ramp, the lake and its
// state when the ramp has no link of its own.
func TestTournamentPage_RampWithoutLinkSearchesRampLakeAndState(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := context.Background()
	var tid, lakeID, rampID int64
	if err := site.Store.DB().QueryRow(`SELECT id, lake_id, ramp_id FROM tournaments WHERE ramp_id IS NOT NULL
		ORDER BY id LIMIT 1`).Scan(&tid, &lakeID, &rampID); err != nil {
		t.Fatal(err)
	}
	l, err := site.Store.Lake(ctx, lakeID)
	if err != nil {
		t.Fatal(err)
	}
	var ramp string
	for _, r := range l.Ramps {
		if r.ID == rampID {
			ramp = r.Name
			if err := site.Store.UpdateRamp(ctx, 0, r, club.Ramp{ID: r.ID, LakeID: lakeID, Name: r.Name}); err != nil {
				t.Fatal(err)
			}
		}
	}
	body := html.UnescapeString(siteGet(t, site.Client(), fmt.Sprintf("%s/tournaments/%d/", site.URL, tid)).body)
	want := "query=" + url.QueryEscape(ramp+", "+l.Name+", "+l.State)
	if !strings.Contains(body, want) {
		t.Errorf("the tournament page does not link %s", want)
	}
}

// rampFormValues reads the values of one ramp's edit form on the lake page.
func rampFormValues(t *testing.T, c *http.Client, site *testutil.Site, lakeID, rampID int64) url.Values {
	t.Helper()
	page := acctGet(t, c, fmt.Sprintf("%s/admin/lakes/%d/edit/", site.URL, lakeID))
	_, form, ok := strings.Cut(page.body, fmt.Sprintf(`action="/admin/lakes/%d/ramps/%d/"`, lakeID, rampID))
	if page.status != http.StatusOK || !ok {
		t.Fatalf("lake page %d: status %d, ramp %d's form found %t", lakeID, page.status, rampID, ok)
	}
	form, _, _ = strings.Cut(form, "</form>")
	return formOf(form)
}

// TestRampEdit_StaleFormGets409AndKeepsTheTypedValues: two officers open
// the same lake page; the first renames a ramp, the second's save of the
// same ramp is refused (409) with the stored name in the message and their
// typing kept, nothing of theirs stored — until they save again from that
// page. Ramps have no version column: the values they were shown are it.
func TestRampEdit_StaleFormGets409AndKeepsTheTypedValues(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := context.Background()
	admin, off := siteLogin(t, site, demo.AdminEmail), siteLogin(t, site, demo.OfficerEmail)
	var lakeID, rampID int64
	if err := site.Store.DB().QueryRow(`SELECT lake_id, id FROM ramps ORDER BY id LIMIT 1`).Scan(&lakeID, &rampID); err != nil {
		t.Fatal(err)
	}
	first, second := rampFormValues(t, admin, site, lakeID, rampID), rampFormValues(t, off, site, lakeID, rampID)
	save := fmt.Sprintf("%s/admin/lakes/%d/ramps/%d/", site.URL, lakeID, rampID)
	first.Set("name", "Marker North Ramp")
	if r := acctPost(t, admin, save, first); r.status != http.StatusSeeOther {
		t.Fatalf("first save: %d\n%s", r.status, acctExcerpt(r.body))
	}
	second.Set("name", "Marker South Ramp")
	r := acctPost(t, off, save, second)
	body := html.UnescapeString(r.body)
	if r.status != http.StatusConflict || !strings.Contains(body, "Someone saved this ramp") ||
		!strings.Contains(body, "“Marker North Ramp”") || !strings.Contains(body, `value="Marker South Ramp"`) {
		t.Fatalf("stale ramp save: %d, want 409 naming the stored name with the typed one kept\n%s", r.status,
			acctExcerpt(r.body))
	}
	stored := func() string {
		l, err := site.Store.Lake(ctx, lakeID)
		if err != nil {
			t.Fatal(err)
		}
		for _, rp := range l.Ramps {
			if rp.ID == rampID {
				return rp.Name
			}
		}
		return ""
	}
	if got := stored(); got != "Marker North Ramp" {
		t.Fatalf("stored ramp %q: the stale form overwrote the first save", got)
	}
	_, again, _ := strings.Cut(r.body, fmt.Sprintf(`action="/admin/lakes/%d/ramps/%d/"`, lakeID, rampID))
	again, _, _ = strings.Cut(again, "</form>")
	if r := acctPost(t, off, save, formOf(again)); r.status != http.StatusSeeOther {
		t.Fatalf("save again from the 409 page: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if got := stored(); got != "Marker South Ramp" {
		t.Errorf("stored ramp %q after saving again, want the second officer's", got)
	}
}
