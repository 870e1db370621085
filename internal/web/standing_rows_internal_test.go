package web

import (
	"testing"

	"sabc/internal/chart"
	"sabc/internal/club"
	"sabc/internal/store"
)

// TestSeasonListsMatchTheTemplate: the standings page's award lists,
// schedule and chart legend, written in Go, print what the templates
// printed — with guests, names and lakes with markup, scheduled and
// no-points tournaments, which the demo club's pages do not all have.
func TestSeasonListsMatchTheTemplate(t *testing.T) {
	awards := []store.Award{{Rank: 1, PersonID: 3, Name: nasty, TournamentID: 9, TournamentName: "Feb <Travis>", Weight: 2412},
		{Rank: 2, PersonID: 4, Name: "Guest & Co", TournamentID: 10, TournamentName: "Mar", Weight: 5, Guest: true}}
	sameAsTemplate(t, "awards", `{{range .}}<li{{if eq .Rank 1}} class="first"{{end}}><span class="rank">{{.Rank}}</span><span class="who"><span><a href="/anglers/{{.PersonID}}/">{{.Name}}</a>{{if .Guest}} <abbr title="guest" class="guest">(G)</abbr>{{end}}</span><a class="small muted" href="/tournaments/{{.TournamentID}}/">{{.TournamentName}}</a></span><span class="wt">{{weight .Weight}}<small> lb</small></span></li>{{end}}`,
		awards, awardItems(awards))
	ts := []store.SeasonTournamentRow{
		{ID: 1, Name: nasty, Date: club.NewDate(2026, 2, 7), Status: club.StatusComplete, PointsCount: true, LakeName: "L & <M>", Entries: 31},
		{ID: 2, Name: "Classic", Date: club.NewDate(2026, 11, 21), Status: "scheduled"},
		{ID: 3, Name: "Live", Date: club.NewDate(2026, 3, 14), Status: "weigh-in", PointsCount: true, LakeName: "Buchanan", Entries: 1},
	}
	sameAsTemplate(t, "schedule", `{{range .}}<li><a class="tlink" href="/tournaments/{{.ID}}/"><span class="tdate"><span class="mon">{{.Date.Format "Jan"}}</span><span class="dom">{{.Date.Format "2"}}</span></span><span class="tmain"><span class="tname">{{.Name}}</span><span class="tmeta">{{if .LakeName}}{{.LakeName}}{{end}}{{if not .PointsCount}} · no AoY points{{end}}{{if .Entries}} · {{.Entries}} entries{{end}}</span></span><span class="badge status-{{.Status}}">{{if eq .Status "complete"}}results{{else}}{{.Status}}{{end}}</span></a></li>{{end}}`,
		ts, seasonScheduleItems(ts))
	legend := []chart.LegendItem{{Name: nasty, Href: "/anglers/3/", Class: "c0", Value: "297"}, {Name: "B", Href: "/anglers/4/", Class: "c1", Value: "0"}}
	sameAsTemplate(t, "legend", `{{range .}}<li><span class="swatch {{.Class}}" aria-hidden="true"></span><a href="{{.Href}}">{{.Name}}</a> <span class="muted">{{.Value}}</span></li>{{end}}`,
		legend, chartLegendItems(legend))
}
