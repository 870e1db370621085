package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/demo"
)

// While the officers hide the standings until complete, no public view
// shows the unofficial weights — the tournament page, its CSV, the API
// document, the live page, the SSE stream and the angler's profile — but
// officers still see them everywhere; once complete, everyone does.
func TestHiddenStandingsStayOffEveryPublicViewUntilComplete(t *testing.T) {
	site := newAcctSite(t)
	ctx := context.Background()
	tr := scheduledTournament(t, site.Store)
	member := acctPerson(t, site.Store, demo.MemberEmail)
	saveFor(t, site.Store, tr.ID, member.ID, 812)
	if err := site.Store.SetHideLive(ctx, 0, tr.ID, true); err != nil {
		t.Fatal(err)
	}
	const weight = "8.12"
	tour := fmt.Sprintf("%s/tournaments/%d/", site.URL, tr.ID)
	views := map[string]string{
		"tournament page": tour,
		"results CSV":     tour + "results.csv",
		"API document":    fmt.Sprintf("%s/api/v1/tournaments/%d/results", site.URL, tr.ID),
		"live page":       tour + "live/",
		"profile":         fmt.Sprintf("%s/anglers/%d/", site.URL, member.ID),
	}
	shows := func(c *http.Client, name string) bool {
		t.Helper()
		p := siteGet(t, c, views[name])
		if p.status != http.StatusOK {
			t.Fatalf("%s: status %d", name, p.status)
		}
		return strings.Contains(p.body, weight)
	}
	streams := func(c *http.Client) bool {
		t.Helper()
		ev := nextEvent(t, sseStreamWith(t, c, site.URL, tr.ID, ""), 5*time.Second, "standings event")
		return strings.Contains(ev.data, weight)
	}

	anon := site.Client()
	for name := range views {
		if shows(anon, name) {
			t.Errorf("hidden standings: the visitor's %s shows %s", name, weight)
		}
	}
	if streams(anon) {
		t.Errorf("hidden standings: the visitor's SSE stream carries %s", weight)
	}
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	for _, name := range []string{"tournament page", "results CSV", "API document", "live page", "profile"} {
		if !shows(officer, name) {
			t.Errorf("hidden standings: the officer's %s lacks %s", name, weight)
		}
	}
	if !streams(officer) {
		t.Errorf("hidden standings: the officer's SSE stream lacks %s", weight)
	}

	if err := site.Store.SetTournamentStatus(ctx, 0, tr.ID, club.StatusComplete); err != nil {
		t.Fatal(err)
	}
	for name := range views {
		if !shows(anon, name) {
			t.Errorf("complete: the visitor's %s lacks %s", name, weight)
		}
	}
	if !streams(anon) {
		t.Errorf("complete: the visitor's SSE stream lacks %s", weight)
	}
}
