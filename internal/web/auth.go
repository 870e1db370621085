package web

import (
	"context"
	"net/http"

	"sabc/internal/club"
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
		case v.Person == nil:
			http.Redirect(w, r, "/login/?next="+safeNext(r.URL.RequestURI()), http.StatusSeeOther)
		default:
			s.errorPage(w, r, http.StatusForbidden, "This page is for "+need.String()+"s.")
		}
	})
}

// safeNext keeps a post-login redirect on this site: a local path only.
func safeNext(next string) string {
	if len(next) == 0 || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
		return "/"
	}
	return next
}
