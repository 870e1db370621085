package web_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"sabc/internal/config"
	"sabc/internal/demo"
	"sabc/internal/testutil"
)

// timeoutSite serves the site through web.HTTPServer — the server sabc serve
// runs — with read and write timeouts of d, on 127.0.0.1.
func timeoutSite(t *testing.T, d time.Duration) (*testutil.Site, string) {
	t.Helper()
	site := testutil.NewSite(t, testutil.SiteOptions{Config: func(c *config.Config) {
		c.ReadTimeout, c.WriteTimeout = d, d
	}})
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = site.Web.HTTPServer()
	srv.Start()
	t.Cleanup(srv.Close)
	return site, srv.URL
}

// A POST that declares a body and never sends it is closed by the server
// once the read timeout passes, instead of holding its connection forever.
func TestPostWhoseBodyNeverArrivesIsClosedAfterTheReadTimeout(t *testing.T) {
	_, base := timeoutSite(t, 300*time.Millisecond)
	conn, err := net.Dial("tcp", base[len("http://"):])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "POST /login/ HTTP/1.1\r\nHost: sabc.test\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nemail=")
	// Far beyond the server's timeout: reaching it means the server waits on.
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the connection is still open 10 s after a 300 ms read timeout")
	}
}

// The live leaderboard's event stream is the one response that outlives the
// write timeout: it lifts its own write deadline. (net/http clears the read
// deadline itself once a GET's empty body is read.)
func TestLiveStreamOutlivesTheReadAndWriteTimeouts(t *testing.T) {
	site, base := timeoutSite(t, 300*time.Millisecond)
	tr := scheduledTournament(t, site.Store)
	events := sseStream(t, base, tr.ID, "")
	nextEvent(t, events, 5*time.Second, "initial standings")
	time.Sleep(time.Second) // past both timeouts
	saveFor(t, site.Store, tr.ID, acctPerson(t, site.Store, demo.MemberEmail).ID, 812)
	nextEvent(t, events, 5*time.Second, "event a second after the timeouts passed")
}
