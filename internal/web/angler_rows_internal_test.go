package web

import (
	"testing"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
)

// TestProfileRowsMatchTheTemplate: the profile's history and season rows,
// written in Go, print what pages/angler.html printed — with a DQ, a buy-in,
// an unplaced row, a team finish "of N boats", a tournament still in
// weigh-in, a guest entry and a name with markup.
func TestProfileRowsMatchTheTemplate(t *testing.T) {
	first, third, pts := 1, 3, 0
	d := club.NewDate(2026, 3, 14)
	history := []store.AnglerResult{
		{TournamentID: 1, Tournament: nasty, Date: d, Status: club.StatusComplete, Format: club.FormatIndividual,
			Entries: 31, WasMember: true, Place: &first, Points: &pts, Fish: 5, Net: 1234, BigBass: 405, PrizeCents: 102550},
		{TournamentID: 2, Tournament: "Team", Date: d, Status: "weigh-in", Format: club.FormatTeam, Boats: 1, Place: &third},
		{TournamentID: 3, Tournament: "Team", Date: d, Status: club.StatusComplete, Format: club.FormatTeam, Boats: 12, Place: &third, WasMember: true},
		{TournamentID: 4, Tournament: "DQ", Date: d, Status: club.StatusComplete, DQ: true, WasMember: true},
		{TournamentID: 5, Tournament: "Buy", Date: d, Status: club.StatusComplete, BuyIn: true},
		{TournamentID: 6, Tournament: "None", Date: d, Status: "scheduled", Place: &first},
		{TournamentID: 7, Tournament: "Alone", Date: d, Status: club.StatusComplete, Format: club.FormatIndividual, Entries: 1, Place: &first},
		{TournamentID: 8, Tournament: "Unplaced", Date: d, Status: club.StatusComplete, Entries: 9},
	}
	sameAsTemplate(t, "history", `{{range .}}<tr class="{{if .DQ}}dq{{end}}">
      <td class="nowrap when">{{.Date.Format "Jan 2, 2006"}}</td>
      <th scope="row" class="name"><a href="/tournaments/{{.TournamentID}}/">{{titled .Tournament .Date}}</a>{{if ne .Status "complete"}} <span class="tag">{{.Status}}</span>{{end}}{{if not .WasMember}} <abbr title="fished as a guest" class="guest">(G)</abbr>{{end}}</th>
      <td class="key num" data-label="Finish">{{if .DQ}}DQ{{else if .BuyIn}}buy-in{{else if .Place}}{{ordinal (deref .Place)}}{{if eq .Format "team"}}<span class="muted small"> of {{count .Boats "boat"}}</span>{{else if .Entries}}<span class="muted small"> of {{.Entries}}</span>{{end}}{{else}}–{{end}}</td>
      <td class="num" data-label="Fish">{{.Fish}}</td><td class="key num" data-label="Net">{{weight .Net}}</td>
      <td class="num" data-label="Big bass">{{if .BigBass}}{{weight .BigBass}}{{else}}<span class="muted">–</span>{{end}}</td>
      <td class="key num" data-label="Points">{{if .Points}}{{deref .Points}}{{else}}<span class="muted">–</span>{{end}}</td>
      <td class="key num" data-label="Won">{{if .PrizeCents}}{{money .PrizeCents}}{{else}}<span class="muted">–</span>{{end}}</td>
    </tr>{{end}}`, history, historyRows(history))
	seasons := []seasonNumbers{
		{Year: 2026, Profile: scoring.Profile{Events: 3, Wins: 1, Top3: 2, Points: 297, AoYRank: 1, Fish: 14, Weight: 3412, BigBass: 512, BestFinish: 1}},
		{Year: 2025, Profile: scoring.Profile{Events: 1, Fish: 0}},
	}
	sameAsTemplate(t, "seasons", `{{range .}}<tr>
      <th scope="row" class="name"><a href="/standings/{{.Year}}/">{{.Year}}</a></th>
      <td class="key num" data-label="AoY">{{if .AoYRank}}{{ordinal .AoYRank}}{{else}}–{{end}}</td><td class="key num" data-label="Points">{{.Points}}</td><td class="num" data-label="Events">{{.Events}}</td>
      <td class="num" data-label="Wins">{{.Wins}}</td><td class="num" data-label="Top 3">{{.Top3}}</td><td class="num" data-label="Best">{{if .BestFinish}}{{ordinal .BestFinish}}{{else}}–{{end}}</td>
      <td class="num" data-label="Fish">{{.Fish}}</td><td class="num" data-label="Weight">{{.Weight}}</td><td class="num" data-label="Big bass">{{.BigBass}}</td>
    </tr>{{end}}`, seasons, seasonRows(seasons))
}
