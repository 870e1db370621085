package assets

import (
	"bufio"
	"net"
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"

	"sabc/internal/assets/mediatype"
)

// CompressMinSize is the smallest response Compress gzips: below about
// 1 KiB the gzip framing and CPU outweigh the bytes saved.
const CompressMinSize = 1024

// Compress gzips dynamic responses of at least CompressMinSize bytes for
// clients that accept gzip, and adds Vary: Accept-Encoding. It leaves alone:
//
//   - responses that already carry Content-Encoding (the static handler's
//     .br/.gz files), so nothing is compressed twice;
//   - text/event-stream, which must reach the browser event by event, and
//     types that are already compressed (images, fonts, archives);
//   - HEAD requests and bodiless statuses.
//
// http.Flusher keeps working through the wrapper (gzhttp flushes the gzip
// stream, then the connection). When it compresses a response carrying a
// strong ETag, the ETag is made weak (W/"…"), as nginx does: the compressed
// bytes differ from the identity bytes, so one strong validator must not
// name both, while If-None-Match (weak comparison) still yields 304s.
func Compress(next http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(
		gzhttp.MinSize(CompressMinSize),
		gzhttp.EnableZstd(false), // gzip only: what every client and CDN handles
		gzhttp.ContentTypeFilter(compressibleResponse),
	)
	if err != nil {
		panic("assets: gzhttp options: " + err.Error()) // fixed options; cannot happen
	}
	gz := wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&encodingProbe{ResponseWriter: w}, r)
	}))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gz.ServeHTTP(&etagWeakener{ResponseWriter: w}, r)
	})
}

// compressibleResponse is gzhttp's content-type filter: the same text-like
// types the build pre-compresses, minus server-sent events.
func compressibleResponse(ct string) bool {
	if ct == "" {
		return true // gzhttp sniffs a type before asking again
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "text/event-stream") {
		return false
	}
	return mediatype.Compressible(ct)
}

// The two writers below sit on either side of gzhttp's writer:
//
//	handler → encodingProbe → gzhttp → etagWeakener → connection
//
// encodingProbe notes whether the handler itself set Content-Encoding before
// its headers went out; etagWeakener, seeing the final headers, weakens the
// ETag only when the encoding was added by gzhttp. They share one header
// map, so the probe reports to the weakener directly, found via Unwrap.

// encodingProbe marks responses whose handler chose an encoding itself.
type encodingProbe struct {
	http.ResponseWriter
	checked bool
}

func (p *encodingProbe) check() {
	if p.checked {
		return
	}
	p.checked = true
	if p.Header().Get("Content-Encoding") == "" {
		return
	}
	if ew := findWeakener(p.ResponseWriter); ew != nil {
		ew.handlerEncoded = true
	}
}

func (p *encodingProbe) WriteHeader(code int) {
	if code >= 200 {
		p.check()
	}
	p.ResponseWriter.WriteHeader(code)
}

func (p *encodingProbe) Write(b []byte) (int, error) {
	p.check()
	return p.ResponseWriter.Write(b)
}

func (p *encodingProbe) Flush() { p.check(); _ = http.NewResponseController(p.ResponseWriter).Flush() }

func (p *encodingProbe) FlushError() error {
	p.check()
	return http.NewResponseController(p.ResponseWriter).Flush()
}

func (p *encodingProbe) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(p.ResponseWriter).Hijack()
}

func (p *encodingProbe) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// findWeakener walks Unwrap chains (gzhttp's writer supports Unwrap).
func findWeakener(w http.ResponseWriter) *etagWeakener {
	for w != nil {
		if ew, ok := w.(*etagWeakener); ok {
			return ew
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
	return nil
}

// etagWeakener turns a strong ETag weak on responses gzhttp compressed.
type etagWeakener struct {
	http.ResponseWriter
	handlerEncoded bool
	wroteHeader    bool
}

func (e *etagWeakener) WriteHeader(code int) {
	if !e.wroteHeader && code >= 200 {
		e.wroteHeader = true
		h := e.Header()
		if !e.handlerEncoded && h.Get("Content-Encoding") != "" {
			if et := h.Get("ETag"); strings.HasPrefix(et, `"`) {
				h.Set("ETag", "W/"+et)
			}
		}
	}
	e.ResponseWriter.WriteHeader(code)
}

func (e *etagWeakener) Write(b []byte) (int, error) {
	if !e.wroteHeader {
		e.WriteHeader(http.StatusOK)
	}
	return e.ResponseWriter.Write(b)
}

func (e *etagWeakener) Flush() { _ = e.FlushError() }

func (e *etagWeakener) FlushError() error {
	return http.NewResponseController(e.ResponseWriter).Flush()
}

func (e *etagWeakener) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(e.ResponseWriter).Hijack()
}

func (e *etagWeakener) Unwrap() http.ResponseWriter { return e.ResponseWriter }
