package web

import (
	"errors"
	"net/url"
	"strings"
)

// Map links officers type for lakes and ramps (docs/operations.md, "Map
// links"). A link must be https and point at one of these map services, so a
// lake page can never send members to a look-alike site or a tracking
// redirector; the public pages then show it as typed. This list is the one
// place that decides; adding a service is adding a line here.
//
// Host is matched exactly (lower case, no port); Path, when set, is a
// required path prefix on a shared host ("/maps" on www.google.com, whose
// other paths are search and accounts).
var mapHosts = []struct{ Host, Path, Service string }{
	{"www.google.com", "/maps", "Google Maps"},
	{"google.com", "/maps", "Google Maps"},
	{"maps.google.com", "", "Google Maps"},
	{"maps.app.goo.gl", "", "Google Maps"}, // the short links of Google Maps' Share button
	{"maps.apple.com", "", "Apple Maps"},
	{"www.openstreetmap.org", "", "OpenStreetMap"},
	{"openstreetmap.org", "", "OpenStreetMap"},
	{"www.bing.com", "/maps", "Bing Maps"},
	{"bing.com", "/maps", "Bing Maps"},
}

// maxMapURL bounds a stored link; real share links are under 300 characters.
const maxMapURL = 2000

var errMapLink = errors.New("Use an https:// link from Google Maps, Apple Maps, OpenStreetMap or Bing Maps " +
	"(open the place there, then copy the Share link).")

// checkMapURL validates a typed map link: "" stays "" (no link), anything
// else must be an https URL of an allow-listed map host.
func checkMapURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	if len(raw) > maxMapURL {
		return "", errors.New("That map link is too long; copy the Share link instead.")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.User != nil || u.Port() != "" || u.Opaque != "" {
		return "", errMapLink
	}
	host := strings.ToLower(u.Hostname())
	for _, h := range mapHosts {
		if host == h.Host && pathUnder(u.Path, h.Path) {
			return u.String(), nil
		}
	}
	return "", errMapLink
}

// pathUnder reports whether path is prefix or below it ("/maps",
// "/maps/place/…", not "/mapsfoo").
func pathUnder(path, prefix string) bool {
	return prefix == "" || path == prefix || strings.HasPrefix(path, prefix+"/")
}

// rampSearchURL is the link of a ramp without a map link of its own: a map
// search for "Ramp, Lake, State", so a ramp name many lakes share ("City
// Park") finds the one on this lake.
func rampSearchURL(ramp, lake, state string) string {
	q := strings.Join(nonEmpty(ramp, lake, state), ", ")
	return "https://www.google.com/maps/search/?api=1&query=" + url.QueryEscape(q)
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
