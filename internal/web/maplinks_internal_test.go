package web

import (
	"strings"
	"testing"
)

// TestMapLinks_OnlyHTTPSLinksOfAllowListedMapHosts: the one allow-list
// (mapHosts) decides; look-alike hosts, other paths of a shared host, plain
// http, credentials, ports and script URLs are refused with the field message.
func TestMapLinks_OnlyHTTPSLinksOfAllowListedMapHosts(t *testing.T) {
	ok := []string{
		"",
		"https://www.google.com/maps/place/Mansfield+Dam+Park/@30.39,-97.90,15z",
		"https://www.google.com/maps",
		"https://maps.google.com/?q=Lake+Travis",
		"https://maps.app.goo.gl/AbC123xyz",
		"https://maps.apple.com/?q=Pace+Bend+Park&ll=30.45,-98.00",
		"https://www.openstreetmap.org/#map=14/30.39/-97.90",
		"https://www.bing.com/maps?q=Lake+LBJ",
		"  https://WWW.GOOGLE.COM/maps/search/Inks+Lake  ",
	}
	for _, raw := range ok {
		if got, err := checkMapURL(raw); err != nil {
			t.Errorf("%q refused: %v", raw, err)
		} else if raw != "" && !strings.HasPrefix(got, "https://") {
			t.Errorf("%q stored as %q", raw, got)
		}
	}
	bad := []string{
		"http://www.google.com/maps/place/x",       // not https
		"https://www.google.com/search?q=ramp",     // Google, but not Maps
		"https://www.google.com/mapsevil",          // prefix is a path segment, not a string prefix
		"https://maps.google.com.evil.example/",    // look-alike host
		"https://evil.example/www.google.com/maps", // host in the path
		"https://user:pw@maps.apple.com/",          // credentials
		"https://maps.apple.com:8443/",             // another port
		"https://www.bing.com/search?q=maps",       // Bing, not Maps
		"javascript:alert(1)",
		"//www.google.com/maps",
		"www.google.com/maps",
		`<iframe src="https://www.google.com/maps/embed"></iframe>`,
		"https://www.google.com/maps/" + strings.Repeat("x", maxMapURL),
	}
	for _, raw := range bad {
		if got, err := checkMapURL(raw); err == nil {
			t.Errorf("%q accepted as %q", raw, got)
		}
	}
}

// TestRampSearchLink_NamesRampLakeAndState: a ramp without its own link
// searches for "Ramp, Lake, State", so "City Park" finds the one on this lake.
func TestRampSearchLink_NamesRampLakeAndState(t *testing.T) {
	got := rampSearchURL("City Park", "Lake LBJ", "TX")
	want := "https://www.google.com/maps/search/?api=1&query=City+Park%2C+Lake+LBJ%2C+TX"
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if _, err := checkMapURL(got); err != nil {
		t.Errorf("the search link itself is not an allowed map link: %v", err)
	}
}
