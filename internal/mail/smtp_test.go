package mail

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSMTP is the minimal server the tests talk to: EHLO, AUTH PLAIN,
// MAIL, RCPT, DATA, RSET, NOOP, QUIT on 127.0.0.1.
type fakeSMTP struct {
	ln   net.Listener
	ext  []string // extra EHLO keywords, e.g. "AUTH PLAIN"
	mute bool     // accept connections but never answer (a hung relay)

	mu   sync.Mutex
	got  []received
	wg   sync.WaitGroup
	done chan struct{}
}

type received struct {
	from string
	rcpt []string
	data string
	auth string // decoded AUTH PLAIN response
}

func startFake(t *testing.T, ext ...string) *fakeSMTP {
	t.Helper()
	return startFakeMode(t, false, ext...)
}

func startFakeMode(t *testing.T, mute bool, ext ...string) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln, ext: ext, mute: mute, done: make(chan struct{})}
	go f.serve()
	t.Cleanup(func() { close(f.done); _ = ln.Close(); f.wg.Wait() })
	return f
}

func (f *fakeSMTP) port() int { return f.ln.Addr().(*net.TCPAddr).Port }

func (f *fakeSMTP) messages() []received {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]received(nil), f.got...)
}

func (f *fakeSMTP) serve() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			defer c.Close()
			if f.mute {
				<-f.done
				return
			}
			f.session(c)
		}()
	}
}

func (f *fakeSMTP) session(c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	reply := func(s string) { _, _ = c.Write([]byte(s + "\r\n")) }
	reply("220 fake ESMTP")
	var cur received
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			lines := append([]string{"fake"}, f.ext...)
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				reply("250" + sep + l)
			}
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			b, _ := base64.StdEncoding.DecodeString(resp)
			cur.auth = mech + ":" + string(b)
			reply("235 2.7.0 authenticated")
		case "MAIL":
			cur.from = between(arg, "<", ">")
			reply("250 ok")
		case "RCPT":
			cur.rcpt = append(cur.rcpt, between(arg, "<", ">"))
			reply("250 ok")
		case "DATA":
			reply("354 end with .")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, ".")) // undo dot-stuffing
			}
			cur.data = b.String()
			f.mu.Lock()
			f.got = append(f.got, cur)
			f.mu.Unlock()
			cur = received{auth: cur.auth}
			reply("250 queued")
		case "RSET", "NOOP":
			cur = received{auth: cur.auth}
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

func between(s, a, b string) string {
	_, rest, _ := strings.Cut(s, a)
	v, _, _ := strings.Cut(rest, b)
	return v
}

func TestSMTP_ListSendReachesEveryoneWithoutExposingBcc(t *testing.T) {
	srv := startFake(t)
	s, err := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: srv.port(), From: "SABC <news@sabc.example>"})
	if err != nil {
		t.Fatal(err)
	}
	m := Message{
		To:      []string{"news@sabc.example"},
		Bcc:     []string{"ann@example.org", "bob@example.net"},
		Subject: "Lake Travis results",
		Text:    "Results are up.\n.\nA line that was only a dot.",
		HTML:    "<p>Results are up.</p>",
		Headers: map[string]string{"List-Unsubscribe": "<https://sabc.example/unsubscribe?t=abc>"},
	}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages", len(got))
	}
	g := got[0]
	if g.from != "news@sabc.example" {
		t.Errorf("MAIL FROM %q", g.from)
	}
	if want := "news@sabc.example,ann@example.org,bob@example.net"; strings.Join(g.rcpt, ",") != want {
		t.Errorf("RCPT TO %v, want %s", g.rcpt, want)
	}
	msg, err := netmail.ReadMessage(strings.NewReader(g.data))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Subject") != m.Subject || msg.Header.Get("List-Unsubscribe") != m.Headers["List-Unsubscribe"] {
		t.Errorf("headers: %v", msg.Header)
	}
	if msg.Header.Get("Bcc") != "" || strings.Contains(g.data, "ann@example.org") || strings.Contains(g.data, "bob@") {
		t.Error("a Bcc address is visible in the transmitted message")
	}
	if msg.Header.Get("Precedence") != "bulk" {
		t.Error("list send not marked bulk")
	}
	if id := msg.Header.Get("Message-Id"); !strings.HasSuffix(id, "@sabc.example>") {
		t.Errorf("Message-ID %q should use the sender's domain", id)
	}
}

func TestSMTP_AuthPlainOnLocalhost(t *testing.T) {
	srv := startFake(t, "AUTH PLAIN LOGIN")
	s, err := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: srv.port(), From: "club@sabc.example",
		Username: "relay-user", Password: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), Message{To: []string{"ann@example.org"}, Subject: "Reset", Text: "link"}); err != nil {
		t.Fatal(err)
	}
	if got := srv.messages(); len(got) != 1 || got[0].auth != "PLAIN:\x00relay-user\x00s3cret" {
		t.Errorf("auth = %+v", got)
	}
}

func TestSMTP_RequiredStartTLSRefusesPlainServer(t *testing.T) {
	srv := startFake(t)
	s, err := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: srv.port(), From: "club@sabc.example", TLS: TLSStartTLSRequired})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), Message{To: []string{"a@example.org"}, Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("err = %v, want a STARTTLS refusal", err)
	}
	if len(srv.messages()) != 0 {
		t.Error("message sent without TLS")
	}
}

func TestSMTP_HungServerTimesOut(t *testing.T) {
	for _, c := range []struct {
		name    string
		timeout time.Duration
		ctx     time.Duration
	}{
		{"smtp_timeout", 300 * time.Millisecond, time.Minute},
		{"caller_context", time.Minute, 300 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := startFakeMode(t, true)
			s, err := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: srv.port(), From: "club@sabc.example", Timeout: c.timeout})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), c.ctx)
			defer cancel()
			start := time.Now()
			err = s.Send(ctx, Message{To: []string{"a@example.org"}, Text: "x"})
			if err == nil {
				t.Fatal("send to a hung server succeeded")
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestSMTP_RefusesBadMessages(t *testing.T) {
	s, err := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: 1, From: "club@sabc.example"})
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]Message{
		"no_recipients":    {Text: "x"},
		"no_text":          {To: []string{"a@example.org"}, HTML: "<p>x</p>"},
		"subject_newline":  {To: []string{"a@example.org"}, Text: "x", Subject: "hi\r\nBcc: evil@example.com"},
		"header_injection": {To: []string{"a@example.org"}, Text: "x", Headers: map[string]string{"X-A": "1\r\nBcc: e@x"}},
		"reserved_header":  {To: []string{"a@example.org"}, Text: "x", Headers: map[string]string{"bcc": "e@example.com"}},
		"bad_address":      {To: []string{"not an address"}, Text: "x"},
	} {
		if err := s.Send(context.Background(), m); !errors.Is(err, ErrInvalidMessage) {
			t.Errorf("%s: err = %v, want ErrInvalidMessage", name, err)
		}
	}
}

func TestNewSMTP_Validation(t *testing.T) {
	for name, c := range map[string]SMTPConfig{
		"no_from":  {Host: "h"},
		"bad_from": {Host: "h", From: "nope"},
		"bad_tls":  {Host: "h", From: "a@b.c", TLS: "ssl3"},
		"bad_port": {Host: "h", From: "a@b.c", Port: 70000},
	} {
		if _, err := NewSMTP(c); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	s, err := NewSMTP(SMTPConfig{Host: "smtp.example.org", From: "a@b.c", TLS: TLSImplicit})
	if err != nil || s.Addr() != "smtp.example.org:"+strconv.Itoa(465) {
		t.Errorf("implicit TLS default port: %v %v", s, err)
	}
	s, err = NewSMTP(SMTPConfig{Host: "smtp.example.org", From: "a@b.c"})
	if err != nil || s.Addr() != "smtp.example.org:587" || s.cfg.TLS != TLSStartTLS {
		t.Errorf("defaults: %+v %v", s, err)
	}
}

func TestSMTP_LargeListGoesOutInBatches(t *testing.T) {
	srv := startFake(t)
	s, err := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: srv.port(), From: "club@sabc.example", MaxRecipients: 2})
	if err != nil {
		t.Fatal(err)
	}
	bcc := []string{"b1@example.org", "b2@example.org", "b3@example.org", "b4@example.org", "b5@example.org"}
	m := Message{To: []string{"news@sabc.example"}, Bcc: bcc, Subject: "News", Text: "x"}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range srv.messages() {
		if len(r.rcpt) > 2 {
			t.Errorf("transaction with %d recipients", len(r.rcpt))
		}
		got = append(got, strings.Join(r.rcpt, "+"))
		for _, b := range bcc {
			if strings.Contains(r.data, b) {
				t.Errorf("Bcc %s visible in a copy", b)
			}
		}
	}
	want := "news@sabc.example+b1@example.org,b2@example.org+b3@example.org,b4@example.org+b5@example.org"
	if strings.Join(got, ",") != want {
		t.Errorf("transactions %v, want %s", got, want)
	}
}
