package media

import (
	"errors"
	"io"
	"net/http"
	"path"
	"strings"
	"time"
)

// Handler serves stored media. Mount it under a prefix with StripPrefix:
//
//	mux.Handle("GET /media/", http.StripPrefix("/media/", media.Handler(store)))
//
// Only content-addressed names are served (anything else is 404 without
// touching the store), always with an image Content-Type derived from the
// name and nosniff, so an upload can never be delivered as HTML or script.
// Names are hashes of the content, so responses are cacheable forever.
func Handler(store Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, "/")
		if !ValidKey(name) {
			http.NotFound(w, r)
			return
		}
		rc, err := store.Open(r.Context(), name)
		if errors.Is(err, ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, "media temporarily unavailable", http.StatusServiceUnavailable)
			return
		}
		defer rc.Close()

		h := w.Header()
		h.Set("Content-Type", contentTypes[strings.TrimPrefix(path.Ext(name), ".")])
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		// Even opened directly, an image needs no scripts, frames or plugins.
		h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox")
		// The hash in the name is a perfect strong validator.
		h.Set("ETag", `"`+strings.TrimSuffix(path.Base(name), path.Ext(name))+`"`)

		if rs, ok := rc.(io.ReadSeeker); ok {
			// ServeContent adds Range and If-None-Match support; the zero
			// modtime keeps it from emitting Last-Modified, the ETag suffices.
			http.ServeContent(w, r, "", time.Time{}, rs)
			return
		}
		if match := r.Header.Get("If-None-Match"); match != "" && match == h.Get("ETag") {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.Method == http.MethodHead {
			return
		}
		_, _ = io.Copy(w, rc)
	})
}
