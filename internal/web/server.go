// Package web is the HTTP layer: the one route table (routes.go), middleware,
// rendering, and one file per page or action. Handlers parse and authorize,
// call the store, and render; they never write SQL.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"sabc/internal/assets"
	"sabc/internal/cache"
	"sabc/internal/config"
	"sabc/internal/mail"
	"sabc/internal/media"
	"sabc/internal/obs"
	"sabc/internal/ratelimit"
	"sabc/internal/store"
)

// Deps are what the web layer needs; main builds them.
type Deps struct {
	Config config.Config
	Store  *store.Store
	Assets *assets.Assets
	Logger *slog.Logger

	Monitor *obs.Monitor  // access log, timing headers, HTTP metrics
	Tracker *obs.Tracker  // captured errors and panics; may be nil
	Health  *obs.Health   // /health/ endpoints; nil: database check only
	Metrics *obs.Metrics  // /metrics; nil: no metrics endpoint data
	Cache   *cache.Tiered // rendered public pages; nil: no page cache

	HealthChecks []obs.Check // extra checks (email, jobs) registered on the default Health

	// Accounts and security (session.go). Nil fields get defaults in New.
	Mailer       mail.Mailer       // password-reset mail; nil: mail.New from Config (dev outbox in DataDir/outbox)
	Limiter      ratelimit.Limiter // nil: Redis when Config.RedisURL is set, else in-process
	Media        media.Store       // uploaded images; nil: local folder Config.MediaDir
	PasswordCost int               // bcrypt cost; 0: 12 (tests use bcrypt.MinCost)
}

// Server holds the dependencies every handler uses.
type Server struct {
	Deps
	access         obs.MetricsAccess // who may read /metrics and the /health/ detail
	metricsHandler http.Handler
	tmpl           *templates
	mux            *http.ServeMux
	acct           accounts      // sessions, limiter, media pipeline (session.go)
	live           *liveHub      // SSE subscribers of the live leaderboard (live.go)
	club           *clubSettings // the club row in memory (club_settings.go)
	dbOutage       *obs.Outage   // logs "database unavailable / available again" once each (ops.go)
}

// New parses the templates (a missing or broken template fails here, at
// start) and builds the route table.
func New(d Deps) (*Server, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Assets == nil {
		a, err := assets.Default(d.Config.StaticBaseURL)
		if err != nil {
			return nil, err
		}
		d.Assets = a
	}
	s := &Server{Deps: d}
	s.setupOps()
	if err := s.setupAccounts(); err != nil {
		return nil, err
	}
	if err := s.setupLive(); err != nil {
		return nil, err
	}
	t, err := parseTemplates(s.funcs())
	if err != nil {
		return nil, err
	}
	s.tmpl = t
	s.mux = http.NewServeMux()
	cached := s.cachedPages()
	for _, rt := range s.routes() {
		h := s.bodyLimit(rt.pattern, rt.handler)
		if page, ok := cached[rt.pattern]; ok {
			h = s.cachePage(rt.pattern, page, h) // counts the page limit on a miss only
		} else {
			h = chargePage(h)
		}
		if quietRoutes[rt.pattern] {
			h = hideQueryCounts(h)
		}
		s.mux.Handle(rt.pattern, s.authorize(rt.role, h))
	}
	if d.Cache != nil {
		// Committed writes name the namespaces they invalidate (store → cache).
		d.Store.OnWrite(func(ctx context.Context, ns []string) { d.Cache.Bump(ctx, ns...) })
	}
	d.Store.OnWrite(s.live.written) // and wake the live leaderboards they touch
	s.setupClub()                   // after the cache's hook: a reload sees the bumped version
	return s, nil
}

// Now is the site's clock: the store's (one clock, docs/architecture.md), so a
// handler's "now" and the store's agree even under a test's fake clock.
func (s *Server) Now() time.Time { return s.Store.Now() }

// Handler is the whole site with its middleware; dynamic responses over
// ~1 KiB are gzipped on the way out (static files are pre-compressed).
func (s *Server) Handler() http.Handler { return assets.Compress(s.middleware(s.mux)) }

// WithMiddleware wraps any handler in the site's middleware (request ids,
// monitoring, panic recovery, security headers) — for tests and tools that
// need the production request path around their own handler.
func (s *Server) WithMiddleware(h http.Handler) http.Handler { return s.middleware(h) }
