package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// One result outside the weigh-in (issue 11): an officer sets the membership
// snapshot, locks a place and points, or deletes the result — each with a
// reason, audited and rescored in the same transaction by the store. The
// weights themselves are corrected on the weigh-in screen (the form links
// there). The merge page links here to delete a duplicate's result.

type resultPage struct {
	T       club.Tournament
	R       club.Result
	Form    *forms.Form
	Message string
	Notice  string
}

var resultNotices = map[string]string{"saved": "Saved and rescored."}

// resultTarget loads the tournament and the result of person_id in it.
func (s *Server) resultTarget(w http.ResponseWriter, r *http.Request) (club.Tournament, club.Result, bool) {
	tid, ok1 := pathID(r, "id")
	pid, ok2 := pathID(r, "person_id")
	if !ok1 || !ok2 {
		s.notFound(w, r)
		return club.Tournament{}, club.Result{}, false
	}
	t, err := s.Store.Tournament(r.Context(), tid)
	if err != nil {
		s.fail(w, r, err)
		return t, club.Result{}, false
	}
	res, err := s.Store.ResultFor(r.Context(), tid, pid)
	if err != nil {
		s.fail(w, r, err)
		return t, res, false
	}
	return t, res, true
}

func (s *Server) resultForm(w http.ResponseWriter, r *http.Request) {
	t, res, ok := s.resultTarget(w, r)
	if !ok {
		return
	}
	f := forms.Empty()
	fillLockForm(f, res)
	s.render(w, r, http.StatusOK, "admin_result", "Result of "+res.Name(), resultPage{T: t, R: res, Form: f,
		Notice: resultNotices[r.URL.Query().Get("notice")]})
}

func fillLockForm(f *forms.Form, res club.Result) {
	f.Set("version", strconv.Itoa(res.Version))
	if res.WasMember {
		f.Set("was_member", "on")
	}
	if res.Locked {
		f.Set("locked", "on")
		if res.LockedPlace != nil {
			f.Set("locked_place", strconv.Itoa(*res.LockedPlace))
		}
		if res.LockedPoints != nil {
			f.Set("locked_points", strconv.Itoa(*res.LockedPoints))
		}
	}
}

// saveResultChange applies the membership snapshot and the lock from the
// form to the stored row and saves it through the weigh-in's store path.
func (s *Server) saveResultChange(w http.ResponseWriter, r *http.Request) {
	t, res, ok := s.resultTarget(w, r)
	if !ok {
		return
	}
	f := forms.New(r)
	reason := f.Get("reason")
	if reason == "" {
		f.Fail("reason", "Say why (it goes into the audit log).")
	}
	f.MaxLen("reason", "The reason", 500)
	change := res
	change.Version, change.Correction = lockVersion(f), reason
	change.WasMember = f.Checked("was_member")
	change.Locked = f.Checked("locked")
	change.LockedPlace, change.LockedPoints = nil, nil
	if change.Locked {
		change.LockedPlace = lockNumber(f, "locked_place", "Place", 1, 1000)
		change.LockedPoints = lockNumber(f, "locked_points", "Points", 0, 1000)
	}
	page := resultPage{T: t, R: res, Form: f}
	if !f.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "admin_result", "Result of "+res.Name(), page)
		return
	}
	_, err := s.Store.SaveResult(r.Context(), visitorOf(r.Context()).Person.ID, change)
	if s.resultRefused(w, r, err, &page) {
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/tournaments/%d/results/%d/?notice=saved", t.ID, res.PersonID), http.StatusSeeOther)
}

// lockNumber reads a whole number in [lo, hi] for a lock, or fails the field.
func lockNumber(f *forms.Form, name, label string, lo, hi int) *int {
	n, err := strconv.Atoi(f.Get(name))
	if err != nil || n < lo || n > hi {
		f.Fail(name, fmt.Sprintf("%s must be a whole number from %d to %d.", label, lo, hi))
		return nil
	}
	return &n
}

// deleteResultForm deletes the result; it needs the reason and the explicit
// confirmation box, so a stray tap at the ramp deletes nothing.
func (s *Server) deleteResultForm(w http.ResponseWriter, r *http.Request) {
	t, res, ok := s.resultTarget(w, r)
	if !ok {
		return
	}
	f := forms.New(r)
	reason := f.Get("delete_reason")
	if reason == "" {
		f.Fail("delete_reason", "Say why the result is deleted (it goes into the audit log).")
	}
	if !f.Checked("confirm") {
		f.Fail("confirm", "Tick the box to confirm: the result and its boat place are removed and the tournament rescored.")
	}
	page := resultPage{T: t, R: res, Form: f}
	if !f.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "admin_result", "Result of "+res.Name(), page)
		return
	}
	// The version the page was read at is checked by the DELETE itself: a
	// save since then makes it stale and removes nothing.
	err := s.Store.RemoveResultOf(r.Context(), visitorOf(r.Context()).Person.ID, t.ID, res.PersonID, lockVersion(f), reason)
	if s.resultRefused(w, r, err, &page) {
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tournaments/%d/", t.ID), http.StatusSeeOther)
}

// resultRefused renders the page again for an error the officer can act on
// (stale, the engine's field errors) and reports whether it handled err.
func (s *Server) resultRefused(w http.ResponseWriter, r *http.Request, err error, page *resultPage) bool {
	var stale *store.StaleError
	var es scoring.Errors
	switch {
	case err == nil:
		return false
	case errors.As(err, &stale):
		page.Message = s.staleMessage(r, stale)
		if cur, err := s.Store.ResultFor(r.Context(), page.T.ID, page.R.PersonID); err == nil {
			page.R = cur
			page.Form.Set("version", strconv.Itoa(cur.Version)) // saving again is deliberate
		}
		s.render(w, r, http.StatusConflict, "admin_result", "Result of "+page.R.Name(), *page)
	case errors.As(err, &es):
		// The engine names its fields; those not on this form go on top.
		onForm := map[string]string{"locked_place": "locked_place", "locked_points": "locked_points",
			"correction": "reason", "was_member": "was_member"}
		var other []string
		for _, e := range es {
			if name, ok := onForm[strings.TrimPrefix(e.Field, "entries[0].")]; ok {
				page.Form.Fail(name, e.Message)
			} else {
				other = append(other, e.Message)
			}
		}
		page.Message = strings.Join(other, " ")
		s.render(w, r, http.StatusUnprocessableEntity, "admin_result", "Result of "+page.R.Name(), *page)
	default:
		s.fail(w, r, err)
	}
	return true
}
