package assets

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

var zeroTime time.Time

const (
	encIdentity = "identity"
	encBrotli   = "br"
	encGzip     = "gzip"
)

// serverPreference breaks ties between equally acceptable codings: brotli
// is smallest, gzip next, identity last.
var serverPreference = []string{encBrotli, encGzip, encIdentity}

// negotiate picks the encoding to send for an Accept-Encoding value among
// those have reports available (identity must always be available).
//
// It follows RFC 9110 §12.5.3: each coding's q-value is its own entry, else
// the "*" entry, else 0 — except identity, which is acceptable unless
// excluded. The highest q wins; ties go to serverPreference. An identity
// that is not listed counts as the least preferred acceptable choice, so
// "gzip;q=0.5" alone still gets gzip. When nothing is acceptable (e.g.
// "identity;q=0" or "*;q=0") identity is sent anyway: a readable body
// serves the client better than a 406 for a stylesheet.
func negotiate(acceptEncoding string, have func(string) bool) string {
	q := map[string]float64{}
	star := -1.0
	for part := range strings.SplitSeq(acceptEncoding, ",") { // every request asks: no slice for the parts
		coding, qv, ok := parseCoding(part)
		if !ok {
			continue
		}
		if coding == "*" {
			star = qv
			continue
		}
		if coding == "x-gzip" {
			coding = encGzip
		}
		q[coding] = qv
	}
	qOf := func(c string) float64 {
		if v, ok := q[c]; ok {
			return v
		}
		if star >= 0 {
			return star
		}
		if c == encIdentity {
			return 0.0001 // implicitly acceptable, never preferred
		}
		return 0
	}
	best, bestQ := encIdentity, 0.0
	for _, c := range serverPreference {
		if !have(c) {
			continue
		}
		if v := qOf(c); v > bestQ {
			best, bestQ = c, v
		}
	}
	return best
}

// parseCoding parses one Accept-Encoding element ("br;q=0.8"). A malformed
// q-value makes the element count as not listed.
func parseCoding(s string) (coding string, q float64, ok bool) {
	coding, params, _ := strings.Cut(s, ";")
	coding = strings.ToLower(strings.TrimSpace(coding))
	if coding == "" {
		return "", 0, false
	}
	q = 1
	for p := range strings.SplitSeq(params, ";") {
		k, v, found := strings.Cut(strings.TrimSpace(p), "=")
		if !found || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 || f > 1 {
			return "", 0, false
		}
		q = f
	}
	return coding, q, true
}

// AcceptsGzip reports whether a request's Accept-Encoding prefers gzip over
// identity (q-values honoured), for handlers that keep pre-compressed bodies.
func AcceptsGzip(r *http.Request) bool {
	return negotiate(r.Header.Get("Accept-Encoding"), func(c string) bool { return c == "gzip" || c == "identity" }) == "gzip"
}
