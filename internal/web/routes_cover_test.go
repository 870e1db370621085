package web_test

import (
	"testing"

	"sabc/internal/testutil"
)

// TestRouteTableIsCovered: every registered route has a row in routeCases
// stating its role, and every row names a registered route with that role.
func TestRouteTableIsCovered(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true})
	registered := site.Web.RoutePatterns()
	seen := map[string]bool{}
	for _, c := range routeCases {
		if seen[c.pattern] {
			t.Errorf("routeCases lists %q twice", c.pattern)
		}
		seen[c.pattern] = true
		role, ok := registered[c.pattern]
		if !ok {
			t.Errorf("routeCases lists %q, which is not registered", c.pattern)
			continue
		}
		if role != c.need {
			t.Errorf("%s: routes.go requires %v, the test table expects %v", c.pattern, role, c.need)
		}
	}
	for p := range registered {
		if !seen[p] {
			t.Errorf("route %q has no row in routeCases (routes_table_test.go): decide who may use it", p)
		}
	}
}
