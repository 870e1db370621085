package web_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// TestPageSnapshot is a tool for render rewrites (issue 16): with
// SABC_PAGE_SNAPSHOT=dir it saves every public page of the demo club — each
// tournament, each season's standings and awards, every home page, the
// calendar of every season's year, every angler — as an anonymous visitor and
// as an officer, into dir; when dir already holds a page, it compares instead
// and fails on the first differing line. Save before changing a page's
// rendering, compare after: the pages must stay byte-for-byte the same.
// Without the variable it does nothing (the saved pages depend on the demo
// club and testutil.Now, so they are not committed).
func TestPageSnapshot(t *testing.T) {
	dir := os.Getenv("SABC_PAGE_SNAPSHOT")
	if dir == "" {
		t.Skip("set SABC_PAGE_SNAPSHOT=dir to save or compare the demo club's pages")
	}
	site := testutil.NewSite(t, testutil.SiteOptions{})
	paths := snapshotPaths(t, site.Store)
	clients := map[string]*http.Client{"anon": site.Client(), "officer": siteLogin(t, site, demo.OfficerEmail)}
	saved, compared := 0, 0
	for who, cl := range clients {
		for _, p := range paths {
			page := siteGet(t, cl, site.URL+p)
			if page.status != http.StatusOK {
				if page.status == http.StatusNotFound && strings.HasPrefix(p, "/?page=") {
					continue // past the last home page
				}
				t.Errorf("%s %s: status %d", who, p, page.status)
				continue
			}
			name := filepath.Join(dir, who, strings.NewReplacer("/", "_", "?", "_", "=", "_").Replace(p)+".html")
			old, err := os.ReadFile(name)
			if os.IsNotExist(err) {
				if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(name, []byte(page.body), 0o644); err != nil {
					t.Fatal(err)
				}
				saved++
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			compared++
			if string(old) != page.body {
				t.Errorf("%s %s differs from %s:\n%s", who, p, name, firstDiff(string(old), page.body))
			}
		}
	}
	t.Logf("%d pages saved, %d compared (%s)", saved, compared, dir)
}

// snapshotPaths lists the public pages whose rendering issue 16 changed.
func snapshotPaths(t *testing.T, st *store.Store) []string {
	ctx := context.Background()
	var out []string
	ts, err := st.Tournaments(ctx, store.TournamentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range ts {
		out = append(out, "/tournaments/"+strconv.FormatInt(tr.ID, 10)+"/")
	}
	years, err := st.SeasonYears(ctx)
	if err != nil {
		t.Fatal(err)
	}
	this := club.Today(testutil.Now).Year()
	calYears := map[int]bool{this: true, this + 1: true}
	for _, y := range years {
		out = append(out, "/standings/"+strconv.Itoa(y)+"/", "/awards/"+strconv.Itoa(y)+"/")
		calYears[y] = true
	}
	for y := range calYears {
		out = append(out, "/calendar/?year="+strconv.Itoa(y))
	}
	out = append(out, "/calendar/")
	for p := 1; p <= 10; p++ {
		out = append(out, "/?page="+strconv.Itoa(p))
	}
	out = append(out, "/")
	rows, err := st.DB().QueryContext(ctx, `SELECT id FROM people ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, "/anglers/"+strconv.FormatInt(id, 10)+"/")
	}
	return out
}

// firstDiff shows the first line where two pages part, with its neighbours.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		if i >= len(al) || i >= len(bl) || al[i] != bl[i] {
			line := func(l []string) string {
				if i < len(l) {
					return l[i]
				}
				return "(end of page)"
			}
			return "line " + strconv.Itoa(i+1) + "\nwas: " + line(al) + "\nnow: " + line(bl)
		}
	}
	return "(same lines, different bytes)"
}
