package obs

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestRedaction(t *testing.T) {
	var buf bytes.Buffer
	l := NewLogger("production", &buf, slog.LevelInfo).With("api_key", "k-123456")
	l.Info("login",
		"password", "hunter2",
		"csrf_token", "tok-abcdef",
		"Authorization", "Bearer abc.def",
		"cookie", "session=xyz",
		"email", "angler@example.com",
		"phone", "+1 512 867 5309",
		"dsn", "postgres://sabc:pgpass@db:5432/sabc?sslmode=disable",
		"conn", "host=db user=sabc password=kvpass dbname=sabc",
		"err", errors.New("dial redis://:redispass@cache:6379: refused"),
		"email_sent", true,
		slog.Group("user", "id", 7, "email", "x@y.org"),
		"route", "GET /tournaments/{id}/",
	)
	out := buf.String()
	for _, secret := range []string{"hunter2", "tok-abcdef", "abc.def", "xyz", "angler@", "867 5309",
		"pgpass", "kvpass", "redispass", "k-123456", "x@y"} {
		if strings.Contains(out, secret) {
			t.Errorf("log leaks %q:\n%s", secret, out)
		}
	}
	for _, keep := range []string{`"email":"***@example.com"`, "postgres://[REDACTED]@db:5432/sabc",
		`"email_sent":true`, `"route":"GET /tournaments/{id}/"`, `"id":7`} {
		if !strings.Contains(out, keep) {
			t.Errorf("log lacks %q:\n%s", keep, out)
		}
	}
}

func TestLoggerFormatsAndContext(t *testing.T) {
	var buf bytes.Buffer
	ctx, _ := withInfo(WithRequestID(context.Background(), "rid-00000001"))
	SetUserID(ctx, 9)
	NewLogger("development", &buf, slog.LevelInfo).InfoContext(ctx, "hello")
	if out := buf.String(); !strings.Contains(out, "msg=hello") || !strings.Contains(out, "request_id=rid-00000001") ||
		!strings.Contains(out, "user_id=9") {
		t.Errorf("development text line: %s", out)
	}
	buf.Reset()
	NewLogger("production", &buf, slog.LevelWarn).Info("dropped")
	if buf.Len() != 0 {
		t.Errorf("level not applied: %s", buf.String())
	}
}

// redactEverywhere is RedactString as it was before its shortcuts: every
// pattern on every string. The shortcuts must never change an answer.
func redactEverywhere(s string) string {
	if strings.Contains(s, "://") && strings.Contains(s, "@") {
		s = urlCreds.ReplaceAllString(s, "${1}"+redacted+"@")
	}
	if strings.Contains(strings.ToLower(s), "password") || strings.Contains(strings.ToLower(s), "pwd") {
		s = kvPassword.ReplaceAllString(s, "${1}="+redacted)
		s = wordPassword.ReplaceAllString(s, "${1} "+redacted)
	}
	if strings.Contains(s, "@") {
		s = emailAddr.ReplaceAllString(s, redacted+"@${1}")
	}
	return phoneNumber.ReplaceAllString(s, redacted)
}

func TestRedactStringShortcutsChangeNothing(t *testing.T) {
	cases := []string{"", "GET", "GET /tournaments/{id}/", "/health/liveness/", "512 867 5309", "(512) 867-5309",
		"+15128675309", "call 512.867.5309 now", "123456789", "1234567890", "PassWord: x", "PWD=x",
		"Pa\u0130ssword", "\u212Apwd", "x@y.org", "redis://:p@h:1", "host=db PASSWORD='a b'"}
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"0", "1", "5", "9", " ", "-", ".", "(", ")", "+1", "@", "://", "a", "P", "w", "d", "password",
		"PWD", "=", ":", "x.org", "\u0130", "\u212A", "é", "/"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(24) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		if got, want := RedactString(s), redactEverywhere(s); got != want {
			t.Errorf("RedactString(%q) = %q, every pattern gives %q", s, got, want)
		}
	}
}

// TestRecordsPassedAsTheyAre: an attribute mayRedact lets through is one
// RedactAttr would have left alone.
func TestRecordsPassedAsTheyAre(t *testing.T) {
	var attrs []slog.Attr
	for _, key := range []string{"method", "route", "status", "duration_ms", "password", "user_email", "Token", "ok"} {
		attrs = append(attrs, slog.String(key, "GET /x/"), slog.String(key, "512 867 5309"), slog.Int(key, 5),
			slog.Float64(key, 1.25), slog.Bool(key, true), slog.Duration(key, time.Second),
			slog.Time(key, time.Unix(0, 0)), slog.Int64(key, 5128675309))
	}
	for _, a := range attrs {
		if !mayRedact(a) && !RedactAttr(a).Equal(a) {
			t.Errorf("mayRedact(%v) = false, but RedactAttr gives %v", a, RedactAttr(a))
		}
	}
	if mayRedact(slog.String("route", "GET /x/")) || !mayRedact(slog.String("password", "x")) ||
		!mayRedact(slog.String("note", "call 512 867 5309")) {
		t.Error("mayRedact misjudges the plain cases")
	}
}
