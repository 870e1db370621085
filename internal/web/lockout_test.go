package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"sabc/internal/demo"
	"sabc/internal/ratelimit"
	"sabc/internal/web"
)

// Twenty wrong guesses sent at once (as from twenty addresses) are not all
// checked: the count happens in the database before bcrypt, so at most five
// are and the rest are refused; then the right password is refused too.
func TestLogin_ParallelGuessesCheckAtMostFive(t *testing.T) {
	site := newAcctSite(t)
	const n = 20
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		pw := fmt.Sprintf("wrong guess number %d", i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = acctPost(t, site.Client(), site.URL+"/login/",
				url.Values{"email": {demo.MemberEmail}, "password": {pw}}).status
		}()
	}
	close(start)
	wg.Wait()
	checked := 0
	for _, s := range statuses {
		if s != http.StatusTooManyRequests {
			checked++
		}
	}
	if checked > 5 {
		t.Errorf("%d of %d parallel guesses were checked (statuses %v); want at most 5", checked, n, statuses)
	}
	r := acctPost(t, site.Client(), site.URL+"/login/", url.Values{"email": {demo.MemberEmail}, "password": {demo.Password}})
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Errorf("after the burst the right password: %d (Retry-After %q), want 429 with Retry-After",
			r.status, r.header.Get("Retry-After"))
	}
}

// A locked email answers the same whether or not it has an account: the
// count is per email, known or not, so a 429 does not confirm an account.
func TestLogin_LockoutDoesNotTellWhetherTheEmailExists(t *testing.T) {
	site := newAcctSite(t)
	answer := func(email string) acctResp {
		var r acctResp
		for i := range 6 {
			r = acctPost(t, site.Client(), site.URL+"/login/", url.Values{"email": {email},
				"password": {fmt.Sprintf("wrong guess number %d", i)}})
		}
		return r
	}
	known, unknown := answer(demo.MemberEmail), answer("nobody-here@example.org")
	strip := func(r acctResp, email string) string { return strings.ReplaceAll(acctExcerpt(r.body), email, "") }
	if known.status != http.StatusTooManyRequests || unknown.status != known.status ||
		strip(known, demo.MemberEmail) != strip(unknown, "nobody-here@example.org") {
		t.Errorf("6th wrong guess: known email %d, unknown %d; want the same 429 page", known.status, unknown.status)
	}
	site.clock.Advance(16 * time.Minute)
	acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
}

// Spec 03 §8: login failures are limited per client, successes are not.
// With the production limits, a dozen members logging in from one hotspot
// within a minute all get in; five wrong guesses from that address (for
// five different emails, so no account lockout applies) then close the
// address to the next guess — even a correct one — with Retry-After, and a
// correct password given after each failure does not reopen it.
func TestLogin_SharedAddressLimitsFailuresNotSuccesses(t *testing.T) {
	site := newAcctSite(t, func(d *web.Deps) {
		lim, err := ratelimit.NewMemory(ratelimit.MemoryConfig{Now: d.Store.Now})
		if err != nil {
			t.Fatal(err)
		}
		d.Limiter = lim
	})
	for range 12 {
		acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	}
	for i := range 5 {
		r := acctPost(t, site.Client(), site.URL+"/login/", url.Values{
			"email": {fmt.Sprintf("guess%d@example.org", i)}, "password": {"wrong guess"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong guess %d: %d, want 422", i+1, r.status)
		}
		if i < 4 {
			acctLogin(t, site.Site, demo.OfficerEmail, demo.Password) // gives back its own guess only
		}
	}
	r := acctPost(t, site.Client(), site.URL+"/login/", url.Values{"email": {demo.MemberEmail}, "password": {demo.Password}})
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" ||
		!strings.Contains(r.body, "Too many wrong passwords from your network") {
		t.Fatalf("after 5 failures from one address: %d (Retry-After %q), want 429 naming the network\n%s",
			r.status, r.header.Get("Retry-After"), acctExcerpt(r.body))
	}
	site.clock.Advance(5 * time.Minute)
	acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
}
