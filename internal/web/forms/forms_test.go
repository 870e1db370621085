package forms

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPhone_AcceptsUSFormats(t *testing.T) {
	for _, in := range []string{"5125551234", "(512) 555-1234", "+15125551234", "512-555-1234",
		"512.555.1234", "+1 512 555 1234", "1-512-555-1234", " (512)555-1234 "} {
		got, err := Phone(in)
		if err != nil || got != "+15125551234" {
			t.Errorf("Phone(%q) = %q, %v; want +15125551234", in, got, err)
		}
	}
}

func TestPhone_RefusesNonUSNumbers(t *testing.T) {
	for _, in := range []string{"", "555-1234", "512555123", "51255512345", "+44 20 7946 0958",
		"(012) 555-1234", "(512) 155-1234", "512-555-12a4", "call me", "+1 512 555 1234 ext 5"} {
		if got, err := Phone(in); err == nil {
			t.Errorf("Phone(%q) = %q, want an error", in, got)
		}
	}
}

func TestPhoneDisplay(t *testing.T) {
	if got := PhoneDisplay("+15125551234"); got != "(512) 555-1234" {
		t.Errorf("PhoneDisplay = %q", got)
	}
	if got := PhoneDisplay(""); got != "" {
		t.Errorf("PhoneDisplay(\"\") = %q", got)
	}
}

func TestEmail(t *testing.T) {
	ok := map[string]string{
		"mandy@example.com":          "mandy@example.com",
		" Mandy.M+bass@Example.COM ": "Mandy.M+bass@example.com",
	}
	for in, want := range ok {
		if got, err := Email(in); err != nil || got != want {
			t.Errorf("Email(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "mandy", "mandy@", "@example.com", "mandy@example", "Mandy <mandy@example.com>",
		"mandy@@example.com", "man dy@example.com", "mandy@example..com", "mandy@.example.com"} {
		if got, err := Email(in); err == nil {
			t.Errorf("Email(%q) = %q, want an error", in, got)
		}
	}
}

func TestMaskEmail(t *testing.T) {
	if got := MaskEmail("mandy@example.com"); got != "ma***@example.com" || strings.Contains(got, "mandy") {
		t.Errorf("MaskEmail = %q", got)
	}
}

func TestPassword_Policy(t *testing.T) {
	personal := []string{"Mandy", "Member", "mandy.member@example.com"}
	cases := []struct {
		pw   string
		want error
	}{
		{"short-pass", ErrPasswordShort},
		{"12345678901234", ErrPasswordDigits},
		{"aaaaaaaaaaaaaaa", ErrPasswordRepeats},
		{"abababababab", ErrPasswordRepeats},
		{"password1234", ErrPasswordCommon},
		{"Password2024!", ErrPasswordCommon},
		{"P@ssw0rd12345", ErrPasswordCommon},
		{"qwertyuiop123", ErrPasswordCommon},
		{"!!southaustinbassclub", ErrPasswordCommon},
		{"iloveyou1234", ErrPasswordCommon},
		{"MandyMember2026", ErrPasswordPersonal},
		{"mandy.member@example.com", ErrPasswordPersonal},
		{"member-mandy-99", ErrPasswordPersonal},
		{"correct horse battery staple", nil},
		{"Mandy catches lunkers at dawn", nil}, // a name inside a long phrase is fine
		{"tr0ut-are-not-bass", nil},
		// bcrypt's limit is 72 bytes: 72 pass, 73 (or 25 three-byte runes) do not.
		{strings.Repeat("bass boat ", 7) + "ok", nil},
		{strings.Repeat("bass boat ", 7) + "ok!", ErrPasswordLong},
		{strings.Repeat("€", 25), ErrPasswordLong},
	}
	for _, c := range cases {
		if err := Password(c.pw, personal...); !errors.Is(err, c.want) && !(err == nil && c.want == nil) {
			t.Errorf("Password(%q) = %v, want %v", c.pw, err, c.want)
		}
	}
}

func TestForm_SecretIsNeverKept(t *testing.T) {
	body := url.Values{"email": {"  a@b.co "}, "password": {" hunter2 secret "}}
	r, _ := http.NewRequest("POST", "/", strings.NewReader(body.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	f := New(r)
	if f.Get("email") != "a@b.co" {
		t.Errorf("email = %q, want trimmed", f.Get("email"))
	}
	if pw := f.Secret(r, "password"); pw != " hunter2 secret " {
		t.Errorf("secret = %q, want it untrimmed", pw)
	}
	if _, kept := f.Values["password"]; kept {
		t.Error("the password stays in Values, so it would be shown again")
	}
	f.Fail("email", "first")
	f.Fail("email", "second")
	if f.Errors["email"] != "first" || len(f.Failed()) != 1 || f.Valid() {
		t.Errorf("errors = %v, order %v", f.Errors, f.Failed())
	}
}

func TestUnstorable_FindsNULAndInvalidUTF8InNamesAndValues(t *testing.T) {
	cases := []struct {
		in   url.Values
		name string
		bad  bool
	}{
		{url.Values{"q": {"Lake Travis — ñandú 🎣"}}, "", false},
		{url.Values{"a": {"ok"}, "q": {"x\x00y"}}, "q", true},
		{url.Values{"email": {"\xffa@b.co"}}, "email", true},
		{url.Values{"email": {"ok", "\xc3("}}, "email", true}, // a repeated field's later value counts too
		{url.Values{"b\xff": {"ok"}}, "", true},               // a bad name is not shown
	}
	for _, c := range cases {
		name, bad := Unstorable(c.in)
		if name != c.name || bad != c.bad {
			t.Errorf("Unstorable(%q) = %q, %v; want %q, %v", c.in, name, bad, c.name, c.bad)
		}
	}
	if msg := UnstorableMessage("email"); !strings.Contains(msg, "“email”") {
		t.Errorf("message %q does not name the field", msg)
	}
}
