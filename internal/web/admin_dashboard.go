package web

import (
	"net/http"

	"sabc/internal/club"
	"sabc/internal/obs"
	"sabc/internal/store"
)

// The officer area's front page (02-site §4): what needs an officer today —
// the next tournament with its weigh-in, guests who fish with the club,
// members whose dues ran out, the latest audited writes, open polls and
// unresolved errors. Every list is one query with a small limit.

type dashboardData struct {
	Next    []club.Tournament
	Guests  []store.GuestToPromote
	Overdue []club.Person
	Audit   []auditRow
	Polls   []club.Poll
	Errors  []obs.Group
	Today   club.Date
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := s.Now()
	d := dashboardData{Today: club.Today(now)}
	var err error
	if d.Next, err = s.Store.NextTournaments(ctx, d.Today, 3); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Guests, err = s.Store.GuestsToPromote(ctx, 10); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Overdue, err = s.Store.DuesOverdue(ctx, d.Today, 10); err != nil {
		s.fail(w, r, err)
		return
	}
	entries, err := s.Store.AuditEntries(ctx, store.AuditFilter{Limit: 8})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Audit = auditRows(entries)
	if d.Polls, err = s.Store.OpenPolls(ctx, now); err != nil {
		s.fail(w, r, err)
		return
	}
	groups, err := s.Store.ErrorGroups().ListGroups(ctx, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(groups) > 5 {
		groups = groups[:5]
	}
	d.Errors = groups
	s.render(w, r, http.StatusOK, "admin_dashboard", "Officers", d)
}
