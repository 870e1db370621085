package obs

import (
	"testing"
	"time"
)

func TestParseEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := ParseEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.SlowQueryThreshold != 100*time.Millisecond || c.HighQueryCount != 20 || !c.MonitorQueries ||
		c.AlertsPerHour != 20 || !c.Development() || len(c.MetricsNets) != 0 {
		t.Errorf("defaults %+v", c)
	}
	c, err = ParseEnv(env(map[string]string{
		"SABC_ENV": "production", "SLOW_QUERY_THRESHOLD": "0.25", "HIGH_QUERY_COUNT_THRESHOLD": "8",
		"MONITOR_QUERIES": "false", "METRICS_TOKEN": "tok", "METRICS_ALLOW_NETS": "127.0.0.0/8, ::1",
		"ALERT_EMAILS": "a@x.org, b@y.org", "ERROR_LOG_FILE": "/var/log/sabc/errors.jsonl",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Development() || c.SlowQueryThreshold != 250*time.Millisecond || c.HighQueryCount != 8 ||
		c.MonitorQueries || c.MetricsToken != "tok" || len(c.MetricsNets) != 2 || len(c.AlertEmails) != 2 ||
		c.ErrorLogFile == "" {
		t.Errorf("parsed %+v", c)
	}
	if c, _ := ParseEnv(env(map[string]string{"SLOW_QUERY_THRESHOLD": "250ms"})); c.SlowQueryThreshold != 250*time.Millisecond {
		t.Errorf("duration form: %v", c.SlowQueryThreshold)
	}
	for k, v := range map[string]string{"SABC_ENV": "staging", "SLOW_QUERY_THRESHOLD": "soon",
		"HIGH_QUERY_COUNT_THRESHOLD": "-1", "MONITOR_QUERIES": "maybe", "METRICS_ALLOW_NETS": "nope/99",
		"ALERT_EMAILS": "not-an-address"} {
		if _, err := ParseEnv(env(map[string]string{k: v})); err == nil {
			t.Errorf("%s=%q accepted", k, v)
		}
	}
}
