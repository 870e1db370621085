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
	"sabc/internal/obs"
	"sabc/internal/store"
)

// Deps are what the web layer needs; main builds them.
type Deps struct {
	Config config.Config
	Store  *store.Store
	Assets *assets.Assets
	Logger *slog.Logger
	Now    func() time.Time // fake in tests

	Monitor *obs.Monitor  // access log, timing headers, HTTP metrics
	Tracker *obs.Tracker  // captured errors and panics; may be nil
	Health  *obs.Health   // /health/ endpoints; nil: database check only
	Metrics *obs.Metrics  // /metrics; nil: no metrics endpoint data
	Cache   *cache.Tiered // rendered public pages; nil: no page cache

	HealthChecks []obs.Check // extra checks (email, jobs) registered on the default Health
}

// Server holds the dependencies every handler uses.
type Server struct {
	Deps
	tmpl *templates
	mux  *http.ServeMux
}

// New parses the templates (a missing or broken template fails here, at
// start) and builds the route table.
func New(d Deps) (*Server, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
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
	t, err := parseTemplates(s.funcs())
	if err != nil {
		return nil, err
	}
	s.tmpl = t
	s.mux = http.NewServeMux()
	cached := s.cachedPages()
	for _, rt := range s.routes() {
		h := http.Handler(rt.handler)
		if deps, ok := cached[rt.pattern]; ok {
			h = s.cachePage(deps, h)
		}
		s.mux.Handle(rt.pattern, s.authorize(rt.role, h))
	}
	if d.Cache != nil {
		// Committed writes name the namespaces they invalidate (store → cache).
		d.Store.OnWrite(func(ctx context.Context, ns []string) { d.Cache.Bump(ctx, ns...) })
	}
	return s, nil
}

// Handler is the whole site with its middleware.
func (s *Server) Handler() http.Handler { return s.middleware(s.mux) }
