package web_test

// Issue 14 finding 12: the page cache keyed on the raw request URI, so every
// junk query parameter rendered and stored another copy of a page, and HEAD
// always rendered. Pages now key on the parameters their route declares
// (cachedPages in cache_pages.go), and HEAD is answered from the cache.

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"sabc/internal/cache"
	"sabc/internal/demo"
)

func head(t testing.TB, url string) (*http.Response, int) {
	t.Helper()
	resp, err := plainClient.Head(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if len(b) != 0 {
		t.Errorf("HEAD %s sent a %d-byte body", url, len(b))
	}
	q, err := strconv.Atoi(resp.Header.Get("X-DB-Query-Count"))
	if err != nil {
		q = -1
	}
	return resp, q
}

func TestPageCacheIgnoresUnknownQueryParameters(t *testing.T) {
	site := cachedSite(t, newPageCache(t, cache.Options{}), nil)
	first := fetch(t, site.URL+"/tournaments/?junk=1")
	if first.status != http.StatusOK || first.queries < 1 {
		t.Fatalf("first GET: status %d, %d queries; want a render", first.status, first.queries)
	}
	for _, p := range []string{"/tournaments/?junk=2", "/tournaments/?junk=3&more=x", "/tournaments/", "/tournaments/?year=&lake="} {
		if a := fetch(t, site.URL+p); a.status != http.StatusOK || a.queries != 0 || a.body != first.body {
			t.Errorf("GET %s: status %d, %d queries, same page %t; want the one cached page with 0 queries",
				p, a.status, a.queries, a.body == first.body)
		}
	}

	// A parameter the page reads is part of the key, in a canonical order.
	year := latestWinner(t, site.Store).t.SeasonYear
	byYear := fetch(t, site.URL+fmt.Sprintf("/tournaments/?year=%d", year))
	if byYear.status != http.StatusOK || byYear.queries < 1 || byYear.body == first.body {
		t.Fatalf("?year=%d: status %d, %d queries, differs %t; want its own page rendered", year, byYear.status,
			byYear.queries, byYear.body != first.body)
	}
	lake := latestWinner(t, site.Store).t.LakeID
	both := fetch(t, site.URL+fmt.Sprintf("/tournaments/?lake=%d&year=%d", lake, year))
	again := fetch(t, site.URL+fmt.Sprintf("/tournaments/?junk=1&year=%d&lake=%d", year, lake))
	if both.queries < 1 || again.queries != 0 || again.body != both.body {
		t.Errorf("lake+year: %d queries, then reordered with junk %d queries (same %t); want one entry",
			both.queries, again.queries, again.body == both.body)
	}
}

// TestPageCacheEntriesAreBoundedByWhatPagesShow: endless spellings of one
// page (?page=-1, -2, …; a mangled year or lake, which the handler reads as
// absent) share the one entry of the page they show, and values that would
// each make a page of their own without bound (a lake id nobody fished, a
// year outside the site's span) are rendered each time, never stored.
func TestPageCacheEntriesAreBoundedByWhatPagesShow(t *testing.T) {
	site := cachedSite(t, newPageCache(t, cache.Options{}), nil)
	for base, spellings := range map[string][]string{
		"/":             {"/?page=1", "/?page=0", "/?page=-7", "/?page=-9223372036854775808", "/?page=x"},
		"/tournaments/": {"/tournaments/?lake=junk", "/tournaments/?lake=-3", "/tournaments/?year=12", "/tournaments/?year=abc"},
	} {
		first := fetch(t, site.URL+base)
		if first.status != http.StatusOK || first.queries < 1 {
			t.Fatalf("GET %s: status %d, %d queries; want a render", base, first.status, first.queries)
		}
		for _, p := range spellings {
			if a := fetch(t, site.URL+p); a.status != http.StatusOK || a.queries != 0 || a.body != first.body {
				t.Errorf("GET %s: status %d, %d queries, same page as %s %t; want its cached entry", p, a.status,
					a.queries, base, a.body == first.body)
			}
		}
	}
	member := acctLogin(t, site, demo.MemberEmail, demo.Password) // through the content fragments
	for _, p := range []string{"/tournaments/?lake=987654", "/tournaments/?year=9876"} {
		for range 2 {
			if a := fetch(t, site.URL+p); a.status != http.StatusOK || a.queries < 1 {
				t.Errorf("GET %s: status %d, %d queries; want a fresh render each time", p, a.status, a.queries)
			}
		}
	}
	for range 2 {
		a := fetchWith(t, member, site.URL+"/tournaments/?lake=987654")
		if a.status != http.StatusOK || !strings.Contains(a.body, "<main") || strings.Count(a.body, "</main>") != 1 {
			t.Errorf("member GET of an unknown lake's list: status %d, one whole page %t", a.status,
				strings.Count(a.body, "</main>") == 1)
		}
	}
}

func TestPageCacheServesHEADFromTheCache(t *testing.T) {
	site := cachedSite(t, newPageCache(t, cache.Options{}), nil)
	get := fetch(t, site.URL+"/tournaments/")
	if get.status != http.StatusOK {
		t.Fatalf("GET: %d", get.status)
	}
	resp, queries := head(t, site.URL+"/tournaments/?junk=1")
	if resp.StatusCode != http.StatusOK || queries != 0 {
		t.Errorf("HEAD after a warm GET: status %d, %d queries; want 200 from the cache with 0 queries",
			resp.StatusCode, queries)
	}
	if resp.Header.Get("ETag") == "" || resp.Header.Get("Content-Type") == "" {
		t.Errorf("HEAD lacks the cached headers: %v", resp.Header)
	}
	// A cold HEAD renders once and fills the cache for the next GET.
	path := fmt.Sprintf("/standings/%d/", latestWinner(t, site.Store).t.SeasonYear)
	if resp, queries := head(t, site.URL+path); resp.StatusCode != http.StatusOK || queries < 1 {
		t.Fatalf("cold HEAD %s: status %d, %d queries", path, resp.StatusCode, queries)
	}
	if a := fetch(t, site.URL+path); a.status != http.StatusOK || a.queries != 0 || len(a.body) == 0 {
		t.Errorf("GET %s after HEAD: status %d, %d queries, %d bytes; want the full page from the cache",
			path, a.status, a.queries, len(a.body))
	}
}
