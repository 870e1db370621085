// Package mediatype decides how static files are typed and whether they are
// worth compressing. It is shared by the build (which pre-compresses) and
// the server (whose on-the-fly gzip must skip the same types), and is kept
// separate so the server does not link the build's brotli encoder.
package mediatype

import (
	"net/http"
	"path"
	"strings"
)

// contentTypes is fixed here rather than taken from mime.TypeByExtension,
// which reads the host's /etc/mime.types and would make the manifest
// depend on the machine that ran go generate.
var contentTypes = map[string]string{
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".html":        "text/html; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".xml":         "application/xml",
	".ico":         "image/vnd.microsoft.icon",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".ttf":         "font/ttf",
	".otf":         "font/otf",
	".pdf":         "application/pdf",
}

// ContentType returns the Content-Type for a static file, by extension,
// falling back to content sniffing.
func ContentType(name string, content []byte) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return http.DetectContentType(content)
}

// Compressible reports whether a type benefits from compression: text
// formats and SVG/ICO do; images, fonts in woff/woff2 and PDFs are already
// compressed, and recompressing them only costs CPU.
func Compressible(contentType string) bool {
	ct := strings.ToLower(contentType)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = strings.TrimSpace(ct[:i])
	}
	switch {
	case strings.HasPrefix(ct, "text/"),
		strings.HasSuffix(ct, "+json"), strings.HasSuffix(ct, "+xml"),
		ct == "application/json", ct == "application/xml", ct == "application/javascript",
		ct == "image/vnd.microsoft.icon", ct == "font/ttf", ct == "font/otf":
		return true
	}
	return false
}
