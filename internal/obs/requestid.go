package obs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"sync/atomic"
)

// RequestIDHeader carries the request id in and out.
const RequestIDHeader = "X-Request-ID"

// requestIDKeyCanonical is RequestIDHeader as http.CanonicalHeaderKey spells
// it, the form Header.Set stores.
const requestIDKeyCanonical = "X-Request-Id"

type ctxKey int

const (
	requestIDKey ctxKey = iota
	infoKey
	queryStatsKey
	trackerKey
)

// RequestIDMiddleware accepts a well-formed incoming X-Request-ID (so a
// load balancer's id links its logs to ours) or mints a new one, echoes it
// in the response and stores it in the context. Malformed ids are replaced
// rather than trusted: they end up in logs and error pages.
func RequestIDMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !ValidRequestID(id) {
			id = NewRequestID()
		}
		w.Header()[requestIDKeyCanonical] = []string{id} // Set, without canonicalising the key each time
		next.ServeHTTP(w, r.WithContext(WithRequestID(r.Context(), id)))
	})
}

// ValidRequestID reports whether id is 8–64 characters of [A-Za-z0-9._-].
func ValidRequestID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

// NewRequestID returns 16 random bytes in hex (32 characters).
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// WithRequestID stores id in ctx (jobs use it to tag a run's log lines).
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id stored in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// requestInfo is a mutable per-request holder placed in the context by the
// outermost obs middleware. Inner layers (session, mux) create derived
// requests whose values the outer layers cannot see; writing through this
// shared pointer is how the user id and route pattern travel back out.
type requestInfo struct {
	userID atomic.Int64
	quiet  atomic.Bool // HideQueryCounts
	mu     sync.Mutex
	route  string
}

func withInfo(ctx context.Context) (context.Context, *requestInfo) {
	if info := infoFrom(ctx); info != nil {
		return ctx, info
	}
	info := &requestInfo{}
	return context.WithValue(ctx, infoKey, info), info
}

func infoFrom(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(infoKey).(*requestInfo)
	return info
}

func (i *requestInfo) getRoute() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.route
}

// SetUserID records the signed-in user for the access log, error context
// and log lines. The session layer calls it once it knows the user.
func SetUserID(ctx context.Context, id int64) {
	if info := infoFrom(ctx); info != nil {
		info.userID.Store(id)
	}
}

// HideQueryCounts keeps this request's query count and database time out of
// the response headers (they still reach the log and metrics). Account
// routes use it: "5 queries" for a known email and "1" for an unknown one
// would tell which addresses have accounts.
func HideQueryCounts(ctx context.Context) {
	if info := infoFrom(ctx); info != nil {
		info.quiet.Store(true)
	}
}

func countsHidden(ctx context.Context) bool {
	info := infoFrom(ctx)
	return info != nil && info.quiet.Load()
}

// SetRoute records the matched route pattern (see CaptureRoute).
func SetRoute(ctx context.Context, pattern string) {
	if info := infoFrom(ctx); info != nil {
		info.mu.Lock()
		info.route = pattern
		info.mu.Unlock()
	}
}

// CaptureRoute wraps the ServeMux. The mux sets r.Pattern on the request it
// is given, which is usually a copy made by an inner middleware, so the
// outer access log could not see it; CaptureRoute copies it into the
// per-request holder — also when the handler panics.
func CaptureRoute(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { SetRoute(r.Context(), r.Pattern) }()
		mux.ServeHTTP(w, r)
	})
}
