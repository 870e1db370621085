package config_test

import (
	"strings"
	"testing"

	"sabc/internal/config"
)

// TestCachePrefixDefaultsToTheDatabaseIdentity: installations on different
// databases get different prefixes with no configuration; replicas of one
// installation (same data, any credentials or spelling) share one; an
// explicit CACHE_PREFIX wins and must be usable in keys.
func TestCachePrefixDefaultsToTheDatabaseIdentity(t *testing.T) {
	prefix := func(dbURL string) string {
		c, err := config.FromEnv(env(map[string]string{"DATABASE_URL": dbURL}))
		if err != nil {
			t.Fatalf("%s: %v", dbURL, err)
		}
		return c.CacheKeyPrefix()
	}
	differ := [][2]string{
		{"./data/a.db", "./data/b.db"},
		{"postgres://u@db:5432/club1", "postgres://u@db:5432/club2"},
		{"postgres://u@db1:5432/club", "postgres://u@db2:5432/club"},
		{"postgres://u@db/club?search_path=a", "postgres://u@db/club?search_path=b"},
	}
	for _, d := range differ {
		if prefix(d[0]) == prefix(d[1]) {
			t.Errorf("%s and %s share cache prefix %q", d[0], d[1], prefix(d[0]))
		}
	}
	same := [][2]string{
		{"./data/sabc.db", "data/../data/sabc.db"},
		{"./data/sabc.db", "file:./data/sabc.db?_pragma=busy_timeout(5000)"},
		{"postgres://a:pw@db/club?sslmode=disable", "postgres://b@DB:5432/club"},
	}
	for _, s := range same {
		if prefix(s[0]) != prefix(s[1]) {
			t.Errorf("%s and %s (one database) get different prefixes %q, %q", s[0], s[1], prefix(s[0]), prefix(s[1]))
		}
	}
	if p := prefix("./data/sabc.db"); !strings.HasPrefix(p, "sabc:") || !strings.HasSuffix(p, ":") {
		t.Errorf("default prefix %q, want sabc:<hash>:", p)
	}

	c, err := config.FromEnv(env(map[string]string{"CACHE_PREFIX": "club-a:"}))
	if err != nil || c.CacheKeyPrefix() != "club-a:" {
		t.Errorf("CACHE_PREFIX=club-a: gives %q, %v", c.CacheKeyPrefix(), err)
	}
	for _, bad := range []string{"two words", "tab\there", strings.Repeat("x", 65)} {
		if _, err := config.FromEnv(env(map[string]string{"CACHE_PREFIX": bad})); err == nil ||
			!strings.Contains(err.Error(), "CACHE_PREFIX") {
			t.Errorf("CACHE_PREFIX=%q: error %v, want one naming CACHE_PREFIX", bad, err)
		}
	}
}
