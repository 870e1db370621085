package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

var (
	inputRe    = regexp.MustCompile(`<input ([^>]*)>`)
	selectRe   = regexp.MustCompile(`(?s)<select id="[^"]*" name="([^"]*)">(.*?)</select>`)
	optionRe   = regexp.MustCompile(`<option value="([^"]*)"( selected)?>`)
	textareaRe = regexp.MustCompile(`(?s)<textarea id="[^"]*" name="([^"]*)"[^>]*>(.*?)</textarea>`)
	attrRe     = regexp.MustCompile(`(\w+)="([^"]*)"`)
)

// formOf reads the values a browser would submit from the page's forms:
// text and hidden inputs, ticked checkboxes, the selected option of each
// select (else its first) and textareas.
func formOf(body string) url.Values {
	v := url.Values{}
	for _, m := range inputRe.FindAllStringSubmatch(body, -1) {
		a := map[string]string{}
		for _, kv := range attrRe.FindAllStringSubmatch(m[1], -1) {
			a[kv[1]] = html.UnescapeString(kv[2])
		}
		if a["name"] == "" || a["type"] == "checkbox" && !strings.Contains(m[1], " checked") {
			continue
		}
		if a["type"] == "checkbox" {
			a["value"] = "on"
		}
		v.Set(a["name"], a["value"])
	}
	for _, m := range selectRe.FindAllStringSubmatch(body, -1) {
		opts := optionRe.FindAllStringSubmatch(m[2], -1)
		pick := opts[0][1]
		for _, o := range opts {
			if o[2] != "" {
				pick = o[1]
			}
		}
		v.Set(m[1], html.UnescapeString(pick))
	}
	for _, m := range textareaRe.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}

// seasonOutcome is what a season's scoring stored: every tournament's
// places and points, and the AoY standings.
func seasonOutcome(t *testing.T, st *store.Store, year int) string {
	t.Helper()
	ctx := context.Background()
	ts, err := st.Tournaments(ctx, store.TournamentFilter{Year: year, Status: club.StatusComplete})
	if err != nil || len(ts) == 0 {
		t.Fatalf("%d tournaments: %v (%d)", year, err, len(ts))
	}
	var b strings.Builder
	for _, tr := range ts {
		rs, err := st.Results(ctx, tr.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			fmt.Fprintf(&b, "%d/%d:%d/%d ", tr.ID, r.PersonID, intOr0(r.Place), intOr0(r.Points))
		}
	}
	rows, err := st.Standings(ctx, year, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "aoy %d:%d ", r.PersonID, r.Points)
	}
	return b.String()
}

// TestSeasonRulesEditor_SaveRescoresThatSeasonOnly: an officer changes
// 2026's places to dense and first place to 50 points through the form;
// 2026's stored places, points and standings change, 2025's stay exactly
// as they were, the public rules page states the new rules, and the save
// is audited.
func TestSeasonRulesEditor_SaveRescoresThatSeasonOnly(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed) // facts of the 2026 demo club
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	before25, before26 := seasonOutcome(t, site.Store, 2025), seasonOutcome(t, site.Store, 2026)
	acctGet(t, site.Client(), site.URL+"/rules/2026/") // cached before the save
	page := acctGet(t, officer, site.URL+"/admin/seasons/2026/rules/")
	if page.status != http.StatusOK {
		t.Fatalf("editor: %d", page.status)
	}
	form := formOf(page.body)
	if form.Get("max_points") != "100" || form.Get("entry_fee") != "25.00" || form.Get("version") == "" {
		t.Fatalf("the editor is not filled from the stored rules: %v", form)
	}
	form.Set("place_style", "dense")
	form.Set("max_points", "50")
	if r := acctPost(t, officer, site.URL+"/admin/seasons/2026/rules/", form); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if got := seasonOutcome(t, site.Store, 2025); got != before25 {
		t.Errorf("2025's stored outcome changed:\n%s", cmp.Diff(before25, got))
	}
	if seasonOutcome(t, site.Store, 2026) == before26 {
		t.Error("2026's stored outcome did not change")
	}
	rows, _ := site.Store.Standings(context.Background(), 2026, 0)
	if len(rows) == 0 || rows[0].Points > 50*12 {
		t.Errorf("2026 leader has %v points, want at most 50 a tournament", rows)
	}
	rules := acctGet(t, site.Client(), site.URL+"/rules/2026/")
	for _, want := range []string{"earns 50 points", "the next is 2nd"} {
		if !strings.Contains(rules.body, want) {
			t.Errorf("/rules/2026/ does not say %q after the save", want)
		}
	}
	if old := acctGet(t, site.Client(), site.URL+"/rules/2025/"); !strings.Contains(old.body, "earns 100 points") {
		t.Error("/rules/2025/ no longer says 100 points")
	}
	es, err := site.Store.AuditEntries(context.Background(), store.AuditFilter{Kind: "season", ObjectID: 2026})
	if err != nil || len(es) == 0 || es[0].Action != "rules" || es[0].ActorName != "Otis Officer" {
		t.Errorf("audit: %v %+v", err, es)
	}
	// The audit log reads rule by rule, not as two JSON strings.
	audit := acctGet(t, officer, site.URL+"/admin/audit/?kind=season")
	for _, want := range []string{"<code>max_points</code>: 100 → 50", "<code>place_style</code>: competition → dense"} {
		if !strings.Contains(audit.body, want) {
			t.Errorf("/admin/audit/ lacks %q", want)
		}
	}
}

// TestSeasonRulesEditor_RefusalsNextToTheirFields: V19's payout (parts
// $24.00, fee $25.00) comes back 422 with the engine's numbers next to the
// entry fee, a non-number next to its field, the typed values kept, and
// nothing saved.
func TestSeasonRulesEditor_RefusalsNextToTheirFields(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed) // facts of the 2026 demo club
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	before, _ := site.Store.Season(context.Background(), 2026)
	form := formOf(acctGet(t, officer, site.URL+"/admin/seasons/2026/rules/").body)
	form.Set("big_bass", "3.00") // 7+5+4 + 3+2+3 = 24
	form.Set("rules_md", "Typed text stays.")
	r := acctPost(t, officer, site.URL+"/admin/seasons/2026/rules/", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("V19 save: %d, want 422", r.status)
	}
	want := `id="entry_fee-error">Entry fee: parts add up to $24.00, entry fee is $25.00.</p>`
	if !strings.Contains(r.body, want) {
		t.Errorf("no %s next to the entry fee:\n%s", want, acctExcerpt(r.body))
	}
	if got := formOf(r.body); got.Get("big_bass") != "3.00" || got.Get("rules_md") != "Typed text stays." {
		t.Errorf("typed values lost: big_bass %q, rules_md %q", got.Get("big_bass"), got.Get("rules_md"))
	}
	form.Set("big_bass", "4.00")
	form.Set("dead_fish_penalty", "a quarter")
	r = acctPost(t, officer, site.URL+"/admin/seasons/2026/rules/", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body,
		`id="dead_fish_penalty-error">Dead fish penalty (lb each): &#34;a quarter&#34; is not a number like 12.45.</p>`) {
		t.Errorf("a non-number: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if after, _ := site.Store.Season(context.Background(), 2026); after != before {
		t.Errorf("a refused form saved something: %+v", after)
	}
}

// TestSeasonRulesEditor_StaleFormGetsTheConflictPage: two officers open
// the editor; the first saves; the second's save is a 409 naming the first,
// showing both values, keeping the typed input and saving nothing. Saving
// that page again keeps the second officer's version.
func TestSeasonRulesEditor_StaleFormGetsTheConflictPage(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed) // facts of the 2026 demo club
	otis := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	ada := acctLogin(t, site.Site, demo.AdminEmail, demo.Password)
	editor := site.URL + "/admin/seasons/2026/rules/"
	first, second := formOf(acctGet(t, otis, editor).body), formOf(acctGet(t, ada, editor).body)
	first.Set("max_points", "60")
	if r := acctPost(t, otis, editor, first); r.status != http.StatusSeeOther {
		t.Fatalf("first save: %d", r.status)
	}
	second.Set("max_points", "70")
	r := acctPost(t, ada, editor, second)
	if r.status != http.StatusConflict {
		t.Fatalf("stale save: %d, want 409\n%s", r.status, acctExcerpt(r.body))
	}
	for _, want := range []string{"Someone else saved this while you were editing", "Otis Officer",
		`data-label="Field">Points for first place</th><td data-label="You typed">70</td><td data-label="Saved now">60</td>`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the conflict page lacks %q", want)
		}
	}
	kept := formOf(r.body)
	if kept.Get("max_points") != "70" {
		t.Errorf("typed max points not kept: %q", kept.Get("max_points"))
	}
	if sr, _ := site.Store.SeasonRules(context.Background(), 2026); sr.Rules.MaxPoints != 60 {
		t.Errorf("stored max points %d after the stale save, want the first save's 60", sr.Rules.MaxPoints)
	}
	if r := acctPost(t, ada, editor, kept); r.status != http.StatusSeeOther {
		t.Fatalf("saving the conflict page again: %d", r.status)
	}
	if sr, _ := site.Store.SeasonRules(context.Background(), 2026); sr.Rules.MaxPoints != 70 {
		t.Errorf("stored max points %d after keeping mine, want 70", sr.Rules.MaxPoints)
	}
}

// TestCreateSeason_CopiesTheLastSeasonAndRefusesAnExistingYear: the form
// creates 2027 with 2026's rules and payouts and opens its editor; the same
// year again, or not a year, is refused next to the field.
func TestCreateSeason_CopiesTheLastSeasonAndRefusesAnExistingYear(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed) // facts of the 2026 demo club
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	list := acctGet(t, officer, site.URL+"/admin/seasons/")
	if got := formOf(list.body).Get("year"); got != "2027" {
		t.Errorf("proposed year %q, want 2027", got)
	}
	r := acctPost(t, officer, site.URL+"/admin/seasons/", url.Values{"year": {"2027"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/seasons/2027/rules/?notice=created" {
		t.Fatalf("create: %d %q", r.status, r.header.Get("Location"))
	}
	ctx := context.Background()
	prev, _ := site.Store.Season(ctx, 2026)
	got, err := site.Store.Season(ctx, 2027)
	if err != nil || got.RulesJSON != prev.RulesJSON || got.PayoutJSON != prev.PayoutJSON || got.RulesMD != prev.RulesMD {
		t.Errorf("2027 = %+v (%v), want 2026's rules %+v", got, err, prev)
	}
	for year, want := range map[string]struct {
		status int
		msg    string
	}{"2027": {http.StatusConflict, "The 2027 season already exists"}, "twenty": {http.StatusUnprocessableEntity,
		"Year must be a year from 1981 to 2036."}, "": {http.StatusUnprocessableEntity, "Year is required."}} {
		r := acctPost(t, officer, site.URL+"/admin/seasons/", url.Values{"year": {year}})
		if r.status != want.status || !strings.Contains(r.body, `id="year-error">`+want.msg) {
			t.Errorf("year %q: %d, want %d with %q next to the field", year, r.status, want.status, want.msg)
		}
	}
}

// TestScheduleGenerator_PreviewThenCreateOnce: the 2027 preview lists
// what will be created and what is there (an April tournament an officer
// put on a Saturday), warns on Labor Day's meeting; creating makes 11
// tournaments, 12 meetings and the holidays in one go, the calendar shows
// them, and a second run (or an empty post) creates nothing.
func TestScheduleGenerator_PreviewThenCreateOnce(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed) // facts of the 2026 demo club
	ctx := context.Background()
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	acctPost(t, officer, site.URL+"/admin/seasons/", url.Values{"year": {"2027"}})
	april, err := site.Store.CreateTournament(ctx, club.Tournament{SeasonYear: 2027, Name: "April Saturday Special",
		Date: club.NewDate(2027, time.April, 17), Format: club.FormatIndividual})
	if err != nil {
		t.Fatal(err)
	}
	preview := site.URL + "/admin/seasons/2027/schedule/"
	p := acctGet(t, officer, preview)
	holidays := len(club.Holidays(2027))
	for _, want := range []string{
		fmt.Sprintf("Will create <strong>%d</strong>: 11 tournaments, 12 meetings, %d holidays. 1 already", 23+holidays, holidays),
		fmt.Sprintf(`Already there: <a href="/tournaments/%d/">April Saturday Special</a>`, april),
		"⚠ The meeting falls on Labor Day.", "⚠ The tournament falls on Easter.",
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if r := acctPost(t, officer, preview, url.Values{}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, "Nothing was created") {
		t.Errorf("empty post: %d", r.status)
	}
	if evs := yearEvents(t, site.Store, 2027); len(evs) != 1 {
		t.Fatalf("the empty post created events: %d", len(evs))
	}
	r := acctPost(t, officer, preview, url.Values{"confirm": {"yes"}})
	if want := fmt.Sprintf("/admin/seasons/2027/schedule/?created=%d", 23+holidays); r.status != http.StatusSeeOther ||
		r.header.Get("Location") != want {
		t.Fatalf("create: %d %q, want %s", r.status, r.header.Get("Location"), want)
	}
	evs := yearEvents(t, site.Store, 2027)
	if len(evs) != 24+holidays {
		t.Errorf("%d events in 2027, want %d", len(evs), 24+holidays)
	}
	if r := acctPost(t, officer, preview, url.Values{"confirm": {"yes"}}); r.header.Get("Location") !=
		"/admin/seasons/2027/schedule/?created=0" {
		t.Errorf("second run: %q", r.header.Get("Location"))
	}
	if again := yearEvents(t, site.Store, 2027); len(again) != len(evs) {
		t.Errorf("second run: %d events, want %d", len(again), len(evs))
	}
	done := acctGet(t, officer, preview)
	if !strings.Contains(done.body, "is already on the calendar") || strings.Contains(done.body, "Will be created") {
		t.Error("after creating, the preview still proposes events")
	}
	cal := acctGet(t, site.Client(), site.URL+"/calendar/?year=2027")
	for _, want := range []string{"July tournament", "Monthly meeting", "April Saturday Special"} {
		if !strings.Contains(cal.body, want) {
			t.Errorf("the 2027 calendar lacks %q", want)
		}
	}
}

func intOr0(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func yearEvents(t *testing.T, st *store.Store, year int) []club.Event {
	t.Helper()
	evs, err := st.Events(context.Background(), club.NewDate(year, 1, 1), club.NewDate(year+1, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// TestOfficerNumberFieldsOpenTheNumberKeyboard: on a phone at the ramp, every
// text input of the rules editor (weights, points, dollars) and the other
// officer number fields ask for the decimal or numeric keyboard.
func TestOfficerNumberFieldsOpenTheNumberKeyboard(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed)
	admin := acctLogin(t, site.Site, demo.AdminEmail, demo.Password) // club settings are the admin's
	wants := map[string][]string{
		"/admin/seasons/2026/rules/": nil, // every text input
		"/admin/club/":               {"founded", "dues"},
		"/admin/seasons/":            {"year"},
	}
	for path, names := range wants {
		page := acctGet(t, admin, site.URL+path)
		if page.status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, page.status)
		}
		seen := 0
		for _, m := range inputRe.FindAllStringSubmatch(page.body, -1) {
			a := map[string]string{}
			for _, kv := range attrRe.FindAllStringSubmatch(m[1], -1) {
				a[kv[1]] = kv[2]
			}
			if a["type"] != "text" || (names != nil && !slices.Contains(names, a["name"])) {
				continue
			}
			seen++
			if a["inputmode"] != "decimal" && a["inputmode"] != "numeric" {
				t.Errorf("GET %s: input %q has inputmode %q: a phone shows the letter keyboard", path, a["name"],
					a["inputmode"])
			}
		}
		if seen == 0 || (names != nil && seen != len(names)) {
			t.Errorf("GET %s: %d number inputs found, want %d", path, seen, max(len(names), 1))
		}
	}
}
