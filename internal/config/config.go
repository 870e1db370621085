// Package config owns the process configuration: one struct read from the
// environment (flags may override), validated once at start, printed redacted.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"sabc/internal/mail"
	"sabc/internal/obs"
	"sabc/internal/ratelimit"
)

// Config is everything an operator can set. Every field is documented with its
// variable and default in docs/configuration.md.
type Config struct {
	Addr             string        // SABC_ADDR
	DatabaseURL      string        // DATABASE_URL: sqlite file path / file: URL, or postgres://…
	RedisURL         string        // REDIS_URL
	MemcachedServers string        // MEMCACHED_SERVERS (comma list)
	CachePrefix      string        // CACHE_PREFIX: Redis/Memcached key and channel prefix; empty = CacheKeyPrefix's default
	PageCache        string        // SABC_PAGE_CACHE: on | off (off renders every public page; for operators and benchmarks)
	Demo             bool          // SABC_DEMO: seed the demo club into an empty database (development only)
	Env              string        // SABC_ENV: development | production
	DataDir          string        // SABC_DATA_DIR: media, outbox, error log live here
	ShutdownDelay    time.Duration // SHUTDOWN_DELAY: readiness 503 this long before draining
	ReadTimeout      time.Duration // HTTP_READ_TIMEOUT: a whole request, body included
	WriteTimeout     time.Duration // HTTP_WRITE_TIMEOUT: from the request's headers to the answer's end (not SSE)
	IdleTimeout      time.Duration // HTTP_IDLE_TIMEOUT: a kept-alive connection between requests

	BaseURL        string // SABC_BASE_URL: absolute site URL for emails and feeds
	StaticBaseURL  string // STATIC_BASE_URL: CDN in front of /static/
	TrustedProxies string // TRUSTED_PROXIES

	SlowQueryThreshold      time.Duration // SLOW_QUERY_THRESHOLD
	HighQueryCountThreshold int           // HIGH_QUERY_COUNT_THRESHOLD
	MonitorQueries          bool          // MONITOR_QUERIES
	MetricsToken            string        // METRICS_TOKEN
	MetricsAllowNets        string        // METRICS_ALLOW_NETS: CIDRs that may read /metrics and /health/ detail
	AlertsPerHour           int           // ALERTS_PER_HOUR: global cap on alert mails
	AlertEmails             []string      // ALERT_EMAILS
	ErrorLogFile            string        // ERROR_LOG_FILE
	SentryDSN               string        // SENTRY_DSN: optional; captured errors also go to Sentry

	SMTPHost, SMTPUsername, SMTPPassword, SMTPFrom, SMTPTLS string // SMTP_*
	SMTPPort                                                int

	MediaDir       string // MEDIA_DIR
	ImageQuality   int    // IMAGE_QUALITY
	MaxImageWidth  int    // MAX_IMAGE_WIDTH
	MaxImageHeight int    // MAX_IMAGE_HEIGHT
	MaxUploadBytes int64  // MAX_UPLOAD_BYTES
}

// Dialect names the database family selected by DatabaseURL.
func (c Config) Dialect() string {
	if IsPostgresURL(c.DatabaseURL) {
		return "postgres"
	}
	return "sqlite"
}

// IsPostgresURL reports whether u selects PostgreSQL.
func IsPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// PageCacheOff reports SABC_PAGE_CACHE=off: public pages are rendered for
// every request (the cache still holds club settings and version counters).
func (c Config) PageCacheOff() bool { return c.PageCache == "off" }

// Production reports SABC_ENV=production.
func (c Config) Production() bool { return c.Env == "production" }

// FromEnv reads the configuration from getenv (os.Getenv in main, a map in tests).
// It returns the first problem as an error naming the variable.
func FromEnv(getenv func(string) string) (Config, error) {
	r := reader{getenv: getenv}
	c := Config{
		Addr:             r.str("SABC_ADDR", "127.0.0.1:8000"),
		DatabaseURL:      r.str("DATABASE_URL", "./data/sabc.db"),
		RedisURL:         r.str("REDIS_URL", ""),
		MemcachedServers: r.str("MEMCACHED_SERVERS", ""),
		CachePrefix:      r.str("CACHE_PREFIX", ""),
		PageCache:        r.str("SABC_PAGE_CACHE", "on"),
		Env:              r.str("SABC_ENV", "development"),
		DataDir:          r.str("SABC_DATA_DIR", "./data"),
		ShutdownDelay:    r.duration("SHUTDOWN_DELAY", time.Second),
		ReadTimeout:      r.duration("HTTP_READ_TIMEOUT", time.Minute),
		WriteTimeout:     r.duration("HTTP_WRITE_TIMEOUT", 90*time.Second),
		IdleTimeout:      r.duration("HTTP_IDLE_TIMEOUT", 2*time.Minute),
		BaseURL:          r.str("SABC_BASE_URL", ""),
		StaticBaseURL:    r.str("STATIC_BASE_URL", ""),
		TrustedProxies:   r.str("TRUSTED_PROXIES", ""),

		SlowQueryThreshold:      r.duration("SLOW_QUERY_THRESHOLD", 100*time.Millisecond),
		HighQueryCountThreshold: r.integer("HIGH_QUERY_COUNT_THRESHOLD", 20),
		MonitorQueries:          r.boolean("MONITOR_QUERIES", true),
		MetricsToken:            r.str("METRICS_TOKEN", ""),
		MetricsAllowNets:        r.str("METRICS_ALLOW_NETS", ""),
		AlertsPerHour:           r.integer("ALERTS_PER_HOUR", 20),
		AlertEmails:             r.list("ALERT_EMAILS"),
		ErrorLogFile:            r.str("ERROR_LOG_FILE", ""),
		SentryDSN:               r.str("SENTRY_DSN", ""),

		SMTPHost:     r.str("SMTP_HOST", ""),
		SMTPPort:     r.integer("SMTP_PORT", 587),
		SMTPUsername: r.str("SMTP_USERNAME", ""),
		SMTPPassword: r.str("SMTP_PASSWORD", ""),
		SMTPFrom:     r.str("SMTP_FROM", "SABC <noreply@sabc.example>"),
		SMTPTLS:      r.str("SMTP_TLS", "starttls"),

		MediaDir:       r.str("MEDIA_DIR", ""),
		ImageQuality:   r.integer("IMAGE_QUALITY", 85),
		MaxImageWidth:  r.integer("MAX_IMAGE_WIDTH", 1920),
		MaxImageHeight: r.integer("MAX_IMAGE_HEIGHT", 1080),
		MaxUploadBytes: int64(r.integer("MAX_UPLOAD_BYTES", 10<<20)),
	}
	if r.err != nil {
		return Config{}, r.err
	}
	// The demo club's logins and password are printed in the README: on by
	// default only where nobody else can reach the site.
	c.Demo = r.boolean("SABC_DEMO", !c.Production())
	if r.err != nil {
		return Config{}, r.err
	}
	if c.MediaDir == "" {
		c.MediaDir = c.DataDir + "/media"
	}
	return c, c.Validate()
}

// Validate checks values that parse but make no sense. Messages name the variable.
func (c Config) Validate() error {
	if c.Env != "development" && c.Env != "production" {
		return fmt.Errorf("SABC_ENV must be development or production, got %q", c.Env)
	}
	if c.Production() && !strings.HasPrefix(c.BaseURL, "https://") && !strings.HasPrefix(c.BaseURL, "http://") {
		return fmt.Errorf("SABC_BASE_URL must be the site's absolute URL in production (e.g. https://sabc.example): " +
			"password-reset mails link to it")
	}
	if c.Production() && c.Demo {
		return errors.New("SABC_DEMO=true is refused in production: the demo club's accounts have a published " +
			"password. Create the first admin with `sabc createadmin --email you@example.com` instead")
	}
	if c.PageCache != "on" && c.PageCache != "off" && c.PageCache != "" {
		return fmt.Errorf("SABC_PAGE_CACHE must be on or off, got %q", c.PageCache)
	}
	if _, _, err := splitHostPort(c.Addr); err != nil {
		return fmt.Errorf("SABC_ADDR %q is not host:port: %v", c.Addr, err)
	}
	if err := ValidateDatabaseURL(c.DatabaseURL); err != nil {
		return err
	}
	if c.RedisURL != "" {
		u, err := url.Parse(c.RedisURL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			return fmt.Errorf("REDIS_URL must look like redis://host:6379/0, got %q", redact(c.RedisURL))
		}
	}
	if err := validateCachePrefix(c.CachePrefix); c.CachePrefix != "" && err != nil {
		return err
	}
	for _, s := range strings.Split(c.MemcachedServers, ",") {
		if s = strings.TrimSpace(s); s != "" {
			if _, _, err := splitHostPort(s); err != nil {
				return fmt.Errorf("MEMCACHED_SERVERS entry %q is not host:port", s)
			}
		}
	}
	if _, err := obs.ParseNets(c.MetricsAllowNets); err != nil {
		return fmt.Errorf("METRICS_ALLOW_NETS: %v", err)
	}
	if _, err := ratelimit.ParseTrusted(c.TrustedProxies); err != nil {
		return fmt.Errorf("TRUSTED_PROXIES: %v", err)
	}
	if c.ReadTimeout <= 0 || c.WriteTimeout <= 0 || c.IdleTimeout <= 0 {
		return errors.New("HTTP_READ_TIMEOUT, HTTP_WRITE_TIMEOUT and HTTP_IDLE_TIMEOUT must be positive: " +
			"without them a client that never finishes its request holds a connection forever")
	}
	if c.AlertsPerHour < 1 {
		return fmt.Errorf("ALERTS_PER_HOUR must be at least 1, got %d", c.AlertsPerHour)
	}
	if c.ImageQuality < 1 || c.ImageQuality > 100 {
		return fmt.Errorf("IMAGE_QUALITY must be 1–100, got %d", c.ImageQuality)
	}
	if c.MaxImageWidth < 16 || c.MaxImageHeight < 16 {
		return errors.New("MAX_IMAGE_WIDTH and MAX_IMAGE_HEIGHT must be at least 16")
	}
	if c.MaxUploadBytes < 1024 {
		return fmt.Errorf("MAX_UPLOAD_BYTES must be at least 1024, got %d", c.MaxUploadBytes)
	}
	if _, err := mail.ParseTLSMode(c.SMTPTLS); err != nil {
		return fmt.Errorf("SMTP_TLS: %v", err)
	}
	return nil
}

// ValidateDatabaseURL accepts a SQLite path (or file: URL) or a postgres:// URL.
func ValidateDatabaseURL(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("DATABASE_URL is empty: use a SQLite file path like ./data/sabc.db or postgres://user@host:5432/db")
	}
	if IsPostgresURL(s) {
		u, err := url.Parse(s)
		if err != nil {
			return fmt.Errorf("DATABASE_URL is not a valid postgres URL: %v", redactErr(err, s))
		}
		if u.Host == "" {
			return fmt.Errorf("DATABASE_URL %q has no host (postgres://user@host:5432/dbname)", redact(s))
		}
		return nil
	}
	if i := strings.Index(s, "://"); i > 0 {
		return fmt.Errorf("DATABASE_URL scheme %q is not supported: use postgres:// or a SQLite file path", s[:i])
	}
	return nil
}

// String prints the configuration with secrets masked, for the start-up log.
func (c Config) String() string {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "***"
	}
	return fmt.Sprintf("addr=%s database=%s redis=%s memcached=%s page_cache=%s demo=%t env=%s data_dir=%s media_dir=%s "+
		"slow_query=%s high_query_count=%d monitor_queries=%t metrics_token=%s alert_emails=%d smtp_host=%s smtp_password=%s sentry=%s",
		c.Addr, redact(c.DatabaseURL), redact(c.RedisURL), c.MemcachedServers, c.PageCache, c.Demo, c.Env, c.DataDir, c.MediaDir,
		c.SlowQueryThreshold, c.HighQueryCountThreshold, c.MonitorQueries, mask(c.MetricsToken), len(c.AlertEmails),
		c.SMTPHost, mask(c.SMTPPassword), mask(c.SentryDSN))
}

// redact masks the password in a URL (postgres://u:secret@h → postgres://u:***@h).
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	return u.String()
}

// redactErr keeps url.Parse errors from echoing a password back.
func redactErr(err error, raw string) string {
	msg := err.Error()
	if u, perr := url.Parse(raw); perr == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "***")
		}
	}
	return msg
}

type reader struct {
	getenv func(string) string
	err    error
}

func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) list(name string) []string {
	var out []string
	for _, s := range strings.Split(r.getenv(name), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (r *reader) integer(name string, def int) int {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("%s must be a whole number, got %q", name, v)
	}
	return n
}

func (r *reader) boolean(name string, def bool) bool {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("%s must be true or false, got %q", name, v)
	}
	return b
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		return def
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil { // "0.1" means seconds
		return time.Duration(secs * float64(time.Second))
	}
	d, err := time.ParseDuration(v)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("%s must be seconds (0.1) or a duration (100ms), got %q", name, v)
	}
	return d
}

func splitHostPort(s string) (string, string, error) {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return "", "", errors.New("missing port")
	}
	if _, err := strconv.Atoi(s[i+1:]); err != nil {
		return "", "", errors.New("port is not a number")
	}
	return s[:i], s[i+1:], nil
}
