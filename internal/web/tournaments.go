package web

import (
	"net/http"
	"strconv"

	"sabc/internal/store"
)

// tournamentList lists tournaments, newest first, optionally for one year.
func (s *Server) tournamentList(w http.ResponseWriter, r *http.Request) {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	ts, err := s.Store.Tournaments(r.Context(), store.TournamentFilter{Year: year})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tournaments", "Tournaments", ts)
}

// tournamentPage shows one tournament's stored outcome.
func (s *Server) tournamentPage(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	t, err := s.Store.Tournament(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	results, err := s.Store.Results(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tournament", t.Name, map[string]any{"T": t, "Results": results})
}
