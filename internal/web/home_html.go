package web

import (
	"html/template"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/store"
)

// The home page's repeated blocks written in Go, for the reason resultRows
// is (tournament_rows.go): the home page is re-rendered after every weigh-in
// save. The markup is byte-for-byte what pages/home.html wrote.

// podiumArticles writes "Latest results": each tournament's top three.
func podiumArticles(ps []store.Podium) template.HTML {
	var b strings.Builder
	for _, p := range ps {
		t := p.Tournament
		b.WriteString("\n  <article class=\"podium\">\n    <h3><a href=\"/tournaments/" + strconv.FormatInt(t.ID, 10) + `/">` +
			htmlText(club.TournamentTitle(t.Name, t.Date)) + `</a> <span class="muted">` + t.Date.Format("Mon, Jan 2, 2006") +
			"</span></h3>\n    <ol>")
		for _, f := range p.Top {
			b.WriteString(`<li value="` + strconv.Itoa(f.Place) + `">`)
			for i, a := range f.Anglers {
				if i > 0 {
					b.WriteString(" &amp; ")
				}
				b.WriteString(`<a href="/anglers/` + strconv.FormatInt(a.PersonID, 10) + `/">` + htmlText(a.Name) + "</a>")
				if a.Guest {
					b.WriteString(` <abbr title="guest" class="guest">(G)</abbr>`)
				}
			}
			b.WriteString(" — " + pounds(f.Net) + " lb (" + strconv.Itoa(f.Fish) + " fish)</li>")
		}
		b.WriteString("</ol>\n  </article>\n  ")
	}
	return template.HTML(b.String())
}

// topStandingRows writes the home page's AoY top 5.
func topStandingRows(rows []store.Standing) template.HTML {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString("<tr><td>" + strconv.Itoa(r.Rank) + `</td><td><a href="/anglers/` + strconv.FormatInt(r.PersonID, 10) +
			`/">` + htmlText(r.Name) + "</a></td><td>" + strconv.Itoa(r.Points) + "</td><td>" + strconv.Itoa(r.Events) +
			"</td></tr>")
	}
	return template.HTML(b.String())
}
