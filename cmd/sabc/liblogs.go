package main

import (
	"log/slog"

	"github.com/redis/go-redis/v9"

	"sabc/internal/obs"
)

// routeLibraryLogs sends the log lines of libraries that print on their own
// into l (docs/operations.md, "Database outage"). slog.SetDefault already
// takes the standard log package; go-redis keeps its own stderr logger, which
// printed ~30 plain-text lines per replica during a 10 s Redis outage. Its
// lines go to debug: the cache and the rate limiter log one line per state
// change themselves. gomemcache, pgx and goose (without WithVerbose) print
// nothing; sentry-go prints only with its Debug option, which we never set.
func routeLibraryLogs(l *slog.Logger) {
	redis.SetLogger(obs.PrintfLogger{Logger: l, Source: "go-redis", Level: slog.LevelDebug})
}
