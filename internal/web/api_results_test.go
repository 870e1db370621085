package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// scheduledTournament is the demo club's next tournament after testutil.Now
// (nobody has weighed in yet).
func scheduledTournament(t testing.TB, st *store.Store) club.Tournament {
	t.Helper()
	ts, err := st.Tournaments(context.Background(), store.TournamentFilter{Status: club.StatusScheduled})
	if err != nil {
		t.Fatal(err)
	}
	today := club.Today(st.Now()) // the site's clock, which a test may have fixed
	var best club.Tournament
	for _, tr := range ts {
		if !tr.Cancelled && !tr.Date.Before(today.Time) && (best.ID == 0 || tr.Date.Before(best.Date.Time)) &&
			tr.Format == club.FormatIndividual {
			best = tr
		}
	}
	if best.ID == 0 {
		t.Fatal("the demo club has no scheduled individual tournament from today on")
	}
	return best
}

type apiResp struct {
	status int
	header http.Header
	body   []byte
}

func (r apiResp) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// apiCall sends one API request; token "" sends none (the client's session, if any, applies).
func apiCall(t testing.TB, c *http.Client, method, u, token, key string, body any) apiResp {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return apiResp{resp.StatusCode, resp.Header, b}
}

// officerToken creates a personal API token through the account page.
func officerToken(t testing.TB, site *testutil.Site) string {
	t.Helper()
	c := acctLogin(t.(*testing.T), site, demo.OfficerEmail, demo.Password)
	r := acctPost(t.(*testing.T), c, site.URL+"/account/api-tokens/", url.Values{"name": {"scoring laptop"}})
	m := regexp.MustCompile(`id="new-token">(sabc_[a-z0-9]+)<`).FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("create token: %d %s", r.status, acctExcerpt(r.body))
	}
	return m[1]
}

type apiDoc struct {
	Tournament struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	} `json:"tournament"`
	Hidden  bool `json:"hidden"`
	Results []struct {
		PersonID int64    `json:"person_id"`
		Place    *int     `json:"place"`
		Points   *int     `json:"points"`
		Fish     int      `json:"fish"`
		Net      string   `json:"net"`
		Gross    string   `json:"gross"`
		DQ       bool     `json:"dq"`
		BuyIn    bool     `json:"buy_in"`
		Lengths  []string `json:"lengths"`
		Version  int      `json:"version"`
	} `json:"results"`
	Error   string            `json:"error"`
	Errors  map[string]string `json:"errors"`
	Current *struct {
		PersonID int64  `json:"person_id"`
		Version  int    `json:"version"`
		Gross    string `json:"gross"`
	} `json:"current"`
}

func TestWeighInAPI_TokenIdempotencyConflictsAndErrors(t *testing.T) {
	site := newAcctSite(t)
	tr := scheduledTournament(t, site.Store)
	token := officerToken(t, site.Site)
	member := acctPerson(t, site.Store, demo.MemberEmail)
	c := site.Client()
	base := fmt.Sprintf("%s/api/v1/tournaments/%d/results", site.URL, tr.ID)
	put := func(pid int64, key string, body any) apiResp {
		return apiCall(t, c, http.MethodPut, fmt.Sprintf("%s/%d", base, pid), token, key, body)
	}
	row := map[string]any{"fish": 5, "dead": 1, "gross": "12.45", "big_bass": "4.10", "version": 0}

	first := put(member.ID, "k1", row)
	var d apiDoc
	first.json(t, &d)
	if first.status != http.StatusOK || len(d.Results) != 1 || d.Results[0].Net != "12.20" || *d.Results[0].Place != 1 {
		t.Fatalf("first PUT: %d %s", first.status, first.body)
	}
	// A replay with the same key returns the first answer and writes nothing.
	again := put(member.ID, "k1", row)
	if again.status != http.StatusOK || !bytes.Equal(again.body, first.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay: %d %q, want the first answer", again.status, again.header.Get("Idempotent-Replayed"))
	}
	if rs, _ := site.Store.Results(context.Background(), tr.ID); len(rs) != 1 || rs[0].Version != 1 {
		t.Errorf("after the replay: %d rows (version %d), want one row at version 1", len(rs), rs[0].Version)
	}
	if r := put(member.ID, "k1", map[string]any{"fish": 4}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("same key, other body: %d, want 422", r.status)
	}
	// A second new result for the angler is a conflict naming the stored row.
	dup := put(member.ID, "k2", map[string]any{"fish": 2, "gross": "3.00"})
	dup.json(t, &d)
	if dup.status != http.StatusConflict || d.Current == nil || d.Current.Gross != "12.45" || d.Current.Version != 1 {
		t.Errorf("duplicate: %d %s", dup.status, dup.body)
	}
	// An edit with the current version goes through; the old version is stale.
	edit := put(member.ID, "k3", map[string]any{"fish": 5, "gross": "13.00", "version": 1})
	if edit.status != http.StatusOK {
		t.Fatalf("edit: %d %s", edit.status, edit.body)
	}
	stale := put(member.ID, "k4", map[string]any{"fish": 5, "gross": "14.00", "version": 1})
	stale.json(t, &d)
	if stale.status != http.StatusConflict || d.Current == nil || d.Current.Version != 2 || d.Current.Gross != "13.00" {
		t.Errorf("stale edit: %d %s", stale.status, stale.body)
	}
	// Field errors.
	bad := put(acctGuest(t, site.Store).ID, "k5", map[string]any{"fish": 2, "dead": 3, "gross": "1.234"})
	bad.json(t, &d)
	if bad.status != http.StatusUnprocessableEntity || d.Errors["gross"] == "" {
		t.Errorf("bad row: %d %s", bad.status, bad.body)
	}
	if r := put(acctGuest(t, site.Store).ID, "k6", map[string]any{"fish": "five"}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("fish as a string: %d %s", r.status, r.body)
	}
	if r := put(acctGuest(t, site.Store).ID, "k7", map[string]any{"fihs": 2}); r.status != http.StatusBadRequest {
		t.Errorf("unknown field: %d %s", r.status, r.body)
	}
	// 404s.
	if r := put(99999999, "k8", row); r.status != http.StatusNotFound {
		t.Errorf("unknown person: %d", r.status)
	}
	if r := apiCall(t, c, http.MethodPut, fmt.Sprintf("%s/api/v1/tournaments/99999999/results/%d", site.URL, member.ID),
		token, "k9", row); r.status != http.StatusNotFound {
		t.Errorf("unknown tournament: %d", r.status)
	}
	// No key, no write.
	if r := put(member.ID, "", row); r.status != http.StatusBadRequest {
		t.Errorf("no Idempotency-Key: %d", r.status)
	}
	// Who may write: nobody anonymous, no member, no bad token.
	if r := apiCall(t, c, http.MethodPut, fmt.Sprintf("%s/%d", base, member.ID), "", "k10", row); r.status != http.StatusUnauthorized {
		t.Errorf("anonymous PUT: %d", r.status)
	}
	if r := apiCall(t, c, http.MethodPut, fmt.Sprintf("%s/%d", base, member.ID), "sabc_nope", "k11", row); r.status != http.StatusUnauthorized {
		t.Errorf("bad token: %d", r.status)
	}
	mc := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	if r := apiCall(t, mc, http.MethodPut, fmt.Sprintf("%s/%d", base, member.ID), "", "k12", row); r.status != http.StatusForbidden {
		t.Errorf("member session PUT: %d", r.status)
	}
	// The public document, then a delete.
	pub := apiCall(t, c, http.MethodGet, base, "", "", nil)
	pub.json(t, &d)
	if pub.status != http.StatusOK || len(d.Results) != 1 || d.Results[0].Gross != "13.00" || pub.header.Get("ETag") == "" {
		t.Errorf("public GET: %d %s", pub.status, pub.body)
	}
	del := apiCall(t, c, http.MethodDelete, fmt.Sprintf("%s/%d", base, member.ID), token, "k13", map[string]any{"version": 2})
	del.json(t, &d)
	if del.status != http.StatusOK || len(d.Results) != 0 {
		t.Errorf("delete: %d %s", del.status, del.body)
	}
	if r := apiCall(t, c, http.MethodDelete, fmt.Sprintf("%s/%d", base, member.ID), token, "k14", nil); r.status != http.StatusNotFound {
		t.Errorf("delete twice: %d", r.status)
	}
}

// A weigh-in answer over 1 KiB is stored gzipped and sent as stored: a
// client that accepts gzip gets those bytes, one that does not gets the
// same JSON uncompressed — first answer and replay alike.
func TestWeighInAnswerIsSentGzippedOrPlainAsTheClientAccepts(t *testing.T) {
	site := newAcctSite(t)
	tr := scheduledTournament(t, site.Store)
	token := officerToken(t, site.Site)
	people, err := site.Store.People(context.Background(), true)
	if err != nil || len(people) < 4 {
		t.Fatalf("people: %d (%v)", len(people), err)
	}
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}} // the test reads what was sent
	put := func(pid int64, key, encoding string) apiResp {
		b, _ := json.Marshal(map[string]any{"fish": 3, "gross": fmt.Sprintf("%d.25", pid%20), "version": 0})
		req, _ := http.NewRequest(http.MethodPut, fmt.Sprintf("%s/api/v1/tournaments/%d/results/%d", site.URL, tr.ID, pid),
			bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Idempotency-Key", key)
		req.Header.Set("Accept-Encoding", encoding)
		resp, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return apiResp{resp.StatusCode, resp.Header, body}
	}
	for i, p := range people[:3] { // three rows: an answer over 1 KiB
		if r := put(p.ID, fmt.Sprint("k", i), "identity"); r.status != http.StatusOK {
			t.Fatalf("PUT %d: %d %s", i, r.status, r.body)
		}
	}
	gunzip := func(r apiResp) []byte {
		t.Helper()
		if r.header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding %q, want gzip", r.header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := put(people[3].ID, "k3", "gzip")
	plain := gunzip(first)
	var d apiDoc
	json.Unmarshal(plain, &d)
	if first.status != http.StatusOK || len(d.Results) != 4 || len(plain) < 1024 {
		t.Fatalf("gzipped answer: %d, %d results in %d bytes", first.status, len(d.Results), len(plain))
	}
	replay := put(people[3].ID, "k3", "identity")
	if replay.header.Get("Content-Encoding") != "" || !bytes.Equal(replay.body, plain) ||
		replay.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay without gzip: encoding %q, replayed %q, same JSON %v",
			replay.header.Get("Content-Encoding"), replay.header.Get("Idempotent-Replayed"), bytes.Equal(replay.body, plain))
	}
	if again := put(people[3].ID, "k3", "gzip"); !bytes.Equal(gunzip(again), plain) {
		t.Error("a gzipped replay differs from the first answer")
	}
	if !strings.Contains(first.header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary %q, want Accept-Encoding", first.header.Get("Vary"))
	}
}
