package web

import (
	"html/template"
	"strconv"
	"strings"

	"sabc/internal/store"
)

// standingRows writes the standings table's rows in Go, for the reason
// resultRows does (tournament_rows.go): a template row of a dozen actions
// per angler was most of an uncached standings page's CPU. The markup is
// what the "site-standing-row" template wrote, byte for byte.
func standingRows(rows []store.Standing) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 700)
	num := func(n int) { b.WriteString(strconv.Itoa(n)) }
	for _, r := range rows {
		b.WriteString(`<tr class="`)
		switch {
		case !r.Eligible:
			b.WriteString("ineligible")
		case r.Rank <= 3:
			b.WriteString("podium p")
			num(r.Rank)
		}
		b.WriteString("\">\n      <td class=\"num place\">")
		if r.Eligible {
			num(r.Rank)
		} else {
			b.WriteString("–")
		}
		b.WriteString("</td>\n      <th scope=\"row\" class=\"name\"><a href=\"/anglers/")
		b.WriteString(strconv.FormatInt(r.PersonID, 10))
		b.WriteString("/\">" + htmlText(r.Name) + "</a>")
		if !r.Eligible {
			b.WriteString(` <span class="tag">not eligible</span>`)
		}
		b.WriteString("</th>\n      <td class=\"key num strong\" data-label=\"Points\">")
		num(r.Points)
		b.WriteString(`</td><td class="num" data-label="Events">`)
		num(r.Events)
		b.WriteString(`</td><td class="num" data-label="Wins">`)
		num(r.Wins)
		b.WriteString(`</td><td class="num" data-label="Fish">`)
		num(r.Fish)
		b.WriteString("</td>\n      <td class=\"key num\" data-label=\"Weight\">" + pounds(r.Net))
		b.WriteString(`</td><td class="num" data-label="Big bass">`)
		if r.BiggestBass != 0 {
			b.WriteString(pounds(r.BiggestBass))
		} else {
			b.WriteString(`<span class="muted">–</span>`)
		}
		b.WriteString("</td>\n    </tr>")
	}
	return template.HTML(b.String())
}
