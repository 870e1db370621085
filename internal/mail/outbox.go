package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// DefaultOutboxDir is where development mail goes when SMTP_HOST is unset.
const DefaultOutboxDir = "./data/outbox"

// Outbox is the development Mailer: each message becomes one .eml file
// (RFC 5322, CRLF line endings) that any mail client or text editor opens.
//
// The file is exactly what SMTP would transmit, so the developer sees what
// members would see — including that list sends expose no addresses: there
// is no Bcc header and no Bcc address anywhere in the file. The one
// addition is a first line "X-Outbox-Bcc-Count: N" on list sends, so the
// size of the hidden list is still visible. Tests that need the actual Bcc
// addresses use Recorder.
type Outbox struct {
	dir  string
	from string
	log  *slog.Logger
	now  func() time.Time
}

// NewOutbox creates dir if needed and logs "mail outbox: <dir>" once, so
// the developer knows where to look. from may be empty.
func NewOutbox(dir, from string, log *slog.Logger) (*Outbox, error) {
	if dir == "" {
		dir = DefaultOutboxDir
	}
	if from == "" {
		from = "SABC (development) <sabc@localhost>"
	}
	if log == nil {
		log = slog.Default()
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("mail outbox: %w", err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("mail outbox: %w", err)
	}
	log.Info("mail outbox: "+abs, "dir", abs)
	return &Outbox{dir: abs, from: from, log: log, now: time.Now}, nil
}

// Dir returns the absolute folder the .eml files go to.
func (o *Outbox) Dir() string { return o.dir }

// Send writes m to the outbox.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	_, err := o.Write(ctx, m)
	return err
}

// Write writes m as a new .eml file and returns its path. Names sort by
// time ("20260102-150405.123-subject-words-1a2b3c.eml"); the file appears
// complete or not at all (temp file + rename), so a watcher never opens a
// half-written message.
func (o *Outbox) Write(ctx context.Context, m Message) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	msg, err := buildMsg(o.from, m)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if len(m.Bcc) > 0 {
		fmt.Fprintf(&buf, "X-Outbox-Bcc-Count: %d\r\n", len(m.Bcc))
	}
	if _, err := msg.WriteTo(&buf); err != nil {
		return "", fmt.Errorf("mail outbox: render: %w", err)
	}

	var rnd [3]byte
	_, _ = rand.Read(rnd[:])
	name := o.now().UTC().Format("20060102-150405.000") + "-" + slug(m.Subject) + "-" + hex.EncodeToString(rnd[:]) + ".eml"
	final := filepath.Join(o.dir, name)
	tmp, err := os.CreateTemp(o.dir, ".tmp-*.eml")
	if err != nil {
		return "", fmt.Errorf("mail outbox: %w", err)
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), final)
	}
	if werr != nil {
		_ = os.Remove(tmp.Name())
		return "", fmt.Errorf("mail outbox: %w", werr)
	}
	o.log.Info("mail written to outbox", "path", final, "subject", m.Subject,
		"to", strings.Join(m.To, ", "), "bcc_count", strconv.Itoa(len(m.Bcc)))
	return final, nil
}

// slug keeps file names readable and portable: lower-case ASCII words.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return "message"
	}
	return out
}
