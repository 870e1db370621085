package forms

import (
	"errors"
	"net/mail"
	"strings"
)

// ErrEmail is the message for an address that cannot be right.
var ErrEmail = errors.New("Enter an email address like name@example.com.")

// Email checks an address is a plain mailbox (no display name, a domain with
// a dot) and returns it trimmed, with the domain lower-cased.
func Email(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 254 || strings.ContainsAny(s, " <>\"(),;:\\") {
		return "", ErrEmail
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return "", ErrEmail
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], strings.ToLower(s[at+1:])
	if local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") ||
		strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", ErrEmail
	}
	return local + "@" + domain, nil
}

// MaskEmail shortens an address for logs: "ma***@example.com".
func MaskEmail(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "***"
	}
	keep := min(2, at)
	return s[:keep] + "***" + s[at:]
}
