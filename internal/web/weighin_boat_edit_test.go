package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sabc/internal/demo"
	"sabc/internal/store"
)

// An officer edits a boat's pairing from the weigh-in screen: Edit fills the
// boat form with its seats and version, the save changes the seats and is
// audited, and a second save with the old version is a conflict, not an
// overwrite.
func TestWeighInBoatEditChangesThePairingWithItsVersion(t *testing.T) {
	site := newAcctSite(t)
	ctx := context.Background()
	tr := scheduledTournament(t, site.Store)
	c := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	page := fmt.Sprintf("%s/tournaments/%d/weigh-in/", site.URL, tr.ID)
	ann, bob, cat := acctPerson(t, site.Store, demo.MemberEmail), acctGuest(t, site.Store),
		acctPerson(t, site.Store, demo.AdminEmail)
	for i, p := range []int64{ann.ID, bob.ID, cat.ID} {
		saveFor(t, site.Store, tr.ID, p, int64(500+100*i))
	}
	seat := func(id int64) string { return fmt.Sprintf("#%d", id) }
	if r := acctPost(t, c, page+"boats/", url.Values{"boat_a": {seat(ann.ID)}, "boat_b": {seat(bob.ID)}}); r.status != http.StatusSeeOther {
		t.Fatalf("add boat: %d %s", r.status, acctExcerpt(r.body))
	}
	boats, err := site.Store.Boats(ctx, tr.ID)
	if err != nil || len(boats) != 1 {
		t.Fatalf("boats: %v %v", boats, err)
	}
	b := boats[0]

	form := acctGet(t, c, fmt.Sprintf("%s?boat=%d", page, b.ID))
	for _, want := range []string{
		fmt.Sprintf(`<input type="hidden" name="boat_id" value="%d"><input type="hidden" name="version" value="%d">`, b.ID, b.Version),
		fmt.Sprintf(`name="boat_b" list="anglers" value="%s (#%d)"`, bob.Name(), bob.ID), "Save boat"} {
		if !strings.Contains(form.body, want) {
			t.Errorf("Edit form lacks %q", want)
		}
	}
	edit := url.Values{"boat_id": {fmt.Sprint(b.ID)}, "version": {fmt.Sprint(b.Version)},
		"boat_a": {seat(ann.ID)}, "boat_b": {seat(cat.ID)}}
	if r := acctPost(t, c, page+"boats/", edit); r.status != http.StatusSeeOther {
		t.Fatalf("edit boat: %d %s", r.status, acctExcerpt(r.body))
	}
	boats, _ = site.Store.Boats(ctx, tr.ID)
	if len(boats) != 1 || boats[0].ID != b.ID || len(boats[0].Anglers) != 2 || boats[0].Anglers[1].PersonID != cat.ID {
		t.Fatalf("after the edit: %+v, want boat %d with %s and %s", boats, b.ID, ann.Name(), cat.Name())
	}
	entries, err := site.Store.AuditEntries(ctx, store.AuditFilter{TournamentID: tr.ID, Kind: "boat", Limit: 1})
	if err != nil || len(entries) != 1 || entries[0].Action != "update" || !strings.Contains(entries[0].Before, fmt.Sprint(bob.ID)) {
		t.Errorf("audit of the edit: %+v %v, want an update whose before names %s", entries, err, bob.Name())
	}
	if r := acctPost(t, c, page+"boats/", edit); r.status != http.StatusConflict || !strings.Contains(r.body, "changed by someone else") {
		t.Errorf("second save with the old version: %d %s", r.status, acctExcerpt(r.body))
	}
}
