// Package cache owns sabc's cache of rendered pages and computed views: the
// tier implementations (in-process L1 on otter, Redis and Memcached as shared
// L2), the Tiered cache that stacks them with stampede protection, run-time
// L2 failover and degradation tracking, the versioned namespaces used for
// exact invalidation, the invalidation map (invalidation.go: which write
// invalidates which pages), background warming and the cache metrics.
//
// How invalidation works: every cached value is stored under a key that
// embeds the current version of each namespace it depends on
// ("page:/tournaments/17/|tournament:17=1718..,season:2026=1718..").
// Bump increments those versions (in every reachable L2, so all replicas
// agree, and locally) and announces the new versions on a Redis pub/sub
// channel; afterwards nobody builds the old key again, so stale entries are
// never read and simply expire. Nothing is ever deleted by pattern.
//
// Versions are monotonic high-water marks: a replica only ever raises its
// in-memory version (max-merge of its own bumps, pub/sub messages and periodic
// reads of the L2 counters), every L2 is kept at least as high as any version
// in use, and a missing counter (evicted, expired, server restarted) starts
// at the current Unix time in microseconds, above anything a previous
// incarnation could have reached. Together this means a version number is
// never reused for different content. Counters expire (Options.VersionTTL)
// an hour after their last bump, so a request for a row that does not exist
// leaves nothing behind for long.
package cache

import (
	"context"
	"errors"
	"time"
)

// ErrMiss is returned by Cache.Get when the key is absent or expired.
var ErrMiss = errors.New("cache: miss")

// Cache is one tier: a byte store with per-entry TTL. Values handed out must
// be treated as read-only by callers (tiers may share them).
type Cache interface {
	// Name is the tier name used in metrics, logs and Status ("l1", "redis",
	// "memcached").
	Name() string
	// Get returns ErrMiss for an absent key; any other error is a tier failure.
	Get(ctx context.Context, key string) ([]byte, error)
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// Delete removes key; deleting an absent key is not an error.
	Delete(ctx context.Context, key string) error
}

// Key names a cached value and the namespaces it depends on. Deps normally
// comes from a page helper in invalidation.go (TournamentPage, HomePage…), so
// the page and the writes that invalidate it are declared in one place.
type Key struct {
	Name string
	Deps []string
}

// Loader produces the value on a miss (renders the page, computes the view).
// Errors are returned to the caller and never cached.
type Loader func(ctx context.Context) ([]byte, error)

// MaxL1TTLWithoutPubSub bounds how long L1 may keep an entry while bumps from
// other replicas cannot reach this one over Redis pub/sub (Memcached-only
// mode, or Redis degraded): the spec's "L1 TTL ≤ 5 s when only Memcached is
// present".
const MaxL1TTLWithoutPubSub = 5 * time.Second

// TierStatus is one tier's health for the health endpoint.
type TierStatus struct {
	Name      string    `json:"name"`
	OK        bool      `json:"ok"`
	State     string    `json:"state"`            // "ok" or "degraded"
	Active    bool      `json:"active"`           // serves as L2 right now (L1 is always active)
	LastError string    `json:"last_error"`       // most recent failure, kept after recovery
	Since     time.Time `json:"since,omitzero"`   // last state change
	Pending   int       `json:"pending,omitzero"` // bumps to replay when it recovers
}
