package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/testutil"
	"sabc/internal/web"
)

// roleVisitor is one logged-in (or anonymous) client of the matrix.
type roleVisitor struct {
	role   web.Role
	id     int64 // 0 for anonymous
	client *http.Client
}

// roleVisitors logs in one client per role through the real login form.
func roleVisitors(t *testing.T, site *testutil.Site) []roleVisitor {
	t.Helper()
	guest := acctGuest(t, site.Store)
	out := []roleVisitor{{role: web.Anonymous, client: site.Client()}}
	for _, v := range []struct {
		role  web.Role
		email string
	}{{web.Guest, guest.Email}, {web.Member, demo.MemberEmail}, {web.Officer, demo.OfficerEmail},
		{web.Admin, demo.AdminEmail}} {
		out = append(out, roleVisitor{role: v.role, id: acctPerson(t, site.Store, v.email).ID,
			client: acctLogin(t, site, v.email, demo.Password)})
	}
	return out
}

// TestRouteRoleMatrix: every registered route (routeCases, which
// TestRouteTableIsCovered keeps complete) × every role, at real demo rows
// (realPaths). Below the route's role, anonymous visitors are sent to the
// login page (the API answers 401) and logged-in ones get 403; at or above
// it, exactly the status allowedStatus names: the page for a GET, the
// validation message for an empty form — so neither a refusal nor a 5xx
// passes.
func TestRouteRoleMatrix(t *testing.T) {
	// /metrics is guarded by network or token rather than by role: the test
	// server's loopback network is allowed, so the route is open to every role.
	site := newAcctSite(t, func(d *web.Deps) { d.Config.MetricsAllowNets = "127.0.0.0/8,::1/128" })
	real := realPaths(t, site)
	visitors := roleVisitors(t, site.Site)
	memberID := acctPerson(t, site.Store, demo.MemberEmail).ID
	cases := slices.Clone(routeCases)
	// Logging out ends the client's session, so it runs last.
	slices.SortStableFunc(cases, func(a, b routeCase) int {
		return boolInt(a.pattern == "POST /logout/{$}") - boolInt(b.pattern == "POST /logout/{$}")
	})
	for _, v := range visitors {
		for _, c := range cases {
			me := v.id
			if me == 0 {
				me = memberID
			}
			path := walkPath(c, real, me)
			r := visit(t, v.client, site.URL, c, path)
			toLogin := r.status == http.StatusSeeOther && strings.HasPrefix(r.header.Get("Location"), "/login/")
			name := roleName(v.role, c, path)
			switch {
			case v.role < c.need && v.role == web.Anonymous && strings.HasPrefix(path, "/api/"):
				if r.status != http.StatusUnauthorized {
					t.Errorf("%s: %d, want 401", name, r.status)
				}
			case v.role < c.need && v.role == web.Anonymous:
				if !toLogin {
					t.Errorf("%s: %d (Location %q), want 303 to /login/", name, r.status, r.header.Get("Location"))
				}
			case v.role < c.need:
				if r.status != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", name, r.status)
				}
			default:
				if want := allowedStatus(c, path); r.status != want {
					t.Errorf("%s: %d (Location %q), want %d: the %s role may use this route", name, r.status,
						r.header.Get("Location"), want, c.need)
				}
			}
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestProfileEdit_OwnerOrOfficerOnly: the matrix edits one's own profile;
// here, someone else's.
func TestProfileEdit_OwnerOrOfficerOnly(t *testing.T) {
	site := newAcctSite(t)
	member := acctPerson(t, site.Store, demo.MemberEmail)
	path := site.URL + "/anglers/" + strconv.FormatInt(member.ID, 10) + "/edit/"
	for _, v := range roleVisitors(t, site.Site) {
		r := acctGet(t, v.client, path)
		var want int
		switch {
		case v.role == web.Anonymous:
			want = http.StatusSeeOther
		case v.role >= web.Officer || v.id == member.ID:
			want = http.StatusOK
		default:
			want = http.StatusForbidden
		}
		if r.status != want {
			t.Errorf("%s editing the member's profile: %d, want %d", v.role, r.status, want)
		}
		if v.role == web.Officer && !strings.Contains(r.body, "Membership (officers)") {
			t.Error("an officer does not see the membership fields")
		}
		if v.role == web.Officer && strings.Contains(r.body, "Roles (admins)") {
			t.Error("an officer sees the admin-only fields")
		}
	}
}

func TestRoster_MembersSeeContactsWithinTheQueryBudget(t *testing.T) {
	site := newAcctSite(t)
	c := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	admin := acctPerson(t, site.Store, demo.AdminEmail)
	officer := acctPerson(t, site.Store, demo.OfficerEmail)
	r := acctGet(t, c, site.URL+"/roster/")
	if r.status != http.StatusOK {
		t.Fatalf("/roster/: %d", r.status)
	}
	if n, _ := strconv.Atoi(r.header.Get("X-DB-Query-Count")); n == 0 || n > 3 {
		t.Errorf("/roster/ ran %s queries, budget 3", r.header.Get("X-DB-Query-Count"))
	}
	officers, _, _ := strings.Cut(r.body, "<h2>Members</h2>")
	if !strings.Contains(officers, "Otis Officer") || !strings.Contains(officers, "Vice president") {
		t.Error("the season's officers are not listed first with their positions")
	}
	if !strings.Contains(r.body, demo.AdminEmail) || !strings.Contains(r.body, nationalPhone(admin.Phone)) {
		t.Errorf("the roster lacks the admin's email or phone %s", nationalPhone(admin.Phone))
	}
	if strings.Contains(r.body, officer.Phone) {
		t.Error("phones are shown in E.164, want the national format")
	}

	for q, want := range map[string][]string{
		"mandy":                      {"Mandy Member"},
		"ADMIN@SABC":                 {"Ada Admin"},
		nationalPhone(officer.Phone): {"Otis Officer"},
	} {
		r := acctGet(t, c, site.URL+"/roster/?q="+url.QueryEscape(q))
		for _, name := range want {
			if !strings.Contains(r.body, name) {
				t.Errorf("search %q does not find %s", q, name)
			}
		}
		if !strings.Contains(r.body, "1 person matches") {
			t.Errorf("search %q: want exactly one match\n%s", q, acctExcerpt(r.body))
		}
	}
	if r := acctGet(t, c, site.URL+"/roster/?q=%25"); !strings.Contains(r.body, "0 people match") {
		t.Error("a % in the search is a wildcard, want it literal")
	}
}

// nationalPhone is written out here rather than calling forms.PhoneDisplay
// on both sides: (512) 555-1234.
func nationalPhone(e164 string) string {
	n := strings.TrimPrefix(e164, "+1")
	return "(" + n[:3] + ") " + n[3:6] + "-" + n[6:]
}

// TestPublicPages_NeverShowContactDetails fetches every public GET route as
// an anonymous visitor and as a guest: no member's email or phone appears.
func TestPublicPages_NeverShowContactDetails(t *testing.T) {
	site := newAcctSite(t)
	people, err := site.Store.People(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	guest := acctGuest(t, site.Store)
	var secrets []string
	for _, p := range people {
		if p.Member {
			secrets = append(secrets, p.Email, p.Phone, nationalPhone(p.Phone), strings.TrimPrefix(p.Phone, "+1"))
		}
	}
	clients := map[string]*http.Client{"anonymous": site.Client(),
		"guest": acctLogin(t, site.Site, guest.Email, demo.Password)}
	for who, c := range clients {
		for _, rc := range routeCases {
			if rc.need != web.Anonymous || !strings.HasPrefix(rc.pattern, "GET ") || strings.Contains(rc.path, "{me}") {
				continue
			}
			r := acctGet(t, c, site.URL+rc.path)
			for _, s := range secrets {
				if s != "" && strings.Contains(r.body, s) {
					t.Errorf("%s sees %q on %s", who, s, rc.path)
				}
			}
		}
	}
}

// TestSession_GETNeverWrites: browsing while logged in leaves the session
// row and the account untouched, and loading the visitor costs two queries.
func TestSession_GETNeverWrites(t *testing.T) {
	site := newAcctSite(t)
	c := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	snapshot := func() string {
		var out strings.Builder
		rows, err := site.Store.DB().Query(`SELECT token, expiry, data FROM sessions ORDER BY token`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var tok, exp string
			var data []byte
			rows.Scan(&tok, &exp, &data)
			out.WriteString(tok + exp + string(data))
		}
		var updated string
		site.Store.DB().QueryRow(`SELECT updated_at FROM people WHERE email = $1`, demo.MemberEmail).Scan(&updated)
		return out.String() + updated
	}
	before := snapshot()
	for _, p := range []string{"/", "/roster/", "/account/password/", "/tournaments/", "/login/"} {
		if r := acctGet(t, c, site.URL+p); r.status != http.StatusOK {
			t.Errorf("GET %s: %d", p, r.status)
		}
	}
	if snapshot() != before {
		t.Error("GET requests changed the sessions table or the account")
	}
	r := acctGet(t, c, site.URL+"/account/password/")
	if got := r.header.Get("X-DB-Query-Count"); got != "2" {
		t.Errorf("a logged-in page with no data of its own ran %s queries, want 2 (session + visitor)", got)
	}
}

// ---- profile edit and merge ----

func TestProfileEdit_OfficerChangesMembershipAndItIsAudited(t *testing.T) {
	site := newAcctSiteAt(t, testutil.Fixed)
	g := acctGuest(t, site.Store)
	officer := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	edit := "/anglers/" + fmt.Sprint(g.ID) + "/edit/"
	path := site.URL + edit
	form := pageForm(t, officer, path, edit)
	for k, v := range map[string]string{"phone": "512.555.0199", "member": "on", "member_since": "2026-03-01",
		"dues_paid_through": "2026-12-31", "add_position": "secretary", "is_admin": "on"} { // is_admin: not an officer's to set
		form.Set(k, v)
	}
	if r := acctPost(t, officer, path, form); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, acctExcerpt(r.body))
	}
	a, err := site.Store.Account(context.Background(), g.ID, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Member || a.MemberSince.String() != "2026-03-01" || a.Phone != "+15125550199" || !a.Officer || a.IsAdmin {
		t.Errorf("stored member=%v since=%s phone=%s officer=%v admin=%v", a.Member, a.MemberSince, a.Phone, a.Officer, a.IsAdmin)
	}
	var audits int
	site.Store.DB().QueryRow(`SELECT count(*) FROM audit_entries WHERE person_id = $1 AND action IN ('membership', 'create')`,
		g.ID).Scan(&audits)
	if audits != 2 {
		t.Errorf("%d audit entries, want 2 (membership, officer term)", audits)
	}
	// The guest, now a member and officer, sees the roster.
	if r := acctGet(t, acctLogin(t, site.Site, g.Email, demo.Password), site.URL+"/roster/"); r.status != http.StatusOK {
		t.Errorf("promoted guest on /roster/: %d", r.status)
	}
}

func TestProfileEdit_OwnerKeepsTypedValuesOnError(t *testing.T) {
	site := newAcctSite(t)
	c := acctLogin(t, site.Site, demo.MemberEmail, demo.Password)
	me := acctPerson(t, site.Store, demo.MemberEmail)
	edit := "/anglers/" + fmt.Sprint(me.ID) + "/edit/"
	form := pageForm(t, c, site.URL+edit, edit)
	form.Set("first_name", "Amanda")
	form.Set("email", demo.AdminEmail)
	form.Set("current_password", demo.Password)
	r := acctPost(t, c, site.URL+edit, form)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "already uses this email") ||
		!strings.Contains(r.body, `value="Amanda"`) {
		t.Errorf("taken email: %d\n%s", r.status, acctExcerpt(r.body))
	}
}

func TestMerge_MovesEverythingAndRescores(t *testing.T) {
	site := newAcctSite(t)
	ctx := context.Background()
	admin := acctLogin(t, site.Site, demo.AdminEmail, demo.Password)
	keep := acctGuest(t, site.Store)
	dupID, err := site.Store.CreatePerson(ctx, club.Person{Email: "second.account@example.org", FirstName: keep.FirstName,
		LastName: keep.LastName, IsActive: true, Phone: "+15125550111"})
	if err != nil {
		t.Fatal(err)
	}
	// Give the duplicate a result the kept account does not have.
	var tid, pid int64
	if err := site.Store.DB().QueryRow(`SELECT r.tournament_id, r.person_id FROM results r WHERE NOT EXISTS
		(SELECT 1 FROM results k WHERE k.tournament_id = r.tournament_id AND k.person_id = $1) ORDER BY r.id LIMIT 1`,
		keep.ID).Scan(&tid, &pid); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"results", "boat_anglers"} { // as if weighed in under the duplicate
		if _, err := site.Store.DB().Exec(`UPDATE `+table+` SET person_id = $1 WHERE tournament_id = $2 AND person_id = $3`,
			dupID, tid, pid); err != nil {
			t.Fatal(err)
		}
	}
	preview := acctGet(t, admin, site.URL+fmt.Sprintf("/admin/merge/?keep=%d&dup=%d", keep.ID, dupID))
	if !regexp.MustCompile(`Tournament results</th><td class="num">1<`).MatchString(preview.body) {
		t.Fatalf("preview does not show one result moving\n%s", acctExcerpt(preview.body))
	}
	r := acctPost(t, admin, site.URL+"/admin/merge/", url.Values{"keep": {fmt.Sprint(keep.ID)}, "dup": {fmt.Sprint(dupID)}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("merge: %d\n%s", r.status, acctExcerpt(r.body))
	}
	var moved, left int
	site.Store.DB().QueryRow(`SELECT count(*) FROM results WHERE tournament_id = $1 AND person_id = $2`, tid, keep.ID).Scan(&moved)
	site.Store.DB().QueryRow(`SELECT count(*) FROM results WHERE person_id = $1`, dupID).Scan(&left)
	dup, _ := site.Store.Person(ctx, dupID)
	if moved != 1 || left != 0 || dup.IsActive {
		t.Errorf("moved %d, left %d, duplicate active %v", moved, left, dup.IsActive)
	}
	var audits int
	site.Store.DB().QueryRow(`SELECT count(*) FROM audit_entries WHERE action = 'merge' AND person_id = $1`, keep.ID).Scan(&audits)
	if audits != 1 {
		t.Errorf("%d merge audit entries, want 1", audits)
	}

	// Merging back would give one account two results in that tournament.
	other := acctPerson(t, site.Store, demo.MemberEmail)
	var shared int64
	site.Store.DB().QueryRow(`SELECT a.tournament_id FROM results a JOIN results b ON a.tournament_id = b.tournament_id
		WHERE a.person_id = $1 AND b.person_id = $2 LIMIT 1`, keep.ID, other.ID).Scan(&shared)
	if shared == 0 {
		t.Skip("the demo guest never fished with the demo member")
	}
	r = acctPost(t, admin, site.URL+"/admin/merge/", url.Values{"keep": {fmt.Sprint(other.ID)}, "dup": {fmt.Sprint(keep.ID)}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "cannot be merged") {
		t.Errorf("conflicting merge: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if p, _ := site.Store.Person(ctx, keep.ID); !p.IsActive {
		t.Error("a refused merge deactivated the account anyway")
	}
	// The refusal links to each conflicting result; deleting the wrong ones
	// there (issue 11) lets the merge go through.
	rows, err := site.Store.DB().Query(`SELECT a.tournament_id FROM results a JOIN results b
		ON a.tournament_id = b.tournament_id WHERE a.person_id = $1 AND b.person_id = $2`, keep.ID, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	var conflicts []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		conflicts = append(conflicts, id)
	}
	rows.Close()
	for _, tid := range conflicts {
		link := fmt.Sprintf("/admin/tournaments/%d/results/%d/", tid, keep.ID)
		if !strings.Contains(r.body, `href="`+link+`"`) {
			t.Fatalf("the refusal does not link to %s\n%s", link, acctExcerpt(r.body))
		}
		form := pageForm(t, admin, site.URL+link, link+"delete/")
		form.Set("delete_reason", "the same angler under two accounts")
		form.Set("confirm", "on")
		if d := acctPost(t, admin, site.URL+link+"delete/", form); d.status != http.StatusSeeOther {
			t.Fatalf("delete the wrong result: %d\n%s", d.status, acctExcerpt(d.body))
		}
	}
	r = acctPost(t, admin, site.URL+"/admin/merge/", url.Values{"keep": {fmt.Sprint(other.ID)}, "dup": {fmt.Sprint(keep.ID)}})
	if r.status != http.StatusSeeOther && r.status != http.StatusOK || strings.Contains(r.body, "cannot be merged") {
		t.Errorf("merge after deleting the wrong results: %d\n%s", r.status, acctExcerpt(r.body))
	}
}

// Optimistic locking on people (issue 11): two officers open the same
// profile; the first saves; the second's save is refused with 409 and the
// conflict block naming the first officer and the differing field, with the
// second's input kept — and the first's change is not overwritten.
func TestProfileEdit_StaleFormGetsTheConflictPage(t *testing.T) {
	site := newAcctSite(t)
	g := acctGuest(t, site.Store)
	first := acctLogin(t, site.Site, demo.OfficerEmail, demo.Password)
	second := acctLogin(t, site.Site, demo.AdminEmail, demo.Password)
	edit := "/anglers/" + fmt.Sprint(g.ID) + "/edit/"
	f1, f2 := pageForm(t, first, site.URL+edit, edit), pageForm(t, second, site.URL+edit, edit)
	f1.Set("last_name", "Savedfirst")
	if r := acctPost(t, first, site.URL+edit, f1); r.status != http.StatusSeeOther {
		t.Fatalf("first save: %d\n%s", r.status, acctExcerpt(r.body))
	}
	f2.Set("first_name", "Typedsecond")
	r := acctPost(t, second, site.URL+edit, f2)
	officer := acctPerson(t, site.Store, demo.OfficerEmail)
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Someone else saved this") ||
		!strings.Contains(r.body, officer.Name()) || !strings.Contains(r.body, "Savedfirst") ||
		!strings.Contains(r.body, `value="Typedsecond"`) {
		t.Fatalf("stale save: %d, want 409 with the conflict block naming %s and the input kept\n%s",
			r.status, officer.Name(), acctExcerpt(r.body))
	}
	got := acctPerson(t, site.Store, g.Email)
	if got.LastName != "Savedfirst" || got.FirstName == "Typedsecond" {
		t.Errorf("stored %s %s: the stale form overwrote the first save", got.FirstName, got.LastName)
	}
	// Saving the conflict page again means "keep mine": it carries the new version.
	again := pageFormFromBody(t, r.body, edit)
	if r := acctPost(t, second, site.URL+edit, again); r.status != http.StatusSeeOther {
		t.Fatalf("save after the conflict: %d\n%s", r.status, acctExcerpt(r.body))
	}
	if got := acctPerson(t, site.Store, g.Email); got.FirstName != "Typedsecond" {
		t.Errorf("after keeping mine: first name %q", got.FirstName)
	}
}
