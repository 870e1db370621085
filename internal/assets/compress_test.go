package assets

import (
	"bufio"
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func htmlHandler(body string, etag string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if etag != "" {
			w.Header().Set("ETag", etag)
		}
		w.Write([]byte(body))
	})
}

func TestCompress_DynamicHTMLAboveThreshold(t *testing.T) {
	big := "<!doctype html><title>Standings</title>" + strings.Repeat("<tr><td>Angler</td><td>12.45</td></tr>\n", 60)
	small := "<!doctype html><title>Hi</title><p>short page</p>"
	if len(big) <= 1024 || len(small) >= 1024 {
		t.Fatal("fixture sizes wrong")
	}
	cases := []struct {
		name, body, accept string
		gzipped            bool
	}{
		{"big page, gzip accepted", big, "gzip, deflate, br", true},
		{"small page stays plain", small, "gzip", false},
		{"big page, gzip not accepted", big, "deflate", false},
		{"big page, gzip refused", big, "gzip;q=0, br", false},
		{"big page, no header", big, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := get(Compress(htmlHandler(c.body, `"v1"`)), "GET", "/standings/2026/", "Accept-Encoding", c.accept)
			enc := w.Header().Get("Content-Encoding")
			if (enc == "gzip") != c.gzipped {
				t.Fatalf("Content-Encoding = %q, want gzipped=%v", enc, c.gzipped)
			}
			if !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary = %q", w.Header().Get("Vary"))
			}
			if got := decode(t, enc, w.Body.Bytes()); string(got) != c.body {
				t.Error("decoded body differs")
			}
			wantTag := `"v1"`
			if c.gzipped {
				wantTag = `W/"v1"` // compressed bytes must not share a strong tag
			}
			if got := w.Header().Get("ETag"); got != wantTag {
				t.Errorf("ETag = %q, want %q", got, wantTag)
			}
		})
	}
}

// TestCompress_StaticNotDoubleCompressed mounts the static handler behind
// Compress, as a router wrapping everything would.
func TestCompress_StaticNotDoubleCompressed(t *testing.T) {
	a, src := testAssets(t, "")
	direct := map[string]*httptest.ResponseRecorder{}
	for _, ae := range []string{"br", "gzip", "deflate"} {
		direct[ae] = get(a, "GET", a.Path("app.css"), "Accept-Encoding", ae)
	}
	h := Compress(a)
	for ae, d := range direct {
		w := get(h, "GET", a.Path("app.css"), "Accept-Encoding", ae)
		if w.Header().Get("Content-Encoding") != d.Header().Get("Content-Encoding") ||
			!bytes.Equal(w.Body.Bytes(), d.Body.Bytes()) {
			t.Errorf("%s: wrapped response differs from direct one", ae)
		}
		if w.Header().Get("ETag") != d.Header().Get("ETag") {
			t.Errorf("%s: ETag changed to %q", ae, w.Header().Get("ETag"))
		}
		if got := w.Header().Values("Vary"); len(got) != 1 {
			t.Errorf("%s: Vary = %q, want one Accept-Encoding", ae, got)
		}
		if !bytes.Equal(decode(t, w.Header().Get("Content-Encoding"), w.Body.Bytes()), src["app.css"]) {
			t.Errorf("%s: decoded body differs", ae)
		}
	}
	// Already-compressed types are not gzipped on the fly either.
	w := get(h, "GET", a.Path("pic.png"), "Accept-Encoding", "gzip")
	if w.Header().Get("Content-Encoding") != "" {
		t.Errorf("png gzipped on the fly")
	}
}

// TestCompress_EventStreamFlushesUnbuffered runs a real server: each event
// must reach the client before the handler writes the next one.
func TestCompress_EventStreamFlushesUnbuffered(t *testing.T) {
	next := make(chan struct{})
	srv := httptest.NewServer(Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		f, ok := w.(http.Flusher)
		if !ok {
			t.Error("ResponseWriter lost http.Flusher")
			return
		}
		for i := range 3 {
			w.Write([]byte("data: event " + string(rune('0'+i)) + "\n\n"))
			f.Flush()
			select {
			case <-next:
			case <-time.After(5 * time.Second):
				return
			}
		}
	})))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ce := resp.Header.Get("Content-Encoding"); ce != "" {
		t.Fatalf("event stream compressed: %q", ce)
	}
	br := bufio.NewReader(resp.Body)
	for i := range 3 {
		done := make(chan string, 1)
		go func() { line, _ := br.ReadString('\n'); br.ReadString('\n'); done <- line }()
		select {
		case line := <-done:
			if want := "data: event " + string(rune('0'+i)) + "\n"; line != want {
				t.Fatalf("event %d = %q, want %q", i, line, want)
			}
		case <-time.After(3 * time.Second):
			t.Fatalf("event %d not delivered: response is buffered", i)
		}
		next <- struct{}{}
	}
}

// TestCompress_FlushOnHTML checks a streamed page still flushes while gzipped.
func TestCompress_FlushOnHTML(t *testing.T) {
	h := Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(strings.Repeat("<p>head</p>", 200)))
		http.NewResponseController(w).Flush()
		w.Write([]byte("<p>tail</p>"))
	}))
	w := get(h, "GET", "/", "Accept-Encoding", "gzip")
	if !w.Flushed || w.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("flushed=%v encoding=%q", w.Flushed, w.Header().Get("Content-Encoding"))
	}
	if got := string(decode(t, "gzip", w.Body.Bytes())); !strings.HasSuffix(got, "<p>tail</p>") {
		t.Error("body truncated")
	}
}
