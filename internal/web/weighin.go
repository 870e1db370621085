package web

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// The weigh-in screen (02-site §4): one page per tournament for the officer
// at the ramp. It works with plain form posts; app.js saves through the
// JSON API without a reload and queues saves while offline. After each save
// the standings on the same page show the stored outcome.

type weighInPage struct {
	T         club.Tournament
	Doc       resultsDoc
	Anglers   []club.Person // type-ahead choices: active members and guests
	Form      *forms.Form   // the result form
	BoatForm  *forms.Form
	Editing   bool   // the result form holds a stored row (Version set)
	EditingID int64  // its angler
	Message   string // conflict or duplicate, shown above the form
	Saved     string // the name just saved
	Warnings  []string
	Team      bool
}

func (s *Server) weighInTournament(w http.ResponseWriter, r *http.Request) (club.Tournament, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return club.Tournament{}, false
	}
	t, err := s.Store.Tournament(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return t, false
	}
	return t, true
}

// weighIn shows the screen; ?person=ID fills the form with that angler's
// stored result (an edit), ?boat=ID the boat form.
func (s *Server) weighIn(w http.ResponseWriter, r *http.Request) {
	t, ok := s.weighInTournament(w, r)
	if !ok {
		return
	}
	p := weighInPage{Form: forms.Empty(), BoatForm: forms.Empty()}
	q := r.URL.Query()
	if pid, ok := parseID(q.Get("person")); ok {
		if res, err := s.Store.ResultFor(r.Context(), t.ID, pid); err == nil {
			fillResultForm(p.Form, res)
			p.Editing, p.EditingID = true, pid
		}
	}
	if bid, ok := parseID(q.Get("boat")); ok {
		if err := s.fillBoatForm(r.Context(), p.BoatForm, t.ID, bid); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.fail(w, r, err)
			return
		}
	}
	if pid, ok := parseID(q.Get("saved")); ok {
		if person, err := s.Store.Person(r.Context(), pid); err == nil {
			p.Saved = person.Name()
		}
	}
	s.renderWeighIn(w, r, http.StatusOK, t, p)
}

func (s *Server) renderWeighIn(w http.ResponseWriter, r *http.Request, status int, t club.Tournament, p weighInPage) {
	var err error
	p.T, p.Team = t, t.Format == club.FormatTeam
	if p.Doc, err = s.standings(r.Context(), t.ID, true); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Doc.EditLinks = true
	if p.Anglers, err = s.Store.People(r.Context(), true); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.BoatForm == nil {
		p.BoatForm = forms.Empty()
	}
	s.render(w, r, status, "weighin", "Weigh-in · "+t.Name, p)
}

// anglerLabel is the type-ahead text of a person: "Ann Lee (#12)".
func anglerLabel(p club.Person) string { return fmt.Sprintf("%s (#%d)", p.Name(), p.ID) }

var labelID = regexp.MustCompile(`#(\d+)\)?\s*$`)

// pickAngler reads an angler field: the type-ahead label, a bare id, or a
// unique full name.
func (s *Server) pickAngler(r *http.Request, text string) (club.Person, error) {
	text = strings.TrimSpace(text)
	if m := labelID.FindStringSubmatch(text); m != nil {
		id, _ := parseID(m[1]) // 0 when out of range: no one
		return s.Store.Person(r.Context(), id)
	}
	if id, ok := parseID(text); ok {
		return s.Store.Person(r.Context(), id)
	}
	people, err := s.Store.People(r.Context(), true)
	if err != nil {
		return club.Person{}, err
	}
	var found []club.Person
	for _, p := range people {
		if strings.EqualFold(p.Name(), text) {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		return club.Person{}, store.ErrNotFound
	}
	return found[0], nil
}

// inputFromForm reads the result form into the API's input.
func inputFromForm(f *forms.Form) weighInInput {
	in := weighInInput{Gross: f.Get("gross"), BigBass: f.Get("big_bass"), OtherPenalty: f.Get("other_penalty"),
		OtherPenaltyReason: f.Get("other_penalty_reason"), BuyIn: f.Checked("buy_in"), DQ: f.Checked("dq"),
		DQReason: f.Get("dq_reason"), DQPointsAllowed: f.Checked("dq_points_allowed"),
		ConfirmHeavy: f.Checked("confirm_heavy"), Correction: f.Get("correction")}
	for _, c := range []struct {
		name string
		dst  *int
	}{{"fish", &in.Fish}, {"dead", &in.Dead}, {"late_minutes", &in.LateMinutes}, {"version", &in.Version}} {
		v := f.Get(c.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100000 {
			f.Fail(c.name, "Enter a whole number like 3.")
			continue
		}
		*c.dst = n
	}
	for _, l := range strings.Split(f.Get("lengths"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			in.Lengths = append(in.Lengths, l)
		}
	}
	return in
}

func fillResultForm(f *forms.Form, r club.Result) {
	f.Set("angler", fmt.Sprintf("%s (#%d)", r.Name(), r.PersonID))
	set := func(name string, v int) {
		if v != 0 {
			f.Set(name, strconv.Itoa(v))
		}
	}
	set("fish", r.Fish)
	set("dead", r.Dead)
	set("late_minutes", r.LateMinutes)
	f.Set("version", strconv.Itoa(r.Version))
	if r.Gross != 0 {
		f.Set("gross", weightText(r.Gross))
	}
	if r.BigBass != 0 {
		f.Set("big_bass", weightText(r.BigBass))
	}
	if r.OtherPenalty != 0 {
		f.Set("other_penalty", weightText(r.OtherPenalty))
	}
	f.Set("other_penalty_reason", r.OtherReason)
	f.Set("lengths", r.Lengths)
	f.Set("dq_reason", r.DQReason)
	for name, on := range map[string]bool{"buy_in": r.BuyIn, "dq": r.Disqualified, "dq_points_allowed": r.DQPointsAllowed} {
		if on {
			f.Set(name, "on")
		}
	}
}

// saveWeighInForm is the no-JS save: POST the form, get the screen back
// with the standings (303 to it on success, so a reload does not resend).
func (s *Server) saveWeighInForm(w http.ResponseWriter, r *http.Request) {
	t, ok := s.weighInTournament(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	f := forms.New(r)
	p := weighInPage{Form: f}
	person, err := s.formAngler(r, f)
	in := inputFromForm(f)
	if err != nil || !f.Valid() {
		s.renderWeighIn(w, r, formStatus(f), t, p)
		return
	}
	err = s.saveWeighIn(ctx, visitorOf(ctx).Person.ID, t, person, in)
	var es scoring.Errors
	var stale *store.StaleError
	var dup *store.DuplicateError
	switch {
	case err == nil:
		http.Redirect(w, r, fmt.Sprintf("/tournaments/%d/weigh-in/?saved=%d#angler", t.ID, person.ID), http.StatusSeeOther)
		return
	case errors.As(err, &es):
		for _, e := range es {
			f.Fail(formFieldOf(e.Field), e.Message)
		}
		s.renderWeighIn(w, r, http.StatusUnprocessableEntity, t, p)
	case errors.As(err, &dup):
		p.Message = fmt.Sprintf("%s already has a result (%s lb, %d fish). Edit that one instead of adding a second.",
			dup.Existing.Name(), weightText(dup.Existing.Gross), dup.Existing.Fish)
		p.Doc.Tournament.ID = t.ID
		s.renderWeighIn(w, r, http.StatusConflict, t, p)
	case errors.As(err, &stale):
		p.Message = s.staleMessage(r, stale)
		if cur, err := s.Store.ResultFor(ctx, t.ID, person.ID); err == nil {
			f.Set("version", strconv.Itoa(cur.Version)) // the next save is a deliberate overwrite
			p.Message += fmt.Sprintf(" Stored now: %d fish, %s lb.", cur.Fish, weightText(cur.Gross))
		} else {
			f.Set("version", "0")
		}
		s.renderWeighIn(w, r, http.StatusConflict, t, p)
	default:
		s.fail(w, r, err)
	}
}

// formFieldOf maps an API field name to the form's input name.
func formFieldOf(field string) string {
	if field == "dq_reason" || field == "other_penalty_reason" {
		return field
	}
	return strings.TrimPrefix(field, "entries[0].")
}

// staleMessage is "changed by X at HH:MM — review and save again".
func (s *Server) staleMessage(r *http.Request, e *store.StaleError) string {
	who := "someone else"
	if e.By != 0 {
		if p, err := s.Store.Person(r.Context(), e.By); err == nil {
			who = p.Name()
		}
	}
	at := ""
	if !e.At.IsZero() {
		at = " at " + e.At.In(club.Location).Format("15:04")
	}
	return "Changed by " + who + at + " — review and save again."
}

// formAngler resolves the angler field, or creates the guest named in the
// inline "new guest" fields.
func (s *Server) formAngler(r *http.Request, f *forms.Form) (club.Person, error) {
	first, last := strings.TrimSpace(f.Get("guest_first")), strings.TrimSpace(f.Get("guest_last"))
	if first != "" || last != "" {
		if first == "" || last == "" {
			f.Fail("guest_first", "A new guest needs a first and a last name.")
			return club.Person{}, store.ErrNotFound
		}
		f.MaxLen("guest_first", "The first name", 60)
		f.MaxLen("guest_last", "The last name", 60)
		if !f.Valid() {
			return club.Person{}, store.ErrNotFound
		}
		// Guests entered at the ramp have no login; the address is a unique
		// placeholder (reserved .invalid domain) until they register.
		email := "guest-" + strings.ToLower(rand.Text()[:12]) + "@guests.invalid"
		id, err := s.Store.CreatePerson(r.Context(), club.Person{Email: email, FirstName: first, LastName: last,
			IsActive: true})
		if err != nil {
			return club.Person{}, err
		}
		p, err := s.Store.Person(r.Context(), id)
		if err == nil {
			f.Set("angler", anglerLabel(p))
			f.Set("guest_first", "")
			f.Set("guest_last", "")
		}
		return p, err
	}
	if f.Get("angler") == "" {
		f.Fail("angler", "Pick the angler (type a name), or add a new guest below.")
		return club.Person{}, store.ErrNotFound
	}
	p, err := s.pickAngler(r, f.Get("angler"))
	if err != nil {
		f.Fail("angler", "No single angler matches "+strconv.Quote(f.Get("angler"))+": pick one from the list.")
	}
	return p, err
}

// deleteWeighInForm removes one angler's result from the screen.
func (s *Server) deleteWeighInForm(w http.ResponseWriter, r *http.Request) {
	t, ok := s.weighInTournament(w, r)
	if !ok {
		return
	}
	f := forms.New(r)
	pid, _ := parseID(f.Get("person_id"))
	version := parseVersion(f.Get("version"))
	err := s.deleteWeighIn(r.Context(), visitorOf(r.Context()).Person.ID, t, pid, version, f.Get("correction"))
	var stale *store.StaleError
	var es scoring.Errors
	switch {
	case err == nil || errors.Is(err, store.ErrNotFound):
		http.Redirect(w, r, fmt.Sprintf("/tournaments/%d/weigh-in/", t.ID), http.StatusSeeOther)
	case errors.As(err, &stale):
		s.renderWeighIn(w, r, http.StatusConflict, t, weighInPage{Form: forms.Empty(), Message: s.staleMessage(r, stale)})
	case errors.As(err, &es):
		s.renderWeighIn(w, r, http.StatusUnprocessableEntity, t, weighInPage{Form: forms.Empty(), Message: es[0].Message})
	default:
		s.fail(w, r, err)
	}
}

// wfield is one weigh-in input for the templates; mode is its inputmode.
func wfield(f *forms.Form, name, label, mode string) fieldView {
	return fieldView{Name: name, Label: label, Type: mode, Value: f.Get(name), Error: f.Errors[name]}
}
