package obs

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
)

// RenderError writes the friendly error page. It must not show anything
// but the status and the request id.
type RenderError func(w http.ResponseWriter, r *http.Request, status int, requestID string)

// Recover returns middleware that turns a panic into a captured critical
// error and a 500 page from render (a plain-text page when render is nil).
// When the response has already started, the page cannot be sent, so the
// connection is aborted instead of delivering a truncated page as if it
// were complete. http.ErrAbortHandler passes through untouched.
func Recover(t *Tracker, render RenderError) func(http.Handler) http.Handler {
	if render == nil {
		render = plainErrorPage
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := wrapWriter(w)
			defer func() {
				p := recover()
				if p == nil {
					return
				}
				if p == http.ErrAbortHandler {
					panic(p)
				}
				t.capturePanic(r.Context(), p, debug.Stack())
				if sw.wroteHeader() {
					panic(http.ErrAbortHandler)
				}
				// Headers set by the handler (cache, content type) were for
				// the page that failed.
				keep := map[string]bool{http.CanonicalHeaderKey(RequestIDHeader): true, "Server-Timing": true}
				for k := range sw.Header() {
					if !keep[k] {
						sw.Header().Del(k)
					}
				}
				render(sw, r, http.StatusInternalServerError, RequestID(r.Context()))
			}()
			next.ServeHTTP(sw, r)
		})
	}
}

func plainErrorPage(w http.ResponseWriter, _ *http.Request, status int, id string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "%s\nRequest ID: %s\n", http.StatusText(status), id)
}

// capturePanic records a recovered panic as critical, located where the
// panic happened. A nil tracker still logs the stack.
func (t *Tracker) capturePanic(ctx context.Context, p any, stack []byte) {
	msg := fmt.Sprint(p)
	typ := "panic"
	if err, ok := p.(error); ok {
		typ = "panic " + errorType(err)
	} else {
		typ = fmt.Sprintf("panic %T", p)
	}
	if t == nil {
		fallback, _ := NewTracker(TrackerConfig{})
		t = fallback
	}
	// The stack has absolute paths: it goes to the log only.
	t.cfg.Logger.ErrorContext(ctx, "panic recovered", "panic", RedactString(msg), "stack", string(stack))
	t.capture(ctx, typ, panicLocation(), msg, Critical, "")
}

// panicLocation finds the frame that panicked: the first frame after
// runtime.gopanic that is not in the runtime (nil map writes and index
// errors are raised from runtime helpers).
func panicLocation() string {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	seenPanic := false
	for {
		f, more := frames.Next()
		if seenPanic && !strings.HasPrefix(f.Function, "runtime.") {
			return frameLocation(f)
		}
		if f.Function == "runtime.gopanic" {
			seenPanic = true
		}
		if !more {
			return "unknown"
		}
	}
}
