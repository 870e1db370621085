package cache

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// TestFullKeySpelling pins the key format (shared L2 entries outlive a
// deploy, so a new spelling would orphan them): prefix, "v:", the name, "|",
// then each namespace with its current version.
func TestFullKeySpelling(t *testing.T) {
	c, err := New(Options{KeyPrefix: "site:"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	for range 12 {
		c.Bump(ctx, "tournament:7")
	}
	c.Bump(ctx, "layout")
	for _, k := range []Key{{Name: "page:/"}, {Name: "page:/tournaments/7/", Deps: []string{"tournament:7"}},
		{Name: "page:/?page=2", Deps: []string{"home", "tournament:7", "layout", "people"}}} {
		var deps []string
		for _, ns := range k.Deps {
			deps = append(deps, fmt.Sprintf("%s=%d", ns, c.version(ctx, ns)))
		}
		want := "site:v:" + k.Name + "|" + strings.Join(deps, ",")
		if got := c.fullKey(ctx, k); got != want {
			t.Errorf("fullKey(%v) = %q, want %q", k, got, want)
		}
	}
}
