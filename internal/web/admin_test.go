package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// TestOfficerArea_HeaderLinkOnlyForOfficers: officers and admins get a link
// to /admin/ in the header; members do not.
func TestOfficerArea_HeaderLinkOnlyForOfficers(t *testing.T) {
	site := newAcctSite(t)
	for email, want := range map[string]bool{demo.MemberEmail: false, demo.OfficerEmail: true, demo.AdminEmail: true} {
		r := acctGet(t, acctLogin(t, site.Site, email, demo.Password), site.URL+"/")
		if got := strings.Contains(r.body, `href="/admin/"`); got != want {
			t.Errorf("%s: officer link shown %v, want %v", email, got, want)
		}
	}
}

// TestDashboard_ShowsWhatNeedsAnOfficer: the next tournament with its
// weigh-in link, guests with results, members with dues overdue, and the
// latest audited write, as the store has them.
func TestDashboard_ShowsWhatNeedsAnOfficer(t *testing.T) {
	site := newAcctSite(t)
	ctx := context.Background()
	today := club.Today(testutil.Now)
	next, err := site.Store.NextTournaments(ctx, today, 1)
	if err != nil || len(next) == 0 {
		t.Fatalf("the demo club has no upcoming tournament: %v", err)
	}
	guests, err := site.Store.GuestsToPromote(ctx, 1)
	if err != nil || len(guests) == 0 {
		t.Fatalf("the demo club has no guest with results: %v", err)
	}
	member := acctPerson(t, site.Store, demo.MemberEmail)
	member.DuesPaidThrough = club.Date{Time: today.AddDate(0, 0, -1)}
	if err := site.Store.SaveProfile(ctx, 0, store.ProfileChange{Person: member}); err != nil {
		t.Fatal(err)
	}
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	// An audited write through a real form: the officer promotes the guest.
	g := guests[0].Person
	edit := fmt.Sprintf("/anglers/%d/edit/", g.ID)
	form := pageForm(t, officer, site.URL+edit, edit)
	form.Set("member", "on")
	if r := acctPost(t, officer, site.URL+edit, form); r.status != http.StatusSeeOther {
		t.Fatalf("promote: %d", r.status)
	}
	r := acctGet(t, officer, site.URL+"/admin/")
	if r.status != http.StatusOK {
		t.Fatalf("/admin/: %d", r.status)
	}
	for _, want := range []string{next[0].Name, fmt.Sprintf(`/tournaments/%d/weigh-in/`, next[0].ID),
		member.Name(), "paid through " + member.DuesPaidThrough.Format("Mon, Jan 2, 2006"),
		"membership person", "<code>member</code>: false → true"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	_, section, _ := strings.Cut(r.body, `id="guests-h"`)
	section, _, _ = strings.Cut(section, `id="dues-h"`)
	if strings.Contains(section, g.Name()) {
		t.Errorf("%s is still listed as a guest to promote after the promotion", g.Name())
	}
}

// TestAuditLog_Filters: kind, person and date filters select entries; a
// date that does not parse is named next to its field.
func TestAuditLog_Filters(t *testing.T) {
	site := newAcctSite(t)
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	g := acctGuest(t, site.Store)
	edit := fmt.Sprintf("/anglers/%d/edit/", g.ID)
	form := pageForm(t, officer, site.URL+edit, edit)
	form.Set("member", "on")
	if r := acctPost(t, officer, site.URL+edit, form); r.status != http.StatusSeeOther {
		t.Fatalf("promote: %d", r.status)
	}
	today := club.Today(testutil.Now).String()
	r := acctGet(t, officer, site.URL+fmt.Sprintf("/admin/audit/?kind=person&person=%d&from=%s&to=%s", g.ID, today, today))
	if r.status != http.StatusOK || !strings.Contains(r.body, "<code>member</code>: false → true") {
		t.Errorf("filtered audit log: %d, lacks the promotion\n%s", r.status, acctExcerpt(r.body))
	}
	r = acctGet(t, officer, site.URL+"/admin/audit/?kind=tournament&person="+fmt.Sprint(g.ID))
	if strings.Contains(r.body, "<code>member</code>") {
		t.Error("the tournament filter shows a membership entry")
	}
	r = acctGet(t, officer, site.URL+"/admin/audit/?from=yesterday")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="from-error"`) {
		t.Errorf("bad date: %d, want 422 with the message next to the field", r.status)
	}
}

// The members page (issue 11): its filters select by standing, the search
// finds a guest by email, and the row's buttons promote, deactivate and
// reactivate through the one audited path — a deactivated account cannot
// log in, a reactivated one can, and a button from a list older than the
// person's last change is refused with 409 instead of undoing it.
func TestMembersPage_FiltersPromoteDeactivateReactivate(t *testing.T) {
	site := newAcctSite(t)
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	g := acctGuest(t, site.Store)
	list := func(query string) string {
		t.Helper()
		r := acctGet(t, officer, site.URL+"/admin/members/"+query)
		if r.status != http.StatusOK {
			t.Fatalf("members%s: %d", query, r.status)
		}
		return r.body
	}
	if b := list("?filter=guests&q=" + url.QueryEscape(g.Email)); !strings.Contains(b, g.Name()) || !strings.Contains(b, "1 account.") {
		t.Fatalf("guest search by email does not find exactly %s\n%s", g.Name(), acctExcerpt(b))
	}
	if b := list("?filter=members"); strings.Contains(b, g.Name()) {
		t.Errorf("the members filter lists the guest %s", g.Name())
	}
	stale := pageFormFromBody(t, list("?filter=guests&q="+url.QueryEscape(g.Email)), fmt.Sprintf("/admin/members/%d/deactivate/", g.ID))

	promote := fmt.Sprintf("/admin/members/%d/promote/", g.ID)
	form := pageFormFromBody(t, list("?filter=guests&q="+url.QueryEscape(g.Email)), promote)
	r := acctPost(t, officer, site.URL+promote, form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("promote: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if b := list(strings.TrimPrefix(r.header.Get("Location"), "/admin/members/")); !strings.Contains(b, g.Name()+" is now a member.") {
		t.Errorf("no notice after promoting\n%s", acctExcerpt(b))
	}
	if p := acctPerson(t, site.Store, g.Email); !p.Member || p.MemberSince.IsZero() {
		t.Errorf("after promote: member %v since %s", p.Member, p.MemberSince)
	}
	if r := acctPost(t, officer, site.URL+fmt.Sprintf("/admin/members/%d/deactivate/", g.ID), stale); r.status != http.StatusConflict ||
		!strings.Contains(r.body, "was changed by someone else") {
		t.Errorf("a button from before the promotion: %d, want 409\n%s", r.status, acctExcerpt(r.body))
	}

	deactivate := fmt.Sprintf("/admin/members/%d/deactivate/", g.ID)
	if r := acctPost(t, officer, site.URL+deactivate, pageFormFromBody(t, list("?filter=members"), deactivate)); r.status != http.StatusSeeOther {
		t.Fatalf("deactivate: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if r := acctPost(t, site.Client(), site.URL+"/login/", url.Values{"email": {g.Email}, "password": {demo.Password}}); r.status != http.StatusForbidden {
		t.Errorf("deactivated account logs in: %d", r.status)
	}
	if b := list("?filter=inactive"); !strings.Contains(b, g.Name()) {
		t.Errorf("inactive filter misses %s", g.Name())
	}
	reactivate := fmt.Sprintf("/admin/members/%d/reactivate/", g.ID)
	if r := acctPost(t, officer, site.URL+reactivate, pageFormFromBody(t, list("?filter=inactive"), reactivate)); r.status != http.StatusSeeOther {
		t.Fatalf("reactivate: %d\n%s", r.status, acctExcerpt(r.body))
	}
	acctLogin(t, site.Site, g.Email, demo.Password)

	var n int
	site.Store.DB().QueryRow(`SELECT count(*) FROM audit_entries WHERE person_id = $1 AND action = 'membership'`, g.ID).Scan(&n)
	if n != 3 {
		t.Errorf("%d membership audit entries, want 3 (promote, deactivate, reactivate)", n)
	}
	admin := acctPerson(t, site.Store, demo.AdminEmail)
	if r := acctPost(t, officer, site.URL+fmt.Sprintf("/admin/members/%d/deactivate/", admin.ID),
		url.Values{"version": {strconv.Itoa(admin.Version)}}); r.status != http.StatusForbidden {
		t.Errorf("an officer deactivating an admin: %d, want 403", r.status)
	}
}

// Officers get inline Edit links on a profile and on every roster row
// (spec 02-site §4); members, who may not edit others, get none.
func TestEditLinks_OnProfileAndRosterForOfficersOnly(t *testing.T) {
	site := newAcctSite(t)
	g := acctGuest(t, site.Store)
	editLink := fmt.Sprintf(`href="/anglers/%d/edit/">Edit</a>`, g.ID)
	for email, want := range map[string]bool{demo.MemberEmail: false, demo.OfficerEmail: true} {
		c := acctLogin(t, site.Site, email, demo.Password)
		for _, p := range []string{fmt.Sprintf("/anglers/%d/", g.ID), "/roster/"} {
			r := acctGet(t, c, site.URL+p)
			if got := strings.Contains(r.body, editLink); r.status != http.StatusOK || got != want {
				t.Errorf("%s as %s: %d, Edit link %v, want %v", p, email, r.status, got, want)
			}
		}
	}
	if r := acctGet(t, site.Client(), site.URL+fmt.Sprintf("/anglers/%d/", g.ID)); strings.Contains(r.body, editLink) {
		t.Error("an anonymous visitor sees the Edit link")
	}
}
