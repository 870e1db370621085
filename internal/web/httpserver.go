package web

import (
	"log/slog"
	"net/http"
	"time"
)

// HTTPServer is the http.Server that serves the site (sabc serve, and tests
// that need the production connection handling). Every phase of a
// connection has a deadline, so a client that declares a body and never
// sends it, or never reads its answer, cannot hold a connection forever
// (issue 14 finding 8). The read timeout covers the whole request, so it
// also bounds how slowly an upload may arrive. The live leaderboard's event
// stream lifts its own deadlines (liveEvents).
func (s *Server) HTTPServer() *http.Server {
	c := s.Config
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: c.ReadTimeout, WriteTimeout: c.WriteTimeout, IdleTimeout: c.IdleTimeout,
		ErrorLog: slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn)}
	srv.RegisterOnShutdown(s.dbOutage.Close) // no database probe after shutdown
	return srv
}
