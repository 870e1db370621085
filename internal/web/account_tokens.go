package web

import (
	"crypto/rand"
	"net/http"
	"strings"

	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// Personal API tokens (docs/api.md): an officer creates one on their account
// page for a script or another device; it is shown once, and only its hash
// is stored. Sent as "Authorization: Bearer <token>" it acts as the officer
// on /api/ paths only.

type tokenPage struct {
	Form    *forms.Form
	Tokens  []store.APIToken
	Created string // the new token, shown once
}

func (s *Server) tokenList(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, http.StatusOK, tokenPage{Form: forms.Empty()})
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, d tokenPage) {
	var err error
	if d.Tokens, err = s.Store.APITokens(r.Context(), visitorOf(r.Context()).Person.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, "tokens", "API tokens", d)
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	f := forms.New(r)
	f.Required("name", "A name")
	f.MaxLen("name", "The name", 80)
	if !f.Valid() {
		s.renderTokens(w, r, formStatus(f), tokenPage{Form: f})
		return
	}
	token := "sabc_" + strings.ToLower(rand.Text())
	me := visitorOf(r.Context()).Person
	if _, err := s.Store.CreateAPIToken(r.Context(), me.ID, strings.TrimSpace(f.Get("name")), tokenHash(token)); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.securityEvent(r, "api token created", "person_id", me.ID)
	s.renderTokens(w, r, http.StatusOK, tokenPage{Form: forms.Empty(), Created: token})
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) {
	id, _ := pathID(r, "id")
	me := visitorOf(r.Context()).Person
	if err := s.Store.DeleteAPIToken(r.Context(), me.ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.securityEvent(r, "api token revoked", "person_id", me.ID)
	http.Redirect(w, r, "/account/api-tokens/", http.StatusSeeOther)
}
