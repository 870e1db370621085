package web_test

import (
	"context"
	"fmt"
	"net/http"
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
