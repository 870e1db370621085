package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"sabc/internal/club"
	"sabc/internal/obs"
)

// The JSON API's plumbing: answers, errors and personal API tokens.
// Handlers under /api/ answer JSON, also when they refuse.

// maxAPIBody bounds a weigh-in request body: a row is a few hundred bytes.
const maxAPIBody = 64 << 10

// writeJSON sends v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"could not encode the answer"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// apiError is the body of every refusal: a message, and field errors on 422.
type apiError struct {
	Error   string            `json:"error"`
	Errors  map[string]string `json:"errors,omitempty"`
	Current *apiResult        `json:"current,omitempty"` // 409: the row as stored now
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// tokenHash is what the database keeps of a personal API token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// bearerVisitor authenticates an API request by its personal token. A token
// is accepted only on /api/ paths: it is not a way to post the site's forms.
// ok is false when a token was sent but is not valid (the request is then
// anonymous and the API answers 401).
func (s *Server) bearerVisitor(r *http.Request) (v visitor, sent, ok bool) {
	token, found := obs.BearerToken(r)
	if !found || !isAPI(r) {
		return visitor{}, false, false
	}
	if token == "" || len(token) > 200 {
		return visitor{}, true, false
	}
	ctx := r.Context()
	pid, err := s.Store.APITokenPerson(ctx, tokenHash(token))
	if err != nil {
		return visitor{}, true, false
	}
	a, err := s.Store.Account(ctx, pid, club.Today(s.Now()).Year())
	if err != nil || !a.IsActive {
		return visitor{}, true, false
	}
	return visitor{Person: &a.Person, Role: roleOf(a)}, true, true
}

// apiRefuse is authorize's answer on /api/: JSON instead of the login page.
func apiRefuse(w http.ResponseWriter, v visitor, need Role) {
	if v.Person == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="sabc"`)
		writeJSON(w, http.StatusUnauthorized, apiError{Error: "log in as an officer or send Authorization: Bearer <token>"})
		return
	}
	writeJSON(w, http.StatusForbidden, apiError{Error: "this needs the " + need.String() + " role"})
}
