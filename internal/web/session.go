package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/redis/go-redis/v9"
	"golang.org/x/crypto/bcrypt"

	"sabc/internal/club"
	"sabc/internal/mail"
	"sabc/internal/media"
	"sabc/internal/obs"
	"sabc/internal/ratelimit"
	"sabc/internal/store"
)

// Session lifetimes (spec 03 §9). The idle clock is refreshed only by
// state-changing requests: refreshing it on a GET would write the session
// row on every page view, and GETs never write.
const (
	sessionLifetime = 30 * 24 * time.Hour // absolute: log in again after this
	sessionIdle     = 14 * 24 * time.Hour // no form sent for this long: logged out
	sessionCookie   = "sabc_session"

	keyPerson  = "pid"
	keyVersion = "ver"   // people.session_version when the session was made
	keySeen    = "seen"  // unix seconds of the last state-changing request
	keyStart   = "start" // unix seconds of the login (the absolute lifetime)
)

// accounts is the state the account and security layers share.
type accounts struct {
	sessions *scs.SessionManager
	limiter  ratelimit.Limiter
	trusted  []netip.Prefix
	pipeline *media.Pipeline
	cost     int

	dummyOnce sync.Once
	dummy     []byte // hash compared when an email is unknown, so timing does not tell
}

// setupAccounts fills the defaults of the account-related Deps.
func (s *Server) setupAccounts() error {
	cfg := s.Config
	a := &s.acct
	var err error
	if a.trusted, err = ratelimit.ParseTrusted(cfg.TrustedProxies); err != nil {
		return err
	}
	a.cost = s.PasswordCost
	if a.cost == 0 {
		a.cost = 12
	}
	sm := scs.New()
	sm.Store = s.Store.Sessions(sessionLifetime)
	sm.Lifetime = sessionLifetime
	sm.HashTokenInStore = true // a leaked sessions table does not log anyone in
	sm.Cookie.Name = sessionCookie
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	// The cookie is Secure whenever the site is served over TLS: production
	// always is (TLS ends at the proxy, so r.TLS is nil here), as is any
	// https base URL.
	sm.Cookie.Secure = cfg.Production() || strings.HasPrefix(cfg.BaseURL, "https://")
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { s.serverError(w, r, err) }
	a.sessions = sm

	if s.Limiter == nil {
		if s.Limiter, err = s.defaultLimiter(); err != nil {
			return err
		}
	}
	a.limiter = s.Limiter
	if s.Mailer == nil {
		if s.Mailer, err = s.defaultMailer(); err != nil {
			return err
		}
	}
	if s.Media == nil {
		dir := cfg.MediaDir
		if dir == "" {
			dir = filepath.Join(cfg.DataDir, "media")
		}
		if s.Media, err = media.NewLocalStore(dir); err != nil {
			return fmt.Errorf("media folder (MEDIA_DIR): %w", err)
		}
	}
	a.pipeline, err = media.NewPipeline(s.Media, media.Options{MaxUploadBytes: cfg.MaxUploadBytes,
		MaxWidth: cfg.MaxImageWidth, MaxHeight: cfg.MaxImageHeight, Quality: cfg.ImageQuality})
	return err
}

// defaultLimiter: Redis when REDIS_URL is set, so replicas share limits (with
// an in-process fallback while Redis is down), else in-process.
func (s *Server) defaultLimiter() (ratelimit.Limiter, error) {
	mem, err := ratelimit.NewMemory(ratelimit.MemoryConfig{Now: s.Now})
	if err != nil || s.Config.RedisURL == "" {
		return mem, err
	}
	opt, err := redis.ParseURL(s.Config.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	return ratelimit.NewRedis(redis.NewClient(opt), ratelimit.RedisConfig{Fallback: mem, Prefix: s.Config.CacheKeyPrefix() + "rl:",
		OnStateChange: func(healthy bool, err error) {
			if healthy {
				s.Logger.Info("rate limiting: Redis is back")
			} else {
				s.Logger.Warn("rate limiting: Redis failing, limits are per process until it is back", "err", err)
			}
		}})
}

// defaultMailer: SMTP when configured; in development the outbox folder
// (its path is logged at start); in production without SMTP, a mailer that
// refuses, so the operator hears about it.
func (s *Server) defaultMailer() (mail.Mailer, error) {
	cfg := s.Config
	tls, err := mail.ParseTLSMode(cfg.SMTPTLS)
	if err != nil {
		return nil, err
	}
	return mail.New(mail.Config{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
		Password: cfg.SMTPPassword, From: cfg.SMTPFrom, TLS: tls, Production: cfg.Production(),
		OutboxDir: filepath.Join(cfg.DataDir, "outbox"), Logger: s.Logger})
}

// sessionless paths never read the session: static files, media, the
// health probes and metrics are requested often and do not depend on who
// asks. The health detail page (/health/) does: an admin session unlocks
// its messages (spec 03 §5), and a probe without a cookie costs no query.
func sessionless(path string) bool {
	if path == "/health/" {
		return false
	}
	for _, p := range []string{"/static/", "/media/", "/health", "/metrics"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// sessionLayer loads the session and the visitor (at most two queries: the
// session row and the person with their officer flag) and puts the visitor
// in the context. Sessions are written only when a handler changes them or
// on a state-changing request (the idle clock), never on a GET.
func (s *Server) sessionLayer(next http.Handler) http.Handler {
	sm := s.acct.sessions
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		v, err := s.loadVisitor(ctx)
		if err != nil {
			s.serverError(w, r, err) // the 503 page: do not show a member the anonymous site
			return
		}
		if v.Person != nil {
			obs.SetUserID(ctx, v.Person.ID)
			if !safeMethod(r.Method) {
				sm.Put(ctx, keySeen, s.Now().Unix())
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, userKey, v)))
	})
	withSession := sm.LoadAndSave(inner)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sessionless(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		// A personal API token replaces the session: no cookie is read or set.
		if v, sent, ok := s.bearerVisitor(r); sent {
			if !ok {
				s.securityEvent(r, "api token refused", "path", loggedPath(r.URL.Path))
				w.Header().Set("WWW-Authenticate", `Bearer realm="sabc", error="invalid_token"`)
				writeJSON(w, http.StatusUnauthorized, apiError{Error: "the API token is not valid (revoked or mistyped)"})
				return
			}
			obs.SetUserID(r.Context(), v.Person.ID)
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey, v)))
			return
		}
		if !sessionCookieSent(r) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			// What LoadAndSave does for a GET without a session: a fresh
			// empty session no handler of a GET reads or writes (only the
			// form posts of login, logout, registration and password
			// changes do), an anonymous visitor, and no cookie written.
			// Its only mark on the answer is Vary: Cookie. Skipped here, it
			// cost a session, a context and a writer on every page view.
			w.Header().Add("Vary", "Cookie")
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey, visitor{})))
			return
		}
		withSession.ServeHTTP(w, r)
	})
}

// sessionCookieSent reports whether r carries a session token: scs loads a
// session only for a non-empty cookie of its name.
func sessionCookieSent(r *http.Request) bool {
	c, err := r.Cookie(sessionCookie)
	return err == nil && c.Value != ""
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// loadVisitor turns the session into a visitor. A session whose person is
// gone, inactive, idle too long or from before a password change (version
// mismatch) is anonymous; it is not deleted here, because GETs never write.
// An unreachable database or a client that went away is returned as the
// error (serverError answers); other lookup failures are logged and make
// the visitor anonymous.
func (s *Server) loadVisitor(ctx context.Context) (visitor, error) {
	sm := s.acct.sessions
	pid := sm.GetInt64(ctx, keyPerson)
	if pid == 0 {
		return visitor{}, nil
	}
	now := s.Now()
	seen, start := time.Unix(sm.GetInt64(ctx, keySeen), 0), time.Unix(sm.GetInt64(ctx, keyStart), 0)
	if now.Sub(seen) > sessionIdle || now.Sub(start) > sessionLifetime {
		return visitor{}, nil
	}
	a, err := s.Store.Account(ctx, pid, club.Today(now).Year())
	if err != nil {
		if store.Unavailable(err) || obs.ClientGone(ctx, err) {
			return visitor{}, err // 503 page, or the 499 of a client that left
		}
		if !errors.Is(err, store.ErrNotFound) {
			s.Logger.ErrorContext(ctx, "load visitor", "err", err)
		}
		return visitor{}, nil
	}
	if !a.IsActive || a.SessionVersion != sm.GetInt(ctx, keyVersion) {
		return visitor{}, nil
	}
	return visitor{Person: &a.Person, Role: roleOf(a)}, nil
}

// startSession logs p in on this request: a fresh token (no session
// fixation), the person's current session version and the idle clock.
func (s *Server) startSession(ctx context.Context, p club.Person) error {
	sm := s.acct.sessions
	if err := sm.RenewToken(ctx); err != nil {
		return err
	}
	sm.Put(ctx, keyPerson, p.ID)
	sm.Put(ctx, keyVersion, p.SessionVersion)
	now := s.Now().Unix()
	sm.Put(ctx, keySeen, now)
	sm.Put(ctx, keyStart, now)
	obs.SetUserID(ctx, p.ID)
	return nil
}

// endSession logs out this browser.
func (s *Server) endSession(ctx context.Context) error { return s.acct.sessions.Destroy(ctx) }

// hashPassword hashes with the configured bcrypt cost.
func (s *Server) hashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), s.acct.cost)
	return string(h), err
}

// checkPassword compares pw with hash; with an empty hash (unknown email or
// an account without a password) it still spends the same bcrypt time.
func (s *Server) checkPassword(hash, pw string) bool {
	if hash == "" {
		s.acct.dummyOnce.Do(func() {
			s.acct.dummy, _ = bcrypt.GenerateFromPassword([]byte(rand.Text()), s.acct.cost)
		})
		_ = bcrypt.CompareHashAndPassword(s.acct.dummy, []byte(pw))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// rateLimitUser keys logged-in visitors by account as well as by address.
func rateLimitUser(ctx context.Context) string {
	if p := visitorOf(ctx).Person; p != nil {
		return strconv.FormatInt(p.ID, 10)
	}
	return ""
}

// securityEvent logs an account event (spec 03 §9). The request id and user
// id are added by the obs log handler from the context (InfoContext). Emails
// are masked and passwords are never passed in.
func (s *Server) securityEvent(r *http.Request, event string, attrs ...any) {
	attrs = append(attrs, "event", event, "client", ratelimit.ClientIP(r, s.acct.trusted).String())
	s.Logger.InfoContext(r.Context(), "security: "+event, attrs...)
}
