package obs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"sabc/internal/mail"
)

// DefaultAlertWindows are the per-fingerprint quiet periods after an alert.
var DefaultAlertWindows = map[Severity]time.Duration{
	Critical: time.Minute,
	High:     10 * time.Minute,
	Medium:   30 * time.Minute,
	Low:      60 * time.Minute,
}

// DefaultAlertsPerHour is the global cap on alert mails per hour.
const DefaultAlertsPerHour = 20

// AlertConfig configures NewAlerter.
type AlertConfig struct {
	Mailer      mail.Mailer
	Recipients  []string                   // ALERT_EMAILS; empty disables alerts
	Windows     map[Severity]time.Duration // nil: DefaultAlertWindows
	MaxPerHour  int                        // 0: DefaultAlertsPerHour
	Now         func() time.Time           // nil: time.Now
	Logger      *slog.Logger               // nil: slog.Default()
	Environment string                     // shown in the subject
	QueueSize   int                        // 0: 100 pending mails
}

// Alerter mails error alerts to the recipients, throttled per fingerprint
// by severity window and globally per hour. Mails are sent by one
// background goroutine so a slow SMTP server never holds a request; Flush
// waits for the queue (tests, shutdown).
type Alerter struct {
	cfg AlertConfig

	mu    sync.Mutex
	state map[string]*alertState
	sent  []time.Time // send times within the last hour, for the global cap

	queue   chan mail.Message
	pending int        // queued or being sent; guarded by mu
	idle    *sync.Cond // signalled when pending drops to 0
	done    chan struct{}
	closed  bool
}

type alertState struct {
	lastSent   time.Time // zero: never sent
	window     time.Duration
	suppressed int // occurrences not mailed since lastSent
}

// NewAlerter starts the sender goroutine; Close stops it.
func NewAlerter(cfg AlertConfig) *Alerter {
	if cfg.Windows == nil {
		cfg.Windows = DefaultAlertWindows
	}
	if cfg.MaxPerHour <= 0 {
		cfg.MaxPerHour = DefaultAlertsPerHour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = 100
	}
	a := &Alerter{cfg: cfg, state: map[string]*alertState{},
		queue: make(chan mail.Message, cfg.QueueSize), done: make(chan struct{})}
	a.idle = sync.NewCond(&a.mu)
	go a.run()
	return a
}

func (a *Alerter) run() {
	defer close(a.done)
	for m := range a.queue {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := a.cfg.Mailer.Send(ctx, m); err != nil {
			a.cfg.Logger.Error("alert mail failed", "subject", m.Subject, "error", err)
		}
		cancel()
		a.mu.Lock()
		a.pending--
		if a.pending == 0 {
			a.idle.Broadcast()
		}
		a.mu.Unlock()
	}
}

// Flush waits until every queued alert has been handed to the mailer.
func (a *Alerter) Flush() {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for a.pending > 0 {
		a.idle.Wait()
	}
}

// Close sends what is queued and stops the sender.
func (a *Alerter) Close() {
	if a == nil {
		return
	}
	a.mu.Lock()
	if !a.closed {
		a.closed = true
		close(a.queue)
	}
	a.mu.Unlock()
	<-a.done
}

func (a *Alerter) window(s Severity) time.Duration {
	if w, ok := a.cfg.Windows[s]; ok {
		return w
	}
	return DefaultAlertWindows[Low]
}

// Notify decides whether g's occurrence is mailed now and, if so, queues
// the mail. It reports whether a mail was queued. It never blocks: when
// the queue is full the alert is dropped and logged.
func (a *Alerter) Notify(g Group) bool {
	if a == nil || a.cfg.Mailer == nil || len(a.cfg.Recipients) == 0 {
		return false
	}
	now := a.cfg.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return false
	}
	st := a.state[g.Fingerprint]
	if st == nil {
		st = &alertState{}
		a.state[g.Fingerprint] = st
	}
	if !st.lastSent.IsZero() && now.Sub(st.lastSent) < a.window(g.Severity) {
		st.suppressed++
		return false
	}
	a.pruneLocked(now)
	if len(a.sent) >= a.cfg.MaxPerHour {
		// Counted for this fingerprint so its next mail reports it.
		st.suppressed++
		a.cfg.Logger.Warn("alert suppressed by hourly cap", "fingerprint", g.Fingerprint,
			"cap", a.cfg.MaxPerHour)
		return false
	}
	msg := a.message(g, st.suppressed)
	select {
	case a.queue <- msg:
		a.pending++ // under mu, which run needs to decrement: no race
	default:
		st.suppressed++
		a.cfg.Logger.Error("alert queue full: alert dropped", "fingerprint", g.Fingerprint)
		return false
	}
	st.lastSent, st.window, st.suppressed = now, a.window(g.Severity), 0
	a.sent = append(a.sent, now)
	return true
}

// pruneLocked forgets sends older than an hour and fingerprints whose
// window has passed with nothing suppressed, bounding memory.
func (a *Alerter) pruneLocked(now time.Time) {
	keep := a.sent[:0]
	for _, t := range a.sent {
		if now.Sub(t) < time.Hour {
			keep = append(keep, t)
		}
	}
	a.sent = keep
	if len(a.state) < 1000 {
		return
	}
	for fp, st := range a.state {
		if st.suppressed == 0 && now.Sub(st.lastSent) >= st.window {
			delete(a.state, fp)
		}
	}
}

func (a *Alerter) message(g Group, suppressed int) mail.Message {
	env := a.cfg.Environment
	if env == "" {
		env = "sabc"
	}
	subject := fmt.Sprintf("[%s %s] %s", env, g.Severity, oneLine(g.Sample, 120))
	if suppressed > 0 {
		subject += fmt.Sprintf(" (+%d suppressed)", suppressed)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Severity:    %s\n", g.Severity)
	fmt.Fprintf(&b, "Error:       %s\n", g.Sample)
	fmt.Fprintf(&b, "Type:        %s\n", g.Type)
	fmt.Fprintf(&b, "Location:    %s\n", g.Location)
	fmt.Fprintf(&b, "Fingerprint: %s\n", g.Fingerprint)
	fmt.Fprintf(&b, "Time:        %s\n", g.LastSeen.UTC().Format(time.RFC3339))
	c := g.Context
	if c.Operation != "" {
		fmt.Fprintf(&b, "Operation:   %s\n", c.Operation)
	}
	if c.Route != "" {
		fmt.Fprintf(&b, "Route:       %s\n", c.Route)
	}
	if c.RequestID != "" {
		fmt.Fprintf(&b, "Request ID:  %s\n", c.RequestID)
	}
	if c.UserID != 0 {
		fmt.Fprintf(&b, "User ID:     %d\n", c.UserID)
	}
	fmt.Fprintf(&b, "Queries:     %d (%.1f ms)\n", c.QueryCount, c.QueryMS)
	if c.Release != "" {
		fmt.Fprintf(&b, "Release:     %s\n", c.Release)
	}
	fmt.Fprintf(&b, "\n%d similar alerts suppressed since the last one for this error.\n", suppressed)
	fmt.Fprintf(&b, "Further alerts for this error are held for %s.\n", a.window(g.Severity))
	return mail.Message{To: a.cfg.Recipients, Subject: subject, Text: b.String()}
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}
