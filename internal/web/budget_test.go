package web_test

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"testing"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// Query budgets (spec 03 §2), measured through the real server's
// X-DB-Query-Count header (the obs driver hook), on the demo club and on a
// club ten times larger: a page whose query count grows with the data fails
// at one of the two sizes.
var queryBudgets = map[string]int{
	"home":             4,
	"tournament":       4,
	"team tournament":  4,
	"standings":        3,
	"awards":           3,
	"profile":          4,
	"busiest profile":  4,
	"tournaments list": 2,
	"tournaments year": 2,
	"results csv":      2,
	"boats csv":        2,
}

// budgetPaths picks concrete demo pages for each budget: the latest complete
// tournament, a team tournament, the current standings, the AoY leader's and
// the busiest angler's profiles.
func budgetPaths(t testing.TB, st *store.Store) map[string]string {
	t.Helper()
	ctx := context.Background()
	ts, err := st.Tournaments(ctx, store.TournamentFilter{Status: club.StatusComplete})
	if err != nil || len(ts) == 0 {
		t.Fatalf("demo tournaments: %v (%d)", err, len(ts))
	}
	team := int64(0)
	for _, tr := range ts {
		if tr.Format == club.FormatTeam && team == 0 {
			team = tr.ID
		}
	}
	year := club.Today(testutil.Now).Year()
	leaders, err := st.Standings(ctx, year, 1)
	if err != nil || len(leaders) == 0 {
		t.Fatalf("demo standings: %v", err)
	}
	var busiest int64
	if err := st.DB().QueryRowContext(ctx, `SELECT person_id FROM results GROUP BY person_id
		ORDER BY count(*) DESC, person_id LIMIT 1`).Scan(&busiest); err != nil {
		t.Fatal(err)
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	return map[string]string{
		"home":             "/",
		"tournament":       "/tournaments/" + id(ts[0].ID) + "/",
		"team tournament":  "/tournaments/" + id(team) + "/",
		"standings":        "/standings/" + strconv.Itoa(year) + "/",
		"awards":           "/awards/" + strconv.Itoa(year-1) + "/",
		"profile":          "/anglers/" + id(leaders[0].PersonID) + "/",
		"busiest profile":  "/anglers/" + id(busiest) + "/",
		"tournaments list": "/tournaments/",
		"tournaments year": "/tournaments/?year=" + strconv.Itoa(year-1),
		"results csv":      "/tournaments/" + id(ts[0].ID) + "/results.csv",
		"boats csv":        "/tournaments/" + id(team) + "/boats.csv",
	}
}

func TestQueryBudgets(t *testing.T) {
	for _, scale := range []int{1, 10} {
		t.Run("scale_"+strconv.Itoa(scale), func(t *testing.T) {
			if scale > 1 && testing.Short() {
				t.Skip("the 10× demo club takes a few seconds to build")
			}
			site := testutil.NewSite(t, testutil.SiteOptions{Scale: scale})
			paths := budgetPaths(t, site.Store)
			names := make([]string, 0, len(paths))
			for n := range paths {
				names = append(names, n)
			}
			sort.Strings(names)
			cl := site.Client()
			for _, name := range names {
				p := siteGet(t, cl, site.URL+paths[name])
				if p.status != http.StatusOK {
					t.Errorf("%s %s: status %d", name, paths[name], p.status)
					continue
				}
				n, err := strconv.Atoi(p.header.Get("X-DB-Query-Count"))
				if err != nil {
					t.Fatalf("%s: no X-DB-Query-Count header (%v)", name, err)
				}
				t.Logf("%-17s %-28s %d queries (budget %d), %d bytes", name, paths[name], n, queryBudgets[name], len(p.body))
				if n > queryBudgets[name] || n == 0 {
					t.Errorf("%s %s: %d queries, budget %d", name, paths[name], n, queryBudgets[name])
				}
			}
		})
	}
}
