package obs

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Config gathers the environment settings this package reads. The app's
// config package may embed it or fill it from its own parsing; ParseEnv
// exists so the defaults live next to the code that applies them.
type Config struct {
	Env                string         // SABC_ENV: "development" | "production"
	SlowQueryThreshold time.Duration  // SLOW_QUERY_THRESHOLD, default 100ms
	HighQueryCount     int            // HIGH_QUERY_COUNT_THRESHOLD, default 20
	MonitorQueries     bool           // MONITOR_QUERIES, default true
	MetricsToken       string         // METRICS_TOKEN
	MetricsNets        []netip.Prefix // METRICS_ALLOW_NETS, default none
	AlertEmails        []string       // ALERT_EMAILS, comma list
	AlertsPerHour      int            // ALERTS_PER_HOUR, default 20
	ErrorLogFile       string         // ERROR_LOG_FILE, "" = off
}

// Development reports whether debug headers and text logs apply.
func (c Config) Development() bool { return c.Env != "production" }

// ParseEnv reads Config through getenv (os.Getenv in main, a map in tests).
// SLOW_QUERY_THRESHOLD accepts a Go duration ("250ms") or seconds ("0.1").
func ParseEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Env:                "development",
		SlowQueryThreshold: DefaultSlowQueryThreshold,
		HighQueryCount:     DefaultHighQueryCount,
		MonitorQueries:     true,
		AlertsPerHour:      DefaultAlertsPerHour,
		MetricsToken:       getenv("METRICS_TOKEN"),
		ErrorLogFile:       getenv("ERROR_LOG_FILE"),
	}
	var err error
	if v := getenv("SABC_ENV"); v != "" {
		if v != "development" && v != "production" {
			return c, fmt.Errorf("SABC_ENV=%q: want development or production", v)
		}
		c.Env = v
	}
	if v := getenv("SLOW_QUERY_THRESHOLD"); v != "" {
		if c.SlowQueryThreshold, err = parseSeconds(v); err != nil {
			return c, fmt.Errorf("SLOW_QUERY_THRESHOLD: %w", err)
		}
	}
	if v := getenv("HIGH_QUERY_COUNT_THRESHOLD"); v != "" {
		if c.HighQueryCount, err = strconv.Atoi(v); err != nil || c.HighQueryCount <= 0 {
			return c, fmt.Errorf("HIGH_QUERY_COUNT_THRESHOLD=%q: want a positive integer", v)
		}
	}
	if v := getenv("MONITOR_QUERIES"); v != "" {
		if c.MonitorQueries, err = strconv.ParseBool(v); err != nil {
			return c, fmt.Errorf("MONITOR_QUERIES=%q: want true or false", v)
		}
	}
	if v := getenv("ALERTS_PER_HOUR"); v != "" {
		if c.AlertsPerHour, err = strconv.Atoi(v); err != nil || c.AlertsPerHour <= 0 {
			return c, fmt.Errorf("ALERTS_PER_HOUR=%q: want a positive integer", v)
		}
	}
	if c.MetricsNets, err = ParseNets(getenv("METRICS_ALLOW_NETS")); err != nil {
		return c, err
	}
	for a := range strings.SplitSeq(getenv("ALERT_EMAILS"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			if !strings.Contains(a, "@") {
				return c, fmt.Errorf("ALERT_EMAILS: %q is not an address", a)
			}
			c.AlertEmails = append(c.AlertEmails, a)
		}
	}
	return c, nil
}

func parseSeconds(v string) (time.Duration, error) {
	if d, err := time.ParseDuration(v); err == nil {
		if d <= 0 {
			return 0, fmt.Errorf("%q: must be positive", v)
		}
		return d, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 {
		return 0, fmt.Errorf("%q: want seconds (0.1) or a duration (100ms)", v)
	}
	return time.Duration(f * float64(time.Second)), nil
}
