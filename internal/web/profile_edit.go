package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/mail"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// profileData is the profile edit page.
type profileData struct {
	Form       *forms.Form
	Person     club.Person // as stored
	Self       bool        // editing one's own profile
	Officer    bool        // the editor may change membership and officer terms
	Admin      bool        // the editor may change roles and deactivate
	Season     int
	Terms      []club.OfficerTerm // the person's terms, every season, latest first
	Positions  []string
	Notice     string
	PhotoError string
	Version    int           // the person's version this form was read at (optimistic lock)
	Conflict   *conflictView // set when someone else saved first
}

// profileLabels are the fields a stale profile form is compared on.
var profileLabels = []fieldLabel{
	{"first_name", "First name", nil}, {"last_name", "Last name", nil}, {"email", "Email", nil},
	{"phone", "Mobile phone", nil}, checkbox("member", "Member"), {"member_since", "Member since", nil},
	{"dues_paid_through", "Dues paid through", nil}, checkbox("is_active", "Active"),
	checkbox("is_admin", "Admin"), checkbox("officer_granted", "Officer rights"),
}

// notices are the fixed messages a redirect may ask the page to show (the
// query names one; its text never comes from the URL).
var notices = map[string]string{
	"welcome":        "Welcome! Your account is ready. Add a photo and check your details below.",
	"saved":          "Your changes are saved.",
	"photo":          "Your new photo is saved.",
	"password":       "Your password is changed. Other devices have been logged out.",
	"password-reset": "Your password is reset and you are logged in. Other devices have been logged out.",
}

// editTarget parses {id} and checks the visitor may edit that profile:
// the owner or an officer; others get 403, unknown ids 404.
func (s *Server) editTarget(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return 0, false
	}
	v := visitorOf(r.Context())
	if !v.mayEdit(id) {
		s.errorPage(w, r, http.StatusForbidden, "You can edit your own profile only; officers can edit everyone's.")
		return 0, false
	}
	// Someone else's profile must exist (an unknown id is a 404 before any
	// upload is processed) and an admin's is for admins only: an officer who
	// could change an admin's email could then reset the password and log
	// in with the admin's rights.
	if v.Person.ID != id {
		p, err := s.Store.Person(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return 0, false
		}
		if p.IsAdmin && v.Role < Admin {
			s.errorPage(w, r, http.StatusForbidden, "Only an admin can edit an admin's profile.")
			return 0, false
		}
	}
	return id, true
}

// loadProfile fills the page data for person id as the visitor sees it.
func (s *Server) loadProfile(ctx context.Context, id int64) (profileData, store.Account, error) {
	v := visitorOf(ctx)
	season := club.Today(s.Now()).Year()
	a, err := s.Store.Account(ctx, id, season)
	if err != nil {
		return profileData{}, a, err
	}
	d := profileData{Person: a.Person, Self: v.Person.ID == id, Officer: v.Role >= Officer, Admin: v.Role >= Admin,
		Season: season, Positions: club.Positions, Version: a.Version}
	if d.Officer {
		if d.Terms, err = s.Store.PersonTerms(ctx, id); err != nil {
			return d, a, err
		}
	}
	return d, a, nil
}

func (s *Server) profileForm(w http.ResponseWriter, r *http.Request) {
	id, ok := s.editTarget(w, r)
	if !ok {
		return
	}
	d, a, err := s.loadProfile(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Form = prefillProfile(a)
	d.Form.Set("add_season", strconv.Itoa(d.Season))
	d.Notice = notices[r.URL.Query().Get("notice")]
	s.render(w, r, http.StatusOK, "profile_edit", "Edit profile", d)
}

func prefillProfile(a store.Account) *forms.Form {
	f := forms.Empty()
	p := a.Person
	f.Set("first_name", p.FirstName)
	f.Set("last_name", p.LastName)
	f.Set("email", p.Email)
	f.Set("phone", forms.PhoneDisplay(p.Phone))
	f.Set("member_since", p.MemberSince.String())
	f.Set("dues_paid_through", p.DuesPaidThrough.String())
	for name, on := range map[string]bool{"email_news": p.EmailNews, "email_polls": p.EmailPolls, "member": p.Member,
		"is_admin": p.IsAdmin, "is_active": p.IsActive, "officer_granted": a.OfficerGranted} {
		if on {
			f.Set(name, "on")
		}
	}
	return f
}

// saveProfile applies the fields the editor may change to the stored
// person and saves them; membership and role changes are audited by the store.
func (s *Server) saveProfile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := s.editTarget(w, r)
	if !ok {
		return
	}
	d, a, err := s.loadProfile(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := forms.New(r)
	d.Form = f
	ch := s.parseProfile(r, f, a, d)
	current := f.Secret(r, "current_password")
	emailChanged := !strings.EqualFold(ch.Person.Email, a.Email)
	status := formStatus(f)
	if emailChanged && d.Self && f.Valid() {
		var err error
		if status, err = s.confirmCurrentPassword(w, r, f, a.Person, current); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if !f.Valid() {
		s.render(w, r, status, "profile_edit", "Edit profile", d)
		return
	}
	err = s.Store.SaveProfile(ctx, visitorOf(ctx).Person.ID, ch)
	if errors.Is(err, store.ErrStale) {
		s.profileConflict(w, r, d)
		return
	}
	if errors.Is(err, store.ErrConflict) {
		f.Fail("email", "Another account already uses this email address.")
		s.render(w, r, http.StatusConflict, "profile_edit", "Edit profile", d)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if emailChanged {
		s.securityEvent(r, "email changed", "person_id", id, "by_self", d.Self)
		s.mailEmailChange(ctx, a.Person, ch.Person.Email, d.Self)
	}
	if roleChanged(a, ch) {
		s.securityEvent(r, "role change", "person_id", id, "member", ch.Person.Member, "is_admin", ch.Person.IsAdmin,
			"officer_granted", ch.OfficerGranted, "is_active", ch.Person.IsActive,
			"terms_added", len(ch.AddTerms), "terms_removed", len(ch.RemoveTermIDs))
	}
	http.Redirect(w, r, "/anglers/"+strconv.FormatInt(id, 10)+"/edit/?notice=saved", http.StatusSeeOther)
}

// confirmCurrentPassword checks the password typed to change one's own
// email: a session alone (a borrowed phone) must not be able to move the
// address a password reset is sent to. Guesses count against the account's
// lockout like logins. It returns the status for a failed form.
func (s *Server) confirmCurrentPassword(w http.ResponseWriter, r *http.Request, f *forms.Form, me club.Person,
	current string) (int, error) {
	if current == "" {
		f.Fail("current_password", "Enter your current password to change your email.")
		return http.StatusUnprocessableEntity, nil
	}
	now := s.Now()
	gate, err := s.countGuess(w, r, me.Email, now)
	if err != nil {
		return 0, err
	}
	if !gate.Allowed(lockoutFailures) {
		f.Fail("current_password", lockoutMessage(gate.Until.Sub(now)))
		return http.StatusTooManyRequests, nil
	}
	if !s.checkPassword(me.PasswordHash, current) {
		s.securityEvent(r, "email change refused: wrong current password", "person_id", me.ID)
		f.Fail("current_password", "That is not your current password.")
		return http.StatusUnprocessableEntity, nil
	}
	return http.StatusOK, s.Store.ClearLoginAttempts(r.Context(), me.Email)
}

// mailEmailChange tells the old address that the account's email moved
// (so a takeover does not go unnoticed) and, when an officer made the
// change, the new address too. A failed mail is logged: the change stands.
func (s *Server) mailEmailChange(ctx context.Context, p club.Person, newEmail string, self bool) {
	by := "you (or someone using your login)"
	if !self {
		by = "a club officer, " + visitorOf(ctx).Person.Name()
	}
	name := s.clubInfo(ctx).Name
	text := "Hi " + p.FirstName + ",\n\nThe email address of your " + name + " account was changed by " +
		by + "\nfrom " + p.Email + "\nto   " + newEmail + "\n\n" +
		"If you did not expect this, reply to a club officer at once: the new address can reset your password.\n"
	to := []string{p.Email}
	if !self {
		to = append(to, newEmail)
	}
	for _, addr := range to {
		m := mail.Message{To: []string{addr}, Subject: "Your " + name + " email was changed", Text: text}
		if err := s.Mailer.Send(ctx, m); err != nil {
			s.Logger.ErrorContext(ctx, "email change notice failed", "err", err, "person_id", p.ID)
		}
	}
}

// profileConflict shows the form again, as typed, under the conflict block,
// with the version moved to the stored one: saving again keeps this input.
func (s *Server) profileConflict(w http.ResponseWriter, r *http.Request, d profileData) {
	fresh, a, err := s.loadProfile(r.Context(), d.Person.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := s.conflict(r.Context(), "person", d.Person.ID, d.Form, prefillProfile(a), profileLabels)
	d.Conflict, d.Version, d.Person, d.Terms = &c, a.Version, a.Person, fresh.Terms
	s.render(w, r, http.StatusConflict, "profile_edit", "Edit profile", d)
}

func roleChanged(a store.Account, ch store.ProfileChange) bool {
	p := ch.Person
	return p.Member != a.Member || p.IsAdmin != a.IsAdmin || p.IsActive != a.IsActive ||
		ch.OfficerGranted != a.OfficerGranted || len(ch.AddTerms)+len(ch.RemoveTermIDs) > 0
}

// parseProfile validates the form into a change. Everyone edits names,
// contact details and email preferences; officers also membership and
// terms; admins also roles and the active flag.
func (s *Server) parseProfile(r *http.Request, f *forms.Form, a store.Account, d profileData) store.ProfileChange {
	v := visitorOf(r.Context())
	p := a.Person
	f.Required("first_name", "First name", "last_name", "Last name", "email", "Email")
	f.MaxLen("first_name", "First name", 60)
	f.MaxLen("last_name", "Last name", 60)
	p.FirstName, p.LastName = f.Get("first_name"), f.Get("last_name")
	if e := f.Get("email"); e != "" {
		email, err := forms.Email(e)
		if err != nil {
			f.Fail("email", err.Error())
		}
		p.Email = email
	}
	p.Phone = ""
	if ph := f.Get("phone"); ph != "" {
		phone, err := forms.Phone(ph)
		if err != nil {
			f.Fail("phone", err.Error())
		}
		p.Phone = phone
	}
	p.EmailNews, p.EmailPolls = f.Checked("email_news"), f.Checked("email_polls")
	p.Version = lockVersion(f)
	ch := store.ProfileChange{OfficerGranted: a.OfficerGranted}
	if d.Officer {
		p.Member = f.Checked("member")
		p.MemberSince = parseOptionalDate(f, "member_since", "Member since")
		p.DuesPaidThrough = parseOptionalDate(f, "dues_paid_through", "Dues paid through")
		for _, raw := range r.PostForm["remove_term"] {
			if tid, ok := parseID(raw); ok {
				ch.RemoveTermIDs = append(ch.RemoveTermIDs, tid)
			}
		}
		if pos := f.Get("add_position"); pos != "" {
			if !slices.Contains(club.Positions, pos) {
				f.Fail("add_position", "Choose a position from the list.")
			}
			year, err := strconv.Atoi(f.Get("add_season"))
			if err != nil || year < 1900 || year > d.Season+1 {
				f.Fail("add_season", fmt.Sprintf("Enter the season's year, up to %d.", d.Season+1))
			}
			ch.AddTerms = append(ch.AddTerms, club.OfficerTerm{SeasonYear: year, Position: pos})
		}
		// Officers deactivate and reactivate accounts (spec 02-site §4,
		// memberships); an admin's account is for admins (editTarget).
		p.IsActive = f.Checked("is_active")
		if v.Person.ID == p.ID && !p.IsActive {
			f.Fail("is_active", "You can't deactivate yourself; ask another officer.")
		}
	}
	if d.Admin {
		p.IsAdmin = f.Checked("is_admin")
		ch.OfficerGranted = f.Checked("officer_granted")
		if id := v.Person.ID; id == p.ID && !p.IsAdmin {
			f.Fail("is_admin", "You can't remove your own admin rights; ask another admin.")
		}
	}
	ch.Person = p
	return ch
}

func parseOptionalDate(f *forms.Form, name, label string) club.Date {
	raw := f.Get(name)
	if raw == "" {
		return club.Date{}
	}
	d, err := club.ParseDate(raw)
	if err != nil {
		f.Fail(name, label+" must be a date like 2026-01-31.")
	}
	return d
}

// lockVersion is formVersion for a save that must not skip the check: a
// missing or garbled version is -1, which never matches a stored one, so
// such a post is treated as stale rather than as leave to overwrite.
func lockVersion(f *forms.Form) int {
	if v, ok := formVersion(f); ok {
		return v
	}
	return -1
}
