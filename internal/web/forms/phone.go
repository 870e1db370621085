package forms

import (
	"errors"
	"strings"
)

// ErrPhone is the message for a number that is not a US number.
var ErrPhone = errors.New("Enter a US phone number with area code, like (512) 555-1234.")

// Phone accepts the ways people write US numbers — 5125551234,
// (512) 555-1234, 512-555-1234, 512.555.1234, +1 512 555 1234,
// 1-512-555-1234 — and returns E.164 (+15125551234). Area code and exchange
// must not start with 0 or 1 (North American Numbering Plan).
func Phone(s string) (string, error) {
	s = strings.TrimSpace(s)
	var d []byte
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d = append(d, byte(r))
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", ErrPhone
		}
	}
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	} else if strings.HasPrefix(s, "+") {
		return "", ErrPhone // a country code other than +1
	}
	if len(d) != 10 || d[0] < '2' || d[3] < '2' {
		return "", ErrPhone
	}
	return "+1" + string(d), nil
}

// PhoneDisplay formats an E.164 US number the national way, (512) 555-1234;
// anything else is returned unchanged.
func PhoneDisplay(e164 string) string {
	if len(e164) != 12 || !strings.HasPrefix(e164, "+1") {
		return e164
	}
	n := e164[2:]
	return "(" + n[:3] + ") " + n[3:6] + "-" + n[6:]
}
