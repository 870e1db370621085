package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// Per-account lockout (spec 02-site §3). The per-client side is the rate
// limit class "login" (5 per 5 minutes per address, ratelimit package).
const (
	lockoutFailures = 5
	lockoutWindow   = 15 * time.Minute
)

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
	masked := forms.MaskEmail(f.Get("email"))
	a, err := s.Store.AccountByEmail(ctx, f.Get("email"), club.Today(now).Year())
	if errors.Is(err, store.ErrNotFound) {
		s.checkPassword("", pw)
		s.securityEvent(r, "login failure", "email", masked, "reason", "unknown email")
		again(http.StatusUnprocessableEntity, wrongLogin)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wait, err := s.lockedFor(ctx, a.ID, now); err != nil {
		s.serverError(w, r, err)
		return
	} else if wait > 0 {
		s.securityEvent(r, "login refused: account locked", "person_id", a.ID, "email", masked)
		again(http.StatusTooManyRequests, lockoutMessage(wait))
		return
	}
	if !s.checkPassword(a.PasswordHash, pw) {
		if err := s.loginFailed(r, a.ID, now); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.securityEvent(r, "login failure", "person_id", a.ID, "email", masked, "reason", "wrong password")
		again(http.StatusUnprocessableEntity, wrongLogin)
		return
	}
	if !a.IsActive {
		s.securityEvent(r, "login refused: inactive account", "person_id", a.ID, "email", masked)
		again(http.StatusForbidden, "This account is no longer active. If you think that's a mistake, ask a club officer.")
		return
	}
	if err := s.Store.ClearLoginFailures(ctx, a.ID); err != nil {
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

// lockedFor returns how long the account stays locked: after
// lockoutFailures failures within lockoutWindow, until the oldest of them
// leaves the window.
func (s *Server) lockedFor(ctx context.Context, id int64, now time.Time) (time.Duration, error) {
	fails, err := s.Store.RecentLoginFailures(ctx, id, now.Add(-lockoutWindow), lockoutFailures)
	if err != nil || len(fails) < lockoutFailures {
		return 0, err
	}
	return fails[len(fails)-1].Add(lockoutWindow).Sub(now), nil
}

// loginFailed records a wrong password and logs the moment it locks the account.
func (s *Server) loginFailed(r *http.Request, id int64, now time.Time) error {
	if err := s.Store.RecordLoginFailure(r.Context(), id, now); err != nil {
		return err
	}
	if wait, err := s.lockedFor(r.Context(), id, now); err != nil || wait <= 0 {
		return err
	}
	s.securityEvent(r, "account locked", "person_id", id, "minutes", minutesUp(lockoutWindow))
	return nil
}

func lockoutMessage(wait time.Duration) string {
	n := minutesUp(wait)
	unit := "minutes"
	if n == 1 {
		unit = "minute"
	}
	return fmt.Sprintf("Too many wrong passwords for this account. Try again in %d %s, or reset your password.", n, unit)
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
