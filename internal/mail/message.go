package mail

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	netmail "net/mail"
	"sort"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// ErrInvalidMessage marks messages refused before any sending is attempted
// (no recipient, no text, header injection…). Retrying will not help.
var ErrInvalidMessage = errors.New("mail: invalid message")

// reservedHeaders are built from Message fields; letting Headers set them
// would allow duplicates or a hidden recipient list.
var reservedHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "subject": true, "date": true,
	"message-id": true, "mime-version": true, "content-type": true,
	"content-transfer-encoding": true, "sender": true, "return-path": true,
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidMessage, fmt.Sprintf(format, args...))
}

// buildMsg turns m into a go-mail message. Both the SMTP sender and the
// outbox use it, so the outbox file is what SMTP would have transmitted.
// Bcc addresses become envelope recipients only: go-mail never writes a Bcc
// header, which is how list sends keep members' addresses private.
func buildMsg(from string, m Message) (*gomail.Msg, error) {
	if len(m.To)+len(m.Bcc) == 0 {
		return nil, invalid("no recipients")
	}
	if strings.TrimSpace(m.Text) == "" {
		return nil, invalid("no plain-text body")
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, invalid("line break in subject")
	}
	msg := gomail.NewMsg()
	if err := msg.From(from); err != nil {
		return nil, invalid("from %q: %v", from, err)
	}
	if len(m.To) > 0 {
		if err := msg.To(m.To...); err != nil {
			return nil, invalid("to: %v", err)
		}
	}
	if len(m.Bcc) > 0 {
		if err := msg.Bcc(m.Bcc...); err != nil {
			return nil, invalid("bcc: %v", err)
		}
		// A list send: ask auto-responders (out-of-office) not to reply.
		msg.SetBulk()
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageIDWithValue(messageID(from))
	msg.SetUserAgent("sabc")

	// Sorted so the output (and the outbox file) is deterministic.
	names := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := m.Headers[k]
		if !validHeaderName(k) || reservedHeaders[strings.ToLower(k)] {
			return nil, invalid("header %q cannot be set", k)
		}
		if strings.ContainsAny(v, "\r\n") {
			return nil, invalid("line break in header %s", k)
		}
		if strings.EqualFold(k, "Reply-To") {
			if err := msg.ReplyTo(v); err != nil {
				return nil, invalid("reply-to: %v", err)
			}
			continue
		}
		msg.SetGenHeader(gomail.Header(k), v)
	}

	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// validHeaderName accepts RFC 5322 field names (printable ASCII, no colon).
func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// messageID uses the sender's domain rather than the machine's host name
// (go-mail's default): container host names are meaningless and some spam
// filters score mismatched Message-ID domains.
func messageID(from string) string {
	domain := "localhost"
	if a, err := netmail.ParseAddress(from); err == nil {
		if i := strings.LastIndexByte(a.Address, '@'); i >= 0 && i < len(a.Address)-1 {
			domain = a.Address[i+1:]
		}
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:]) + "@" + domain
}
