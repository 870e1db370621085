package cache

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is an L2 tier on Redis (single node, cluster or sentinel). Besides
// values it keeps the namespace version counters and carries the bump
// announcements over pub/sub.
type Redis struct {
	rc redis.UniversalClient
}

// NewRedisClient builds a client from a redis:// or rediss:// URL.
// Several addresses select a topology:
//
//	redis://h1:6379/0                                  single node
//	redis://h1:6379?addr=h2:6379&addr=h3:6379          cluster
//	redis://s1:26379?master_name=m&addr=s2:26379       sentinel (failover)
//
// Timeouts come from the callers' contexts (ContextTimeoutEnabled) so the
// short L2 budget applies per call; retries are off for the same reason.
func NewRedisClient(rawURL string, timeout time.Duration) (redis.UniversalClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("cache: redis url: %w", err)
	}
	q := u.Query()
	dial := max(time.Second, timeout)
	switch {
	case q.Get("master_name") != "":
		o, err := redis.ParseFailoverURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("cache: redis sentinel url: %w", err)
		}
		o.ContextTimeoutEnabled, o.MaxRetries, o.DialTimeout = true, -1, dial
		return redis.NewFailoverClient(o), nil
	case len(q["addr"]) > 0:
		o, err := redis.ParseClusterURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("cache: redis cluster url: %w", err)
		}
		o.ContextTimeoutEnabled, o.MaxRetries, o.DialTimeout = true, -1, dial
		return redis.NewClusterClient(o), nil
	default:
		o, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("cache: redis url: %w", err)
		}
		o.ContextTimeoutEnabled, o.MaxRetries, o.DialTimeout = true, -1, dial
		return redis.NewClient(o), nil
	}
}

// NewRedis wraps a client as a tier.
func NewRedis(rc redis.UniversalClient) *Redis { return &Redis{rc: rc} }

// Name implements Cache.
func (r *Redis) Name() string { return "redis" }

// Get implements Cache.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, error) {
	b, err := r.rc.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, ErrMiss
	}
	return b, err
}

// Set implements Cache.
func (r *Redis) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return nil
	}
	return r.rc.Set(ctx, key, value, ttl).Err()
}

// Delete implements Cache.
func (r *Redis) Delete(ctx context.Context, key string) error {
	return r.rc.Del(ctx, key).Err()
}

func (r *Redis) ping(ctx context.Context) error { return r.rc.Ping(ctx).Err() }

func (r *Redis) close() error { return r.rc.Close() }

// loadVersions reads counters, creating missing ones at seed unless seed is
// 0. A pipeline rather than MGET because cluster mode cannot MGET across
// slots.
func (r *Redis) loadVersions(ctx context.Context, keys []string, seed uint64, ttl time.Duration) ([]uint64, error) {
	p := r.rc.Pipeline()
	gets := make([]*redis.StringCmd, len(keys))
	for i, k := range keys {
		if seed > 0 {
			p.SetNX(ctx, k, seed, ttl)
		}
		gets[i] = p.Get(ctx, k)
	}
	// Exec reports a missing key (redis.Nil) like a failure.
	if _, err := p.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	out := make([]uint64, len(keys))
	for i, g := range gets {
		v, err := g.Uint64()
		if errors.Is(err, redis.Nil) {
			continue // absent: 0
		}
		if err != nil {
			return nil, fmt.Errorf("version %s: %w", keys[i], err)
		}
		out[i] = v
	}
	return out, nil
}

// incr bumps a counter, creating it at seed first when missing.
func (r *Redis) incr(ctx context.Context, key string, seed uint64, ttl time.Duration) (uint64, error) {
	p := r.rc.Pipeline()
	p.SetNX(ctx, key, seed, ttl)
	in := p.Incr(ctx, key)
	p.PExpire(ctx, key, ttl)
	if _, err := p.Exec(ctx); err != nil {
		return 0, err
	}
	return uint64(in.Val()), nil
}

// raiseScript sets a counter to ARGV[1] unless it is already higher and
// restarts its TTL (ARGV[2] ms); atomic so two replicas raising at once
// cannot lower it. Values are Unix microseconds (< 2^53), exact in Lua
// numbers.
var raiseScript = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local want = tonumber(ARGV[1])
if cur < want then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return want end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return cur`)

func (r *Redis) raise(ctx context.Context, key string, v uint64, ttl time.Duration) error {
	return raiseScript.Run(ctx, r.rc, []string{key}, strconv.FormatUint(v, 10), ttl.Milliseconds()).Err()
}

func (r *Redis) publish(ctx context.Context, channel, payload string) error {
	return r.rc.Publish(ctx, channel, payload).Err()
}
