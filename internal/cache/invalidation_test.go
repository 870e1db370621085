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
// is a page that a write must (or must not) make stale.
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
		{"result/its tournament page", result, TournamentPage(tID, season), true},
		{"result/tournament index (winners)", result, TournamentsPage(), true},
		{"result/its season standings", result, StandingsPage(season), true},
		{"result/home", result, HomePage(), true},
		{"result/the angler's profile", result, AnglerPage(angler), true},
		{"result/the lake page", result, LakePage(lake), true},
		{"result/api", result, API(), true},
		{"result/not another tournament", result, TournamentPage(t2, season), false},
		{"result/not another season's standings", result, StandingsPage(other), false},
		{"result/not another angler", result, AnglerPage(angler2), false},
		{"result/not another lake", result, LakePage(lake2), false},
		{"result/not the calendar", result, CalendarPage(season), false},
		{"result/not the roster", result, RosterPage(), false},
		{"result/not news", result, NewsPage(), false},

		{"boat/same as results", BoatWrite(season, tID, lake, angler), AnglerPage(angler), true},

		{"tournament/its page", TournamentWrite(season, tID, lake), TournamentPage(tID, season), true},
		{"tournament/calendar of its year", TournamentWrite(season, tID, lake), CalendarPage(season), true},
		{"tournament/not another year's calendar", TournamentWrite(season, tID, lake), CalendarPage(other), false},
		{"tournament/standings of its season", TournamentWrite(season, tID, lake), StandingsPage(season), true},
		{"tournament/old and new lake", TournamentWrite(season, tID, lake, lake2), LakePage(lake2), true},
		{"tournament/participants' profiles", TournamentWrite(season, tID, lake), AnglerPage(angler2), true},

		{"season rules/every tournament of the season", SeasonRulesWrite(season), TournamentPage(t2, season), true},
		{"season rules/standings", SeasonRulesWrite(season), StandingsPage(season), true},
		{"season rules/rules page", SeasonRulesWrite(season), RulesPage(season), true},
		{"season rules/not another season's tournaments", SeasonRulesWrite(season), TournamentPage(tID, other), false},
		{"season rules/not another season's standings", SeasonRulesWrite(season), StandingsPage(other), false},

		{"person/profile", PersonWrite(angler), AnglerPage(angler), true},
		{"person/roster", PersonWrite(angler), RosterPage(), true},
		{"person/tournament pages showing names", PersonWrite(angler), TournamentPage(tID, season), true},
		{"person/standings showing names", PersonWrite(angler), StandingsPage(other), true},
		{"person/home", PersonWrite(angler), HomePage(), true},
		{"person/not the calendar", PersonWrite(angler), CalendarPage(season), false},

		{"lake/its page", LakeWrite(lake), LakePage(lake), true},
		{"lake/lake index", LakeWrite(lake), LakesPage(), true},
		{"lake/pages showing lake names", LakeWrite(lake), TournamentPage(tID, season), true},
		{"lake/not standings", LakeWrite(lake), StandingsPage(season), false},

		{"event/calendar of its year", EventWrite(season), CalendarPage(season), true},
		{"event/home (upcoming)", EventWrite(season), HomePage(), true},
		{"event/not another year", EventWrite(season), CalendarPage(other), false},
		{"event/not tournaments", EventWrite(season), TournamentPage(tID, season), false},

		{"poll/its page", PollWrite(5), PollPage(5), true},
		{"poll/poll list", PollWrite(5), PollsPage(), true},
		{"poll/home", PollWrite(5), HomePage(), true},
		{"poll/not another poll", PollWrite(5), PollPage(6), false},

		{"news/news", NewsWrite(), NewsPage(), true},
		{"news/home", NewsWrite(), HomePage(), true},
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

// TestEveryDataWriteRebuildsAPI: API documents mirror all public data.
func TestEveryDataWriteRebuildsAPI(t *testing.T) {
	for name, w := range map[string][]string{
		"result": ResultWrite(1, 1, 1), "boat": BoatWrite(1, 1, 1), "tournament": TournamentWrite(1, 1),
		"rules": SeasonRulesWrite(1), "person": PersonWrite(1), "lake": LakeWrite(1),
		"event": EventWrite(1), "poll": PollWrite(1), "news": NewsWrite(),
	} {
		if !invalidates(w, API()) {
			t.Errorf("%s write does not invalidate API documents", name)
		}
	}
}
