package web

import (
	"errors"
	"net/http"
	"strconv"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// mergeData is the merge page: two pickers, then a preview, then the result.
type mergeData struct {
	People  []club.Person
	KeepID  int64
	DupID   int64
	Preview *store.MergePreview
	Error   string
	Done    *club.Person // the kept account after a merge
}

// mergeForm lets an admin pick the account to keep and the duplicate, and
// previews what would move (GET ?keep=&dup=; nothing changes).
func (s *Server) mergeForm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	d := mergeData{}
	d.KeepID, _ = parseID(q.Get("keep"))
	d.DupID, _ = parseID(q.Get("dup"))
	var err error
	if d.People, err = s.Store.People(ctx, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if done, ok := parseID(q.Get("done")); ok {
		for i := range d.People {
			if d.People[i].ID == done {
				d.Done = &d.People[i]
			}
		}
	}
	status := http.StatusOK
	if d.KeepID > 0 && d.DupID > 0 {
		p, err := s.Store.PreviewMerge(ctx, d.KeepID, d.DupID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			d.Error, status = "One of those accounts does not exist.", http.StatusNotFound
		case errors.Is(err, store.ErrConflict):
			d.Error, status = "Pick two different accounts.", http.StatusUnprocessableEntity
		case err != nil:
			s.fail(w, r, err)
			return
		default:
			d.Preview = &p
		}
	}
	s.render(w, r, status, "merge", "Merge accounts", d)
}

// merge moves everything of the duplicate to the kept account in one
// transaction (store.MergeAccounts), or explains why it cannot.
func (s *Server) merge(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := forms.New(r)
	keep, _ := parseID(f.Get("keep"))
	dup, _ := parseID(f.Get("dup"))
	d := mergeData{KeepID: keep, DupID: dup}
	var err error
	if d.People, err = s.Store.People(ctx, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if keep <= 0 || dup <= 0 || keep == dup {
		d.Error = "Pick the account to keep and a different duplicate account."
		s.render(w, r, http.StatusUnprocessableEntity, "merge", "Merge accounts", d)
		return
	}
	actor := visitorOf(ctx).Person.ID
	p, err := s.Store.MergeAccounts(ctx, actor, keep, dup)
	var conflict *store.MergeConflictError
	switch {
	case errors.As(err, &conflict):
		d.Preview = &p
		d.Error = "These accounts cannot be merged: both have a result in the same tournament or a vote in the same poll. " +
			"Fix the duplicate entries first (listed below), then merge."
		s.render(w, r, http.StatusConflict, "merge", "Merge accounts", d)
		return
	case errors.Is(err, store.ErrNotFound):
		d.Error = "One of those accounts does not exist."
		s.render(w, r, http.StatusNotFound, "merge", "Merge accounts", d)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	s.securityEvent(r, "accounts merged", "kept_id", keep, "duplicate_id", dup, "results", p.Results,
		"boats", p.Boats, "votes", p.Votes, "officer_terms", p.OfficerTerms)
	http.Redirect(w, r, "/admin/merge/?done="+strconv.FormatInt(keep, 10), http.StatusSeeOther)
}
