package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"sabc/internal/obs"
)

// Version is the release shown by /health/ and in error context; main sets it.
var Version = "dev"

// setupOps builds what the operations routes need when main did not:
// metrics, the health checks (database critical, L2 cache non-critical)
// and the per-request monitor.
func (s *Server) setupOps() {
	d := &s.Deps
	if d.Metrics == nil {
		d.Metrics = obs.NewMetrics(Version)
	}
	nets, _ := obs.ParseNets(d.Config.MetricsAllowNets) // validated at start by config
	s.access = obs.MetricsAccess{Token: d.Config.MetricsToken, AllowNets: nets}
	s.metricsHandler = d.Metrics.Handler(s.access)
	if d.Monitor == nil {
		d.Monitor = &obs.Monitor{Logger: d.Logger, Metrics: d.Metrics, Tracker: d.Tracker,
			Development: !d.Config.Production(), HighQueryCount: d.Config.HighQueryCountThreshold}
	}
	s.dbOutage = &obs.Outage{Name: "database", Logger: d.Logger, Probe: d.Store.Ping}
	if d.Health != nil {
		return
	}
	d.Health = obs.NewHealth(obs.HealthConfig{Version: Version, Environment: d.Config.Env,
		Authorized: s.healthAuthorized, Logger: d.Logger, Now: s.Now})
	d.Health.Register(obs.PingCheck("database", true, true, s.pingDatabase))
	if d.Cache != nil {
		d.Health.Register(obs.Check{Name: "cache", Readiness: true, Check: s.cacheCheck})
	}
	d.Health.Register(obs.DiskSpaceCheck(d.Config.DataDir, 0), obs.MemoryCheck(0, 0),
		obs.StaticFilesCheck(func() error {
			if _, ok := d.Assets.Lookup("app.css"); !ok {
				return fmt.Errorf("app.css missing from the embedded assets")
			}
			return nil
		}))
	d.Health.Register(d.HealthChecks...)
}

// StopOutageProbe ends the background database probe of an outage in
// progress (HTTPServer's Shutdown does it; tests that close the store call it).
func (s *Server) StopOutageProbe() { s.dbOutage.Close() }

// pingDatabase is the database health check; a good answer also ends an
// outage the pages ran into, so its "available again" line comes as soon
// as a probe sees it.
func (s *Server) pingDatabase(ctx context.Context) error {
	err := s.Store.Ping(ctx)
	if err == nil {
		s.dbOutage.Up()
	}
	return err
}

// cacheCheck: L2 trouble degrades the site (it keeps serving from L1 and the
// database), it never makes it unhealthy.
func (s *Server) cacheCheck(ctx context.Context) (obs.Status, string) {
	var parts []string
	degraded := false
	for _, t := range s.Cache.Status() {
		parts = append(parts, t.Name+"="+t.State)
		if !t.OK {
			degraded = true
		}
	}
	if degraded {
		return obs.StatusDegraded, strings.Join(parts, " ")
	}
	return obs.StatusHealthy, strings.Join(parts, " ")
}

// healthAuthorized: full health detail for the metrics token or an admin session.
func (s *Server) healthAuthorized(r *http.Request) bool {
	return s.access.Allow(r) || visitorOf(r.Context()).Role >= Admin
}

func (s *Server) healthLiveness(w http.ResponseWriter, r *http.Request) {
	s.Health.LivenessHandler().ServeHTTP(w, r)
}

func (s *Server) healthReadiness(w http.ResponseWriter, r *http.Request) {
	s.Health.ReadinessHandler().ServeHTTP(w, r)
}

func (s *Server) healthDetail(w http.ResponseWriter, r *http.Request) {
	s.Health.DetailedHandler().ServeHTTP(w, r)
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	s.metricsHandler.ServeHTTP(w, r)
}

// errorGroups is the officers' error page: groups, counts, last context.
func (s *Server) errorGroups(w http.ResponseWriter, r *http.Request) {
	all := r.URL.Query().Get("all") == "1"
	groups, err := s.Store.ErrorGroups().ListGroups(r.Context(), all)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "errors", "Errors", map[string]any{"Groups": groups, "All": all})
}

// resolveErrorGroup marks a group resolved (it reopens on its next occurrence).
func (s *Server) resolveErrorGroup(w http.ResponseWriter, r *http.Request) {
	if err := s.Store.ErrorGroups().Resolve(r.Context(), r.PathValue("fingerprint")); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/errors/", http.StatusSeeOther)
}
