package web

import "net/http"

// Role is what a visitor may do; each role includes the ones before it.
type Role int

const (
	Anonymous Role = iota // not logged in
	Guest                 // logged in, not a member
	Member                // member of the club
	Officer               // holds an officer term this season, or granted
	Admin                 // is_admin
)

func (r Role) String() string {
	return [...]string{"anonymous", "guest", "member", "officer", "admin"}[r]
}

type route struct {
	pattern string
	role    Role // the least role that may use the route
	handler http.HandlerFunc
}

// routes is the site map: every path the server answers, with the role it needs.
// A test walks this table for every role, so a new route without an entry there fails.
func (s *Server) routes() []route {
	return []route{
		// Public pages: tournaments, standings, anglers
		{"GET /{$}", Anonymous, s.home},
		{"GET /tournaments/{$}", Anonymous, s.tournamentList},
		{"GET /tournaments/{id}/{$}", Anonymous, s.tournamentPage},
		{"GET /tournaments/{id}/results.csv", Anonymous, s.tournamentCSV},
		{"GET /tournaments/{id}/boats.csv", Anonymous, s.boatsCSV},
		{"GET /tournaments/{id}/live/{$}", Anonymous, s.livePage},
		// The one streaming route (server-sent events, live.go): exempt it from
		// write timeouts and response buffering; it sets its own deadline.
		{"GET /tournaments/{id}/live/events", Anonymous, s.liveEvents},
		{"GET /standings/{$}", Anonymous, s.standingsRedirect},
		{"GET /standings/{year}/{$}", Anonymous, s.standingsPage},
		{"GET /awards/{$}", Anonymous, s.standingsRedirect},
		{"GET /awards/{year}/{$}", Anonymous, s.awardsPage},
		{"GET /anglers/{id}/{$}", Anonymous, s.anglerPage},
		{"GET /", Anonymous, s.notFound}, // any other path: the friendly 404 page, not the mux's plain text

		// Public pages: calendar, lakes, club content
		{"GET /calendar/{$}", Anonymous, s.calendarPage},
		{"GET /calendar/{file}", Anonymous, s.calendarFile},
		{"GET /calendar.ics", Anonymous, s.calendarICS},
		{"GET /lakes/{$}", Anonymous, s.lakeList},
		{"GET /lakes/{id}/{$}", Anonymous, s.lakePage},
		{"GET /about/{$}", Anonymous, s.aboutPage},
		{"GET /bylaws/{$}", Anonymous, s.bylawsPage},
		{"GET /rules/{$}", Anonymous, s.rulesRedirect},
		{"GET /rules/{year}/{$}", Anonymous, s.rulesPage},

		// Polls
		{"GET /polls/{$}", Anonymous, s.pollList},
		{"GET /polls/{id}/{$}", Anonymous, s.pollPage},
		{"POST /polls/{id}/vote/{$}", Member, s.pollVote},

		// Accounts: register, log in/out, password reset, profiles, roster
		{"GET /register/{$}", Anonymous, s.registerForm},
		{"POST /register/{$}", Anonymous, s.register},
		{"GET /login/{$}", Anonymous, s.loginForm},
		{"POST /login/{$}", Anonymous, s.login},
		{"POST /logout/{$}", Anonymous, s.logout},
		{"GET /password-reset/{$}", Anonymous, s.resetRequestForm},
		{"POST /password-reset/{$}", Anonymous, s.resetRequest},
		{"GET /password-reset/{token}/{$}", Anonymous, s.resetForm},
		{"POST /password-reset/{token}/{$}", Anonymous, s.reset},
		{"GET /account/password/{$}", Guest, s.passwordForm},
		{"POST /account/password/{$}", Guest, s.changePassword},
		{"GET /anglers/{id}/edit/{$}", Guest, s.profileForm},   // owner or officer (editTarget)
		{"POST /anglers/{id}/edit/{$}", Guest, s.saveProfile},  // owner or officer (editTarget)
		{"POST /anglers/{id}/photo/{$}", Guest, s.uploadPhoto}, // owner or officer (editTarget)
		{"GET /roster/{$}", Member, s.roster},
		{"GET /account/api-tokens/{$}", Officer, s.tokenList},
		{"POST /account/api-tokens/{$}", Officer, s.createToken},
		{"POST /account/api-tokens/{id}/delete/{$}", Officer, s.deleteToken},

		// Officer and admin tools
		// The weigh-in screen (weighin*.go): plain form posts; app.js uses the API.
		{"GET /tournaments/{id}/weigh-in/{$}", Officer, s.weighIn},
		{"POST /tournaments/{id}/weigh-in/{$}", Officer, s.saveWeighInForm},
		{"POST /tournaments/{id}/weigh-in/delete/{$}", Officer, s.deleteWeighInForm},
		{"POST /tournaments/{id}/weigh-in/boats/{$}", Officer, s.saveBoatForm},
		{"POST /tournaments/{id}/weigh-in/boats/delete/{$}", Officer, s.deleteBoatForm},
		{"POST /tournaments/{id}/weigh-in/complete/{$}", Officer, s.markComplete},
		{"POST /tournaments/{id}/weigh-in/hide-live/{$}", Officer, s.setHideLive},
		{"GET /tournaments/{id}/weigh-in/sw.js", Officer, s.weighInServiceWorker},
		{"GET /tournaments/{id}/weigh-in/manifest.webmanifest", Officer, s.weighInManifest},
		{"GET /admin/{$}", Officer, s.dashboard},
		{"GET /admin/audit/{$}", Officer, s.auditLog},
		{"GET /admin/tournaments/{id}/results/{person_id}/{$}", Officer, s.resultForm},
		{"POST /admin/tournaments/{id}/results/{person_id}/{$}", Officer, s.saveResultChange},
		{"POST /admin/tournaments/{id}/results/{person_id}/delete/{$}", Officer, s.deleteResultForm},
		{"GET /admin/members/{$}", Officer, s.memberList},
		{"POST /admin/members/{id}/promote/{$}", Officer, s.memberAction("promoted")},
		{"POST /admin/members/{id}/deactivate/{$}", Officer, s.memberAction("deactivated")},
		{"POST /admin/members/{id}/reactivate/{$}", Officer, s.memberAction("reactivated")},
		{"GET /admin/merge/{$}", Admin, s.mergeForm},
		{"POST /admin/merge/{$}", Admin, s.merge},
		{"GET /admin/errors/{$}", Officer, s.errorGroups},
		{"POST /admin/errors/{fingerprint}/resolve/{$}", Officer, s.resolveErrorGroup},
		// Seasons: create, rules and payouts, schedule generator (admin_season*.go, admin_schedule.go)
		{"GET /admin/seasons/{$}", Officer, s.seasonList},
		{"POST /admin/seasons/{$}", Officer, s.createSeason},
		{"GET /admin/seasons/{year}/rules/{$}", Officer, s.seasonRulesForm},
		{"POST /admin/seasons/{year}/rules/{$}", Officer, s.saveSeasonRules},
		{"GET /admin/seasons/{year}/schedule/{$}", Officer, s.schedulePreview},
		{"POST /admin/seasons/{year}/schedule/{$}", Officer, s.generateSchedule},

		// Officer tools: events and tournaments (admin_events.go, admin_tournaments.go)
		{"GET /admin/events/{$}", Officer, s.eventList},
		{"GET /admin/events/new/{$}", Officer, s.newEventForm},
		{"POST /admin/events/new/{$}", Officer, s.createEvent},
		{"GET /admin/events/{id}/edit/{$}", Officer, s.editEventForm},
		{"POST /admin/events/{id}/edit/{$}", Officer, s.saveEvent},
		{"POST /admin/events/{id}/cancel/{$}", Officer, s.cancelEvent},
		{"GET /admin/events/{id}/delete/{$}", Officer, s.deleteEventForm},
		{"POST /admin/events/{id}/delete/{$}", Officer, s.deleteEvent},
		{"GET /admin/tournaments/new/{$}", Officer, s.newTournamentForm},
		{"POST /admin/tournaments/new/{$}", Officer, s.createTournament},
		{"GET /admin/tournaments/{id}/edit/{$}", Officer, s.editTournamentForm},
		{"POST /admin/tournaments/{id}/edit/{$}", Officer, s.saveTournament},
		{"GET /admin/tournaments/{id}/delete/{$}", Officer, s.deleteTournamentForm},
		{"POST /admin/tournaments/{id}/delete/{$}", Officer, s.deleteTournament},

		// JSON API (docs/api.md): public reads; the weigh-in is the one write
		// path (officer session or personal API token, Idempotency-Key).
		{"GET /api/v1/tournaments/{id}/results", Anonymous, s.apiResults},
		{"PUT /api/v1/tournaments/{id}/results/{person_id}", Officer, s.apiPutResult},
		{"DELETE /api/v1/tournaments/{id}/results/{person_id}", Officer, s.apiDeleteResult},

		// Infrastructure: static files, media, health, metrics
		{"GET /static/", Anonymous, s.Assets.ServeHTTP},
		{"GET /media/", Anonymous, s.mediaFiles},
		{"GET /health/liveness/{$}", Anonymous, s.healthLiveness},
		{"GET /health/readiness/{$}", Anonymous, s.healthReadiness},
		{"GET /health/{$}", Anonymous, s.healthDetail},
		{"GET /metrics", Anonymous, s.metrics}, // guarded by METRICS_TOKEN / METRICS_ALLOW_NETS
	}
}

// RoutePatterns lists the registered patterns with their roles (for tests and docs).
func (s *Server) RoutePatterns() map[string]Role {
	out := map[string]Role{}
	for _, r := range s.routes() {
		out[r.pattern] = r.role
	}
	return out
}
