package web_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"sabc/internal/club"
	"sabc/internal/testutil"
)

// Helpers shared by the calendar, lakes and content page tests.

// pageGet fetches a path from a test site and returns the response and body.
func pageGet(t *testing.T, site *testutil.Site, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, site.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := site.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// queryCount is the X-DB-Query-Count header the development server sets.
func queryCount(t *testing.T, resp *http.Response) int {
	t.Helper()
	n, err := strconv.Atoi(resp.Header.Get("X-DB-Query-Count"))
	if err != nil {
		t.Fatalf("no X-DB-Query-Count header on %s", resp.Request.URL.Path)
	}
	return n
}

func findAll(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.Data == tag {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// The club's markdown is rendered, but raw HTML and script links in it are not.
func TestAboutAndBylawsMarkdownIsSafe(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true})
	evil := "We fish **hard**.\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n" +
		"[click](javascript:alert(1)) and <a href=\"https://evil.example\">raw link</a>\n\n- one\n- two\n"
	if err := site.Store.SaveClub(context.Background(), club.Club{Name: "Test Bass Club", ShortName: "TBC",
		Founded: 1999, AboutMD: evil, BylawsMD: "## Article I\n\n" + evil}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/about/", "/bylaws/"} {
		resp, b := pageGet(t, site, path)
		body := string(b)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, resp.StatusCode)
		}
		if n := queryCount(t, resp); n > 3 {
			t.Errorf("%s ran %d queries, budget 3", path, n)
		}
		for _, bad := range []string{"<script>alert", "onerror", "javascript:", `href="https://evil.example"`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s passes raw %q through", path, bad)
			}
		}
		for _, good := range []string{"<strong>hard</strong>", "<li>one</li>"} {
			if !strings.Contains(body, good) {
				t.Errorf("%s: markdown not rendered, missing %q", path, good)
			}
		}
	}
	_, b := pageGet(t, site, "/bylaws/")
	if !strings.Contains(string(b), "<h2>Article I</h2>") {
		t.Error("bylaws heading not rendered")
	}
}

// A fresh install without a club row says so instead of answering 404.
func TestAboutWithoutClubRow(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{NoDemo: true})
	if resp, b := pageGet(t, site, "/about/"); resp.StatusCode != http.StatusOK ||
		!strings.Contains(string(b), "not written its introduction") {
		t.Errorf("status %d", resp.StatusCode)
	}
}

func TestRulesPageInPlainWords(t *testing.T) {
	site := testutil.NewSite(t, testutil.SiteOptions{Clock: testutil.FixedClock()})
	resp, _ := pageGet(t, site, "/rules/")
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/rules/2026/" {
		t.Fatalf("/rules/: status %d → %q, want 302 to /rules/2026/", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, b := pageGet(t, site, "/rules/2026/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if n := queryCount(t, resp); n > 3 {
		t.Errorf("/rules/2026/ ran %d queries, budget 3", n)
	}
	body := html.UnescapeString(string(b))
	// The demo seasons use the bylaw defaults (01-domain §3.1, §3.7), written here by hand.
	for _, want := range []string{
		"5 fish per angler", "5 fish per boat", "0.25 lb", "1.00 lb per minute", "More than 15 minutes late",
		"more fish, then the bigger big bass", "earns 100 points", "2 points fewer", "4 points fewer", "3 points fewer",
		"at least 5.00 lb", "$25.00 per angler", "1st $7.00, 2nd $5.00, 3rd $4.00", "club $3.00", "charity $2.00",
		"Big-bass pot $4.00", "more total weight, then the bigger biggest bass, then more wins", "split equally to the cent",
		"12-inch minimum length", `href="/rules/2025/"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("rules page lacks %q", want)
		}
	}
	for _, p := range []string{"/rules/1999/", "/rules/abc/"} {
		if resp, _ := pageGet(t, site, p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, resp.StatusCode)
		}
	}
}
