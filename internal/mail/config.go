package mail

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// ErrNotConfigured is what every Send returns in production when no SMTP
// relay is configured. The web layer can show "email is unavailable" and
// the operator sees what to set.
var ErrNotConfigured = errors.New("email is not configured (set SMTP_HOST)")

// Config chooses and configures the Mailer. The config package fills it
// from SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, SMTP_FROM and
// SMTP_TLS; this package never reads the environment itself.
type Config struct {
	Host     string
	Port     int // 0: 587 (465 for TLS "tls")
	Username string
	Password string
	From     string
	TLS      TLSMode       // "" = starttls (opportunistic)
	Timeout  time.Duration // 0: DefaultTimeout

	// Production turns "no SMTP_HOST" into a mailer that refuses with
	// ErrNotConfigured instead of writing to the outbox folder, so mail
	// can never silently pile up on a server's disk.
	Production bool
	OutboxDir  string // development only; "" = DefaultOutboxDir
	Logger     *slog.Logger
}

// New returns the Mailer cfg asks for:
//   - Host set: SMTP (errors on a bad From/TLS/port, so startup fails loudly);
//   - no Host, development: the outbox folder;
//   - no Host, production: a Mailer whose Send returns ErrNotConfigured
//     (a warning is logged now so the operator hears about it at start).
func New(cfg Config) (Mailer, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	if cfg.Host != "" {
		s, err := NewSMTP(SMTPConfig{
			Host: cfg.Host, Port: cfg.Port, Username: cfg.Username, Password: cfg.Password,
			From: cfg.From, TLS: cfg.TLS, Timeout: cfg.Timeout,
		})
		if err != nil {
			return nil, err
		}
		log.Info("mail via SMTP", "addr", s.Addr(), "tls", string(s.cfg.TLS), "auth", cfg.Username != "")
		return s, nil
	}
	if cfg.Production {
		log.Warn("email is not configured (set SMTP_HOST); password resets and news emails will fail")
		return Unconfigured{}, nil
	}
	return NewOutbox(cfg.OutboxDir, cfg.From, log)
}

// Unconfigured is the production Mailer when SMTP_HOST is unset.
type Unconfigured struct{}

// Send always fails with ErrNotConfigured.
func (Unconfigured) Send(context.Context, Message) error { return ErrNotConfigured }
