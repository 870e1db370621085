package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"sabc/internal/club"
)

// resultRows writes the tournament page's results table rows in Go: the same
// markup pages/tournament.html used to produce with a {{range}} of about 25
// actions and 10 function calls per angler. html/template runs each action
// through reflection and an escaper, which was more than half the CPU of an
// uncached tournament page — the render members wait for right after every
// weigh-in save (docs/benchmarks.md, "Uncached renders"). Text is escaped
// exactly as html/template escapes it, so the page is byte-for-byte the same.
func resultRows(results []club.Result) template.HTML {
	var b strings.Builder
	b.Grow(len(results) * 900)
	num := func(n int64) { b.WriteString(strconv.FormatInt(n, 10)) }
	dash := `<span class="muted">–</span>`
	for _, r := range results {
		b.WriteString("\n      <tr class=\"")
		switch {
		case r.OutDQ:
			b.WriteString("dq")
		case r.OutBuyIn:
			b.WriteString("buyin")
		case r.Place != nil && *r.Place <= 3:
			b.WriteString("podium p")
			num(int64(*r.Place))
		}
		b.WriteString("\">\n        <td class=\"num place\">")
		switch {
		case r.OutDQ:
			b.WriteString("DQ")
		case r.Place != nil:
			num(int64(*r.Place))
		default:
			b.WriteString("–")
		}
		b.WriteString("</td>\n        <th scope=\"row\" class=\"name\"><a href=\"/anglers/")
		num(r.PersonID)
		b.WriteString("/\">")
		b.WriteString(htmlText(r.FirstName))
		b.WriteString(" ")
		b.WriteString(htmlText(r.LastName))
		b.WriteString("</a>")
		if !r.WasMember {
			b.WriteString(` <abbr title="guest" class="guest">(G)</abbr>`)
		}
		b.WriteString("\n          ")
		if r.OutDQ {
			b.WriteString(`<span class="why">Disqualified`)
			if r.OutDQReason != "" {
				b.WriteString(": " + htmlText(r.OutDQReason))
			}
			b.WriteString("</span>")
		}
		if r.OutBuyIn {
			b.WriteString(` <span class="tag">buy-in</span>`)
		}
		b.WriteString("</th>\n        <td class=\"num\" data-label=\"Fish\">")
		num(int64(r.OutFish))
		b.WriteString("</td>\n        <td class=\"num\" data-label=\"Dead\">")
		if r.OutDead != 0 {
			num(int64(r.OutDead))
		} else {
			b.WriteString(`<span class="muted">0</span>`)
		}
		b.WriteString("</td>\n        <td class=\"num\" data-label=\"Gross\">" + pounds(r.OutGross))
		b.WriteString("</td>\n        <td class=\"num\" data-label=\"Penalty\">")
		if r.Penalty != 0 {
			b.WriteString("−" + pounds(r.Penalty))
		} else {
			b.WriteString(dash)
		}
		b.WriteString("</td>\n        <td class=\"key num strong\" data-label=\"Net\">" + pounds(r.Net))
		b.WriteString("</td>\n        <td class=\"num\" data-label=\"Big bass\">")
		if r.OutBigBass != 0 {
			b.WriteString(pounds(r.OutBigBass))
		} else {
			b.WriteString(dash)
		}
		b.WriteString("</td>\n        <td class=\"key num\" data-label=\"Points\">")
		if r.Points != nil {
			num(int64(*r.Points))
		} else {
			b.WriteString(dash)
		}
		b.WriteString("</td>\n        <td class=\"key num\" data-label=\"Prize\">")
		if r.PrizeCents != 0 {
			b.WriteString(htmlText(money(r.PrizeCents)))
		} else {
			b.WriteString(dash)
		}
		b.WriteString("</td>\n      </tr>")
	}
	return template.HTML(b.String())
}

// pounds is hundredths of a pound as pounds with two decimals (the
// templates' "weight").
func pounds(hundredths int64) string {
	return fmt.Sprintf("%d.%02d", hundredths/100, hundredths%100)
}

// htmlTextReplacer escapes text the way html/template does in element
// content: "&#34;", "&#39;" and "&#43;" rather than named entities, NUL as
// U+FFFD.
var htmlTextReplacer = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;",
	"+", "&#43;", "<", "&lt;", ">", "&gt;")

func htmlText(s string) string { return htmlTextReplacer.Replace(s) }
