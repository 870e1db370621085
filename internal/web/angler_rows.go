package web

import (
	"html/template"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/store"
)

// The profile's results history and season-by-season rows written in Go,
// for the reason resultRows is (tournament_rows.go): a weigh-in save
// invalidates the profiles of everyone whose AoY line moved. The markup is
// byte-for-byte what pages/angler.html wrote.

// historyRows writes the results history table's rows, newest first.
func historyRows(history []store.AnglerResult) template.HTML {
	var b strings.Builder
	b.Grow(len(history) * 800)
	dash := `<span class="muted">–</span>`
	for _, h := range history {
		b.WriteString(`<tr class="`)
		if h.DQ {
			b.WriteString("dq")
		}
		b.WriteString("\">\n      <td class=\"nowrap when\">" + h.Date.Format("Jan 2, 2006") +
			"</td>\n      <th scope=\"row\" class=\"name\"><a href=\"/tournaments/" + strconv.FormatInt(h.TournamentID, 10) +
			`/">` + htmlText(club.TournamentTitle(h.Tournament, h.Date)) + "</a>")
		if h.Status != club.StatusComplete {
			b.WriteString(` <span class="tag">` + htmlText(h.Status) + "</span>")
		}
		if !h.WasMember {
			b.WriteString(` <abbr title="fished as a guest" class="guest">(G)</abbr>`)
		}
		b.WriteString("</th>\n      <td class=\"key num\" data-label=\"Finish\">")
		switch {
		case h.DQ:
			b.WriteString("DQ")
		case h.BuyIn:
			b.WriteString("buy-in")
		case h.Place != nil:
			b.WriteString(ordinal(*h.Place))
			if h.Format == club.FormatTeam {
				b.WriteString(`<span class="muted small"> of ` + count(h.Boats, "boat") + "</span>")
			} else if h.Entries != 0 {
				b.WriteString(`<span class="muted small"> of ` + strconv.Itoa(h.Entries) + "</span>")
			}
		default:
			b.WriteString("–")
		}
		b.WriteString("</td>\n      <td class=\"num\" data-label=\"Fish\">" + strconv.Itoa(h.Fish) +
			`</td><td class="key num" data-label="Net">` + pounds(h.Net) +
			"</td>\n      <td class=\"num\" data-label=\"Big bass\">")
		if h.BigBass != 0 {
			b.WriteString(pounds(h.BigBass))
		} else {
			b.WriteString(dash)
		}
		b.WriteString("</td>\n      <td class=\"key num\" data-label=\"Points\">")
		if h.Points != nil {
			b.WriteString(strconv.Itoa(*h.Points))
		} else {
			b.WriteString(dash)
		}
		b.WriteString("</td>\n      <td class=\"key num\" data-label=\"Won\">")
		if h.PrizeCents != 0 {
			b.WriteString(htmlText(money(h.PrizeCents)))
		} else {
			b.WriteString(dash)
		}
		b.WriteString("</td>\n    </tr>")
	}
	return template.HTML(b.String())
}

// seasonRows writes the season-by-season table's rows, newest first.
func seasonRows(seasons []seasonNumbers) template.HTML {
	var b strings.Builder
	ord := func(n int) string {
		if n == 0 {
			return "–"
		}
		return ordinal(n)
	}
	for _, s := range seasons {
		y := strconv.Itoa(s.Year)
		b.WriteString("<tr>\n      <th scope=\"row\" class=\"name\"><a href=\"/standings/" + y + `/">` + y +
			"</a></th>\n      <td class=\"key num\" data-label=\"AoY\">" + ord(s.AoYRank) +
			`</td><td class="key num" data-label="Points">` + strconv.Itoa(s.Points) +
			`</td><td class="num" data-label="Events">` + strconv.Itoa(s.Events) +
			"</td>\n      <td class=\"num\" data-label=\"Wins\">" + strconv.Itoa(s.Wins) +
			`</td><td class="num" data-label="Top 3">` + strconv.Itoa(s.Top3) +
			`</td><td class="num" data-label="Best">` + ord(s.BestFinish) +
			"</td>\n      <td class=\"num\" data-label=\"Fish\">" + strconv.Itoa(s.Fish) +
			`</td><td class="num" data-label="Weight">` + htmlText(s.Weight.String()) +
			`</td><td class="num" data-label="Big bass">` + htmlText(s.BigBass.String()) + "</td>\n    </tr>")
	}
	return template.HTML(b.String())
}
