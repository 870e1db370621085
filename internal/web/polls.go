package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"sabc/internal/chart"
	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// closedPollsListed is how many closed polls /polls/ shows.
const closedPollsListed = 10

// clubTime is an instant as the poll pages print it: club time with its zone
// ("Wed, Dec 2, 2026 at 7:00 PM CST") and the exact instant for <time>.
type clubTime struct {
	ISO, Text string
}

func atClub(t time.Time) clubTime {
	return clubTime{ISO: t.UTC().Format(time.RFC3339), Text: t.In(club.Location).Format("Mon, Jan 2, 2006 at 3:04 PM MST")}
}

// pollOptionView is one option with its share of the votes.
type pollOptionView struct {
	ID      int64
	Label   string
	Detail  string // lake options: ramp and start time
	Votes   int
	Percent int
	Mine    bool // the visitor's vote
	Winner  bool // the option the closing job (or the officers) picked
}

// lakeTotal sums the options that fish the same lake from different ramps.
type lakeTotal struct {
	Name           string
	Votes, Percent int
	Options        int
}

// pollPageData is /polls/{id}/.
type pollPageData struct {
	Poll          club.Poll
	Opens, Closes clubTime
	Status        string // open, upcoming, closed, tie (the CSS class and the badge)
	StatusText    string
	Options       []pollOptionView
	ShowResults   bool
	ResultsHidden string // why the results are not shown yet
	Chart         chart.Chart
	Voters        int
	Eligible      int
	Participation int // percent of eligible members who voted; -1 when nobody is eligible
	LakeTotals    []lakeTotal
	CanVote       bool
	Why           string // why the visitor cannot vote
	LoginNext     string // set when logging in is what the visitor needs
	Notice        string // the answer to a refused vote
	NoticeRole    string // "alert" for refusals
	RequiresDues  bool
	VotedFor      string
}

// pollID parses {id}; false means the page does not exist.
func pollID(r *http.Request) (int64, bool) { return pathID(r, "id") }

// loadPoll reads the poll with its counts and the visitor's context: two
// queries whoever asks. Dues count as current when paid through today; for
// a poll that is over, eligibility is counted as of its closing day.
func (s *Server) loadPoll(ctx context.Context, id int64, v visitor) (club.Poll, store.PollContext, error) {
	p, err := s.Store.PollWithCounts(ctx, id)
	if err != nil {
		return p, store.PollContext{}, err
	}
	now := s.Now()
	asOf := club.Today(now)
	if closeDay := club.Today(p.ClosesAt); closeDay.Before(asOf.Time) {
		asOf = closeDay
	}
	season := p.SeasonYear
	if season == 0 {
		season = club.Today(p.ClosesAt).Year()
	}
	var pid int64
	if v.Person != nil {
		pid = v.Person.ID
	}
	pc, err := s.Store.PollContext(ctx, id, pid, season, asOf)
	return p, pc, err
}

// pollPage shows one poll: facts, the vote form or why there is none, and
// the results to those who may see them (spec 02-site §6). Four queries for
// a logged-in visitor: session, visitor, poll, context.
func (s *Server) pollPage(w http.ResponseWriter, r *http.Request) {
	id, ok := pollID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	v := visitorOf(r.Context())
	p, pc, err := s.loadPoll(r.Context(), id, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "poll", p.Title, s.pollData(v, p, pc))
}

// pollVote casts the visitor's vote. Every rule is checked here on the
// server; the unique (poll, person) constraint settles a double submit or
// two concurrent requests, so exactly one vote is recorded.
func (s *Server) pollVote(w http.ResponseWriter, r *http.Request) {
	id, ok := pollID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	v := visitorOf(ctx)
	p, pc, err := s.loadPoll(ctx, id, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	refuse := func(status int, msg string) {
		d := s.pollData(v, p, pc)
		d.Notice, d.NoticeRole = msg, "alert"
		s.render(w, r, status, "poll", p.Title, d)
	}
	if status, msg := s.voteRefusal(v, p, pc); msg != "" {
		refuse(status, msg)
		return
	}
	option, _ := parseID(forms.New(r).Get("option"))
	if !hasOption(p, option) {
		refuse(http.StatusUnprocessableEntity, "Choose one of the options, then press “Cast my vote”.")
		return
	}
	err = s.Store.CastVote(ctx, club.Vote{PollID: p.ID, OptionID: option, PersonID: v.Person.ID})
	if errors.Is(err, store.ErrPollClosed) {
		// The poll closed between the check above and the INSERT, which
		// checks the window again at its own instant.
		refuse(http.StatusConflict, "Voting closed "+atClub(p.ClosesAt).Text+".")
		return
	}
	if errors.Is(err, store.ErrConflict) {
		// Another request of this member won the race: show the vote that counts.
		if p, pc, err = s.loadPoll(ctx, id, v); err != nil {
			s.fail(w, r, err)
			return
		}
		refuse(http.StatusConflict, "You have already voted in this poll. Each member votes once.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/polls/"+strconv.FormatInt(p.ID, 10)+"/#results", http.StatusSeeOther)
}

// voteRefusal says why v may not vote now, with the status a refused POST
// answers; an empty message means the vote may go ahead.
func (s *Server) voteRefusal(v visitor, p club.Poll, pc store.PollContext) (int, string) {
	now := s.Now()
	switch {
	case pc.MyOptionID != 0:
		return http.StatusConflict, "You have already voted in this poll. Each member votes once."
	case now.Before(p.OpensAt) && !p.Closed:
		return http.StatusConflict, "Voting opens " + atClub(p.OpensAt).Text + "."
	case !p.Open(now):
		return http.StatusConflict, "Voting closed " + atClub(p.ClosesAt).Text + "."
	case v.Person == nil:
		return http.StatusForbidden, "Log in to vote."
	case !v.Person.Member:
		return http.StatusForbidden, "Only members vote — ask an officer about joining the club."
	case pc.RequiresDues && v.Person.DuesPaidThrough.Before(club.Today(now).Time):
		return http.StatusForbidden, "Your dues are not current, so you cannot vote in this poll. " +
			"Pay your dues to an officer and you can vote while the poll is open."
	}
	return 0, ""
}

func hasOption(p club.Poll, id int64) bool {
	for _, o := range p.Options {
		if o.ID == id {
			return true
		}
	}
	return false
}

// pollData builds the page. Results are shown to everyone once the poll is
// over, to officers always, and to a member who has voted (spec 02-site §6).
func (s *Server) pollData(v visitor, p club.Poll, pc store.PollContext) pollPageData {
	now := s.Now()
	over := p.Closed || !now.Before(p.ClosesAt)
	d := pollPageData{Poll: p, Opens: atClub(p.OpensAt), Closes: atClub(p.ClosesAt), Eligible: pc.Eligible,
		RequiresDues: pc.RequiresDues, Participation: -1}
	switch {
	case over && p.Tie:
		d.Status, d.StatusText = "tie", "Tie — officers decide"
	case over:
		d.Status, d.StatusText = "closed", "Voting closed"
	case now.Before(p.OpensAt):
		d.Status, d.StatusText = "upcoming", "Not open yet"
	default:
		d.Status, d.StatusText = "open", "Voting open"
	}
	counts := make([]int, len(p.Options))
	for i, o := range p.Options {
		counts[i] = o.Votes
		d.Voters += o.Votes
	}
	shares := chart.Shares(counts)
	for i, o := range p.Options {
		ov := pollOptionView{ID: o.ID, Label: o.Label, Detail: optionDetail(o, pc.Places[o.ID]), Votes: o.Votes,
			Percent: shares[i], Mine: o.ID == pc.MyOptionID, Winner: o.ID == p.WinnerOptionID}
		if ov.Mine {
			d.VotedFor = o.Label
		}
		d.Options = append(d.Options, ov)
	}
	if d.Eligible > 0 {
		d.Participation = (d.Voters*100 + d.Eligible/2) / d.Eligible
	}

	_, d.Why = s.voteRefusal(v, p, pc)
	d.CanVote = d.Why == ""
	if v.Person == nil && p.Open(now) {
		d.LoginNext = "/polls/" + strconv.FormatInt(p.ID, 10) + "/"
	}
	if d.VotedFor != "" {
		d.Why = "You voted for " + d.VotedFor + "."
	}

	d.ShowResults = over || v.Role >= Officer || pc.MyOptionID != 0
	switch {
	case d.ShowResults:
		bars := make([]chart.PollBar, len(d.Options))
		for i, o := range d.Options {
			bars[i] = chart.PollBar{Label: o.Label, Votes: o.Votes, Percent: o.Percent}
		}
		d.Chart = chart.PollResults("poll-chart", "Votes per option", bars)
		d.LakeTotals = lakeTotals(p, pc)
	case d.CanVote:
		d.ResultsHidden = "You will see the results as soon as you have voted."
	default:
		d.ResultsHidden = "Results are shown when voting closes, " + d.Closes.Text + "."
	}
	return d
}

// optionDetail is a lake option's ramp and start time ("Mansfield Dam · 6:30 AM start").
func optionDetail(o club.PollOption, pl store.PollPlace) string {
	out := pl.RampName
	if pl.LakeName != "" && pl.LakeName != o.Label && o.Label != "" {
		out = joinDot(pl.LakeName, out)
	}
	if o.StartTime != "" {
		start := o.StartTime
		if t, err := time.Parse("15:04", o.StartTime); err == nil {
			start = t.Format("3:04 PM")
		}
		out = joinDot(out, start+" start")
	}
	return out
}

func joinDot(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " · " + b
}

// lakeTotals groups a lake poll's votes by lake when some lake is offered
// from more than one ramp (nil otherwise), in the order lakes first appear.
func lakeTotals(p club.Poll, pc store.PollContext) []lakeTotal {
	var out []lakeTotal
	at := map[int64]int{}
	shared := false
	for _, o := range p.Options {
		pl := pc.Places[o.ID]
		if pl.LakeID == 0 {
			return nil // a free-text option: there is no lake to total by
		}
		i, seen := at[pl.LakeID]
		if !seen {
			i = len(out)
			at[pl.LakeID] = i
			out = append(out, lakeTotal{Name: pl.LakeName})
		}
		out[i].Votes += o.Votes
		out[i].Options++
		shared = shared || out[i].Options > 1
	}
	if !shared {
		return nil
	}
	counts := make([]int, len(out))
	for i, l := range out {
		counts[i] = l.Votes
	}
	for i, pct := range chart.Shares(counts) {
		out[i].Percent = pct
	}
	return out
}

// pollRow is one poll on /polls/.
type pollRow struct {
	store.PollSummary
	Opens, Closes clubTime
}

// pollListData is /polls/: open (and not yet open) polls, then recent closed ones.
type pollListData struct {
	Open, Upcoming, Closed []pollRow
}

// pollList is /polls/ (one query).
func (s *Server) pollList(w http.ResponseWriter, r *http.Request) {
	now := s.Now()
	polls, err := s.Store.PollList(r.Context(), now, closedPollsListed)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var d pollListData
	for _, p := range polls {
		row := pollRow{PollSummary: p, Opens: atClub(p.OpensAt), Closes: atClub(p.ClosesAt)}
		switch {
		case p.Closed || !now.Before(p.ClosesAt):
			d.Closed = append(d.Closed, row)
		case now.Before(p.OpensAt):
			d.Upcoming = append([]pollRow{row}, d.Upcoming...) // soonest closing first
		default:
			d.Open = append([]pollRow{row}, d.Open...) // soonest closing first
		}
	}
	s.render(w, r, http.StatusOK, "polls", "Polls", d)
}
