package ratelimit

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

type userCtxKey struct{}

func testUserKey(ctx context.Context) string {
	s, _ := ctx.Value(userCtxKey{}).(string)
	return s
}

// harness wires Middleware around a handler that always answers 200.
type harness struct {
	h        http.Handler
	rejected []Class
}

func newHarness(t *testing.T, l Limiter, trusted []netip.Prefix) *harness {
	t.Helper()
	hs := &harness{}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	hs.h = Middleware(l, nil, trusted, testUserKey, func(_ *http.Request, c Class) {
		hs.rejected = append(hs.rejected, c)
	})(ok)
	return hs
}

func (hs *harness) do(method, path, remote, xff, user string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, nil)
	r.RemoteAddr = remote
	if xff != "" {
		r.Header.Set("X-Forwarded-For", xff)
	}
	if user != "" {
		r = r.WithContext(context.WithValue(r.Context(), userCtxKey{}, user))
	}
	w := httptest.NewRecorder()
	hs.h.ServeHTTP(w, r)
	return w
}

func memLimiter(t *testing.T) *Memory {
	t.Helper()
	m, err := NewMemory(MemoryConfig{Now: newFakeClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMiddleware_AllowsNThen429WithRetryAfter(t *testing.T) {
	hs := newHarness(t, memLimiter(t), nil)
	for i := range 5 {
		if w := hs.do("POST", "/login/", "192.0.2.1:1000", "", ""); w.Code != http.StatusOK {
			t.Fatalf("login %d: status %d", i+1, w.Code)
		}
	}
	w := hs.do("POST", "/login/", "192.0.2.1:1000", "", "")
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("6th login: status %d, want 429", w.Code)
	}
	if got := w.Header().Get("Retry-After"); got != "60" {
		t.Errorf("Retry-After = %q, want 60 (5 per 5 min refills one a minute)", got)
	}
	if body := w.Body.String(); !strings.Contains(body, "Too many requests — try again in 60 seconds") {
		t.Errorf("body = %q", body)
	}
	if len(hs.rejected) != 1 || hs.rejected[0] != Login {
		t.Errorf("onReject calls = %v, want [login]", hs.rejected)
	}
	// Pages have their own, separate budget.
	if w := hs.do("GET", "/", "192.0.2.1:1000", "", ""); w.Code != http.StatusOK {
		t.Errorf("page after login limit: %d", w.Code)
	}
}

func TestMiddleware_HTMLRejectionForBrowsers(t *testing.T) {
	hs := newHarness(t, memLimiter(t), nil)
	var w *httptest.ResponseRecorder
	for range 4 {
		r := httptest.NewRequest("POST", "/register/", nil)
		r.RemoteAddr = "192.0.2.1:1"
		r.Header.Set("Accept", "text/html,application/xhtml+xml")
		w = httptest.NewRecorder()
		hs.h.ServeHTTP(w, r)
	}
	if w.Code != http.StatusTooManyRequests || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q", w.Code, w.Header().Get("Content-Type"))
	}
	if secs, _ := strconv.Atoi(w.Header().Get("Retry-After")); secs != 200 {
		t.Errorf("Retry-After = %d, want 200", secs)
	}
}

func TestMiddleware_SpoofedXFFFromUntrustedPeerDoesNotChangeKey(t *testing.T) {
	trusted, _ := ParseTrusted("10.0.0.0/8")
	hs := newHarness(t, memLimiter(t), trusted)
	for i := range 5 {
		xff := "198.51.100." + strconv.Itoa(i) // a new "client" each time
		if w := hs.do("POST", "/login", "203.0.113.9:5555", xff, ""); w.Code != http.StatusOK {
			t.Fatalf("login %d: %d", i+1, w.Code)
		}
	}
	for _, xff := range []string{"198.51.100.77", "10.0.0.1", "203.0.113.10", "garbage", ""} {
		if w := hs.do("POST", "/login", "203.0.113.9:5555", xff, ""); w.Code != http.StatusTooManyRequests {
			t.Errorf("XFF %q reset the limit: status %d", xff, w.Code)
		}
	}
}

func TestMiddleware_TrustedProxyUsesForwardedClient(t *testing.T) {
	trusted, _ := ParseTrusted("10.0.0.0/8")
	hs := newHarness(t, memLimiter(t), trusted)
	for range 5 {
		hs.do("POST", "/login", "10.0.0.2:80", "198.51.100.1", "")
	}
	if w := hs.do("POST", "/login", "10.0.0.2:80", "198.51.100.1", ""); w.Code != http.StatusTooManyRequests {
		t.Fatalf("client behind proxy not limited: %d", w.Code)
	}
	// A different client behind the same proxy has its own budget…
	if w := hs.do("POST", "/login", "10.0.0.2:80", "198.51.100.2", ""); w.Code != http.StatusOK {
		t.Fatalf("other client behind proxy limited: %d", w.Code)
	}
	// …and the limited client cannot escape by prepending a fake hop.
	if w := hs.do("POST", "/login", "10.0.0.3:80", "1.2.3.4, 198.51.100.1", ""); w.Code != http.StatusTooManyRequests {
		t.Fatalf("prepended fake hop escaped the limit: %d", w.Code)
	}
}

func TestMiddleware_AccountKeyedAcrossAddresses(t *testing.T) {
	hs := newHarness(t, memLimiter(t), nil)
	for i := range 20 {
		remote := "192.0.2." + strconv.Itoa(i+1) + ":1"
		if w := hs.do("POST", "/results/1/", remote, "", "user-7"); w.Code != http.StatusOK {
			t.Fatalf("post %d: %d", i+1, w.Code)
		}
	}
	if w := hs.do("POST", "/results/1/", "192.0.2.99:1", "", "user-7"); w.Code != http.StatusTooManyRequests {
		t.Fatalf("account not limited across addresses: %d", w.Code)
	}
	if w := hs.do("POST", "/results/1/", "192.0.2.99:1", "", "user-8"); w.Code != http.StatusOK {
		t.Fatalf("other account on a fresh address limited: %d", w.Code)
	}
}

func TestMiddleware_HealthAndStaticExempt(t *testing.T) {
	hs := newHarness(t, memLimiter(t), nil)
	for range 200 {
		for _, p := range []string{"/health/", "/health/readiness/", "/static/app.3f2a9c1d.css"} {
			if w := hs.do("GET", p, "192.0.2.1:1", "", ""); w.Code != http.StatusOK {
				t.Fatalf("%s limited: %d", p, w.Code)
			}
		}
	}
	for range 60 {
		hs.do("GET", "/", "192.0.2.1:1", "", "")
	}
	if w := hs.do("GET", "/", "192.0.2.1:1", "", ""); w.Code != http.StatusTooManyRequests {
		t.Fatalf("61st page: %d", w.Code)
	}
	if w := hs.do("GET", "/health/liveness/", "192.0.2.1:1", "", ""); w.Code != http.StatusOK {
		t.Fatalf("health limited once pages are: %d", w.Code)
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		method, path string
		want         Class
	}{
		{"GET", "/health/", Exempt},
		{"GET", "/health", Exempt},
		{"POST", "/health/readiness/", Exempt},
		{"GET", "/static/app.css", Exempt},
		{"GET", "/healthy-lakes/", Page},
		{"GET", "/login/", Page},
		{"POST", "/login", Login},
		{"POST", "/login/", Login},
		{"POST", "/account/login/", Login},
		{"POST", "/register/", Register},
		{"POST", "/password-reset/", PasswordReset},
		{"POST", "/password-reset/abc123/", PasswordReset},
		{"POST", "/anglers/4/photo/", Upload},
		{"POST", "/gallery/upload/", Upload},
		{"POST", "/admin/import/results/", Upload},
		{"PUT", "/news/3/photos/", Upload},
		{"POST", "/tournaments/9/results/", Post},
		{"DELETE", "/news/3/", Post},
		{"PATCH", "/polls/1/", Post},
		{"GET", "/tournaments/9/", Page},
		{"HEAD", "/", Page},
	}
	for _, c := range cases {
		r := httptest.NewRequest(c.method, c.path, nil)
		if got := Classify(r); got != c.want {
			t.Errorf("%s %s = %s, want %s", c.method, c.path, got, c.want)
		}
	}
}
