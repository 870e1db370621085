package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"sabc/internal/club"
	"sabc/internal/obs"
	"sabc/internal/scoring"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

//go:embed templates
var templateFS embed.FS

// templates holds one parsed set per page: layout + partials + the page.
type templates struct {
	pages    map[string]*template.Template
	composed *template.Template // the layout around a cached fragment (fragments.go)
}

func parseTemplates(funcs template.FuncMap) (*templates, error) {
	base, err := template.New("base").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, f := range files {
		clone, _ := base.Clone()
		if _, err := clone.ParseFS(templateFS, f); err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		t.pages[strings.TrimSuffix(path.Base(f), ".html")] = clone
	}
	t.composed, _ = base.Clone()
	if _, err := t.composed.Parse(composedPage); err != nil {
		return nil, fmt.Errorf("parse the composed page: %w", err)
	}
	return t, nil
}

// PageNames lists the parsed pages (a test renders every one).
func (s *Server) PageNames() []string {
	var out []string
	for n := range s.tmpl.pages {
		out = append(out, n)
	}
	return out
}

// view is what every page template receives.
type view struct {
	Title     string
	Visitor   visitor
	Data      any
	RequestID string
	Path      string
	Now       time.Time
	Club      string    // the club's name (ClubRow.Name)
	ClubRow   club.Club // the club settings (club_settings.go)
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 instead of half a page. Under a fragment capture (fragments.go)
// it records the page's blocks instead.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	t, ok := s.tmpl.pages[page]
	if !ok {
		s.serverError(w, r, fmt.Errorf("no template %q", page))
		return
	}
	// A page its handler marked noStore is written whole: the fragment
	// loader then passes it to this client without storing it.
	if c := captureOf(r.Context()); c != nil && status == http.StatusOK && !isNoStore(w.Header()) {
		if err := c.capture(t, s.view(r, title, data)); err != nil {
			s.serverError(w, r, fmt.Errorf("render %s: %w", page, err))
		}
		return
	}
	s.renderTemplate(w, r, status, page, t, title, data)
}

// view is what every page template receives for this request.
func (s *Server) view(r *http.Request, title string, data any) view {
	c := s.clubInfo(r.Context())
	return view{Title: title, Visitor: visitorOf(r.Context()), Data: data, RequestID: requestID(r),
		Path: r.URL.Path, Now: s.Now(), Club: c.Name, ClubRow: c}
}

// renderTemplate writes the page t renders for this request.
func (s *Server) renderTemplate(w http.ResponseWriter, r *http.Request, status int, page string, t *template.Template,
	title string, data any) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	v := s.view(r, title, data)
	if err := t.ExecuteTemplate(buf, "layout", v); err != nil {
		s.serverError(w, r, fmt.Errorf("render %s: %w", page, err))
		return
	}
	// ETag, Cache-Control and 304 (etag.go).
	writeCacheable(w, r, status, "text/html; charset=utf-8", v.Visitor.Person != nil, buf.Bytes())
}

// renderBuffers are reused between renders: a page grew a fresh buffer to
// its size by doubling (~160 kB of garbage for a 60 kB tournament page), a
// fifth of an uncached render's allocations by size. Writers copy what they
// are given (io.Writer), so nothing holds a buffer once the page is sent.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRenderBuffer returns buf to the pool unless an unusually large page
// grew it: the pool should not pin megabytes for every P.
func putRenderBuffer(buf *bytes.Buffer) {
	if buf.Cap() <= 1<<20 {
		buf.Reset()
		renderBuffers.Put(buf)
	}
}

// fail maps an error from the store to a page: missing → 404, else 500.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	s.serverError(w, r, err)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "We couldn't find that page. It may have moved, or the link has a typo.")
}

// serverError is the one place a failed request becomes a status: an
// unreachable database is a 503 (one outage, logged once per state change,
// no error group per request), a client that went away gets nothing (it is
// not listening; the access log notes 499), anything else is a 500 with an
// error group.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case obs.ClientGone(r.Context(), err):
		w.WriteHeader(obs.StatusClientClosedRequest)
		return
	case s.databaseDown(w, r, err):
		s.errorPage(w, r, http.StatusServiceUnavailable, "The database is unavailable right now. "+
			"Please try again in a minute.")
		return
	}
	// Capture groups it for the error page and alerts (and logs it); without
	// a tracker, log it here.
	if s.Tracker != nil {
		s.Tracker.Capture(r.Context(), err, obs.High)
	} else {
		s.Logger.ErrorContext(r.Context(), "request failed", "err", err, "route", r.Pattern)
	}
	s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong on our side. It has been logged; please try again in a minute.")
}

// databaseDown reports whether err means the database is unreachable; if
// so it notes the outage (logged once, not per request) and sets
// Retry-After, and the caller answers 503 (a page, or JSON on /api/).
func (s *Server) databaseDown(w http.ResponseWriter, r *http.Request, err error) bool {
	if !store.Unavailable(err) {
		return false
	}
	s.dbOutage.Down(r.Context(), err)
	w.Header().Set("Retry-After", "60")
	return true
}

// errorPage renders the friendly error page; if even that fails, plain text.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	t := s.tmpl.pages["error"]
	var buf bytes.Buffer
	c := s.clubInfo(r.Context())
	v := view{Title: http.StatusText(status), Visitor: visitorOf(r.Context()), RequestID: requestID(r),
		Path: r.URL.Path, Now: s.Now(), Club: c.Name, ClubRow: c,
		Data: map[string]any{"Status": status, "Message": msg}}
	if t == nil || t.ExecuteTemplate(&buf, "layout", v) != nil {
		http.Error(w, fmt.Sprintf("%d %s — request %s", status, http.StatusText(status), v.RequestID), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// requestID is set by the request-id middleware.
func requestID(r *http.Request) string { return obs.RequestID(r.Context()) }

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"asset":    s.Assets.Path,
		"weight":   pounds,
		"money":    money,
		"titled":   club.TournamentTitle,
		"day":      func(d club.Date) string { return d.Format("Mon, Jan 2, 2006") },
		"shortday": func(d club.Date) string { return d.Format("Jan 2") },
		"ordinal":  ordinal,
		"deref": func(p *int) int {
			if p == nil {
				return 0
			}
			return *p
		},
		"clock": func(t time.Time) string { return t.In(club.Location).Format("Mon, Jan 2, 3:04 PM") },
		"hours": timeRange, // stored "06:30", "14:30" → "6:30 AM–2:30 PM", as on the calendar
		// site pages (tournaments, standings, anglers)
		"hasPrefix": strings.HasPrefix,
		"add":       func(a, b int) int { return a + b },
		"count":     count,
		// calendar, lakes, club content
		"markdown": markdown,
		// accounts (account_*.go, partials/form.html)
		"field":    formField,
		"mode":     inputMode,
		"wfield":   wfield,
		"phone":    forms.PhoneDisplay,
		"position": positionName,
		// officer tools
		"memberAction": memberActionOf,
		"rosterRow":    rosterRow,
		// officer forms (admin_forms.go, partials/officer_fields.html)
		"textarea": formTextarea,
	}
}

// money is how every page prints an amount: "$1,025.00", "−$3.50". It takes
// the stored cents (int64) and the payout engine's scoring.Cents alike.
func money(amount any) string {
	var cents int64
	switch v := amount.(type) {
	case int64:
		cents = v
	case scoring.Cents:
		cents = int64(v)
	default:
		panic(fmt.Sprintf("money of a %T", amount)) // a template bug; the template reports it
	}
	sign := ""
	if cents < 0 {
		sign, cents = "−", -cents
	}
	dollars := strconv.FormatInt(cents/100, 10)
	for i := len(dollars) - 3; i > 0; i -= 3 {
		dollars = dollars[:i] + "," + dollars[i:]
	}
	return fmt.Sprintf("%s$%s.%02d", sign, dollars, cents%100)
}

// ordinal is 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st…
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// parseYear reads a season year from a path or query value. Years outside
// 1900–9999 are refused: beyond them PostgreSQL's integer column overflows,
// which would turn a bad link into a 500 instead of a 404.
func parseYear(v string) (int, bool) {
	y, err := strconv.Atoi(v)
	if err != nil || y < 1900 || y > 9999 {
		return 0, false
	}
	return y, true
}

// count is "1 boat", "17 boats": a number with its noun, plural by -s.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
