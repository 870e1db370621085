package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// Officers manage the calendar (02-site §4): meetings, holidays, closures
// and other events are created, edited, cancelled (kept, marked cancelled)
// and deleted here; a tournament's event is edited and deleted with its
// tournament (admin_tournaments.go), so the links below lead there.

// eventKinds are the kinds an officer creates here; "tournament" events
// come with their tournament.
var eventKinds = slices.DeleteFunc(slices.Clone(club.EventKinds), func(k string) bool { return k == "tournament" })

type eventListData struct {
	Year   int
	Events []club.Event
	Notice string
}

var eventNotices = map[string]string{"deleted": "Deleted.", "saved": "Saved.", "cancelled": "Marked cancelled.",
	"uncancelled": "No longer cancelled."}

// eventList is the year's events (one query), each with its edit, cancel
// and delete actions.
func (s *Server) eventList(w http.ResponseWriter, r *http.Request) {
	year, ok := parseYear(r.URL.Query().Get("year"))
	if !ok {
		year = club.Today(s.Now()).Year()
	}
	evs, err := s.Store.Events(r.Context(), club.NewDate(year, 1, 1), club.NewDate(year+1, 1, 1))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := eventListData{Year: year, Events: evs, Notice: eventNotices[r.URL.Query().Get("notice")]}
	s.render(w, r, http.StatusOK, "admin_events", "Events "+strconv.Itoa(year), d)
}

type eventFormData struct {
	Form     *forms.Form
	ID       int64
	Kinds    []string
	Lakes    []club.Lake
	Conflict *conflictView
}

var eventLabels = []fieldLabel{
	{"kind", "Kind", nil}, {"title", "Title", nil}, {"date", "Date", nil}, {"start_time", "Start time", nil},
	{"end_time", "End time", nil}, {"lake", "Lake", nil}, {"ramp", "Ramp", nil},
	checkbox("cancelled", "Cancelled"), {"description", "Description", nil},
}

func eventForm(e club.Event) *forms.Form {
	f := forms.Empty()
	f.Set("kind", e.Kind)
	f.Set("title", e.Title)
	whenWhereForm(f, e.Date, e.StartTime, e.EndTime, e.LakeID, e.RampID)
	setCheck(f, "cancelled", e.Cancelled)
	f.Set("description", e.Description)
	if e.Version > 0 {
		f.Set("version", strconv.Itoa(e.Version))
	}
	return f
}

func parseEvent(f *forms.Form, lakes []club.Lake, e club.Event) club.Event {
	f.Required("title", "Title")
	f.MaxLen("title", "Title", 120)
	f.MaxLen("description", "Description", 4000)
	if k := f.Get("kind"); !slices.Contains(eventKinds, k) {
		f.Fail("kind", "Choose a kind from the list (tournaments are added as tournaments).")
	} else {
		e.Kind = k
	}
	e.Title, e.Description, e.Cancelled = f.Get("title"), f.Get("description"), f.Checked("cancelled")
	e.Date, e.StartTime, e.EndTime = parseWhen(f)
	lake, ramp := parsePlace(f, lakes)
	e.LakeID, e.RampID = lake.ID, ramp
	return e
}

func (s *Server) renderEventForm(w http.ResponseWriter, r *http.Request, status int, d eventFormData) {
	title := "New event"
	if d.ID != 0 {
		title = "Edit event"
	}
	d.Kinds = eventKinds
	s.render(w, r, status, "admin_event_edit", title, d)
}

func (s *Server) newEventForm(w http.ResponseWriter, r *http.Request) {
	lakes, err := s.Store.Lakes(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := forms.Empty()
	f.Set("kind", "meeting")
	s.renderEventForm(w, r, http.StatusOK, eventFormData{Form: f, Lakes: lakes})
}

func (s *Server) createEvent(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, lakes, ok := s.formAndLakes(w, r)
	if !ok {
		return
	}
	e := parseEvent(f, lakes, club.Event{})
	if !f.Valid() {
		s.renderEventForm(w, r, http.StatusUnprocessableEntity, eventFormData{Form: f, Lakes: lakes})
		return
	}
	if _, err := s.Store.CreateEvent(ctx, e); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/events/?year="+strconv.Itoa(e.Date.Year())+"&notice=saved", http.StatusSeeOther)
}

// eventTarget loads {id}'s event; a tournament's event is sent to the
// tournament's page of the same action (false).
func (s *Server) eventTarget(w http.ResponseWriter, r *http.Request, action string) (club.Event, bool) {
	id, ok := s.pathID(w, r)
	if !ok {
		return club.Event{}, false
	}
	e, err := s.Store.Event(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return e, false
	}
	if e.TournamentID != 0 && action != "" {
		http.Redirect(w, r, "/admin/tournaments/"+strconv.FormatInt(e.TournamentID, 10)+"/"+action+"/",
			http.StatusSeeOther)
		return e, false
	}
	return e, true
}

func (s *Server) editEventForm(w http.ResponseWriter, r *http.Request) {
	e, ok := s.eventTarget(w, r, "edit")
	if !ok {
		return
	}
	lakes, err := s.Store.Lakes(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderEventForm(w, r, http.StatusOK, eventFormData{Form: eventForm(e), ID: e.ID, Lakes: lakes})
}

func (s *Server) saveEvent(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	stored, ok := s.eventTarget(w, r, "edit")
	if !ok {
		return
	}
	f, lakes, ok := s.formAndLakes(w, r)
	if !ok {
		return
	}
	d := eventFormData{Form: f, ID: stored.ID, Lakes: lakes}
	e := parseEvent(f, lakes, stored)
	if e.Version, ok = formVersion(f); !ok {
		f.Fail("version", "This form lacks the version it was read at: reload the page and edit again.")
	}
	if !f.Valid() {
		s.renderEventForm(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	err := s.Store.UpdateEvent(ctx, visitorOf(ctx).Person.ID, e)
	switch {
	case errors.Is(err, store.ErrStale):
		now, err := s.Store.Event(ctx, stored.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		c := s.conflict(ctx, "event", stored.ID, f, eventForm(now), withPlaces(eventLabels, lakes))
		f.Set("version", strconv.Itoa(now.Version))
		d.Conflict = &c
		s.renderEventForm(w, r, http.StatusConflict, d)
	case err != nil:
		s.fail(w, r, err)
	default:
		http.Redirect(w, r, "/admin/events/?year="+strconv.Itoa(e.Date.Year())+"&notice=saved", http.StatusSeeOther)
	}
}

// cancelEvent marks an event cancelled, or with cancel=0 not cancelled; the
// event (and a tournament's results) stay.
func (s *Server) cancelEvent(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, ok := s.eventTarget(w, r, "")
	if !ok {
		return
	}
	f := forms.New(r)
	version, ok := formVersion(f)
	if !ok {
		s.errorPage(w, r, http.StatusUnprocessableEntity, "This form lacks the version it was read at: reload the events page and try again.")
		return
	}
	cancel := f.Get("cancel") != "0"
	err := s.Store.CancelEvent(ctx, visitorOf(ctx).Person.ID, e.ID, version, cancel)
	if errors.Is(err, store.ErrStale) {
		s.errorPage(w, r, http.StatusConflict, "Someone changed this event after you opened the page: nothing was changed. Reload the events page and look again.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	notice := "cancelled"
	if !cancel {
		notice = "uncancelled"
	}
	http.Redirect(w, r, "/admin/events/?year="+strconv.Itoa(e.Date.Year())+"&notice="+notice, http.StatusSeeOther)
}

// deleteData is the delete confirmation of an event or a tournament.
type deleteData struct {
	Form       *forms.Form
	Action     string // where the confirmation posts
	What       string // "the meeting “March meeting” on Mon, Mar 2, 2027"
	Counts     store.TournamentCounts
	Tournament bool
	Changed    bool // the counts or version moved since the page was read
}

func (s *Server) deleteEventForm(w http.ResponseWriter, r *http.Request) {
	e, ok := s.eventTarget(w, r, "delete")
	if !ok {
		return
	}
	f := forms.Empty()
	f.Set("version", strconv.Itoa(e.Version))
	s.render(w, r, http.StatusOK, "admin_delete", "Delete event", eventDeleteData(f, e))
}

func eventDeleteData(f *forms.Form, e club.Event) deleteData {
	return deleteData{Form: f, Action: "/admin/events/" + strconv.FormatInt(e.ID, 10) + "/delete/",
		What: e.Kind + " “" + e.Title + "” on " + e.Date.Format("Mon, Jan 2, 2006")}
}

func (s *Server) deleteEvent(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, ok := s.eventTarget(w, r, "delete")
	if !ok {
		return
	}
	f := forms.New(r)
	d := eventDeleteData(f, e)
	version, ok := formVersion(f)
	if !ok || !f.Checked("confirm") {
		f.Fail("confirm", "Tick the box to confirm the delete; nothing was deleted.")
		f.Set("version", strconv.Itoa(e.Version))
		s.render(w, r, http.StatusUnprocessableEntity, "admin_delete", "Delete event", d)
		return
	}
	err := s.Store.DeleteEvent(ctx, visitorOf(ctx).Person.ID, e.ID, version)
	if errors.Is(err, store.ErrStale) {
		f.Set("version", strconv.Itoa(e.Version))
		delete(f.Values, "confirm")
		d.Changed = true
		s.render(w, r, http.StatusConflict, "admin_delete", "Delete event", d)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/events/?year="+strconv.Itoa(e.Date.Year())+"&notice=deleted", http.StatusSeeOther)
}

// tournamentDeleteData names what a tournament delete takes with it; the
// form carries the version and counts shown, so the store deletes nothing
// more than the page said.
func (s *Server) tournamentDeleteData(r *http.Request, f *forms.Form, id int64) (deleteData, club.Tournament, error) {
	t, err := s.Store.Tournament(r.Context(), id)
	if err != nil {
		return deleteData{}, t, err
	}
	c, err := s.Store.TournamentDeleteCounts(r.Context(), id)
	if err != nil {
		return deleteData{}, t, err
	}
	f.Set("version", strconv.Itoa(t.Version))
	f.Set("results", strconv.Itoa(c.Results))
	f.Set("boats", strconv.Itoa(c.Boats))
	return deleteData{Form: f, Action: "/admin/tournaments/" + strconv.FormatInt(id, 10) + "/delete/",
		What: "the tournament “" + t.Name + "” on " + t.Date.Format("Mon, Jan 2, 2006"), Counts: c,
		Tournament: true}, t, nil
}

func (s *Server) deleteTournamentForm(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r)
	if !ok {
		return
	}
	d, _, err := s.tournamentDeleteData(r, forms.Empty(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_delete", "Delete tournament", d)
}

// deleteTournament deletes only with the confirm box ticked and only what
// the confirmation named (version and counts as shown).
func (s *Server) deleteTournament(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := s.pathID(w, r)
	if !ok {
		return
	}
	f := forms.New(r)
	version, okV := formVersion(f)
	results, errR := strconv.Atoi(f.Get("results"))
	boats, errB := strconv.Atoi(f.Get("boats"))
	confirmed := f.Checked("confirm") && okV && errR == nil && errB == nil
	expect := store.TournamentCounts{Results: results, Boats: boats}
	var err error
	if confirmed {
		err = s.Store.DeleteTournament(ctx, visitorOf(ctx).Person.ID, id, version, expect)
		if err == nil {
			http.Redirect(w, r, "/admin/events/?notice=deleted", http.StatusSeeOther)
			return
		}
		if !errors.Is(err, store.ErrStale) {
			s.fail(w, r, err)
			return
		}
	}
	d, _, lerr := s.tournamentDeleteData(r, forms.Empty(), id)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	if !confirmed {
		d.Form.Fail("confirm", "Tick the box to confirm the delete; nothing was deleted.")
		s.render(w, r, http.StatusUnprocessableEntity, "admin_delete", "Delete tournament", d)
		return
	}
	d.Changed = true
	s.render(w, r, http.StatusConflict, "admin_delete", "Delete tournament", d)
}
