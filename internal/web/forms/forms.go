// Package forms parses and validates what people type into the site's forms:
// a Form keeps the submitted values (to show them again) and one message per
// field; the helpers normalise emails, US phone numbers and dates and apply
// the password policy (spec 02-site §3).
package forms

import (
	"net/http"
	"strings"
)

// Form is one submitted form: trimmed values and per-field error messages.
// Passwords are read with Secret, which never keeps the value for redisplay.
type Form struct {
	Values map[string]string
	Errors map[string]string
	order  []string // fields in the order they failed, for the error summary
}

// New reads r's url-encoded form. The web layer has already parsed and
// checked it (web/body.go); a multipart body is never parsed here, since
// that would spool its files to disk.
func New(r *http.Request) *Form {
	_ = r.ParseForm()
	f := Empty()
	for k, v := range r.PostForm {
		if len(v) > 0 {
			f.Values[k] = strings.TrimSpace(v[0])
		}
	}
	return f
}

// Empty is a form with nothing typed yet (a GET).
func Empty() *Form { return &Form{Values: map[string]string{}, Errors: map[string]string{}} }

// Get returns the trimmed value of a field.
func (f *Form) Get(name string) string { return f.Values[name] }

// Set replaces a value (to pre-fill a form or show a normalised value).
func (f *Form) Set(name, value string) { f.Values[name] = value }

// Checked reports whether a checkbox was ticked.
func (f *Form) Checked(name string) bool { return IsChecked(f.Values[name]) }

// IsChecked reports whether v is what a ticked checkbox sends.
func IsChecked(v string) bool { return v == "on" || v == "true" || v == "1" || v == "yes" }

// Secret returns a value that must never be shown again (a password) and
// removes it from Values, so a re-rendered form is blank there.
func (f *Form) Secret(r *http.Request, name string) string {
	delete(f.Values, name)
	// Untrimmed: spaces are part of a passphrase. Not PostFormValue, which
	// would parse a multipart body.
	return r.PostForm.Get(name)
}

// Fail records the first message for a field.
func (f *Form) Fail(name, msg string) {
	if _, ok := f.Errors[name]; ok {
		return
	}
	f.Errors[name] = msg
	f.order = append(f.order, name)
}

// Required fails every listed field that is empty; pairs are field name,
// label, … in form order, so the error summary reads top to bottom.
func (f *Form) Required(pairs ...string) {
	for i := 0; i+1 < len(pairs); i += 2 {
		if f.Values[pairs[i]] == "" {
			f.Fail(pairs[i], pairs[i+1]+" is required.")
		}
	}
}

// Valid reports whether no field failed.
func (f *Form) Valid() bool { return len(f.Errors) == 0 }

// Failed lists the failed fields in the order they failed.
func (f *Form) Failed() []string { return f.order }

// MaxLen fails a field longer than n characters.
func (f *Form) MaxLen(name, label string, n int) {
	if len([]rune(f.Values[name])) > n {
		f.Fail(name, label+" must be at most "+itoa(n)+" characters.")
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
