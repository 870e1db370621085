package web

import (
	"html/template"
	"strconv"
	"strings"

	"sabc/internal/club"
)

// The calendar page's twelve month grids, its month links and its agendas
// are written here in Go, for the reason resultRows is (tournament_rows.go):
// through html/template, the ~365 day cells of a year, each with its own
// conditionals and escapers, were 15,000 allocations and most of an
// uncached calendar render. The markup is byte-for-byte what
// pages/calendar.html wrote; text is escaped as html/template escapes it.

// calWeekdayHead is every month's header row: the same seven cells.
var calWeekdayHead = func() string {
	var b strings.Builder
	b.WriteString("<thead><tr>")
	for _, d := range [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"} {
		b.WriteString(`<th scope="col"><abbr title="` + d + `">` + d[:2] + `</abbr></th>`)
	}
	b.WriteString("</tr></thead>")
	return b.String()
}()

// calendarMonthLinks is the list items of the "Months" navigation.
func calendarMonthLinks(c calYear) template.HTML {
	var b strings.Builder
	for _, m := range c.Months {
		b.WriteString(`<li><a href="#month-` + strconv.Itoa(int(m.Month)) + `"`)
		if c.ShowToday && m.Month == c.Today.Month() {
			b.WriteString(` aria-current="true"`)
		}
		b.WriteString(">" + htmlText(m.Name[:3]) + "</a></li>")
	}
	return template.HTML(b.String())
}

// calendarGrid is the content of <div class="cal-grid">: a section per month
// with its table of weeks and its agenda.
func calendarGrid(c calYear) template.HTML {
	var b strings.Builder
	b.Grow(64 << 10)
	year := strconv.Itoa(c.Year)
	for _, m := range c.Months {
		id := "month-" + strconv.Itoa(int(m.Month))
		b.WriteString("\n<section class=\"cal-month\" aria-labelledby=\"" + id + "\">\n  <h2 id=\"" + id + "\">" +
			htmlText(m.Name) + ` <span class="vh">` + year + "</span></h2>\n  <table class=\"month\">\n    " +
			calWeekdayHead + "\n    <tbody>\n    ")
		for _, week := range m.Weeks {
			b.WriteString("<tr>")
			for _, d := range week {
				writeCalDay(&b, d)
			}
			b.WriteString("</tr>\n    ")
		}
		b.WriteString("\n    </tbody>\n  </table>\n  ")
		if len(m.Items) > 0 {
			writeCalAgenda(&b, m.Items)
		} else {
			b.WriteString(`<p class="agenda-empty muted">Nothing scheduled.</p>`)
		}
		b.WriteString("\n</section>\n")
	}
	return template.HTML(b.String())
}

// writeCalDay writes one cell: padding, or the day with a mark per entry
// (linking to its tournament page or to its agenda line).
func writeCalDay(b *strings.Builder, d calDay) {
	if d.Day == 0 {
		b.WriteString(`<td class="pad"></td>`)
		return
	}
	b.WriteString(`<td data-date="`)
	writeISODate(b, d.Date)
	b.WriteString(`"`)
	if d.Today || len(d.Items) > 0 {
		b.WriteString(` class="`)
		if d.Today {
			b.WriteString("today")
		}
		if len(d.Items) > 0 {
			b.WriteString(" has-" + htmlText(d.Items[0].Kind))
		}
		b.WriteString(`"`)
	}
	if d.Today {
		b.WriteString(` aria-current="date"`)
	}
	b.WriteString(">\n      <span class=\"dn\">" + strconv.Itoa(d.Day) + "</span>")
	if d.Today {
		b.WriteString(`<span class="vh"> (today)</span>`)
	}
	b.WriteString("\n      ")
	for _, it := range d.Items {
		b.WriteString(`<a class="mark mark-` + htmlText(it.Kind))
		if it.Cancelled {
			b.WriteString(" is-cancelled")
		}
		b.WriteString(`" href="`)
		if it.URL != "" {
			b.WriteString(htmlText(it.URL))
		} else {
			b.WriteString("#" + htmlText(it.Anchor))
		}
		title := htmlText(it.Title)
		b.WriteString(`" title="` + title + `">` + htmlText(it.Glyph) + `<span class="vh"> ` + title)
		if it.Cancelled {
			b.WriteString(" (cancelled)")
		}
		b.WriteString("</span></a>")
	}
	b.WriteString("\n    </td>")
}

// calendarAgenda is a list of entries with date, time, title and place:
// "Coming up" and each month's list under its grid.
func calendarAgenda(items []calItem) template.HTML {
	var b strings.Builder
	writeCalAgenda(&b, items)
	return template.HTML(b.String())
}

func writeCalAgenda(b *strings.Builder, items []calItem) {
	b.WriteString("<ul class=\"agenda\">\n    ")
	for _, it := range items {
		b.WriteString("<li")
		if it.Anchor != "" {
			b.WriteString(` id="` + htmlText(it.Anchor) + `"`)
		}
		if it.Cancelled {
			b.WriteString(` class="cancelled"`)
		}
		b.WriteString(`><span class="mark mark-` + htmlText(it.Kind) + `" aria-hidden="true">` + htmlText(it.Glyph) +
			"</span>\n      <span class=\"when\"><time datetime=\"" + it.Date.String() + `">` + it.Date.Format("Mon Jan 2") + "</time>")
		if it.Time != "" {
			b.WriteString(", " + htmlText(it.Time))
		}
		b.WriteString("</span>\n      <span class=\"what\">")
		if it.Cancelled {
			b.WriteString("<s>")
		}
		if it.URL != "" {
			b.WriteString(`<a href="` + htmlText(it.URL) + `">` + htmlText(it.Title) + "</a>")
		} else {
			b.WriteString(htmlText(it.Title))
		}
		if it.Cancelled {
			b.WriteString("</s> <strong>Cancelled</strong>")
		}
		if it.Place != "" {
			b.WriteString(`<span class="where"> · ` + htmlText(it.Place) + "</span>")
		}
		b.WriteString("</span>\n    </li>")
	}
	b.WriteString("\n  </ul>")
}

// writeISODate writes d as club.Date.String does ("2026-03-14") without the
// time package's general formatter: it runs for every day of the year.
// Calendar years are four digits (minCalendarYear and later).
func writeISODate(b *strings.Builder, d club.Date) {
	y, m, day := d.Date()
	var buf [16]byte
	out := strconv.AppendInt(buf[:0], int64(y), 10)
	out = append(out, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
	b.Write(out)
}
