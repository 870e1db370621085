package web_test

// Exact invalidation, write by write: each case caches the pages a store
// write changes (anonymous GETs, checked to be cache hits), performs the
// write through the store as the officer screens do, and asserts the very
// next GET of every one of those pages shows the change. The helpers come
// from cache_test.go.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"sabc/internal/cache"
	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// writeCase is one store write and the pages that must show it at once.
type writeCase struct {
	name  string
	pages []string                     // paths cached before the write
	write func(t *testing.T)           // the store write
	shows func(page, body string) bool // the change is visible on page
}

func showsText(s string) func(string, string) bool {
	return func(_, body string) bool { return strings.Contains(body, s) }
}

// reader is who reads the pages of a write case: anonymous visitors get
// the shared page cache, logged-in ones their role's content fragments
// (fragments.go) inside a layout rendered for them.
type reader struct {
	name   string
	client *http.Client // nil: anonymous
	// baseQueries is what a page costs the reader without rendering its
	// content: 0 for an anonymous cache hit, the session's queries for a
	// logged-in one (a fragment hit).
	baseQueries int
}

func (rd reader) get(t *testing.T, url string) answer {
	t.Helper()
	if rd.client == nil {
		return fetch(t, url)
	}
	return fetchWith(t, rd.client, url)
}

// readers are one reader per way a cached page is served: anonymous (the
// page cache), a member and an officer (their roles' content fragments).
func readers(t *testing.T, site *testutil.Site) []reader {
	t.Helper()
	out := []reader{{name: "anonymous"}}
	for _, v := range []struct{ name, email string }{{"member", demo.MemberEmail}, {"officer", demo.OfficerEmail}} {
		rd := reader{name: v.name, client: acctLogin(t, site, v.email, demo.Password)}
		// The about page reads nothing but the session once its fragment
		// is cached: its cost is the session's.
		rd.get(t, site.URL+"/about/")
		rd.baseQueries = rd.get(t, site.URL+"/about/").queries
		out = append(out, rd)
	}
	return out
}

// runWriteCase caches every page, checks none shows the change yet, writes,
// and checks every page shows it on the next GET.
func runWriteCase(t *testing.T, base string, rd reader, c writeCase) {
	t.Helper()
	for _, p := range c.pages {
		rd.get(t, base+p)
		a := rd.get(t, base+p)
		if a.status != 200 || a.queries != rd.baseQueries {
			t.Fatalf("%s: GET %s as %s before the write: status %d, %d queries; want a cache hit (%d)", c.name, p,
				rd.name, a.status, a.queries, rd.baseQueries)
		}
		if c.shows(p, a.body) {
			t.Fatalf("%s: GET %s shows the change before the write: the check proves nothing", c.name, p)
		}
	}
	c.write(t)
	for _, p := range c.pages {
		if a := rd.get(t, base+p); a.status != 200 || !c.shows(p, a.body) {
			t.Errorf("%s: GET %s as %s right after the write: status %d, change shown %t (stale cached copy)", c.name,
				p, rd.name, a.status, c.shows(p, a.body))
		}
	}
}

// neighbourPaths are the pages of the tournaments before and after id.
func neighbourPaths(t *testing.T, st *store.Store, id int64) []string {
	t.Helper()
	h, err := st.TournamentHeader(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range []int64{h.Prev.ID, h.Next.ID} {
		if n != 0 {
			out = append(out, fmt.Sprintf("/tournaments/%d/", n))
		}
	}
	return out
}

// TestEveryWriteRefreshesTheCachedPagesItChanges runs every write case for
// each reader on a site of its own (a case checks its change is not shown
// before its write): the page cache for anonymous visitors and the content
// fragments of members and officers are never stale after any kind of
// write of the invalidation map.
func TestEveryWriteRefreshesTheCachedPagesItChanges(t *testing.T) {
	for _, name := range []string{"anonymous", "member", "officer"} {
		t.Run(name, func(t *testing.T) {
			site := cachedSite(t, newPageCache(t, cache.Options{}), nil)
			for _, rd := range readers(t, site) {
				if rd.name == name {
					everyWriteCase(t, site, rd)
				}
			}
		})
	}
}

func everyWriteCase(t *testing.T, site *testutil.Site, rd reader) {
	st, ctx := site.Store, context.Background()
	must := func(t *testing.T, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	w := latestWinner(t, st)
	tour := fmt.Sprintf("/tournaments/%d/", w.t.ID)
	profile := fmt.Sprintf("/anglers/%d/", w.result.PersonID)
	standings := fmt.Sprintf("/standings/%d/", w.t.SeasonYear)
	lake := fmt.Sprintf("/lakes/%d/", w.t.LakeID)
	today := club.Today(testutil.Now)

	cases := []writeCase{{
		name:  "result weight changed",
		pages: []string{"/", tour, profile},
		write: func(t *testing.T) { addWeight(t, st, w, 5000) }, // +50 lb: the winner stays the winner
		shows: showsText(lb(w.result.Net + 5000)),
	}, {
		name:  "person renamed",
		pages: []string{"/", tour, standings, profile, lake},
		write: func(t *testing.T) {
			p, err := st.Person(ctx, w.result.PersonID)
			must(t, err)
			p.FirstName = "Quinbert"
			must(t, st.SaveProfile(ctx, 0, store.ProfileChange{Person: p}))
		},
		shows: showsText("Quinbert"),
	}, {
		name: "tournament renamed",
		pages: append([]string{"/", tour, standings, profile, lake, "/tournaments/"},
			neighbourPaths(t, st, w.t.ID)...),
		write: func(t *testing.T) {
			tr, err := st.Tournament(ctx, w.t.ID)
			must(t, err)
			tr.Name = "Renamed Bass Bonanza"
			must(t, st.UpdateTournament(ctx, 0, tr))
		},
		shows: showsText("Renamed Bass Bonanza"),
	}, {
		name:  "season rules text",
		pages: []string{tour, fmt.Sprintf("/rules/%d/", w.t.SeasonYear)},
		write: func(t *testing.T) {
			se, err := st.Season(ctx, w.t.SeasonYear)
			must(t, err)
			must(t, st.UpdateSeasonRules(ctx, 0, se.Year, se.Version, se.RulesJSON, se.PayoutJSON, "Marker rule: no trolling."))
		},
		shows: showsText("Marker rule: no trolling."),
	}, {
		name:  "meeting added",
		pages: []string{"/", "/calendar/"},
		write: func(t *testing.T) {
			_, err := st.CreateEvent(ctx, club.Event{Date: club.Date{Time: today.AddDate(0, 0, 1)}, Kind: "meeting",
				Title: "Marker Special Meeting", StartTime: "19:00"})
			must(t, err)
		},
		// The calendar lists it by title; home's "Next meeting" card by day.
		shows: func(page, body string) bool {
			if page == "/" {
				return strings.Contains(body, "Next meeting</h2>\n    <p>"+today.AddDate(0, 0, 1).Format("Mon, Jan 2, 2006"))
			}
			return strings.Contains(body, "Marker Special Meeting")
		},
	}, {
		name:  "news published",
		pages: []string{"/"},
		write: func(t *testing.T) {
			_, err := st.CreateNews(ctx, club.News{Title: "Marker news headline", BodyMD: "Body.",
				PublishAt: testutil.Now.Add(-time.Minute)})
			must(t, err)
		},
		shows: showsText("Marker news headline"),
	}, {
		name:  "poll opened",
		pages: []string{"/"},
		write: func(t *testing.T) {
			_, err := st.CreatePoll(ctx, club.Poll{Kind: "generic", Title: "Marker poll question",
				OpensAt: testutil.Now.Add(-time.Hour), ClosesAt: testutil.Now.Add(72 * time.Hour),
				Options: []club.PollOption{{Label: "Yes"}, {Label: "No"}}})
			must(t, err)
		},
		shows: showsText("Marker poll question"),
	}, {
		name:  "lake added",
		pages: []string{"/lakes/"},
		write: func(t *testing.T) {
			_, err := st.CreateLake(ctx, club.Lake{Name: "Marker Reservoir"})
			must(t, err)
		},
		shows: showsText("Marker Reservoir"),
	}, {
		name:  "ramp added",
		pages: []string{lake, "/lakes/"},
		write: func(t *testing.T) {
			_, err := st.AddRamp(ctx, club.Ramp{LakeID: w.t.LakeID, Name: "Marker Point Ramp"})
			must(t, err)
		},
		shows: showsText("Marker Point Ramp"),
	}, {
		name:  "club about text",
		pages: []string{"/about/"},
		write: func(t *testing.T) {
			c, err := st.Club(ctx)
			must(t, err)
			c.AboutMD = "Marker about text."
			must(t, st.SaveClub(ctx, c))
		},
		shows: showsText("Marker about text."),
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runWriteCase(t, site.URL, rd, c) })
	}
	t.Run("tournament added after the last", func(t *testing.T) { checkTournamentAdded(t, site, rd) })
	t.Run("result deleted", func(t *testing.T) { checkResultDeleted(t, site, rd) })
	t.Run("AoY rank of someone who did not fish", func(t *testing.T) { checkRankMoved(t, site, rd) })
}

// checkTournamentAdded: the last tournament's page gains a "next" link.
func checkTournamentAdded(t *testing.T, site *testutil.Site, rd reader) {
	ctx := context.Background()
	all, err := site.Store.Tournaments(ctx, store.TournamentFilter{Limit: 1})
	if err != nil || len(all) == 0 {
		t.Fatalf("no tournament: %v", err)
	}
	last := all[0]
	date := club.Date{Time: last.Date.AddDate(0, 0, 7)}
	runWriteCase(t, site.URL, rd, writeCase{
		name:  "tournament added",
		pages: []string{fmt.Sprintf("/tournaments/%d/", last.ID), "/tournaments/"},
		write: func(t *testing.T) {
			if _, err := site.Store.CreateTournament(ctx, club.Tournament{SeasonYear: last.SeasonYear, Date: date,
				Name: "Marker Makeup Classic", LakeID: last.LakeID}); err != nil {
				t.Fatal(err)
			}
		},
		shows: showsText("Marker Makeup Classic"),
	})
}

// checkResultDeleted: the angler's profile stops listing the tournament.
func checkResultDeleted(t *testing.T, site *testutil.Site, rd reader) {
	ctx := context.Background()
	w := latestWinner(t, site.Store)
	rs, err := site.Store.Results(ctx, w.t.ID)
	if err != nil || len(rs) < 2 {
		t.Fatalf("results: %v", err)
	}
	gone := rs[len(rs)-1] // the last finisher: the podium stays as it is
	link := fmt.Sprintf(`href="/tournaments/%d/"`, w.t.ID)
	runWriteCase(t, site.URL, rd, writeCase{
		name:  "result deleted",
		pages: []string{fmt.Sprintf("/anglers/%d/", gone.PersonID)},
		write: func(t *testing.T) {
			if err := site.Store.RemoveResult(ctx, 0, gone.ID, "fished another club's event"); err != nil {
				t.Fatal(err)
			}
		},
		shows: func(_, body string) bool { return !strings.Contains(body, link) },
	})
}

// checkRankMoved: the AoY runner-up wins new tournaments alone (100 points
// each, spec 01 §3.4) until passing the leader, whose profile must then
// show the rank stored by the scoring step.
func checkRankMoved(t *testing.T, site *testutil.Site, rd reader) {
	ctx := context.Background()
	year := club.Today(testutil.Now).Year()
	st, err := site.Store.Standings(ctx, year, 2)
	if err != nil || len(st) < 2 {
		t.Fatalf("standings %d: %v", year, err)
	}
	leader, chaser := st[0], st[1]
	page := fmt.Sprintf("/anglers/%d/", leader.PersonID)
	for i := 1; i <= 8; i++ {
		tid, err := site.Store.CreateTournament(ctx, club.Tournament{SeasonYear: year, Name: fmt.Sprintf("Solo %d", i),
			Date: club.NewDate(year, 12, 1+i), PointsCount: true, Status: club.StatusComplete})
		if err != nil {
			t.Fatal(err)
		}
		rd.get(t, site.URL+page) // cached after the creation's own invalidation
		if _, err := site.Store.SaveResult(ctx, 0, club.Result{TournamentID: tid, PersonID: chaser.PersonID,
			WasMember: true, Fish: 5, Gross: 1000, BigBass: 300, Correction: "card entered late"}); err != nil {
			t.Fatal(err)
		}
		now, err := site.Store.Standings(ctx, year, 0)
		if err != nil {
			t.Fatal(err)
		}
		rank := 0
		for _, row := range now {
			if row.PersonID == leader.PersonID {
				rank = row.Rank
			}
		}
		if rank == 1 {
			continue
		}
		if want := "AoY rank</dt><dd>2nd</dd>"; rank != 2 || !strings.Contains(rd.get(t, site.URL+page).body, want) {
			t.Errorf("the former leader is stored %d; the profile right after the write shows %q: %t", rank, want,
				strings.Contains(rd.get(t, site.URL+page).body, want))
		}
		return
	}
	t.Fatal("the runner-up never passed the leader")
}
