package config_test

import (
	"strings"
	"testing"
	"time"

	"sabc/internal/config"
)

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func TestDefaults(t *testing.T) {
	c, err := config.FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8000" || c.DatabaseURL != "./data/sabc.db" || !c.Demo || c.Env != "development" ||
		c.Dialect() != "sqlite" || c.SlowQueryThreshold != 100*time.Millisecond || c.HighQueryCountThreshold != 20 {
		t.Errorf("unexpected defaults: %s", c)
	}
}

// Production starts without the demo club unless told; development with it.
func TestDemoDefaultsOffInProduction(t *testing.T) {
	c, err := config.FromEnv(env(map[string]string{"SABC_ENV": "production", "SABC_BASE_URL": "https://sabc.example"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Demo {
		t.Error("SABC_DEMO defaults to true in production: an empty database would get the demo admin")
	}
}

// A bad value stops the program with one line naming the variable.
func TestBadValuesNameTheVariable(t *testing.T) {
	cases := map[string]map[string]string{
		"DATABASE_URL":               {"DATABASE_URL": "mysql://root@localhost/db"},
		"DATABASE_URL ":              {"DATABASE_URL": "postgres://user:pw@/db"},
		"REDIS_URL":                  {"REDIS_URL": "localhost:6379"},
		"SABC_ENV":                   {"SABC_ENV": "staging"},
		"SABC_DEMO":                  {"SABC_DEMO": "maybe"},
		"HIGH_QUERY_COUNT_THRESHOLD": {"HIGH_QUERY_COUNT_THRESHOLD": "lots"},
		"SLOW_QUERY_THRESHOLD":       {"SLOW_QUERY_THRESHOLD": "soon"},
		"MEMCACHED_SERVERS":          {"MEMCACHED_SERVERS": "cache1"},
		"TRUSTED_PROXIES":            {"TRUSTED_PROXIES": "10.0.0.0/99"},
		"SMTP_TLS":                   {"SMTP_TLS": "sometimes"},
		"IMAGE_QUALITY":              {"IMAGE_QUALITY": "0"},
		"HTTP_READ_TIMEOUT":          {"HTTP_READ_TIMEOUT": "0"},
		"SABC_BASE_URL":              {"SABC_ENV": "production"},
		"SABC_DEMO  ":                {"SABC_ENV": "production", "SABC_BASE_URL": "https://sabc.example", "SABC_DEMO": "true"},
	}
	for name, kv := range cases {
		_, err := config.FromEnv(env(kv))
		if err == nil {
			t.Errorf("%s=%q accepted", strings.TrimSpace(name), kv[strings.TrimSpace(name)])
			continue
		}
		if !strings.Contains(err.Error(), strings.TrimSpace(name)) || strings.Contains(err.Error(), "\n") {
			t.Errorf("error %q should be one line naming %s", err, strings.TrimSpace(name))
		}
	}
}

func TestPasswordsNeverPrinted(t *testing.T) {
	c, err := config.FromEnv(env(map[string]string{"DATABASE_URL": "postgres://sabc:hunter2hunter2@db:5432/sabc",
		"SMTP_PASSWORD": "mailpass", "METRICS_TOKEN": "tok3n"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Dialect() != "postgres" {
		t.Errorf("dialect %s", c.Dialect())
	}
	for _, secret := range []string{"hunter2hunter2", "mailpass", "tok3n"} {
		if strings.Contains(c.String(), secret) {
			t.Errorf("String() shows %q: %s", secret, c)
		}
	}
}
