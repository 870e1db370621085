package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"sabc/internal/assets"
)

// oldPage, decodePageMap and servePageMap are decodePage and servePage as
// they were before hits stopped building a header map per request; the
// cheaper versions must answer byte for byte the same.
type oldPage struct {
	header     http.Header
	body, gzip []byte
}

func decodePageMap(data []byte) oldPage {
	p := oldPage{header: http.Header{}}
	head, rest, _ := bytes.Cut(data, []byte("\n\n"))
	n := len(rest)
	for _, line := range strings.Split(string(head), "\n") {
		k, v, ok := strings.Cut(line, ": ")
		switch {
		case !ok:
		case k == "Plain-Length":
			n, _ = strconv.Atoi(v)
		default:
			p.header.Set(k, v)
		}
	}
	n = min(max(n, 0), len(rest))
	p.body = rest[:n]
	if len(rest) > n {
		p.gzip = rest[n:]
	}
	return p
}

func servePageMap(w http.ResponseWriter, r *http.Request, p oldPage) {
	h := w.Header()
	copyHeaders(h, p.header)
	h.Add("Vary", "Accept-Encoding")
	etag := p.header.Get("ETag")
	if etag != "" && sameETag(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := p.body
	if p.gzip != nil && assets.AcceptsGzip(r) {
		body = p.gzip
		h.Set("Content-Encoding", "gzip")
		if etag != "" && !strings.HasPrefix(etag, "W/") {
			h.Set("ETag", "W/"+etag)
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func TestCachedPageServedAsBefore(t *testing.T) {
	big := strings.Repeat("<p>a page of the site</p>\n", 200)
	var entries [][]byte
	for _, hdr := range []http.Header{
		{"Content-Type": {"text/html; charset=utf-8"}, "Etag": {`"abc"`}, "Cache-Control": {"no-cache"}},
		{"Content-Type": {"text/calendar"}, "Etag": {`W/"weak"`}, "Content-Disposition": {"attachment"},
			"Vary": {"Accept-Language"}},
		{},
	} {
		for _, body := range []string{"", "short", big} {
			rc := &recorded{header: hdr}
			rc.body.WriteString(body)
			entries = append(entries, encodePage(rc))
		}
	}
	// Entries not written by this encodePage: a key twice, lower case,
	// a bad or missing length, lines without ": ", no blank line at all.
	entries = append(entries, []byte("etag: \"1\"\nETag: \"2\"\nnonsense\nPlain-Length: x\n\nbody"),
		[]byte("Content-Type: a\nPlain-Length: 3\n\nabcdefgh"), []byte("Plain-Length: 99\n\nab"),
		[]byte("no head"), []byte(""), []byte("\n\n"))
	for i, data := range entries {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			for _, reqHdr := range []http.Header{{}, {"Accept-Encoding": {"gzip"}}, {"If-None-Match": {`W/"abc"`}},
				{"If-None-Match": {`"weak", "x"`}, "Accept-Encoding": {"gzip, br"}}, {"If-None-Match": {"*"}}} {
				r := httptest.NewRequest(method, "/p/", nil)
				r.Header = reqHdr
				got, want := httptest.NewRecorder(), httptest.NewRecorder()
				got.Header().Set("Vary", "Cookie") // set by the session layer before the page
				want.Header().Set("Vary", "Cookie")
				servePage(got, r, decodePage(data))
				servePageMap(want, r, decodePageMap(data))
				if got.Code != want.Code || !reflect.DeepEqual(got.Header(), want.Header()) ||
					!bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
					t.Errorf("entry %d, %s %v:\n got %d %q %d bytes\nwant %d %q %d bytes", i, method, reqHdr,
						got.Code, got.Header(), got.Body.Len(), want.Code, want.Header(), want.Body.Len())
				}
			}
		}
	}
}
