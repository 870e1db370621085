package mail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOutbox_WritesParseableMessage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	var logs bytes.Buffer
	o, err := NewOutbox(dir, "SABC <club@sabc.example>", slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "mail outbox: "+o.Dir()) {
		t.Errorf("constructor log %q does not name the folder", logs.String())
	}
	path, err := o.Write(context.Background(), Message{
		To:      []string{"Ann Angler <ann@example.org>"},
		Subject: "Reset your password",
		Text:    "Open this link: https://sabc.example/reset?t=123",
	})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != o.Dir() || !strings.HasSuffix(path, "-reset-your-password-"+path[len(path)-10:]) {
		t.Errorf("path %q", path)
	}
	msg := readEML(t, path)
	if got := msg.Header.Get("Subject"); got != "Reset your password" {
		t.Errorf("Subject %q", got)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "ann@example.org" || to[0].Name != "Ann Angler" {
		t.Errorf("To %v %v", to, err)
	}
	if from := msg.Header.Get("From"); !strings.Contains(from, "club@sabc.example") {
		t.Errorf("From %q", from)
	}
	body, _ := io.ReadAll(msg.Body)
	if !strings.Contains(string(body), "https://sabc.example/reset?t=3D123") && // quoted-printable
		!strings.Contains(string(body), "https://sabc.example/reset?t=123") {
		t.Errorf("body not readable: %q", body)
	}
}

// A list send: the file must not reveal who else received it — no Bcc
// header and no Bcc address anywhere — only how many there were.
func TestOutbox_ListSendHidesBcc(t *testing.T) {
	o, err := NewOutbox(t.TempDir(), "club@sabc.example", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	path, err := o.Write(context.Background(), Message{
		To:      []string{"news@sabc.example"},
		Bcc:     []string{"ann@example.org", "bob@example.net", "cy@example.com"},
		Subject: "Club news: February meeting",
		Text:    "See you there.",
		HTML:    "<p>See you <b>there</b>.</p>",
		Headers: map[string]string{
			"List-Unsubscribe":      "<https://sabc.example/u/abc>",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	for _, addr := range []string{"ann@example.org", "bob@example.net", "cy@example.com"} {
		if bytes.Contains(raw, []byte(addr)) {
			t.Errorf("outbox file exposes Bcc address %s", addr)
		}
	}
	msg := readEML(t, path)
	if msg.Header.Get("Bcc") != "" {
		t.Error("Bcc header written")
	}
	if msg.Header.Get("X-Outbox-Bcc-Count") != "3" {
		t.Errorf("X-Outbox-Bcc-Count = %q", msg.Header.Get("X-Outbox-Bcc-Count"))
	}
	if msg.Header.Get("List-Unsubscribe") != "<https://sabc.example/u/abc>" ||
		msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("list headers not passed through: %v", msg.Header)
	}
	// Text and HTML travel as multipart/alternative, text first.
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q %v", mt, err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		types = append(types, ct)
	}
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Errorf("parts %v", types)
	}
}

func TestOutbox_InvalidMessageWritesNothing(t *testing.T) {
	dir := t.TempDir()
	o, err := NewOutbox(dir, "", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Send(context.Background(), Message{Subject: "nobody", Text: "x"}); !errors.Is(err, ErrInvalidMessage) {
		t.Errorf("err = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

func TestNew_ChoosesMailer(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	m, err := New(Config{Host: "smtp.example.org", From: "club@sabc.example", Logger: quiet})
	if _, ok := m.(*SMTP); !ok || err != nil {
		t.Errorf("with SMTP_HOST: %T %v", m, err)
	}
	if _, err := New(Config{Host: "smtp.example.org", Logger: quiet}); err == nil {
		t.Error("SMTP without From accepted")
	}

	t.Chdir(t.TempDir())
	m, err = New(Config{Logger: quiet})
	o, ok := m.(*Outbox)
	if !ok || err != nil {
		t.Fatalf("development without SMTP_HOST: %T %v", m, err)
	}
	if !strings.HasSuffix(filepath.ToSlash(o.Dir()), "/data/outbox") {
		t.Errorf("default outbox %q", o.Dir())
	}

	m, err = New(Config{Production: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	err = m.Send(context.Background(), Message{To: []string{"a@example.org"}, Text: "x"})
	if !errors.Is(err, ErrNotConfigured) || err.Error() != "email is not configured (set SMTP_HOST)" {
		t.Errorf("production without SMTP_HOST: %v", err)
	}
}

func TestRecorder(t *testing.T) {
	var r Recorder
	_ = r.Send(context.Background(), Message{Subject: "a"})
	r.Err = errors.New("down")
	if err := r.Send(context.Background(), Message{Subject: "b"}); err == nil || len(r.Sent()) != 1 {
		t.Errorf("recorder: %v %v", err, r.Sent())
	}
}

func readEML(t *testing.T, path string) *netmail.Message {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	msg, err := netmail.ReadMessage(f)
	if err != nil {
		t.Fatalf("not a parseable RFC 5322 message: %v", err)
	}
	return msg
}
