package cache

import (
	"context"
	"slices"
	"sync"
	"time"
)

// versions is this replica's view of namespace versions, read on every
// request, so it lives in memory; it only ever grows (max-merge).
type versions struct {
	mu sync.RWMutex
	m  map[string]uint64
}

func (v *versions) get(ns string) (uint64, bool) {
	v.mu.RLock()
	n, ok := v.m[ns]
	v.mu.RUnlock()
	return n, ok
}

// merge raises ns to n if n is higher and returns the resulting version.
func (v *versions) merge(ns string, n uint64) uint64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	if cur := v.m[ns]; cur >= n {
		return cur
	}
	v.m[ns] = n
	return n
}

// forget drops ns: the next use reads it from L2 again.
func (v *versions) forget(ns string) {
	v.mu.Lock()
	delete(v.m, ns)
	v.mu.Unlock()
}

func (v *versions) known() []string {
	v.mu.RLock()
	defer v.mu.RUnlock()
	out := make([]string, 0, len(v.m))
	for ns := range v.m {
		out = append(out, ns)
	}
	return out
}

// seed is where a missing counter starts: above any value a counter created
// earlier could have reached by +1 bumps.
func seed() uint64 { return uint64(time.Now().UnixMicro()) }

// DefaultVersionTTL is how long a version counter lives in L2 without being
// bumped (issue 14 finding 10: a request for a row that does not exist
// created a counter that stayed forever). Expiry cannot serve a stale page:
// a counter created again starts at seed(), above every value the old one
// held, so keys built with old versions are never built again (given clocks
// agree to better than this TTL). It is six times the page TTL, so a counter
// rarely expires under entries that are still alive; when it does, those
// entries are re-rendered once.
const DefaultVersionTTL = time.Hour

func (t *Tiered) verKey(ns string) string { return t.opts.KeyPrefix + "ver:" + ns }

// version returns the current version of ns. The first use of a namespace on
// this replica asks L2 (so it joins the cluster's numbering instead of
// inventing a stale one); later uses are a map read.
func (t *Tiered) version(ctx context.Context, ns string) uint64 {
	if v, ok := t.vers.get(ns); ok {
		return v
	}
	// Shared by concurrent callers, so one caller leaving must not turn the
	// lookup into a spurious local seed.
	ctx = context.WithoutCancel(ctx)
	v, _, _ := t.verFlight.Do(ns, func() (any, error) {
		if v, ok := t.vers.get(ns); ok {
			return v, nil
		}
		for _, tr := range t.healthyTiers() {
			c, cancel := t.l2ctx(ctx)
			vs, err := tr.be.loadVersions(c, []string{t.verKey(ns)}, seed(), t.opts.VersionTTL)
			cancel()
			t.fail(ctx, tr, err)
			if err == nil {
				return t.vers.merge(ns, vs[0]), nil
			}
		}
		// No L2: a local start is safe because a recovering tier is
		// raised to our versions before it is used again (syncTier).
		return t.vers.merge(ns, seed()), nil
	})
	return v.(uint64)
}

// Bump invalidates everything that depends on the given namespaces: each
// version is incremented in every reachable L2 and locally, then announced
// to the other replicas. It never fails the write that called it: an
// unreachable tier gets the bump replayed when it recovers. Call it after
// the database transaction commits, with names from invalidation.go.
func (t *Tiered) Bump(ctx context.Context, namespaces ...string) {
	ns := slices.Compact(slices.Sorted(slices.Values(namespaces)))
	if len(ns) == 0 {
		return
	}
	t.m.bumps.Add(float64(len(ns)))
	ctx = context.WithoutCancel(ctx) // a bump half-done because the client left would be worse
	shared := false
	for _, tr := range t.tiers {
		if !tr.healthy.Load() {
			tr.addPending(ns)
			continue
		}
		err := t.bumpOn(ctx, tr, ns)
		t.fail(ctx, tr, err)
		if err != nil {
			tr.addPending(ns)
			continue
		}
		shared = true
	}
	if !shared {
		// No L2 took it (embedded mode or outage): bump locally so this
		// replica stops serving the old content right away. A namespace
		// never used here has nothing cached to invalidate.
		for _, n := range ns {
			if cur, ok := t.vers.get(n); ok {
				t.vers.merge(n, cur+1)
			}
		}
	}
	t.publish(ctx, ns)
	t.Warm()
}

// bumpOn increments ns on one tier, merges the results locally and, when the
// tier was behind this replica, lifts it so the tier never hands out a
// version already used for older content.
func (t *Tiered) bumpOn(ctx context.Context, tr *tier, ns []string) error {
	for _, n := range ns {
		c, cancel := t.l2ctx(ctx)
		v, err := tr.be.incr(c, t.verKey(n), seed(), t.opts.VersionTTL)
		cancel()
		if err != nil {
			return err
		}
		cur, _ := t.vers.get(n)
		want := max(v, cur+1)
		t.vers.merge(n, want)
		if v < want {
			c, cancel := t.l2ctx(ctx)
			err := tr.be.raise(c, t.verKey(n), want, t.opts.VersionTTL)
			cancel()
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// syncTier reads every known namespace from one tier, merges upward and
// raises the tier where it is behind this replica. A counter missing from
// a recovering tier (it lost its data) is created at our version, so the
// replicas share numbering again. Otherwise a missing counter is not
// recreated: one missing from the active tier has expired (or was evicted),
// so the namespace is forgotten here and its next use reads or creates it
// afresh, above any version it had. Namespaces nobody uses again (ids of
// rows that do not exist) thus leave L2 and this replica's memory.
func (t *Tiered) syncTier(ctx context.Context, tr *tier, recovering bool) error {
	h := t.healthyTiers()
	active := len(h) > 0 && h[0] == tr
	known := t.vers.known()
	for chunk := range slices.Chunk(known, 256) {
		keys := make([]string, len(chunk))
		for i, n := range chunk {
			keys[i] = t.verKey(n)
		}
		c, cancel := context.WithTimeout(ctx, 4*t.opts.L2Timeout)
		vs, err := tr.be.loadVersions(c, keys, 0, 0)
		cancel()
		if err != nil {
			return err
		}
		for i, n := range chunk {
			if vs[i] == 0 && !recovering {
				if active {
					t.vers.forget(n)
				}
				continue
			}
			if got := t.vers.merge(n, vs[i]); got > vs[i] {
				c, cancel := t.l2ctx(ctx)
				err := tr.be.raise(c, keys[i], got, t.opts.VersionTTL)
				cancel()
				if err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// resync refreshes versions from every healthy tier: the safety net for
// missed pub/sub messages and the only propagation path without Redis.
func (t *Tiered) resync(ctx context.Context) {
	for _, tr := range t.healthyTiers() {
		t.fail(ctx, tr, t.syncTier(ctx, tr, false))
	}
}

// Version is the current version of a namespace on this replica: something
// kept in memory outside the cache (the web layer's copy of the club
// settings) compares it with the version it was loaded at, so another
// replica's write reaches it as a bump does a cached page.
func (t *Tiered) Version(ctx context.Context, ns string) uint64 { return t.version(ctx, ns) }
