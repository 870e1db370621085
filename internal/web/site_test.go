package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/scoring"
	"sabc/internal/testutil"
)

// The public site tests build a small club whose outcome is known from the
// spec's acceptance vectors (01-domain §4, V11–V13: a 7-angler tournament
// whose $28.00 big-bass pot carries into the next one, where a member's
// exact 5.00 lb bass wins $60.00), so every asserted number comes from the
// spec, not from the code under test.

type siteClub struct {
	site           *testutil.Site
	march, april   int64 // tournament ids; april is created first, so ids are not date order
	alice, bob     int64
	gus            int64 // guest
	otherLake      int64
	aliceEmail     string
	alicePhone     string
	marchLakeMapOK string
}

func newSiteClub(t *testing.T) *siteClub {
	t.Helper()
	ctx := context.Background()
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true, Clock: testutil.FixedClock()} /* a 2026 season */)
	st := site.Store
	c := &siteClub{site: site, aliceEmail: "alice.angler@example.org", alicePhone: "+15125550199",
		marchLakeMapOK: "https://maps.example.com/travis"}
	rules, _ := json.Marshal(scoring.DefaultRules())
	pay, _ := json.Marshal(scoring.DefaultPayouts())
	siteMust(t, st.CreateSeason(ctx, club.Season{Year: 2026, RulesJSON: string(rules), PayoutJSON: string(pay)}))
	lake := siteID(t)(st.CreateLake(ctx, club.Lake{Name: "Lake Travis", MapURL: c.marchLakeMapOK}))
	ramp := siteID(t)(st.AddRamp(ctx, club.Ramp{LakeID: lake, Name: "Mansfield Dam", MapURL: "javascript:alert(1)"}))
	c.otherLake = siteID(t)(st.CreateLake(ctx, club.Lake{Name: "Inks Lake"}))
	person := func(first, last string, member bool) int64 {
		email, phone := strings.ToLower(first)+"@example.org", ""
		if first == "Alice" {
			email, phone = c.aliceEmail, c.alicePhone
		}
		return siteID(t)(st.CreatePerson(ctx, club.Person{Email: email, Phone: phone, FirstName: first, LastName: last,
			IsActive: true, Member: member, MemberSince: club.NewDate(2019, 3, 1)}))
	}
	c.alice, c.bob, c.gus = person("Alice", "Archer", true), person("Bob", "Baker", true), person("Gus", "Guest", false)
	dan, eve, fay, gil := person("Dan", "Dunn", true), person("Eve", "Ernst", true), person("Fay", "Fox", true),
		person("Gil", "Gray", true)
	tournament := func(name string, day club.Date) int64 {
		return siteID(t)(st.CreateTournament(ctx, club.Tournament{SeasonYear: 2026, Name: name, Date: day,
			LakeID: lake, RampID: ramp, Format: club.FormatIndividual, PointsCount: true, StartTime: "06:30",
			EndTime: "14:30"}))
	}
	c.april = tournament("April Showers", club.NewDate(2026, 4, 26))
	c.march = tournament("March Madness", club.NewDate(2026, 3, 29))
	result := func(tid, pid int64, member bool, fish int, gross, bigBass int64, mod func(*club.Result)) {
		r := club.Result{TournamentID: tid, PersonID: pid, WasMember: member, Fish: fish, Gross: gross, BigBass: bigBass}
		if mod != nil {
			mod(&r)
		}
		siteID(t)(st.SaveResult(ctx, 0, r))
	}
	// March (V11: 7 anglers, nobody ≥ 5.00): Alice and Bob tie on 12.45, Alice
	// wins on 5 fish vs 4; the guest takes 3rd money; a buy-in and a DQ.
	result(c.march, c.alice, true, 5, 1245, 300, nil)
	result(c.march, c.bob, true, 4, 1245, 400, nil)
	result(c.march, c.gus, false, 5, 1000, 450, nil)
	result(c.march, dan, true, 4, 800, 200, nil)
	result(c.march, eve, true, 3, 600, 250, nil)
	result(c.march, fay, true, 0, 0, 0, func(r *club.Result) { r.BuyIn = true })
	result(c.march, gil, true, 2, 300, 180, func(r *club.Result) { r.Disqualified, r.DQReason = true, "Fishing before safe light" })
	// April (V13: 8 anglers, a member's big bass exactly 5.00 wins $32 + $28).
	result(c.april, c.alice, true, 5, 900, 500, nil)
	for i, pid := range []int64{c.bob, dan, eve, fay, gil, c.gus} {
		result(c.april, pid, pid != c.gus, 3, int64(800-100*i), 150, nil)
	}
	eighth := person("Hal", "Hill", true)
	result(c.april, eighth, true, 1, 100, 100, nil)
	siteMust(t, st.SetTournamentStatus(ctx, 0, c.march, club.StatusComplete))
	siteMust(t, st.SetTournamentStatus(ctx, 0, c.april, club.StatusComplete))
	return c
}

func siteMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func siteID(t *testing.T) func(int64, error) int64 {
	return func(id int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
}

type sitePage struct {
	status int
	header http.Header
	body   string
}

func siteGet(t *testing.T, c *http.Client, url string, hdr ...string) sitePage {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return sitePage{resp.StatusCode, resp.Header, string(b)}
}

func siteWant(t *testing.T, what, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("%s: missing %q", what, p)
		}
	}
}

func TestTournamentPageShowsStoredOutcome(t *testing.T) {
	c := newSiteClub(t)
	cl := c.site.Client()
	p := siteGet(t, cl, c.site.URL+"/tournaments/"+siteItoa(c.march)+"/")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	siteWant(t, "march page", p.body,
		"<h1>March Madness</h1>", "Sun, Mar 29, 2026",
		// V11 money: 7 × $25, places $49/$35/$28, club $21, charity $14.
		"$175.00", "$49.00", "$35.00", "$28.00", "club $21.00", "charity $14.00",
		"tied on 12.45 lb — won on 5 fish vs 4",
		"Disqualified: Fishing before safe light", ">DQ<", "buy-in",
		`<abbr title="guest" class="guest">(G)</abbr>`,
		"No member's bass reached the minimum: the $28.00 pot carries over",
		"split equally to the cent",
		`href="https://maps.example.com/travis"`,
		`href="/tournaments/`+siteItoa(c.april)+`/" rel="next"`,
		`href="/tournaments/`+siteItoa(c.march)+`/results.csv"`,
		`<svg class="chart"`)
	if strings.Contains(p.body, "javascript:") {
		t.Error("a javascript: map link reached the page")
	}
	if strings.Contains(p.body, `rel="prev"`) {
		t.Error("the first tournament by date has a previous link")
	}
	april := siteGet(t, cl, c.site.URL+"/tournaments/"+siteItoa(c.april)+"/")
	siteWant(t, "april page", april.body,
		"pot $60.00 (incl. $28.00 carried over from March Madness)",
		`href="/tournaments/`+siteItoa(c.march)+`/" rel="prev"`, "Alice Archer</a> — 5.00 lb wins $60.00")
}

func TestResultsCSV(t *testing.T) {
	c := newSiteClub(t)
	p := siteGet(t, c.site.Client(), c.site.URL+"/tournaments/"+siteItoa(c.march)+"/results.csv")
	if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d, type %q", p.status, p.header.Get("Content-Type"))
	}
	if cd := p.header.Get("Content-Disposition"); !strings.Contains(cd, `filename="2026-03-29-march-madness-results.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 8 {
		t.Fatalf("%d rows, want header + 7", len(rows))
	}
	if got := strings.Join(rows[0][:8], ","); got != "place,angler,guest,fish,dead,gross_lb,penalty_lb,net_lb" {
		t.Errorf("header %q", got)
	}
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		byName[r[1]] = r
	}
	check := func(name string, col int, want string) {
		t.Helper()
		if got := byName[name][col]; got != want {
			t.Errorf("%s column %s = %q, want %q", name, rows[0][col], got, want)
		}
	}
	check("Alice Archer", 0, "1")
	check("Alice Archer", 7, "12.45")
	check("Alice Archer", 9, "100")
	check("Bob Baker", 0, "2")
	check("Gus Guest", 2, "yes")
	check("Gus Guest", 9, "")
	check("Gil Gray", 0, "DQ")
	check("Fay Fox", 10, "yes")
	check("Alice Archer", 13, "49.00")
}

func TestStandingsAndAwards(t *testing.T) {
	c := newSiteClub(t)
	cl := c.site.Client()
	r := siteGet(t, cl, c.site.URL+"/standings/")
	if r.status != http.StatusFound || r.header.Get("Location") != "/standings/2026/" {
		t.Fatalf("/standings/: %d → %q", r.status, r.header.Get("Location"))
	}
	p := siteGet(t, cl, c.site.URL+"/standings/2026/")
	// Alice: 100 (March 1st) + 100 (April 1st) = 200; Bob: 99 + 99 = 198.
	siteWant(t, "standings", p.body, "2026 Angler of the Year", `Alice Archer</a></th>
      <td class="key num strong" data-label="Points">200</td>`, `Bob Baker</a></th>
      <td class="key num strong" data-label="Points">198</td>`,
		"Standings over time", `<polyline`, "Heavy Stringer of the Year", "Big Bass of the Year", "Season statistics")
	// Guests get no AoY line; the big bass of the year is Alice's 5.00.
	if strings.Contains(p.body, `Gus Guest</a></th>`) {
		t.Error("a guest is listed in the AoY table")
	}
	a := siteGet(t, cl, c.site.URL+"/awards/2026/")
	siteWant(t, "awards", a.body, "2026 awards", `5.00<small> lb</small>`, `12.45<small> lb</small>`)
	for _, path := range []string{"/standings/1999/", "/awards/abc/", "/tournaments/999999/", "/tournaments/x/",
		"/anglers/999999/", "/tournaments/999999/results.csv"} {
		if p := siteGet(t, cl, c.site.URL+path); p.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, p.status)
		}
	}
}

func TestAnglerProfileIsPublicOnly(t *testing.T) {
	c := newSiteClub(t)
	p := siteGet(t, c.site.Client(), c.site.URL+"/anglers/"+siteItoa(c.alice)+"/")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	siteWant(t, "profile", p.body, "<h1>Alice Archer</h1>", "Member since March 2019", "Results history",
		"March Madness", "April Showers", "<dt>AoY rank</dt><dd>1st</dd>", "<dt>Wins</dt><dd>2</dd>",
		"<dt>Points</dt><dd>200</dd>", `class="avatar placeholder"`)
	for _, secret := range []string{c.aliceEmail, c.alicePhone, "512-555-0199", "(512) 555-0199", "5550199"} {
		if strings.Contains(p.body, secret) {
			t.Errorf("public profile shows private data %q", secret)
		}
	}
	guest := siteGet(t, c.site.Client(), c.site.URL+"/anglers/"+siteItoa(c.gus)+"/")
	siteWant(t, "guest profile", guest.body, "Guest angler")
}

func TestTournamentListFilters(t *testing.T) {
	c := newSiteClub(t)
	cl := c.site.Client()
	all := siteGet(t, cl, c.site.URL+"/tournaments/")
	siteWant(t, "list", all.body, "2026 season", "March Madness", "April Showers", `<option value="`)
	none := siteGet(t, cl, c.site.URL+"/tournaments/?lake="+siteItoa(c.otherLake))
	if strings.Contains(none.body, "March Madness") || !strings.Contains(none.body, "No tournaments") {
		t.Error("the lake filter does not filter")
	}
	old := siteGet(t, cl, c.site.URL+"/tournaments/?year=2025")
	if strings.Contains(old.body, "March Madness") {
		t.Error("the year filter does not filter")
	}
}

// TestETagAndNotModified: pages carry a strong ETag of their body; a match
// gets 304 without a body; a write changes the tag.
func TestETagAndNotModified(t *testing.T) {
	c := newSiteClub(t)
	cl := c.site.Client()
	url := c.site.URL + "/tournaments/" + siteItoa(c.march) + "/"
	// Uncompressed, the tag is strong; the gzip layer (assets.Compress)
	// weakens it for compressed bytes, and a weak tag must still get 304.
	identity := []string{"Accept-Encoding", "identity"}
	first := siteGet(t, cl, url, identity...)
	tag := first.header.Get("ETag")
	if tag == "" || strings.HasPrefix(tag, "W/") || !strings.HasPrefix(tag, `"`) {
		t.Fatalf("ETag %q: want a strong tag", tag)
	}
	if cc := first.header.Get("Cache-Control"); cc != "public, max-age=0, must-revalidate" {
		t.Errorf("anonymous Cache-Control %q", cc)
	}
	again := siteGet(t, cl, url, identity...)
	if again.header.Get("ETag") != tag {
		t.Fatalf("the same page got two tags: %q, %q", tag, again.header.Get("ETag"))
	}
	nm := siteGet(t, cl, url, "Accept-Encoding", "identity", "If-None-Match", tag)
	if nm.status != http.StatusNotModified || nm.body != "" {
		t.Fatalf("If-None-Match with the tag: status %d, %d body bytes", nm.status, len(nm.body))
	}
	gz := siteGet(t, cl, url, "Accept-Encoding", "gzip")
	if weak := gz.header.Get("ETag"); weak != tag && weak != "W/"+tag {
		t.Errorf("gzipped page tag %q, want %s or its weak form", weak, tag)
	}
	if p := siteGet(t, cl, url, "Accept-Encoding", "gzip", "If-None-Match", `"other", W/`+tag); p.status != http.StatusNotModified {
		t.Errorf("a list holding the weak tag: status %d", p.status)
	}
	if p := siteGet(t, cl, url, "Accept-Encoding", "identity", "If-None-Match", `"stale"`); p.status != http.StatusOK || p.body != first.body {
		t.Errorf("a stale tag: status %d", p.status)
	}
	// A write to the tournament changes the page and so the tag.
	rs, err := c.site.Store.Results(context.Background(), c.march)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.PersonID == c.bob {
			r.Dead, r.Correction = 1, "dead fish missed at the scale"
			siteID(t)(c.site.Store.SaveResult(context.Background(), 0, r))
		}
	}
	after := siteGet(t, cl, url, "Accept-Encoding", "identity", "If-None-Match", tag)
	if after.status != http.StatusOK || after.header.Get("ETag") == tag {
		t.Errorf("after a write: status %d, tag %q (was %q)", after.status, after.header.Get("ETag"), tag)
	}
	if p := siteGet(t, cl, c.site.URL+"/anglers/999999/"); p.header.Get("ETag") != "" {
		t.Error("a 404 page carries an ETag")
	}
}

func siteItoa(n int64) string { return strconv.FormatInt(n, 10) }

// The demo's open poll closes as the next monthly meeting starts, and the
// home page says so in club time.
func TestHome_PollClosesWhenTheNextMeetingStarts(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	_, b := pageGet(t, site, "/")
	body := string(b)
	at := demo.NextMeetingStart(testutil.Now).In(club.Location)
	want := "Voting closes when the meeting starts, " + at.Format("Mon, Jan 2, 3:04 PM") + "."
	if at.Hour() != 19 || at.Minute() != 0 || !strings.Contains(body, want) {
		t.Errorf("home page: want %q (7 PM club time) in the poll teaser", want)
	}
}
