package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// Boats, mark complete and hide-live on the weigh-in screen.

// saveBoatForm pairs one or two anglers into a boat. In team format the
// boat is what is weighed: its catch is entered here, and the anglers get
// a participation row if they have none.
func (s *Server) saveBoatForm(w http.ResponseWriter, r *http.Request) {
	t, ok := s.weighInTournament(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	me := visitorOf(ctx).Person.ID
	f := forms.New(r)
	p := weighInPage{Form: forms.Empty(), BoatForm: f}
	b := club.Boat{TournamentID: t.ID}
	b.ID, _ = parseID(f.Get("boat_id"))
	b.Version = parseVersion(f.Get("version"))
	for _, field := range []string{"boat_a", "boat_b"} {
		if f.Get(field) == "" {
			continue
		}
		person, err := s.pickAngler(r, f.Get(field))
		if err != nil {
			f.Fail(field, "No single angler matches "+strconv.Quote(f.Get(field))+".")
			continue
		}
		b.Anglers = append(b.Anglers, club.BoatAngler{PersonID: person.ID, FirstName: person.FirstName, LastName: person.LastName})
	}
	if len(b.Anglers) == 0 && f.Valid() {
		f.Fail("boat_a", "Pick at least one angler for the boat.")
	}
	if t.Format == club.FormatTeam {
		in := inputFromForm(f)
		res, err := in.resultOf(t.ID, 0)
		var es scoring.Errors
		if errors.As(err, &es) {
			for _, e := range es {
				f.Fail(e.Field, e.Message)
			}
		}
		b.Fish, b.Dead, b.LateMinutes, b.Gross, b.BigBass = res.Fish, res.Dead, res.LateMinutes, res.Gross, res.BigBass
		b.OtherPenalty, b.OtherReason, b.BuyIn, b.Disqualified = res.OtherPenalty, res.OtherReason, res.BuyIn, res.Disqualified
		b.DQReason, b.DQPointsAllowed, b.ConfirmHeavy = res.DQReason, res.DQPointsAllowed, res.ConfirmHeavy
	}
	if !f.Valid() {
		s.renderWeighIn(w, r, formStatus(f), t, p)
		return
	}
	if t.Status == club.StatusComplete {
		p.Message = "The tournament is complete: boats no longer change here."
		s.renderWeighIn(w, r, http.StatusConflict, t, p)
		return
	}
	if t.Format == club.FormatTeam {
		for _, a := range b.Anglers {
			person, err := s.Store.Person(ctx, a.PersonID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if _, err := s.Store.ResultFor(ctx, t.ID, a.PersonID); errors.Is(err, store.ErrNotFound) {
				if err := s.saveWeighIn(ctx, me, t, person, weighInInput{}); err != nil {
					s.fail(w, r, err)
					return
				}
			}
		}
	}
	_, err := s.Store.SaveWeighInBoat(ctx, me, b, t.Status == club.StatusScheduled)
	var es scoring.Errors
	switch {
	case err == nil:
		http.Redirect(w, r, fmt.Sprintf("/tournaments/%d/weigh-in/#boats", t.ID), http.StatusSeeOther)
	case errors.As(err, &es):
		for _, e := range es {
			f.Fail(e.Field, e.Message)
		}
		s.renderWeighIn(w, r, http.StatusUnprocessableEntity, t, p)
	case errors.Is(err, store.ErrStale):
		p.Message = "This boat was changed by someone else — review and save again."
		s.renderWeighIn(w, r, http.StatusConflict, t, p)
	case errors.Is(err, store.ErrConflict):
		p.Message = "An angler is already in another boat (or has no result yet: enter their weigh-in first)."
		s.renderWeighIn(w, r, http.StatusConflict, t, p)
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) deleteBoatForm(w http.ResponseWriter, r *http.Request) {
	t, ok := s.weighInTournament(w, r)
	if !ok {
		return
	}
	if t.Status == club.StatusComplete {
		s.renderWeighIn(w, r, http.StatusConflict, t, weighInPage{Form: forms.Empty(),
			Message: "The tournament is complete: boats no longer change here."})
		return
	}
	id, _ := parseID(forms.New(r).Get("boat_id"))
	if err := s.Store.DeleteBoat(r.Context(), visitorOf(r.Context()).Person.ID, id); err != nil &&
		!errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tournaments/%d/weigh-in/#boats", t.ID), http.StatusSeeOther)
}

// fillBoatForm puts a stored boat into the boat form for a direct edit: its
// seats as type-ahead labels, the team catch, and the version the save
// sends back (a boat changed meanwhile is a conflict, not an overwrite).
func (s *Server) fillBoatForm(ctx context.Context, f *forms.Form, tid, id int64) error {
	boats, err := s.Store.Boats(ctx, tid)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(boats, func(b club.Boat) bool { return b.ID == id })
	if i < 0 {
		return store.ErrNotFound
	}
	b := boats[i]
	f.Set("boat_id", strconv.FormatInt(b.ID, 10))
	f.Set("version", strconv.Itoa(b.Version))
	for j, field := range []string{"boat_a", "boat_b"} {
		if j < len(b.Anglers) {
			a := b.Anglers[j]
			f.Set(field, anglerLabel(club.Person{ID: a.PersonID, FirstName: a.FirstName, LastName: a.LastName}))
		}
	}
	fillResultForm(f, club.Result{Fish: b.Fish, Dead: b.Dead, LateMinutes: b.LateMinutes, Gross: b.Gross,
		BigBass: b.BigBass, OtherPenalty: b.OtherPenalty, OtherReason: b.OtherReason, BuyIn: b.BuyIn,
		Disqualified: b.Disqualified, DQReason: b.DQReason, DQPointsAllowed: b.DQPointsAllowed})
	f.Set("angler", "") // fillResultForm names the (absent) angler
	f.Set("version", strconv.Itoa(b.Version))
	return nil
}

// completeWarnings lists what an officer should look at before marking the
// tournament complete (02-site §4).
func completeWarnings(d resultsDoc, team bool) []string {
	var out []string
	seen := map[int64]int{}
	names := map[int64]string{}
	for _, b := range d.Boats {
		if len(b.Anglers) < 2 {
			out = append(out, fmt.Sprintf("Boat %s has one angler.", boatLabel(b)))
		}
		for _, a := range b.Anglers {
			seen[a.PersonID]++
			names[a.PersonID] = a.Name
		}
	}
	for id, n := range seen {
		if n > 1 {
			out = append(out, names[id]+" is listed in more than one boat.")
		}
	}
	for _, r := range d.Results {
		if !team && !r.BuyIn && !r.DQ && r.Fish > 0 && r.Gross == "0.00" {
			out = append(out, fmt.Sprintf("%s has %d fish but no weight.", r.Name, r.Fish))
		}
		if team && r.BoatID == 0 {
			out = append(out, r.Name+" is in no boat.")
		}
	}
	if len(d.Results) == 0 {
		out = append(out, "Nobody has a result yet.")
	}
	return out
}

func boatLabel(b apiBoat) string {
	s := ""
	for i, a := range b.Anglers {
		if i > 0 {
			s += " & "
		}
		s += a.Name
	}
	return s
}

// markComplete makes the results official. With warnings it asks once more
// (the "confirm" box); afterwards results change only through corrections.
func (s *Server) markComplete(w http.ResponseWriter, r *http.Request) {
	t, ok := s.weighInTournament(w, r)
	if !ok {
		return
	}
	f := forms.New(r)
	d, err := s.standings(r.Context(), t.ID, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if warn := completeWarnings(d, t.Format == club.FormatTeam); len(warn) > 0 && !f.Checked("confirm") {
		s.renderWeighIn(w, r, http.StatusUnprocessableEntity, t, weighInPage{Form: forms.Empty(), Warnings: warn})
		return
	}
	if err := s.Store.SetTournamentStatus(r.Context(), visitorOf(r.Context()).Person.ID, t.ID, club.StatusComplete); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tournaments/%d/weigh-in/", t.ID), http.StatusSeeOther)
}

// setHideLive hides the live leaderboard until complete, or shows it.
func (s *Server) setHideLive(w http.ResponseWriter, r *http.Request) {
	t, ok := s.weighInTournament(w, r)
	if !ok {
		return
	}
	hide := forms.New(r).Checked("hide_live")
	if err := s.Store.SetHideLive(r.Context(), visitorOf(r.Context()).Person.ID, t.ID, hide); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/tournaments/%d/weigh-in/", t.ID), http.StatusSeeOther)
}
