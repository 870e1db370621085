package forms

import (
	_ "embed"
	"errors"
	"strings"
	"unicode"
)

// MinPasswordLength is the shortest password accepted (spec 02-site §3).
const MinPasswordLength = 12

// MaxPasswordBytes is the longest password bcrypt can hash: it refuses
// longer ones with an error, which must reach the person as a form message,
// not as a server error.
const MaxPasswordBytes = 72

//go:embed common_passwords.txt
var commonList string

var common = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// Password policy messages, written for the person choosing the password.
var (
	ErrPasswordShort    = errors.New("Use at least 12 characters — a few unrelated words make a strong, memorable password.")
	ErrPasswordLong     = errors.New("Use at most 72 characters (fewer if you use accented letters or symbols).")
	ErrPasswordDigits   = errors.New("A password of only numbers is easy to guess; add some words.")
	ErrPasswordRepeats  = errors.New("That password repeats too few characters; choose something less predictable.")
	ErrPasswordCommon   = errors.New("That password is one of the most commonly used ones; choose something less predictable.")
	ErrPasswordPersonal = errors.New("Choose a password that doesn't contain your name or email address.")
)

// Password applies the password policy. personal are the person's name
// parts and email address: a password built from them is refused.
func Password(pw string, personal ...string) error {
	if len([]rune(pw)) < MinPasswordLength {
		return ErrPasswordShort
	}
	if len(pw) > MaxPasswordBytes {
		return ErrPasswordLong
	}
	if strings.IndexFunc(pw, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		return ErrPasswordDigits
	}
	distinct := map[rune]bool{}
	for _, r := range strings.ToLower(pw) {
		distinct[r] = true
	}
	if len(distinct) < 4 {
		return ErrPasswordRepeats
	}
	if isCommon(pw) {
		return ErrPasswordCommon
	}
	if isPersonal(pw, personal) {
		return ErrPasswordPersonal
	}
	return nil
}

// isCommon: the password, or its core once digits and symbols around it are
// removed and look-alike digits read as letters, is on the list.
func isCommon(pw string) bool {
	lower := strings.ToLower(pw)
	letters := strings.TrimFunc(lower, notLetter)            // "2024password!!" → "password"
	core := deLeet(strings.TrimFunc(lower, notLetterOrLeet)) // "p@ssw0rd1234" → "password"
	return common[alnum(lower)] || common[alnum(letters)] || common[alnum(core)]
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// notLetterOrLeet keeps the look-alike symbols inside the core (p@ss), but
// trailing digits are still trimmed: "password2024" → "password".
func notLetterOrLeet(r rune) bool { return !unicode.IsLetter(r) && r != '@' && r != '$' }

var leet = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "@", "a", "$", "s", "!", "i")

func deLeet(s string) string { return leet.Replace(s) }

// alnum keeps letters and digits, so "pass word!" and "password" compare equal.
func alnum(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// isPersonal: once every name part and email part (3+ characters) is taken
// out, fewer than 8 letters and digits are left — "MandyMember2026" or the
// email address itself.
func isPersonal(pw string, personal []string) bool {
	rest := alnum(strings.ToLower(pw))
	found := false
	for _, tok := range personalTokens(personal) {
		if strings.Contains(rest, tok) {
			found = true
			rest = strings.ReplaceAll(rest, tok, "")
		}
	}
	return found && len(rest) < 8
}

// personalTokens splits names and emails into lower-case words of 3+
// characters, longest first so "member" is removed before "mem".
func personalTokens(personal []string) []string {
	var toks []string
	for _, p := range personal {
		p = strings.ToLower(p)
		if at := strings.LastIndexByte(p, '@'); at >= 0 {
			domain := p[at+1:]
			if dot := strings.LastIndexByte(domain, '.'); dot > 0 {
				domain = domain[:dot] // the top-level domain is too short to matter
			}
			toks = append(toks, alnum(p[:at]))
			p = p[:at] + " " + domain
		}
		toks = append(toks, strings.FieldsFunc(p, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })...)
	}
	out := toks[:0]
	for _, t := range toks {
		if len(t) >= 3 {
			out = append(out, t)
		}
	}
	for i := 1; i < len(out); i++ { // insertion sort by length, longest first
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
