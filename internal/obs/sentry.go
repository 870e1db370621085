package obs

import (
	"fmt"
	"time"

	"github.com/getsentry/sentry-go"
)

// NewSentry returns a Tracker Forward function sending captured groups to
// Sentry (SENTRY_DSN), and a flush to call at shutdown. Only what the error
// page shows leaves the process: the redacted sample, type, location,
// severity, route and request id. No user, cookies, headers, query
// arguments or server name are sent (BeforeSend scrubs them again in case
// the SDK adds any).
func NewSentry(dsn, environment, release string) (forward func(Group), flush func(), err error) {
	client, err := sentry.NewClient(sentry.ClientOptions{
		Dsn: dsn, Environment: environment, Release: release,
		SendDefaultPII: false, ServerName: "-",
		BeforeSend: func(e *sentry.Event, _ *sentry.EventHint) *sentry.Event {
			e.User = sentry.User{}
			e.Request = nil
			e.ServerName = ""
			e.Breadcrumbs = nil
			return e
		},
	})
	if err != nil {
		return nil, nil, fmt.Errorf("SENTRY_DSN: %w", err)
	}
	forward = func(g Group) {
		e := sentry.NewEvent()
		e.Level = sentryLevel(g.Severity)
		e.Message = g.Sample
		e.Fingerprint = []string{g.Fingerprint}
		e.Exception = []sentry.Exception{{Type: g.Type, Value: g.Sample, Module: g.Location}}
		e.Tags = map[string]string{"route": g.Context.Route, "request_id": g.Context.RequestID,
			"operation": g.Context.Operation, "location": g.Location}
		client.CaptureEvent(e, nil, nil)
	}
	flush = func() { client.Flush(2 * time.Second) }
	return forward, flush, nil
}

func sentryLevel(s Severity) sentry.Level {
	switch s {
	case Critical:
		return sentry.LevelFatal
	case High:
		return sentry.LevelError
	case Medium:
		return sentry.LevelWarning
	}
	return sentry.LevelInfo
}
