package obs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"sabc/internal/mail"
)

// Status is a check's or the whole app's health.
type Status string

// Health states, best first.
const (
	StatusHealthy   Status = "healthy"
	StatusDegraded  Status = "degraded"
	StatusUnhealthy Status = "unhealthy"
)

// DefaultCheckTimeout bounds a check without its own Timeout.
const DefaultCheckTimeout = time.Second

// Check is one health check. Critical checks make the app unhealthy when
// they fail; others make it degraded. Readiness checks also gate
// /health/readiness/: there, only an unhealthy result fails, so a cache
// check that reports degraded (the app still serves from L1 and the
// database) keeps the replica in the load balancer.
type Check struct {
	Name      string
	Critical  bool
	Readiness bool
	Timeout   time.Duration // 0: DefaultCheckTimeout
	Check     func(ctx context.Context) (Status, string)
}

// CheckResult is one check's outcome in a report.
type CheckResult struct {
	Status         Status  `json:"status"`
	ResponseTimeMS float64 `json:"response_time_ms"`
	Message        string  `json:"message,omitempty"`
	Critical       bool    `json:"critical"`
}

// Report is the /health/ document.
type Report struct {
	Status        Status                 `json:"status"`
	Checks        map[string]CheckResult `json:"checks"`
	Version       string                 `json:"version"`
	Uptime        string                 `json:"uptime"`
	UptimeSeconds int64                  `json:"uptime_seconds"`
	Environment   string                 `json:"environment"`
	ShuttingDown  bool                   `json:"shutting_down,omitempty"`
}

// HealthConfig configures NewHealth.
type HealthConfig struct {
	Version     string
	Environment string
	// Authorized says whether a caller sees check messages (metrics token
	// or admin session). nil: nobody does.
	Authorized func(*http.Request) bool
	Logger     *slog.Logger     // nil: slog.Default()
	Now        func() time.Time // nil: time.Now
}

// Health runs registered checks and serves the health endpoints.
type Health struct {
	cfg      HealthConfig
	started  time.Time
	shutting atomic.Bool

	mu     sync.Mutex
	checks []Check
	last   Status // last state seen by AlertOnChange
}

// NewHealth returns a Health with no checks.
func NewHealth(cfg HealthConfig) *Health {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Health{cfg: cfg, started: cfg.Now(), last: StatusHealthy}
}

// Register adds checks. Names must be unique; a later one replaces.
func (h *Health) Register(cs ...Check) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range cs {
		h.checks = slices.DeleteFunc(h.checks, func(o Check) bool { return o.Name == c.Name })
		h.checks = append(h.checks, c)
	}
}

// SetShuttingDown makes readiness answer 503 from now on, so the load
// balancer stops sending traffic while in-flight requests drain.
func (h *Health) SetShuttingDown() { h.shutting.Store(true) }

// ShuttingDown reports whether SetShuttingDown was called.
func (h *Health) ShuttingDown() bool { return h.shutting.Load() }

// Run executes the checks (all, or only readiness ones) concurrently, each
// under its timeout, and returns the report with the overall state.
func (h *Health) Run(ctx context.Context, readinessOnly bool) Report {
	h.mu.Lock()
	checks := slices.Clone(h.checks)
	h.mu.Unlock()
	results := make([]CheckResult, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		if readinessOnly && !c.Readiness {
			continue
		}
		wg.Go(func() { results[i] = runCheck(ctx, c) })
	}
	wg.Wait()
	now := h.cfg.Now()
	rep := Report{Status: StatusHealthy, Checks: map[string]CheckResult{}, Version: h.cfg.Version,
		Environment: h.cfg.Environment, ShuttingDown: h.ShuttingDown()}
	up := now.Sub(h.started).Truncate(time.Second)
	rep.Uptime, rep.UptimeSeconds = up.String(), int64(up.Seconds())
	for i, c := range checks {
		if readinessOnly && !c.Readiness {
			continue
		}
		r := results[i]
		rep.Checks[c.Name] = r
		switch {
		case r.Status == StatusHealthy:
		case c.Critical && r.Status == StatusUnhealthy:
			rep.Status = StatusUnhealthy
		case rep.Status == StatusHealthy:
			rep.Status = StatusDegraded
		}
	}
	return rep
}

// runCheck runs c with its timeout. A check that overruns is reported
// unhealthy at the deadline; its goroutine ends when the check returns
// (checks should honour ctx). A panicking check is unhealthy too.
func runCheck(ctx context.Context, c Check) CheckResult {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultCheckTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	done := make(chan CheckResult, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- CheckResult{Status: StatusUnhealthy, Message: fmt.Sprint("check panicked: ", p)}
			}
		}()
		s, msg := c.Check(ctx)
		done <- CheckResult{Status: s, Message: msg}
	}()
	var r CheckResult
	select {
	case r = <-done:
	case <-ctx.Done():
		r = CheckResult{Status: StatusUnhealthy, Message: "timed out after " + timeout.String()}
	}
	if r.Status != StatusHealthy && r.Status != StatusDegraded {
		r.Status = StatusUnhealthy
	}
	r.ResponseTimeMS = ms(time.Since(start))
	r.Critical = c.Critical
	return r
}

// LivenessHandler answers 200 "OK" while the process can serve HTTP at
// all; it checks no dependency, so a database outage never restarts pods.
func (h *Health) LivenessHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plain(w, http.StatusOK, "OK")
	})
}

// ReadinessHandler answers 200 "OK", or 503 with the failing checks'
// names only (or "shutting down").
func (h *Health) ReadinessHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.ShuttingDown() {
			plain(w, http.StatusServiceUnavailable, "shutting down")
			return
		}
		rep := h.Run(r.Context(), true)
		var failed []string
		for name, c := range rep.Checks {
			if c.Status == StatusUnhealthy {
				failed = append(failed, name)
			}
		}
		if len(failed) > 0 {
			slices.Sort(failed)
			plain(w, http.StatusServiceUnavailable, strings.Join(failed, ","))
			return
		}
		plain(w, http.StatusOK, "OK")
	})
}

// DetailedHandler serves the JSON report: 200 when healthy or degraded,
// 503 when unhealthy. Anonymous callers get statuses and timings only —
// messages can hold error text and paths.
func (h *Health) DetailedHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep := h.Run(r.Context(), false)
		if h.cfg.Authorized == nil || !h.cfg.Authorized(r) {
			for name, c := range rep.Checks {
				c.Message = ""
				rep.Checks[name] = c
			}
		}
		status := http.StatusOK
		if rep.Status == StatusUnhealthy {
			status = http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	})
}

func plain(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = fmt.Fprintln(w, body)
}

// Watch runs AlertOnChange every interval until ctx ends. In a cluster,
// run it from the leader-only job scheduler, or call AlertOnChange from a
// scheduled job directly.
func (h *Health) Watch(ctx context.Context, interval time.Duration, mailer mail.Mailer, recipients []string) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		h.AlertOnChange(ctx, mailer, recipients)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// AlertOnChange runs all checks and mails recipients when the overall
// state differs from the previous run (the first run compares against
// healthy). It returns the report and whether the state changed.
func (h *Health) AlertOnChange(ctx context.Context, mailer mail.Mailer, recipients []string) (Report, bool) {
	rep := h.Run(ctx, false)
	h.mu.Lock()
	prev := h.last
	h.last = rep.Status
	h.mu.Unlock()
	if prev == rep.Status {
		return rep, false
	}
	h.cfg.Logger.WarnContext(ctx, "health state changed", "from", string(prev), "to", string(rep.Status))
	if mailer != nil && len(recipients) > 0 {
		msg := mail.Message{To: recipients, Subject: healthSubject(h.cfg.Environment, prev, rep.Status),
			Text: healthText(rep)}
		if err := mailer.Send(ctx, msg); err != nil {
			h.cfg.Logger.ErrorContext(ctx, "health alert mail failed", "error", err)
		}
	}
	return rep, true
}

func healthSubject(env string, from, to Status) string {
	if env == "" {
		env = "sabc"
	}
	return fmt.Sprintf("[%s health] %s → %s", env, from, to)
}

// healthText is for the alert recipients (admins): full messages.
func healthText(rep Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Overall: %s\nVersion: %s\nUptime: %s\n\n", rep.Status, rep.Version, rep.Uptime)
	names := make([]string, 0, len(rep.Checks))
	for n := range rep.Checks {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		c := rep.Checks[n]
		fmt.Fprintf(&b, "%-13s %-9s %7.1f ms  %s\n", n, c.Status, c.ResponseTimeMS, c.Message)
	}
	return b.String()
}
