package web

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"sabc/internal/web/forms"
)

// maxFormBody bounds a url-encoded form: the site's largest form (the
// profile) is well under 4 KB; 64 KiB leaves room without letting a post
// cost more than a page view.
const maxFormBody = 64 << 10

// uploadRoutes are the only routes that take a multipart body (a file);
// every other form is url-encoded, and a multipart post there is refused
// before it is read, so it never spools a temporary file.
var uploadRoutes = map[string]bool{
	"POST /anglers/{id}/photo/{$}": true,
}

// largeForms are form routes allowed more than maxFormBody.
var largeForms = map[string]int64{
	"POST /admin/club/{$}": maxClubForm, // the bylaws: pages of markdown
}

// bodyClass is how a route's request body is bounded and read.
type bodyClass int

const (
	formBody   bodyClass = iota // url-encoded form (or none), parsed and checked here
	uploadBody                  // multipart with a file; the handler parses it
	apiBody                     // JSON read by the API handler
)

func bodyClassOf(pattern string) bodyClass {
	switch _, path, _ := strings.Cut(pattern, " "); {
	case uploadRoutes[pattern]:
		return uploadBody
	case strings.HasPrefix(path, "/api/"):
		return apiBody
	}
	return formBody
}

// bodyLimit bounds the request body of one route by its class and, for
// forms, parses and checks the form before the handler runs (so every
// handler sees the same checked values, however it reads them). It wraps
// the handler directly: the request it hands on is the one the handler
// parses, so the temporary files of an upload are removed here whatever
// the handler does — the server's own clean-up only sees the request it
// created, and the middleware hands the mux a copy.
func (s *Server) bodyLimit(pattern string, next http.Handler) http.Handler {
	class := bodyClassOf(pattern)
	limit := int64(maxFormBody)
	if l, ok := largeForms[pattern]; ok {
		limit = l
	}
	switch class {
	case uploadBody:
		limit = s.acct.pipeline.Options().MaxUploadBytes + 64<<10 // the form around the file adds a little
	case apiBody:
		limit = maxAPIBody
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		defer func() {
			if r.MultipartForm != nil {
				r.MultipartForm.RemoveAll()
			}
		}()
		if class == formBody && !s.readForm(w, r) {
			return
		}
		next.ServeHTTP(w, r)
	})
}

// readForm parses a form route's body and query and answers the request
// itself (false) when they cannot be used: a path that is not text (404), a
// multipart body (415), a body over the limit (413), a malformed post (400),
// or a value the database cannot store (422, issue 14 finding 9).
func (s *Server) readForm(w http.ResponseWriter, r *http.Request) bool {
	if !forms.Storable(r.URL.Path) {
		// A path wildcard (a token, an error fingerprint) that is not
		// text names nothing, and PostgreSQL would fail the lookup.
		s.notFound(w, r)
		return false
	}
	if isMultipart(r) {
		s.errorPage(w, r, http.StatusUnsupportedMediaType,
			"This form takes no file. Send it from the site's own page, without attachments.")
		return false
	}
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			s.errorPage(w, r, http.StatusRequestEntityTooLarge,
				"The form is too large: the limit is "+humanSize(maxFormBody)+". Shorten what you typed and send it again.")
			return false
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			s.errorPage(w, r, http.StatusBadRequest, "The form did not arrive complete; please send it again.")
			return false
		}
		// A GET with a malformed pair in its query: the pair is dropped,
		// as url.ParseQuery does, and the rest is used.
	}
	// r.Form holds the query and the posted form, all a handler reads.
	if name, bad := forms.Unstorable(r.Form); bad {
		s.errorPage(w, r, http.StatusUnprocessableEntity, forms.UnstorableMessage(name))
		return false
	}
	return true
}

// isMultipart reports a multipart body of any subtype: ParseMultipartForm
// (and so PostFormValue and FormValue) would read it, spooling files to disk.
func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return strings.HasPrefix(mt, "multipart/")
}
