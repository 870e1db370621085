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
// metrics and logs). A limiter error with an allowing Decision (fail open)
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
			keys := []string{clientKey(ClientIP(r, trusted))}
			if userKey != nil {
				if id := userKey(r.Context()); id != "" {
					keys = append(keys, "user:"+id)
				}
			}
			for _, k := range keys {
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

// reject writes the 429 answer. The body is tiny and self-contained: it may
// be the response to a form post, so it must not need the template engine or
// the database, which may be exactly what is under pressure.
func reject(w http.ResponseWriter, r *http.Request, retry time.Duration) {
	secs := retryAfterSeconds(retry)
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
		fmt.Fprintf(w, "<!doctype html>\n<meta charset=\"utf-8\">\n<title>Too many requests</title>\n"+
			"<h1>Too many requests</h1>\n<p>%s</p>\n", html.EscapeString(msg))
		return
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusTooManyRequests)
	fmt.Fprintln(w, msg)
}

// retryAfterSeconds rounds up, so a client that waits exactly Retry-After
// is allowed, and never says 0 (which invites an immediate retry loop).
func retryAfterSeconds(d time.Duration) int {
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
