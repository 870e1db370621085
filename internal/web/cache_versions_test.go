package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/redis/go-redis/v9"

	"sabc/internal/cache"
	"sabc/internal/testutil"
)

// TestNonexistentIDsLeaveNoPersistentRedisKeys (issue 14 finding 10):
// anonymous requests for tournaments, lakes and anglers that do not exist
// used to leave a never-expiring version counter per id in Redis. Whatever
// they write now expires.
func TestNonexistentIDsLeaveNoPersistentRedisKeys(t *testing.T) {
	url := testutil.RedisURL(t)
	prefix := keyPrefix(t)
	c := newPageCache(t, cache.Options{RedisURL: url, KeyPrefix: prefix})
	if c.Degraded() {
		testutil.Unreachable(t, "Redis (SABC_TEST_REDIS_URL)", fmt.Errorf("%+v", c.Status()))
	}
	site := cachedSite(t, c, nil)
	for id := 777001; id <= 777010; id++ {
		for _, p := range []string{"/tournaments/%d/", "/lakes/%d/", "/anglers/%d/"} {
			if a := fetch(t, site.URL+fmt.Sprintf(p, id)); a.status != http.StatusNotFound {
				t.Fatalf("GET %s: %d, want 404", fmt.Sprintf(p, id), a.status)
			}
		}
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rc := redis.NewClient(opt)
	defer rc.Close()
	ctx := context.Background()
	keys, err := rc.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if ttl := rc.PTTL(ctx, k).Val(); ttl <= 0 || ttl > cache.DefaultVersionTTL {
			t.Errorf("%s: TTL %v; want every key to expire within %v", k, ttl, cache.DefaultVersionTTL)
		}
	}
}
