package web

import (
	"context"
	"time"

	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// A stale form (optimistic locking, issue 11): the object was saved by
// someone else after the form was read. The edit page is shown again with
// status 409, the person's input kept, and a conflictView above it naming who
// saved and what differs — never a silent overwrite. The page's hidden
// version is moved to the stored one, so saving again means "keep mine".

// fieldLabel names one form field for the comparison, in form order.
type fieldLabel struct{ Name, Label string }

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
		if a, b := yours.Get(l.Name), stored.Get(l.Name); a != b {
			v.Rows = append(v.Rows, conflictRow{Label: l.Label, Yours: a, Stored: b})
		}
	}
	return v
}
