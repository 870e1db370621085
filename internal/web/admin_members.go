package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// The officers' members page (02-site §4, memberships): every account with a
// search and a filter, and the quick changes an officer makes from a list —
// promote a guest, deactivate, reactivate. Dues paid-through, member since
// and officer terms are edited on the person's profile form. Every change
// goes through store.SaveProfile, the one audited person-update path, with
// the version the list was read at.

type memberRow struct {
	store.RosterEntry
	Overdue bool // a member whose dues ran out (or were never recorded)
}

type membersData struct {
	Q, Filter string
	Filters   []memberFilterChoice
	Rows      []memberRow
	Notice    string
	Problem   string
	Today     club.Date
}

type memberFilterChoice struct{ Value, Label string }

var memberFilterLabels = map[string]string{"": "Active accounts", "guests": "Guests", "members": "Members",
	"overdue": "Dues overdue", "inactive": "Inactive"}

// memberNotices are the fixed messages a redirect may ask for; the name
// comes from the list, never from the URL.
var memberNotices = map[string]string{"promoted": "%s is now a member.", "deactivated": "%s is deactivated and can no longer log in.",
	"reactivated": "%s is active again."}

func (s *Server) memberList(w http.ResponseWriter, r *http.Request) {
	s.renderMembers(w, r, http.StatusOK, "")
}

func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, status int, problem string) {
	q := r.URL.Query()
	today := club.Today(s.Now())
	d := membersData{Q: truncateRunes(strings.TrimSpace(q.Get("q")), 100), Filter: q.Get("filter"), Today: today,
		Problem: problem}
	if !slices.Contains(store.MemberShows, d.Filter) {
		d.Filter = ""
	}
	for _, v := range store.MemberShows {
		d.Filters = append(d.Filters, memberFilterChoice{v, memberFilterLabels[v]})
	}
	entries, err := s.Store.MemberList(r.Context(), store.MemberFilter{Q: d.Q, Show: d.Filter, Today: today, Season: today.Year()})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	noticeID, _ := strconv.ParseInt(q.Get("id"), 10, 64)
	for _, e := range entries {
		row := memberRow{RosterEntry: e, Overdue: e.Member && (e.DuesPaidThrough.IsZero() || e.DuesPaidThrough.Before(today.Time))}
		if msg, ok := memberNotices[q.Get("notice")]; ok && e.ID == noticeID {
			d.Notice = fmt.Sprintf(msg, e.Name())
		}
		d.Rows = append(d.Rows, row)
	}
	s.render(w, r, status, "admin_members", "Members", d)
}

// memberAction applies one quick change to person {id} and returns to the
// list it came from (the form carries the list's query).
func (s *Server) memberAction(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id, ok := s.editTarget(w, r) // officers; an admin's account is for admins
		if !ok {
			return
		}
		f := forms.New(r)
		a, err := s.Store.Account(ctx, id, club.Today(s.Now()).Year())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		me := visitorOf(ctx).Person
		p := a.Person
		p.Version = lockVersion(f)
		switch action {
		case "promoted":
			p.Member = true
			if p.MemberSince.IsZero() {
				p.MemberSince = club.Today(s.Now())
			}
		case "deactivated":
			if id == me.ID {
				s.renderMembers(w, r, http.StatusUnprocessableEntity, "You can't deactivate yourself; ask another officer.")
				return
			}
			p.IsActive = false
		case "reactivated":
			p.IsActive = true
		}
		err = s.Store.SaveProfile(ctx, me.ID, store.ProfileChange{Person: p, OfficerGranted: a.OfficerGranted})
		if errors.Is(err, store.ErrStale) {
			s.renderMembers(w, r, http.StatusConflict, a.Name()+" was changed by someone else after this list was loaded. "+
				"The list below is current: check it and try again.")
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		// Back to the list where the person now is, so the notice shows by their row.
		back := url.Values{"notice": {action}, "id": {strconv.FormatInt(id, 10)},
			"filter": {map[string]string{"promoted": "members", "deactivated": "inactive"}[action]}}
		if q := f.Get("q"); q != "" {
			back.Set("q", q)
		}
		http.Redirect(w, r, "/admin/members/?"+back.Encode(), http.StatusSeeOther)
	}
}

// truncateRunes cuts s to at most n runes, never inside one (a byte cut could
// leave invalid UTF-8, which PostgreSQL refuses).
func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// memberActionView is one quick-change button of a members row.
type memberActionView struct {
	ID            int64
	Version       int
	Action, Label string
	Q             string
	Show          bool // the change applies to this person's standing
}

func memberActionOf(row memberRow, action, label string, d membersData) memberActionView {
	show := map[string]bool{"promote": row.IsActive && !row.Member, "deactivate": row.IsActive,
		"reactivate": !row.IsActive}[action]
	return memberActionView{ID: row.ID, Version: row.Version, Action: action, Label: label, Q: d.Q, Show: show}
}
