package web_test

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// The demo club's open lake poll (internal/demo: votes from members 4–40;
// the demo logins have not voted).
const demoPoll = "/polls/1/"

var (
	pollRadio   = regexp.MustCompile(`name="option" id="option-(\d+)" value="(\d+)"`)
	pollRow     = regexp.MustCompile(`<td class="num">(\d+)</td><td class="num">(\d+)%</td>`)
	pollTable   = regexp.MustCompile(`(?s)<table class="data poll-results">.*?<tbody>(.*?)</tbody>`)
	pollTurnout = regexp.MustCompile(`(\d+) votes? from (\d+) eligible members? — <strong>(\d+)% participation`)
)

// pollVotes counts votes straight from the table, not through the store's
// poll queries the page uses: option id → votes.
func pollVotes(t *testing.T, st *store.Store, pollID int64) map[int64]int {
	t.Helper()
	rows, err := st.DB().Query(`SELECT option_id, count(*) FROM poll_votes WHERE poll_id = $1 GROUP BY option_id`, pollID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		out[id] = n
	}
	return out
}

// votesBy is how many votes person cast in the poll (the rule: at most one).
func votesBy(t *testing.T, st *store.Store, pollID, personID int64) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(`SELECT count(*) FROM poll_votes WHERE poll_id = $1 AND person_id = $2`,
		pollID, personID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// pollOptions reads the vote form's option ids, in page order.
func pollOptions(t *testing.T, body string) []string {
	t.Helper()
	var ids []string
	for _, m := range pollRadio.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[2])
	}
	if len(ids) == 0 {
		t.Fatalf("no vote form on the page\n%s", acctExcerpt(body))
	}
	return ids
}

// pollResults reads the results table: votes and percent per row, in order.
func pollResults(t *testing.T, body string) (votes, pcts []int) {
	t.Helper()
	m := pollTable.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no results table\n%s", acctExcerpt(body))
	}
	for _, r := range pollRow.FindAllStringSubmatch(m[1], -1) {
		v, _ := strconv.Atoi(r[1])
		p, _ := strconv.Atoi(r[2])
		votes, pcts = append(votes, v), append(pcts, p)
	}
	return votes, pcts
}

func vote(t *testing.T, c *http.Client, site *testutil.Site, path, option string) acctResp {
	t.Helper()
	return acctPost(t, c, site.URL+path+"vote/", url.Values{"option": {option}})
}

func TestPoll_AnonymousSeesNoResultsOfAnOpenPoll(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	r := acctGet(t, site.Client(), site.URL+demoPoll)
	if r.status != http.StatusOK {
		t.Fatalf("%s: %d", demoPoll, r.status)
	}
	siteWant(t, "anonymous poll page", r.body, "Where do we fish next month?",
		`<a href="/login/?next=%2fpolls%2f1%2f">Log in to vote</a>`, "Results are shown when voting closes")
	for _, leak := range []string{"poll-results", `id="poll-chart-t"`, "participation", `name="option"`} {
		if strings.Contains(r.body, leak) {
			t.Errorf("the public sees %q on an open poll", leak)
		}
	}
	list := acctGet(t, site.Client(), site.URL+"/polls/")
	siteWant(t, "poll list", list.body, `href="/polls/1/"`, "Voting closes")
}

func TestPoll_MemberVotesOnceAndSeesResults(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	member := acctPerson(t, site.Store, demo.MemberEmail)
	c := acctLogin(t, site, demo.MemberEmail, demo.Password)

	before := acctGet(t, c, site.URL+demoPoll)
	if n, _ := strconv.Atoi(before.header.Get("X-DB-Query-Count")); n == 0 || n > 4 {
		t.Errorf("poll page ran %s queries for a member, budget 4", before.header.Get("X-DB-Query-Count"))
	}
	if strings.Contains(before.body, "poll-results") {
		t.Error("a member sees the results of an open poll before voting")
	}
	options := pollOptions(t, before.body)
	counts := pollVotes(t, site.Store, 1)
	choice := options[1]
	id, _ := strconv.ParseInt(choice, 10, 64)
	counts[id]++ // what the table must say after this member's vote

	r := vote(t, c, site, demoPoll, choice)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), demoPoll) {
		t.Fatalf("vote: %d to %q, want 303 back to the poll\n%s", r.status, r.header.Get("Location"), acctExcerpt(r.body))
	}
	after := acctGet(t, c, site.URL+demoPoll)
	siteWant(t, "poll after voting", after.body, "You voted for ", `<span class="tag">Your vote</span>`, `id="poll-chart-t"`)
	if strings.Contains(after.body, `name="option"`) {
		t.Error("the vote form is still offered after voting")
	}
	votes, pcts := pollResults(t, after.body)
	if len(votes) != len(options) {
		t.Fatalf("%d result rows for %d options", len(votes), len(options))
	}
	total, sum := 0, 0
	for i, opt := range options {
		id, _ := strconv.ParseInt(opt, 10, 64)
		if votes[i] != counts[id] {
			t.Errorf("option %s: page says %d votes, the database %d", opt, votes[i], counts[id])
		}
		total += counts[id]
	}
	for i, opt := range options {
		id, _ := strconv.ParseInt(opt, 10, 64)
		exact := 100 * float64(counts[id]) / float64(total)
		if math.Abs(float64(pcts[i])-exact) >= 1 {
			t.Errorf("option %s: %d%%, exactly %.2f%%", opt, pcts[i], exact)
		}
		sum += pcts[i]
	}
	if sum < 99 || sum > 101 {
		t.Errorf("percentages add up to %d%%", sum)
	}

	// Participation: voters over active members (the demo season needs no dues).
	people, err := site.Store.People(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	members := 0
	for _, p := range people {
		if p.Member {
			members++
		}
	}
	m := pollTurnout.FindStringSubmatch(after.body)
	want := []string{strconv.Itoa(total), strconv.Itoa(members), strconv.Itoa(int(math.Round(100 * float64(total) / float64(members))))}
	if m == nil || m[1] != want[0] || m[2] != want[1] || m[3] != want[2] {
		t.Errorf("participation %v, want %v votes from %v members, %v%%", m, want[0], want[1], want[2])
	}

	again := vote(t, c, site, demoPoll, options[0])
	if again.status != http.StatusConflict || !strings.Contains(again.body, "You have already voted in this poll") {
		t.Errorf("second vote: %d, want 409 with a clear message\n%s", again.status, acctExcerpt(again.body))
	}
	if n := votesBy(t, site.Store, 1, member.ID); n != 1 {
		t.Errorf("the member has %d votes in the poll, want 1", n)
	}
}

func TestPoll_ConcurrentVotesOfOneMemberCastOne(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	officer := acctPerson(t, site.Store, demo.OfficerEmail)
	clients := []*http.Client{acctLogin(t, site, demo.OfficerEmail, demo.Password),
		acctLogin(t, site, demo.OfficerEmail, demo.Password)}
	options := pollOptions(t, acctGet(t, clients[0], site.URL+demoPoll).body)

	statuses := make([]int, len(clients))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, _ := http.NewRequest(http.MethodPost, site.URL+demoPoll+"vote/",
				strings.NewReader(url.Values{"option": {options[i%len(options)]}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := c.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	ok, refused := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusSeeOther:
			ok++
		case http.StatusConflict:
			refused++
		}
	}
	if ok != 1 || refused != 1 {
		t.Errorf("two concurrent votes answered %v, want one 303 and one 409", statuses)
	}
	if n := votesBy(t, site.Store, 1, officer.ID); n != 1 {
		t.Errorf("the officer has %d votes in the poll, want exactly 1", n)
	}
}

func TestPoll_GuestCannotVote(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	guest := acctGuest(t, site.Store)
	c := acctLogin(t, site, guest.Email, demo.Password)
	page := acctGet(t, c, site.URL+demoPoll)
	siteWant(t, "guest poll page", page.body, "Only members vote")
	if strings.Contains(page.body, `name="option"`) || strings.Contains(page.body, "poll-results") {
		t.Error("a guest gets the vote form or the results of an open poll")
	}
	options := pollOptions(t, acctGet(t, acctLogin(t, site, demo.MemberEmail, demo.Password), site.URL+demoPoll).body)
	if r := vote(t, c, site, demoPoll, options[0]); r.status != http.StatusForbidden {
		t.Errorf("guest vote: %d, want 403", r.status)
	}
	if n := votesBy(t, site.Store, 1, guest.ID); n != 0 {
		t.Errorf("the guest's vote was recorded (%d)", n)
	}
}

// closedPoll is a generic poll that closed an hour before the test clock,
// with two votes for "Yes" and one for "No" from demo members. The votes
// are cast while it is open (the store refuses them after the close), then
// its close moves into the past.
func closedPoll(t *testing.T, st *store.Store) (int64, []club.PollOption) {
	t.Helper()
	ctx := context.Background()
	id, err := st.CreatePoll(ctx, club.Poll{Kind: "generic", Title: "Move the meeting to Thursdays?",
		SeasonYear: 2026, OpensAt: testutil.Now.Add(-10 * 24 * time.Hour), ClosesAt: testutil.Now.Add(time.Hour),
		Options: []club.PollOption{{Label: "Yes"}, {Label: "No"}}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.PollWithCounts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	people, err := st.People(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	cast := 0
	for _, who := range people {
		if !who.Member || who.Email == demo.MemberEmail || cast == 3 {
			continue
		}
		if err := st.CastVote(ctx, club.Vote{PollID: id, OptionID: p.Options[cast/2].ID, PersonID: who.ID}); err != nil {
			t.Fatal(err)
		}
		cast++
	}
	if _, err := st.DB().Exec(`UPDATE polls SET closes_at = $1 WHERE id = $2`, testutil.Now.Add(-time.Hour), id); err != nil {
		t.Fatal(err)
	}
	return id, p.Options
}

func TestPoll_ClosedPollRefusesVotesAndShowsResultsToAll(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	id, opts := closedPoll(t, site.Store)
	path := "/polls/" + strconv.FormatInt(id, 10) + "/"
	member := acctPerson(t, site.Store, demo.MemberEmail)
	c := acctLogin(t, site, demo.MemberEmail, demo.Password)

	r := vote(t, c, site, path, strconv.FormatInt(opts[0].ID, 10))
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Voting closed") {
		t.Errorf("vote after close: %d, want 409 saying voting closed\n%s", r.status, acctExcerpt(r.body))
	}
	if n := votesBy(t, site.Store, id, member.ID); n != 0 {
		t.Errorf("a vote after close was recorded (%d)", n)
	}

	anon := acctGet(t, site.Client(), site.URL+path)
	siteWant(t, "closed poll, public", anon.body, "Voting closed", "Move the meeting to Thursdays?")
	if strings.Contains(anon.body, "Log in to vote") {
		t.Error("a closed poll invites the public to log in to vote")
	}
	// Two votes for Yes and one for No: 67 % and 33 % (written out, not computed).
	votes, pcts := pollResults(t, anon.body)
	if len(votes) != 2 || votes[0] != 2 || votes[1] != 1 || pcts[0] != 67 || pcts[1] != 33 {
		t.Errorf("closed poll results %v votes %v%%, want [2 1] votes [67 33]%%", votes, pcts)
	}
	list := acctGet(t, site.Client(), site.URL+"/polls/")
	closed, _, _ := strings.Cut(list.body[strings.Index(list.body, "Recently closed"):], "</section>")
	siteWant(t, "poll list, closed section", closed, `href="`+path+`"`, "3 votes")
}

// TestPoll_OpenUntil1900Central: a poll closing at 19:00 Central on its end
// date takes votes at 18:59:59 and refuses them at 19:00:00.
func TestPoll_OpenUntil1900Central(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed)
	end := time.Date(2026, time.November, 25, 19, 0, 0, 0, club.Location)
	id, err := site.Store.CreatePoll(context.Background(), club.Poll{Kind: "generic", Title: "Club shirts: blue or green?",
		SeasonYear: 2026, OpensAt: testutil.Fixed.Add(-24 * time.Hour), ClosesAt: end,
		Options: []club.PollOption{{Label: "Blue"}, {Label: "Green"}}})
	if err != nil {
		t.Fatal(err)
	}
	path := "/polls/" + strconv.FormatInt(id, 10) + "/"
	member := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	options := pollOptions(t, acctGet(t, member, site.URL+path).body)
	siteWant(t, "closing time", acctGet(t, member, site.URL+path).body, "Wed, Nov 25, 2026 at 7:00 PM CST")

	site.clock.Advance(end.Add(-time.Second).Sub(site.clock.Now()))
	if r := vote(t, member, site.Site, path, options[0]); r.status != http.StatusSeeOther {
		t.Errorf("vote at 18:59:59 Central: %d, want 303\n%s", r.status, acctExcerpt(r.body))
	}
	site.clock.Advance(time.Second)
	if r := vote(t, officer, site.Site, path, options[1]); r.status != http.StatusConflict ||
		!strings.Contains(r.body, "Voting closed Wed, Nov 25, 2026 at 7:00 PM CST") {
		t.Errorf("vote at 19:00 Central: %d, want 409 saying when voting closed\n%s", r.status, acctExcerpt(r.body))
	}
	if got := pollVotes(t, site.Store, id); len(got) != 1 {
		t.Errorf("votes %v, want only the one cast before 19:00", got)
	}
}

func TestPoll_DuesMustBeCurrentWhenTheSeasonRequiresThem(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	ctx := context.Background()
	if _, err := site.Store.DB().Exec(`UPDATE seasons SET requires_dues = TRUE WHERE year = 2026`); err != nil {
		t.Fatal(err)
	}
	member := acctPerson(t, site.Store, demo.MemberEmail)
	member.DuesPaidThrough = club.NewDate(2025, time.December, 31)
	if err := site.Store.SaveProfile(ctx, 0, store.ProfileChange{Person: member}); err != nil {
		t.Fatal(err)
	}
	c := acctLogin(t, site, demo.MemberEmail, demo.Password)
	page := acctGet(t, c, site.URL+demoPoll)
	siteWant(t, "member behind on dues", page.body, "Your dues are not current")
	if strings.Contains(page.body, `name="option"`) {
		t.Error("a member behind on dues gets the vote form")
	}
	officer := acctLogin(t, site, demo.OfficerEmail, demo.Password)
	options := pollOptions(t, acctGet(t, officer, site.URL+demoPoll).body)
	if r := vote(t, c, site, demoPoll, options[0]); r.status != http.StatusForbidden ||
		!strings.Contains(r.body, "Your dues are not current") {
		t.Errorf("vote with dues behind: %d, want 403 with the reason\n%s", r.status, acctExcerpt(r.body))
	}
	if n := votesBy(t, site.Store, 1, member.ID); n != 0 {
		t.Errorf("the vote was recorded (%d)", n)
	}

	// Officers see results before voting; eligibility now counts dues paid
	// through today (2026-11-25 in Austin).
	off := acctGet(t, officer, site.URL+demoPoll)
	people, err := site.Store.People(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	eligible := 0
	for _, p := range people {
		if p.Member && !p.DuesPaidThrough.IsZero() && p.DuesPaidThrough.Format(time.DateOnly) >= "2026-11-25" {
			eligible++
		}
	}
	m := pollTurnout.FindStringSubmatch(off.body)
	if m == nil || m[2] != strconv.Itoa(eligible) {
		t.Errorf("officer's view: participation %v, want %d eligible members", m, eligible)
	}
}

// TestPoll_LakeTotalsWhenALakeHasTwoRamps: two options on one lake from
// different ramps are also totalled per lake (shown here to an officer,
// who sees results of an open poll).
func TestPoll_LakeTotalsWhenALakeHasTwoRamps(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	ctx := context.Background()
	lakes, err := site.Store.Lakes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var two, other club.Lake
	for _, l := range lakes {
		switch {
		case len(l.Ramps) >= 2 && two.ID == 0:
			two = l
		case other.ID == 0:
			other = l
		}
	}
	if two.ID == 0 || other.ID == 0 {
		t.Fatal("the demo club has no lake with two ramps")
	}
	id, err := site.Store.CreatePoll(ctx, club.Poll{Kind: "lake", Title: "January lake", SeasonYear: 2026,
		OpensAt: testutil.Now.Add(-time.Hour), ClosesAt: testutil.Now.Add(48 * time.Hour),
		Options: []club.PollOption{
			{Label: two.Name, LakeID: two.ID, RampID: two.Ramps[0].ID},
			{Label: two.Name, LakeID: two.ID, RampID: two.Ramps[1].ID},
			{Label: other.Name, LakeID: other.ID, RampID: other.Ramps[0].ID}}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := site.Store.PollWithCounts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	people, err := site.Store.People(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	// One vote per ramp of the two-ramp lake, two for the other lake: 2 and 2.
	picks := []int{0, 1, 2, 2}
	for _, who := range people {
		if len(picks) == 0 {
			break
		}
		if !who.Member || who.Email == demo.OfficerEmail {
			continue
		}
		if err := site.Store.CastVote(ctx, club.Vote{PollID: id, OptionID: p.Options[picks[0]].ID, PersonID: who.ID}); err != nil {
			t.Fatal(err)
		}
		picks = picks[1:]
	}
	c := acctLogin(t, site, demo.OfficerEmail, demo.Password)
	body := acctGet(t, c, site.URL+"/polls/"+strconv.FormatInt(id, 10)+"/").body
	_, byLake, ok := strings.Cut(body, `<table class="data lake-totals"`)
	if !ok {
		t.Fatalf("no per-lake totals\n%s", acctExcerpt(body))
	}
	siteWant(t, "per-lake totals", byLake,
		`<th scope="row">`+two.Name+`</th><td class="num">2</td><td class="num">2</td><td class="num">50%</td>`,
		`<th scope="row">`+other.Name+`</th><td class="num">1</td><td class="num">2</td><td class="num">50%</td>`)
	siteWant(t, "ramps on the options", body, two.Ramps[0].Name, two.Ramps[1].Name)
}
