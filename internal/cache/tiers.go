package cache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// backend is what an L2 tier offers beyond Cache: health and the namespace
// version counters.
type backend interface {
	Cache
	ping(ctx context.Context) error
	close() error
	// loadVersions reads counters, creating missing ones at seed to expire
	// after ttl; with seed 0 it creates nothing and reports a missing
	// counter as 0.
	loadVersions(ctx context.Context, keys []string, seed uint64, ttl time.Duration) ([]uint64, error)
	// incr increments a counter (creating it at seed first), restarts its
	// ttl and returns it.
	incr(ctx context.Context, key string, seed uint64, ttl time.Duration) (uint64, error)
	// raise lifts a counter to at least v and restarts its ttl.
	raise(ctx context.Context, key string, v uint64, ttl time.Duration) error
}

// DegradeAfter is how many L2 calls in a row must fail before a tier is
// marked degraded. On a busy machine a single call can overrun the 50 ms
// budget with no outage (issue 15: 0.3–1 s "degraded" flaps); a real outage
// fails every call, so it is still noticed within a few requests.
const DegradeAfter = 3

// tier is one L2 with its health. healthy is read on every request, so it is
// an atomic, as is the run of consecutive failures; the rest changes only on
// state changes and sits under mu.
type tier struct {
	be      backend
	healthy atomic.Bool
	fails   atomic.Int32 // consecutive failed calls; any success resets it

	mu      sync.Mutex
	lastErr string
	since   time.Time
	// pending holds namespaces bumped while this tier was unreachable; they
	// are replayed on recovery so other replicas learn of those writes.
	pending map[string]struct{}
}

func newTier(be backend) *tier {
	t := &tier{be: be, since: time.Now(), pending: map[string]struct{}{}}
	t.healthy.Store(true)
	return t
}

func (tr *tier) name() string { return tr.be.Name() }

func (tr *tier) addPending(ns []string) {
	tr.mu.Lock()
	for _, n := range ns {
		tr.pending[n] = struct{}{}
	}
	tr.mu.Unlock()
}

func (tr *tier) takePending() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	out := make([]string, 0, len(tr.pending))
	for n := range tr.pending {
		out = append(out, n)
	}
	clear(tr.pending)
	return out
}

// healthyTiers returns the usable L2 tiers in preference order (Redis first);
// the first one is the active L2.
func (t *Tiered) healthyTiers() []*tier {
	out := make([]*tier, 0, len(t.tiers))
	for _, tr := range t.tiers {
		if tr.healthy.Load() {
			out = append(out, tr)
		}
	}
	return out
}

func (t *Tiered) activeName() string {
	if h := t.healthyTiers(); len(h) > 0 {
		return h[0].name()
	}
	return "none"
}

// l2ctx gives one L2 call its short budget.
func (t *Tiered) l2ctx(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, t.opts.L2Timeout)
}

// fail records the outcome of an L2 call: nil or a miss ends a run of
// failures; an error extends it, and the DegradeAfter-th in a row marks the
// tier degraded. Only the healthy→degraded transition logs, so an outage
// costs one line however many requests hit it. A caller that gave up (its
// own context ended) says nothing about the tier and is ignored.
func (t *Tiered) fail(ctx context.Context, tr *tier, err error) {
	if err == nil || errors.Is(err, ErrMiss) {
		tr.fails.Store(0)
		return
	}
	if ctx.Err() != nil {
		return
	}
	t.m.result(tr.name(), "error")
	if tr.fails.Add(1) >= DegradeAfter {
		t.degrade(tr, err)
		return
	}
	tr.mu.Lock()
	tr.lastErr = err.Error()
	tr.mu.Unlock()
}

// degrade marks a tier degraded (once per outage) and, for Redis, records
// that bumps can no longer be announced.
func (t *Tiered) degrade(tr *tier, err error) {
	tr.mu.Lock()
	tr.lastErr = err.Error()
	changed := tr.healthy.CompareAndSwap(true, false)
	if changed {
		tr.since = time.Now()
	}
	tr.mu.Unlock()
	if tr == t.redisTier {
		t.pubSubLost()
	}
	if changed {
		t.m.up.WithLabelValues(tr.name()).Set(0)
		t.log.Warn("cache tier degraded", "tier", tr.name(), "error", err.Error(), "l2_active", t.activeName())
	}
}

// recoverTier brings a tier back once a probe succeeded: first it replays
// the bumps the tier missed and lifts its counters to what this replica uses,
// and only then is it marked healthy, so no request reads it with versions
// it has not caught up with.
func (t *Tiered) recoverTier(ctx context.Context, tr *tier) error {
	pending := tr.takePending()
	if len(pending) > 0 {
		if err := t.bumpOn(ctx, tr, pending); err != nil {
			tr.addPending(pending)
			return err
		}
	}
	if err := t.syncTier(ctx, tr, true); err != nil {
		return err
	}
	tr.mu.Lock()
	tr.fails.Store(0)
	changed := tr.healthy.CompareAndSwap(false, true)
	if changed {
		tr.since = time.Now()
	}
	tr.mu.Unlock()
	if changed {
		t.m.up.WithLabelValues(tr.name()).Set(1)
		t.log.Info("cache tier recovered", "tier", tr.name(), "l2_active", t.activeName())
	}
	if len(pending) > 0 {
		t.publish(ctx, pending)
	}
	return nil
}

// replayPending retries bumps that failed on a tier that stayed healthy (a
// failure short of DegradeAfter), so its counters catch up without waiting
// for an outage to end.
func (t *Tiered) replayPending(ctx context.Context, tr *tier) {
	ns := tr.takePending()
	if len(ns) == 0 {
		return
	}
	rctx, cancel := context.WithTimeout(ctx, 10*t.opts.L2Timeout)
	defer cancel()
	err := t.bumpOn(rctx, tr, ns)
	t.fail(ctx, tr, err)
	if err != nil {
		tr.addPending(ns)
		return
	}
	t.publish(ctx, ns)
}

// probeLoop pings degraded tiers until they answer, then recovers them.
func (t *Tiered) probeLoop(ctx context.Context) {
	defer t.wg.Done()
	tick := time.NewTicker(t.opts.ProbeInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, tr := range t.tiers {
			if tr.healthy.Load() {
				t.replayPending(ctx, tr)
				continue
			}
			pctx, cancel := t.l2ctx(ctx)
			err := tr.be.ping(pctx)
			cancel()
			if err == nil {
				rctx, cancel := context.WithTimeout(ctx, 10*t.opts.L2Timeout)
				err = t.recoverTier(rctx, tr)
				cancel()
			}
			if err != nil && ctx.Err() == nil {
				tr.mu.Lock()
				tr.lastErr = err.Error()
				tr.mu.Unlock()
			}
		}
	}
}

// Status reports every tier for the health endpoint: L1 first (always ok),
// then the configured L2 tiers in preference order.
func (t *Tiered) Status() []TierStatus {
	out := []TierStatus{{Name: "l1", OK: true, State: "ok", Active: true, Since: t.started}}
	active := t.activeName()
	for _, tr := range t.tiers {
		tr.mu.Lock()
		ok := tr.healthy.Load()
		s := TierStatus{Name: tr.name(), OK: ok, State: "ok", Active: ok && tr.name() == active,
			LastError: tr.lastErr, Since: tr.since, Pending: len(tr.pending)}
		tr.mu.Unlock()
		if !ok {
			s.State = "degraded"
		}
		out = append(out, s)
	}
	return out
}

// Degraded reports whether any configured L2 tier is degraded.
func (t *Tiered) Degraded() bool {
	for _, tr := range t.tiers {
		if !tr.healthy.Load() {
			return true
		}
	}
	return false
}

// Ping checks the active L2 (readiness probe); nil when only L1 is configured.
func (t *Tiered) Ping(ctx context.Context) error {
	if len(t.tiers) == 0 {
		return nil
	}
	h := t.healthyTiers()
	if len(h) == 0 {
		return errors.New("cache: no L2 tier reachable")
	}
	return h[0].be.ping(ctx)
}
