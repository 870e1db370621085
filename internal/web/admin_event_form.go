package web

import (
	"net/http"
	"strconv"
	"time"

	"sabc/internal/club"
	"sabc/internal/web/forms"
)

// Parsing shared by the officers' event and tournament forms
// (admin_events.go, admin_tournaments.go): when (date, start and end time),
// where (lake and a ramp on it) and the version the form was read at.

// formAndLakes reads a posted form (already bounded, parsed and checked by
// body.go before the handler runs) with the lakes its lake and ramp are
// checked against.
func (s *Server) formAndLakes(w http.ResponseWriter, r *http.Request) (*forms.Form, []club.Lake, bool) {
	f := forms.New(r)
	lakes, err := s.Store.Lakes(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	return f, lakes, true
}

// pathID parses {id}; a malformed one is a 404 (false).
func (s *Server) pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
	}
	return id, ok
}

// parseWhen reads "date" (required), "start_time" and "end_time" (optional
// "HH:MM", club time; the end after the start).
func parseWhen(f *forms.Form) (club.Date, string, string) {
	var d club.Date
	if raw := f.Get("date"); raw == "" {
		f.Fail("date", "Date is required.")
	} else if parsed, err := club.ParseDate(raw); err != nil || parsed.Year() < 1900 || parsed.Year() > 9999 {
		f.Fail("date", "Date must be a date like 2027-03-28.")
	} else {
		d = parsed
	}
	start, okStart := parseClock(f, "start_time", "Start time")
	end, okEnd := parseClock(f, "end_time", "End time")
	if okStart && okEnd && start != "" && end != "" && end <= start {
		f.Fail("end_time", "End time must be after the start time ("+start+").")
	}
	return d, start, end
}

// parseClock reads an optional "HH:MM" (24-hour) field, normalised to two
// digits each ("6:30" → "06:30").
func parseClock(f *forms.Form, name, label string) (string, bool) {
	raw := f.Get(name)
	if raw == "" {
		return "", true
	}
	t, err := time.Parse("15:04", raw)
	if err != nil {
		f.Fail(name, label+" must be a time like 06:30 or 19:00.")
		return "", false
	}
	return t.Format("15:04"), true
}

// parsePlace reads the optional "lake" and "ramp" choices: the lake must be
// one of lakes, the ramp one of that lake's ramps.
func parsePlace(f *forms.Form, lakes []club.Lake) (club.Lake, int64) {
	var lake club.Lake
	if raw := f.Get("lake"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		found := false
		for _, l := range lakes {
			if err == nil && l.ID == id {
				lake, found = l, true
			}
		}
		if !found {
			f.Fail("lake", "Choose a lake from the list.")
		}
	}
	raw := f.Get("ramp")
	if raw == "" {
		return lake, 0
	}
	if lake.ID == 0 {
		if f.Errors["lake"] == "" {
			f.Fail("ramp", "Choose the lake first: a ramp belongs to a lake.")
		}
		return lake, 0
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	for _, rp := range lake.Ramps {
		if err == nil && rp.ID == id {
			return lake, id
		}
	}
	f.Fail("ramp", "That ramp is not on "+lake.Name+": choose one of its ramps or none.")
	return lake, 0
}

// formVersion reads the hidden "version" the form was read at; a form
// without one was not made by this site's edit page.
func formVersion(f *forms.Form) (int, bool) {
	v, err := strconv.ParseInt(f.Get("version"), 10, 32) // an INTEGER column: PostgreSQL fails beyond it
	return int(v), err == nil && v > 0
}

// whenWhereForm fills the fields parseWhen and parsePlace read.
func whenWhereForm(f *forms.Form, d club.Date, start, end string, lakeID, rampID int64) {
	if !d.IsZero() {
		f.Set("date", d.String())
	}
	f.Set("start_time", start)
	f.Set("end_time", end)
	f.Set("lake", idOrEmpty(lakeID))
	f.Set("ramp", idOrEmpty(rampID))
}

func idOrEmpty(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// setCheck sets a checkbox field as the form would post it.
func setCheck(f *forms.Form, name string, on bool) {
	if on {
		f.Set(name, "on")
	} else {
		delete(f.Values, name)
	}
}
