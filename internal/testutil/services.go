// Package testutil gives tests real parts: fresh databases, service URLs, servers.
package testutil

import (
	"testing"

	"sabc/internal/testutil/services"
)

// RequireServices reports whether unreachable services must fail tests.
func RequireServices() bool { return services.RequireServices() }

// RedisURL is the Redis server tests may use (SABC_TEST_REDIS_URL).
func RedisURL(t testing.TB) string { t.Helper(); return services.RedisURL(t) }

// MemcachedServers is a comma list of memcached addresses (SABC_TEST_MEMCACHED_SERVERS).
func MemcachedServers(t testing.TB) string { t.Helper(); return services.MemcachedServers(t) }

// Unreachable fails a test whose configured service cannot be reached.
func Unreachable(t testing.TB, what string, err error) {
	t.Helper()
	services.Unreachable(t, what, err)
}
