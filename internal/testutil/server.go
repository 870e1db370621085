package testutil

import (
	"context"
	"database/sql/driver"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"sabc/internal/config"
	"sabc/internal/demo"
	"sabc/internal/obs"
	"sabc/internal/ratelimit"
	"sabc/internal/store"
	"sabc/internal/web"
)

// Site is a running test server over a demo club.
type Site struct {
	URL    string
	Store  *store.Store
	Web    *web.Server
	Server *httptest.Server
	Clock  *Clock // the one clock of the store and the site
}

// SiteOptions tune NewSite.
type SiteOptions struct {
	Scale  int                  // demo scale (10 = ten times the anglers)
	Clock  *Clock               // nil: a fake clock stopped at Now
	NoDemo bool                 // start with an empty database
	Deps   func(*web.Deps)      // adjust dependencies before web.New
	Config func(*config.Config) // adjust configuration
}

var (
	hashOnce sync.Once
	demoHash string
)

// DemoPasswordHash is a low-cost bcrypt hash of demo.Password, so test clubs
// are quick to build while the demo logins still work.
func DemoPasswordHash() string {
	hashOnce.Do(func() {
		h, _ := bcrypt.GenerateFromPassword([]byte(demo.Password), bcrypt.MinCost)
		demoHash = string(h)
	})
	return demoHash
}

// NewSite starts the real web server (all middleware, development mode) on
// 127.0.0.1 over a fresh database holding the demo club. Queries are counted
// per request through the obs driver hook; responses carry X-DB-Query-Count.
func NewSite(t testing.TB, opt SiteOptions) *Site {
	t.Helper()
	clock := opt.Clock
	if clock == nil {
		clock = NewClock(Now)
	}
	st := NewDBWith(t, store.Options{Now: clock.Now, Wrap: func(c driver.Connector) driver.Connector {
		return obs.WrapConnector(c, &obs.QueryHook{})
	}})
	if !opt.NoDemo {
		if err := demo.Generate(context.Background(), st, demo.Options{Now: clock.Now(), Scale: opt.Scale,
			PasswordHash: DemoPasswordHash()}); err != nil {
			t.Fatalf("demo club: %v", err)
		}
	}
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	cfg.MediaDir = cfg.DataDir + "/media"
	if opt.Config != nil {
		opt.Config(&cfg)
	}
	deps := web.Deps{Config: cfg, Store: st,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PasswordCost: bcrypt.MinCost,
		Limiter: roomyLimiter(t)}
	if opt.Deps != nil {
		opt.Deps(&deps)
	}
	w, err := web.New(deps)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	srv := httptest.NewServer(w.Handler())
	t.Cleanup(srv.Close)
	return &Site{URL: srv.URL, Store: st, Web: w, Server: srv, Clock: clock}
}

// Client returns an HTTP client with its own cookie jar that does not follow
// redirects (tests check them).
func (s *Site) Client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// roomyLimiter keeps the real rate-limit middleware in the request path but
// with limits no functional test reaches; rate-limit tests set their own
// Deps.Limiter with the production limits.
func roomyLimiter(t testing.TB) ratelimit.Limiter {
	t.Helper()
	lots := ratelimit.Limit{Requests: 1_000_000, Per: time.Minute}
	limits := ratelimit.Limits{}
	for class := range ratelimit.DefaultLimits() {
		limits[class] = lots
	}
	l, err := ratelimit.NewMemory(ratelimit.MemoryConfig{Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	return l
}
