package web_test

import "sabc/internal/web"

// routeCase says, independently of routes.go, who may use a route and which
// concrete path exercises it. Every registered pattern must have a row here:
// TestRouteTableIsCovered fails otherwise, so a new route cannot ship
// without someone deciding who may use it.
type routeCase struct {
	pattern string   // exactly as registered in routes.go
	path    string   // a concrete path for the pattern (ids from the demo club)
	need    web.Role // the least role that may use it
}

var routeCases = []routeCase{
	// Public pages: tournaments, standings, anglers
	{"GET /{$}", "/", web.Anonymous},
	{"GET /tournaments/{$}", "/tournaments/", web.Anonymous},
	{"GET /tournaments/{id}/{$}", "/tournaments/1/", web.Anonymous},
	{"GET /tournaments/{id}/results.csv", "/tournaments/1/results.csv", web.Anonymous},
	{"GET /tournaments/{id}/boats.csv", "/tournaments/1/boats.csv", web.Anonymous},
	{"GET /tournaments/{id}/live/{$}", "/tournaments/1/live/", web.Anonymous},
	{"GET /tournaments/{id}/live/events", "/tournaments/999999/live/events", web.Anonymous},
	{"GET /standings/{$}", "/standings/", web.Anonymous},
	{"GET /standings/{year}/{$}", "/standings/2026/", web.Anonymous},
	{"GET /awards/{$}", "/awards/", web.Anonymous},
	{"GET /awards/{year}/{$}", "/awards/2025/", web.Anonymous},
	{"GET /anglers/{id}/{$}", "/anglers/1/", web.Anonymous},
	{"GET /", "/no-such-page/", web.Anonymous},

	// Public pages: calendar, lakes, club content
	{"GET /calendar/{$}", "/calendar/", web.Anonymous},
	{"GET /calendar/{file}", "/calendar/2026.png", web.Anonymous},
	{"GET /calendar.ics", "/calendar.ics", web.Anonymous},
	{"GET /lakes/{$}", "/lakes/", web.Anonymous},
	{"GET /lakes/{id}/{$}", "/lakes/1/", web.Anonymous},
	{"GET /about/{$}", "/about/", web.Anonymous},
	{"GET /bylaws/{$}", "/bylaws/", web.Anonymous},
	{"GET /rules/{$}", "/rules/", web.Anonymous},
	{"GET /rules/{year}/{$}", "/rules/2026/", web.Anonymous},

	// Polls (poll 1 is the demo club's open lake poll)
	{"GET /polls/{$}", "/polls/", web.Anonymous},
	{"GET /polls/{id}/{$}", "/polls/1/", web.Anonymous},
	{"POST /polls/{id}/vote/{$}", "/polls/1/vote/", web.Member},

	// Accounts ("{me}" is replaced by the visiting account's id: a profile
	// is edited by its owner; roles_test checks an officer may edit others')
	{"GET /register/{$}", "/register/", web.Anonymous},
	{"POST /register/{$}", "/register/", web.Anonymous},
	{"GET /login/{$}", "/login/", web.Anonymous},
	{"POST /login/{$}", "/login/", web.Anonymous},
	{"POST /logout/{$}", "/logout/", web.Anonymous},
	{"GET /password-reset/{$}", "/password-reset/", web.Anonymous},
	{"POST /password-reset/{$}", "/password-reset/", web.Anonymous},
	{"GET /password-reset/{token}/{$}", "/password-reset/not-a-token/", web.Anonymous},
	{"POST /password-reset/{token}/{$}", "/password-reset/not-a-token/", web.Anonymous},
	{"GET /account/password/{$}", "/account/password/", web.Guest},
	{"POST /account/password/{$}", "/account/password/", web.Guest},
	{"GET /anglers/{id}/edit/{$}", "/anglers/{me}/edit/", web.Guest},
	{"POST /anglers/{id}/edit/{$}", "/anglers/{me}/edit/", web.Guest},
	{"POST /anglers/{id}/photo/{$}", "/anglers/{me}/photo/", web.Guest},
	{"GET /roster/{$}", "/roster/", web.Member},
	{"GET /account/api-tokens/{$}", "/account/api-tokens/", web.Officer},
	{"POST /account/api-tokens/{$}", "/account/api-tokens/", web.Officer},
	{"POST /account/api-tokens/{id}/delete/{$}", "/account/api-tokens/999999/delete/", web.Officer},

	// Officer and admin tools
	{"GET /tournaments/{id}/weigh-in/{$}", "/tournaments/1/weigh-in/", web.Officer},
	{"POST /tournaments/{id}/weigh-in/{$}", "/tournaments/1/weigh-in/", web.Officer},
	{"POST /tournaments/{id}/weigh-in/delete/{$}", "/tournaments/1/weigh-in/delete/", web.Officer},
	{"POST /tournaments/{id}/weigh-in/boats/{$}", "/tournaments/1/weigh-in/boats/", web.Officer},
	{"POST /tournaments/{id}/weigh-in/boats/delete/{$}", "/tournaments/1/weigh-in/boats/delete/", web.Officer},
	{"POST /tournaments/{id}/weigh-in/complete/{$}", "/tournaments/999999/weigh-in/complete/", web.Officer},
	{"POST /tournaments/{id}/weigh-in/hide-live/{$}", "/tournaments/999999/weigh-in/hide-live/", web.Officer},
	{"GET /tournaments/{id}/weigh-in/sw.js", "/tournaments/1/weigh-in/sw.js", web.Officer},
	{"GET /tournaments/{id}/weigh-in/manifest.webmanifest", "/tournaments/1/weigh-in/manifest.webmanifest", web.Officer},
	{"GET /admin/{$}", "/admin/", web.Officer},
	{"GET /admin/audit/{$}", "/admin/audit/?kind=result&from=2000-01-01", web.Officer},
	{"GET /admin/tournaments/{id}/results/{person_id}/{$}", "/admin/tournaments/1/results/1/", web.Officer},
	{"POST /admin/tournaments/{id}/results/{person_id}/{$}", "/admin/tournaments/999999/results/1/", web.Officer},
	{"POST /admin/tournaments/{id}/results/{person_id}/delete/{$}", "/admin/tournaments/999999/results/1/delete/", web.Officer},
	{"GET /admin/members/{$}", "/admin/members/?filter=overdue&q=a", web.Officer},
	{"POST /admin/members/{id}/promote/{$}", "/admin/members/999999/promote/", web.Officer},
	{"POST /admin/members/{id}/deactivate/{$}", "/admin/members/999999/deactivate/", web.Officer},
	{"POST /admin/members/{id}/reactivate/{$}", "/admin/members/999999/reactivate/", web.Officer},
	{"GET /admin/errors/{$}", "/admin/errors/", web.Officer},
	{"POST /admin/errors/{fingerprint}/resolve/{$}", "/admin/errors/nope/resolve/", web.Officer},
	// Seasons (empty posts: a form error, nothing created or saved)
	{"GET /admin/seasons/{$}", "/admin/seasons/", web.Officer},
	{"POST /admin/seasons/{$}", "/admin/seasons/", web.Officer},
	{"GET /admin/seasons/{year}/rules/{$}", "/admin/seasons/2026/rules/", web.Officer},
	{"POST /admin/seasons/{year}/rules/{$}", "/admin/seasons/2026/rules/", web.Officer},
	{"GET /admin/seasons/{year}/schedule/{$}", "/admin/seasons/2026/schedule/", web.Officer},
	{"POST /admin/seasons/{year}/schedule/{$}", "/admin/seasons/2026/schedule/", web.Officer},
	{"GET /admin/merge/{$}", "/admin/merge/", web.Admin},
	{"POST /admin/merge/{$}", "/admin/merge/", web.Admin},

	// Officer tools: events and tournaments (event 1 is a demo meeting, tournament 1
	// the first demo tournament; the matrix posts empty forms, which change nothing)
	{"GET /admin/events/{$}", "/admin/events/?year=2026", web.Officer},
	{"GET /admin/events/new/{$}", "/admin/events/new/", web.Officer},
	{"POST /admin/events/new/{$}", "/admin/events/new/", web.Officer},
	{"GET /admin/events/{id}/edit/{$}", "/admin/events/1/edit/", web.Officer},
	{"POST /admin/events/{id}/edit/{$}", "/admin/events/1/edit/", web.Officer},
	{"POST /admin/events/{id}/cancel/{$}", "/admin/events/1/cancel/", web.Officer},
	{"GET /admin/events/{id}/delete/{$}", "/admin/events/1/delete/", web.Officer},
	{"POST /admin/events/{id}/delete/{$}", "/admin/events/1/delete/", web.Officer},
	{"GET /admin/tournaments/new/{$}", "/admin/tournaments/new/", web.Officer},
	{"POST /admin/tournaments/new/{$}", "/admin/tournaments/new/", web.Officer},
	{"GET /admin/tournaments/{id}/edit/{$}", "/admin/tournaments/1/edit/", web.Officer},
	{"POST /admin/tournaments/{id}/edit/{$}", "/admin/tournaments/1/edit/", web.Officer},
	{"GET /admin/tournaments/{id}/delete/{$}", "/admin/tournaments/1/delete/", web.Officer},
	{"POST /admin/tournaments/{id}/delete/{$}", "/admin/tournaments/1/delete/", web.Officer},

	// JSON API (anonymous callers get 401, not the login page)
	{"GET /api/v1/tournaments/{id}/results", "/api/v1/tournaments/1/results", web.Anonymous},
	{"PUT /api/v1/tournaments/{id}/results/{person_id}", "/api/v1/tournaments/1/results/1", web.Officer},
	{"DELETE /api/v1/tournaments/{id}/results/{person_id}", "/api/v1/tournaments/1/results/1", web.Officer},

	// Infrastructure
	{"GET /static/", "/static/app.css", web.Anonymous},
	{"GET /media/", "/media/00/00/0000000000000000000000000000000000000000000000000000000000000000.jpg", web.Anonymous},
	{"GET /health/liveness/{$}", "/health/liveness/", web.Anonymous},
	{"GET /health/readiness/{$}", "/health/readiness/", web.Anonymous},
	{"GET /health/{$}", "/health/", web.Anonymous},
	{"GET /metrics", "/metrics", web.Anonymous},
}
