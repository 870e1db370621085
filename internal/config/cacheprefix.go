package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// CacheKeyPrefix is what every Redis and Memcached key and Redis pub/sub
// channel of this installation starts with: CACHE_PREFIX, else the default
// for its database (derived here, after flags may have changed DatabaseURL).
func (c Config) CacheKeyPrefix() string {
	if c.CachePrefix != "" {
		return c.CachePrefix
	}
	return DefaultCachePrefix(c.DatabaseURL)
}

// DefaultCachePrefix is the CACHE_PREFIX used when none is set: "sabc:"
// plus a short hash of the database's identity, so two installations sharing
// one Redis or Memcached (issue 15: they served each other's pages) stay
// apart, while replicas of one installation — same database — share a
// prefix with no configuration.
func DefaultCachePrefix(databaseURL string) string {
	sum := sha256.Sum256([]byte(databaseIdentity(databaseURL)))
	return "sabc:" + hex.EncodeToString(sum[:4]) + ":"
}

// databaseIdentity names the data a DATABASE_URL points at, ignoring what
// does not change it (user, password, other parameters): PostgreSQL host,
// port, database and search_path; SQLite the file's absolute path.
func databaseIdentity(s string) string {
	if IsPostgresURL(s) {
		u, err := url.Parse(s)
		if err != nil {
			return s
		}
		port := u.Port()
		if port == "" {
			port = "5432"
		}
		return "postgres://" + strings.ToLower(u.Hostname()) + ":" + port + u.Path +
			"?search_path=" + u.Query().Get("search_path")
	}
	path, _, _ := strings.Cut(strings.TrimPrefix(s, "file:"), "?")
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return "sqlite:" + filepath.Clean(path)
}

// validateCachePrefix keeps the prefix usable in Redis and Memcached keys.
func validateCachePrefix(p string) error {
	if len(p) > 64 {
		return fmt.Errorf("CACHE_PREFIX must be at most 64 characters, got %d", len(p))
	}
	for _, r := range p {
		if r <= ' ' || r == 0x7f {
			return fmt.Errorf("CACHE_PREFIX %q must not contain spaces or control characters", p)
		}
	}
	return nil
}
