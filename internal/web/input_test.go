package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sabc/internal/demo"
	"sabc/internal/testutil"
)

// beyondInt4 is one more than PostgreSQL's INTEGER holds: the type it gives
// a parameter compared with a literal (`$1 = 0`), so the query fails there.
const beyondInt4 = "2147483648"

// Ids out of the id range are no row: a path id answers 404, a filter is
// ignored (public lists) or named as wrong (the audit log) — never 500.
func TestIdsBeyondTheColumnRangeAnswer404OrAreRefused(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	officer := acctLogin(t, site, demo.OfficerEmail, demo.Password)
	admin := acctLogin(t, site, demo.AdminEmail, demo.Password)
	tid := scheduledTournament(t, site.Store).ID
	member, guest := acctPerson(t, site.Store, demo.MemberEmail), acctGuest(t, site.Store)
	saveFor(t, site.Store, tid, member.ID, 812) // a result to edit with a garbled version
	huge := beyondInt4
	for _, c := range []struct {
		path   string
		status int
	}{
		{"/admin/merge/?keep=" + huge + "&dup=2147483649&done=" + huge, 200},
		{"/tournaments/" + huge + "/", 404},
		{"/tournaments/" + huge + "/results.csv", 404},
		{"/tournaments/" + huge + "/boats.csv", 404},
		{"/tournaments/" + huge + "/live/", 404},
		{"/tournaments/" + huge + "/live/events", 404},
		{"/tournaments/" + huge + "/weigh-in/", 404},
		{"/anglers/" + huge + "/", 404},
		{"/anglers/" + huge + "/edit/", 404},
		{"/lakes/" + huge + "/", 404},
		{"/polls/" + huge + "/", 404},
		{"/tournaments/99999999999999999999/", 404},
		{"/api/v1/tournaments/" + huge + "/results", 404},
		{"/tournaments/?lake=" + huge, 200},
		{"/tournaments/?lake=-" + huge, 200},
		{fmt.Sprintf("/tournaments/%d/weigh-in/?person=%s&saved=%s", tid, huge, huge), 200},
		{"/admin/audit/?tournament=" + huge, 422},
		{"/admin/tournaments/" + huge + "/results/" + huge + "/", 404},
		{"/admin/members/?id=" + huge + "&notice=promoted", 200},
	} {
		who := officer
		if strings.HasPrefix(c.path, "/admin/merge/") {
			who = admin
		}
		if r := acctGet(t, who, site.URL+c.path); r.status != c.status {
			t.Errorf("GET %s: %d, want %d\n%s", c.path, r.status, c.status, acctExcerpt(r.body))
		}
	}
	weighIn := fmt.Sprintf("/tournaments/%d/weigh-in/", tid)
	for _, c := range []struct {
		path string
		form url.Values
	}{
		{weighIn + "delete/", url.Values{"person_id": {huge}, "version": {huge}}},
		{weighIn + "boats/delete/", url.Values{"boat_id": {huge}}},
		{weighIn + "boats/", url.Values{"boat_id": {huge}, "version": {huge}, "boat_a": {huge}}},
		{weighIn, url.Values{"angler": {huge}, "fish": {"1"}, "gross": {"3.00"}}},
		{"/account/api-tokens/" + huge + "/delete/", nil},
		{"/admin/members/" + huge + "/promote/", url.Values{"version": {huge}}},
		{fmt.Sprintf("/admin/members/%d/promote/", guest.ID), url.Values{"version": {huge}}},
		{fmt.Sprintf("/admin/tournaments/%d/results/%d/", tid, member.ID),
			url.Values{"version": {huge}, "reason": {"typo"}, "was_member": {"on"}}},
		{fmt.Sprintf("/admin/tournaments/%d/results/%d/delete/", tid, member.ID),
			url.Values{"version": {huge}, "delete_reason": {"typo"}, "confirm": {"on"}}},
		{"/polls/1/vote/", url.Values{"option": {huge}}},
	} {
		if r := acctPost(t, officer, site.URL+c.path, c.form); r.status >= 500 {
			t.Errorf("POST %s %v: %d, want a 3xx or 4xx answer\n%s", c.path, c.form, r.status, acctExcerpt(r.body))
		}
	}
	if r := acctPost(t, admin, site.URL+"/admin/merge/", url.Values{"keep": {huge}, "dup": {huge}}); r.status >= 500 {
		t.Errorf("POST /admin/merge/ with ids beyond the range: %d\n%s", r.status, acctExcerpt(r.body))
	}
}

// A value that is not UTF-8 text, or holds a NUL byte, cannot be stored or
// compared by PostgreSQL: forms and query strings carrying one answer 422
// naming the field, on every route, before any handler uses the value.
func TestFormAndQueryValuesTheDatabaseCannotStoreAnswer422NamingTheField(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	member := acctLogin(t, site, demo.MemberEmail, demo.Password)
	officer := acctLogin(t, site, demo.OfficerEmail, demo.Password)
	reg := acctRegistration("Bo\x00b", "Bass", "bob@example.org", "512-555-0100", "correct horse battery staple")
	for _, c := range []struct {
		client *http.Client
		method string
		path   string
		form   url.Values
		field  string
	}{
		{site.Client(), "POST", "/login/", url.Values{"email": {"\xffa@example.org"}, "password": {"x"}}, "email"},
		{site.Client(), "POST", "/login/", url.Values{"email": {"a\x00@example.org"}, "password": {"x"}}, "email"},
		{site.Client(), "POST", "/register/", reg, "first_name"},
		{site.Client(), "POST", "/password-reset/", url.Values{"email": {"\xc3(@example.org"}}, "email"},
		{officer, "POST", "/account/api-tokens/", url.Values{"name": {"bad\x00name"}}, "name"},
		{site.Client(), "GET", "/tournaments/?lake=%00", nil, "lake"},
		{member, "GET", "/roster/?q=%FF", nil, "q"},
		{officer, "GET", "/admin/audit/?kind=%FE%FF", nil, "kind"},
	} {
		var r acctResp
		if c.method == "GET" {
			r = acctGet(t, c.client, site.URL+c.path)
		} else {
			r = acctPost(t, c.client, site.URL+c.path, c.form)
		}
		want := "“" + c.field + "”"
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, want) {
			t.Errorf("%s %s %q: %d, want 422 naming %s\n%s", c.method, c.path, c.form, r.status, want, acctExcerpt(r.body))
		}
	}
}

// A path wildcard that is not text (a token, an error fingerprint holding
// bytes that are not UTF-8 or a NUL) names nothing: 404, not PostgreSQL's
// error.
func TestPathWildcardsThatAreNotTextAnswer404(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	officer := acctLogin(t, site, demo.OfficerEmail, demo.Password)
	for _, path := range []string{"/admin/errors/%FF/resolve/", "/admin/errors/a%00b/resolve/", "/password-reset/%FF%00/"} {
		if r := acctPost(t, officer, site.URL+path, nil); r.status != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404\n%s", path, r.status, acctExcerpt(r.body))
		}
	}
}

// The weigh-in API takes JSON, where "\u0000" is a NUL in a string and any
// number fits an int: a NUL in a reason, or a count beyond PostgreSQL's
// INTEGER, is refused with 422 naming the field.
func TestWeighInAPIRefusesNULAndNumbersBeyondTheColumnsWith422(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	token := officerToken(t, site)
	tr := scheduledTournament(t, site.Store)
	u := fmt.Sprintf("%s/api/v1/tournaments/%d/results/%d", site.URL, tr.ID, acctPerson(t, site.Store, demo.MemberEmail).ID)
	for i, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"fish": 3, "gross": "8.12", "dq": true, "dq_reason": "left\u0000early"}, "dq_reason"},
		{map[string]any{"fish": 3, "gross": "8.12", "other_penalty": "1.00", "other_penalty_reason": "\u0000"}, "other_penalty_reason"},
		{map[string]any{"fish": 2147483648, "gross": "8.12"}, "fish"},
		{map[string]any{"fish": 3, "gross": "8.12", "late_minutes": 2147483648}, "late_minutes"},
	} {
		r := apiCall(t, site.Client(), http.MethodPut, u, token, fmt.Sprintf("bad-input-%d", i), c.body)
		var e struct {
			Errors map[string]string `json:"errors"`
		}
		if r.status == http.StatusUnprocessableEntity {
			r.json(t, &e)
		}
		if _, named := e.Errors[c.field]; r.status != http.StatusUnprocessableEntity || !named {
			t.Errorf("PUT %v: %d %s, want 422 naming %s", c.body, r.status, r.body, c.field)
		}
	}
}
