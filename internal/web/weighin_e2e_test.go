package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
)

// A whole weigh-in of 30 anglers, entered once through the no-JS form and
// once through the JSON API: boats, buy-ins, a DQ, late anglers, a paper
// event with lengths, a stale edit, an idempotent replay; then the public
// tournament page, the standings and the profiles print the engine's numbers.

type e2eRow struct {
	person club.Person
	fish   int
	gross  string
	late   int
	buyIn  bool
	dq     string
}

func e2eField(t *testing.T, st *store.Store) []e2eRow {
	t.Helper()
	people, err := st.People(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(people) < 30 {
		t.Fatalf("the demo club has %d people, want 30", len(people))
	}
	var rows []e2eRow
	for i, p := range people[:30] {
		r := e2eRow{person: p, fish: 1 + i%5, gross: fmt.Sprintf("%d.%02d", 2+i%9, (i*37)%100)}
		switch i {
		case 0:
			r = e2eRow{person: p, buyIn: true}
		case 1:
			r.dq = "Fishing before safe light"
		case 2:
			r.late = 20 // over 15 minutes: DQ "late"
		case 3:
			r.late = 5
		}
		rows = append(rows, r)
	}
	return rows
}

func (r e2eRow) form() url.Values {
	v := url.Values{"angler": {fmt.Sprintf("#%d", r.person.ID)}, "fish": {strconv.Itoa(r.fish)}, "gross": {r.gross},
		"late_minutes": {strconv.Itoa(r.late)}, "version": {"0"}}
	if r.buyIn {
		v.Set("buy_in", "on")
		v.Del("gross")
	}
	if r.dq != "" {
		v.Set("dq", "on")
		v.Set("dq_reason", r.dq)
	}
	return v
}

func (r e2eRow) json() map[string]any {
	m := map[string]any{"fish": r.fish, "gross": r.gross, "late_minutes": r.late, "buy_in": r.buyIn,
		"dq": r.dq != "", "dq_reason": r.dq}
	if r.buyIn {
		m["gross"] = ""
	}
	return m
}

func TestWeighInThirtyAnglersThroughTheForm(t *testing.T) {
	site := newAcctSite(t)
	tr := scheduledTournament(t, site.Store)
	c := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	page := fmt.Sprintf("%s/tournaments/%d/weigh-in/", site.URL, tr.ID)
	rows := e2eField(t, site.Store)
	for _, r := range rows {
		if resp := acctPost(t, c, page, r.form()); resp.status != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", r.person.Name(), resp.status, acctExcerpt(resp.body))
		}
	}
	for i := 4; i < 24; i += 2 {
		if resp := acctPost(t, c, page+"boats/", url.Values{"boat_a": {fmt.Sprintf("#%d", rows[i].person.ID)},
			"boat_b": {fmt.Sprintf("#%d", rows[i+1].person.ID)}}); resp.status != http.StatusSeeOther {
			t.Fatalf("boat %d: %d %s", i, resp.status, acctExcerpt(resp.body))
		}
	}
	// A stale edit gets the conflict page, not an overwrite.
	res, _ := site.Store.ResultFor(context.Background(), tr.ID, rows[10].person.ID)
	edit := rows[10].form()
	edit.Set("version", strconv.Itoa(res.Version))
	edit.Set("gross", "9.99")
	acctPost(t, c, page, edit)
	edit.Set("gross", "1.11")
	if resp := acctPost(t, c, page, edit); resp.status != http.StatusConflict {
		t.Errorf("stale edit: %d", resp.status)
	}
	paperThroughForm(t, site, c, tr)
	if resp := acctPost(t, c, page+"complete/", url.Values{"confirm": {"on"}}); resp.status != http.StatusSeeOther {
		t.Fatalf("complete: %d", resp.status)
	}
	checkPublicPages(t, site, tr, rows)
}

func TestWeighInThirtyAnglersThroughTheAPI(t *testing.T) {
	site := newAcctSite(t)
	tr := scheduledTournament(t, site.Store)
	token := officerToken(t, site.Site)
	c := site.Client()
	base := fmt.Sprintf("%s/api/v1/tournaments/%d/results/", site.URL, tr.ID)
	rows := e2eField(t, site.Store)
	var firstBody []byte
	for i, r := range rows {
		resp := apiCall(t, c, http.MethodPut, base+strconv.FormatInt(r.person.ID, 10), token, fmt.Sprintf("e2e-%d", i), r.json())
		if resp.status != http.StatusOK {
			t.Fatalf("%s: %d %s", r.person.Name(), resp.status, resp.body)
		}
		if i == 5 {
			firstBody = resp.body
		}
	}
	// The replay of save 5 returns its first answer, and nothing is written.
	replay := apiCall(t, c, http.MethodPut, base+strconv.FormatInt(rows[5].person.ID, 10), token, "e2e-5", rows[5].json())
	if replay.status != http.StatusOK || string(replay.body) != string(firstBody) {
		t.Errorf("replay: %d, not the first answer", replay.status)
	}
	if rs, _ := site.Store.Results(context.Background(), tr.ID); len(rs) != 30 {
		t.Errorf("%d results after the replay, want 30", len(rs))
	}
	// Boats go through the screen (the API's one write path is the result).
	oc := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	page := fmt.Sprintf("%s/tournaments/%d/weigh-in/", site.URL, tr.ID)
	for i := 4; i < 24; i += 2 {
		acctPost(t, oc, page+"boats/", url.Values{"boat_a": {fmt.Sprintf("#%d", rows[i].person.ID)},
			"boat_b": {fmt.Sprintf("#%d", rows[i+1].person.ID)}})
	}
	stale := rows[10].json()
	stale["version"] = 1
	apiCall(t, c, http.MethodPut, base+strconv.FormatInt(rows[10].person.ID, 10), token, "e2e-edit", stale)
	if r := apiCall(t, c, http.MethodPut, base+strconv.FormatInt(rows[10].person.ID, 10), token, "e2e-stale", stale); r.status != http.StatusConflict {
		t.Errorf("stale edit: %d", r.status)
	}
	paperThroughAPI(t, site, token, tr)
	if resp := acctPost(t, oc, page+"complete/", url.Values{"confirm": {"on"}}); resp.status != http.StatusSeeOther {
		t.Fatalf("complete: %d", resp.status)
	}
	checkPublicPages(t, site, tr, rows)
}

// paperTournament adds a paper event to the season, a week after tr.
func paperTournament(t *testing.T, st *store.Store, tr club.Tournament) int64 {
	t.Helper()
	id, err := st.CreateTournament(context.Background(), club.Tournament{SeasonYear: tr.SeasonYear,
		Date: club.Date{Time: tr.Date.AddDate(0, 0, 7)}, Name: "Paper test", Format: club.FormatIndividual,
		PointsCount: false, Paper: true, Status: club.StatusWeighIn})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func checkPaper(t *testing.T, st *store.Store, pid, personID int64) {
	t.Helper()
	r, err := st.ResultFor(context.Background(), pid, personID)
	if err != nil || r.Fish != 3 || r.Gross != 489 || r.BigBass != 163 {
		t.Errorf("paper result: %+v %v; want 3 fish, 4.89 lb, big bass 1.63", r, err)
	}
}

func paperThroughForm(t *testing.T, site *acctSite, c *http.Client, tr club.Tournament) {
	pid := paperTournament(t, site.Store, tr)
	who := acctPerson(t, site.Store, demo.MemberEmail)
	resp := acctPost(t, c, fmt.Sprintf("%s/tournaments/%d/weigh-in/", site.URL, pid),
		url.Values{"angler": {fmt.Sprintf("#%d", who.ID)}, "lengths": {"14.5, 14 1/2, 14-4"}})
	if resp.status != http.StatusSeeOther {
		t.Fatalf("paper form: %d %s", resp.status, acctExcerpt(resp.body))
	}
	checkPaper(t, site.Store, pid, who.ID)
}

func paperThroughAPI(t *testing.T, site *acctSite, token string, tr club.Tournament) {
	pid := paperTournament(t, site.Store, tr)
	who := acctPerson(t, site.Store, demo.MemberEmail)
	resp := apiCall(t, site.Client(), http.MethodPut, fmt.Sprintf("%s/api/v1/tournaments/%d/results/%d", site.URL, pid, who.ID),
		token, "paper-1", map[string]any{"lengths": []string{"14.5", "14 1/2", "14-4"}})
	if resp.status != http.StatusOK {
		t.Fatalf("paper API: %d %s", resp.status, resp.body)
	}
	checkPaper(t, site.Store, pid, who.ID)
}

// checkPublicPages: the stored outcome (the engine's) is what the public
// tournament page, the standings and the anglers' profiles print.
func checkPublicPages(t *testing.T, site *acctSite, tr club.Tournament, rows []e2eRow) {
	t.Helper()
	ctx := context.Background()
	rs, err := site.Store.Results(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]club.Result{}
	for _, r := range rs {
		byID[r.PersonID] = r
	}
	if r := byID[rows[0].person.ID]; !r.OutBuyIn || r.Place == nil {
		t.Errorf("buy-in row: %+v", r)
	}
	if r := byID[rows[1].person.ID]; !r.OutDQ || r.Place != nil {
		t.Errorf("DQ row: %+v", r)
	}
	if r := byID[rows[2].person.ID]; !r.OutDQ || r.OutDQReason != "late" {
		t.Errorf("20 minutes late: %+v, want DQ late", r)
	}
	if r := byID[rows[3].person.ID]; r.Penalty < 500 {
		t.Errorf("5 minutes late: penalty %d, want at least 5.00 lb", r.Penalty)
	}
	if boats, _ := site.Store.Boats(ctx, tr.ID); len(boats) != 10 {
		t.Errorf("%d boats, want 10", len(boats))
	}
	anon := site.Client()
	page := siteGet(t, anon, fmt.Sprintf("%s/tournaments/%d/", site.URL, tr.ID)).body
	for _, r := range rs {
		if r.Place == nil || r.OutBuyIn {
			continue
		}
		if !strings.Contains(page, html.EscapeString(r.LastName)) || !strings.Contains(page, weightOf(r.Net)) {
			t.Errorf("tournament page lacks %s with net %s", r.Name(), weightOf(r.Net))
		}
	}
	var winner club.Result
	for _, r := range rs {
		if r.Place != nil && *r.Place == 1 && r.WasMember {
			winner = r
		}
	}
	if winner.ID != 0 {
		st := siteGet(t, anon, fmt.Sprintf("%s/standings/%d/", site.URL, tr.SeasonYear)).body
		if !strings.Contains(st, html.EscapeString(winner.LastName)) {
			t.Errorf("standings %d do not list the winner %s", tr.SeasonYear, winner.Name())
		}
		prof := siteGet(t, anon, fmt.Sprintf("%s/anglers/%d/", site.URL, winner.PersonID)).body
		if !strings.Contains(prof, html.EscapeString(tr.Name)) || !strings.Contains(prof, weightOf(winner.Net)) {
			t.Errorf("%s's profile does not show %s with %s", winner.Name(), tr.Name, weightOf(winner.Net))
		}
	}
}

func weightOf(h int64) string { return fmt.Sprintf("%d.%02d", h/100, h%100) }
