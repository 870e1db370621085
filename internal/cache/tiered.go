package cache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"
)

// Options configures New. Zero values get the defaults noted per field.
type Options struct {
	RedisURL         string // REDIS_URL; empty = no Redis
	MemcachedServers string // MEMCACHED_SERVERS, comma list; empty = no Memcached
	// KeyPrefix namespaces every key and the pub/sub channel so several
	// installations (and tests) can share servers. Default "sabc:".
	KeyPrefix  string
	L1MaxBytes int64         // default 64 MiB
	DefaultTTL time.Duration // used when GetOrLoad gets ttl <= 0; default 10 min
	// L1MaxTTL caps how long L1 keeps an entry (0 = no cap beyond the TTL).
	// Forced to ≤ MaxL1TTLWithoutPubSub whenever an L2 is configured but
	// Redis pub/sub is not live (Memcached only, Redis degraded, subscription lost).
	L1MaxTTL       time.Duration
	L2Timeout      time.Duration // budget of one L2 call; default 50 ms
	ProbeInterval  time.Duration // how often degraded tiers are retried; default 1 s
	VersionRefresh time.Duration // namespace resync; default 10 s with Redis, 1 s without
	VersionTTL     time.Duration // life of a version counter in L2 after its last create/bump/raise; default 1 h
	WarmDebounce   time.Duration // quiet time before warmers run after a Bump; default 250 ms
	WarmTimeout    time.Duration // budget of one warming run; default 1 min
	Logger         *slog.Logger  // default slog.Default()
	Registerer     prometheus.Registerer
}

func (o *Options) defaults() {
	if o.KeyPrefix == "" {
		o.KeyPrefix = "sabc:"
	}
	if o.DefaultTTL <= 0 {
		o.DefaultTTL = 10 * time.Minute
	}
	if o.L2Timeout <= 0 {
		o.L2Timeout = 50 * time.Millisecond
	}
	if o.ProbeInterval <= 0 {
		o.ProbeInterval = time.Second
	}
	if o.VersionRefresh <= 0 {
		o.VersionRefresh = 10 * time.Second
		if o.RedisURL == "" {
			o.VersionRefresh = time.Second
		}
	}
	if o.VersionTTL <= 0 {
		o.VersionTTL = DefaultVersionTTL
	}
	if o.WarmDebounce <= 0 {
		o.WarmDebounce = 250 * time.Millisecond
	}
	if o.WarmTimeout <= 0 {
		o.WarmTimeout = time.Minute
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Tiered is the cache the web layer uses: L1 in process, then the active L2
// (Redis, else Memcached), then the loader. Safe for concurrent use.
type Tiered struct {
	opts    Options
	log     *slog.Logger
	m       *metrics
	l1      *Memory
	tiers   []*tier // L2 in preference order
	started time.Time

	redis     *Redis // nil without Redis; carries pub/sub
	redisTier *tier

	vers      versions
	flight    singleflight.Group // one loader per versioned key
	verFlight singleflight.Group // one L2 read per unknown namespace

	warm warmer

	subscribed atomic.Bool   // pub/sub confirmed and not lost since (pubsub.go)
	resyncNow  chan struct{} // wakes refreshLoop when pub/sub is lost
	cancel     context.CancelFunc
	wg         sync.WaitGroup
	closeOnce  sync.Once
}

// New builds the cache from configuration and starts its background work
// (health probes, version refresh, pub/sub, warming). An unreachable L2 is
// not an error: the cache starts degraded and recovers by itself. Only
// invalid configuration fails.
func New(opts Options) (*Tiered, error) {
	opts.defaults()
	if opts.VersionTTL < opts.DefaultTTL {
		return nil, fmt.Errorf("cache: VersionTTL %v must be at least DefaultTTL %v", opts.VersionTTL, opts.DefaultTTL)
	}
	l1, err := NewMemory(opts.L1MaxBytes)
	if err != nil {
		return nil, err
	}
	t := &Tiered{opts: opts, log: opts.Logger, m: newMetrics(opts.Registerer), l1: l1,
		started: time.Now(), vers: versions{m: map[string]uint64{}}, resyncNow: make(chan struct{}, 1)}
	if opts.RedisURL != "" {
		rc, err := NewRedisClient(opts.RedisURL, opts.L2Timeout)
		if err != nil {
			return nil, err
		}
		t.redis = NewRedis(rc)
		t.redisTier = newTier(t.redis)
		t.tiers = append(t.tiers, t.redisTier)
	}
	if opts.MemcachedServers != "" {
		mc, err := NewMemcached(opts.MemcachedServers, opts.L2Timeout)
		if err != nil {
			return nil, err
		}
		t.tiers = append(t.tiers, newTier(mc))
	}
	if t.redis == nil && len(t.tiers) > 0 && (opts.L1MaxTTL <= 0 || opts.L1MaxTTL > MaxL1TTLWithoutPubSub) {
		t.opts.L1MaxTTL = MaxL1TTLWithoutPubSub
	}
	t.warm.init(t)

	ctx, cancel := context.WithCancel(context.Background())
	t.cancel = cancel
	for _, tr := range t.tiers {
		t.m.up.WithLabelValues(tr.name()).Set(1)
		// First contact gets a longer budget: connecting costs more than a
		// call on a pooled connection.
		// A tier unreachable at start is degraded at once: there is no
		// run of successes to protect from a slow call.
		pctx, pcancel := context.WithTimeout(ctx, max(time.Second, opts.L2Timeout))
		if err := tr.be.ping(pctx); err != nil {
			t.m.result(tr.name(), "error")
			t.degrade(tr, err)
		}
		pcancel()
	}
	if len(t.tiers) > 0 {
		t.wg.Add(2)
		go t.probeLoop(ctx)
		go t.refreshLoop(ctx)
	}
	if t.redis != nil {
		t.wg.Add(1)
		go t.subscribeLoop(ctx)
	}
	t.wg.Add(1)
	go t.warm.loop(ctx)
	return t, nil
}

// Close stops background work and closes the L2 clients.
func (t *Tiered) Close() error {
	var errs []error
	t.closeOnce.Do(func() {
		t.cancel()
		if t.redis != nil {
			// Unblocks the pub/sub receive.
			errs = append(errs, t.redis.close())
		}
		t.wg.Wait()
		for _, tr := range t.tiers {
			if tr != t.redisTier {
				errs = append(errs, tr.be.close())
			}
		}
		t.l1.Close()
	})
	return errors.Join(errs...)
}

// fullKey embeds the current namespace versions, which is what makes a
// Bump invalidate: afterwards the old key is never built again.
func (t *Tiered) fullKey(ctx context.Context, k Key) string {
	// Built in one buffer sized up front (every page hit builds its key):
	// versions are appended as digits, not formatted into strings first.
	n := len(t.opts.KeyPrefix) + len("v:") + len(k.Name) + 1
	for _, ns := range k.Deps {
		n += len(ns) + 2 + 20 // ",", "=", and up to 20 digits
	}
	b := make([]byte, 0, n)
	b = append(append(append(b, t.opts.KeyPrefix...), "v:"...), k.Name...)
	b = append(b, '|')
	for i, ns := range k.Deps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(append(b, ns...), '=')
		b = strconv.AppendUint(b, t.version(ctx, ns), 10)
	}
	return string(b)
}

// l1TTL applies the L1 cap. Without pub/sub this replica learns of other
// replicas' bumps only by polling, so L1 must not outlive the spec's 5 s.
func (t *Tiered) l1TTL(ttl time.Duration) time.Duration {
	limit := t.opts.L1MaxTTL
	if t.redis != nil && !t.pubSubLive() && (limit <= 0 || limit > MaxL1TTLWithoutPubSub) {
		limit = MaxL1TTLWithoutPubSub
	}
	if limit > 0 && ttl > limit {
		return limit
	}
	return ttl
}

type fillResult struct {
	val []byte
	hit bool // found in a tier rather than loaded
}

// GetOrLoad returns the value for key, reading L1, then the active L2, then
// calling load; a loaded value is written back to L1 and L2 with ttl (<= 0
// means Options.DefaultTTL). Concurrent callers of the same key share one
// L2 read and one loader call. L2 trouble never fails the call. The
// returned slice is shared: do not modify it.
func (t *Tiered) GetOrLoad(ctx context.Context, key Key, ttl time.Duration, load Loader) ([]byte, error) {
	if ttl <= 0 {
		ttl = t.opts.DefaultTTL
	}
	full := t.fullKey(ctx, key)
	st := StatsFrom(ctx)
	start := time.Now()
	if v, err := t.l1.Get(ctx, full); err == nil {
		t.m.observe("l1", "get", start)
		t.m.result("l1", "hit")
		st.hit()
		return v, nil
	}
	t.m.observe("l1", "get", start)
	t.m.result("l1", "miss")
	// The shared work must not die with the first caller's request: the
	// others are waiting for it too.
	shared := context.WithoutCancel(ctx)
	ch := t.flight.DoChan(full, func() (any, error) { return t.fill(shared, full, ttl, load) })
	select {
	case r := <-ch:
		if r.Err != nil {
			st.miss()
			return nil, r.Err
		}
		res := r.Val.(fillResult)
		if res.hit {
			st.hit()
		} else {
			st.miss()
		}
		return res.val, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (t *Tiered) fill(ctx context.Context, full string, ttl time.Duration, load Loader) (fillResult, error) {
	// A caller that just missed L1 may have queued behind a fill that
	// completed in between.
	if v, err := t.l1.Get(ctx, full); err == nil {
		return fillResult{val: v, hit: true}, nil
	}
	// l2 is where a loaded value goes: the first tier that answered. A
	// tier that just failed is not tried again for the write, so one slow
	// request counts as one failure, not two.
	var l2 *tier
	failed := 0
	for _, tr := range t.healthyTiers() {
		v, err := t.l2Get(ctx, tr, full)
		t.fail(ctx, tr, err)
		if err == nil {
			_ = t.l1.Set(ctx, full, v, t.l1TTL(ttl))
			return fillResult{val: v, hit: true}, nil
		}
		if errors.Is(err, ErrMiss) {
			// The first healthy tier is authoritative; a secondary could
			// only hold what this one lost.
			l2 = tr
			break
		}
		failed++
	}
	t.m.loads.Inc()
	start := time.Now()
	v, err := load(ctx)
	t.m.observe("loader", "load", start)
	if err != nil {
		return fillResult{}, fmt.Errorf("cache load %s: %w", full, err)
	}
	_ = t.l1.Set(ctx, full, v, t.l1TTL(ttl))
	if h := t.healthyTiers(); l2 == nil && len(h) > failed {
		l2 = h[failed]
	}
	if l2 != nil {
		c, cancel := t.l2ctx(ctx)
		start := time.Now()
		err := l2.be.Set(c, full, v, ttl)
		cancel()
		t.m.observe(l2.name(), "set", start)
		t.fail(ctx, l2, err)
	}
	return fillResult{val: v}, nil
}

func (t *Tiered) l2Get(ctx context.Context, tr *tier, key string) ([]byte, error) {
	c, cancel := t.l2ctx(ctx)
	defer cancel()
	start := time.Now()
	v, err := tr.be.Get(c, key)
	t.m.observe(tr.name(), "get", start)
	switch {
	case err == nil:
		t.m.result(tr.name(), "hit")
	case errors.Is(err, ErrMiss):
		t.m.result(tr.name(), "miss")
	}
	return v, err
}

// Delete removes one key from every tier (rarely needed: Bump is the way to
// invalidate; this is for values cached without namespaces).
func (t *Tiered) Delete(ctx context.Context, key Key) {
	full := t.fullKey(ctx, key)
	_ = t.l1.Delete(ctx, full)
	for _, tr := range t.healthyTiers() {
		c, cancel := t.l2ctx(ctx)
		t.fail(ctx, tr, tr.be.Delete(c, full))
		cancel()
	}
}
