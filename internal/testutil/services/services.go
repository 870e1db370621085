// Package services tells tests which real servers (Redis, Memcached) they may
// use. It imports nothing of ours, so any package's internal tests can use it.
package services

import (
	"os"
	"testing"
)

// serviceURL returns the value of env, or skips the test when it is unset —
// unless SABC_REQUIRE_SERVICES=1, where a missing service fails the test so CI
// cannot report a skipped check as passed.
func serviceURL(t testing.TB, env, what string) string {
	t.Helper()
	v := os.Getenv(env)
	if v == "" {
		if RequireServices() {
			t.Fatalf("%s is not set but SABC_REQUIRE_SERVICES=1: %s is required", env, what)
		}
		t.Skipf("%s not set: skipping %s test", env, what)
	}
	return v
}

// RequireServices reports whether unreachable services must fail tests.
func RequireServices() bool { return os.Getenv("SABC_REQUIRE_SERVICES") == "1" }

// RedisURL is the Redis server tests may use (SABC_TEST_REDIS_URL, e.g.
// redis://127.0.0.1:6379/0). Tests must use their own key prefix.
func RedisURL(t testing.TB) string { return serviceURL(t, "SABC_TEST_REDIS_URL", "Redis") }

// MemcachedServers is a comma list of memcached addresses (SABC_TEST_MEMCACHED_SERVERS).
func MemcachedServers(t testing.TB) string {
	return serviceURL(t, "SABC_TEST_MEMCACHED_SERVERS", "Memcached")
}

// Unreachable reports a service that is configured but cannot be reached:
// always a failure, since the variable says the service should be there.
func Unreachable(t testing.TB, what string, err error) {
	t.Helper()
	t.Fatalf("%s configured but unreachable: %v", what, err)
}
