package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// auditRow is an audit entry as the pages show it: what changed, field by
// field, before → after.
type auditRow struct {
	club.AuditEntry
	Link    string // the audited object's page
	Changes []auditChange
	Reason  string
}

type auditChange struct{ Field, Before, After string }

func auditRows(es []club.AuditEntry) []auditRow {
	out := make([]auditRow, len(es))
	for i, e := range es {
		out[i] = auditRow{AuditEntry: e, Link: auditLink(e)}
		out[i].Changes, out[i].Reason = auditDiff(e.Before, e.After)
	}
	return out
}

func auditLink(e club.AuditEntry) string {
	switch {
	case e.TournamentID != 0:
		return "/tournaments/" + strconv.FormatInt(e.TournamentID, 10) + "/"
	case e.ObjectKind == "season":
		return "/rules/" + strconv.FormatInt(e.ObjectID, 10) + "/"
	case e.ObjectKind == "lake":
		return "/lakes/" + strconv.FormatInt(e.ObjectID, 10) + "/"
	case e.ObjectKind == "club":
		return "/admin/club/"
	case e.PersonID != 0:
		return "/anglers/" + strconv.FormatInt(e.PersonID, 10) + "/"
	}
	return ""
}

// auditDiff compares the before and after JSON objects key by key and lists
// the keys whose values differ. A correction's {"result": …, "reason": …}
// wrapper is unwrapped, its reason returned on its own.
func auditDiff(before, after string) ([]auditChange, string) {
	b, a := map[string]any{}, map[string]any{}
	json.Unmarshal([]byte(before), &b)
	json.Unmarshal([]byte(after), &a)
	reason := ""
	if r, ok := a["reason"].(string); ok {
		reason = r
		delete(a, "reason")
		if inner, ok := a["result"].(map[string]any); ok {
			a = inner
		}
	}
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []auditChange
	for k := range keys {
		bv, av := auditValue(b[k]), auditValue(a[k])
		if bv != av && !auditSkip[k] {
			out = append(out, auditChange{Field: k, Before: bv, After: av})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out, reason
}

// auditSkip are bookkeeping and derived keys: the scoring step writes them,
// so an input's "after" holds no meaningful value for them.
var auditSkip = map[string]bool{"UpdatedAt": true, "Version": true, "UpdatedBy": true, "updated_at": true,
	"Penalty": true, "Net": true, "Place": true, "Points": true, "PrizeCents": true, "TieNote": true,
	"OutFish": true, "OutBigBass": true, "OutBuyIn": true, "OutDQ": true, "OutDQReason": true,
	"FirstName": true, "LastName": true, "Entries": true, "PotTotalCents": true, "BigBassPotCents": true,
	"BigBassCarryInCents": true, "BigBassCarryFromID": true, "BigBassCarriedOut": true, "StatsJSON": true,
	"LakeName": true, "LakeMapURL": true, "LakeState": true, "RampName": true, "RampMapURL": true, "EventID": true, "ID": true}

func auditValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		b, _ := json.Marshal(x)
		return fmt.Sprint(string(b))
	}
}

// auditKinds are the object kinds the store audits, for the filter.
var auditKinds = []string{"result", "boat", "tournament", "season", "event", "lake", "ramp", "club", "person", "officer-term", "merge"}

type auditPage struct {
	Form   *forms.Form
	Rows   []auditRow
	Kinds  []string
	Next   string // link to the next page, "" on the last
	Filter store.AuditFilter
}

const auditPageSize = 50

// auditLog is /admin/audit/: every audited officer write, newest first,
// filtered by ?tournament=, ?person=, ?kind=, ?from= and ?to= (club days).
// A filter that does not parse is named next to its field, not ignored.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := forms.Empty()
	for _, k := range []string{"tournament", "person", "kind", "from", "to"} {
		f.Set(k, strings.TrimSpace(q.Get(k)))
	}
	flt := store.AuditFilter{Limit: auditPageSize + 1}
	flt.TournamentID = queryID(f, "tournament", "Tournament")
	flt.PersonID = queryID(f, "person", "Person")
	if k := f.Get("kind"); k != "" {
		if !slices.Contains(auditKinds, k) {
			f.Fail("kind", "Choose a kind from the list.")
		}
		flt.Kind = k
	}
	flt.From = parseOptionalDate(f, "from", "From")
	flt.To = parseOptionalDate(f, "to", "To")
	if page, err := strconv.Atoi(q.Get("page")); err == nil && page > 1 && page < 10000 {
		flt.Offset = (page - 1) * auditPageSize
	}
	d := auditPage{Form: f, Kinds: auditKinds, Filter: flt}
	if !f.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "admin_audit", "Audit log", d)
		return
	}
	entries, err := s.Store.AuditEntries(r.Context(), flt)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(entries) > auditPageSize {
		entries = entries[:auditPageSize]
		next := url.Values{}
		for k, v := range f.Values {
			if v != "" {
				next.Set(k, v)
			}
		}
		next.Set("page", strconv.Itoa(flt.Offset/auditPageSize+2))
		d.Next = "/admin/audit/?" + next.Encode()
	}
	d.Rows = auditRows(entries)
	s.render(w, r, http.StatusOK, "admin_audit", "Audit log", d)
}

// queryID reads an optional positive id field, failing it when it is not one.
func queryID(f *forms.Form, name, label string) int64 {
	v := f.Get(name)
	if v == "" {
		return 0
	}
	id, ok := parseID(v)
	if !ok {
		f.Fail(name, label+" must be a number like 12 (the id in its page's address).")
		return 0
	}
	return id
}
