package web

import (
	"html/template"
	"strconv"
	"strings"

	"sabc/internal/chart"
	"sabc/internal/club"
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

// awardItems writes a season top list's items (Heavy Stringer or Big Bass
// of the Year), as the "site-awards" partial's {{range}} did.
func awardItems(list []store.Award) template.HTML {
	var b strings.Builder
	for _, a := range list {
		b.WriteString("<li")
		if a.Rank == 1 {
			b.WriteString(` class="first"`)
		}
		b.WriteString(`><span class="rank">` + strconv.Itoa(a.Rank) + `</span><span class="who"><span><a href="/anglers/` +
			strconv.FormatInt(a.PersonID, 10) + `/">` + htmlText(a.Name) + "</a>")
		if a.Guest {
			b.WriteString(` <abbr title="guest" class="guest">(G)</abbr>`)
		}
		b.WriteString(`</span><a class="small muted" href="/tournaments/` + strconv.FormatInt(a.TournamentID, 10) + `/">` +
			htmlText(a.TournamentName) + `</a></span><span class="wt">` + pounds(a.Weight) + "<small> lb</small></span></li>")
	}
	return template.HTML(b.String())
}

// seasonScheduleItems writes the season's tournaments under "Schedule and
// winners' weights".
func seasonScheduleItems(ts []store.SeasonTournamentRow) template.HTML {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(`<li><a class="tlink" href="/tournaments/` + strconv.FormatInt(t.ID, 10) +
			`/"><span class="tdate"><span class="mon">` + t.Date.Format("Jan") + `</span><span class="dom">` +
			strconv.Itoa(t.Date.Day()) + `</span></span><span class="tmain"><span class="tname">` + htmlText(t.Name) +
			`</span><span class="tmeta">` + htmlText(t.LakeName))
		if !t.PointsCount {
			b.WriteString(" · no AoY points")
		}
		if t.Entries != 0 {
			b.WriteString(" · " + strconv.Itoa(t.Entries) + " entries")
		}
		status := htmlText(t.Status)
		b.WriteString(`</span></span><span class="badge status-` + status + `">`)
		if t.Status == club.StatusComplete {
			b.WriteString("results")
		} else {
			b.WriteString(status)
		}
		b.WriteString("</span></a></li>")
	}
	return template.HTML(b.String())
}

// chartLegendItems writes the standings chart's legend: a swatch, the
// angler's link (a path we built) and their points.
func chartLegendItems(legend []chart.LegendItem) template.HTML {
	var b strings.Builder
	for _, l := range legend {
		b.WriteString(`<li><span class="swatch ` + htmlText(l.Class) + `" aria-hidden="true"></span><a href="` +
			htmlText(l.Href) + `">` + htmlText(l.Name) + `</a> <span class="muted">` + htmlText(l.Value) + "</span></li>")
	}
	return template.HTML(b.String())
}
