package web

import (
	"context"
	"strconv"
	"time"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// A stale form (optimistic locking, issue 11): the object was saved by
// someone else after the form was read. The edit page is shown again with
// status 409, the person's input kept, and a conflictView above it naming who
// saved and what differs — never a silent overwrite. The page's hidden
// version is moved to the stored one, so saving again means "keep mine".

// fieldLabel names one form field for the comparison, in form order. Show,
// when set, is how a value reads to a person: a ticked box is "Yes", not
// the "on" the form carries; a lake is its name, not its id.
type fieldLabel struct {
	Name, Label string
	Show        func(string) string
}

// checkbox labels a checkbox field.
func checkbox(name, label string) fieldLabel { return fieldLabel{name, label, tickedOrNot} }

func tickedOrNot(v string) string {
	if forms.IsChecked(v) {
		return "Yes"
	}
	return "No"
}

// withPlaces is labels with the lake and ramp fields (ids) shown as the
// names of the lakes the form offers; an id not among them shows as is.
func withPlaces(labels []fieldLabel, lakes []club.Lake) []fieldLabel {
	lakeNames, rampNames := map[string]string{}, map[string]string{}
	for _, l := range lakes {
		lakeNames[strconv.FormatInt(l.ID, 10)] = l.Name
		for _, rp := range l.Ramps {
			rampNames[strconv.FormatInt(rp.ID, 10)] = rp.Name
		}
	}
	named := func(names map[string]string) func(string) string {
		return func(id string) string {
			if n, ok := names[id]; ok {
				return n
			}
			return id
		}
	}
	out := append([]fieldLabel(nil), labels...)
	for i := range out {
		switch out[i].Name {
		case "lake":
			out[i].Show = named(lakeNames)
		case "ramp":
			out[i].Show = named(rampNames)
		}
	}
	return out
}

// conflictRow is one field whose stored value differs from the typed one.
type conflictRow struct{ Label, Yours, Stored string }

// conflictView is what partials/conflict.html shows.
type conflictView struct {
	By   string // the last saver's name from the audit log; "" if unknown
	At   time.Time
	Rows []conflictRow
}

// conflict compares the form as typed (yours) with the form the stored object
// would fill (stored), field by field in the order of labels, and finds who
// saved last in the audit log (kind and id as audited).
func (s *Server) conflict(ctx context.Context, kind string, id int64, yours, stored *forms.Form,
	labels []fieldLabel) conflictView {
	var v conflictView
	if es, err := s.Store.AuditEntries(ctx, store.AuditFilter{Kind: kind, ObjectID: id, Limit: 1}); err == nil && len(es) > 0 {
		v.By, v.At = es[0].ActorName, es[0].At
	}
	for _, l := range labels {
		a, b := yours.Get(l.Name), stored.Get(l.Name)
		if l.Show != nil {
			a, b = l.Show(a), l.Show(b)
		}
		if a != b {
			v.Rows = append(v.Rows, conflictRow{Label: l.Label, Yours: a, Stored: b})
		}
	}
	return v
}
