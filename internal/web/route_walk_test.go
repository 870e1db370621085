package web_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/web"
)

// The route-table walks (TestRouteRoleMatrix, TestGetRoutesNeverWrite) share
// what a visit is, which path each route is visited at and what an allowed
// visitor must get back.

// walkPath is the concrete path a walk visits for c: routeCases' path, with
// "{me}" replaced by the visitor's id, unless realPaths names a real demo
// row for the pattern instead.
func walkPath(c routeCase, real map[string]string, me int64) string {
	path := c.path
	if p, ok := real[c.pattern]; ok {
		path = p
	}
	return strings.ReplaceAll(path, "{me}", strconv.FormatInt(me, 10))
}

// realPaths gives the GET routes whose routeCases path is a made-up row a
// real one from the demo club, so the walks see the page, not a 404: the
// demo's seasons, a stored result, a photo the demo member uploads, a live
// reset link, a live stream of a demo tournament.
func realPaths(t *testing.T, site *acctSite) map[string]string {
	t.Helper()
	ctx := context.Background()
	var tid, pid int64
	if err := site.Store.DB().QueryRow(`SELECT tournament_id, person_id FROM results ORDER BY id LIMIT 1`).
		Scan(&tid, &pid); err != nil {
		t.Fatalf("a demo result: %v", err)
	}
	member := acctPerson(t, site.Store, demo.MemberEmail)
	c := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	if r := upload(t, c, fmt.Sprintf("%s/anglers/%d/photo/", site.URL, member.ID), "me.jpg", rotatedJPEG(t)); r.status != http.StatusSeeOther {
		t.Fatalf("upload a photo: %d\n%s", r.status, acctExcerpt(r.body))
	}
	var key string
	if err := site.Store.DB().QueryRow(`SELECT media_key FROM media WHERE person_id = $1 ORDER BY media_key LIMIT 1`,
		member.ID).Scan(&key); err != nil {
		t.Fatalf("the uploaded photo: %v", err)
	}
	const token = "route-walk-reset-token"
	sum := sha256.Sum256([]byte(token))
	if err := site.Store.CreatePasswordReset(ctx, member.ID, hex.EncodeToString(sum[:]), site.Store.Now(), time.Hour); err != nil {
		t.Fatal(err)
	}
	// routeCases names the demo's seasons as of the fixed 2026 clock; the
	// demo club is built around the site's clock (CI moves it with
	// SABC_TEST_NOW), so the walk visits the seasons the demo really has.
	year := club.Today(site.Store.Now()).Year()
	seasons := strings.NewReplacer("2026", strconv.Itoa(year), "2025", strconv.Itoa(year-1))
	paths := map[string]string{}
	for _, c := range routeCases {
		if p := seasons.Replace(c.path); p != c.path {
			paths[c.pattern] = p
		}
	}
	for pattern, p := range map[string]string{
		"GET /admin/tournaments/{id}/results/{person_id}/{$}": fmt.Sprintf("/admin/tournaments/%d/results/%d/", tid, pid),
		"GET /media/":                       "/media/" + key,
		"GET /password-reset/{token}/{$}":   "/password-reset/" + token + "/",
		"POST /password-reset/{token}/{$}":  "/password-reset/" + token + "/",
		"GET /tournaments/{id}/live/events": fmt.Sprintf("/tournaments/%d/live/events", tid),
	} {
		paths[pattern] = p
	}
	return paths
}

// allowedStatuses are the answers to an allowed visitor other than the
// defaults of allowedStatus.
var allowedStatuses = map[string]int{
	"GET /":              http.StatusNotFound, // the catch-all is the friendly 404 page
	"GET /standings/{$}": http.StatusFound,    // to the current season
	"GET /awards/{$}":    http.StatusFound,
	"GET /rules/{$}":     http.StatusFound,
	"GET /static/":       http.StatusFound, // app.css → its fingerprinted name
	"POST /logout/{$}":   http.StatusSeeOther,
	"POST /admin/errors/{fingerprint}/resolve/{$}": http.StatusNotFound, // no such error group
	"POST /admin/lakes/{id}/delete/{$}":            http.StatusConflict, // demo lake 1 has tournaments
	// Deleting no one's result or no boat: nothing to do, back to the screen;
	// tournament 1 is complete, so its boats no longer change.
	"POST /tournaments/{id}/weigh-in/delete/{$}":       http.StatusSeeOther,
	"POST /tournaments/{id}/weigh-in/boats/delete/{$}": http.StatusConflict,
	// The API refuses "{}" without an Idempotency-Key.
	"PUT /api/v1/tournaments/{id}/results/{person_id}":    http.StatusBadRequest,
	"DELETE /api/v1/tournaments/{id}/results/{person_id}": http.StatusBadRequest,
}

// allowedStatus is what a visitor allowed to use c must get at path: a GET
// shows its page (200), a visit to a row that does not exist is a 404, and
// an empty form gets its validation message (422) — never a 5xx.
func allowedStatus(c routeCase, path string) int {
	if s, ok := allowedStatuses[c.pattern]; ok {
		return s
	}
	switch {
	case strings.Contains(path, "999999"):
		return http.StatusNotFound
	case strings.HasPrefix(c.pattern, "GET "):
		return http.StatusOK
	}
	return http.StatusUnprocessableEntity
}

// visit requests path the way the walks do: POSTs carry an empty form, the
// API's PUT and DELETE an empty JSON object, and an event stream is read up
// to its first event and then closed (it would never end otherwise).
func visit(t *testing.T, c *http.Client, base string, rc routeCase, path string) acctResp {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	method, _, _ := strings.Cut(rc.pattern, " ")
	var body io.Reader
	switch method {
	case http.MethodPost:
		body = strings.NewReader("")
	case http.MethodPut, http.MethodDelete:
		body = strings.NewReader("{}")
	}
	req, _ := http.NewRequestWithContext(ctx, method, base+path, body)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return acctResp{resp.StatusCode, resp.Header, firstEvent(resp.Body)}
	}
	b, _ := io.ReadAll(resp.Body)
	return acctResp{resp.StatusCode, resp.Header, string(b)}
}

// firstEvent reads a server-sent event stream up to the end of its first
// named event.
func firstEvent(r io.Reader) string {
	br := bufio.NewReader(r)
	var out strings.Builder
	named := false
	for {
		line, err := br.ReadString('\n')
		out.WriteString(line)
		named = named || strings.HasPrefix(line, "event:")
		if err != nil || named && line == "\n" {
			return out.String()
		}
	}
}

// roleName is a walk's label for one visit.
func roleName(role web.Role, c routeCase, path string) string {
	method, _, _ := strings.Cut(c.pattern, " ")
	return role.String() + " " + method + " " + path
}
