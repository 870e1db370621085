package cache

import "strconv"

// The invalidation map: the one place that says which cached pages each kind
// of write makes stale. Both sides live here: pages declare the namespaces
// they depend on (the *Page helpers, which web/cache_pages.go uses as
// Key.Deps for every cached route — there are no others), and writes return
// the namespaces they bump (the *Write helpers, which the store announces
// after commit for Tiered.Bump). A page is invalidated by a write when the
// two lists share a namespace; the tests in invalidation_test.go spell that
// out as rules. A namespace no page reads is not bumped: the public JSON API
// is not shared-cached (it answers with ETags), so there is no api
// namespace, nor news or poll ones until those pages are cached.
//
// Namespaces:
//
//	tournament:{id}  one tournament: its page, results, boats, payouts
//	                 (bumped by every rescore of it, including the rescores
//	                 a season rules change causes)
//	tournaments      the tournament index (all years; shows winners)
//	season:{year}    everything computed under that season's rules
//	                 (tournament points/payouts, standings, rules page)
//	standings:{year} the season standings
//	calendar:{year}  the calendar of that year
//	lake:{id}        one lake page (its tournaments, records)
//	lakes            lake reference data: names shown on many pages
//	angler:{id}      one angler's profile (results, points, boats)
//	anglers          all profiles at once (a tournament edit changes rows
//	                 on every participant's profile; cheaper than listing them)
//	people           names and roster: every page that shows a person
//	home             the home page's own content mix (latest results,
//	                 leaders, upcoming events, news, the open poll)
//	club             the club row: name on every page, about, bylaws
//
// Page → namespaces:
//
//	home                 home, people, lakes
//	tournament page      tournament:{id}, people, lakes
//	tournament index     tournaments, people, lakes
//	standings, awards    standings:{year}, season:{year}, people
//	rules page           season:{year}
//	calendar             calendar:{year}, lakes
//	lake page            lake:{id}, lakes, people
//	lake index           lakes
//	angler profile       angler:{id}, anglers, people, lakes
//	about, bylaws        club
//	every page, besides  club (PageLayout: the club name in the layout)

func nsID(kind string, id int64) string   { return kind + ":" + strconv.FormatInt(id, 10) }
func nsYear(kind string, year int) string { return kind + ":" + strconv.Itoa(year) }

// Namespace names, exported for callers that cache something not covered by
// a page helper.
const (
	NSTournaments = "tournaments"
	NSLakes       = "lakes"
	NSAnglers     = "anglers"
	NSPeople      = "people"
	NSHome        = "home"
)

// ---- Pages: what each cached page depends on. ----

// HomePage shows latest results, leaders, upcoming events, news and the
// open poll; writes to those name "home" explicitly.
func HomePage() []string { return []string{NSHome, NSPeople, NSLakes} }

// TournamentPage is one tournament. It needs no season namespace: a season
// rules change rescores the season's tournaments, and every rescore bumps
// the tournament it scored (ResultWrite).
func TournamentPage(id int64) []string {
	return []string{nsID("tournament", id), NSPeople, NSLakes}
}

// TournamentsPage is the tournament index.
func TournamentsPage() []string { return []string{NSTournaments, NSPeople, NSLakes} }

// StandingsPage is the season standings of year.
func StandingsPage(year int) []string {
	return []string{nsYear("standings", year), nsYear("season", year), NSPeople}
}

// RulesPage is the season's rules/scoring page.
func RulesPage(year int) []string { return []string{nsYear("season", year)} }

// CalendarPage is the calendar of year (events and tournaments).
func CalendarPage(year int) []string { return []string{nsYear("calendar", year), NSLakes} }

// LakePage is one lake with its tournaments and records.
func LakePage(id int64) []string { return []string{nsID("lake", id), NSLakes, NSPeople} }

// LakesPage is the lake index.
func LakesPage() []string { return []string{NSLakes} }

// AnglerPage is one public angler profile.
func AnglerPage(id int64) []string {
	return []string{nsID("angler", id), NSAnglers, NSPeople, NSLakes}
}

// ---- Writes: what each kind of write invalidates. ----

// ResultWrite is entering, editing or deleting results (weights, fish,
// places) of a tournament. The calendar shows no results, so it stays.
func ResultWrite(season int, tournamentID, lakeID int64, anglerIDs ...int64) []string {
	ns := []string{
		nsID("tournament", tournamentID),
		NSTournaments, // index shows winners
		nsYear("standings", season),
		NSHome, // latest results, leaders
		nsID("lake", lakeID),
	}
	for _, id := range anglerIDs {
		ns = append(ns, nsID("angler", id))
	}
	return ns
}

// TournamentWrite is creating, editing (date, lake, name, status) or
// deleting a tournament. Pass every lake involved (old and new when it
// moved); the calendar year is the season. A moved date across years needs
// one call per season.
func TournamentWrite(season int, tournamentID int64, lakeIDs ...int64) []string {
	ns := []string{
		nsID("tournament", tournamentID),
		NSTournaments,
		nsYear("standings", season), // counted tournaments change
		nsYear("calendar", season),
		NSHome,
		NSAnglers, // participants' profiles list the tournament
	}
	for _, id := range lakeIDs {
		ns = append(ns, nsID("lake", id))
	}
	return ns
}

// AnglersWrite is a change shown on these anglers' profiles only: a stored
// AoY line (rank moves for anglers who did not fish the edited tournament)
// or a result taken off an angler (deleted, or moved to someone else).
func AnglersWrite(anglerIDs ...int64) []string {
	ns := make([]string, len(anglerIDs))
	for i, id := range anglerIDs {
		ns[i] = nsID("angler", id)
	}
	return ns
}

// TournamentLinksWrite is a change to what neighbouring tournament pages
// show of a tournament: their previous/next links (its name and date), or
// a tournament inserted between them.
func TournamentLinksWrite(tournamentIDs ...int64) []string {
	var ns []string
	for _, id := range tournamentIDs {
		if id != 0 {
			ns = append(ns, nsID("tournament", id))
		}
	}
	return ns
}

// SeasonRulesWrite is changing a season's scoring rules: every tournament
// page of the season (points, payouts), the standings, the rules page and
// the profiles showing season points.
func SeasonRulesWrite(season int) []string {
	return []string{
		nsYear("season", season),
		nsYear("standings", season),
		NSHome,
		NSAnglers,
	}
}

// PersonWrite is a profile or membership change (name, photo, active): the
// person's page, the roster and every page showing names ("people").
func PersonWrite(id int64) []string {
	return []string{nsID("angler", id), NSPeople}
}

// LakeWrite is editing a lake: its page and every page showing lake names.
func LakeWrite(id int64) []string {
	return []string{nsID("lake", id), NSLakes}
}

// EventWrite is a calendar event (meeting, social) in year; home lists the
// upcoming ones.
func EventWrite(year int) []string {
	return []string{nsYear("calendar", year), NSHome}
}

// PollWrite is a poll created, edited, closed or voted on: home shows the
// open poll. The poll pages themselves are not cached.
func PollWrite(int64) []string { return []string{NSHome} }

// NewsWrite is a news item published, edited or removed: home shows the
// latest. The news pages themselves are not cached.
func NewsWrite() []string { return []string{NSHome} }

// ClubWrite is the club settings row (name, meeting place, about, bylaws,
// dues): home, the content pages and — through PageLayout — every cached page.
func ClubWrite() []string { return []string{NSHome, NSClub} }

// NSClub is the club's own content: about and bylaws pages.
const NSClub = "club"

// PageLayout is what every rendered page shows from the club row: its
// name in the title, header and footer. Every cached page depends on it
// besides its own namespaces, so renaming the club reaches every page.
func PageLayout() []string { return []string{NSClub} }

// ContentPage is the about or bylaws page.
func ContentPage() []string { return []string{NSClub} }
