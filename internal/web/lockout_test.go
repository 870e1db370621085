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
