package web

import (
	"net/http"
	"strings"

	"sabc/internal/club"
	"sabc/internal/store"
)

// rosterData is the members' roster, split the way the club reads it.
type rosterData struct {
	Query    string
	Season   int
	Officers []store.RosterEntry
	Members  []store.RosterEntry
	Guests   []store.RosterEntry
	Total    int
}

// roster is for members only: officers of the season, members with their
// email and phone, guests by name. The search runs on the server (GET ?q=)
// so it works without JavaScript. One query besides the visitor's two.
func (s *Server) roster(w http.ResponseWriter, r *http.Request) {
	q := truncateRunes(strings.TrimSpace(r.URL.Query().Get("q")), 100)
	season := club.Today(s.Now()).Year()
	entries, err := s.Store.Roster(r.Context(), season, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := rosterData{Query: q, Season: season, Total: len(entries)}
	for _, e := range entries {
		switch {
		case e.Officer():
			d.Officers = append(d.Officers, e)
		case e.Member:
			d.Members = append(d.Members, e)
		default:
			d.Guests = append(d.Guests, e)
		}
	}
	s.render(w, r, http.StatusOK, "roster", "Roster", d)
}

// rosterRowView is one roster line; Edit adds the officer's Edit link.
type rosterRowView struct {
	store.RosterEntry
	Edit bool
}

func rosterRow(e store.RosterEntry, edit bool) rosterRowView { return rosterRowView{e, edit} }
