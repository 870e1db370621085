package cache

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// How bumps reach the other replicas. With Redis pub/sub live, every bump
// is announced and applied within milliseconds, and versions are re-read
// from L2 only every VersionRefresh as a safety net. While pub/sub is down
// (Redis not configured, degraded, or the subscription lost) nothing is
// announced, so this replica re-reads versions from the L2 tiers it can
// reach every refreshWithoutPubSub and keeps L1 entries at most
// MaxL1TTLWithoutPubSub: another replica's write shows here within the
// spec's 5 s (issue 15: it took up to 9.6 s with Memcached as fallback).

// refreshWithoutPubSub is the version resync interval while bumps cannot be
// announced; with the L2 timeouts it keeps staleness well under 5 s.
const refreshWithoutPubSub = time.Second

// pubSubLive reports whether bumps from other replicas reach this one now.
func (t *Tiered) pubSubLive() bool {
	return t.redis != nil && t.subscribed.Load() && t.redisTier.healthy.Load()
}

// pubSubLost is called when Redis degrades or the subscription breaks. L1
// entries stored while pub/sub was live may have long TTLs; they are dropped
// so that from now on L1 holds nothing older than MaxL1TTLWithoutPubSub, and
// versions are re-read at once rather than at the next tick.
func (t *Tiered) pubSubLost() {
	if !t.subscribed.Swap(false) {
		return
	}
	t.l1.c.InvalidateAll()
	select {
	case t.resyncNow <- struct{}{}:
	default:
	}
}

// publish tells the other replicas the new versions ("ns=version" lines).
func (t *Tiered) publish(ctx context.Context, ns []string) {
	if t.redis == nil || !t.redisTier.healthy.Load() {
		return // the other replicas' fast resync stands in (refreshLoop)
	}
	var b strings.Builder
	for _, n := range ns {
		v, _ := t.vers.get(n)
		b.WriteString(n + "=" + strconv.FormatUint(v, 10) + "\n")
	}
	c, cancel := t.l2ctx(ctx)
	defer cancel()
	t.fail(ctx, t.redisTier, t.redis.publish(c, t.channel(), b.String()))
}

func (t *Tiered) channel() string { return t.opts.KeyPrefix + "bumps" }

// applyMessage merges a bump announcement from another replica.
func (t *Tiered) applyMessage(payload string) {
	for line := range strings.SplitSeq(payload, "\n") {
		i := strings.LastIndexByte(line, '=')
		if i <= 0 {
			continue
		}
		v, err := strconv.ParseUint(line[i+1:], 10, 64)
		if err != nil {
			continue
		}
		t.vers.merge(line[:i], v)
	}
}

// refreshLoop resyncs versions every VersionRefresh while pub/sub is live,
// every refreshWithoutPubSub otherwise, and at once when pub/sub is lost.
func (t *Tiered) refreshLoop(ctx context.Context) {
	defer t.wg.Done()
	tick := time.NewTicker(min(t.opts.VersionRefresh, refreshWithoutPubSub))
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if t.pubSubLive() && time.Since(last) < t.opts.VersionRefresh {
				continue
			}
		case <-t.resyncNow:
		}
		t.resync(ctx)
		last = time.Now()
	}
}

// subscribeLoop applies other replicas' bumps. go-redis reconnects and
// resubscribes by itself; every (re)subscription triggers a resync because
// messages sent while we were away are lost. The connection is pinged every
// ProbeInterval: a subscription that hears nothing (not even the pong) for
// three intervals is treated as lost, so a silent network failure cannot
// leave this replica waiting for announcements that never come.
func (t *Tiered) subscribeLoop(ctx context.Context) {
	defer t.wg.Done()
	ps := t.redis.rc.Subscribe(ctx, t.channel())
	defer ps.Close()
	heard := time.Now()
	live := false // the subscription on the current connection is confirmed
	for {
		msg, err := ps.ReceiveTimeout(ctx, t.opts.ProbeInterval)
		if ctx.Err() != nil {
			return
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			if time.Since(heard) > 3*t.opts.ProbeInterval {
				t.pubSubLost()
			}
			_ = ps.Ping(ctx) // the pong arrives through ReceiveTimeout
			continue
		}
		if err != nil {
			live = false
			t.pubSubLost()
			if !errors.Is(err, redis.ErrClosed) {
				t.fail(ctx, t.redisTier, err)
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(t.opts.ProbeInterval):
			}
			continue
		}
		heard = time.Now()
		switch m := msg.(type) {
		case *redis.Message:
			t.applyMessage(m.Payload)
		case *redis.Subscription:
			live = live || m.Kind == "subscribe"
		}
		// Live again after a (re)subscription, or after the Redis tier
		// degraded while this connection stayed up: resync first, because
		// announcements sent while we were away are lost.
		if live && !t.subscribed.Load() {
			t.resync(ctx)
			t.subscribed.Store(true)
		}
	}
}

// PubSubLive reports whether other replicas' bumps reach this one over
// Redis pub/sub right now (false without Redis): tests wait for it, and
// while it is false L1 keeps entries at most MaxL1TTLWithoutPubSub.
func (t *Tiered) PubSubLive() bool { return t.pubSubLive() }
