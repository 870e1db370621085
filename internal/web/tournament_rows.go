package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/scoring"
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
		writeDQBuyIn(&b, r.OutDQ, r.OutDQReason, r.OutBuyIn)
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

// writeDQBuyIn writes what follows a name in the results and boats tables:
// the disqualification with its reason, the buy-in tag.
func writeDQBuyIn(b *strings.Builder, dq bool, reason string, buyIn bool) {
	if dq {
		b.WriteString(`<span class="why">Disqualified`)
		if reason != "" {
			b.WriteString(": " + htmlText(reason))
		}
		b.WriteString("</span>")
	}
	if buyIn {
		b.WriteString(` <span class="tag">buy-in</span>`)
	}
}

// boatRows writes the boats table's rows (the "site-boats" partial's
// {{range}}, for the reason resultRows exists). The Points column is there
// only in team format, where boats earn the points.
func boatRows(boats []club.Boat, team bool) template.HTML {
	var b strings.Builder
	b.Grow(len(boats) * 900)
	dash := `<span class="muted">–</span>`
	for _, bt := range boats {
		b.WriteString(`<tr class="`)
		switch {
		case bt.IsDQ:
			b.WriteString("dq")
		case bt.IsBuyIn:
			b.WriteString("buyin")
		}
		b.WriteString("\">\n      <td class=\"num place\">")
		switch {
		case bt.IsDQ:
			b.WriteString("DQ")
		case bt.Place != nil:
			b.WriteString(strconv.Itoa(*bt.Place))
		default:
			b.WriteString("–")
		}
		b.WriteString("</td>\n      <th scope=\"row\" class=\"name\">")
		for i, a := range bt.Anglers {
			b.WriteString(`<span class="crew">`)
			if i > 0 {
				b.WriteString("&amp; ")
			}
			b.WriteString(`<a href="/anglers/` + strconv.FormatInt(a.PersonID, 10) + `/">` + htmlText(a.FirstName) + " " +
				htmlText(a.LastName) + "</a></span>")
		}
		if len(bt.Anglers) == 1 {
			b.WriteString(` <span class="muted small">(solo)</span>`)
		}
		b.WriteString("\n        ")
		writeDQBuyIn(&b, bt.IsDQ, bt.DQReason, bt.IsBuyIn)
		b.WriteString("</th>\n      <td class=\"num\" data-label=\"Fish\">" + strconv.Itoa(bt.TotalFish) +
			`</td><td class="num" data-label="Dead">` + strconv.Itoa(bt.TotalDead) +
			"</td>\n      <td class=\"num\" data-label=\"Penalty\">")
		if bt.Penalty != 0 {
			b.WriteString("−" + pounds(bt.Penalty))
		} else {
			b.WriteString(dash)
		}
		b.WriteString("</td>\n      <td class=\"key num strong\" data-label=\"Net\">" + pounds(bt.Net) +
			"</td>\n      <td class=\"num\" data-label=\"Big bass\">")
		if bt.TotalBigBass != 0 {
			b.WriteString(pounds(bt.TotalBigBass))
		} else {
			b.WriteString(dash)
		}
		b.WriteString("</td>\n      ")
		if team {
			b.WriteString(`<td class="key num" data-label="Points">`)
			if bt.Points != nil {
				b.WriteString(strconv.Itoa(*bt.Points))
			} else {
				b.WriteString(dash)
			}
			b.WriteString("</td>")
		}
		b.WriteString("\n      <td class=\"key num\" data-label=\"Prize\">")
		if bt.PrizeCents != 0 {
			b.WriteString(htmlText(money(bt.PrizeCents)))
		} else {
			b.WriteString(dash)
		}
		b.WriteString("</td>\n    </tr>")
	}
	return template.HTML(b.String())
}

// payoutRows writes the place-money table's rows: a boat's crew by name, an
// angler as a link to their profile.
func payoutRows(p scoring.Payouts) template.HTML {
	var b strings.Builder
	for _, pr := range p.Places {
		b.WriteString("<tr><td>" + ordinal(pr.Place) + `</td><th scope="row">`)
		if p.OnBoats {
			b.WriteString(htmlText(pr.Name))
		} else {
			b.WriteString(`<a href="/anglers/` + strconv.FormatInt(pr.ID, 10) + `/">` + htmlText(pr.Name) + "</a>")
		}
		if pr.Shared > 1 {
			b.WriteString(` <span class="muted small">(split ` + strconv.Itoa(pr.Shared) + " ways)</span>")
		}
		b.WriteString(`</th><td class="num">` + htmlText(money(pr.Amount)) + "</td></tr>")
	}
	return template.HTML(b.String())
}

// bigBassWinners writes the big-bass card's list items: who won the pot,
// at what weight, and how much.
func bigBassWinners(winners []scoring.Prize, bb scoring.BigBass) template.HTML {
	var b strings.Builder
	for _, w := range winners {
		b.WriteString("<li>")
		if bb.OnBoats {
			b.WriteString(htmlText(w.Name))
		} else {
			b.WriteString(`<a href="/anglers/` + strconv.FormatInt(w.ID, 10) + `/">` + htmlText(w.Name) + "</a>")
		}
		b.WriteString(" — " + htmlText(bb.Weight.String()) + " lb wins " + htmlText(money(w.Amount)))
		if w.Shared > 1 {
			b.WriteString(" (shared)")
		}
		b.WriteString("</li>")
	}
	return template.HTML(b.String())
}

// statsItems writes the Statistics list's entries (the stored statistics
// of the scoring step), one <div> of <dt> and <dd> each.
func statsItems(st scoring.TournamentStats) template.HTML {
	var b strings.Builder
	item := func(label, value string) {
		b.WriteString("\n    <div><dt>" + label + "</dt><dd>" + value + "</dd></div>")
	}
	item("Anglers", strconv.Itoa(st.Anglers))
	b.WriteString("\n    ") // the template's line for boats stays, empty without them
	if st.Boats != 0 {
		b.WriteString("<div><dt>Boats</dt><dd>" + strconv.Itoa(st.Boats) + "</dd></div>")
	}
	item("Fish weighed", strconv.Itoa(st.Fish))
	item("Total weight", htmlText(st.Net.String())+" lb")
	item("Limits", strconv.Itoa(st.Limits))
	item("Zeros", strconv.Itoa(st.Zeros))
	item("Buy-ins", strconv.Itoa(st.BuyIns))
	item("DQs", strconv.Itoa(st.DQs))
	item("Biggest bass", htmlText(st.BiggestBass.String())+" lb")
	item("Heavy stringer", htmlText(st.HeavyStringer.String())+" lb")
	item("Average weight", htmlText(st.AverageWeight.String())+" lb")
	b.WriteString("\n  ")
	return template.HTML(b.String())
}

// pounds is hundredths of a pound as pounds with two decimals (the
// templates' "weight"). It runs for every weight of every table row, so it
// avoids fmt; negative values (never stored) print as fmt always printed
// them.
func pounds(hundredths int64) string {
	if hundredths < 0 {
		return fmt.Sprintf("%d.%02d", hundredths/100, hundredths%100)
	}
	var buf [24]byte
	frac := hundredths % 100
	out := append(strconv.AppendInt(buf[:0], hundredths/100, 10), '.', byte('0'+frac/10), byte('0'+frac%10))
	return string(out)
}

// htmlTextReplacer escapes text the way html/template does in element
// content: "&#34;", "&#39;" and "&#43;" rather than named entities, NUL as
// U+FFFD.
var htmlTextReplacer = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;",
	"+", "&#43;", "<", "&lt;", ">", "&gt;")

func htmlText(s string) string { return htmlTextReplacer.Replace(s) }
