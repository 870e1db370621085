package media

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	p, st, _ := newLocal(t, Options{})
	res, err := p.Process(context.Background(), bytes.NewReader(encodePNG(t, quadrants(64, 48))))
	if err != nil {
		t.Fatal(err)
	}
	// A file that is in the store but not content-addressed must not be served.
	if err := st.Put(context.Background(), "evil.html", strings.NewReader("<script>alert(1)</script>")); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/media/", Handler(st)))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/media/" + res.Original.Key)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{
		"Content-Type":           "image/jpeg",
		"X-Content-Type-Options": "nosniff",
		"Cache-Control":          "public, max-age=31536000, immutable",
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if resp.StatusCode != 200 || resp.ContentLength != int64(res.Original.Size) {
		t.Errorf("status %d length %d", resp.StatusCode, resp.ContentLength)
	}

	req, _ := http.NewRequest("GET", srv.URL+"/media/"+res.Original.Key, nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	if r2, err := http.DefaultClient.Do(req); err != nil || r2.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET: %v %v", err, r2)
	} else {
		r2.Body.Close()
	}

	wrongPrefix := "00/00/" + strings.TrimPrefix(res.Original.Key, res.Original.Key[:6])
	for _, path := range []string{
		"evil.html", "../store.go", "%2e%2e/store.go", wrongPrefix,
		strings.TrimSuffix(res.Original.Key, ".jpg") + ".html",
		"00/00/" + strings.Repeat("0", 60) + "0000.jpg", // valid form, not stored
	} {
		r, err := http.Get(srv.URL + "/media/" + path)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, r.StatusCode)
		}
		if strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: a 404 must not be cached forever", path)
		}
	}

	r, err := http.Post(srv.URL+"/media/"+res.Original.Key, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST status %d", r.StatusCode)
	}
}

func TestHandler_NonSeekableStore(t *testing.T) {
	st := newMemStore()
	p, _ := NewPipeline(st, Options{})
	res, err := p.Process(context.Background(), bytes.NewReader(encodeJPEG(t, quadrants(32, 32))))
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	Handler(st).ServeHTTP(rec, httptest.NewRequest("GET", "/"+res.Avatar.Key, nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/jpeg" || rec.Body.Len() != res.Avatar.Size {
		t.Errorf("status %d type %q len %d", rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len())
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{10 << 20: "10 MB", 12_897_485: "12.3 MB", 1536: "1.5 KB", 12: "12 bytes"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
