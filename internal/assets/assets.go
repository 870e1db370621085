// Package assets owns the site's static files: sources in static/, built by
// `go generate` into dist/ (fingerprinted names, .br and .gz siblings, a
// manifest), embedded in the binary and served with content negotiation
// and immutable caching (spec 03 §4). It also provides Compress, the
// on-the-fly gzip wrapper for dynamic HTML.
//
// A fingerprinted name always means one exact content: the handler serves
// only names in the current manifest and answers 404 for any other
// fingerprint, so a cache can never hold new bytes under an old name.
package assets

//go:generate go run ./gen

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

//go:embed dist
var embedded embed.FS

// Prefix is the URL path the handler is mounted at.
const Prefix = "/static/"

// Immutable is the Cache-Control of every fingerprinted file: a name never
// changes content, so browsers and CDNs may keep it for a year unrevalidated.
const Immutable = "public, max-age=31536000, immutable"

// manifest mirrors build.Manifest; it is redeclared so the server does not
// link the build package (and its brotli encoder). The stale-dist test
// decodes the generated manifest with this type, which keeps the two in step.
type manifest struct {
	Version int `json:"version"`
	Files   map[string]struct {
		Name     string `json:"name"`
		Type     string `json:"type"`
		SHA256   string `json:"sha256"`
		Variants map[string]struct {
			File string `json:"file"`
			ETag string `json:"etag"`
		} `json:"variants"`
	} `json:"files"`
}

// Assets serves one manifest's files. It is safe for concurrent use.
type Assets struct {
	base      string            // STATIC_BASE_URL without trailing slash, or ""
	byLogical map[string]*asset // "app.css" → asset
	byName    map[string]*asset // "app.3f2a9c1d.css" → asset
}

type asset struct {
	logical, name, ctype string
	variants             map[string]variant // by encoding
}

type variant struct {
	body []byte
	etag string
}

// Default returns the assets embedded in the binary. baseURL is
// STATIC_BASE_URL ("" to serve links from this origin).
func Default(baseURL string) (*Assets, error) {
	dist, err := fs.Sub(embedded, "dist")
	if err != nil {
		return nil, err
	}
	return New(dist, baseURL)
}

// New loads a built dist/ tree (as written by the generator) and checks it:
// every file the manifest names must exist and the identity copy must match
// its recorded hash, so a broken embed fails at start, not per request.
func New(dist fs.FS, baseURL string) (*Assets, error) {
	base, err := normalizeBase(baseURL)
	if err != nil {
		return nil, err
	}
	raw, err := fs.ReadFile(dist, "manifest.json")
	if err != nil {
		return nil, fmt.Errorf("assets: read manifest: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("assets: parse manifest: %w", err)
	}
	if m.Version != 1 {
		return nil, fmt.Errorf("assets: manifest version %d, want 1", m.Version)
	}
	a := &Assets{base: base, byLogical: map[string]*asset{}, byName: map[string]*asset{}}
	for logical, e := range m.Files {
		as := &asset{logical: logical, name: e.Name, ctype: e.Type, variants: map[string]variant{}}
		for enc, v := range e.Variants {
			body, err := fs.ReadFile(dist, v.File)
			if err != nil {
				return nil, fmt.Errorf("assets: %s: %w", logical, err)
			}
			as.variants[enc] = variant{body: body, etag: v.ETag}
		}
		id, ok := as.variants[encIdentity]
		if !ok {
			return nil, fmt.Errorf("assets: %s: no identity variant", logical)
		}
		if sum := sha256.Sum256(id.body); hex.EncodeToString(sum[:]) != e.SHA256 {
			return nil, fmt.Errorf("assets: %s: content does not match manifest hash", logical)
		}
		a.byLogical[logical] = as
		a.byName[e.Name] = as
	}
	return a, nil
}

// normalizeBase accepts "" or an absolute http(s) URL (or a
// scheme-relative "//host"), and drops a trailing slash.
func normalizeBase(s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") ||
		u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("STATIC_BASE_URL: %q is not an http(s) URL like https://cdn.example.com", s)
	}
	return s, nil
}

// Path returns the URL to use in pages for a logical name, e.g.
// Path("app.css") = "/static/app.3f2a9c1d.css", or
// "https://cdn.example.com/static/app.3f2a9c1d.css" with a base URL.
// An unknown name yields its unfingerprinted URL, which 404s visibly;
// use Lookup (or a template test) to catch typos early.
func (a *Assets) Path(logical string) string {
	if p, ok := a.Lookup(logical); ok {
		return p
	}
	return a.base + Prefix + strings.TrimPrefix(logical, "/")
}

// Lookup is Path that also reports whether the logical name exists.
func (a *Assets) Lookup(logical string) (string, bool) {
	as, ok := a.byLogical[strings.TrimPrefix(logical, "/")]
	if !ok {
		return "", false
	}
	return a.base + Prefix + as.name, true
}

// Names returns the logical names, sorted; for health checks and tests.
func (a *Assets) Names() []string {
	out := make([]string, 0, len(a.byLogical))
	for n := range a.byLogical {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ServeHTTP serves Prefix+name. Mount it without StripPrefix:
// mux.Handle("/static/", assets).
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutPrefix(r.URL.Path, Prefix)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	as, ok := a.byName[name]
	if !ok {
		if cur, ok := a.byLogical[name]; ok {
			// Unfingerprinted name: point at today's version, and let
			// caches keep that pointer only briefly since it will move.
			w.Header().Set("Cache-Control", "public, max-age=300")
			http.Redirect(w, r, Prefix+cur.name, http.StatusFound)
			return
		}
		// Unknown or stale fingerprint. no-store so a CDN does not pin
		// the 404 for a name a newer replica is about to serve.
		w.Header().Set("Cache-Control", "no-store")
		http.NotFound(w, r)
		return
	}
	enc := negotiate(r.Header.Get("Accept-Encoding"), func(e string) bool {
		_, ok := as.variants[e]
		return ok
	})
	v := as.variants[enc]
	h := w.Header()
	h.Set("Content-Type", as.ctype)
	h.Set("Cache-Control", Immutable)
	h.Set("ETag", v.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	// Public, immutable files: allow cross-origin use so fonts, SRI and
	// module scripts work when STATIC_BASE_URL puts them on a CDN origin.
	h.Set("Access-Control-Allow-Origin", "*")
	addVary(h, "Accept-Encoding")
	if enc != encIdentity {
		h.Set("Content-Encoding", enc)
	}
	// ServeContent answers If-None-Match (304), HEAD and Range from the
	// headers above; a zero modtime keeps Last-Modified out of it.
	http.ServeContent(w, r, as.name, zeroTime, bytes.NewReader(v.body))
}

// addVary appends a token to Vary unless present, so a wrapper that already
// added it (Compress) does not cause a duplicate.
func addVary(h http.Header, token string) {
	for _, v := range h.Values("Vary") {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return
			}
		}
	}
	h.Add("Vary", token)
}
