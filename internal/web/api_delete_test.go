package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"testing"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
)

// memberWeighedIn enters the demo member's 12.00 lb in the scheduled
// tournament through the API (version 1) and returns a caller of that row's
// URL with an officer's token.
func memberWeighedIn(t *testing.T) (*acctSite, club.Tournament, func(method, key string, body any) apiResp) {
	site := newAcctSite(t)
	tr := scheduledTournament(t, site.Store)
	token := officerToken(t, site.Site)
	member := acctPerson(t, site.Store, demo.MemberEmail)
	c := site.Client()
	u := fmt.Sprintf("%s/api/v1/tournaments/%d/results/%d", site.URL, tr.ID, member.ID)
	call := func(method, key string, body any) apiResp {
		return apiCall(t, c, method, u, token, key, body)
	}
	if r := call(http.MethodPut, "p1", map[string]any{"fish": 5, "gross": "12.00"}); r.status != http.StatusOK {
		t.Fatalf("first PUT: %d %s", r.status, r.body)
	}
	return site, tr, call
}

// DELETE with a version removes the row only at that version: a stale one
// is 409 with the row as stored, nothing removed; each answer replays
// unchanged under its Idempotency-Key and writes nothing more.
func TestWeighInAPIDeleteIsVersionedAndReplaysItsAnswer(t *testing.T) {
	site, tr, call := memberWeighedIn(t)
	ctx := context.Background()
	if r := call(http.MethodPut, "p2", map[string]any{"fish": 5, "gross": "13.00", "version": 1}); r.status != http.StatusOK {
		t.Fatalf("edit: %d %s", r.status, r.body)
	}

	var d apiDoc
	stale := call(http.MethodDelete, "d1", map[string]any{"version": 1})
	stale.json(t, &d)
	if stale.status != http.StatusConflict || d.Current == nil || d.Current.Version != 2 || d.Current.Gross != "13.00" {
		t.Fatalf("delete at version 1 after an edit: %d %s, want 409 with the row at version 2", stale.status, stale.body)
	}
	if r := call(http.MethodDelete, "d1", map[string]any{"version": 1}); r.status != http.StatusConflict ||
		!bytes.Equal(r.body, stale.body) || r.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replayed stale delete: %d %s, want the first 409 again", r.status, r.body)
	}
	if rs, _ := site.Store.Results(ctx, tr.ID); len(rs) != 1 {
		t.Fatalf("a stale delete removed the row: %d rows", len(rs))
	}

	fresh := call(http.MethodDelete, "d2", map[string]any{"version": 2})
	fresh.json(t, &d)
	if fresh.status != http.StatusOK || len(d.Results) != 0 {
		t.Fatalf("delete at the current version: %d %s", fresh.status, fresh.body)
	}
	if r := call(http.MethodDelete, "d2", map[string]any{"version": 2}); r.status != http.StatusOK ||
		!bytes.Equal(r.body, fresh.body) || r.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replayed delete: %d %s, want the first 200 again", r.status, r.body)
	}
	entries, err := site.Store.AuditEntries(ctx, store.AuditFilter{TournamentID: tr.ID, Kind: "result"})
	if err != nil {
		t.Fatal(err)
	}
	deletes := 0
	for _, e := range entries {
		if e.Action == "delete" {
			deletes++
		}
	}
	if deletes != 1 {
		t.Errorf("audited deletes: %d, want exactly 1 (the replay writes nothing)", deletes)
	}
}

// On a complete tournament the API refuses a change without a reason with
// the message next to the "correction" field, and takes it with one.
func TestWeighInAPIOnACompleteTournamentNeedsACorrectionReason(t *testing.T) {
	site, tr, call := memberWeighedIn(t)
	ctx := context.Background()
	if err := site.Store.SetTournamentStatus(ctx, 0, tr.ID, club.StatusComplete); err != nil {
		t.Fatal(err)
	}
	const want = "This tournament is complete: give a reason for the correction."
	var d apiDoc
	for i, c := range []struct {
		method string
		body   map[string]any
	}{
		{http.MethodPut, map[string]any{"fish": 5, "gross": "13.00", "version": 1}},
		{http.MethodDelete, map[string]any{"version": 1}},
		{http.MethodDelete, map[string]any{"version": 1, "correction": "   "}},
	} {
		r := call(c.method, fmt.Sprint("n", i), c.body)
		r.json(t, &d)
		if r.status != http.StatusUnprocessableEntity || d.Errors["correction"] != want {
			t.Errorf("%s %v without a reason: %d %s, want 422 with %q on correction", c.method, c.body, r.status, r.body, want)
		}
	}
	r := call(http.MethodPut, "p2", map[string]any{"fish": 5, "gross": "13.00", "version": 1, "correction": "scale re-checked"})
	if r.status != http.StatusOK {
		t.Errorf("correction with a reason: %d %s", r.status, r.body)
	}
	if rs, _ := site.Store.Results(ctx, tr.ID); len(rs) != 1 || rs[0].Gross != 1300 || rs[0].Version != 2 {
		t.Errorf("after the correction: %+v", rs)
	}
}
