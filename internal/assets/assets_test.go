package assets

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"

	"sabc/internal/assets/build"
)

// TestDistIsCurrent fails when static/ changed without `go generate
// ./internal/assets`: the checked-in dist/ must be exactly what the
// generator would write now.
func TestDistIsCurrent(t *testing.T) {
	want, err := build.Generate(os.DirFS("static"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	err = fs.WalkDir(embedded, "dist", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := embedded.ReadFile(p)
		got[strings.TrimPrefix(p, "dist/")] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	const hint = "dist/ is stale: run `go generate ./internal/assets` and commit dist/"
	for name, b := range want {
		g, ok := got[name]
		if !ok {
			t.Errorf("%s missing from dist/; %s", name, hint)
		} else if !bytes.Equal(g, b) {
			t.Errorf("%s differs from a fresh build; %s", name, hint)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s in dist/ is not produced by the build any more; %s", name, hint)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, err := build.Generate(os.DirFS("static"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := build.Generate(os.DirFS("static"))
	if len(a) != len(b) {
		t.Fatal("file sets differ")
	}
	for n := range a {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("%s differs between two runs", n)
		}
	}
}

func TestFingerprintChangesWithContent(t *testing.T) {
	src, err := os.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	before := build.FingerprintedName("app.css", src)
	after := build.FingerprintedName("app.css", append(bytes.Clone(src), []byte("\nbody{color:red}\n")...))
	if !regexp.MustCompile(`^app\.[0-9a-f]{8}\.css$`).MatchString(before) {
		t.Fatalf("fingerprinted name %q has the wrong shape", before)
	}
	if before == after {
		t.Errorf("fingerprint unchanged after content change: %s", before)
	}
	if got := build.FingerprintedName("css/x.min.js", src); !strings.HasPrefix(got, "css/x.min.") || !strings.HasSuffix(got, ".js") {
		t.Errorf("nested name = %q", got)
	}
}

// testAssets builds a tree large enough that every encoding is worth it.
func testAssets(t *testing.T, base string) (*Assets, map[string][]byte) {
	t.Helper()
	src := fstest.MapFS{
		"app.css":  {Data: bytes.Repeat([]byte("body { color: #123456; margin: 0 }\n"), 50)},
		"app.js":   {Data: bytes.Repeat([]byte("console.log('sabc');\n"), 50)},
		"logo.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><circle r="3"/></svg>`)},
		"pic.png":  {Data: []byte("\x89PNG\r\n\x1a\nnot really a png")},
	}
	files, err := build.Generate(src)
	if err != nil {
		t.Fatal(err)
	}
	dist := fstest.MapFS{}
	for n, b := range files {
		dist[n] = &fstest.MapFile{Data: b}
	}
	a, err := New(dist, base)
	if err != nil {
		t.Fatal(err)
	}
	srcBytes := map[string][]byte{}
	for n, f := range src {
		srcBytes[n] = f.Data
	}
	return a, srcBytes
}

func get(h http.Handler, method, path string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func decode(t *testing.T, enc string, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch enc {
	case "":
		return b
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	default:
		t.Fatalf("unexpected encoding %q", enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestHandler_ContentNegotiation(t *testing.T) {
	a, src := testAssets(t, "")
	cases := []struct{ accept, want string }{
		{"br;q=1, gzip;q=0.5", "br"},
		{"gzip, deflate, br", "br"},
		{"gzip;q=1, br;q=0.8", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"gzip", "gzip"},
		{"x-gzip", "gzip"},
		{"deflate", ""},
		{"", ""},
		{"identity", ""},
		{"identity, gzip;q=0.5", ""},
		{"*", "br"},
		{"*;q=0.5, gzip", "gzip"},
		{"br;q=0, gzip;q=0, *;q=0", ""},
		{"identity;q=0", ""},
		{"br;q=bogus, gzip", "gzip"},
	}
	for _, c := range cases {
		t.Run(c.accept, func(t *testing.T) {
			w := get(a, "GET", a.Path("app.css"), "Accept-Encoding", c.accept)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			if got := w.Header().Get("Content-Encoding"); got != c.want {
				t.Fatalf("Content-Encoding = %q, want %q", got, c.want)
			}
			if !bytes.Equal(decode(t, c.want, w.Body.Bytes()), src["app.css"]) {
				t.Error("decoded body differs from the source")
			}
			h := w.Header()
			if h.Get("Vary") != "Accept-Encoding" || h.Get("Cache-Control") != Immutable ||
				h.Get("Content-Type") != "text/css; charset=utf-8" {
				t.Errorf("headers: %v", h)
			}
			if et := h.Get("ETag"); !regexp.MustCompile(`^"[0-9a-f]{32}"$`).MatchString(et) {
				t.Errorf("ETag %q is not a quoted strong tag", et)
			}
		})
	}
}

func TestHandler_ETagPerVariantAnd304(t *testing.T) {
	a, _ := testAssets(t, "")
	p := a.Path("app.js")
	tags := map[string]string{}
	for _, ae := range []string{"br", "gzip", ""} {
		w := get(a, "GET", p, "Accept-Encoding", ae)
		tags[ae] = w.Header().Get("ETag")
		nm := get(a, "GET", p, "Accept-Encoding", ae, "If-None-Match", tags[ae])
		if nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
			t.Errorf("%q: If-None-Match own ETag: %d, %d bytes", ae, nm.Code, nm.Body.Len())
		}
		if nm.Header().Get("ETag") != tags[ae] || nm.Header().Get("Cache-Control") != Immutable {
			t.Errorf("%q: 304 headers %v", ae, nm.Header())
		}
	}
	if tags["br"] == tags["gzip"] || tags["gzip"] == tags[""] || tags["br"] == tags[""] {
		t.Errorf("ETags not distinct per encoding: %v", tags)
	}
	// A different variant's tag must not produce 304 for this one.
	if w := get(a, "GET", p, "Accept-Encoding", "gzip", "If-None-Match", tags["br"]); w.Code != http.StatusOK {
		t.Errorf("foreign ETag gave %d", w.Code)
	}
	if w := get(a, "GET", p, "If-None-Match", `"x", `+tags[""]); w.Code != http.StatusNotModified {
		t.Errorf("ETag in a list gave %d", w.Code)
	}
}

func TestHandler_HEAD(t *testing.T) {
	a, src := testAssets(t, "")
	w := get(a, "HEAD", a.Path("app.css"))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("HEAD: %d, %d body bytes", w.Code, w.Body.Len())
	}
	if w.Header().Get("Content-Length") != strconv.Itoa(len(src["app.css"])) || w.Header().Get("ETag") == "" {
		t.Errorf("HEAD headers: %v", w.Header())
	}
	if w := get(a, "POST", a.Path("app.css")); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", w.Code)
	}
}

func TestHandler_UnknownStaleAndLogicalNames(t *testing.T) {
	a, _ := testAssets(t, "")
	cur := a.Path("app.css")
	for _, p := range []string{"/static/app.00000000.css", "/static/nope.css", "/static/", "/static/app.css.br", cur + ".gz", "/other/app.css"} {
		w := get(a, "GET", p, "Accept-Encoding", "br, gzip")
		if w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, w.Code)
		}
		if w.Header().Get("Cache-Control") == Immutable {
			t.Errorf("%s: 404 cached as immutable", p)
		}
	}
	w := get(a, "GET", "/static/app.css")
	if w.Code != http.StatusFound || w.Header().Get("Location") != cur {
		t.Errorf("logical name: %d → %q, want 302 → %q", w.Code, w.Header().Get("Location"), cur)
	}
	if cc := w.Header().Get("Cache-Control"); strings.Contains(cc, "immutable") || cc == "" {
		t.Errorf("redirect Cache-Control %q", cc)
	}
}

func TestHandler_IncompressibleServedAsIs(t *testing.T) {
	a, src := testAssets(t, "")
	w := get(a, "GET", a.Path("pic.png"), "Accept-Encoding", "br, gzip")
	if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "" || w.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("png: %d %v", w.Code, w.Header())
	}
	if !bytes.Equal(w.Body.Bytes(), src["pic.png"]) {
		t.Error("png body differs")
	}
}

func TestPath(t *testing.T) {
	a, _ := testAssets(t, "")
	if p := a.Path("app.css"); !regexp.MustCompile(`^/static/app\.[0-9a-f]{8}\.css$`).MatchString(p) {
		t.Errorf("Path = %q", p)
	}
	if _, ok := a.Lookup("missing.css"); ok {
		t.Error("Lookup found a missing name")
	}
	cdn, _ := testAssets(t, "https://cdn.example.com/")
	if p := cdn.Path("logo.svg"); !regexp.MustCompile(`^https://cdn\.example\.com/static/logo\.[0-9a-f]{8}\.svg$`).MatchString(p) {
		t.Errorf("CDN Path = %q", p)
	}
	for _, bad := range []string{"cdn.example.com", "ftp://cdn.example.com", "https://"} {
		if _, err := New(fstest.MapFS{}, bad); err == nil || !strings.Contains(err.Error(), "STATIC_BASE_URL") {
			t.Errorf("base %q: err %v", bad, err)
		}
	}
}

// TestDefault_EmbeddedAssetsServe checks the real embedded set end to end.
func TestDefault_EmbeddedAssetsServe(t *testing.T) {
	a, err := Default("")
	if err != nil {
		t.Fatal(err)
	}
	names := a.Names()
	entries, err := os.ReadDir("static")
	if err != nil {
		t.Fatal(err)
	}
	var want []string // every source file is embedded and served
	for _, e := range entries {
		want = append(want, e.Name())
	}
	if !sort.StringsAreSorted(names) || strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("Names = %v, want %v", names, want)
	}
	for _, n := range names {
		src, err := os.ReadFile("static/" + n)
		if err != nil {
			t.Fatal(err)
		}
		for _, ae := range []string{"br", "gzip", ""} {
			w := get(a, "GET", a.Path(n), "Accept-Encoding", ae)
			if w.Code != http.StatusOK || !bytes.Equal(decode(t, w.Header().Get("Content-Encoding"), w.Body.Bytes()), src) {
				t.Errorf("%s with %q: status %d or body mismatch", n, ae, w.Code)
			}
		}
	}
}

func TestNew_RejectsCorruptDist(t *testing.T) {
	files, err := build.Generate(fstest.MapFS{"a.css": {Data: []byte("a{}")}})
	if err != nil {
		t.Fatal(err)
	}
	dist := fstest.MapFS{}
	for n, b := range files {
		dist[n] = &fstest.MapFile{Data: b}
	}
	dist[build.FingerprintedName("a.css", []byte("a{}"))] = &fstest.MapFile{Data: []byte("b{}")}
	if _, err := New(dist, ""); err == nil {
		t.Error("tampered file accepted")
	}
}
