package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"
)

// HTTP caching of pages (spec 03 §3): every successful GET page carries a
// strong ETag — a hash of the exact bytes sent — and a request whose
// If-None-Match names it gets 304 Not Modified without a body. Because the
// tag hashes the rendered body, it changes exactly when the page does: no
// version bookkeeping, and it stays right whatever cache sits in front.
// Rendering still happens (the hash needs the body); what 304 saves is the
// transfer, which is what matters to a phone at the ramp.
//
// Pages must therefore render the same bytes for the same content: nothing
// per-request (request ids, clocks to the second) in a cacheable page body.

// etagOf is the strong entity tag of body: a 64-bit xxhash, which tells two
// versions of one page apart as surely as any client needs, at a fraction of
// SHA-256's cost — hashing the 100 kB calendar with SHA-256 was 7 % of its
// uncached render.
func etagOf(body []byte) string {
	return `"` + strconv.FormatUint(xxhash.Sum64(body), 16) + `"`
}

// writeCacheable sends body with its ETag and Cache-Control, or 304 when the
// client already holds it. Anonymous visitors get a response any cache may
// keep but must revalidate. A logged-in visitor's page is never stored
// anywhere, the browser's disk included: it may carry members' phones and
// emails, and a shared phone at the ramp must not keep it. A handler that
// already said no-store (a reset-token page) keeps it. Only 200 responses to
// GET/HEAD are tagged.
func writeCacheable(w http.ResponseWriter, r *http.Request, status int, contentType string, private bool,
	body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	private = private || h.Get("Cache-Control") == "no-store"
	if status != http.StatusOK || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		if private {
			h.Set("Cache-Control", "no-store")
		}
		w.WriteHeader(status)
		w.Write(body)
		return
	}
	tag := etagOf(body)
	h.Set("ETag", tag)
	// The same URL renders differently once logged in (header, edit links).
	h.Add("Vary", "Cookie")
	if private {
		h.Set("Cache-Control", "no-store")
	} else {
		h.Set("Cache-Control", "public, max-age=0, must-revalidate")
	}
	if etagMatches(r.Header.Get("If-None-Match"), tag) {
		h.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// etagMatches implements If-None-Match's weak comparison (RFC 9110 §13.1.2):
// a list of tags or "*"; W/ prefixes are ignored, so a tag weakened by a
// compressing proxy still matches.
func etagMatches(header, tag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}
