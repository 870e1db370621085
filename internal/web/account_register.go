package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// formData is what every account form page receives.
type formData struct {
	Form      *forms.Form
	Next      string // where to go after logging in (local path)
	Message   string // a form-wide message (wrong password, lockout…)
	Duplicate bool   // register: the email already has an account
	Done      bool   // the action succeeded (reset request sent)
	Invalid   bool   // reset: the link is unknown, used or expired
}

// formStatus is 422 for a form sent back with problems, so tests and tools
// can tell "try again" from success without reading the page.
func formStatus(f *forms.Form) int {
	if f.Valid() {
		return http.StatusOK
	}
	return http.StatusUnprocessableEntity
}

func (s *Server) registerForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "register", "Create an account",
		formData{Form: forms.Empty(), Next: safeNext(r.URL.Query().Get("next"))})
}

// register creates a guest account and logs it in. A duplicate email — also
// the second request of a double-click, which the unique index on
// lower(email) turns into ErrConflict — gets a friendly message pointing at
// password reset, and nothing more about the existing account.
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := forms.New(r)
	pw, confirm := f.Secret(r, "password"), f.Secret(r, "password_confirm")
	d := formData{Form: f, Next: safeNext(f.Get("next"))}
	p := parseRegistration(f, pw, confirm)
	if !f.Valid() {
		s.render(w, r, formStatus(f), "register", "Create an account", d)
		return
	}
	hash, err := s.hashPassword(pw)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.PasswordHash = hash
	id, err := s.Store.CreatePerson(ctx, p)
	if errors.Is(err, store.ErrConflict) {
		d.Duplicate = true
		f.Fail("email", "An account with this email address already exists.")
		s.render(w, r, http.StatusConflict, "register", "Create an account", d)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.ID, p.SessionVersion = id, 1
	if err := s.startSession(ctx, p); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.securityEvent(r, "account created", "person_id", id, "email", forms.MaskEmail(p.Email))
	to := "/anglers/" + strconv.FormatInt(id, 10) + "/edit/?notice=welcome"
	if d.Next != "/" {
		to = d.Next
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// parseRegistration validates the form; every field gets its own message.
func parseRegistration(f *forms.Form, pw, confirm string) club.Person {
	f.Required("first_name", "First name", "last_name", "Last name", "email", "Email")
	f.MaxLen("first_name", "First name", 60)
	f.MaxLen("last_name", "Last name", 60)
	p := club.Person{FirstName: f.Get("first_name"), LastName: f.Get("last_name"), IsActive: true,
		EmailNews: true, EmailPolls: true}
	if f.Get("email") != "" {
		email, err := forms.Email(f.Get("email"))
		if err != nil {
			f.Fail("email", err.Error())
		}
		p.Email = email
	}
	if f.Get("phone") != "" {
		phone, err := forms.Phone(f.Get("phone"))
		if err != nil {
			f.Fail("phone", err.Error())
		}
		p.Phone = phone
	}
	checkNewPassword(f, "password", pw, confirm, p)
	return p
}

// checkNewPassword applies the policy to a new password and its confirmation.
func checkNewPassword(f *forms.Form, field, pw, confirm string, p club.Person) {
	switch {
	case pw == "":
		f.Fail(field, "Choose a password.")
	default:
		if err := forms.Password(pw, p.FirstName, p.LastName, p.Email); err != nil {
			f.Fail(field, err.Error())
		} else if pw != confirm {
			f.Fail(field+"_confirm", "The two passwords don't match.")
		}
	}
}

// fieldView is one input for partials/form.html's "field" template.
type fieldView struct {
	Name, Label, Type, Value, Error, Auto, Hint string
	Mode                                        string // inputmode: the phone keyboard ("decimal", "numeric"); "" for text
}

// inputMode sets a field's phone keyboard: (mode "decimal" (field …)) for
// weights and dollars, "numeric" for whole numbers. The field stays
// type="text", so what the officer typed comes back as typed with its error.
func inputMode(mode string, v fieldView) fieldView {
	v.Mode = mode
	return v
}

// formField builds a fieldView: field .Data.Form "email" "Email" "email"
// "email" ["hint"]. Password inputs never get their value back.
func formField(f *forms.Form, name, label, typ, auto string, hint ...string) fieldView {
	v := fieldView{Name: name, Label: label, Type: typ, Auto: auto, Error: f.Errors[name]}
	if typ != "password" {
		v.Value = f.Get(name)
	}
	if len(hint) > 0 {
		v.Hint = hint[0]
	}
	return v
}

// positionName turns "vice-president" into "Vice-president".
func positionName(p string) string {
	if p == "" {
		return p
	}
	return strings.ToUpper(p[:1]) + strings.ReplaceAll(p[1:], "-", " ")
}
