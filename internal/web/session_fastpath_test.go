package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// TestAnonymousGETsAnswerAsWithAnUnknownSession: a GET without a session
// cookie skips scs (sessionLayer's shortcut), one with a token naming no
// session goes through it and gets a fresh empty session. On every GET route
// of the table, at real demo rows, both must answer alike: status, body and
// every header but the per-request ones (the unknown token costs a query).
func TestAnonymousGETsAnswerAsWithAnUnknownSession(t *testing.T) {
	site := newAcctSite(t)
	real := realPaths(t, site)
	h := site.Web.Handler()
	perRequest := map[string]bool{"X-Request-Id": true, "Server-Timing": true, "X-Execution-Time": true,
		"X-Db-Query-Count": true}
	get := func(method, path, cookie string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, nil)
		r.RemoteAddr = "192.0.2.9:1234"
		r.Header.Set("Accept-Encoding", "gzip")
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}
	compared := 0
	for _, c := range routeCases {
		if !strings.HasPrefix(c.pattern, "GET ") || strings.HasSuffix(c.pattern, "/live/events") {
			continue // an event stream never ends
		}
		path := walkPath(c, real, 1)
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			fast, scs := get(method, path, ""), get(method, path, "sabc_session=no-such-session-token")
			var bodies [2]string
			for i, rec := range []*httptest.ResponseRecorder{fast, scs} {
				bodies[i] = plainBody(t, rec)
				for k := range perRequest {
					rec.Header().Del(k)
				}
			}
			if fast.Code != scs.Code {
				t.Errorf("%s %s: %d without a cookie, %d with an unknown session", method, path, fast.Code, scs.Code)
			}
			for k := range mergeKeys(fast.Header(), scs.Header()) {
				if !reflect.DeepEqual(fast.Header()[k], scs.Header()[k]) {
					t.Errorf("%s %s: %s is %q without a cookie, %q with an unknown session", method, path, k,
						fast.Header()[k], scs.Header()[k])
				}
			}
			if bodies[0] != bodies[1] && path != "/health/" { // the health detail times its checks
				t.Errorf("%s %s: bodies differ:\n%s\n---\n%s", method, path, bodies[0], bodies[1])
			}
			if !sessionlessPath(path) && !strings.Contains(strings.Join(fast.Header().Values("Vary"), ","), "Cookie") {
				t.Errorf("%s %s: Vary %q lacks Cookie", method, path, fast.Header().Values("Vary"))
			}
			compared++
		}
	}
	if compared < 40 {
		t.Errorf("only %d GET/HEAD routes compared", compared)
	}
}

func mergeKeys(a, b http.Header) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// plainBody is rec's body, gunzipped, with its request id (error pages show
// it) replaced by a placeholder.
func plainBody(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" && len(body) > 0 {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	if id := rec.Header().Get("X-Request-Id"); id != "" {
		body = bytes.ReplaceAll(body, []byte(id), []byte("{request id}"))
	}
	return string(body)
}

// sessionlessPath: the paths sessionLayer never loads a session for.
func sessionlessPath(p string) bool {
	for _, prefix := range []string{"/static/", "/media/", "/health", "/metrics"} {
		if strings.HasPrefix(p, prefix) && p != "/health/" {
			return true
		}
	}
	return false
}
