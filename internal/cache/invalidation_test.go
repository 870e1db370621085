package cache

import (
	"slices"
	"testing"
)

// invalidates reports whether bumping write's namespaces makes page stale.
func invalidates(write, page []string) bool {
	for _, ns := range write {
		if slices.Contains(page, ns) {
			return true
		}
	}
	return false
}

// TestInvalidationMap states the invalidation rules as sentences; each case
// is a page that a write must (or must not) make stale. The page helpers are
// the ones web/cache_pages.go keys the served pages with.
func TestInvalidationMap(t *testing.T) {
	const season, other = 2026, 2025
	const tID, t2, lake, lake2, angler, angler2 = 17, 18, 3, 4, 42, 43
	result := ResultWrite(season, tID, lake, angler)
	cases := []struct {
		name  string
		write []string
		page  []string
		stale bool
	}{
		{"result/its tournament page", result, TournamentPage(tID), true},
		{"result/tournament index (winners)", result, TournamentsPage(), true},
		{"result/its season standings", result, StandingsPage(season), true},
		{"result/home", result, HomePage(), true},
		{"result/the angler's profile", result, AnglerPage(angler), true},
		{"result/the lake page", result, LakePage(lake), true},
		{"result/not another tournament", result, TournamentPage(t2), false},
		{"result/not another season's standings", result, StandingsPage(other), false},
		{"result/not another angler", result, AnglerPage(angler2), false},
		{"result/not another lake", result, LakePage(lake2), false},
		{"result/not the calendar", result, CalendarPage(season), false},

		{"tournament/its page", TournamentWrite(season, tID, lake), TournamentPage(tID), true},
		{"tournament/calendar of its year", TournamentWrite(season, tID, lake), CalendarPage(season), true},
		{"tournament/not another year's calendar", TournamentWrite(season, tID, lake), CalendarPage(other), false},
		{"tournament/standings of its season", TournamentWrite(season, tID, lake), StandingsPage(season), true},
		{"tournament/old and new lake", TournamentWrite(season, tID, lake, lake2), LakePage(lake2), true},
		{"tournament/participants' profiles", TournamentWrite(season, tID, lake), AnglerPage(angler2), true},

		// A rules change reaches the season's tournament pages through the
		// rescore it causes, which bumps each tournament (ResultWrite).
		{"season rules/not tournament pages by itself", SeasonRulesWrite(season), TournamentPage(tID), false},
		{"season rules/standings", SeasonRulesWrite(season), StandingsPage(season), true},
		{"season rules/rules page", SeasonRulesWrite(season), RulesPage(season), true},
		{"season rules/not another season's standings", SeasonRulesWrite(season), StandingsPage(other), false},

		{"person/profile", PersonWrite(angler), AnglerPage(angler), true},
		{"person/tournament pages showing names", PersonWrite(angler), TournamentPage(tID), true},
		{"person/standings showing names", PersonWrite(angler), StandingsPage(other), true},
		{"person/home", PersonWrite(angler), HomePage(), true},
		{"person/not the calendar", PersonWrite(angler), CalendarPage(season), false},

		{"lake/its page", LakeWrite(lake), LakePage(lake), true},
		{"lake/lake index", LakeWrite(lake), LakesPage(), true},
		{"lake/pages showing lake names", LakeWrite(lake), TournamentPage(tID), true},
		{"lake/not standings", LakeWrite(lake), StandingsPage(season), false},

		{"event/calendar of its year", EventWrite(season), CalendarPage(season), true},
		{"event/home (upcoming)", EventWrite(season), HomePage(), true},
		{"event/not another year", EventWrite(season), CalendarPage(other), false},
		{"event/not tournaments", EventWrite(season), TournamentPage(tID), false},

		{"poll/home", PollWrite(5), HomePage(), true},

		{"news/home", NewsWrite(), HomePage(), true},
		{"news/not tournaments", NewsWrite(), TournamentPage(tID), false},

		{"club/every page's layout", ClubWrite(), PageLayout(), true},
		{"club/about and bylaws", ClubWrite(), ContentPage(), true},
		{"club/home", ClubWrite(), HomePage(), true},

		{"links/neighbouring tournament pages", TournamentLinksWrite(t2), TournamentPage(t2), true},
		{"anglers/their profiles only", AnglersWrite(angler), AnglerPage(angler), true},
		{"anglers/not another angler", AnglersWrite(angler), AnglerPage(angler2), false},
		{"news/not standings", NewsWrite(), StandingsPage(season), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := invalidates(c.write, c.page); got != c.stale {
				t.Errorf("write %v vs page deps %v: stale=%v, want %v", c.write, c.page, got, c.stale)
			}
		})
	}
}
