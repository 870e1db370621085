package obs_test

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"time"

	"sabc/internal/mail"
	"sabc/internal/obs"
)

// Example_wiring shows how main/web assemble the pieces.
func Example_wiring() {
	ctx := context.Background()
	env, version := "production", "1.4.0"
	logger := obs.NewLogger(env, os.Stderr, slog.LevelInfo)
	slog.SetDefault(logger)
	metrics := obs.NewMetrics(version)

	// One hook around the driver; the store opens its pools through it.
	hook := &obs.QueryHook{Logger: logger, Metrics: metrics, SlowThreshold: 100 * time.Millisecond, Enabled: true}
	db, err := obs.OpenDB("sqlite", "file:sabc.db?_pragma=busy_timeout(10000)", hook)
	if err != nil {
		panic(err)
	}

	mailer := obs.NewTrackedMailer(&mail.Recorder{}) // the real SMTP/outbox mailer in main
	alerts := obs.NewAlerter(obs.AlertConfig{Mailer: mailer, Recipients: []string{"ops@example.org"},
		Logger: logger, Environment: env})
	tracker, err := obs.NewTracker(obs.TrackerConfig{Logger: logger, Metrics: metrics, Alerter: alerts,
		LogFile: "", Release: version}) // Store: the SQL store's ErrorStore
	if err != nil {
		panic(err)
	}

	access := obs.MetricsAccess{Token: os.Getenv("METRICS_TOKEN")}
	health := obs.NewHealth(obs.HealthConfig{Version: version, Environment: env, Logger: logger,
		Authorized: access.Allow}) // || the session says admin
	health.Register(
		obs.PingCheck("database", true, true, db.PingContext),
		obs.EmailCheck(mailer),
		obs.DiskSpaceCheck(os.TempDir(), 0),
		obs.MemoryCheck(0, 0),
	)

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler(access))
	mux.Handle("GET /health/liveness/", health.LivenessHandler())
	mux.Handle("GET /health/readiness/", health.ReadinessHandler())
	mux.Handle("GET /health/{$}", health.DetailedHandler())

	monitor := &obs.Monitor{Logger: logger, Metrics: metrics, Tracker: tracker, Development: env != "production"}
	var handler http.Handler = obs.CaptureRoute(mux)
	// handler = sessions.LoadAndSave(handler)  (calls obs.SetUserID once the user is known)
	handler = obs.Recover(tracker, nil)(handler) // nil: plain page; web passes its template renderer
	handler = monitor.Middleware(handler)
	handler = obs.RequestIDMiddleware(handler)
	_ = &http.Server{Handler: handler}

	go health.Watch(ctx, time.Minute, mailer, []string{"ops@example.org"})

	// On SIGTERM: health.SetShuttingDown(); sleep; server.Shutdown; alerts.Close(); tracker.Close().
}
