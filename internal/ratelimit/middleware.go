package ratelimit

import (
	"context"
	"fmt"
	"html"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Middleware limits requests per client address and class and, for
// logged-in users (userKey returns a non-empty account id), per account and
// class as well; both must allow. Keying by account stops one user from
// spreading requests over many addresses; keying by address still protects
// logins, which happen before there is an account in the context.
//
// classify may be nil (Classify is used); userKey may be nil (no account
// keys), and must then be installed after the session middleware so the
// account is in the context. onReject, if set, is called for every 429 (for
// metrics and logs). A PageIfMissed request is counted later, by Charge
// (deferred.go). A limiter error with an allowing Decision (fail open)
// lets the request through; the limiter itself reports its outages.
func Middleware(l Limiter, classify func(*http.Request) Class, trusted []netip.Prefix,
	userKey func(context.Context) string, onReject func(*http.Request, Class)) func(http.Handler) http.Handler {
	if classify == nil {
		classify = Classify
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			class := classify(r)
			if class == Exempt {
				next.ServeHTTP(w, r)
				return
			}
			if class == PageIfMissed {
				// The keys are worked out only if the request is charged:
				// a cache hit never needs them.
				c := &charge{l: l, arrived: r, trusted: trusted, userKey: userKey, onReject: onReject}
				next.ServeHTTP(w, r.WithContext(withCharge(r.Context(), c)))
				return
			}
			for _, k := range requestKeys(r, trusted, userKey) {
				// Stop at the first refusal so a refused request does not
				// also spend the other key's allowance.
				d, _ := l.Allow(r.Context(), k, class)
				if !d.Allowed {
					if onReject != nil {
						onReject(r, class)
					}
					reject(w, r, d.RetryAfter)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// requestKeys are the limiter keys of r: its client address and, for a
// logged-in user, the account.
func requestKeys(r *http.Request, trusted []netip.Prefix, userKey func(context.Context) string) []string {
	keys := []string{clientKey(ClientIP(r, trusted))}
	if userKey != nil {
		if id := userKey(r.Context()); id != "" {
			keys = append(keys, "user:"+id)
		}
	}
	return keys
}

// reject writes the 429 answer. The body is small and self-contained: it may
// be the response to a form post, so it must not need the template engine or
// the database, which may be exactly what is under pressure. For a browser
// it is still a page of the site: the stylesheet's logical name redirects to
// its current fingerprint (static files are exempt from limits) and the page
// offers a way back and a retry.
func reject(w http.ResponseWriter, r *http.Request, retry time.Duration) {
	secs := RetryAfterSeconds(retry)
	unit := "seconds"
	if secs == 1 {
		unit = "second"
	}
	msg := fmt.Sprintf("Too many requests — try again in %d %s.", secs, unit)
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(secs))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.Contains(r.Header.Get("Accept"), "text/html") {
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusTooManyRequests)
		again := r.URL.Path // the same page; "//host" would leave the site
		if !strings.HasPrefix(again, "/") || strings.HasPrefix(again, "//") {
			again = "/"
		}
		fmt.Fprintf(w, tooManyPage, html.EscapeString(msg), html.EscapeString(again))
		return
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusTooManyRequests)
	fmt.Fprintln(w, msg)
}

const tooManyPage = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Too many requests</title>
<link rel="stylesheet" href="/static/app.css">
<header class="site-header"><div class="wrap header-row"><a class="brand" href="/">Home</a></div></header>
<main class="wrap error-page">
<h1>429 · Too many requests</h1>
<p>%s</p>
<p><a href="/">Back to the home page</a> · <a href="%s">Try again</a></p>
</main>
</html>
`

// RetryAfterSeconds is the Retry-After value for a wait of d. It rounds up,
// so a client that waits exactly Retry-After is allowed, and never says 0
// (which invites an immediate retry loop).
func RetryAfterSeconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		s = 1
	}
	return s
}

// Classify maps a request to its class per spec 03 §8. Paths are matched by
// segment, with or without a trailing slash, so "/login" and "/login/" (and
// "/account/login/") are the same class:
//
//   - /health…, /static… → Exempt (any method)
//   - POST …/login → Login; POST …/register or …/signup → Register
//   - POST with a "password-reset"/"reset-password" segment → PasswordReset
//   - POST/PUT/PATCH/DELETE whose path contains /upload, /photo or /import
//     → Upload
//   - other POST/PUT/PATCH/DELETE → Post
//   - everything else → Page
func Classify(r *http.Request) Class {
	p := r.URL.Path
	if p == "/health" || strings.HasPrefix(p, "/health/") ||
		p == "/static" || strings.HasPrefix(p, "/static/") {
		return Exempt
	}
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return Page
	}
	lower := strings.ToLower(p)
	segs := strings.Split(strings.Trim(lower, "/"), "/")
	last := segs[len(segs)-1]
	if r.Method == http.MethodPost {
		switch last {
		case "login":
			return Login
		case "register", "signup":
			return Register
		}
		for _, s := range segs {
			if s == "password-reset" || s == "reset-password" {
				return PasswordReset
			}
		}
	}
	for _, s := range []string{"/upload", "/photo", "/import"} {
		if strings.Contains(lower, s) {
			return Upload
		}
	}
	return Post
}
