package web

import (
	"bytes"
	"context"
	"encoding/binary"
	"html/template"
	"net/http"

	"sabc/internal/cache"
)

// Content fragments: the part of a cacheable page between <main> and
// </main> (and its <head> extras), cached per role under the page's own
// namespaces (cache/invalidation.go), so a logged-in member — whose page is
// personal and never shared-cached — gets the same invalidation-exact copy
// an anonymous visitor gets from the page cache, with only the layout
// (header with their name, footer) rendered for them.
//
// Why per role and not per person: the content of a cacheable page depends
// on the visitor's role only (officers see Edit links and hidden live
// standings), never on who they are; TestContentIsTheSameForEveryoneOfARole
// checks that for every cached page. The layout, which does name the
// visitor, is never part of a fragment.

// fragment is a page's content as rendered for one role.
type fragment struct {
	title   string
	head    []byte // the page's "head" block
	content []byte // the page's "content" block
}

// fragmentCapture, when present in a request's context, makes render record
// the page's title and blocks instead of writing the whole page.
type fragmentCapture struct {
	f        fragment
	captured bool
}

type captureKey struct{}

func captureOf(ctx context.Context) *fragmentCapture {
	c, _ := ctx.Value(captureKey{}).(*fragmentCapture)
	return c
}

// capture renders a page's blocks into c (see render).
func (c *fragmentCapture) capture(t *template.Template, v view) error {
	var head, content bytes.Buffer
	if err := t.ExecuteTemplate(&head, "head", v); err != nil {
		return err
	}
	if err := t.ExecuteTemplate(&content, "content", v); err != nil {
		return err
	}
	c.f, c.captured = fragment{title: v.Title, head: head.Bytes(), content: content.Bytes()}, true
	return nil
}

// composedPage is the layout around a stored fragment: its "head" and
// "content" blocks print the fragment's bytes as they were rendered.
const composedPage = `{{define "head"}}{{.Data.Head}}{{end}}{{define "content"}}{{.Data.Content}}{{end}}`

type composedData struct{ Head, Content template.HTML }

// fragmentPage serves a cacheable page from its cached content fragment
// for the visitor's role, rendering only the layout for this request. On a
// miss, h renders the page with a capture in its context; anything but a
// captured 200 (a 404, a redirect, a page marked noStore) is passed to the
// client as it came and not stored.
func (s *Server) fragmentPage(pathVars []string, cp cachedPage, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Cache == nil || s.Config.PageCacheOff() || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			h.ServeHTTP(w, r)
			return
		}
		query, ok := pageQuery(r, pathVars, cp.query)
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		name := "content:" + visitorOf(r.Context()).Role.String() + ":" + r.URL.Path
		if query != "" {
			name += "?" + query
		}
		key := cache.Key{Name: name, Deps: append(cp.deps(r), cache.PageLayout()...)}
		data, err := s.Cache.GetOrLoad(r.Context(), key, pageTTL, func(ctx context.Context) ([]byte, error) {
			c := &fragmentCapture{}
			rec := &recorded{header: http.Header{}}
			h.ServeHTTP(rec, canonicalRequest(context.WithValue(ctx, captureKey{}, c), r, query))
			if !c.captured { // a 404, a redirect, a page marked noStore
				return nil, errUncacheable{rec}
			}
			return encodeFragment(c.f), nil
		})
		if err != nil {
			s.loadFailed(w, r, err)
			return
		}
		f, ok := decodeFragment(data)
		if !ok {
			h.ServeHTTP(w, r) // an entry this version cannot read: render it
			return
		}
		s.renderComposed(w, r, f)
	})
}

// renderComposed writes the layout around f for this request's visitor.
func (s *Server) renderComposed(w http.ResponseWriter, r *http.Request, f fragment) {
	s.renderTemplate(w, r, http.StatusOK, "a cached fragment", s.tmpl.composed, f.title,
		composedData{Head: template.HTML(f.head), Content: template.HTML(f.content)})
}

// encodeFragment is three length-prefixed fields: title, head, content.
func encodeFragment(f fragment) []byte {
	var b []byte
	for _, part := range [][]byte{[]byte(f.title), f.head, f.content} {
		b = binary.AppendUvarint(b, uint64(len(part)))
		b = append(b, part...)
	}
	return b
}

func decodeFragment(b []byte) (fragment, bool) {
	var parts [3][]byte
	for i := range parts {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return fragment{}, false
		}
		parts[i], b = b[k:k+int(n)], b[k+int(n):]
	}
	return fragment{title: string(parts[0]), head: parts[1], content: parts[2]}, len(b) == 0
}
