package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
)

// The season an officer runs from the browser (issue 11's "done when"): through
// the real forms — each read from its page, so hidden versions come along —
// an officer creates next season, generates its schedule, adds a lake and a
// ramp, puts a tournament on them, promotes a guest, corrects, locks and
// deletes results of a complete demo tournament and edits this season's
// rules. After each step the public pages, standings, profiles and the audit
// log show what the store holds. On PostgreSQL too when the suite runs there.
func TestWholeSeasonAsAnOfficerThroughTheForms(t *testing.T) {
	site := newAcctSite(t)
	ctx := context.Background()
	o := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	post := func(page, action string, set map[string]string) acctResp {
		t.Helper()
		f := pageForm(t, o, site.URL+page, action)
		for k, v := range set {
			f.Set(k, v)
		}
		r := acctPost(t, o, site.URL+action, f)
		if r.status != http.StatusSeeOther {
			t.Fatalf("POST %s: %d, want 303\n%s", action, r.status, acctExcerpt(r.body))
		}
		return r
	}
	public := func(path string, want ...string) string {
		t.Helper()
		r := acctGet(t, site.Client(), site.URL+path)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, r.status)
		}
		for _, w := range want {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
		return r.body
	}
	audited := func(query, want string) {
		t.Helper()
		if b := acctGet(t, o, site.URL+"/admin/audit/"+query).body; !strings.Contains(b, want) {
			t.Errorf("audit log %s lacks %q", query, want)
		}
	}
	this := club.Today(site.clock.Now()).Year()
	next := this + 1

	// 1. Next season, copying this one's rules.
	post("/admin/seasons/", "/admin/seasons/", map[string]string{"year": strconv.Itoa(next)})
	public(fmt.Sprintf("/rules/%d/", next))
	audited("?kind=season", strconv.Itoa(next))

	// 2. Its schedule: tournaments and meetings, once.
	sched := fmt.Sprintf("/admin/seasons/%d/schedule/", next)
	post(sched, sched, nil)
	ts, err := site.Store.Tournaments(ctx, store.TournamentFilter{Year: next})
	if err != nil || len(ts) == 0 {
		t.Fatalf("no tournaments of %d after the schedule (%v)", next, err)
	}
	tr := ts[len(ts)-1] // the earliest
	public(fmt.Sprintf("/calendar/?year=%d", next), tr.Name)

	// 3. A lake and a ramp on it.
	r := post("/admin/lakes/new/", "/admin/lakes/new/", map[string]string{"name": "Whole Season Lake", "state": "TX"})
	m := regexp.MustCompile(`/admin/lakes/(\d+)/edit/`).FindStringSubmatch(r.header.Get("Location"))
	if m == nil {
		t.Fatalf("lake create went to %q", r.header.Get("Location"))
	}
	lakeID, _ := strconv.ParseInt(m[1], 10, 64)
	lakeEdit := fmt.Sprintf("/admin/lakes/%d/edit/", lakeID)
	post(lakeEdit, fmt.Sprintf("/admin/lakes/%d/ramps/", lakeID), map[string]string{"name": "North Point Ramp"})
	lake, err := site.Store.Lake(ctx, lakeID)
	if err != nil || len(lake.Ramps) != 1 {
		t.Fatalf("lake %d: %v, ramps %+v", lakeID, err, lake.Ramps)
	}
	public(fmt.Sprintf("/lakes/%d/", lakeID), "Whole Season Lake", "North Point Ramp")

	// 4. The first tournament of next season goes there.
	edit := fmt.Sprintf("/admin/tournaments/%d/edit/", tr.ID)
	post(edit, edit, map[string]string{"lake": m[1], "ramp": strconv.FormatInt(lake.Ramps[0].ID, 10)})
	public(fmt.Sprintf("/tournaments/%d/", tr.ID), "Whole Season Lake", "North Point Ramp")
	audited(fmt.Sprintf("?tournament=%d", tr.ID), "tournament")

	// 5. A guest becomes a member.
	g := acctGuest(t, site.Store)
	post("/admin/members/?filter=guests", fmt.Sprintf("/admin/members/%d/promote/", g.ID), nil)
	public(fmt.Sprintf("/anglers/%d/", g.ID), "Member")
	audited(fmt.Sprintf("?person=%d", g.ID), "membership")

	// 6. A complete demo tournament: correct one result, lock another, delete a third.
	done, rs := completeIndividual(t, site.Store)
	fixed, locked, gone := rs[0], rs[2], rs[len(rs)-1]
	wi := fmt.Sprintf("/tournaments/%d/weigh-in/", done.ID)
	post(fmt.Sprintf("%s?person=%d", wi, fixed.PersonID), wi, map[string]string{"gross": "3.21", "big_bass": "",
		"correction": "scale was off by ten pounds"})
	resPage := fmt.Sprintf("/admin/tournaments/%d/results/%d/", done.ID, locked.PersonID)
	post(resPage, resPage, map[string]string{"locked": "on", "locked_place": "2", "locked_points": "99",
		"reason": "committee ruling"})
	delPage := fmt.Sprintf("/admin/tournaments/%d/results/%d/", done.ID, gone.PersonID)
	post(delPage, delPage+"delete/", map[string]string{"delete_reason": "never fished", "confirm": "on"})
	if _, err := site.Store.ResultFor(ctx, done.ID, gone.PersonID); err == nil {
		t.Error("the deleted result is still stored")
	}
	assertTournamentShowsStore(t, site, done.ID, public)
	audited(fmt.Sprintf("?tournament=%d", done.ID), "scale was off by ten pounds")
	audited(fmt.Sprintf("?tournament=%d", done.ID), "committee ruling")
	audited(fmt.Sprintf("?tournament=%d", done.ID), "never fished")

	// 7. This season's rules: first place is worth 60 points from now on.
	rules := fmt.Sprintf("/admin/seasons/%d/rules/", this)
	post(rules, rules, map[string]string{"max_points": "60"})
	if after, err := site.Store.Results(ctx, done.ID); err != nil || !hasPoints(after, 60) {
		t.Errorf("after the rules edit no stored result of %s has 60 points (%v)", done.Name, err)
	}
	assertTournamentShowsStore(t, site, done.ID, public)
	assertStandingsShowStore(t, site, this, public)
	audited("?kind=season", strconv.Itoa(this))
}

// assertTournamentShowsStore: the public tournament page shows every stored
// result's net weight and points in that angler's row, and each angler's
// profile names the tournament.
func assertTournamentShowsStore(t *testing.T, site *acctSite, tid int64, public func(string, ...string) string) {
	t.Helper()
	rs, err := site.Store.Results(context.Background(), tid)
	if err != nil {
		t.Fatal(err)
	}
	body := public(fmt.Sprintf("/tournaments/%d/", tid))
	for _, r := range rs {
		row := rowWith(body, fmt.Sprintf(`href="/anglers/%d/"`, r.PersonID))
		if row == "" {
			t.Errorf("tournament %d: no row for %s", tid, r.Name())
			continue
		}
		if w := weightOf(r.Net); !strings.Contains(row, w) {
			t.Errorf("tournament %d, %s: row lacks the stored net %s", tid, r.Name(), w)
		}
		if r.Points != nil && !strings.Contains(row, ">"+strconv.Itoa(*r.Points)+"<") {
			t.Errorf("tournament %d, %s: row lacks the stored points %d", tid, r.Name(), *r.Points)
		}
	}
	if len(rs) > 0 {
		p := public(fmt.Sprintf("/anglers/%d/", rs[0].PersonID))
		if !strings.Contains(p, fmt.Sprintf(`href="/tournaments/%d/"`, tid)) {
			t.Errorf("the profile of %s does not link tournament %d", rs[0].Name(), tid)
		}
	}
}

// assertStandingsShowStore: the standings page's rows carry the stored rank
// order and points.
func assertStandingsShowStore(t *testing.T, site *acctSite, year int, public func(string, ...string) string) {
	t.Helper()
	st, err := site.Store.Standings(context.Background(), year, 10)
	if err != nil || len(st) == 0 {
		t.Fatalf("standings %d: %v", year, err)
	}
	body := public(fmt.Sprintf("/standings/%d/", year))
	for _, s := range st {
		row := rowWith(body, fmt.Sprintf(`href="/anglers/%d/"`, s.PersonID))
		if !strings.Contains(row, ">"+strconv.Itoa(s.Points)+"<") {
			t.Errorf("standings %d, %s: row lacks the stored %d points\n%s", year, s.Name, s.Points, row)
		}
	}
}

// rowWith is the first table row of body holding needle, or "".
func rowWith(body, needle string) string {
	for off := 0; ; {
		i := strings.Index(body[off:], needle)
		if i < 0 {
			return ""
		}
		i += off
		off = i + len(needle)
		start := strings.LastIndex(body[:i], "<tr")
		if start < 0 || strings.Contains(body[start:i], "</tr>") {
			continue // not inside a table row (a podium, a link list)
		}
		if end := strings.Index(body[i:], "</tr>"); end >= 0 {
			return body[start : i+end]
		}
		return ""
	}
}

func hasPoints(rs []club.Result, n int) bool {
	for _, r := range rs {
		if r.Points != nil && *r.Points == n {
			return true
		}
	}
	return false
}
