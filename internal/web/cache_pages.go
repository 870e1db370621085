package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"sabc/internal/assets"
	"sabc/internal/cache"
	"sabc/internal/club"
	"sabc/internal/ratelimit"
)

// pageTTL bounds how long a rendered page lives even without a write; exact
// invalidation does the real work (store writes bump namespaces).
const pageTTL = 10 * time.Minute

// cachedPage declares one cacheable page: the cache namespaces it depends on
// and the query parameters it reads. Only those parameters are part of the
// cache key (and reach the handler when it renders for the cache), each as
// its param function reads it, so neither junk parameters nor endless
// spellings of one value ("?page=-1", "?page=-2", …) can make new entries:
// the number of entries a page can have is bounded by what it really shows.
type cachedPage struct {
	deps  func(*http.Request) []string
	query map[string]param
}

// param is how a cached page's handler reads one query parameter: the value
// the key holds for v ("" when the handler reads it as absent), and whether
// a page with it may be stored at all (false: rendered each time, e.g. a
// year outside the span the site shows).
type param func(v string) (canon string, store bool)

// intParam keeps a canonical integer and renders anything else uncached.
func intParam(v string) (string, bool) { return v, canonicalInt(v) }

// noStore marks a 200 response that must not be cached (a filter naming
// something that does not exist): writeCacheable keeps it private, and the
// page and fragment caches render it each time instead of storing it.
func noStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }

func isNoStore(h http.Header) bool { return h.Get("Cache-Control") == "no-store" }

// cachedPages maps each cacheable public page (by route pattern) to its
// declaration. The dependencies are the page helpers of cache/invalidation.go
// and nothing else, so the invalidation map's tests test what is served.
// Only anonymous GETs and HEADs are shared-cached; logged-in views are personal.
func (s *Server) cachedPages() map[string]cachedPage {
	id := func(r *http.Request) int64 { n, _ := pathID(r, "id"); return n }
	year := func(r *http.Request) int {
		y, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("year"), ".png"))
		if err != nil {
			y, _ = strconv.Atoi(r.URL.Query().Get("year"))
		}
		if y == 0 {
			y = club.Today(s.Now()).Year()
		}
		return y
	}
	page := func(deps func(*http.Request) []string) cachedPage { return cachedPage{deps: deps} }
	with := func(cp cachedPage, query map[string]param) cachedPage { cp.query = query; return cp }
	// The years a page may be stored for: the calendar's span (a year
	// outside it is rendered each time, or is a 404).
	shownYear := func(y int) bool { return validCalendarYear(y, club.Today(s.Now()).Year()) }
	return map[string]cachedPage{
		"GET /{$}": with(page(func(*http.Request) []string { return cache.HomePage() }), map[string]param{
			"page": func(v string) (string, bool) { // home reads anything but 2… as page 1 (home.go)
				if n, err := strconv.Atoi(v); err == nil && n > 1 {
					return strconv.Itoa(n), n <= maxHomePage
				}
				return "", true
			}}),
		"GET /tournaments/{$}": with(page(func(*http.Request) []string { return cache.TournamentsPage() }), map[string]param{
			"year": func(v string) (string, bool) { // a mangled year shows every season (tournamentList)
				y, ok := parseYear(v)
				if !ok {
					return "", true
				}
				return strconv.Itoa(y), shownYear(y)
			},
			"lake": func(v string) (string, bool) { // not an id: every lake; an unknown one is noStore
				if id, ok := parseID(v); ok {
					return strconv.FormatInt(id, 10), true
				}
				return "", true
			}}),
		"GET /tournaments/{id}/{$}": page(func(r *http.Request) []string { return cache.TournamentPage(id(r)) }),
		"GET /standings/{year}/{$}": page(func(r *http.Request) []string { return cache.StandingsPage(year(r)) }),
		"GET /awards/{year}/{$}":    page(func(r *http.Request) []string { return cache.StandingsPage(year(r)) }),
		"GET /calendar/{$}": with(page(func(r *http.Request) []string { return cache.CalendarPage(year(r)) }),
			map[string]param{"year": func(v string) (string, bool) { // outside the span: a 404 (calendarYear)
				y, err := strconv.Atoi(v)
				return v, err == nil && canonicalInt(v) && shownYear(y)
			}}),
		"GET /lakes/{$}":        page(func(*http.Request) []string { return cache.LakesPage() }),
		"GET /lakes/{id}/{$}":   page(func(r *http.Request) []string { return cache.LakePage(id(r)) }),
		"GET /anglers/{id}/{$}": page(func(r *http.Request) []string { return cache.AnglerPage(id(r)) }),
		"GET /rules/{year}/{$}": page(func(r *http.Request) []string { return cache.RulesPage(year(r)) }),
		"GET /about/{$}":        page(func(*http.Request) []string { return cache.ContentPage() }),
		"GET /bylaws/{$}":       page(func(*http.Request) []string { return cache.ContentPage() }),
	}
}

// CachedPagePatterns lists the route patterns of the cacheable pages (a
// test visits every one).
func (s *Server) CachedPagePatterns() []string {
	var out []string
	for p := range s.cachedPages() {
		out = append(out, p)
	}
	return out
}

var wildcardRE = regexp.MustCompile(`\{([A-Za-z_]+)\}`)

// wildcards lists the {name} segments of a route pattern.
func wildcards(pattern string) []string {
	var out []string
	for _, m := range wildcardRE.FindAllStringSubmatch(pattern, -1) {
		out = append(out, m[1])
	}
	return out
}

// canonicalInt reports whether v is an integer written the one way
// strconv writes it, so two spellings of one value never make two entries.
func canonicalInt(v string) bool {
	n, err := strconv.ParseInt(v, 10, 64)
	return err == nil && strconv.FormatInt(n, 10) == v
}

// pageQuery is the canonical query of r for a page reading params: each
// one's first non-empty value (what Query().Get gives the handler) as its
// param reads it, sorted by name, everything else dropped. ok is false when
// a path value is not a canonical integer or a param says not to store:
// that request is rendered but not cached.
func pageQuery(r *http.Request, pathVars []string, params map[string]param) (query string, ok bool) {
	for _, name := range pathVars {
		if !canonicalInt(r.PathValue(name)) {
			return "", false
		}
	}
	q, kept := r.URL.Query(), url.Values{}
	for name, read := range params {
		v := q.Get(name)
		if v == "" {
			continue // as the handler sees it: absent
		}
		canon, store := read(v)
		if !store {
			return "", false
		}
		if canon != "" {
			kept.Set(name, canon)
		}
	}
	return kept.Encode(), true // Encode sorts by name
}

// errUncacheable carries a response that must reach the client but not the
// cache (a 404, a redirect, an error page).
type errUncacheable struct{ resp *recorded }

func (errUncacheable) Error() string { return "response not cacheable" }

// cachePage serves an anonymous GET or HEAD from the tiered cache, rendering
// it once per namespace version and canonical query. The entry keeps a
// gzipped copy too, so a hit costs no rendering and no compression. A
// matching If-None-Match gets 304; HEAD gets the cached headers, no body.
func (s *Server) cachePage(pattern string, cp cachedPage, h http.Handler) http.Handler {
	pathVars := wildcards(pattern)
	personal := chargePage(s.fragmentPage(pathVars, cp, h)) // a logged-in view: its content from a fragment
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Cache == nil || s.Config.PageCacheOff() || (r.Method != http.MethodGet && r.Method != http.MethodHead) ||
			visitorOf(r.Context()).Person != nil {
			personal.ServeHTTP(w, r)
			return
		}
		query, ok := pageQuery(r, pathVars, cp.query)
		if !ok {
			chargePage(h).ServeHTTP(w, r)
			return
		}
		name := "page:" + r.URL.Path
		if query != "" {
			name += "?" + query
		}
		key := cache.Key{Name: name, Deps: append(cp.deps(r), cache.PageLayout()...)}
		data, err := s.loadPage(r, key, func(ctx context.Context) ([]byte, error) {
			rec := &recorded{header: http.Header{}}
			h.ServeHTTP(rec, canonicalRequest(ctx, r, query))
			if rec.status != http.StatusOK || isNoStore(rec.header) {
				return nil, errUncacheable{rec}
			}
			return encodePage(rec), nil
		})
		var refused errPageRefused
		switch {
		case errors.As(err, &refused):
			refused.Write(w, r)
		case err != nil:
			s.loadFailed(w, r, err)
		default:
			servePage(w, r, decodePage(data))
		}
	})
}

// loadFailed answers a page or fragment load that stored nothing: the
// response its render kept for the client (errUncacheable), else an error
// page.
func (s *Server) loadFailed(w http.ResponseWriter, r *http.Request, err error) {
	var unc errUncacheable
	if errors.As(err, &unc) {
		unc.resp.replay(w)
		return
	}
	s.serverError(w, r, err)
}

// canonicalRequest is r as a cache loader renders it: exactly what the key
// names — a full GET of the path with the canonical query — so what is
// stored does not depend on the first visitor's extra parameters, method
// or If-None-Match.
func canonicalRequest(ctx context.Context, r *http.Request, query string) *http.Request {
	inner := r.Clone(ctx)
	inner.Method = http.MethodGet
	inner.URL.RawQuery = query
	inner.RequestURI = inner.URL.RequestURI()
	inner.Form, inner.PostForm = nil, nil
	inner.Header.Del("If-None-Match")
	return inner
}

// loadPage is GetOrLoad for a page whose miss is counted against the Page
// rate limit (ratelimit_pages.go): the loader charges its request before
// rendering. Requests waiting on another one's load share its answer; if
// that request was refused, a waiter loads again under its own count, so
// one client's 429 never reaches another. Each round either stores the page
// or refuses the client whose load it was; after three such rounds the page
// is rendered for this client alone.
func (s *Server) loadPage(r *http.Request, key cache.Key, render func(context.Context) ([]byte, error)) ([]byte, error) {
	for range 3 {
		var mine *ratelimit.Refusal
		data, err := s.Cache.GetOrLoad(r.Context(), key, pageTTL, func(ctx context.Context) ([]byte, error) {
			if mine = ratelimit.Charge(r); mine != nil {
				return nil, errPageRefused{mine}
			}
			return render(ctx)
		})
		if !errors.As(err, new(errPageRefused)) || mine != nil {
			return data, err
		}
	}
	if f := ratelimit.Charge(r); f != nil {
		return nil, errPageRefused{f}
	}
	return render(r.Context()) // rendered for this client, not stored
}

// page is a cached response: the headers worth keeping, the body, and the
// body gzipped (nil when too small to be worth it).
type page struct {
	header []string // canonical key, value, key, value…: each key once, in stored order
	body   []byte
	gz     []byte
}

// get is the stored value of a canonical header key, or "".
func (p page) get(key string) string {
	for i := 0; i+1 < len(p.header); i += 2 {
		if p.header[i] == key {
			return p.header[i+1]
		}
	}
	return ""
}

// cachedHeaders are the response headers a cached page keeps.
var cachedHeaders = []string{"Content-Type", "ETag", "Cache-Control", "Content-Disposition", "Vary"}

// encodePage is "Name: value" lines, "Plain-Length: n", a blank line, then
// the body followed by its gzipped copy.
func encodePage(rc *recorded) []byte {
	body := rc.body.Bytes()
	var gz bytes.Buffer
	if len(body) >= assets.CompressMinSize {
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
		zw.Write(body)
		zw.Close()
	}
	var b bytes.Buffer
	for _, k := range cachedHeaders {
		if v := rc.header.Get(k); v != "" {
			b.WriteString(k + ": " + v + "\n")
		}
	}
	b.WriteString("Plain-Length: " + strconv.Itoa(len(body)) + "\n\n")
	b.Write(body)
	b.Write(gz.Bytes())
	return b.Bytes()
}

// decodePage runs on every cache hit, so it makes two allocations whatever
// the page: one string holding the whole head, which every key and value
// slices, and the list of pairs. A key stored twice keeps its last value
// (as Header.Set would).
func decodePage(data []byte) page {
	head, rest, _ := bytes.Cut(data, []byte("\n\n"))
	n := len(rest)
	p := page{header: make([]string, 0, 2*len(cachedHeaders))}
	for text := string(head); text != ""; {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		k, v, ok := strings.Cut(line, ": ")
		switch {
		case !ok:
		case k == "Plain-Length":
			n, _ = strconv.Atoi(v)
		default:
			p.set(http.CanonicalHeaderKey(k), v)
		}
	}
	n = min(max(n, 0), len(rest))
	p.body = rest[:n]
	if len(rest) > n {
		p.gz = rest[n:]
	}
	return p
}

func (p *page) set(key, value string) {
	for i := 0; i+1 < len(p.header); i += 2 {
		if p.header[i] == key {
			p.header[i+1] = value
			return
		}
	}
	p.header = append(p.header, key, value)
}

// servePage writes a cached page: 304 when the client has it, else gzipped
// when the client accepts it and a copy exists. The stored headers replace
// any of the same name already set (a Vary: Cookie of the session layer
// included), each value in its own capped slice of one shared allocation.
func servePage(w http.ResponseWriter, r *http.Request, p page) {
	h := w.Header()
	vals := make([]string, len(p.header)/2)
	for i := range vals {
		vals[i] = p.header[2*i+1]
		h[p.header[2*i]] = vals[i : i+1 : i+1]
	}
	h.Add("Vary", "Accept-Encoding")
	etag := p.get("Etag")
	if etag != "" && sameETag(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := p.body
	if p.gz != nil && assets.AcceptsGzip(r) {
		body = p.gz
		h.Set("Content-Encoding", "gzip")
		if etag != "" && !strings.HasPrefix(etag, "W/") {
			h.Set("ETag", "W/"+etag) // a different representation of the same page
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// sameETag is the weak comparison If-None-Match uses: W/ prefixes ignored,
// any entry of a list may match.
func sameETag(header, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for v := range strings.SplitSeq(header, ",") {
		if v = strings.TrimPrefix(strings.TrimSpace(v), "W/"); v == etag || v == "*" {
			return true
		}
	}
	return false
}

// recorded is a captured response from the page handler.
type recorded struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func (rc *recorded) Header() http.Header { return rc.header }
func (rc *recorded) Write(b []byte) (int, error) {
	if rc.status == 0 {
		rc.status = http.StatusOK
	}
	return rc.body.Write(b)
}
func (rc *recorded) WriteHeader(code int) {
	if rc.status == 0 {
		rc.status = code
	}
}

func (rc *recorded) replay(w http.ResponseWriter) {
	copyHeaders(w.Header(), rc.header)
	w.WriteHeader(max(rc.status, http.StatusOK))
	w.Write(rc.body.Bytes())
}

func copyHeaders(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}

// WarmHotPages renders the pages most visitors open first — home, the
// current standings, the latest tournament — so the next visitor gets a hit.
// The cache runs it in the background at start and after writes.
func (s *Server) WarmHotPages(ctx context.Context) error {
	paths := []string{"/", "/standings/" + strconv.Itoa(club.Today(s.Now()).Year()) + "/", "/tournaments/"}
	if latest, err := s.Store.Podiums(ctx, 1, 0); err == nil && len(latest) > 0 {
		paths = append(paths, "/tournaments/"+strconv.FormatInt(latest[0].Tournament.ID, 10)+"/")
	}
	h := s.Handler()
	for _, p := range paths {
		r, err := http.NewRequestWithContext(ctx, http.MethodGet, p, nil)
		if err != nil {
			return err
		}
		h.ServeHTTP(&recorded{header: http.Header{}}, r)
	}
	return nil
}
