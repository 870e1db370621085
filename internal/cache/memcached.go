package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bradfitz/gomemcache/memcache"
)

// Memcached is an L2 tier on one or more memcached servers; the client
// spreads keys over the servers. gomemcache has no context support, so the
// L2 budget is enforced by the client's socket timeout instead.
type Memcached struct {
	mc *memcache.Client
}

// NewMemcached connects to a comma list of host:port servers.
func NewMemcached(servers string, timeout time.Duration) (*Memcached, error) {
	var list []string
	for s := range strings.SplitSeq(servers, ",") {
		if s = strings.TrimSpace(s); s != "" {
			list = append(list, s)
		}
	}
	if len(list) == 0 {
		return nil, errors.New("cache: memcached: no servers")
	}
	ss := new(memcache.ServerList)
	if err := ss.SetServers(list...); err != nil {
		return nil, fmt.Errorf("cache: memcached servers: %w", err)
	}
	mc := memcache.NewFromSelector(ss)
	mc.Timeout = timeout
	mc.MaxIdleConns = 64 // default 2 forces a dial per request under load
	return &Memcached{mc: mc}, nil
}

// Name implements Cache.
func (m *Memcached) Name() string { return "memcached" }

// mcKey makes any key legal for memcached (≤ 250 bytes, no spaces or control
// characters) by hashing the ones that are not.
func mcKey(k string) string {
	ok := len(k) <= 250
	for i := 0; ok && i < len(k); i++ {
		ok = k[i] > ' ' && k[i] != 0x7f
	}
	if ok {
		return k
	}
	sum := sha256.Sum256([]byte(k))
	return "h:" + hex.EncodeToString(sum[:])
}

// mcExpiry converts a TTL to memcached seconds; above 30 days memcached reads
// the number as a Unix time, so cap it.
func mcExpiry(ttl time.Duration) int32 {
	s := int64((ttl + time.Second - 1) / time.Second)
	return int32(min(max(s, 1), 30*24*3600))
}

// Get implements Cache.
func (m *Memcached) Get(_ context.Context, key string) ([]byte, error) {
	it, err := m.mc.Get(mcKey(key))
	if errors.Is(err, memcache.ErrCacheMiss) {
		return nil, ErrMiss
	}
	if err != nil {
		return nil, err
	}
	return it.Value, nil
}

// Set implements Cache.
func (m *Memcached) Set(_ context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return nil
	}
	return m.mc.Set(&memcache.Item{Key: mcKey(key), Value: value, Expiration: mcExpiry(ttl)})
}

// Delete implements Cache.
func (m *Memcached) Delete(_ context.Context, key string) error {
	err := m.mc.Delete(mcKey(key))
	if errors.Is(err, memcache.ErrCacheMiss) {
		return nil
	}
	return err
}

func (m *Memcached) ping(context.Context) error { return m.mc.Ping() }

func (m *Memcached) close() error { return m.mc.Close() }

// addCounter creates a counter unless it exists; losing the race is fine.
func (m *Memcached) addCounter(key string, v uint64, ttl time.Duration) error {
	err := m.mc.Add(&memcache.Item{Key: key, Value: []byte(strconv.FormatUint(v, 10)), Expiration: mcExpiry(ttl)})
	if errors.Is(err, memcache.ErrNotStored) {
		return nil
	}
	return err
}

func (m *Memcached) loadVersions(_ context.Context, keys []string, seed uint64, ttl time.Duration) ([]uint64, error) {
	mk := make([]string, len(keys))
	for i, k := range keys {
		mk[i] = mcKey(k)
	}
	got, err := m.mc.GetMulti(mk)
	if err != nil {
		return nil, err
	}
	out := make([]uint64, len(keys))
	for i, k := range mk {
		it, ok := got[k]
		if !ok && seed == 0 {
			continue // absent: 0
		}
		if !ok {
			if err := m.addCounter(k, seed, ttl); err != nil {
				return nil, err
			}
			if it, err = m.mc.Get(k); err != nil {
				return nil, fmt.Errorf("version %s: %w", keys[i], err)
			}
		}
		v, err := strconv.ParseUint(strings.TrimSpace(string(it.Value)), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("version %s: %w", keys[i], err)
		}
		out[i] = v
	}
	return out, nil
}

func (m *Memcached) incr(_ context.Context, key string, seed uint64, ttl time.Duration) (uint64, error) {
	k := mcKey(key)
	for range 2 {
		v, err := m.mc.Increment(k, 1)
		if err == nil {
			return v, m.touch(k, ttl)
		}
		if !errors.Is(err, memcache.ErrCacheMiss) {
			return v, err
		}
		if err := m.addCounter(k, seed, ttl); err != nil {
			return 0, err
		}
	}
	return 0, fmt.Errorf("version %s: counter vanished twice", key)
}

// raise lifts a counter to at least v. Get-then-increment can overshoot under
// a race, which is harmless: versions only need to grow.
func (m *Memcached) raise(_ context.Context, key string, v uint64, ttl time.Duration) error {
	k := mcKey(key)
	it, err := m.mc.Get(k)
	if errors.Is(err, memcache.ErrCacheMiss) {
		return m.addCounter(k, v, ttl)
	}
	if err != nil {
		return err
	}
	cur, err := strconv.ParseUint(strings.TrimSpace(string(it.Value)), 10, 64)
	if err != nil {
		return err
	}
	if cur < v {
		if _, err := m.mc.Increment(k, v-cur); err != nil {
			return err
		}
	}
	return m.touch(k, ttl)
}

// touch restarts a counter's expiry: memcached's incr leaves it unchanged.
// A counter that vanished in between needs nothing (the next use recreates
// it above any value it had).
func (m *Memcached) touch(k string, ttl time.Duration) error {
	err := m.mc.Touch(k, mcExpiry(ttl))
	if errors.Is(err, memcache.ErrCacheMiss) {
		return nil
	}
	return err
}
