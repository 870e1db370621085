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
)

func TestWeighInScreen_FormPostsWithoutJavaScript(t *testing.T) {
	site := newAcctSite(t)
	tr := scheduledTournament(t, site.Store)
	c := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	page := fmt.Sprintf("%s/tournaments/%d/weigh-in/", site.URL, tr.ID)
	member := acctPerson(t, site.Store, demo.MemberEmail)
	label := fmt.Sprintf("%s (#%d)", member.Name(), member.ID)

	if r := acctGet(t, c, page); r.status != http.StatusOK || !strings.Contains(r.body, `list="anglers"`) ||
		!strings.Contains(r.body, label) {
		t.Fatalf("screen: %d, no type-ahead with %q", r.status, label)
	}
	r := acctPost(t, c, page, url.Values{"angler": {label}, "fish": {"4"}, "dead": {"1"}, "gross": {"10.50"},
		"big_bass": {"3.25"}, "version": {"0"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.status, acctExcerpt(r.body))
	}
	// The save starts the weigh-in in its own transaction; the other one a
	// POST may make is the session's ("seen", session.go).
	if n, _ := strconv.Atoi(r.header.Get("X-DB-Write-Transactions")); n < 1 || n > 2 {
		t.Errorf("first save of a scheduled tournament (save + start the weigh-in): %d writer transactions, "+
			"want the save's and at most the session's", n)
	}
	after := acctGet(t, c, site.URL+r.header.Get("Location"))
	if !strings.Contains(after.body, "Saved "+member.Name()) || !strings.Contains(after.body, "10.25") {
		t.Errorf("after the save the standings do not show the net 10.25: %s", acctExcerpt(after.body))
	}
	if got, _ := site.Store.Tournament(context.Background(), tr.ID); got.Status != club.StatusWeighIn {
		t.Errorf("status after the first save: %s, want weigh-in", got.Status)
	}
	// A second result for the angler is refused with the stored one named.
	r = acctPost(t, c, page, url.Values{"angler": {label}, "fish": {"1"}, "gross": {"2.00"}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "already has a result") {
		t.Errorf("duplicate: %d", r.status)
	}
	// Field errors next to the field, nothing saved.
	guest := acctGuest(t, site.Store)
	r = acctPost(t, c, page, url.Values{"angler": {fmt.Sprintf("#%d", guest.ID)}, "fish": {"6"}, "gross": {"9.00"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="fish-error"`) {
		t.Errorf("six fish: %d %s", r.status, acctExcerpt(r.body))
	}
	// A stale edit: someone saves in between.
	res, _ := site.Store.ResultFor(context.Background(), tr.ID, member.ID)
	edit := url.Values{"angler": {label}, "fish": {"4"}, "gross": {"11.00"}, "version": {fmt.Sprint(res.Version)}}
	if r := acctPost(t, c, page, edit); r.status != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", r.status, acctExcerpt(r.body))
	}
	r = acctPost(t, c, page, edit)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "review and save again") {
		t.Errorf("stale edit: %d %s", r.status, acctExcerpt(r.body))
	}
	// An inline guest, then a boat of the two.
	r = acctPost(t, c, page, url.Values{"guest_first": {"Gus"}, "guest_last": {"Newman"}, "fish": {"2"}, "gross": {"4.00"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("inline guest: %d %s", r.status, acctExcerpt(r.body))
	}
	r = acctPost(t, c, page+"boats/", url.Values{"boat_a": {label}, "boat_b": {"Gus Newman"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("boat: %d %s", r.status, acctExcerpt(r.body))
	}
	if boats, _ := site.Store.Boats(context.Background(), tr.ID); len(boats) != 1 || len(boats[0].Anglers) != 2 {
		t.Errorf("boats: %+v", boats)
	}
	// Mark complete: nothing to warn about, then corrections need a reason.
	if r := acctPost(t, c, page+"complete/", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("complete: %d %s", r.status, acctExcerpt(r.body))
	}
	res, _ = site.Store.ResultFor(context.Background(), tr.ID, member.ID)
	edit.Set("version", fmt.Sprint(res.Version))
	if r := acctPost(t, c, page, edit); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "correction") {
		t.Errorf("edit of a complete tournament without a reason: %d", r.status)
	}
	edit.Set("correction", "scale re-checked")
	if r := acctPost(t, c, page, edit); r.status != http.StatusSeeOther {
		t.Errorf("correction: %d %s", r.status, acctExcerpt(r.body))
	}
}

func TestMarkCompleteWarnsAboutIncompleteBoatsAndMissingWeights(t *testing.T) {
	site := newAcctSite(t)
	tr := scheduledTournament(t, site.Store)
	c := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	page := fmt.Sprintf("%s/tournaments/%d/weigh-in/", site.URL, tr.ID)
	member := acctPerson(t, site.Store, demo.MemberEmail)
	label := fmt.Sprintf("#%d", member.ID)
	acctPost(t, c, page, url.Values{"angler": {label}, "fish": {"3"}})
	acctPost(t, c, page+"boats/", url.Values{"boat_a": {label}})
	r := acctPost(t, c, page+"complete/", url.Values{})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "has one angler") ||
		!strings.Contains(r.body, "no weight") {
		t.Fatalf("warnings: %d %s", r.status, acctExcerpt(r.body))
	}
	if got, _ := site.Store.Tournament(context.Background(), tr.ID); got.Status == club.StatusComplete {
		t.Fatal("marked complete despite the warnings")
	}
	if r := acctPost(t, c, page+"complete/", url.Values{"confirm": {"on"}}); r.status != http.StatusSeeOther {
		t.Fatalf("complete anyway: %d", r.status)
	}
	if got, _ := site.Store.Tournament(context.Background(), tr.ID); got.Status != club.StatusComplete {
		t.Fatal("not complete after confirming")
	}
}

func TestWeighInTeamFormatIsEnteredOnTheBoat(t *testing.T) {
	site := newAcctSite(t)
	tr := scheduledTournament(t, site.Store)
	ctx := context.Background()
	tid, err := site.Store.CreateTournament(ctx, club.Tournament{SeasonYear: tr.SeasonYear,
		Date: club.Date{Time: tr.Date.AddDate(0, 0, 3)}, Name: "Team test", Format: club.FormatTeam,
		PointsCount: true, Status: club.StatusScheduled})
	if err != nil {
		t.Fatal(err)
	}
	c := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	page := fmt.Sprintf("%s/tournaments/%d/weigh-in/", site.URL, tid)
	if r := acctGet(t, c, page); r.status != http.StatusOK || !strings.Contains(r.body, `id="boat-big_bass"`) ||
		strings.Contains(r.body, `id="big_bass"`) {
		t.Fatalf("team screen: %d; the catch must be entered on the boat, not the angler", r.status)
	}
	a, b := acctPerson(t, site.Store, demo.MemberEmail), acctPerson(t, site.Store, demo.OfficerEmail)
	boat := url.Values{"boat_a": {fmt.Sprintf("#%d", a.ID)}, "boat_b": {fmt.Sprintf("#%d", b.ID)},
		"fish": {"6"}, "gross": {"15.00"}}
	if r := acctPost(t, c, page+"boats/", boat); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "over the limit") {
		t.Errorf("six fish on a boat (limit 5): %d", r.status)
	}
	boat.Set("fish", "5")
	boat.Set("dead", "1")
	r := acctPost(t, c, page+"boats/", boat)
	if r.status != http.StatusSeeOther {
		t.Fatalf("team boat: %d %s", r.status, acctExcerpt(r.body))
	}
	if got, _ := site.Store.Tournament(ctx, tid); got.Status != club.StatusWeighIn {
		t.Errorf("status after the first boat: %s, want weigh-in", got.Status)
	}
	boats, _ := site.Store.Boats(ctx, tid)
	if len(boats) != 1 || boats[0].Net != 1475 || boats[0].Place == nil || *boats[0].Place != 1 {
		t.Fatalf("team boat outcome: %+v", boats)
	}
	rs, _ := site.Store.Results(ctx, tid)
	if len(rs) != 2 || rs[0].Net != 1475 || rs[0].Points == nil {
		t.Errorf("the anglers do not mirror their boat: %+v", rs)
	}
}
