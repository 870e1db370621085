// Package obs owns observability for sabc: structured logging with
// redaction, request ids, the database query hook (per-request counts,
// slow-query log, metrics), the per-request access log and timing headers,
// Prometheus metrics, error tracking with throttled email alerts, panic
// recovery, and the health endpoints.
//
// Every piece is a small value the caller builds and wires; nothing here
// reads global state except slog.Default as a last-resort logger. The
// intended middleware order, outermost first, is:
//
//	RequestIDMiddleware → (*Monitor).Middleware → Recover → session → CaptureRoute(mux)
//
// so the access log sees the final status of a recovered panic, and the
// route pattern set by the mux is visible to the outer layers.
// docs/operations.md lists every log field, metric, check and setting.
package obs
