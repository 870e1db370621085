package web

import (
	"net/http"

	"sabc/internal/obs"
)

// middleware wraps the mux with the cross-cutting layers. Read bottom-up:
// the request id comes first, so every later layer and log line has it.
func (s *Server) middleware(mux http.Handler) http.Handler {
	h := obs.CaptureRoute(mux)
	h = s.securityHeaders(h)
	h = obs.Recover(s.Tracker, s.panicPage)(h)
	h = s.Monitor.Middleware(h)
	return obs.RequestIDMiddleware(h)
}

// panicPage is the friendly 500 after a recovered panic.
func (s *Server) panicPage(w http.ResponseWriter, r *http.Request, status int, _ string) {
	s.errorPage(w, r, status, "Something went wrong on our side. It has been logged; please try again in a minute.")
}

// securityHeaders sets the headers every response carries (spec 03 §9).
// The CSP allows no inline script; inline SVG charts use attributes, not styles.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}
