package web

import (
	"net/http"
	"strconv"

	"sabc/internal/web/forms"
)

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password", "Change your password", formData{Form: forms.Empty()})
}

// changePassword needs the current password (a borrowed, logged-in phone is
// not enough). The new session version logs out every other session; this
// one moves to the new version and a fresh token, so it stays logged in.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := *visitorOf(ctx).Person
	f := forms.New(r)
	current := f.Secret(r, "current_password")
	pw, confirm := f.Secret(r, "password"), f.Secret(r, "password_confirm")
	d := formData{Form: f}
	now := s.Now()
	if current == "" {
		f.Fail("current_password", "Enter your current password.")
	} else if gate, err := s.countGuess(w, r, me.Email, now); err != nil {
		s.serverError(w, r, err)
		return
	} else if !gate.Allowed(lockoutFailures) {
		d.Message = lockoutMessage(gate.Until.Sub(now))
		s.render(w, r, http.StatusTooManyRequests, "password", "Change your password", d)
		return
	} else if !s.checkPassword(me.PasswordHash, current) {
		s.securityEvent(r, "password change refused: wrong current password", "person_id", me.ID)
		f.Fail("current_password", "That is not your current password.")
	} else if err := s.Store.ClearLoginAttempts(ctx, me.Email); err != nil {
		s.serverError(w, r, err)
		return
	}
	checkNewPassword(f, "password", pw, confirm, me)
	if f.Valid() && pw == current {
		f.Fail("password", "The new password is the same as the current one.")
	}
	if !f.Valid() {
		s.render(w, r, formStatus(f), "password", "Change your password", d)
		return
	}
	hash, err := s.hashPassword(pw)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if me.SessionVersion, err = s.Store.ChangePassword(ctx, me.ID, hash); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.startSession(ctx, me); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.securityEvent(r, "password changed", "person_id", me.ID)
	http.Redirect(w, r, "/anglers/"+strconv.FormatInt(me.ID, 10)+"/edit/?notice=password", http.StatusSeeOther)
}
