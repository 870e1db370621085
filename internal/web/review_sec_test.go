package web_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sabc/internal/cache"
	"sabc/internal/config"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

// An officer may edit members' profiles, but not an admin's: changing the
// admin's email and then asking for a password reset would hand the officer
// the admin account. The admin's email must stay as it was.
func TestProfileEdit_OfficerCannotTakeOverAnAdmin(t *testing.T) {
	site := newAcctSite(t)
	admin := acctPerson(t, site.Store, demo.AdminEmail)
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	base := site.URL + "/anglers/" + strconv.FormatInt(admin.ID, 10)
	if r := acctGet(t, officer, base+"/edit/"); r.status != http.StatusForbidden {
		t.Errorf("officer opens the admin's profile form: %d, want 403", r.status)
	}
	r := acctPost(t, officer, base+"/edit/", url.Values{"first_name": {admin.FirstName},
		"last_name": {admin.LastName}, "email": {"officer.owns.this@example.org"}})
	if r.status != http.StatusForbidden {
		t.Errorf("officer saves the admin's profile: %d, want 403", r.status)
	}
	if got := acctPerson(t, site.Store, demo.AdminEmail); got.ID != admin.ID {
		t.Fatalf("the admin's email was changed")
	}
	// An admin still edits another admin, and an officer still edits a member.
	adminClient := acctLogin(t, site.Site, demo.AdminEmail, demo.Password)
	member := acctPerson(t, site.Store, demo.MemberEmail)
	if r := acctGet(t, officer, site.URL+"/anglers/"+strconv.FormatInt(member.ID, 10)+"/edit/"); r.status != http.StatusOK {
		t.Errorf("officer opens a member's profile: %d, want 200", r.status)
	}
	if r := acctGet(t, adminClient, base+"/edit/"); r.status != http.StatusOK {
		t.Errorf("admin opens their own profile: %d, want 200", r.status)
	}
}

// bcrypt refuses passwords over 72 bytes; the policy must say so instead
// of the site answering 500.
func TestRegister_OverlongPasswordIsAFormError(t *testing.T) {
	site := newAcctSite(t)
	pw := strings.Repeat("bass boat trailer ", 5) // 90 bytes
	r := acctPost(t, site.Client(), site.URL+"/register/",
		acctRegistration("Lenny", "Longpass", "lenny@example.org", "", pw))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "at most 72") {
		t.Errorf("90-byte password: %d, want 422 with a length message\n%s", r.status, acctExcerpt(r.body))
	}
}

// A reset link mailed before a password change must not work after it:
// the change may be exactly the owner's response to a stolen mailbox.
func TestPasswordReset_LinkDiesWhenThePasswordIsChanged(t *testing.T) {
	site := newAcctSite(t)
	path := requestReset(t, site, demo.MemberEmail)
	c := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	r := acctPost(t, c, site.URL+"/account/password/", url.Values{"current_password": {demo.Password},
		"password": {"jig and pig in winter"}, "password_confirm": {"jig and pig in winter"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if r := acctGet(t, site.Client(), site.URL+path); r.status != http.StatusNotFound {
		t.Errorf("reset link after a password change: %d, want 404", r.status)
	}
}

// A reset link mailed to the old address must not work once the account's
// email has been changed.
func TestPasswordReset_LinkDiesWhenTheEmailIsChanged(t *testing.T) {
	site := newAcctSite(t)
	path := requestReset(t, site, demo.MemberEmail)
	me := acctPerson(t, site.Store, demo.MemberEmail)
	c := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	edit := "/anglers/" + strconv.FormatInt(me.ID, 10) + "/edit/"
	form := pageForm(t, c, site.URL+edit, edit)
	form.Set("email", "new.address@example.org")
	form.Set("current_password", demo.Password)
	r := acctPost(t, c, site.URL+edit, form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("profile save: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if r := acctGet(t, site.Client(), site.URL+path); r.status != http.StatusNotFound {
		t.Errorf("reset link after an email change: %d, want 404", r.status)
	}
}

// In production without SABC_BASE_URL no reset link can be mailed; the
// answer must then be the same for known and unknown emails, or the error
// itself tells which addresses have accounts.
func TestPasswordReset_NoBaseURLAnswersAlikeForUnknownEmail(t *testing.T) {
	site := newAcctSite(t, func(d *web.Deps) { d.Config.Env = "production"; d.Config.BaseURL = "" })
	known := acctPost(t, site.Client(), site.URL+"/password-reset/", url.Values{"email": {demo.MemberEmail}})
	unknown := acctPost(t, site.Client(), site.URL+"/password-reset/", url.Values{"email": {"nobody@example.org"}})
	if known.status != unknown.status {
		t.Errorf("known email: %d, unknown email: %d — the answers must not differ", known.status, unknown.status)
	}
}

// The 500 page after a panic carries the same security headers as every
// other answer (the recover layer drops the failed page's headers).
func TestPanicPageHasSecurityHeaders(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true})
	h := site.Web.WithMiddleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, _ := get(t, srv.Client(), srv.URL+"/explode")
	if resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", resp.StatusCode)
	}
	for _, k := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if resp.Header.Get(k) == "" {
			t.Errorf("the panic page lacks %s", k)
		}
	}
}

// Production runs behind a TLS-terminating proxy (the session cookie is
// Secure there for that reason), so HSTS must not depend on r.TLS alone.
func TestHSTSWhenServedOverHTTPS(t *testing.T) {
	site := newAcctSite(t, func(d *web.Deps) { d.Config.BaseURL = "https://sabc.example" })
	if r := acctGet(t, site.Client(), site.URL+"/login/"); !strings.Contains(r.header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("https site: Strict-Transport-Security = %q", r.header.Get("Strict-Transport-Security"))
	}
	dev := newAcctSite(t)
	if r := acctGet(t, dev.Client(), dev.URL+"/login/"); r.header.Get("Strict-Transport-Security") != "" {
		t.Errorf("plain http development site sends HSTS")
	}
}

// A members-only page asked for anonymously sends the visitor to log in and
// then back to the whole address, query included.
func TestLoginRedirectKeepsTheWholeQuery(t *testing.T) {
	site := newAcctSite(t)
	r := acctGet(t, site.Client(), site.URL+"/roster/?q=a%26b&x=1")
	loc, err := url.Parse(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || err != nil || loc.Path != "/login/" {
		t.Fatalf("anonymous roster: %d to %q", r.status, r.header.Get("Location"))
	}
	if got, want := loc.Query().Get("next"), "/roster/?q=a%26b&x=1"; got != want {
		t.Errorf("next = %q, want %q", got, want)
	}
}

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// A reset link's token is a credential for an hour: a refused cross-site
// post to it must not write it into the log.
func TestCrossSiteRefusalDoesNotLogTheResetToken(t *testing.T) {
	var logs syncBuffer
	site := newAcctSite(t, func(d *web.Deps) { d.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	path := requestReset(t, site, demo.MemberEmail)
	token := strings.Split(path, "/")[2]
	req, _ := http.NewRequest(http.MethodPost, site.URL+path, strings.NewReader("password=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := acctDo(t, site.Client(), req); r.status != http.StatusForbidden {
		t.Fatalf("cross-site post: %d, want 403", r.status)
	}
	if !strings.Contains(logs.String(), "cross-origin request refused") {
		t.Fatal("the refusal was not logged")
	}
	if strings.Contains(logs.String(), token) {
		t.Errorf("the log holds the reset token %q", token)
	}
}

// Finding 6 of issue 14: a session alone cannot move one's email (the
// address a password reset trusts). Without the current password, or with a
// wrong one, the email stays; with it, it moves, the old address is told and
// the change is audited.
func TestProfileEdit_OwnEmailChangeNeedsThePasswordAndTellsTheOldAddress(t *testing.T) {
	site := newAcctSite(t)
	me := acctPerson(t, site.Store, demo.MemberEmail)
	c := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	edit := "/anglers/" + strconv.FormatInt(me.ID, 10) + "/edit/"
	path := site.URL + edit
	form := func(pw string) url.Values {
		f := pageForm(t, c, path, edit)
		f.Set("email", "taken.over@example.org")
		f.Set("current_password", pw)
		return f
	}
	for pw, msg := range map[string]string{"": "Enter your current password to change your email.",
		"not my password": "That is not your current password."} {
		r := acctPost(t, c, path, form(pw))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, msg) {
			t.Errorf("password %q: %d, want 422 saying %q\n%s", pw, r.status, msg, acctExcerpt(r.body))
		}
		if got := acctPerson(t, site.Store, demo.MemberEmail); got.Email != demo.MemberEmail {
			t.Fatalf("email moved to %s without the password", got.Email)
		}
	}
	if n := len(site.mail.Sent()); n != 0 {
		t.Errorf("%d mails sent for refused changes", n)
	}
	if r := acctPost(t, c, path, form(demo.Password)); r.status != http.StatusSeeOther {
		t.Fatalf("with the password: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if got := acctPerson(t, site.Store, "taken.over@example.org"); got.ID != me.ID {
		t.Fatalf("email not moved: %+v", got)
	}
	sent := site.mail.Sent()
	if len(sent) != 1 || sent[0].To[0] != demo.MemberEmail || !strings.Contains(sent[0].Text, "taken.over@example.org") {
		t.Errorf("mails %+v, want one to the old address naming the new one", sent)
	}
	assertEmailAudit(t, site.Store, me.ID, me.ID, demo.MemberEmail, "taken.over@example.org")
}

// An officer may change a member's email without the member's password,
// but not silently: both addresses are told and the change is audited with
// the officer as actor.
func TestProfileEdit_OfficerEmailChangeIsAuditedAndTellsBothAddresses(t *testing.T) {
	site := newAcctSite(t)
	member := acctPerson(t, site.Store, demo.MemberEmail)
	officer := acctPerson(t, site.Store, demo.OfficerEmail)
	c := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	edit := "/anglers/" + strconv.FormatInt(member.ID, 10) + "/edit/"
	form := pageForm(t, c, site.URL+edit, edit)
	form.Set("email", "member.new@example.org")
	if r := acctPost(t, c, site.URL+edit, form); r.status != http.StatusSeeOther {
		t.Fatalf("officer save: %d\n%s", r.status, acctExcerpt(r.body))
	}
	var to []string
	for _, m := range site.mail.Sent() {
		if !strings.Contains(m.Text, officer.Name()) {
			t.Errorf("notice does not name the officer: %q", m.Text)
		}
		to = append(to, m.To...)
	}
	if strings.Join(to, ",") != demo.MemberEmail+",member.new@example.org" {
		t.Errorf("notices went to %v, want the old and the new address", to)
	}
	assertEmailAudit(t, site.Store, member.ID, officer.ID, demo.MemberEmail, "member.new@example.org")
}

func assertEmailAudit(t *testing.T, st *store.Store, personID, actorID int64, before, after string) {
	t.Helper()
	var actor int64
	var b, a string
	err := st.DB().QueryRow(`SELECT actor_id, before_json, after_json FROM audit_entries
		WHERE person_id = $1 AND action = 'email'`, personID).Scan(&actor, &b, &a)
	if err != nil {
		t.Fatalf("no email audit entry: %v", err)
	}
	if actor != actorID || !strings.Contains(b, before) || !strings.Contains(a, after) {
		t.Errorf("audit actor %d %s -> %s, want actor %d %s -> %s", actor, b, a, actorID, before, after)
	}
}

// Finding 11 of issue 14: an admin session unlocks the /health/ detail (the
// check messages), as the metrics token does; anonymous callers still get
// statuses only.
func TestHealthDetail_AdminSessionSeesMessages(t *testing.T) {
	site := newAcctSite(t, func(d *web.Deps) {
		c, err := cache.New(cache.Options{RedisURL: "redis://127.0.0.1:1/0", Logger: d.Logger})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		d.Cache = c
	})
	message := regexp.MustCompile(`"message": "[^"]+"`)
	if r := acctGet(t, site.Client(), site.URL+"/health/"); message.MatchString(r.body) {
		t.Errorf("anonymous /health/ shows messages:\n%s", r.body)
	}
	for _, email := range []string{demo.OfficerEmail, demo.AdminEmail} {
		r := acctGet(t, acctLogin(t, site.Site, email, demo.Password), site.URL+"/health/")
		if got, want := message.MatchString(r.body), email == demo.AdminEmail; got != want {
			t.Errorf("%s: messages shown %v, want %v\n%s", email, got, want, r.body)
		}
	}
}

// Pages with personal data are never stored by any cache (the browser's
// included): a logged-in member's roster and profile editor, an officer's
// dashboard, and the anonymous reset-token page, whose URL is the secret.
func TestPersonalPagesAreNoStore(t *testing.T) {
	site := newAcctSite(t)
	path := requestReset(t, site, demo.MemberEmail)
	if r := acctGet(t, site.Client(), site.URL+path); r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("reset-token page: %d Cache-Control %q, want 200 no-store", r.status, r.header.Get("Cache-Control"))
	}
	me := acctPerson(t, site.Store, demo.MemberEmail)
	member := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	for c, paths := range map[*http.Client][]string{
		member:  {"/roster/", "/anglers/" + strconv.FormatInt(me.ID, 10) + "/edit/", "/anglers/" + strconv.FormatInt(me.ID, 10) + "/"},
		officer: {"/admin/"},
	} {
		for _, p := range paths {
			if r := acctGet(t, c, site.URL+p); r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: %d Cache-Control %q, want 200 no-store", p, r.status, r.header.Get("Cache-Control"))
			}
		}
	}
}

// The Authorization scheme is case-insensitive (RFC 9110 §11.1): "bearer"
// works for the metrics token and for a personal API token.
func TestBearerSchemeIsCaseInsensitive(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Config: func(c *config.Config) { c.MetricsToken = "s3cret" }})
	for _, scheme := range []string{"bearer", "BEARER", "Bearer"} {
		req, _ := http.NewRequest(http.MethodGet, site.URL+"/metrics", nil)
		req.Header.Set("Authorization", scheme+" s3cret")
		if r := acctDo(t, site.Client(), req); r.status != http.StatusOK {
			t.Errorf("/metrics with %q: %d, want 200", scheme, r.status)
		}
	}
	token := officerToken(t, site)
	req, _ := http.NewRequest(http.MethodPut, site.URL+"/api/v1/tournaments/1/results/1", strings.NewReader("{"))
	req.Header.Set("Authorization", "bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "scheme-case")
	if r := acctDo(t, site.Client(), req); r.status == http.StatusUnauthorized || r.status == http.StatusForbidden {
		t.Errorf("API with a lower-case scheme: %d, want the token accepted", r.status)
	}
}

// Finding 13 of issue 14: without SABC_BASE_URL in development, absolute
// links come from SABC_ADDR, never from the request's Host header — not in
// a mailed reset link, not in the publicly cached calendar feed.
func TestAbsoluteLinksIgnoreTheHostHeader(t *testing.T) {
	site := newAcctSite(t, func(d *web.Deps) { d.Config.BaseURL = ""; d.Config.Addr = "0.0.0.0:8123" })
	const want = "http://localhost:8123/"
	n := len(site.mail.Sent())
	req, _ := http.NewRequest(http.MethodPost, site.URL+"/password-reset/",
		strings.NewReader(url.Values{"email": {demo.MemberEmail}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Host = "evil.example"
	if r := acctDo(t, site.Client(), req); r.status != http.StatusOK {
		t.Fatalf("reset request: %d", r.status)
	}
	for deadline := time.Now().Add(5 * time.Second); len(site.mail.Sent()) == n && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	sent := site.mail.Sent()
	if len(sent) == n {
		t.Fatal("no reset mail")
	}
	if link := resetLink.FindString(sent[len(sent)-1].Text); !strings.HasPrefix(link, want+"password-reset/") {
		t.Errorf("reset link %q, want it under %s", link, want)
	}
	req, _ = http.NewRequest(http.MethodGet, site.URL+"/calendar.ics", nil)
	req.Host = "evil.example"
	r := acctDo(t, site.Client(), req)
	if r.status != http.StatusOK || strings.Contains(r.body, "evil.example") || !strings.Contains(r.body, "localhost:8123") {
		t.Errorf("calendar feed %d: Host header used or SABC_ADDR missing\n%.600s", r.status, r.body)
	}
}
