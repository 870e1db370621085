package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// RedisConfig configures NewRedis.
type RedisConfig struct {
	// Limits per class; nil means DefaultLimits().
	Limits Limits
	// Prefix namespaces the keys (default "sabc:rl:"), so several sites or
	// test runs can share one Redis. redis_rate adds its own "rate:" in front.
	Prefix string
	// Timeout bounds each Redis round trip (default 100 ms): a slow Redis
	// must cost a request a few milliseconds, not its whole deadline.
	Timeout time.Duration
	// Fallback, if set, decides while Redis is failing (typically a
	// *Memory): limits become per replica instead of shared, which still
	// stops a password guesser. Nil means fail open: allow everything.
	Fallback Limiter
	// RetryAfterFailure is how long to skip Redis after an error before
	// trying again (default 1 s), so an outage costs one timeout per
	// second instead of one per request.
	RetryAfterFailure time.Duration
	// OnStateChange, if set, is called once when Redis starts failing
	// (healthy=false, with the error) and once when it works again
	// (healthy=true, nil) — one log line per state change, not per request.
	OnStateChange func(healthy bool, err error)
}

// Redis is the Limiter for the scaled deployment shape: replicas sharing one
// Redis share the counters. It uses redis_rate's GCRA Lua script, which is
// atomic in Redis and sets an expiry so idle keys disappear by themselves.
//
// It fails open: on any Redis error the request is allowed (or decided by
// RedisConfig.Fallback) and the error is returned, and Healthy reports false
// until a call succeeds again; retries are spaced by RetryAfterFailure.
type Redis struct {
	rl      *redis_rate.Limiter
	limits  Limits
	prefix  string
	timeout time.Duration
	notify  func(bool, error)
	backup  Limiter
	backoff time.Duration

	mu      sync.Mutex
	healthy bool
	lastErr error
	retryAt time.Time // while unhealthy, skip Redis until then
}

// NewRedis returns a Redis-backed limiter using client (a *redis.Client,
// *redis.ClusterClient or failover client all satisfy UniversalClient).
func NewRedis(client redis.UniversalClient, cfg RedisConfig) (*Redis, error) {
	if client == nil {
		return nil, fmt.Errorf("ratelimit: nil Redis client")
	}
	if cfg.Limits == nil {
		cfg.Limits = DefaultLimits()
	}
	if err := cfg.Limits.validate(); err != nil {
		return nil, err
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "sabc:rl:"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 100 * time.Millisecond
	}
	if cfg.RetryAfterFailure <= 0 {
		cfg.RetryAfterFailure = time.Second
	}
	return &Redis{
		rl:      redis_rate.NewLimiter(client),
		limits:  cfg.Limits,
		prefix:  cfg.Prefix,
		timeout: cfg.Timeout,
		notify:  cfg.OnStateChange,
		backup:  cfg.Fallback,
		backoff: cfg.RetryAfterFailure,
		healthy: true,
	}, nil
}

// Allow implements Limiter.
func (l *Redis) Allow(ctx context.Context, key string, class Class) (Decision, error) {
	if class == Exempt {
		return allowUncounted(Limit{}), nil
	}
	lim, ok := l.limits[class]
	if !ok {
		return allowUncounted(Limit{}), fmt.Errorf("%w %q", ErrUnknownClass, class)
	}
	if err := l.skipping(); err != nil {
		return l.degraded(ctx, key, class, lim, err)
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	res, err := l.rl.Allow(ctx, l.prefix+string(class)+":"+key, redis_rate.Limit{
		Rate:   lim.Requests,
		Burst:  lim.Requests,
		Period: lim.Per,
	})
	if err != nil {
		err = fmt.Errorf("ratelimit: redis: %w", err)
		// A client that hung up is not a Redis outage; don't flap health.
		if parent.Err() == nil {
			l.setState(false, err)
		}
		return l.degraded(parent, key, class, lim, err)
	}
	l.setState(true, nil)
	d := Decision{Allowed: res.Allowed > 0, Limit: lim, Remaining: res.Remaining}
	if !d.Allowed && res.RetryAfter > 0 {
		d.RetryAfter = res.RetryAfter
	}
	return d, nil
}

// Healthy reports whether the last Redis call succeeded, and the last error
// otherwise; for the health endpoint and metrics.
func (l *Redis) Healthy() (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.healthy, l.lastErr
}

// degraded answers while Redis is failing: from the fallback if any, else
// allow. The Redis error is always returned so callers can see the outage.
func (l *Redis) degraded(ctx context.Context, key string, class Class, lim Limit, err error) (Decision, error) {
	if l.backup != nil {
		if d, ferr := l.backup.Allow(ctx, key, class); ferr == nil {
			return d, err
		}
	}
	return allowUncounted(lim), err
}

// skipping returns the last error while inside the back-off window.
func (l *Redis) skipping() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.healthy && time.Now().Before(l.retryAt) {
		return l.lastErr
	}
	return nil
}

func (l *Redis) setState(healthy bool, err error) {
	l.mu.Lock()
	changed := l.healthy != healthy
	l.healthy, l.lastErr = healthy, err
	if !healthy {
		l.retryAt = time.Now().Add(l.backoff)
	}
	l.mu.Unlock()
	if changed && l.notify != nil {
		l.notify(healthy, err)
	}
}
