package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLSMode is how the SMTP connection is secured (SMTP_TLS).
type TLSMode string

const (
	// TLSStartTLS upgrades with STARTTLS when the server offers it and
	// otherwise continues in plain text (the default; port 587). Passwords
	// are still never sent in the clear: PLAIN/LOGIN refuse an unencrypted
	// connection except to localhost.
	TLSStartTLS TLSMode = "starttls"
	// TLSStartTLSRequired fails unless the server offers STARTTLS; use it
	// when the relay is known to support it, so a downgrade cannot go unnoticed.
	TLSStartTLSRequired TLSMode = "starttls-required"
	// TLSImplicit speaks TLS from the first byte ("SMTPS", port 465).
	TLSImplicit TLSMode = "tls"
	// TLSNone never encrypts: for a relay on localhost or a test server.
	TLSNone TLSMode = "none"
)

// ParseTLSMode validates an SMTP_TLS value; "" means TLSStartTLS.
func ParseTLSMode(s string) (TLSMode, error) {
	switch m := TLSMode(s); m {
	case "":
		return TLSStartTLS, nil
	case TLSStartTLS, TLSStartTLSRequired, TLSImplicit, TLSNone:
		return m, nil
	}
	return "", fmt.Errorf("SMTP_TLS must be starttls, starttls-required, tls or none, got %q", s)
}

// DefaultPort is the submission port used with STARTTLS (SMTP_PORT).
const DefaultPort = 587

// DefaultTimeout bounds one whole Send, connection included.
const DefaultTimeout = 30 * time.Second

// SMTPConfig configures an SMTP sender.
type SMTPConfig struct {
	Host     string
	Port     int // 0: 587, or 465 with TLSImplicit
	Username string
	Password string
	From     string // "SABC <noreply@example.org>" or a bare address
	TLS      TLSMode
	Timeout  time.Duration // 0: DefaultTimeout
	// MaxRecipients caps envelope recipients per SMTP transaction; larger
	// Bcc lists go out as several transactions on one connection (relays
	// limit this: Amazon SES 50, Gmail 100). 0: DefaultMaxRecipients.
	MaxRecipients int
	// TLSConfig overrides the TLS settings (tests, private CAs).
	TLSConfig *tls.Config
}

// DefaultMaxRecipients suits the strictest common relay (Amazon SES).
const DefaultMaxRecipients = 50

// SMTP sends through an SMTP relay. Each Send uses its own connection, so
// it is safe for concurrent use and a broken connection never affects the
// next message; a club's volume does not justify pooling.
type SMTP struct {
	cfg  SMTPConfig
	opts []gomail.Option
}

// NewSMTP validates cfg and returns a sender. It does not connect.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.Host == "" {
		return nil, errors.New("mail: SMTP_HOST is empty")
	}
	if cfg.From == "" {
		return nil, errors.New("mail: SMTP_FROM is required when SMTP_HOST is set")
	}
	if _, err := netmail.ParseAddress(cfg.From); err != nil {
		return nil, fmt.Errorf("mail: SMTP_FROM %q: %w", cfg.From, err)
	}
	mode, err := ParseTLSMode(string(cfg.TLS))
	if err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	cfg.TLS = mode
	if cfg.Port == 0 {
		cfg.Port = DefaultPort
		if mode == TLSImplicit {
			cfg.Port = gomail.DefaultPortSSL
		}
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("mail: SMTP_PORT %d out of range", cfg.Port)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRecipients <= 0 {
		cfg.MaxRecipients = DefaultMaxRecipients
	}
	if cfg.TLSConfig == nil {
		cfg.TLSConfig = &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	}

	opts := []gomail.Option{
		gomail.WithPort(cfg.Port),
		gomail.WithTimeout(cfg.Timeout), // per command, on top of the whole-send deadline
		gomail.WithTLSConfig(cfg.TLSConfig),
	}
	switch mode {
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSStartTLSRequired:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit, TLSNone:
		// Implicit TLS is done by our dialer (see Send); go-mail must not
		// try STARTTLS on top of it.
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if cfg.Username != "" {
		// Strongest first. PLAIN/LOGIN come after the challenge mechanisms
		// and are refused by go-mail on an unencrypted non-local connection.
		opts = append(opts, gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password),
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1,
				gomail.SMTPAuthPlain, gomail.SMTPAuthLogin, gomail.SMTPAuthCramMD5))
	}
	return &SMTP{cfg: cfg, opts: opts}, nil
}

// Addr returns host:port (for logs; the password is never exposed).
func (s *SMTP) Addr() string { return net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)) }

// Send delivers m to every To and Bcc address over one connection, in
// batches of at most MaxRecipients (see batches). The whole exchange is
// bounded by the SMTP timeout and by ctx: when either ends, the socket is
// closed, which interrupts any blocked read or write. If a later batch
// fails, earlier ones were delivered; the error says how far it got, and
// retrying the whole Message would send those recipients a second copy.
func (s *SMTP) Send(ctx context.Context, m Message) (err error) {
	parts := batches(m, s.cfg.MaxRecipients)
	msgs := make([]*gomail.Msg, len(parts))
	for i, p := range parts {
		if msgs[i], err = buildMsg(s.cfg.From, p); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()

	// A client per Send: go-mail's Client keeps per-connection auth state,
	// so sharing one across goroutines would race.
	var (
		conn net.Conn
		stop func() bool
	)
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		var d interface {
			DialContext(context.Context, string, string) (net.Conn, error)
		} = &net.Dialer{}
		if s.cfg.TLS == TLSImplicit {
			d = &tls.Dialer{Config: s.cfg.TLSConfig}
		}
		c, err := d.DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		conn = c
		// The outer ctx, not dctx: go-mail cancels dctx as soon as it has dialled.
		stop = context.AfterFunc(ctx, func() { _ = c.Close() })
		return c, nil
	}
	defer func() {
		if stop != nil {
			stop()
		}
		if conn != nil {
			_ = conn.Close()
		}
	}()

	client, err := gomail.NewClient(s.cfg.Host, append(s.opts[:len(s.opts):len(s.opts)],
		gomail.WithDialContextFunc(dial))...)
	if err != nil {
		return fmt.Errorf("mail: smtp client: %w", err)
	}
	wrap := func(step string, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return fmt.Errorf("mail: smtp %s %s: %w (%v)", step, s.Addr(), cerr, err)
		}
		return fmt.Errorf("mail: smtp %s %s: %w", step, s.Addr(), err)
	}
	sc, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return wrap("connect", err)
	}
	for i, msg := range msgs {
		if err := client.SendWithSMTPClient(sc, msg); err != nil {
			return wrap(fmt.Sprintf("send (batch %d of %d; earlier batches were delivered)", i+1, len(msgs)), err)
		}
	}
	// The message is accepted at this point; a failed QUIT changes nothing.
	_ = client.CloseWithSMTPClient(sc)
	return nil
}

// batches splits a large list send. The first batch carries the To
// recipients and fills up with Bcc; later batches are Bcc only, so To
// recipients get exactly one copy (and those later copies have no To
// header, which RFC 5322 allows). For list sends, leaving To empty makes
// every copy identical.
func batches(m Message, limit int) []Message {
	if len(m.To)+len(m.Bcc) <= limit || len(m.Bcc) == 0 {
		return []Message{m}
	}
	first := max(limit-len(m.To), 0)
	if first > len(m.Bcc) {
		first = len(m.Bcc)
	}
	head := m
	head.Bcc = m.Bcc[:first]
	out := []Message{}
	if len(head.To)+len(head.Bcc) > 0 {
		out = append(out, head)
	}
	for rest := m.Bcc[first:]; len(rest) > 0; {
		n := min(limit, len(rest))
		b := m
		b.To, b.Bcc = nil, rest[:n]
		out = append(out, b)
		rest = rest[n:]
	}
	return out
}
