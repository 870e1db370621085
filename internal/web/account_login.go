package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"sabc/internal/club"
	"sabc/internal/ratelimit"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// Per-account lockout (spec 02-site §3): at most lockoutFailures guesses per
// email per lockoutWindow, counted whether or not the email has an account.
// Per client address (spec 03 §8): at most clientLogins failed guesses per
// period, the rate class "login". Both are counted in the database before
// bcrypt runs; a correct password gives its client guess back, so
// successful logins from one shared address (a hotspot at the ramp) never
// run out. The rate-limit middleware leaves login posts to this handler.
const (
	lockoutFailures = 5
	lockoutWindow   = 15 * time.Minute
)

var clientLogins = ratelimit.DefaultLimits()[ratelimit.Login]

const wrongLogin = "The email or password is wrong."

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	f := forms.Empty()
	if e := r.URL.Query().Get("email"); e != "" {
		f.Set("email", e)
	}
	s.render(w, r, http.StatusOK, "login", "Log in", formData{Form: f, Next: safeNext(r.URL.Query().Get("next"))})
}

// login checks the password and starts a session with a fresh token. Every
// refusal says the same thing whether the email exists or not; an unknown
// email still costs a bcrypt comparison so timing does not tell either.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := forms.New(r)
	pw := f.Secret(r, "password")
	d := formData{Form: f, Next: safeNext(f.Get("next"))}
	again := func(status int, msg string) {
		d.Message = msg
		s.render(w, r, status, "login", "Log in", d)
	}
	if f.Get("email") == "" || pw == "" {
		f.Required("email", "Email")
		if pw == "" {
			f.Fail("password", "Password is required.")
		}
		again(http.StatusUnprocessableEntity, "")
		return
	}
	now := s.Now()
	email, masked := f.Get("email"), forms.MaskEmail(f.Get("email"))
	client := ratelimit.ClientIP(r, s.acct.trusted).String()
	cgate, err := s.Store.CountClientLoginAttempt(ctx, client, now, clientLogins.Per)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	gate, err := s.countGuess(w, r, email, now)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	a, err := s.Store.AccountByEmail(ctx, email, club.Today(now).Year())
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.serverError(w, r, err)
		return
	}
	known := err == nil
	if !gate.Allowed(lockoutFailures) {
		s.checkPassword("", pw) // a refused guess costs what a checked one does
		s.securityEvent(r, "login refused: locked", "email", masked)
		again(http.StatusTooManyRequests, lockoutMessage(gate.Until.Sub(now)))
		return
	}
	if !cgate.Allowed(clientLogins.Requests) {
		// Nothing here depends on the email, so no bcrypt is needed to
		// hide it: refusing cheaply is the point of the limit.
		wait := cgate.Until.Sub(now)
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(wait)))
		s.securityEvent(r, "login refused: too many failures from this address", "email", masked)
		again(http.StatusTooManyRequests, fmt.Sprintf("Too many wrong passwords from your network. Try again in %s.",
			minutesText(wait)))
		return
	}
	// An unknown email is compared with a dummy hash: the same bcrypt time.
	if !s.checkPassword(a.PasswordHash, pw) {
		if gate.Attempt == lockoutFailures {
			s.securityEvent(r, "account locked", "email", masked, "minutes", minutesUp(gate.Until.Sub(now)))
		}
		reason := "wrong password"
		if !known {
			reason = "unknown email"
		}
		s.securityEvent(r, "login failure", "person_id", a.ID, "email", masked, "reason", reason)
		again(http.StatusUnprocessableEntity, wrongLogin)
		return
	}
	if !a.IsActive {
		s.securityEvent(r, "login refused: inactive account", "person_id", a.ID, "email", masked)
		again(http.StatusForbidden, "This account is no longer active. If you think that's a mistake, ask a club officer.")
		return
	}
	if err := s.Store.ClearLoginAttempts(ctx, email); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.Store.ForgiveClientLoginAttempt(ctx, client); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.startSession(ctx, a.Person); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.securityEvent(r, "login success", "person_id", a.ID)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// countGuess counts a password guess for email in the database before the
// password is checked (store.CountLoginAttempt), so parallel guesses cannot
// all pass a check made before any of them was recorded. A refused guess
// gets Retry-After.
func (s *Server) countGuess(w http.ResponseWriter, r *http.Request, email string, now time.Time) (store.LoginGate, error) {
	gate, err := s.Store.CountLoginAttempt(r.Context(), email, now, lockoutWindow)
	if err == nil && !gate.Allowed(lockoutFailures) {
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(gate.Until.Sub(now))))
	}
	return gate, err
}

func lockoutMessage(wait time.Duration) string {
	return fmt.Sprintf("Too many wrong passwords for this account. Try again in %s, or reset your password.",
		minutesText(wait))
}

// minutesText is "1 minute" or "N minutes", rounded up.
func minutesText(wait time.Duration) string {
	n := minutesUp(wait)
	if n == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", n)
}

// minutesUp rounds up, so "try again in 1 minute" is never too early.
func minutesUp(d time.Duration) int {
	return max(1, int((d+time.Minute-1)/time.Minute))
}

// logout ends this browser's session. It is a POST (a link could be
// triggered by another site); logging out when not logged in is harmless.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if p := visitorOf(r.Context()).Person; p != nil {
		s.securityEvent(r, "logout", "person_id", p.ID)
	}
	if err := s.endSession(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
