package obs

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
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
