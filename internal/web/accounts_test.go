package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"golang.org/x/net/html"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/mail"
	"sabc/internal/ratelimit"
	"sabc/internal/store"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

// ---- helpers shared by the account, role and security tests ----

// acctSite is a demo site for account tests: cheap bcrypt, a recording
// mailer, a settable clock and rate limits high enough that only the
// behaviour under test (lockout, a specific limit) can refuse a request.
type acctSite struct {
	*testutil.Site
	mail  *mail.Recorder
	clock *testutil.Clock
}

func newAcctSite(t *testing.T, adjust ...func(*web.Deps)) *acctSite {
	t.Helper()
	return newAcctSiteAt(t, testutil.Now, adjust...)
}

// newAcctSiteAt is newAcctSite with its clock stopped at now.
func newAcctSiteAt(t *testing.T, now time.Time, adjust ...func(*web.Deps)) *acctSite {
	t.Helper()
	as := &acctSite{mail: &mail.Recorder{}, clock: testutil.NewClock(now)}
	generous := ratelimit.Limits{}
	for _, c := range []ratelimit.Class{ratelimit.Login, ratelimit.Register, ratelimit.PasswordReset,
		ratelimit.Upload, ratelimit.Post, ratelimit.Page} {
		generous[c] = ratelimit.Limit{Requests: 100000, Per: time.Minute}
	}
	lim, err := ratelimit.NewMemory(ratelimit.MemoryConfig{Limits: generous})
	if err != nil {
		t.Fatal(err)
	}
	as.Site = testutil.NewSite(t, testutil.SiteOptions{Clock: as.clock, Deps: func(d *web.Deps) {
		d.Mailer = as.mail
		d.PasswordCost = bcrypt.MinCost
		d.Limiter = lim
		for _, f := range adjust {
			f(d)
		}
	}})
	return as
}

// acctResp is a fetched page.
type acctResp struct {
	status int
	header http.Header
	body   string
}

func acctDo(t *testing.T, c *http.Client, req *http.Request) acctResp {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return acctResp{resp.StatusCode, resp.Header, string(b)}
}

func acctGet(t *testing.T, c *http.Client, u string) acctResp {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return acctDo(t, c, req)
}

func acctPost(t *testing.T, c *http.Client, u string, form url.Values) acctResp {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return acctDo(t, c, req)
}

// acctLogin logs a new client in through the real form and fails the test if
// the site does not redirect.
func acctLogin(t *testing.T, site *testutil.Site, email, password string) *http.Client {
	t.Helper()
	c := site.Client()
	r := acctPost(t, c, site.URL+"/login/", url.Values{"email": {email}, "password": {password}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("login %s: status %d, want 303\n%s", email, r.status, acctExcerpt(r.body))
	}
	return c
}

// acctGuest is an active demo account that is not a member.
func acctGuest(t *testing.T, st *store.Store) club.Person {
	t.Helper()
	people, err := st.People(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if !p.Member && !p.IsAdmin {
			return p
		}
	}
	t.Fatal("the demo club has no guest")
	return club.Person{}
}

func acctPerson(t *testing.T, st *store.Store, email string) club.Person {
	t.Helper()
	p, err := st.PersonByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("person %s: %v", email, err)
	}
	return p
}

// acctExcerpt trims a page for failure messages: the main element only.
func acctExcerpt(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if len(body) > 1500 {
		body = body[:1500]
	}
	return body
}

// ---- acctRegistration ----

func acctRegistration(first, last, email, phone, pw string) url.Values {
	return url.Values{"first_name": {first}, "last_name": {last}, "email": {email}, "phone": {phone},
		"password": {pw}, "password_confirm": {pw}}
}

func TestRegister_RefusesBadInputFieldByField(t *testing.T) {
	site := newAcctSite(t)
	cases := []struct {
		name   string
		form   url.Values
		field  string // the input that must be marked invalid
		reason string // words the message must contain
	}{
		{"short password", acctRegistration("Rita", "Reel", "rita@example.org", "", "bass-2026"), "password", "12 characters"},
		{"digits only", acctRegistration("Rita", "Reel", "rita@example.org", "", "512555123498765"), "password", "only numbers"},
		{"common password", acctRegistration("Rita", "Reel", "rita@example.org", "", "Password1234!"), "password", "commonly used"},
		{"common word with year", acctRegistration("Rita", "Reel", "rita@example.org", "", "bassfishing2026"), "password", "commonly used"},
		{"similar to name", acctRegistration("Rita", "Reelsworth", "rita@example.org", "", "RitaReelsworth1"), "password", "your name or email"},
		{"similar to email", acctRegistration("Rita", "Reel", "fishgirl77@example.org", "", "Fishgirl77-example!"), "password", "your name or email"},
		{"bad email", acctRegistration("Rita", "Reel", "rita(at)example.org", "", "tangled line at dawn"), "email", "email address like"},
		{"bad phone", acctRegistration("Rita", "Reel", "rita@example.org", "555-1234", "tangled line at dawn"), "phone", "area code"},
		{"missing names", acctRegistration("", "", "rita@example.org", "", "tangled line at dawn"), "first_name", "required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := acctPost(t, site.Client(), site.URL+"/register/", c.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.status)
			}
			if !strings.Contains(r.body, `id="`+c.field+`" name="`+c.field+`"`) ||
				!regexp.MustCompile(`id="`+c.field+`-error">[^<]*`+regexp.QuoteMeta(c.reason)).MatchString(r.body) {
				t.Errorf("no message mentioning %q on field %s\n%s", c.reason, c.field, acctExcerpt(r.body))
			}
			if pw := c.form.Get("password"); strings.Contains(r.body, `value="`+pw+`"`) {
				t.Error("the password was sent back in the page")
			}
			if e := c.form.Get("email"); c.field != "email" && !strings.Contains(r.body, `value="`+e+`"`) {
				t.Error("the typed email was not kept")
			}
			if _, err := site.Store.PersonByEmail(context.Background(), c.form.Get("email")); err == nil {
				t.Error("an account was created despite the error")
			}
		})
	}
}

func TestRegister_PhoneFormatsAreStoredAsE164(t *testing.T) {
	site := newAcctSite(t)
	for i, phone := range []string{"5125551234", "(512) 555-1234", "+15125551234", "512-555-1234"} {
		email := fmt.Sprintf("caster%d@example.org", i)
		r := acctPost(t, site.Client(), site.URL+"/register/", acctRegistration("Cass", "Caster", email, phone, "spinnerbait at sunrise"))
		if r.status != http.StatusSeeOther {
			t.Fatalf("%q: status %d\n%s", phone, r.status, acctExcerpt(r.body))
		}
		p := acctPerson(t, site.Store, email)
		if p.Phone != "+15125551234" || p.Member || !p.IsActive {
			t.Errorf("%q stored as %q (member %v, active %v); want +15125551234, an active guest", phone, p.Phone, p.Member, p.IsActive)
		}
	}
}

func TestRegister_LogsTheNewGuestIn(t *testing.T) {
	site := newAcctSite(t)
	c := site.Client()
	r := acctPost(t, c, site.URL+"/register/", acctRegistration("Nell", "Newby", "nell@example.org", "", "topwater frogs in june"))
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "/edit/?notice=welcome") {
		t.Fatalf("status %d to %q", r.status, r.header.Get("Location"))
	}
	if got := acctGet(t, c, site.URL+"/account/password/"); got.status != http.StatusOK {
		t.Errorf("the new account is not logged in: /account/password/ answered %d", got.status)
	}
	if got := acctGet(t, c, site.URL+"/roster/"); got.status != http.StatusForbidden {
		t.Errorf("a new account is a guest: /roster/ answered %d, want 403", got.status)
	}
}

func TestRegister_DuplicateEmailInAnyCase(t *testing.T) {
	site := newAcctSite(t)
	r := acctPost(t, site.Client(), site.URL+"/register/",
		acctRegistration("Mandy", "Again", strings.ToUpper(demo.MemberEmail), "", "a brand new passphrase"))
	if r.status != http.StatusConflict {
		t.Fatalf("status %d, want 409", r.status)
	}
	if !strings.Contains(r.body, "already exists") || !strings.Contains(r.body, `href="/password-reset/"`) {
		t.Errorf("no friendly message with a reset link\n%s", acctExcerpt(r.body))
	}
}

func TestRegister_DoubleSubmitCreatesOneAccount(t *testing.T) {
	site := newAcctSite(t)
	form := acctRegistration("Dee", "Double", "dee.double@example.org", "", "click it twice quickly")
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = acctPost(t, site.Client(), site.URL+"/register/", form).status
		}()
	}
	wg.Wait()
	var n int
	if err := site.Store.DB().QueryRow(`SELECT count(*) FROM people WHERE lower(email) = $1`,
		"dee.double@example.org").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d accounts created, want 1", n)
	}
	ok, dup := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusSeeOther:
			ok++
		case http.StatusConflict:
			dup++
		}
	}
	if ok != 1 || dup != 1 {
		t.Errorf("statuses %v, want one 303 and one 409", statuses)
	}
}

// ---- login, lockout, reset, password change ----

func TestLogin_LocksTheAccountAfterFiveFailures(t *testing.T) {
	site := newAcctSite(t)
	c := site.Client()
	for i := 1; i <= 5; i++ {
		r := acctPost(t, c, site.URL+"/login/", url.Values{"email": {demo.MemberEmail}, "password": {"wrong guess number " + fmt.Sprint(i)}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "The email or password is wrong.") {
			t.Fatalf("failure %d: status %d\n%s", i, r.status, acctExcerpt(r.body))
		}
		site.clock.Advance(time.Minute)
	}
	// Locked for 15 minutes from the first of the five failures: 10 to go,
	// and the right password does not help — from any client.
	r := acctPost(t, site.Client(), site.URL+"/login/", url.Values{"email": {demo.MemberEmail}, "password": {demo.Password}})
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Try again in 10 minutes") {
		t.Fatalf("locked account: status %d\n%s", r.status, acctExcerpt(r.body))
	}
	site.clock.Advance(10 * time.Minute)
	acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
}

func TestLogin_UnknownEmailAndWrongPasswordReadTheSame(t *testing.T) {
	site := newAcctSite(t)
	a := acctPost(t, site.Client(), site.URL+"/login/", url.Values{"email": {"nobody@example.org"}, "password": {"whatever it is"}})
	b := acctPost(t, site.Client(), site.URL+"/login/", url.Values{"email": {demo.MemberEmail}, "password": {"whatever it is"}})
	if a.status != b.status || !strings.Contains(a.body, "The email or password is wrong.") ||
		!strings.Contains(b.body, "The email or password is wrong.") {
		t.Errorf("unknown email: %d, wrong password: %d — the answers must not differ", a.status, b.status)
	}
}

func TestLogin_InactiveAccountCannotLogIn(t *testing.T) {
	site := newAcctSite(t)
	g := acctGuest(t, site.Store)
	g.IsActive = false
	if err := site.Store.SaveProfile(context.Background(), 0, store.ProfileChange{Person: g}); err != nil {
		t.Fatal(err)
	}
	r := acctPost(t, site.Client(), site.URL+"/login/", url.Values{"email": {g.Email}, "password": {demo.Password}})
	if r.status == http.StatusSeeOther || !strings.Contains(r.body, "no longer active") {
		t.Errorf("inactive account: status %d\n%s", r.status, acctExcerpt(r.body))
	}
}

func TestLogin_RedirectsOnlyToLocalNext(t *testing.T) {
	site := newAcctSite(t)
	for next, want := range map[string]string{"/roster/?q=ada": "/roster/?q=ada", "//evil.example/x": "/",
		"https://evil.example/": "/", "/\\evil.example": "/", "/\t/evil.example": "/"} {
		r := acctPost(t, site.Client(), site.URL+"/login/", url.Values{"email": {demo.MemberEmail},
			"password": {demo.Password}, "next": {next}})
		if got := r.header.Get("Location"); r.status != http.StatusSeeOther || got != want {
			t.Errorf("next=%q: %d to %q, want %q", next, r.status, got, want)
		}
	}
}

func TestLogin_RenewsTheSessionToken(t *testing.T) {
	site := newAcctSite(t)
	c := site.Client()
	acctPost(t, c, site.URL+"/login/", url.Values{"email": {"x@example.org"}, "password": {"not the password"}})
	u, _ := url.Parse(site.URL)
	before := c.Jar.Cookies(u)
	acctPost(t, c, site.URL+"/login/", url.Values{"email": {demo.MemberEmail}, "password": {demo.Password}})
	after := c.Jar.Cookies(u)
	if len(after) != 1 || (len(before) == 1 && before[0].Value == after[0].Value) {
		t.Errorf("session cookie before login %v, after %v: want a new token", before, after)
	}
}

var resetLink = regexp.MustCompile(`http://[^\s]+/password-reset/([^/\s]+)/`)

// requestReset asks for a reset link and returns its path, from the mail.
func requestReset(t *testing.T, site *acctSite, email string) string {
	t.Helper()
	n := len(site.mail.Sent())
	r := acctPost(t, site.Client(), site.URL+"/password-reset/", url.Values{"email": {email}})
	if r.status != http.StatusOK || !strings.Contains(r.body, "Check your email") {
		t.Fatalf("reset request: %d\n%s", r.status, acctExcerpt(r.body))
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(site.mail.Sent()) == n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	sent := site.mail.Sent()
	if len(sent) == n {
		t.Fatal("no reset mail was sent")
	}
	m := sent[len(sent)-1]
	link := resetLink.FindString(m.Text)
	if link == "" || len(m.To) != 1 || !strings.EqualFold(m.To[0], email) {
		t.Fatalf("reset mail to %v without a link:\n%s", m.To, m.Text)
	}
	u, _ := url.Parse(link)
	return u.Path
}

func TestPasswordReset_SameAnswerForUnknownEmail(t *testing.T) {
	site := newAcctSite(t)
	known := acctPost(t, site.Client(), site.URL+"/password-reset/", url.Values{"email": {demo.MemberEmail}})
	unknown := acctPost(t, site.Client(), site.URL+"/password-reset/", url.Values{"email": {"nobody@example.org"}})
	strip := func(s, email string) string { return strings.ReplaceAll(acctExcerpt(s), email, "") }
	if known.status != unknown.status || strip(known.body, demo.MemberEmail) != strip(unknown.body, "nobody@example.org") {
		t.Errorf("the answers differ: %d vs %d", known.status, unknown.status)
	}
}

func TestPasswordReset_TokenIsSingleUseAndRevokesOtherSessions(t *testing.T) {
	site := newAcctSite(t)
	other := acctLogin(t, site.Site, demo.MemberEmail, demo.Password) // e.g. a forgotten tablet
	path := requestReset(t, site, demo.MemberEmail)
	var stored string
	site.Store.DB().QueryRow(`SELECT token_hash FROM password_resets ORDER BY id DESC LIMIT 1`).Scan(&stored)
	if token := strings.Split(path, "/")[2]; stored == "" || strings.Contains(stored, token) {
		t.Errorf("the database holds %q for token %q: want only a hash", stored, token)
	}

	c := site.Client() // anonymous
	if r := acctGet(t, c, site.URL+path); r.status != http.StatusOK || !strings.Contains(r.body, "Choose a new password") {
		t.Fatalf("reset page: %d\n%s", r.status, acctExcerpt(r.body))
	}
	weak := acctPost(t, c, site.URL+path, url.Values{"password": {"short"}, "password_confirm": {"short"}})
	if weak.status != http.StatusUnprocessableEntity {
		t.Fatalf("weak new password: %d", weak.status)
	}
	newPW := url.Values{"password": {"lunker hunting season"}, "password_confirm": {"lunker hunting season"}}
	if r := acctPost(t, c, site.URL+path, newPW); r.status != http.StatusSeeOther {
		t.Fatalf("reset: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if r := acctGet(t, c, site.URL+"/roster/"); r.status != http.StatusOK {
		t.Errorf("after the reset this browser should be logged in: /roster/ %d", r.status)
	}
	if r := acctGet(t, other, site.URL+"/roster/"); r.status != http.StatusSeeOther ||
		!strings.HasPrefix(r.header.Get("Location"), "/login/") {
		t.Errorf("the other session survived the reset: /roster/ %d", r.status)
	}
	if r := acctPost(t, site.Client(), site.URL+path, newPW); r.status != http.StatusNotFound {
		t.Errorf("second use of the token: %d, want 404", r.status)
	}
	acctLogin(t, site.Site, demo.MemberEmail, "lunker hunting season")
}

func TestPasswordReset_TokenExpiresAfterAnHour(t *testing.T) {
	site := newAcctSite(t)
	path := requestReset(t, site, demo.MemberEmail)
	site.clock.Advance(59 * time.Minute)
	if r := acctGet(t, site.Client(), site.URL+path); r.status != http.StatusOK {
		t.Fatalf("after 59 minutes: %d, want 200", r.status)
	}
	site.clock.Advance(2 * time.Minute)
	if r := acctGet(t, site.Client(), site.URL+path); r.status != http.StatusNotFound {
		t.Errorf("after 61 minutes: %d, want 404", r.status)
	}
	r := acctPost(t, site.Client(), site.URL+path, url.Values{"password": {"lunker hunting season"},
		"password_confirm": {"lunker hunting season"}})
	if r.status != http.StatusNotFound {
		t.Errorf("expired token still sets a password: %d", r.status)
	}
}

func TestPasswordChange_KeepsThisSessionAndEndsOthers(t *testing.T) {
	site := newAcctSite(t)
	here := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	there := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	wrong := acctPost(t, here, site.URL+"/account/password/", url.Values{"current_password": {"not it at all"},
		"password": {"jig and pig in winter"}, "password_confirm": {"jig and pig in winter"}})
	if wrong.status != http.StatusUnprocessableEntity || !strings.Contains(wrong.body, "not your current password") {
		t.Fatalf("wrong current password: %d", wrong.status)
	}
	r := acctPost(t, here, site.URL+"/account/password/", url.Values{"current_password": {demo.Password},
		"password": {"jig and pig in winter"}, "password_confirm": {"jig and pig in winter"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if got := acctGet(t, here, site.URL+"/roster/"); got.status != http.StatusOK {
		t.Errorf("this session was logged out: %d", got.status)
	}
	if got := acctGet(t, there, site.URL+"/roster/"); got.status != http.StatusSeeOther {
		t.Errorf("the other session survived: %d", got.status)
	}
}

// pageForm reads the form at action from a page as a browser would submit
// it untouched: text, hidden and number inputs with their values, ticked
// checkboxes, and each select's selected option. Tests then change the
// fields a person would, so hidden fields (the version) come from the page.
func pageForm(t *testing.T, c *http.Client, pageURL, action string) url.Values {
	t.Helper()
	r := acctGet(t, c, pageURL)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d", pageURL, r.status)
	}
	return pageFormFromBody(t, r.body, action)
}

// pageFormFromBody is pageForm on a page already fetched (a 409 conflict page).
func pageFormFromBody(t *testing.T, body, action string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, key string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val, true
			}
		}
		return "", false
	}
	var form *html.Node
	for n := range doc.Descendants() {
		if a, _ := attr(n, "action"); n.Type == html.ElementNode && n.Data == "form" && a == action {
			form = n
			break
		}
	}
	if form == nil {
		t.Fatalf("no form with action %s on the page", action)
	}
	v := url.Values{}
	for n := range form.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		name, ok := attr(n, "name")
		if !ok {
			continue
		}
		switch n.Data {
		case "input":
			typ, _ := attr(n, "type")
			val, _ := attr(n, "value")
			_, checked := attr(n, "checked")
			switch typ {
			case "checkbox", "radio":
				if checked {
					if val == "" {
						val = "on"
					}
					v.Add(name, val)
				}
			case "file", "submit", "password":
			default:
				v.Add(name, val)
			}
		case "textarea":
			if n.FirstChild != nil {
				v.Add(name, n.FirstChild.Data)
			} else {
				v.Add(name, "")
			}
		case "select":
			for o := range n.Descendants() {
				if _, sel := attr(o, "selected"); o.Type == html.ElementNode && o.Data == "option" && sel {
					val, _ := attr(o, "value")
					v.Add(name, val)
				}
			}
		}
	}
	return v
}
