package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/obs"
	"sabc/internal/web"
)

// TestGetRoutesNeverWrite visits every GET route of the route table
// (routeCases, kept complete by TestRouteTableIsCovered) as every role —
// anonymous, guest, member, officer, admin — at real demo rows (realPaths),
// plus the demo's budget pages and a few odd queries, and counts each request's statements with an
// obs.QueryStats attached around the whole handler: the driver hook that
// classifies statements for monitoring. Any INSERT/UPDATE/DELETE (or unknown
// statement) during a GET fails it, whatever the role and whether the
// visitor was allowed in. An allowed visitor must also get the page
// (allowedStatus), so the walk reads real pages rather than 404s.
func TestGetRoutesNeverWrite(t *testing.T) {
	site := newAcctSite(t, func(d *web.Deps) { d.Config.MetricsAllowNets = "127.0.0.0/8,::1/128" })
	type tally struct {
		method      string
		queries, wr int
	}
	var (
		mu      sync.Mutex
		served  sync.WaitGroup
		counted = map[string]tally{} // by role and URI
	)
	h := site.Web.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		defer served.Done()
		ctx, st := obs.WithQueryStats(r.Context())
		h.ServeHTTP(w, r.WithContext(ctx))
		mu.Lock()
		counted[r.Header.Get("X-Walk-Role")+" "+r.URL.RequestURI()] = tally{r.Method, st.Count(), st.Writes()}
		mu.Unlock()
	}))
	defer srv.Close()

	// The meter must be able to see a write through the same context
	// plumbing; otherwise "zero writes" below would prove nothing.
	ctx, probe := obs.WithQueryStats(context.Background())
	if err := site.Store.SaveClub(ctx, club.Club{Name: "South Austin Bass Club", ShortName: "SABC", Founded: 1981}); err != nil {
		t.Fatal(err)
	}
	if probe.Writes() == 0 {
		t.Fatal("the query hook did not count a write: the test could not fail")
	}

	real := realPaths(t, site)
	// The visitors log in through the metered server (the walk checks only GETs).
	walkSite := *site.Site
	walkSite.URL = srv.URL
	visitors := roleVisitors(t, &walkSite)
	memberID := acctPerson(t, site.Store, demo.MemberEmail).ID
	extra := []string{"/tournaments/?lake=1", "/anglers/999999/"}
	for _, p := range budgetPaths(t, site.Store) {
		extra = append(extra, p)
	}
	visits := 0
	for _, v := range visitors {
		me := v.id
		if me == 0 {
			me = memberID
		}
		role := &http.Client{Jar: v.client.Jar, CheckRedirect: v.client.CheckRedirect,
			Transport: roleHeader{v.role.String()}}
		for _, c := range routeCases {
			if !strings.HasPrefix(c.pattern, "GET ") {
				continue
			}
			path := walkPath(c, real, me)
			r := visit(t, role, srv.URL, c, path)
			visits++
			if want := allowedStatus(c, path); v.role >= c.need && r.status != want {
				t.Errorf("%s: %d, want %d: the walk must read the real page", roleName(v.role, c, path), r.status, want)
			}
		}
		for _, p := range extra {
			visit(t, role, srv.URL, routeCase{pattern: "GET /"}, p)
			visits++
		}
	}
	srv.Close() // waits for every handler, the closed event streams too
	served.Wait()

	gets, queried := 0, 0
	for key, n := range counted {
		if n.method != http.MethodGet {
			continue
		}
		gets++
		if n.queries > 0 {
			queried++
		}
		if n.wr > 0 {
			t.Errorf("GET as %s wrote: %d of its %d statements change data", key, n.wr, n.queries)
		}
	}
	if queried < gets/2 {
		t.Errorf("only %d of %d GETs counted a query: the stats did not reach the store", queried, gets)
	}
	if gets < visits*9/10 { // budget pages can repeat a route's path
		t.Errorf("only %d of %d GET visits were counted", gets, visits)
	}
}

// roleHeader labels a walk's requests with the visitor's role, so the
// metering server can key its counts by role as well as by path.
type roleHeader struct{ role string }

func (h roleHeader) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Walk-Role", h.role)
	return http.DefaultTransport.RoundTrip(r)
}
