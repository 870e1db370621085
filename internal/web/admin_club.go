package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// /admin/club/: the club settings (admins). Every page reads them from the
// club row through the in-memory copy (club_settings.go), which the save
// refreshes before the redirect.

type clubFormData struct {
	Form     *forms.Form
	Conflict *conflictView
	Notice   string
}

// clubLabels are the compared fields of a stale settings form, in form order.
var clubLabels = []fieldLabel{
	{"name", "Club name", nil}, {"short_name", "Short name", nil}, {"founded", "Founded", nil},
	{"meeting_place", "Meeting place", nil}, {"meeting_address", "Meeting address", nil},
	{"contact_email", "Contact email", nil}, {"dues", "Dues", nil}, {"join_md", "How to join", nil},
	{"about_md", "About", nil}, {"bylaws_md", "Bylaws", nil},
}

func (s *Server) clubForm(w http.ResponseWriter, r *http.Request) {
	c, err := s.clubRow(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := clubFormData{Form: prefillClub(c)}
	if r.URL.Query().Get("notice") == "saved" {
		d.Notice = "The club settings are saved; every page shows them now."
	}
	s.render(w, r, http.StatusOK, "admin_club", "Club settings", d)
}

func prefillClub(c club.Club) *forms.Form {
	f := forms.Empty()
	for k, v := range map[string]string{"name": c.Name, "short_name": c.ShortName, "meeting_place": c.MeetingPlace,
		"meeting_address": c.MeetingAddress, "contact_email": c.ContactEmail, "about_md": c.AboutMD,
		"bylaws_md": c.BylawsMD, "join_md": c.JoinMD, "version": strconv.Itoa(c.Version)} {
		f.Set(k, v)
	}
	if c.Founded != 0 {
		f.Set("founded", strconv.Itoa(c.Founded))
	}
	if c.DuesCents != 0 {
		f.Set("dues", dollars(c.DuesCents))
	}
	return f
}

func (s *Server) saveClub(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := forms.New(r)
	c := parseClub(f, club.Today(s.Now()).Year())
	d := clubFormData{Form: f}
	if !f.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "admin_club", "Club settings", d)
		return
	}
	err := s.Store.UpdateClub(ctx, visitorOf(ctx).Person.ID, c)
	if errors.Is(err, store.ErrStale) {
		stored, err := s.clubRow(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sf := prefillClub(stored)
		cv := s.conflict(ctx, "club", 1, f, sf, clubLabels)
		d.Conflict = &cv
		f.Set("version", sf.Get("version")) // saving again keeps the typed version
		s.render(w, r, http.StatusConflict, "admin_club", "Club settings", d)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/club/?notice=saved", http.StatusSeeOther)
}

// parseClub validates the settings form; failures are recorded on f.
func parseClub(f *forms.Form, thisYear int) club.Club {
	f.Required("name", "Club name", "short_name", "Short name")
	for _, m := range []struct {
		name, label string
		n           int
	}{{"name", "Club name", 100}, {"short_name", "Short name", 12}, {"meeting_place", "Meeting place", 200},
		{"meeting_address", "Meeting address", 300}, {"contact_email", "Contact email", 254},
		{"join_md", "How to join", 20000}, {"about_md", "About", 50000}, {"bylaws_md", "Bylaws", 100000}} {
		f.MaxLen(m.name, m.label, m.n)
	}
	c := club.Club{Name: strings.Join(strings.Fields(f.Get("name")), " "), ShortName: f.Get("short_name"),
		MeetingPlace: f.Get("meeting_place"), MeetingAddress: f.Get("meeting_address"),
		AboutMD: f.Get("about_md"), BylawsMD: f.Get("bylaws_md"), JoinMD: f.Get("join_md")}
	if v := f.Get("founded"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1900 || y > thisYear {
			f.Fail("founded", "Founded must be a year from 1900 to "+strconv.Itoa(thisYear)+", like 1981.")
		}
		c.Founded = y
	}
	if v := f.Get("contact_email"); v != "" {
		e, err := forms.Email(v)
		if err != nil {
			f.Fail("contact_email", err.Error())
		}
		c.ContactEmail = e
	}
	cents, err := parseDues(f.Get("dues"))
	if err != nil {
		f.Fail("dues", err.Error())
	}
	c.DuesCents = cents
	c.Version, _ = strconv.Atoi(f.Get("version"))
	if c.Version <= 0 {
		c.Version = 0
	}
	return c
}

// maxDuesCents is $10,000: anything above is a typo (a missing decimal point).
const maxDuesCents = 1_000_000

// parseDues reads yearly dues typed in dollars ("50", "$50.00", "1,025.50";
// "" is none) into cents, refusing fractions of a cent rather than rounding.
func parseDues(v string) (int64, error) {
	v = strings.ReplaceAll(v, ",", "")
	if v == "" {
		return 0, nil
	}
	c, err := scoring.ParseCents(v)
	if err != nil {
		return 0, errors.New("Dues must be an amount in dollars, like 50 or 50.00.")
	}
	if c > maxDuesCents {
		return 0, errors.New("Dues must be at most $10,000.00.")
	}
	return int64(c), nil
}
