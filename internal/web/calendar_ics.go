package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"sabc/internal/club"
	"sabc/internal/store"
)

// calendarICS is /calendar.ics, the subscribable iCalendar feed (RFC 5545):
// the club's events from one year back to one year ahead, in one query.
// Timed events carry TZID=America/Chicago with the VTIMEZONE below, so a
// meeting at 19:00 stays 19:00 Central across daylight saving; all-day
// events (holidays, closures) are VALUE=DATE. UIDs are "event-<id>@sabc",
// stable across edits, so subscribed calendars update instead of duplicating.
func (s *Server) calendarICS(w http.ResponseWriter, r *http.Request) {
	today := club.Today(s.Now())
	s.writeICS(w, r, club.Date{Time: today.AddDate(-1, 0, 0)}, club.Date{Time: today.AddDate(1, 0, 1)}, "sabc.ics")
}

// writeICS answers with the events from from (inclusive) to to (exclusive):
// the feed above, or one year's file (/calendar/2026.ics).
func (s *Server) writeICS(w http.ResponseWriter, r *http.Request, from, to club.Date, filename string) {
	evs, err := s.Store.CalendarEvents(r.Context(), from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base, _ := s.siteURL() // set in production (config), SABC_ADDR in development
	body := buildICS(evs, s.Now(), base, s.clubInfo(r.Context()))
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="`+filename+`"`)
	h.Set("Cache-Control", "public, max-age=900")
	w.Write(body)
}

// vtimezone describes America/Chicago with the US rules in force since 2007.
const vtimezone = "BEGIN:VTIMEZONE\r\nTZID:America/Chicago\r\n" +
	"BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0600\r\nTZOFFSETTO:-0500\r\nTZNAME:CDT\r\n" +
	"DTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n" +
	"BEGIN:STANDARD\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0600\r\nTZNAME:CST\r\n" +
	"DTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\n" +
	"END:VTIMEZONE\r\n"

// buildICS writes the feed. Pure: the same events, clock, base and club
// settings give the same bytes. Meetings without a lake are at the club's
// meeting place.
func buildICS(evs []store.CalendarEvent, now time.Time, base string, cl club.Club) []byte {
	var b bytes.Buffer
	line := func(s string) { b.WriteString(foldLine(s)) }
	for _, l := range []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//" + icsText(cl.Name) + "//sabc//EN",
		"CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:" + icsText(cl.Name),
		"X-WR-TIMEZONE:" + club.TimeZone, "REFRESH-INTERVAL;VALUE=DURATION:PT6H", "X-PUBLISHED-TTL:PT6H"} {
		line(l)
	}
	b.WriteString(vtimezone)
	stamp := now.UTC().Format("20060102T150405Z")
	for _, e := range evs {
		line("BEGIN:VEVENT")
		line("UID:event-" + strconv.FormatInt(e.ID, 10) + "@sabc")
		line("DTSTAMP:" + stamp)
		for _, l := range icsWhen(e.Event) {
			line(l)
		}
		line("SUMMARY:" + icsText(e.Title))
		if loc := e.LakeName; loc != "" {
			if e.RampName != "" {
				loc += " – " + e.RampName
			}
			line("LOCATION:" + icsText(loc))
		} else if loc := meetingPlace(cl); loc != "" && e.Kind == "meeting" {
			line("LOCATION:" + icsText(loc))
		}
		page := fmt.Sprintf("%s/calendar/?year=%d", base, e.Date.Year())
		if e.TournamentID != 0 {
			page = fmt.Sprintf("%s/tournaments/%d/", base, e.TournamentID)
		}
		desc := strings.TrimSpace(e.Description)
		if desc != "" {
			desc += "\n\n"
		}
		line("DESCRIPTION:" + icsText(desc+page))
		line("URL:" + page)
		line("CATEGORIES:" + icsText(kindLabel(e.Kind)))
		if e.Cancelled {
			line("STATUS:CANCELLED")
		} else {
			line("STATUS:CONFIRMED")
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.Bytes()
}

// icsWhen is DTSTART (and DTEND): local club time with TZID for timed
// events, VALUE=DATE (end exclusive, the next day) for all-day ones.
func icsWhen(e club.Event) []string {
	start, err := time.Parse("15:04", e.StartTime)
	if err != nil {
		next := e.Date.AddDate(0, 0, 1)
		return []string{"DTSTART;VALUE=DATE:" + e.Date.Format("20060102"), "DTEND;VALUE=DATE:" + next.Format("20060102")}
	}
	day := e.Date.Format("20060102")
	out := []string{"DTSTART;TZID=" + club.TimeZone + ":" + day + start.Format("T150400")}
	if end, err := time.Parse("15:04", e.EndTime); err == nil && end.After(start) {
		out = append(out, "DTEND;TZID="+club.TimeZone+":"+day+end.Format("T150400"))
	}
	return out
}

func kindLabel(kind string) string {
	switch kind {
	case "lake-event":
		return "Lake event"
	case "":
		return "Event"
	}
	return strings.ToUpper(kind[:1]) + kind[1:]
}

// icsText escapes a TEXT value (RFC 5545 §3.3.11).
var icsEscaper = strings.NewReplacer(`\`, `\\`, `;`, `\;`, `,`, `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

func icsText(s string) string { return icsEscaper.Replace(s) }

// foldLine ends a content line with CRLF, folding it so no physical line is
// longer than 75 octets (RFC 5545 §3.1): continuation lines start with one
// space, and a UTF-8 character is never split.
func foldLine(s string) string {
	var b strings.Builder
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	return b.String()
}
