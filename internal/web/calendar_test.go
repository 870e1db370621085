package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// gridCell is a day cell found in the calendar HTML: the weekday named by
// the column header above it, its classes and its text.
type gridCell struct {
	weekday string
	attrs   map[string]string
	text    string
}

// parseGrid reads every month table of the calendar page. It maps each
// data-date cell to the <th> of its column, so weekdays are checked from
// the markup a reader sees, not from the code that laid it out.
func parseGrid(t *testing.T, body []byte) map[string]gridCell {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]gridCell{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "table" && hasClass(n, "month") {
			readMonth(t, n, cells)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return cells
}

func readMonth(t *testing.T, table *html.Node, cells map[string]gridCell) {
	var headers []string
	for _, th := range findAll(table, "th") {
		headers = append(headers, attr(findAll(th, "abbr")[0], "title"))
	}
	if len(headers) != 7 {
		t.Fatalf("a month has %d weekday headers", len(headers))
	}
	for _, tr := range findAll(table, "tr") {
		tds := findAll(tr, "td")
		if len(tds) == 0 {
			continue
		}
		if len(tds) != 7 {
			t.Fatalf("a week row has %d cells, want 7", len(tds))
		}
		for col, td := range tds {
			if d := attr(td, "data-date"); d != "" {
				if _, dup := cells[d]; dup {
					t.Errorf("%s appears twice in the grid", d)
				}
				as := map[string]string{}
				for _, a := range td.Attr {
					as[a.Key] = a.Val
				}
				cells[d] = gridCell{weekday: headers[col], attrs: as, text: textOf(td)}
			}
		}
	}
}

func TestCalendarGridWeekdays(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	// Known from a printed calendar, not from time.Weekday.
	known := []struct{ date, weekday string }{
		{"2026-11-26", "Thursday"}, {"2026-11-25", "Wednesday"}, {"2026-01-01", "Thursday"},
		{"2026-12-31", "Thursday"}, {"2024-02-29", "Thursday"}, {"2024-01-01", "Monday"},
		{"2024-12-31", "Tuesday"}, {"2027-01-01", "Friday"}, {"2027-12-25", "Saturday"},
		{"2025-07-04", "Friday"},
	}
	days := map[int]int{2024: 366, 2025: 365, 2026: 365, 2027: 365}
	for year, want := range days {
		resp, body := pageGet(t, site, fmt.Sprintf("/calendar/?year=%d", year))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("calendar %d: status %d", year, resp.StatusCode)
		}
		cells := parseGrid(t, body)
		if len(cells) != want {
			t.Errorf("calendar %d has %d day cells, want %d", year, len(cells), want)
		}
		for _, k := range known {
			if !strings.HasPrefix(k.date, strconv.Itoa(year)) {
				continue
			}
			if got := cells[k.date].weekday; got != k.weekday {
				t.Errorf("%s is under %q, want %q", k.date, got, k.weekday)
			}
		}
	}
}

func TestCalendarThanksgivingAndHolidays(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true})
	thanksgiving := map[int]string{2025: "2025-11-27", 2026: "2026-11-26", 2027: "2027-11-25"}
	for year, day := range thanksgiving {
		_, body := pageGet(t, site, fmt.Sprintf("/calendar/?year=%d", year))
		cells := parseGrid(t, body)
		if c := cells[day]; !strings.Contains(c.text, "Thanksgiving") || c.weekday != "Thursday" {
			t.Errorf("%d: Thanksgiving cell %s = %q under %s", year, day, c.text, c.weekday)
		}
		for d, c := range cells {
			if d != day && strings.Contains(c.text, "Thanksgiving") {
				t.Errorf("%d: Thanksgiving also shown on %s", year, d)
			}
		}
	}
	_, body := pageGet(t, site, "/calendar/?year=2026")
	cells := parseGrid(t, body)
	for day, name := range map[string]string{"2026-05-25": "Memorial Day", "2026-09-07": "Labor Day",
		"2026-01-19": "Martin Luther King Jr. Day", "2026-07-04": "Independence Day"} {
		if !strings.Contains(cells[day].text, name) {
			t.Errorf("%s: cell %q lacks %s", day, cells[day].text, name)
		}
	}
}

func TestCalendarShowsEventsTodayAndLegend(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	ctx := context.Background()
	if _, err := site.Store.CreateEvent(ctx, club.Event{Date: club.NewDate(2026, time.December, 12), Kind: "closure",
		Title: "Ramp closed for repairs", Cancelled: true}); err != nil {
		t.Fatal(err)
	}
	ts, err := site.Store.Tournaments(ctx, store.TournamentFilter{Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	var nov club.Tournament // the demo's November tournament: last Sunday, 2026-11-29
	for _, tr := range ts {
		if tr.Date.String() == "2026-11-29" {
			nov = tr
		}
	}
	if nov.ID == 0 {
		t.Fatal("demo club has no tournament on 2026-11-29")
	}
	resp, body := pageGet(t, site, "/calendar/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if n := queryCount(t, resp); n > 3 {
		t.Errorf("/calendar/ ran %d queries, budget 3", n)
	}
	cells := parseGrid(t, body)
	for d, c := range cells {
		if (c.attrs["aria-current"] == "date") != (d == "2026-11-25") {
			t.Errorf("%s: aria-current=%q (today is 2026-11-25 in Austin)", d, c.attrs["aria-current"])
		}
	}
	page := string(body)
	link := fmt.Sprintf(`href="/tournaments/%d/"`, nov.ID)
	if !strings.Contains(page, link) || !strings.Contains(cells["2026-11-29"].text, nov.Name) {
		t.Errorf("the 29th does not link %s (%s): %q", nov.Name, link, cells["2026-11-29"].text)
	}
	if !strings.Contains(cells["2026-12-07"].text, "Monthly meeting") {
		t.Errorf("first Monday of December lacks the meeting: %q", cells["2026-12-07"].text)
	}
	if !strings.Contains(page, "<s>Ramp closed for repairs</s>") {
		t.Error("the cancelled closure is not struck through in the agenda")
	}
	for _, label := range []string{"Tournament", "Meeting", "Holiday", "Closure", "Today"} {
		if !strings.Contains(page, label) {
			t.Errorf("legend lacks %q", label)
		}
	}
	if !strings.Contains(page, `href="/calendar/?year=2025"`) || !strings.Contains(page, `href="/calendar/?year=2027"`) {
		t.Error("no previous/next year links")
	}
}

func TestCalendarRefusesBadYearsAndFiles(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true})
	for _, p := range []string{"/calendar/?year=abc", "/calendar/?year=1200", "/calendar/?year=99999",
		"/calendar/2026.jpg", "/calendar/x.png", "/calendar/2026", "/calendar/20260.png", "/calendar/-202.png"} {
		if resp, _ := pageGet(t, site, p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, resp.StatusCode)
		}
	}
}

func TestCalendarPNG(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{})
	resp, body := pageGet(t, site, "/calendar/2026.png")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if n := queryCount(t, resp); n > 3 {
		t.Errorf("PNG ran %d queries, budget 3", n)
	}
	if !strings.Contains(resp.Header.Get("Cache-Control"), "public") {
		t.Errorf("Cache-Control %q is not cacheable", resp.Header.Get("Cache-Control"))
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1600 || b.Dy() != 1200 {
		t.Errorf("size %v, want 1600×1200", b.Size())
	}
	// The tournament, meeting and holiday colours of the page's legend are
	// all drawn somewhere (markers), so the image is not blank.
	want := map[[3]uint32]string{{0x1f, 0x5f, 0x7a}: "tournament", {0x6a, 0x3d, 0x9a}: "meeting", {0xa9, 0x32, 0x2a}: "holiday",
		{0xb8, 0x3b, 0x0a}: "today"}
	seen := map[string]int{}
	for y := 0; y < img.Bounds().Dy(); y += 1 {
		for x := 0; x < img.Bounds().Dx(); x += 1 {
			r, g, b, _ := img.At(x, y).RGBA()
			if k, ok := want[[3]uint32{r >> 8, g >> 8, b >> 8}]; ok {
				seen[k]++
			}
		}
	}
	for _, k := range []string{"tournament", "meeting", "holiday"} {
		if seen[k] < 100 {
			t.Errorf("%s colour barely drawn (%d px)", k, seen[k])
		}
	}
	// A printed calendar outlives the day it was printed: no "today" mark,
	// although the fake clock's today is in 2026.
	if seen["today"] > 0 {
		t.Errorf("the today mark's colour is drawn (%d px)", seen["today"])
	}
	again, _ := pageGet(t, site, "/calendar/2026.png", "If-None-Match", resp.Header.Get("ETag"))
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", again.StatusCode)
	}
}

// icsProp is one unfolded content line: NAME;PARAMS:VALUE.
type icsProp struct {
	name   string
	params map[string]string
	value  string
}

type icsComp struct {
	name  string
	props []icsProp
	subs  []*icsComp
}

func (c *icsComp) get(name string) (icsProp, bool) {
	for _, p := range c.props {
		if p.name == name {
			return p, true
		}
	}
	return icsProp{}, false
}

// parseICS is a strict RFC 5545 reader for the tests: CRLF only, physical
// lines at most 75 octets, valid UTF-8 per line, folding undone, BEGIN/END
// properly nested, one VCALENDAR.
func parseICS(t *testing.T, body string) *icsComp {
	t.Helper()
	if !strings.HasSuffix(body, "\r\n") {
		t.Fatal("feed does not end with CRLF")
	}
	physical := strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n")
	var logical []string
	for i, l := range physical {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets (max 75): %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			if len(logical) == 0 {
				t.Fatal("feed starts with a continuation line")
			}
			logical[len(logical)-1] += l[1:]
			continue
		}
		logical = append(logical, l)
	}
	var stack []*icsComp
	var root *icsComp
	for _, l := range logical {
		p := parseProp(t, l)
		switch p.name {
		case "BEGIN":
			c := &icsComp{name: p.value}
			if len(stack) > 0 {
				stack[len(stack)-1].subs = append(stack[len(stack)-1].subs, c)
			} else if root != nil {
				t.Fatal("a second top-level component")
			} else {
				root = c
			}
			stack = append(stack, c)
		case "END":
			if len(stack) == 0 || stack[len(stack)-1].name != p.value {
				t.Fatalf("END:%s does not close the open component", p.value)
			}
			stack = stack[:len(stack)-1]
		default:
			if len(stack) == 0 {
				t.Fatalf("property outside any component: %q", l)
			}
			stack[len(stack)-1].props = append(stack[len(stack)-1].props, p)
		}
	}
	if len(stack) != 0 || root == nil || root.name != "VCALENDAR" {
		t.Fatalf("unbalanced or missing VCALENDAR")
	}
	return root
}

func parseProp(t *testing.T, l string) icsProp {
	// The value starts after the first colon outside a quoted parameter.
	inQuote, colon := false, -1
	for i, r := range l {
		if r == '"' {
			inQuote = !inQuote
		}
		if r == ':' && !inQuote {
			colon = i
			break
		}
	}
	if colon < 1 {
		t.Fatalf("not a content line: %q", l)
	}
	head := strings.Split(l[:colon], ";")
	p := icsProp{name: head[0], params: map[string]string{}, value: l[colon+1:]}
	for _, kv := range head[1:] {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("bad parameter %q in %q", kv, l)
		}
		p.params[k] = v
	}
	return p
}

// unescapeText undoes TEXT escaping and refuses escapes RFC 5545 does not define.
func unescapeText(t *testing.T, s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			if s[i] == ';' || s[i] == ',' {
				t.Errorf("unescaped %q in TEXT %q", s[i], s)
			}
			b.WriteByte(s[i])
			continue
		}
		i++
		switch {
		case i >= len(s):
			t.Errorf("dangling backslash in %q", s)
		case s[i] == 'n' || s[i] == 'N':
			b.WriteByte('\n')
		case s[i] == '\\' || s[i] == ';' || s[i] == ',':
			b.WriteByte(s[i])
		default:
			t.Errorf("bad escape \\%c in %q", s[i], s)
		}
	}
	return b.String()
}

// startOf reads DTSTART as an instant (timed, TZID) or a day (VALUE=DATE).
func startOf(t *testing.T, ev *icsComp) (time.Time, bool) {
	p, ok := ev.get("DTSTART")
	if !ok {
		t.Fatal("VEVENT without DTSTART")
	}
	if p.params["VALUE"] == "DATE" {
		d, err := time.Parse("20060102", p.value)
		if err != nil {
			t.Fatalf("DTSTART %q: %v", p.value, err)
		}
		return d, false
	}
	loc, err := time.LoadLocation(p.params["TZID"])
	if err != nil || p.params["TZID"] == "" {
		t.Fatalf("DTSTART %v: no usable TZID", p)
	}
	at, err := time.ParseInLocation("20060102T150405", p.value, loc)
	if err != nil {
		t.Fatalf("DTSTART %q: %v", p.value, err)
	}
	return at, true
}

func TestCalendarICSFeed(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	ctx := context.Background()
	odd := "Fish, eat; repeat \\ then\nweigh in — «Lake Travis» "
	long := strings.Repeat("Bring your life jacket; the ramp fee is $5, cash only. ", 5)
	if _, err := site.Store.CreateEvent(ctx, club.Event{Date: club.NewDate(2026, time.December, 12), Kind: "other",
		Title: odd, Description: long, StartTime: "09:00", EndTime: "12:30"}); err != nil {
		t.Fatal(err)
	}
	resp, body := pageGet(t, site, "/calendar.ics")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if n := queryCount(t, resp); n > 3 {
		t.Errorf("feed ran %d queries, budget 3", n)
	}
	cal := parseICS(t, string(body))
	for _, req := range []string{"VERSION", "PRODID"} {
		if _, ok := cal.get(req); !ok {
			t.Errorf("VCALENDAR lacks %s", req)
		}
	}
	var events []*icsComp
	tz := false
	for _, c := range cal.subs {
		switch c.name {
		case "VEVENT":
			events = append(events, c)
		case "VTIMEZONE":
			p, _ := c.get("TZID")
			tz = tz || p.value == "America/Chicago"
		}
	}
	if !tz {
		t.Error("no VTIMEZONE for America/Chicago")
	}
	uids := map[string]bool{}
	bySummaryDay := map[string]*icsComp{}
	for _, ev := range events {
		for _, req := range []string{"UID", "DTSTAMP", "DTSTART", "SUMMARY"} {
			if _, ok := ev.get(req); !ok {
				t.Fatalf("VEVENT lacks %s: %+v", req, ev.props)
			}
		}
		uid, _ := ev.get("UID")
		if uids[uid.value] || !strings.HasPrefix(uid.value, "event-") || !strings.HasSuffix(uid.value, "@sabc") {
			t.Errorf("UID %q is repeated or not event-N@sabc", uid.value)
		}
		uids[uid.value] = true
		stamp, _ := ev.get("DTSTAMP")
		if _, err := time.Parse("20060102T150405Z", stamp.value); err != nil {
			t.Errorf("DTSTAMP %q is not UTC date-time", stamp.value)
		}
		sum, _ := ev.get("SUMMARY")
		start, _ := startOf(t, ev)
		bySummaryDay[unescapeText(t, sum.value)+"@"+start.Format("2006-01-02")] = ev
	}

	// Meetings are 19:00 Central: 01:00 UTC in winter (CST), 00:00 UTC in summer (CDT).
	for day, utc := range map[string]string{"2026-12-07": "2026-12-08T01:00:00Z", "2026-07-06": "2026-07-07T00:00:00Z",
		"2025-12-01": "2025-12-02T01:00:00Z"} {
		ev := bySummaryDay["Monthly meeting@"+day]
		if ev == nil {
			t.Errorf("no meeting on %s in the feed", day)
			continue
		}
		at, timed := startOf(t, ev)
		if !timed || at.UTC().Format(time.RFC3339) != utc {
			t.Errorf("meeting %s starts %v, want %s", day, at.UTC(), utc)
		}
		end, _ := ev.get("DTEND")
		if end.value != strings.ReplaceAll(day, "-", "")+"T200000" || end.params["TZID"] != "America/Chicago" {
			t.Errorf("meeting %s DTEND = %+v, want 20:00 Central", day, end)
		}
	}
	// The demo season's tournaments, by the names the store holds.
	found := 0
	for _, name := range []string{"November", "October", "December"} {
		for key, ev := range bySummaryDay {
			if strings.HasPrefix(key, name+" ") && strings.Contains(key, "@2026-") {
				found++
				if u, ok := ev.get("URL"); !ok || !strings.Contains(u.value, "/tournaments/") {
					t.Errorf("%s has no tournament URL", key)
				}
			}
		}
	}
	if found != 3 {
		t.Errorf("found %d of the Oct/Nov/Dec 2026 tournaments", found)
	}
	// One year back from 2026-11-25: November 2025's meeting (Nov 3) is out, December's in.
	if bySummaryDay["Monthly meeting@2025-11-03"] != nil {
		t.Error("feed reaches back more than a year")
	}
	ev := bySummaryDay[odd+"@2026-12-12"]
	if ev == nil {
		t.Fatalf("event with commas, semicolons, backslash and newline did not round-trip; have %d events", len(events))
	}
	desc, _ := ev.get("DESCRIPTION")
	if got := unescapeText(t, desc.value); !strings.HasPrefix(got, strings.TrimSpace(long)) {
		t.Errorf("DESCRIPTION round-trip:\n got %q\nwant prefix %q", got, long)
	}
}

// TestCalendarMarksLinkAndThisYearOpensOnWhatIsNext: every mark in the
// grid is a link — a tournament to its page, anything else to its line in
// the month's agenda — and the current year's page starts with the next few
// entries, so a phone opens on this week, not on January.
func TestCalendarMarksLinkAndThisYearOpensOnWhatIsNext(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()} /* 2026-11-25 */)
	_, body := pageGet(t, site, "/calendar/")
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, n := range findAll(doc, "li") {
		if id := attr(n, "id"); id != "" {
			ids[id] = true
		}
	}
	marks := 0
	for _, table := range findAll(doc, "table") {
		for _, td := range findAll(table, "td") {
			for _, tag := range []string{"span", "a"} {
				for _, m := range findAll(td, tag) {
					if !hasClass(m, "mark") {
						continue
					}
					marks++
					href := attr(m, "href")
					switch {
					case tag == "span":
						t.Errorf("%s: a mark that links nowhere", attr(td, "data-date"))
					case strings.HasPrefix(href, "#") && !ids[href[1:]]:
						t.Errorf("%s: mark links to %s, which is not on the page", attr(td, "data-date"), href)
					case !strings.HasPrefix(href, "#") && !strings.HasPrefix(href, "/tournaments/"):
						t.Errorf("%s: mark links to %q", attr(td, "data-date"), href)
					}
				}
			}
		}
	}
	if marks < 30 {
		t.Errorf("only %d marks in the demo year's grid", marks)
	}
	page := string(body)
	up, grid := strings.Index(page, `<h2 id="upcoming-h">Coming up</h2>`), strings.Index(page, `<table class="month">`)
	if up < 0 || up > grid {
		t.Fatalf("no \"Coming up\" list before the grid (at %d, grid at %d)", up, grid)
	}
	next := page[up:grid]
	th, nov := strings.Index(next, `datetime="2026-11-26"`), strings.Index(next, `datetime="2026-11-29"`)
	if th < 0 || nov < th || strings.Contains(next, `datetime="2026-11-02"`) {
		t.Errorf("coming up after 2026-11-25 should start with Thanksgiving, then the 29th's tournament: %s", next)
	}
	if _, body := pageGet(t, site, "/calendar/?year=2027"); strings.Contains(string(body), "Coming up") {
		t.Error("another year's page has a \"Coming up\" list")
	}
}

// TestCalendarYearsAnswerAlikeOnPageImageAndFile: the page, the printable
// image and the calendar file of a year are there together or not at all.
func TestCalendarYearsAnswerAlikeOnPageImageAndFile(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true, Clock: testutil.FixedClock()})
	for year, want := range map[int]int{2026: http.StatusOK, 1980: http.StatusNotFound, 2037: http.StatusNotFound,
		2036: http.StatusOK} {
		for _, p := range []string{fmt.Sprintf("/calendar/?year=%d", year), fmt.Sprintf("/calendar/%d.png", year),
			fmt.Sprintf("/calendar/%d.ics", year)} {
			if resp, _ := pageGet(t, site, p); resp.StatusCode != want {
				t.Errorf("%s: status %d, want %d", p, resp.StatusCode, want)
			}
		}
	}
	resp, body := pageGet(t, site, "/calendar/2026.ics")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") ||
		!strings.HasPrefix(string(body), "BEGIN:VCALENDAR") {
		t.Errorf("2026.ics: %q %.40q", ct, body)
	}
}
