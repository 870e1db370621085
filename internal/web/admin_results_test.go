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
)

// completeIndividual is a complete individual demo tournament with points,
// and its results ordered by stored place.
func completeIndividual(t *testing.T, st *store.Store) (club.Tournament, []club.Result) {
	t.Helper()
	ts, err := st.Tournaments(context.Background(), store.TournamentFilter{Status: club.StatusComplete})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range ts {
		if tr.Format != "individual" || !tr.PointsCount {
			continue
		}
		rs, err := st.Results(context.Background(), tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) >= 5 {
			return tr, rs
		}
	}
	t.Fatal("the demo club has no complete individual tournament with five results")
	return club.Tournament{}, nil
}

func placeOf(r club.Result) int {
	if r.Place == nil {
		return 0
	}
	return *r.Place
}

// Results outside the weigh-in (issue 11): through the result page an officer
// locks a place and points with a reason — that row shows the lock, nobody
// else moves, and the audit log has the reason —, and deletes a result only
// with a reason and the confirmation box, after which the tournament is
// rescored without it.
func TestResultPage_LockAndDeleteWithReasonAreAuditedAndRescored(t *testing.T) {
	site := newAcctSite(t)
	ctx := context.Background()
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	tr, rs := completeIndividual(t, site.Store)
	var target club.Result
	for _, r := range rs {
		if placeOf(r) >= 3 && r.WasMember {
			target = r
			break
		}
	}
	if target.ID == 0 {
		t.Fatal("no member placed 3rd or lower")
	}
	page := fmt.Sprintf("/admin/tournaments/%d/results/%d/", tr.ID, target.PersonID)
	staleDelete := pageForm(t, officer, site.URL+page, page+"delete/") // read before the lock below
	form := pageForm(t, officer, site.URL+page, page)
	form.Set("locked", "on")
	form.Set("locked_place", "1")
	form.Set("locked_points", "77")
	if r := acctPost(t, officer, site.URL+page, form); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "Say why") {
		t.Fatalf("lock without a reason: %d, want 422 asking why\n%s", r.status, acctExcerpt(r.body))
	}
	form.Set("reason", "committee ruling at the ramp")
	if r := acctPost(t, officer, site.URL+page, form); r.status != http.StatusSeeOther {
		t.Fatalf("lock: %d\n%s", r.status, acctExcerpt(r.body))
	}
	after, err := site.Store.Results(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range after {
		switch {
		case r.ID == target.ID:
			if placeOf(r) != 1 || r.Points == nil || *r.Points != 77 {
				t.Errorf("locked row: place %d points %v, want 1 and 77", placeOf(r), r.Points)
			}
		case placeOf(r) != placeOf(findResult(rs, r.ID)):
			t.Errorf("row %d (%s) moved from %d to %d: a lock moves nobody else", i, r.Name(),
				placeOf(findResult(rs, r.ID)), placeOf(r))
		}
	}
	var reason string
	site.Store.DB().QueryRow(`SELECT after_json FROM audit_entries WHERE object_kind = 'result' AND object_id = $1
		AND action = 'correct'`, target.ID).Scan(&reason)
	if !strings.Contains(reason, "committee ruling at the ramp") {
		t.Errorf("audit after_json %q lacks the reason", reason)
	}

	staleDelete.Set("delete_reason", "wrong angler")
	staleDelete.Set("confirm", "on")
	if r := acctPost(t, officer, site.URL+page+"delete/", staleDelete); r.status != http.StatusConflict {
		t.Errorf("a delete read before the lock: %d, want 409", r.status)
	}
	if _, err := site.Store.ResultFor(ctx, tr.ID, target.PersonID); err != nil {
		t.Errorf("the stale delete removed the locked result: %v", err)
	}

	victim := rs[len(rs)-1]
	del := fmt.Sprintf("/admin/tournaments/%d/results/%d/delete/", tr.ID, victim.PersonID)
	vpage := fmt.Sprintf("/admin/tournaments/%d/results/%d/", tr.ID, victim.PersonID)
	df := pageForm(t, officer, site.URL+vpage, del)
	df.Set("delete_reason", "duplicate account")
	if r := acctPost(t, officer, site.URL+del, df); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("delete without the confirmation: %d, want 422", r.status)
	}
	if _, err := site.Store.ResultFor(ctx, tr.ID, victim.PersonID); err != nil {
		t.Fatalf("the unconfirmed delete removed the result: %v", err)
	}
	df.Set("confirm", "on")
	if r := acctPost(t, officer, site.URL+del, df); r.status != http.StatusSeeOther {
		t.Fatalf("delete: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if _, err := site.Store.ResultFor(ctx, tr.ID, victim.PersonID); err == nil {
		t.Error("the confirmed delete kept the result")
	}
	if body := acctGet(t, site.Client(), site.URL+fmt.Sprintf("/tournaments/%d/", tr.ID)).body; strings.Contains(body,
		fmt.Sprintf(`href="/anglers/%d/"`, victim.PersonID)) {
		t.Errorf("the public page still lists %s", victim.Name())
	}
}

func findResult(rs []club.Result, id int64) club.Result {
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	return club.Result{}
}
