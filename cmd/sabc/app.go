package main

import (
	"context"
	"database/sql/driver"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"sabc/internal/cache"
	"sabc/internal/config"
	"sabc/internal/jobs"
	"sabc/internal/mail"
	"sabc/internal/obs"
	"sabc/internal/store"
	"sabc/internal/web"
)

// app is the wired site: everything serve (and bench) run.
type app struct {
	cfg     config.Config
	log     *slog.Logger
	store   *store.Store
	cache   *cache.Tiered
	web     *web.Server
	alerts  *obs.Alerter
	tracker *obs.Tracker
	mailer  *obs.TrackedMailer

	flushSentry func() // nil without SENTRY_DSN

	stopJobs context.CancelFunc // ends the background jobs; close waits for them
	jobs     sync.WaitGroup
}

// version is the module version or VCS revision baked into the binary.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return s.Value[:12]
			}
		}
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
	}
	return "dev"
}

// newApp builds the dependencies in order: logs and metrics first so every
// later step can report, then the database (migrated), cache, mail, error
// tracking and the web server. seed runs right after the migrations, under
// their cluster-wide lock (see openStore).
func newApp(ctx context.Context, cfg config.Config, io stdio, seed func(context.Context, *store.Store) error) (*app, error) {
	web.Version = version()
	log := obs.NewLogger(cfg.Env, io.err, slog.LevelInfo)
	slog.SetDefault(log)
	routeLibraryLogs(log)
	metrics := obs.NewMetrics(web.Version)
	hook := &obs.QueryHook{Logger: log, Metrics: metrics, SlowThreshold: cfg.SlowQueryThreshold,
		Enabled: cfg.MonitorQueries}
	st, err := openStore(ctx, cfg, store.Options{Wrap: func(c driver.Connector) driver.Connector {
		return obs.WrapConnector(c, hook)
	}}, seed)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, store: st}
	if a.cache, err = cache.New(cache.Options{RedisURL: cfg.RedisURL, MemcachedServers: cfg.MemcachedServers,
		KeyPrefix: cfg.CacheKeyPrefix(), Logger: log, Registerer: metrics.Registry}); err != nil {
		st.Close()
		return nil, fmt.Errorf("cache: %w", err)
	}
	m, err := mail.New(mail.Config{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
		Password: cfg.SMTPPassword, From: cfg.SMTPFrom, TLS: mail.TLSMode(cfg.SMTPTLS), Production: cfg.Production(),
		OutboxDir: cfg.DataDir + "/outbox", Logger: log})
	if err != nil {
		a.close()
		return nil, fmt.Errorf("mail: %w", err)
	}
	a.mailer = obs.NewTrackedMailer(m)
	a.alerts = obs.NewAlerter(obs.AlertConfig{Mailer: a.mailer, Recipients: cfg.AlertEmails,
		MaxPerHour: cfg.AlertsPerHour, Logger: log, Environment: cfg.Env, Now: st.Now})
	var forward func(obs.Group)
	if cfg.SentryDSN != "" {
		if forward, a.flushSentry, err = obs.NewSentry(cfg.SentryDSN, cfg.Env, web.Version); err != nil {
			a.close()
			return nil, err
		}
	}
	if a.tracker, err = obs.NewTracker(obs.TrackerConfig{Store: st.ErrorGroups(), Logger: log, Metrics: metrics,
		Alerter: a.alerts, LogFile: cfg.ErrorLogFile, Release: web.Version, Forward: forward, Now: st.Now}); err != nil {
		a.close()
		return nil, err
	}
	monitor := &obs.Monitor{Logger: log, Metrics: metrics, Tracker: a.tracker, Development: !cfg.Production(),
		HighQueryCount: cfg.HighQueryCountThreshold,
		Prepare:        func(ctx context.Context) context.Context { ctx, _ = cache.WithStats(ctx); return ctx },
		CacheHits:      func(ctx context.Context) int { return int(cache.StatsFrom(ctx).Hits()) }}
	a.web, err = web.New(web.Deps{Config: cfg, Store: st, Logger: log, Monitor: monitor, Tracker: a.tracker,
		Metrics: metrics, Cache: a.cache, Mailer: a.mailer, HealthChecks: []obs.Check{obs.EmailCheck(a.mailer)}})
	if err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// warm renders the hottest pages in the background (at start and after writes).
func (a *app) warm() {
	a.cache.RegisterWarmer("hot pages", a.web.WarmHotPages)
	a.cache.Warm()
}

func (a *app) close() {
	// Jobs first: a run in progress must not meet a closed store or mailer.
	if a.stopJobs != nil {
		a.stopJobs()
	}
	a.jobs.Wait()
	if a.alerts != nil {
		a.alerts.Close()
	}
	if a.tracker != nil {
		a.tracker.Close()
	}
	if a.flushSentry != nil {
		a.flushSentry()
	}
	if a.cache != nil {
		a.cache.Close()
	}
	a.store.Close()
}

// watchHealth mails the alert recipients when the overall health changes —
// from one replica of the cluster (the holder of the job's lease). The first
// run only records the baseline, so a start-up is not an alert.
func (a *app) watchHealth(ctx context.Context) {
	if len(a.cfg.AlertEmails) == 0 {
		return
	}
	runner := jobs.NewRunner(a.store, a.log, a.web.Metrics)
	ctx, a.stopJobs = context.WithCancel(ctx)
	baseline := false
	a.jobs.Add(1)
	go func() {
		defer a.jobs.Done()
		runner.Every(ctx, "health-alerts", time.Minute, func(ctx context.Context) error {
			if !baseline {
				a.web.Health.AlertOnChange(ctx, nil, nil)
				baseline = true
				return nil
			}
			a.web.Health.AlertOnChange(ctx, a.mailer, a.cfg.AlertEmails)
			return nil
		})
	}()
}
