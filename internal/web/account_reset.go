package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sabc/internal/club"
	"sabc/internal/mail"
	"sabc/internal/obs"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// resetValidity is how long a reset link works (spec 02-site §3).
const resetValidity = time.Hour

// hashToken is what the database keeps of a reset token: the token itself
// exists only in the email, so a copy of the table cannot reset anything.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s *Server) resetRequestForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "reset_request", "Reset your password", formData{Form: forms.Empty()})
}

// resetRequest mails a reset link when the email belongs to an active
// account, and answers the same either way. The mail goes out in the
// background so the answer's timing does not tell either.
func (s *Server) resetRequest(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := forms.New(r)
	email, err := forms.Email(f.Get("email"))
	if err != nil {
		f.Fail("email", err.Error())
		s.render(w, r, formStatus(f), "reset_request", "Reset your password", formData{Form: f})
		return
	}
	// Checked before the lookup: failing only for known emails would tell
	// which addresses have accounts.
	base, ok := s.siteURL()
	if !ok {
		s.serverError(w, r, errors.New("SABC_BASE_URL is not set: refusing to mail a reset link built from the Host header"))
		return
	}
	p, err := s.Store.PersonByEmail(ctx, email)
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && !p.IsActive):
		s.securityEvent(r, "password reset requested for unknown or inactive email", "email", forms.MaskEmail(email))
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		s.securityEvent(r, "password reset requested", "person_id", p.ID)
		// The token is stored and mailed after the answer: a write only
		// for known emails would make their answer slower.
		go s.sendReset(context.WithoutCancel(ctx), p, base, s.Now())
	}
	s.render(w, r, http.StatusOK, "reset_request", "Check your email", formData{Form: f, Done: true})
}

// sendReset stores a new reset token for p and mails the link.
func (s *Server) sendReset(ctx context.Context, p club.Person, base string, now time.Time) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	token := rand.Text()
	if err := s.Store.CreatePasswordReset(ctx, p.ID, hashToken(token), now, resetValidity); err != nil {
		if s.Tracker != nil {
			s.Tracker.Capture(ctx, fmt.Errorf("store password reset token: %w", err), obs.High)
		} else {
			s.Logger.ErrorContext(ctx, "store password reset token", "err", err, "person_id", p.ID)
		}
		return
	}
	if err := s.Mailer.Send(ctx, resetMail(s.clubInfo(ctx).Name, p.Email, p.FirstName, base+"/password-reset/"+token+"/")); err != nil {
		s.Logger.ErrorContext(ctx, "password reset mail failed", "err", err, "person_id", p.ID)
	}
}

func resetMail(clubName, to, first, link string) mail.Message {
	return mail.Message{To: []string{to}, Subject: "Reset your " + clubName + " password",
		Text: "Hi " + first + ",\n\nSomeone (hopefully you) asked to reset the password of your " + clubName + " account.\n" +
			"Open this link within an hour to choose a new password:\n\n" + link + "\n\n" +
			"The link works once. If you didn't ask for it, ignore this email: your password stays as it is.\n"}
}

// siteURL is the absolute address for links in emails and feeds:
// SABC_BASE_URL, or in development http:// and SABC_ADDR. It is never built
// from the request's Host header: a forged Host would mail victims a link
// to another site carrying their valid token, or poison the publicly cached
// calendar feed. Production without SABC_BASE_URL has none (ok is false).
func (s *Server) siteURL() (string, bool) {
	if b := strings.TrimRight(s.Config.BaseURL, "/"); b != "" {
		return b, true
	}
	if s.Config.Production() {
		return "", false
	}
	host, port, err := net.SplitHostPort(s.Config.Addr)
	if err != nil {
		return "http://" + s.Config.Addr, true
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost" // listening on every address: name this machine
	}
	return "http://" + net.JoinHostPort(host, port), true
}

// resetForm shows the new-password form for a usable token. It only reads:
// the token is spent by the POST.
func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) {
	// The token is in the URL: no cache may keep this page.
	w.Header().Set("Cache-Control", "no-store")
	_, err := s.Store.PasswordResetPerson(r.Context(), hashToken(r.PathValue("token")), s.Now())
	if errors.Is(err, store.ErrNotFound) {
		s.render(w, r, http.StatusNotFound, "reset", "Reset link expired", formData{Form: forms.Empty(), Invalid: true})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "reset", "Choose a new password", formData{Form: forms.Empty()})
}

// reset sets the new password, spends the token, revokes every session of
// the account (session_version) and logs this browser in.
func (s *Server) reset(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	ctx := r.Context()
	f := forms.New(r)
	pw, confirm := f.Secret(r, "password"), f.Secret(r, "password_confirm")
	hash := hashToken(r.PathValue("token"))
	now := s.Now()
	p, err := s.Store.PasswordResetPerson(ctx, hash, now)
	if errors.Is(err, store.ErrNotFound) {
		s.render(w, r, http.StatusNotFound, "reset", "Reset link expired", formData{Form: f, Invalid: true})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	checkNewPassword(f, "password", pw, confirm, p)
	if !f.Valid() {
		s.render(w, r, formStatus(f), "reset", "Choose a new password", formData{Form: f})
		return
	}
	pwHash, err := s.hashPassword(pw)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p, err = s.Store.ResetPassword(ctx, hash, now, pwHash)
	if errors.Is(err, store.ErrNotFound) { // spent by a concurrent request
		s.render(w, r, http.StatusNotFound, "reset", "Reset link expired", formData{Form: f, Invalid: true})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.securityEvent(r, "password reset", "person_id", p.ID)
	if !p.IsActive {
		http.Redirect(w, r, "/login/", http.StatusSeeOther)
		return
	}
	if err := s.startSession(ctx, p); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/anglers/"+strconv.FormatInt(p.ID, 10)+"/edit/?notice=password-reset", http.StatusSeeOther)
}
