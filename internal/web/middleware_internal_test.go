package web

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/alexedwards/scs/v2"
)

// TestSecurityHeadersAsSet: the one-allocation setSecurityHeaders writes
// exactly what a Header.Set per header writes, with and without TLS, and an
// Add to one of them leaves the others alone.
func TestSecurityHeadersAsSet(t *testing.T) {
	for _, c := range []struct {
		name           string
		tls, secureCfg bool
	}{{"plain http", false, false}, {"tls", true, false}, {"proxy tls", false, true}} {
		s := &Server{}
		s.acct.sessions = scs.New()
		s.acct.sessions.Cookie.Secure = c.secureCfg
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if c.tls {
			r.TLS = &tls.ConnectionState{}
		}
		got := http.Header{"Vary": {"Cookie"}}
		s.setSecurityHeaders(got, r)
		want := http.Header{"Vary": {"Cookie"}}
		want.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; "+
			"script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		want.Set("X-Content-Type-Options", "nosniff")
		want.Set("X-Frame-Options", "DENY")
		want.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		want.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if c.tls || c.secureCfg {
			want.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, want)
		}
		got.Add("X-Content-Type-Options", "x")
		if got.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: an Add to one header changed another: %q", c.name, got)
		}
	}
}
