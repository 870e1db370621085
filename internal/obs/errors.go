package obs

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Severity ranks captured errors; it picks the alert window.
type Severity string

// Severities, most urgent first.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
)

// ErrorContext is what was happening when an error was captured.
type ErrorContext struct {
	Operation  string  `json:"operation,omitempty"` // Wrap's name
	Method     string  `json:"method,omitempty"`
	Route      string  `json:"route,omitempty"`
	RequestID  string  `json:"request_id,omitempty"`
	UserID     int64   `json:"user_id,omitempty"`
	QueryCount int     `json:"query_count"`
	QueryMS    float64 `json:"query_ms"`
	Release    string  `json:"release,omitempty"`
}

// Group is one fingerprint's aggregate: what the admin error page lists.
type Group struct {
	Fingerprint string       `json:"fingerprint"`
	Type        string       `json:"type"`     // innermost error type, e.g. *fs.PathError
	Location    string       `json:"location"` // module-relative file:line
	Message     string       `json:"message"`  // normalized message
	Sample      string       `json:"sample"`   // last raw message, credentials removed
	Severity    Severity     `json:"severity"`
	Count       int64        `json:"count"`
	FirstSeen   time.Time    `json:"first_seen"`
	LastSeen    time.Time    `json:"last_seen"`
	Context     ErrorContext `json:"context"` // last occurrence's context
	Resolved    bool         `json:"resolved"`
}

// ErrorStore persists groups; the SQL store implements it so every replica
// aggregates into the same rows.
type ErrorStore interface {
	// UpsertGroup records an occurrence. For a new fingerprint it stores g
	// as given. For a known one it adds g.Count to the stored count, keeps
	// the stored FirstSeen, replaces LastSeen, Sample, Severity and
	// Context with g's, and clears Resolved: an error that comes back after
	// being resolved must be seen again.
	UpsertGroup(ctx context.Context, g Group) error
	// ListGroups returns groups, most recently seen first.
	ListGroups(ctx context.Context, includeResolved bool) ([]Group, error)
	// Resolve marks a group resolved (it reopens on its next occurrence).
	Resolve(ctx context.Context, fingerprint string) error
}

// MemoryErrorStore is an in-process ErrorStore for tests and for running
// without a database.
type MemoryErrorStore struct {
	mu     sync.Mutex
	groups map[string]*Group
}

// NewMemoryErrorStore returns an empty store.
func NewMemoryErrorStore() *MemoryErrorStore {
	return &MemoryErrorStore{groups: map[string]*Group{}}
}

// UpsertGroup implements ErrorStore.
func (s *MemoryErrorStore) UpsertGroup(_ context.Context, g Group) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.groups[g.Fingerprint]; ok {
		g.Count += old.Count
		g.FirstSeen = old.FirstSeen
	}
	g.Resolved = false
	s.groups[g.Fingerprint] = &g
	return nil
}

// ListGroups implements ErrorStore.
func (s *MemoryErrorStore) ListGroups(_ context.Context, includeResolved bool) ([]Group, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Group
	for _, g := range s.groups {
		if includeResolved || !g.Resolved {
			out = append(out, *g)
		}
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(b.LastSeen.Compare(a.LastSeen), strings.Compare(a.Fingerprint, b.Fingerprint))
	})
	return out, nil
}

// Resolve implements ErrorStore.
func (s *MemoryErrorStore) Resolve(_ context.Context, fingerprint string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[fingerprint]
	if !ok {
		return fmt.Errorf("error group %q not found", fingerprint)
	}
	g.Resolved = true
	return nil
}

// TrackerConfig configures NewTracker.
type TrackerConfig struct {
	Store   ErrorStore   // nil: a MemoryErrorStore
	Logger  *slog.Logger // nil: slog.Default()
	Metrics *Metrics
	Alerter *Alerter // nil: no email alerts
	LogFile string   // ERROR_LOG_FILE: JSON lines appended; "" disables
	Release string   // version, recorded in every context
	// Forward, when set, also sends each captured group elsewhere (Sentry,
	// see NewSentry). It gets the redacted sample, never the raw message.
	Forward func(Group)
	Now     func() time.Time
}

// Tracker captures errors: fingerprint, store, error log file, metrics,
// alert. Safe for concurrent use.
type Tracker struct {
	cfg  TrackerConfig
	mu   sync.Mutex // serializes file writes
	file *os.File
}

// NewTracker opens the error log file (when configured) and returns the
// tracker. Close it at shutdown.
func NewTracker(cfg TrackerConfig) (*Tracker, error) {
	if cfg.Store == nil {
		cfg.Store = NewMemoryErrorStore()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	t := &Tracker{cfg: cfg}
	if cfg.LogFile != "" {
		f, err := os.OpenFile(cfg.LogFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open error log: %w", err)
		}
		t.file = f
	}
	return t, nil
}

// Store returns the group store (for the admin error page).
func (t *Tracker) Store() ErrorStore { return t.cfg.Store }

// Close closes the error log file.
func (t *Tracker) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.file == nil {
		return nil
	}
	err := t.file.Close()
	t.file = nil
	return err
}

// Capture records err with severity sev, located at Capture's caller, and
// returns the group occurrence. A nil err is ignored.
func (t *Tracker) Capture(ctx context.Context, err error, sev Severity) Group {
	if err == nil || notServerError(ctx, err) {
		return Group{}
	}
	return t.capture(ctx, errorType(err), callerLocation(3), err.Error(), sev, "")
}

// Wrap runs fn and captures its error under name with severity sev; the
// location is Wrap's caller. The error is returned unchanged.
func (t *Tracker) Wrap(ctx context.Context, name string, sev Severity, fn func() error) error {
	err := fn()
	if err != nil && !notServerError(ctx, err) {
		t.capture(ctx, errorType(err), callerLocation(3), err.Error(), sev, name)
	}
	return err
}

// notServerError: a request the client cancelled (it went away while we
// waited on the database or a shared cache fill) is not a bug and must
// never become an error group or an alert mail. It is logged at debug.
func notServerError(ctx context.Context, err error) bool {
	if !ClientGone(ctx, err) {
		return false
	}
	slog.Default().DebugContext(ctx, "cancelled by the client; not captured", "error", err)
	return true
}

func (t *Tracker) capture(ctx context.Context, typ, loc, msg string, sev Severity, op string) Group {
	now := t.cfg.Now()
	norm := NormalizeMessage(msg)
	g := Group{
		Fingerprint: Fingerprint(typ, loc, norm),
		Type:        typ, Location: loc, Message: norm, Sample: RedactString(msg),
		Severity: sev, Count: 1, FirstSeen: now, LastSeen: now,
		Context: t.errorContext(ctx, op),
	}
	t.cfg.Metrics.CountError(sev)
	t.cfg.Logger.ErrorContext(ctx, "error captured", "severity", string(sev), "fingerprint", g.Fingerprint,
		"type", typ, "location", loc, "error", g.Sample, "operation", op)
	t.appendFile(g)
	// A cancelled request must still be recorded; a database outage must
	// not hold the request for long.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := t.cfg.Store.UpsertGroup(sctx, g); err != nil {
		t.cfg.Logger.WarnContext(ctx, "error store failed", "error", err)
	}
	t.cfg.Alerter.Notify(g)
	if t.cfg.Forward != nil {
		t.cfg.Forward(g)
	}
	return g
}

func (t *Tracker) errorContext(ctx context.Context, op string) ErrorContext {
	ec := ErrorContext{Operation: op, RequestID: RequestID(ctx), Release: t.cfg.Release}
	if info := infoFrom(ctx); info != nil {
		ec.Route = info.getRoute()
		ec.UserID = info.userID.Load()
	}
	if st := QueryStatsFrom(ctx); st != nil {
		ec.QueryCount, ec.QueryMS = st.Count(), ms(st.Duration())
	}
	return ec
}

func (t *Tracker) appendFile(g Group) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.file == nil {
		return
	}
	line, err := json.Marshal(struct {
		Time time.Time `json:"time"`
		Group
	}{g.LastSeen, g})
	if err == nil {
		_, err = t.file.Write(append(line, '\n'))
	}
	if err != nil {
		t.cfg.Logger.Warn("error log write failed", "error", err)
	}
}

// errorType names the first error in the chain that is not a plain
// fmt/errors wrapper: adding context with fmt.Errorf must not change the
// group, while a typed error (*fs.PathError) keeps its own type rather than
// that of the sentinel it wraps.
func errorType(err error) string {
	for {
		typ := reflect.TypeOf(err).String()
		var next error
		switch typ {
		case "*fmt.wrapError", "*fmt.wrapErrors", "*errors.joinError":
			switch u := err.(type) {
			case interface{ Unwrap() error }:
				next = u.Unwrap()
			case interface{ Unwrap() []error }:
				if es := u.Unwrap(); len(es) > 0 {
					next = es[0]
				}
			}
		}
		if next == nil {
			return typ
		}
		err = next
	}
}

// callerLocation returns the frame skip levels up as module-relative
// file:line (see frameLocation).
func callerLocation(skip int) string {
	pcs := make([]uintptr, 1)
	if runtime.Callers(skip, pcs) == 0 {
		return "unknown"
	}
	f, _ := runtime.CallersFrames(pcs).Next()
	return frameLocation(f)
}

// frameLocation builds "sabc/internal/web/results.go:42" from the
// function's package path and the file's base name, so locations (and
// fingerprints) are the same whatever directory the binary was built in,
// and no absolute path ends up in the store, mails or pages.
func frameLocation(f runtime.Frame) string {
	file := f.File[strings.LastIndexByte(f.File, '/')+1:]
	pkg := f.Function
	// "sabc/internal/web.(*Server).save" → "sabc/internal/web"
	slash := strings.LastIndexByte(pkg, '/')
	if dot := strings.IndexByte(pkg[slash+1:], '.'); dot >= 0 {
		pkg = pkg[:slash+1+dot]
	}
	if pkg == "" {
		return fmt.Sprintf("%s:%d", file, f.Line)
	}
	return fmt.Sprintf("%s/%s:%d", pkg, file, f.Line)
}

var (
	reQuoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`")
	reUUID   = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	reHex    = regexp.MustCompile(`\b(?:0x)?[0-9a-fA-F]{8,}\b`)
	reEmail  = regexp.MustCompile(`[^\s@<>"']+@[^\s@<>"']+\.[A-Za-z]{2,}`)
	reNumber = regexp.MustCompile(`\d+(?:\.\d+)?`)
)

// NormalizeMessage replaces the parts of an error message that vary
// between occurrences of the same bug — quoted strings, UUIDs, hex ids,
// emails, numbers — so they group together.
func NormalizeMessage(msg string) string {
	msg = reQuoted.ReplaceAllString(msg, "?")
	msg = reUUID.ReplaceAllString(msg, "<uuid>")
	msg = reEmail.ReplaceAllString(msg, "<email>")
	msg = reHex.ReplaceAllStringFunc(msg, func(s string) string {
		if !strings.ContainsAny(s, "0123456789") { // a word like "deadline", not an id
			return s
		}
		return "<hex>"
	})
	return reNumber.ReplaceAllString(msg, "N")
}

// Fingerprint hashes the grouping key.
func Fingerprint(typ, location, normalized string) string {
	sum := sha256.Sum256([]byte(typ + "\x00" + location + "\x00" + normalized))
	return hex.EncodeToString(sum[:8])
}

// WithTracker stores t in ctx for Wrap and Capture (Monitor does it for
// requests; jobs do it for runs).
func WithTracker(ctx context.Context, t *Tracker) context.Context {
	return context.WithValue(ctx, trackerKey, t)
}

// TrackerFrom returns the tracker in ctx, or nil.
func TrackerFrom(ctx context.Context) *Tracker {
	t, _ := ctx.Value(trackerKey).(*Tracker)
	return t
}

// Wrap is the error_tracking helper: it runs fn and captures its error
// with the tracker in ctx (only logged when there is none). The error is
// returned unchanged.
func Wrap(ctx context.Context, name string, sev Severity, fn func() error) error {
	err := fn()
	if err == nil || notServerError(ctx, err) {
		return err
	}
	if t := TrackerFrom(ctx); t != nil {
		t.capture(ctx, errorType(err), callerLocation(3), err.Error(), sev, name)
	} else {
		slog.Default().ErrorContext(ctx, "operation failed", "operation", name,
			"severity", string(sev), "error", err)
	}
	return err
}

// Capture records err with the tracker in ctx (only logged when none).
func Capture(ctx context.Context, err error, sev Severity) {
	if err == nil || notServerError(ctx, err) {
		return
	}
	if t := TrackerFrom(ctx); t != nil {
		t.capture(ctx, errorType(err), callerLocation(3), err.Error(), sev, "")
	} else {
		slog.Default().ErrorContext(ctx, "error", "severity", string(sev), "error", err)
	}
}

// Time logs how long an expensive operation took:
//
//	defer obs.Time(ctx, "score tournament")()
func Time(ctx context.Context, name string) func() {
	start := time.Now()
	return func() {
		l := slog.Default()
		if t := TrackerFrom(ctx); t != nil {
			l = t.cfg.Logger
		}
		l.InfoContext(ctx, "timing", "operation", name, "duration_ms", ms(time.Since(start)))
	}
}
