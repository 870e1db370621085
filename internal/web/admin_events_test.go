package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"sabc/internal/cache"
	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

// Officers' events and tournaments through the real forms (admin_events.go,
// admin_tournaments.go): what the store holds and the public pages show
// after each post.

// tournamentValues is the edit form as the edit page fills it for tr.
func tournamentValues(tr club.Tournament) url.Values {
	v := url.Values{"name": {tr.Name}, "date": {tr.Date.String()}, "start_time": {tr.StartTime},
		"end_time": {tr.EndTime}, "format": {tr.Format}, "status": {tr.Status}, "description": {tr.Description},
		"version": {strconv.Itoa(tr.Version)}}
	if tr.LakeID != 0 {
		v.Set("lake", strconv.FormatInt(tr.LakeID, 10))
	}
	if tr.RampID != 0 {
		v.Set("ramp", strconv.FormatInt(tr.RampID, 10))
	}
	if tr.FishLimit != 0 {
		v.Set("fish_limit", strconv.Itoa(tr.FishLimit))
	}
	for name, on := range map[string]bool{"points_count": tr.PointsCount, "paper": tr.Paper, "cancelled": tr.Cancelled} {
		if on {
			v.Set(name, "on")
		}
	}
	return v
}

var hiddenVersion = regexp.MustCompile(`name="version" value="(\d+)"`)

// pageVersion is the version an edit page's form carries.
func pageVersion(t *testing.T, body string) string {
	t.Helper()
	m := hiddenVersion.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version in the form:\n%s", acctExcerpt(body))
	}
	return m[1]
}

func storedTournament(t *testing.T, st *store.Store, id int64) club.Tournament {
	t.Helper()
	tr, err := st.Tournament(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestTournamentEdit_StaleFormGetsConflictPage: two officers open the same
// edit form; the first saves; the second's save answers 409 with the
// conflict page naming the first officer and what differs, the second's
// input kept and nothing of it saved. Saving again from that page (the
// version moved to the stored one) then wins.
func TestTournamentEdit_StaleFormGetsConflictPage(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed) // facts of the 2026 demo club
	a, b := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password), acctLogin(t, site.Site, demo.AdminEmail, demo.Password)
	u := site.URL + "/admin/tournaments/34/edit/"
	tr := storedTournament(t, site.Store, 34)
	pa, pb := acctGet(t, a, u), acctGet(t, b, u)
	if pa.status != http.StatusOK || pb.status != http.StatusOK {
		t.Fatalf("edit pages: %d, %d", pa.status, pb.status)
	}
	lakes, err := site.Store.Lakes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var other club.Lake
	for _, l := range lakes {
		if l.ID != tr.LakeID {
			other = l
		}
	}
	first := tournamentValues(tr)
	first.Set("version", pageVersion(t, pa.body))
	first.Set("name", "October Shootout")
	first.Set("lake", strconv.FormatInt(other.ID, 10)) // another lake, no ramp, and no AoY points
	first.Del("ramp")
	first.Del("points_count")
	if r := acctPost(t, a, u, first); r.status != http.StatusSeeOther {
		t.Fatalf("first save: %d\n%s", r.status, acctExcerpt(r.body))
	}
	second := tournamentValues(tr)
	second.Set("version", pageVersion(t, pb.body))
	second.Set("description", "Typed by the second officer")
	r := acctPost(t, b, u, second)
	if r.status != http.StatusConflict {
		t.Fatalf("stale save: %d, want 409\n%s", r.status, acctExcerpt(r.body))
	}
	officer := acctPerson(t, site.Store, demo.OfficerEmail)
	for _, want := range []string{"Someone else saved this", officer.Name(), "October Shootout",
		"Typed by the second officer</textarea>",
		// Values as a person reads them: lake names, a ticked box as Yes/No.
		`data-label="You typed">` + html.EscapeString(tr.LakeName) + `</td><td data-label="Saved now">` +
			html.EscapeString(other.Name) + `<`,
		`Counts for AoY points</th><td data-label="You typed">Yes</td><td data-label="Saved now">No<`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	now := storedTournament(t, site.Store, 34)
	if now.Name != "October Shootout" || now.Description == "Typed by the second officer" {
		t.Errorf("after the stale save: %q, %q; want the first save only", now.Name, now.Description)
	}
	again := tournamentValues(tr)
	again.Set("version", pageVersion(t, r.body))
	again.Set("description", "Typed by the second officer")
	if r := acctPost(t, b, u, again); r.status != http.StatusSeeOther {
		t.Fatalf("save again from the conflict page: %d", r.status)
	}
	if now := storedTournament(t, site.Store, 34); now.Description != "Typed by the second officer" {
		t.Errorf("the deliberate second save did not land: %q", now.Description)
	}
}

// TestTournamentForm_RefusesBadInputNextToTheField: each bad value is a 422
// naming the problem next to its field, with nothing saved; a huge post is
// a 413.
func TestTournamentForm_RefusesBadInputNextToTheField(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed) // facts of the 2026 demo club
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	tr := storedTournament(t, site.Store, 34)
	lakes, err := site.Store.Lakes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	otherRamp := ""
	for _, l := range lakes {
		if l.ID != tr.LakeID && len(l.Ramps) > 0 {
			otherRamp = strconv.FormatInt(l.Ramps[0].ID, 10)
		}
	}
	cases := []struct{ field, value, want, at string }{ // at: the field the message sits at, if not field
		{"date", "2026-02-30", "Date must be a date like", ""},
		{"start_time", "25:00", "Start time must be a time like", ""},
		{"end_time", "05:00", "End time must be after the start time", ""},
		{"lake", "999999", "Choose a lake from the list.", ""},
		{"lake", "99999999999999999999999", "Choose a lake from the list.", ""},
		{"ramp", otherRamp, "That ramp is not on " + tr.LakeName, ""},
		{"fish_limit", "0", "Fish limit must be a whole number from 1 to 25", ""},
		{"fish_limit", "five", "Fish limit must be a whole number from 1 to 25", ""},
		{"fish_limit", "1", "The stored results do not fit this change", ""}, // under the demo's stored catches
		{"status", "weigh-in", "needs a reason", "reason"},
		{"status", "finished", "Choose scheduled, weigh-in or complete.", ""},
		{"format", "pairs", "Choose individual or team.", ""},
		{"name", "", "Name is required.", ""},
		{"date", "2031-03-30", "There is no 2031 season yet", ""},
	}
	u := site.URL + "/admin/tournaments/34/edit/"
	for _, c := range cases {
		form := tournamentValues(tr)
		form.Set(c.field, c.value)
		if c.field == "end_time" {
			form.Set("start_time", "06:30")
		}
		r := acctPost(t, officer, u, form)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s=%q: %d, want 422", c.field, c.value, r.status)
			continue
		}
		// The message sits in the field's own block, right before its input.
		at := c.field
		if c.at != "" {
			at = c.at
		}
		block := regexp.MustCompile(`id="` + at + `-error">([^<]*)</p>\s*<(input|select)[^>]*id="` + at + `"`)
		m := block.FindStringSubmatch(r.body)
		if m == nil || !strings.Contains(m[1], c.want) {
			t.Errorf("%s=%q: no %q next to the field (got %v)", c.field, c.value, c.want, m)
		}
	}
	huge := tournamentValues(tr)
	huge.Set("description", strings.Repeat("x", 100_000))
	if r := acctPost(t, officer, u, huge); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 100 kB description: %d, want 413", r.status)
	}
	for _, bad := range []string{"caf\xe9", "nul\x00byte"} {
		form := tournamentValues(tr)
		form.Set("description", bad)
		if r := acctPost(t, officer, u, form); r.status != http.StatusUnprocessableEntity {
			t.Errorf("description %q: %d, want 422 (web/body.go names the field)", bad, r.status)
		}
	}
	if now := storedTournament(t, site.Store, 34); now.Version != tr.Version {
		t.Errorf("a refused form saved something: version %d → %d", tr.Version, now.Version)
	}
}

// TestTournamentEdit_PublicPagesShowTheRescoredOutcome: turning the points
// flag off and back on through the form rescores, and the (cached) public
// tournament page, standings and the winner's profile show the store's new
// outcome at once; the move back from complete needs a reason, which the
// audit log shows.
func TestTournamentEdit_PublicPagesShowTheRescoredOutcome(t *testing.T) {
	c := newPageCache(t, cacheOptionsMemory())
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock(), // facts of the 2026 demo club
		Deps: func(d *web.Deps) { d.Cache, d.Limiter = c, roomyLimiter(t) }})
	ctx := context.Background()
	officer := acctLogin(t, site, demo.OfficerEmail, demo.Password)
	tr := storedTournament(t, site.Store, 34)
	results, err := site.Store.Results(ctx, 34)
	if err != nil || len(results) == 0 || results[0].Points == nil {
		t.Fatalf("demo tournament 34 has no points to lose: %v", err)
	}
	winner := results[0]
	pages := []string{"/tournaments/34/", "/standings/2026/", fmt.Sprintf("/anglers/%d/", winner.PersonID)}
	for _, p := range pages { // fill the page cache
		if a := fetch(t, site.URL+p); a.status != http.StatusOK {
			t.Fatalf("%s: %d", p, a.status)
		}
	}
	before, _ := site.Store.Standings(ctx, 2026, 0)
	form := tournamentValues(tr)
	form.Del("points_count")
	if r := acctPost(t, officer, site.URL+"/admin/tournaments/34/edit/", form); r.status != http.StatusSeeOther {
		t.Fatalf("points off: %d\n%s", r.status, acctExcerpt(r.body))
	}
	after, _ := site.Store.Standings(ctx, 2026, 0)
	if len(after) == 0 || len(before) == 0 || pointsOf(after, winner.PersonID) == pointsOf(before, winner.PersonID) {
		t.Fatalf("the store did not rescore: %d points before and after", pointsOf(after, winner.PersonID))
	}
	if a := fetch(t, site.URL+"/tournaments/34/"); !strings.Contains(a.body, "No AoY points") {
		t.Error("the public tournament page still shows the tournament counting for points")
	}
	standings := fetch(t, site.URL+"/standings/2026/").body
	profile := fetch(t, site.URL+pages[2]).body
	for _, s := range after[:min(3, len(after))] {
		if !strings.Contains(standings, s.Name) || !strings.Contains(standings, ">"+strconv.Itoa(s.Points)+"<") {
			t.Errorf("standings page lacks %s with %d points", s.Name, s.Points)
		}
	}
	if p := pointsOf(after, winner.PersonID); !strings.Contains(profile, ">"+strconv.Itoa(p)+"<") {
		t.Errorf("the winner's profile lacks the rescored %d season points", p)
	}

	// Back from complete: refused without a reason, saved and audited with one.
	form = tournamentValues(storedTournament(t, site.Store, 34))
	form.Set("status", club.StatusWeighIn)
	if r := acctPost(t, officer, site.URL+"/admin/tournaments/34/edit/", form); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status back without a reason: %d", r.status)
	}
	form.Set("reason", "A weight was entered for the wrong angler")
	if r := acctPost(t, officer, site.URL+"/admin/tournaments/34/edit/", form); r.status != http.StatusSeeOther {
		t.Fatalf("status back with a reason: %d", r.status)
	}
	if a := fetch(t, site.URL+"/tournaments/34/"); !strings.Contains(a.body, "Weigh-in under way") {
		t.Error("the public page does not show the reopened weigh-in")
	}
	audit := acctGet(t, officer, site.URL+"/admin/audit/?tournament=34").body
	if !strings.Contains(audit, "A weight was entered for the wrong angler") {
		t.Error("the audit log does not show the reason")
	}
}

func cacheOptionsMemory() cache.Options { return cache.Options{} }

func pointsOf(st []store.Standing, person int64) int {
	for _, s := range st {
		if s.PersonID == person {
			return s.Points
		}
	}
	return -1
}

// TestTournamentCreate_ThroughTheForm: a new tournament on a lake with a
// ramp of that lake lands in the store with its season and event, shows on
// its public page and the calendar.
func TestTournamentCreate_ThroughTheForm(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed) // facts of the 2026 demo club
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	lakes, _ := site.Store.Lakes(context.Background())
	lake := lakes[0]
	form := url.Values{"name": {"December Classic"}, "date": {"2026-12-27"}, "start_time": {"6:30"},
		"end_time": {"14:30"}, "lake": {strconv.FormatInt(lake.ID, 10)}, "ramp": {strconv.FormatInt(lake.Ramps[0].ID, 10)},
		"format": {"team"}, "points_count": {"on"}, "fish_limit": {"3"}, "description": {"Bring a partner."}}
	r := acctPost(t, officer, site.URL+"/admin/tournaments/new/", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.status, acctExcerpt(r.body))
	}
	id, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(r.header.Get("Location"), "/tournaments/"), "/"), 10, 64)
	if err != nil {
		t.Fatalf("redirect to %q", r.header.Get("Location"))
	}
	tr := storedTournament(t, site.Store, id)
	if tr.Name != "December Classic" || tr.SeasonYear != 2026 || tr.LakeID != lake.ID || tr.RampID != lake.Ramps[0].ID ||
		tr.Format != club.FormatTeam || !tr.PointsCount || tr.FishLimit != 3 || tr.StartTime != "06:30" ||
		tr.Status != club.StatusScheduled || tr.Paper != lake.Paper {
		t.Errorf("stored %+v", tr)
	}
	if p := acctGet(t, site.Client(), site.URL+fmt.Sprintf("/tournaments/%d/", id)); !strings.Contains(p.body, "December Classic") {
		t.Errorf("public page: %d without the name", p.status)
	}
	if c := acctGet(t, site.Client(), site.URL+"/calendar/?year=2026"); !strings.Contains(c.body, "December Classic") {
		t.Error("the calendar lacks the new tournament")
	}
	// On a paper lake a new tournament is a paper event unless told otherwise.
	paperLake := false
	for _, l := range lakes {
		if !l.Paper {
			continue
		}
		paper := url.Values{"name": {"Paper Classic"}, "date": {"2026-12-20"}, "lake": {strconv.FormatInt(l.ID, 10)},
			"format": {"individual"}}
		r := acctPost(t, officer, site.URL+"/admin/tournaments/new/", paper)
		pid, _ := strconv.ParseInt(strings.Trim(strings.TrimPrefix(r.header.Get("Location"), "/tournaments/"), "/"), 10, 64)
		if r.status != http.StatusSeeOther || !storedTournament(t, site.Store, pid).Paper {
			t.Errorf("new tournament on paper lake %s: %d, not a paper event", l.Name, r.status)
		}
		paperLake = true
		break
	}
	if !paperLake {
		t.Error("the demo club has no paper lake to test the default on")
	}
	form.Set("name", "")
	if r := acctPost(t, officer, site.URL+"/admin/tournaments/new/", form); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "Bring a partner.</textarea>") {
		t.Errorf("a refused new tournament: %d, input kept %v", r.status, strings.Contains(r.body, "Bring a partner."))
	}
}

// TestTournamentDelete_NamesWhatGoesAndNeedsConfirmation: the confirmation
// page counts the results and boats; a post without the box ticked deletes
// nothing; with it the tournament, its results and its public page are gone
// and the standings no longer count it.
func TestTournamentDelete_NamesWhatGoesAndNeedsConfirmation(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed) // facts of the 2026 demo club
	ctx := context.Background()
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	counts, err := site.Store.TournamentDeleteCounts(ctx, 34)
	if err != nil || counts.Results == 0 {
		t.Fatalf("counts %+v, %v", counts, err)
	}
	u := site.URL + "/admin/tournaments/34/delete/"
	page := acctGet(t, officer, u)
	want := fmt.Sprintf("This deletes %d results and %d boat", counts.Results, counts.Boats)
	if !strings.Contains(page.body, want) {
		t.Fatalf("confirmation lacks %q", want)
	}
	form := url.Values{"version": {pageVersion(t, page.body)}, "results": {strconv.Itoa(counts.Results)},
		"boats": {strconv.Itoa(counts.Boats)}}
	if r := acctPost(t, officer, u, form); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "Tick the box to confirm") {
		t.Fatalf("unconfirmed delete: %d", r.status)
	}
	if _, err := site.Store.Tournament(ctx, 34); err != nil {
		t.Fatalf("an unconfirmed delete deleted: %v", err)
	}
	stale := url.Values{"version": form["version"], "results": {strconv.Itoa(counts.Results - 1)},
		"boats": form["boats"], "confirm": {"on"}}
	if r := acctPost(t, officer, u, stale); r.status != http.StatusConflict || !strings.Contains(r.body, want) {
		t.Fatalf("a delete confirmed for other counts: %d, want 409 with the counts now", r.status)
	}
	form.Set("confirm", "on")
	if r := acctPost(t, officer, u, form); r.status != http.StatusSeeOther {
		t.Fatalf("confirmed delete: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if _, err := site.Store.Tournament(ctx, 34); err == nil {
		t.Fatal("the tournament is still stored")
	}
	if p := acctGet(t, site.Client(), site.URL+"/tournaments/34/"); p.status != http.StatusNotFound {
		t.Errorf("public page of the deleted tournament: %d, want 404", p.status)
	}
	var left int
	if err := site.Store.DB().QueryRowContext(ctx, `SELECT count(*) FROM results WHERE tournament_id = 34`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d results left (%v)", left, err)
	}
}

// TestEvents_CreateEditCancelDeleteThroughForms: a meeting is added, shown
// on the calendar, edited (a stale edit is a 409 conflict), cancelled (kept,
// marked) and deleted only with the confirmation ticked. A tournament's
// event sends its edit to the tournament's form.
func TestEvents_CreateEditCancelDeleteThroughForms(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed) // facts of the 2026 demo club
	ctx := context.Background()
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	form := url.Values{"kind": {"meeting"}, "title": {"Christmas social"}, "date": {"2026-12-14"},
		"start_time": {"19:00"}, "end_time": {"18:00"}}
	if r := acctPost(t, officer, site.URL+"/admin/events/new/", form); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "End time must be after the start time") {
		t.Fatalf("end before start: %d", r.status)
	}
	form.Set("end_time", "21:00")
	if r := acctPost(t, officer, site.URL+"/admin/events/new/", form); r.status != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.status, acctExcerpt(r.body))
	}
	evs, _ := site.Store.Events(ctx, club.NewDate(2026, 12, 14), club.NewDate(2026, 12, 15))
	if len(evs) != 1 || evs[0].Title != "Christmas social" || evs[0].StartTime != "19:00" {
		t.Fatalf("stored events %+v", evs)
	}
	e := evs[0]
	if c := acctGet(t, site.Client(), site.URL+"/calendar/?year=2026"); !strings.Contains(c.body, "Christmas social") {
		t.Error("the calendar lacks the new event")
	}
	edit := site.URL + fmt.Sprintf("/admin/events/%d/edit/", e.ID)
	v := pageVersion(t, acctGet(t, officer, edit).body)
	form.Set("version", v)
	form.Set("title", "Christmas party")
	if r := acctPost(t, officer, edit, form); r.status != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", r.status, acctExcerpt(r.body))
	}
	form.Set("title", "Stale title")
	if r := acctPost(t, officer, edit, form); r.status != http.StatusConflict || !strings.Contains(r.body, "Christmas party") {
		t.Errorf("stale edit: %d, want 409 naming the saved title", r.status)
	}
	e, _ = site.Store.Event(ctx, e.ID)
	if e.Title != "Christmas party" {
		t.Errorf("title %q after the stale edit", e.Title)
	}
	cancel := url.Values{"version": {strconv.Itoa(e.Version)}, "cancel": {"1"}}
	if r := acctPost(t, officer, site.URL+fmt.Sprintf("/admin/events/%d/cancel/", e.ID), cancel); r.status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", r.status)
	}
	if e, _ = site.Store.Event(ctx, e.ID); !e.Cancelled {
		t.Error("not cancelled")
	}
	del := site.URL + fmt.Sprintf("/admin/events/%d/delete/", e.ID)
	dv := pageVersion(t, acctGet(t, officer, del).body)
	if r := acctPost(t, officer, del, url.Values{"version": {dv}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("unconfirmed delete: %d, want 422", r.status)
	}
	if _, err := site.Store.Event(ctx, e.ID); err != nil {
		t.Fatalf("an unconfirmed delete deleted: %v", err)
	}
	if r := acctPost(t, officer, del, url.Values{"version": {dv}, "confirm": {"on"}}); r.status != http.StatusSeeOther {
		t.Fatalf("confirmed delete: %d", r.status)
	}
	if _, err := site.Store.Event(ctx, e.ID); err == nil {
		t.Error("the event is still stored")
	}
	// Event 2 is demo tournament 1's: its edit is the tournament's form.
	if r := acctGet(t, officer, site.URL+"/admin/events/2/edit/"); r.status != http.StatusSeeOther ||
		r.header.Get("Location") != "/admin/tournaments/1/edit/" {
		t.Errorf("a tournament's event edit: %d → %q", r.status, r.header.Get("Location"))
	}
}

// TestTournamentPage_EditLinkOnlyForOfficers: officers see an inline Edit
// link on the public tournament page; anonymous visitors (served from the
// page cache, before and after an officer's view) and members do not.
func TestTournamentPage_EditLinkOnlyForOfficers(t *testing.T) {
	site := cachedSite(t, newPageCache(t, cacheOptionsMemory()), nil)
	link := `href="/admin/tournaments/34/edit/"`
	u := site.URL + "/tournaments/34/"
	if a := fetch(t, u); strings.Contains(a.body, link) {
		t.Error("anonymous visitors see the Edit link")
	}
	for email, want := range map[string]bool{demo.MemberEmail: false, demo.OfficerEmail: true, demo.AdminEmail: true} {
		if got := strings.Contains(acctGet(t, acctLogin(t, site, email, demo.Password), u).body, link); got != want {
			t.Errorf("%s: Edit link %v, want %v", email, got, want)
		}
	}
	if a := fetch(t, u); strings.Contains(a.body, link) || a.queries != 0 {
		t.Errorf("anonymous after an officer's view: link %v, %d queries (want a cache hit without it)",
			strings.Contains(a.body, link), a.queries)
	}
}
