package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sabc/internal/club"
)

// writeTxs is the X-DB-Write-Transactions of a response: writer
// transactions begun plus write statements run on their own, counted by the
// obs driver hook for the request.
func writeTxs(t *testing.T, r apiResp) int {
	t.Helper()
	n, err := strconv.Atoi(r.header.Get("X-DB-Write-Transactions"))
	if err != nil {
		t.Fatalf("no X-DB-Write-Transactions header (%d %s)", r.status, r.body)
	}
	return n
}

// A weigh-in PUT is one writer transaction: the Idempotency-Key's claim and
// the stored answer ride in the save's own transaction (SQLite has one
// writer, so each extra transaction is another wait in its queue). The first
// save of a scheduled tournament, which also starts the weigh-in, is one
// too; a replay is none; a refusal stores its answer in one. The answer,
// built from the rows the rescore read, is the standings document a GET
// returns afterwards, byte for byte — ties (same place, ordered by name)
// included.
func TestWeighInPUTIsOneWriterTransaction(t *testing.T) {
	site := newAcctSite(t)
	tr := scheduledTournament(t, site.Store)
	token := officerToken(t, site.Site)
	c := site.Client()
	base := fmt.Sprintf("%s/api/v1/tournaments/%d/results", site.URL, tr.ID)
	people, err := site.Store.People(context.Background(), true)
	if err != nil || len(people) < 4 {
		t.Fatalf("demo people: %v (%d)", err, len(people))
	}
	put := func(pid int64, key string, body any) apiResp {
		return apiCall(t, c, http.MethodPut, fmt.Sprintf("%s/%d", base, pid), token, key, body)
	}
	same := func(what string, answer apiResp) {
		t.Helper()
		get := apiCall(t, c, http.MethodGet, base, token, "", nil)
		if get.status != http.StatusOK || !bytes.Equal(get.body, answer.body) {
			t.Errorf("%s: the answer is not the document GET returns:\nanswer %s\nGET    %s", what, answer.body, get.body)
		}
	}

	first := put(people[0].ID, "tx1", map[string]any{"fish": 3, "gross": "8.00"})
	if first.status != http.StatusOK {
		t.Fatalf("first PUT: %d %s", first.status, first.body)
	}
	if n := writeTxs(t, first); n != 1 {
		t.Errorf("first PUT of a scheduled tournament (save + start the weigh-in): %d writer transactions, want 1", n)
	}
	var d apiDoc
	first.json(t, &d)
	if d.Tournament.Status != club.StatusWeighIn {
		t.Errorf("after the first PUT the answer says status %q, want %q", d.Tournament.Status, club.StatusWeighIn)
	}
	same("first PUT", first)

	// Two more anglers tie with the first (same place, ordered by name),
	// entered in reverse name order: each new row sorts before the others.
	tied := slices.Clone(people[1:3])
	slices.SortFunc(tied, func(a, b club.Person) int {
		return strings.Compare(b.LastName+" "+b.FirstName, a.LastName+" "+a.FirstName)
	})
	for i, p := range tied {
		r := put(p.ID, fmt.Sprintf("tx-tie%d", i), map[string]any{"fish": 3, "gross": "8.00"})
		if r.status != http.StatusOK || writeTxs(t, r) != 1 {
			t.Fatalf("tied PUT %d: %d, %s writer transactions: %s", i, r.status,
				r.header.Get("X-DB-Write-Transactions"), r.body)
		}
		same(fmt.Sprintf("tied PUT %d", i), r)
	}

	edit := put(people[0].ID, "tx2", map[string]any{"fish": 4, "gross": "9.50", "version": 1})
	if edit.status != http.StatusOK || writeTxs(t, edit) != 1 {
		t.Errorf("edit: %d, %s writer transactions, want 200 and 1: %s", edit.status,
			edit.header.Get("X-DB-Write-Transactions"), edit.body)
	}
	same("edit", edit)

	replay := put(people[0].ID, "tx2", map[string]any{"fish": 4, "gross": "9.50", "version": 1})
	if !bytes.Equal(replay.body, edit.body) || writeTxs(t, replay) != 0 {
		t.Errorf("replay: %s writer transactions, same body %v; want 0 and the first answer",
			replay.header.Get("X-DB-Write-Transactions"), bytes.Equal(replay.body, edit.body))
	}

	bad := put(people[3].ID, "tx3", map[string]any{"fish": 2, "dead": 3, "gross": "1.234"})
	if bad.status != http.StatusUnprocessableEntity || writeTxs(t, bad) != 1 {
		t.Errorf("refused row: %d, %s writer transactions, want 422 and 1 (its stored answer)", bad.status,
			bad.header.Get("X-DB-Write-Transactions"))
	}
	if again := put(people[3].ID, "tx3", map[string]any{"fish": 2, "dead": 3, "gross": "1.234"}); !bytes.Equal(again.body, bad.body) ||
		again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("the refusal's replay: %d %s, want the stored 422", again.status, again.body)
	}

	del := apiCall(t, c, http.MethodDelete, fmt.Sprintf("%s/%d", base, people[1].ID), token, "tx4", nil)
	if del.status != http.StatusOK || writeTxs(t, del) != 1 {
		t.Errorf("delete: %d, %s writer transactions, want 200 and 1", del.status, del.header.Get("X-DB-Write-Transactions"))
	}
	same("delete", del)
}
