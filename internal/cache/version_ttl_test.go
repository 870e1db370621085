package cache

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"sabc/internal/testutil/services"
)

// Issue 14 finding 10: every request for an id that does not exist looked
// up that id's namespace version, which created a counter with no expiry
// (sabc:ver:tournament:777001), and the periodic resync created it again
// whenever it went missing. Counters now always expire, and only a use
// (a read by a request, a bump) creates one.

var errNotFound = errors.New("404: no such tournament")

// missingPage asks the cache for the page of a tournament that does not
// exist, the way cachePage does: the render fails, so nothing is stored.
func missingPage(t *testing.T, c *Tiered, id int) string {
	t.Helper()
	ns := "tournament:" + strconv.Itoa(id)
	_, err := c.GetOrLoad(context.Background(), Key{Name: fmt.Sprintf("page:/tournaments/%d/", id), Deps: []string{ns}},
		time.Minute, func(context.Context) ([]byte, error) { return nil, errNotFound })
	if !errors.Is(err, errNotFound) {
		t.Fatalf("GetOrLoad = %v, want the loader's error", err)
	}
	return ns
}

func TestVersionCountersInRedisExpireAndResyncDoesNotRecreateThem(t *testing.T) {
	url := services.RedisURL(t)
	prefix := uniquePrefix(t)
	// A roomy L2 budget: a call timing out on a loaded machine would mark
	// the tier degraded, and its recovery rightly writes counters back.
	c, _ := newTiered(t, Options{RedisURL: url, KeyPrefix: prefix, L2Timeout: 2 * time.Second})
	waitSubscribed(t, c) // the resync that follows subscribing is done
	rc := redisTier(t).rc
	ctx := context.Background()
	counters := func() map[string]time.Duration {
		keys, err := rc.Keys(ctx, prefix+"ver:*").Result()
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]time.Duration{}
		for _, k := range keys {
			out[k] = rc.PTTL(ctx, k).Val()
		}
		return out
	}

	var nss []string
	for id := 777001; id <= 777020; id++ {
		nss = append(nss, missingPage(t, c, id))
	}
	got := counters()
	if len(got) > len(nss) {
		t.Errorf("%d requests made %d counters", len(nss), len(got))
	}
	for k, ttl := range got {
		if ttl <= 0 || ttl > DefaultVersionTTL {
			t.Errorf("%s has TTL %v, want (0, %v]: a counter for a missing row must not stay forever", k, ttl, DefaultVersionTTL)
		}
	}
	before, _ := c.vers.get(nss[0])

	// The counters expire; the replica's resync must neither write them
	// back nor keep remembering namespaces nobody has a counter for.
	for k := range got {
		rc.Del(ctx, k)
	}
	c.resync(ctx)
	if got := counters(); len(got) != 0 {
		t.Errorf("resync recreated %d counters: %v", len(got), got)
	}
	for _, ns := range nss {
		if v, ok := c.vers.get(ns); ok {
			t.Fatalf("%s still remembered locally at %d after its counter expired", ns, v)
		}
	}
	// A namespace used again starts above every version it had before,
	// so no page cached under an old version can come back.
	if after := c.version(ctx, nss[0]); after <= before {
		t.Errorf("version after expiry %d, want > %d", after, before)
	}

	// A bump (the namespace of a real row) also writes an expiring counter.
	c.Bump(ctx, "tournament:17")
	if ttl := rc.PTTL(ctx, prefix+"ver:tournament:17").Val(); ttl <= 0 {
		t.Errorf("bumped counter TTL %v, want > 0", ttl)
	}
	if c.Degraded() {
		t.Fatalf("Redis was degraded during the test, so it proves nothing: %+v", c.Status())
	}
}

// mcTTL asks memcached (meta protocol, 1.6+) for a key's remaining TTL in
// seconds: -1 means it never expires; ok is false for a missing key.
func mcTTL(t *testing.T, key string) (ttl int, ok bool) {
	t.Helper()
	addr, _, _ := strings.Cut(services.MemcachedServers(t), ",")
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	fmt.Fprintf(conn, "mg %s t\r\n", mcKey(key))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(line)
	if len(f) == 0 || f[0] == "EN" {
		return 0, false
	}
	for _, flag := range f[1:] {
		if v, found := strings.CutPrefix(flag, "t"); found {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatalf("mg answer %q", line)
			}
			return n, true
		}
	}
	t.Fatalf("mg answer %q has no TTL", line)
	return 0, false
}

func TestVersionCountersInMemcachedExpire(t *testing.T) {
	servers := services.MemcachedServers(t)
	memcachedTier(t) // fails the test when configured but unreachable
	prefix := uniquePrefix(t)
	c, _ := newTiered(t, Options{MemcachedServers: servers, KeyPrefix: prefix, L2Timeout: 2 * time.Second})
	ctx := context.Background()
	ns := missingPage(t, c, 777001)
	c.Bump(ctx, "tournament:17")
	for _, n := range []string{ns, "tournament:17"} {
		ttl, ok := mcTTL(t, prefix+"ver:"+n)
		if ok && (ttl <= 0 || ttl > int(DefaultVersionTTL/time.Second)) {
			t.Errorf("%s TTL %d s, want (0, %v]", n, ttl, DefaultVersionTTL)
		}
		if n == "tournament:17" && !ok {
			t.Errorf("bumped counter %s missing", n)
		}
	}
}
