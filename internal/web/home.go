package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"sabc/internal/club"
	"sabc/internal/store"
)

const (
	podiumsPerPage = 5
	maxHomePage    = 1 << 20 // far past any club's history
)

type homeData struct {
	NextTournament   *club.Event
	NextMeeting      *club.Event
	DaysToTournament string
	Polls            []pollTeaser
	News             []store.Headline
	Podiums          []store.Podium
	PrevPage         int
	NextPage         int
	Year             int
	Standings        []store.Standing
	PodiumArticles   template.HTML // Podiums and Standings as HTML (home_html.go)
	StandingRows     template.HTML
}

// pollTeaser is an open poll on the home page; AtMeeting says it closes as
// the next meeting starts, which is how members know the deadline.
type pollTeaser struct {
	store.Headline
	AtMeeting bool
}

// home shows what a member opens the site for: the next tournament and
// meeting, open polls, the latest podiums, the AoY top 5 and news (4 queries).
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := s.Now()
	today := club.Today(now)
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	// Bounded so the offset below cannot overflow into a negative OFFSET,
	// which PostgreSQL refuses.
	page = min(max(page, 1), maxHomePage)
	d := homeData{Year: today.Year()}

	events, err := s.Store.Events(ctx, today, club.Date{Time: today.AddDate(0, 3, 0)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range events {
		e := &events[i]
		if e.Cancelled {
			continue
		}
		if e.Kind == "tournament" && d.NextTournament == nil {
			d.NextTournament = e
			d.DaysToTournament = countdown(today, e.Date)
		}
		if e.Kind == "meeting" && d.NextMeeting == nil {
			d.NextMeeting = e
		}
	}
	if d.Podiums, err = s.Store.Podiums(ctx, podiumsPerPage+1, (page-1)*podiumsPerPage); err != nil {
		s.fail(w, r, err)
		return
	}
	if page > 1 && len(d.Podiums) == 0 {
		// Past the last page: "No results entered yet" would be untrue.
		s.notFound(w, r)
		return
	}
	if len(d.Podiums) > podiumsPerPage {
		d.Podiums, d.NextPage = d.Podiums[:podiumsPerPage], page+1
	}
	if page > 1 {
		d.PrevPage = page - 1
	}
	if d.Standings, err = s.Store.Standings(ctx, d.Year, 5); err != nil {
		s.fail(w, r, err)
		return
	}
	heads, err := s.Store.Headlines(ctx, now, 3)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, h := range heads {
		if h.Kind == "poll" {
			m := d.NextMeeting
			d.Polls = append(d.Polls, pollTeaser{h, m != nil && m.StartTime != "" && m.Date.At(m.StartTime).Equal(h.At)})
		} else {
			d.News = append(d.News, h)
		}
	}
	d.PodiumArticles, d.StandingRows = podiumArticles(d.Podiums), topStandingRows(d.Standings)
	s.render(w, r, http.StatusOK, "home", "", d)
}

// countdown says how far off a day is, the way people say it.
func countdown(today, day club.Date) string {
	days := int(day.Sub(today.Time) / (24 * time.Hour))
	switch {
	case days <= 0:
		return "Today!"
	case days == 1:
		return "Tomorrow"
	default:
		return fmt.Sprintf("In %d days", days)
	}
}
