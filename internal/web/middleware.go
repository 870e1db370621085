package web

import (
	"net/http"
	"strings"

	"sabc/internal/obs"
	"sabc/internal/ratelimit"
)

// middleware wraps the mux with the cross-cutting layers. Read bottom-up:
// the request id comes first, so every later layer and log line has it;
// security headers go on every answer, refusals included; cross-origin
// posts are refused before they cost a database query; the session is
// loaded before rate limiting so logged-in users are limited per account too.
func (s *Server) middleware(mux http.Handler) http.Handler {
	h := obs.CaptureRoute(mux)
	h = ratelimit.Middleware(s.acct.limiter, rateClass, s.acct.trusted, rateLimitUser, s.rateLimited)(h)
	h = s.sessionLayer(h)
	h = s.crossOrigin(h)
	h = s.securityHeaders(h)
	h = obs.Recover(s.Tracker, s.panicPage)(h)
	h = s.Monitor.Middleware(h)
	return obs.RequestIDMiddleware(h)
}

// rateClass is ratelimit.Classify, except that login posts are not counted
// here: spec 03 §8 limits login failures per client, and only the login
// handler knows which guesses fail (it counts them in the database before
// bcrypt and gives a correct guess back). Pages are counted only when they
// reach the database (ratelimit_pages.go).
func rateClass(r *http.Request) ratelimit.Class {
	switch c := ratelimit.Classify(r); c {
	case ratelimit.Login:
		return ratelimit.Exempt
	case ratelimit.Page:
		return ratelimit.PageIfMissed
	default:
		return c
	}
}

// panicPage is the friendly 500 after a recovered panic. The recover layer
// has dropped every header of the failed page, the security ones included,
// so they are set again here.
func (s *Server) panicPage(w http.ResponseWriter, r *http.Request, status int, _ string) {
	s.setSecurityHeaders(w.Header(), r)
	s.errorPage(w, r, status, "Something went wrong on our side. It has been logged; please try again in a minute.")
}

// securityHeaders sets the headers every response carries (spec 03 §9).
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.setSecurityHeaders(w.Header(), r)
		next.ServeHTTP(w, r)
	})
}

// setSecurityHeaders: the CSP allows no inline script; inline SVG charts use
// attributes, not styles. HSTS goes out whenever the site is served over
// TLS — also when TLS ends at the proxy in front (r.TLS is nil then), which
// is what the Secure session cookie already assumes.
//
// It is Header.Set for each of securityHeaderValues, with the values of one
// response in one fresh slice: this runs on every response, and one
// allocation replaces six (each entry is capped, so an Add on one of these
// headers never writes into its neighbour's).
func (s *Server) setSecurityHeaders(h http.Header, r *http.Request) {
	n := len(securityHeaderValues)
	if r.TLS == nil && !s.acct.sessions.Cookie.Secure {
		n-- // no HSTS, the last entry
	}
	vals := make([]string, n)
	for i := range n {
		kv := securityHeaderValues[i]
		vals[i] = kv[1]
		h[kv[0]] = vals[i : i+1 : i+1]
	}
}

// securityHeaderValues are the headers setSecurityHeaders sets, keys in
// canonical form; HSTS must stay last.
var securityHeaderValues = [...][2]string{
	{"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
		"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"},
	{"X-Content-Type-Options", "nosniff"},
	{"X-Frame-Options", "DENY"},
	{"Referrer-Policy", "strict-origin-when-cross-origin"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"},
	{"Strict-Transport-Security", "max-age=31536000; includeSubDomains"},
}

// crossOrigin refuses state-changing requests sent by another site (Go's
// CrossOriginProtection reads Sec-Fetch-Site, falling back to Origin vs
// Host); SameSite=Lax cookies cover browsers that send neither header.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.securityEvent(r, "cross-origin request refused", "method", r.Method, "path", loggedPath(r.URL.Path),
			"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		s.errorPage(w, r, http.StatusForbidden, "This form was sent from another website, so it was refused. "+
			"If you meant to send it, open this site directly and try again.")
	}))
	return cop.Handler(next)
}

// rateLimited logs and counts a 429 (the limiter answers the client itself).
func (s *Server) rateLimited(r *http.Request, class ratelimit.Class) {
	s.Metrics.RateLimited(string(class))
	s.Logger.InfoContext(r.Context(), "rate limited", "class", string(class), "path", loggedPath(r.URL.Path),
		"client", ratelimit.ClientIP(r, s.acct.trusted).String())
}

// loggedPath is a request path fit for the log: a password reset path
// carries a live token, which anyone reading the log could use for an hour.
func loggedPath(p string) string {
	if rest, ok := strings.CutPrefix(p, "/password-reset/"); ok && strings.Trim(rest, "/") != "" {
		return "/password-reset/[token]/"
	}
	return p
}

// quietRoutes take an email or a token and must answer alike whatever the
// database holds: their headers carry no query counts or database time
// (obs.HideQueryCounts), which would differ between a known and an unknown
// email.
var quietRoutes = map[string]bool{
	"POST /login/{$}":                  true,
	"POST /register/{$}":               true,
	"POST /password-reset/{$}":         true,
	"GET /password-reset/{token}/{$}":  true,
	"POST /password-reset/{token}/{$}": true,
	"POST /account/password/{$}":       true,
	"POST /anglers/{id}/edit/{$}":      true, // email change
}

func hideQueryCounts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		obs.HideQueryCounts(r.Context())
		next.ServeHTTP(w, r)
	})
}
