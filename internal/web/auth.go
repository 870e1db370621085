package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"sabc/internal/club"
	"sabc/internal/store"
)

type ctxKey int

const userKey ctxKey = iota

// visitor is who is making the request.
type visitor struct {
	Person *club.Person // nil when anonymous
	Role   Role
}

func visitorOf(ctx context.Context) visitor {
	v, _ := ctx.Value(userKey).(visitor)
	return v
}

// roleOf is the one place a person's role is decided (spec 02-site §1).
// Each role includes the ones before it: an officer may do what members do.
func roleOf(a store.Account) Role {
	switch {
	case a.IsAdmin:
		return Admin
	case a.Officer: // a term in the current season, or granted by an admin
		return Officer
	case a.Member:
		return Member
	default:
		return Guest
	}
}

// mayEdit reports whether the visitor may edit person id's profile: the
// owner, or an officer.
func (v visitor) mayEdit(id int64) bool {
	return v.Person != nil && (v.Person.ID == id || v.Role >= Officer)
}

// authorize refuses a request whose visitor lacks the route's role: 401-style
// redirect to the login page for anonymous visitors, 403 for the others.
func (s *Server) authorize(need Role, h http.Handler) http.Handler {
	if need == Anonymous {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := visitorOf(r.Context())
		switch {
		case v.Role >= need:
			h.ServeHTTP(w, r)
		case isAPI(r):
			apiRefuse(w, v, need)
		case v.Person == nil:
			// Escaped, or the page's own query ("&x=1", "%26") would be read
			// as the login page's parameters.
			http.Redirect(w, r, "/login/?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
		default:
			s.errorPage(w, r, http.StatusForbidden, "This page is for "+need.String()+"s.")
		}
	})
}

// safeNext keeps a post-login redirect on this site: a local path only.
// "//evil.example" and "/\\evil.example" are other hosts to a browser, and
// browsers drop tabs and newlines inside URLs, so those are refused too.
func safeNext(next string) string {
	if len(next) == 0 || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) ||
		strings.ContainsAny(next, "\\\t\r\n") || strings.ContainsFunc(next, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// IsMember, IsOfficer and IsAdmin let templates show what a role may use.
func (v visitor) IsMember() bool  { return v.Role >= Member }
func (v visitor) IsOfficer() bool { return v.Role >= Officer }
func (v visitor) IsAdmin() bool   { return v.Role >= Admin }
