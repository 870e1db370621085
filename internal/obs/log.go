package obs

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
)

// NewLogger builds the application logger: JSON in production (for log
// shippers), readable text otherwise. Every record passes the redacting
// handler, and records logged with a context carry that request's
// request_id and user_id.
func NewLogger(env string, w io.Writer, level slog.Leveler) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if env == "production" {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(NewRedactingHandler(contextHandler{h}))
}

// contextHandler adds the request id and user id from the context, so a
// log line written anywhere during a request can be tied to its access line.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if ctx != nil {
		if id := RequestID(ctx); id != "" {
			r.AddAttrs(slog.String("request_id", id))
		}
		if info := infoFrom(ctx); info != nil {
			if uid := info.userID.Load(); uid != 0 {
				r.AddAttrs(slog.Int64("user_id", uid))
			}
		}
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(as)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}

// NewRedactingHandler wraps h so that attributes whose keys look secret or
// personal are masked, and credentials embedded in URLs/DSNs are removed
// from any string or error value. It is applied to attributes given to
// With as well as to each record.
func NewRedactingHandler(h slog.Handler) slog.Handler { return redactingHandler{h} }

type redactingHandler struct{ next slog.Handler }

func (h redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	// Most records (every access log line) carry nothing to mask: they go
	// on as they are, without copying each attribute into a new record.
	clean := true
	r.Attrs(func(a slog.Attr) bool {
		clean = !mayRedact(a)
		return clean
	})
	if clean {
		return h.next.Handle(ctx, r)
	}
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(RedactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h redactingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = RedactAttr(a)
	}
	return redactingHandler{h.next.WithAttrs(red)}
}

func (h redactingHandler) WithGroup(name string) slog.Handler {
	return redactingHandler{h.next.WithGroup(name)}
}

const redacted = "[REDACTED]"

// secretKeys are matched as substrings of the lower-cased key, so
// "csrf_token", "X-Api-Key" and "user_email" are all caught. Over-masking
// a harmless field costs little; leaking one password costs a lot.
var secretKeys = []string{
	"password", "passwd", "secret", "token", "authorization", "cookie",
	"api_key", "apikey", "api-key", "session", "credential", "private_key",
}

var personalKeys = []string{"email", "e-mail", "phone", "mobile"}

// mayRedact reports whether RedactAttr could change a. Groups, values of
// any type and LogValuers are always given to RedactAttr; so are secret or
// personal keys and strings RedactString would change. A false answer means
// RedactAttr(a) is a itself.
func mayRedact(a slog.Attr) bool {
	switch a.Value.Kind() {
	case slog.KindBool:
		return false
	case slog.KindGroup, slog.KindAny, slog.KindLogValuer:
		return true
	}
	if keyMasked(a.Key) {
		return true
	}
	if a.Value.Kind() == slog.KindString {
		s := a.Value.String()
		return RedactString(s) != s
	}
	return false
}

// keyMasked reports whether RedactAttr masks a key's value whatever it is.
// Keys are few and fixed in the code (every access line has the same nine),
// so answers are remembered, up to maskedKeysMax keys.
func keyMasked(key string) bool {
	if v, ok := maskedKeys.Load(key); ok {
		return v.(bool)
	}
	masked := keyMaskedUncached(key)
	if maskedKeysN.Add(1) <= maskedKeysMax {
		maskedKeys.Store(key, masked)
	}
	return masked
}

var (
	maskedKeys  sync.Map // key → keyMaskedUncached(key)
	maskedKeysN atomic.Int64
)

const maskedKeysMax = 1024

func keyMaskedUncached(key string) bool {
	k := strings.ToLower(key)
	for _, s := range secretKeys {
		if strings.Contains(k, s) {
			return true
		}
	}
	for _, s := range personalKeys {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// RedactAttr returns a with its value masked when the key looks secret or
// personal, and with URL credentials removed from string values otherwise.
func RedactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		g := v.Group()
		red := make([]slog.Attr, len(g))
		for i, ga := range g {
			red[i] = RedactAttr(ga)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(red...)}
	}
	k := strings.ToLower(a.Key)
	// Booleans carry no secret ("email_sent=true") and are kept readable.
	if v.Kind() != slog.KindBool {
		for _, s := range secretKeys {
			if strings.Contains(k, s) {
				return slog.String(a.Key, redacted)
			}
		}
		for _, s := range personalKeys {
			if strings.Contains(k, s) {
				return slog.String(a.Key, maskPersonal(v.String()))
			}
		}
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, RedactString(v.String()))
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, RedactString(err.Error()))
		}
		if u, ok := v.Any().(*url.URL); ok && u != nil {
			return slog.String(a.Key, RedactString(u.String()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// maskPersonal keeps an email's domain (useful when a provider bounces)
// and nothing else that identifies the person.
func maskPersonal(s string) string {
	if i := strings.LastIndexByte(s, '@'); i > 0 && i < len(s)-1 {
		return "***" + s[i:]
	}
	return redacted
}

var (
	// userinfo in any URL-looking token: scheme://user:pass@host.
	urlCreds = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/\s@]+@`)
	// key=value DSNs (PostgreSQL): password=... or password='...'.
	kvPassword = regexp.MustCompile(`(?i)\b(password|pwd|sslpassword)\s*=\s*('[^']*'|\S+)`)
	// "password hunter2", "with password: hunter2" in free text
	wordPassword = regexp.MustCompile(`(?i)\b(password|pwd):?\s+([^\s=]+)`)
	// personal data in error text: the local part of emails, US phone numbers
	emailAddr   = regexp.MustCompile(`[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})`)
	phoneNumber = regexp.MustCompile(`(\+1[\s.-]?)?\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b|\+1\d{10}\b`)
)

// RedactString removes credentials embedded in URLs and key=value DSNs,
// passwords named in free text, email addresses' local parts and US phone
// numbers from s — error samples go to the error page, the log file and
// (optionally) Sentry.
//
// Each pattern runs only on strings that can match it, so the common case —
// a method, a route, a path — costs a scan and no regular expression.
func RedactString(s string) string {
	if strings.Contains(s, "://") && strings.Contains(s, "@") {
		s = urlCreds.ReplaceAllString(s, "${1}"+redacted+"@")
	}
	if containsLowerASCII(s, "password") || containsLowerASCII(s, "pwd") {
		s = kvPassword.ReplaceAllString(s, "${1}="+redacted)
		s = wordPassword.ReplaceAllString(s, "${1} "+redacted)
	}
	if strings.Contains(s, "@") {
		s = emailAddr.ReplaceAllString(s, redacted+"@${1}")
	}
	if digits(s) < 10 { // every phoneNumber match has at least 10 digits
		return s
	}
	return phoneNumber.ReplaceAllString(s, redacted)
}

// containsLowerASCII is strings.Contains(strings.ToLower(s), sub) for a
// lower-case ASCII sub without a letter i or k, without building the
// lower-cased copy: the only non-ASCII letters ToLower makes ASCII are the
// dotted capital I and the Kelvin sign ("i" and "k"), so other letters of
// sub can only come from ASCII letters.
func containsLowerASCII(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for ; j < len(sub); j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// digits counts the ASCII digits of s (what \d matches in Go's regexp).
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			n++
		}
	}
	return n
}
