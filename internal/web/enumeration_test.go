package web_test

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"sabc/internal/demo"
)

// headerShape is the response headers an outsider could compare: names,
// and the values that could carry a count.
func headerShape(h http.Header) string {
	var names []string
	for k := range h {
		if k != "Date" && k != "X-Request-Id" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

// Login and reset answer a known and an unknown email alike: the same
// status, page and header names, and no header carries a query count (the
// development X-DB-Query-Count included; test sites run in development).
func TestAccountForms_KnownAndUnknownEmailLookTheSame(t *testing.T) {
	site := newAcctSite(t)
	cases := []struct {
		name, path string
		form       func(email string) url.Values
	}{
		{"login", "/login/", func(e string) url.Values { return url.Values{"email": {e}, "password": {"not the password"}} }},
		{"reset", "/password-reset/", func(e string) url.Values { return url.Values{"email": {e}} }},
	}
	for _, c := range cases {
		known := acctPost(t, site.Client(), site.URL+c.path, c.form(demo.MemberEmail))
		unknown := acctPost(t, site.Client(), site.URL+c.path, c.form("nobody-at-all@example.org"))
		for _, r := range []acctResp{known, unknown} {
			if st := r.header.Values("Server-Timing"); r.header.Get("X-DB-Query-Count") != "" ||
				strings.Contains(strings.Join(st, ","), "queries") || strings.Contains(strings.Join(st, ","), "db;") {
				t.Errorf("%s: headers tell the query count: Server-Timing %q, X-DB-Query-Count %q", c.name, st,
					r.header.Get("X-DB-Query-Count"))
			}
		}
		if known.status != unknown.status || headerShape(known.header) != headerShape(unknown.header) ||
			strings.ReplaceAll(known.body, demo.MemberEmail, "") != strings.ReplaceAll(unknown.body, "nobody-at-all@example.org", "") {
			t.Errorf("%s: known email %d [%s], unknown %d [%s]: want the same answer", c.name,
				known.status, headerShape(known.header), unknown.status, headerShape(unknown.header))
		}
	}
}
