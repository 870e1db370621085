package web

import (
	"testing"

	"sabc/internal/club"
	"sabc/internal/store"
)

// TestHomeBlocksMatchTheTemplate: the home page's podiums and AoY top 5,
// written in Go, print what pages/home.html printed — with a team podium
// (two anglers on one line), a guest and names with markup.
func TestHomeBlocksMatchTheTemplate(t *testing.T) {
	ps := []store.Podium{
		{Tournament: club.Tournament{ID: 7, Name: nasty, Date: club.NewDate(2026, 3, 14)}, Top: []store.Finisher{
			{Place: 1, Net: 2412, Fish: 10, Anglers: []store.PodiumAngler{{PersonID: 1, Name: nasty}, {PersonID: 2, Name: "B", Guest: true}}},
			{Place: 3, Net: 5, Fish: 1, Anglers: []store.PodiumAngler{{PersonID: 3, Name: "C"}}},
		}},
		{Tournament: club.Tournament{ID: 8, Name: "Feb", Date: club.NewDate(2026, 2, 7)}},
	}
	sameAsTemplate(t, "podiums", `{{range .}}
  <article class="podium">
    <h3><a href="/tournaments/{{.Tournament.ID}}/">{{titled .Tournament.Name .Tournament.Date}}</a> <span class="muted">{{day .Tournament.Date}}</span></h3>
    <ol>{{range .Top}}<li value="{{.Place}}">{{range $i, $a := .Anglers}}{{if $i}} &amp; {{end}}<a href="/anglers/{{$a.PersonID}}/">{{$a.Name}}</a>{{if $a.Guest}} <abbr title="guest" class="guest">(G)</abbr>{{end}}{{end}} — {{weight .Net}} lb ({{.Fish}} fish)</li>{{end}}</ol>
  </article>
  {{end}}`, ps, podiumArticles(ps))
	rows := []store.Standing{{PersonID: 4, Name: nasty, Rank: 1, Points: 297, Events: 9}, {PersonID: 5, Name: "E", Rank: 2}}
	sameAsTemplate(t, "top 5", `{{range .}}<tr><td>{{.Rank}}</td><td><a href="/anglers/{{.PersonID}}/">{{.Name}}</a></td><td>{{.Points}}</td><td>{{.Events}}</td></tr>{{end}}`,
		rows, topStandingRows(rows))
}
