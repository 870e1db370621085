package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

// Officers' lakes and ramps (/admin/lakes/…): the lake's own fields are one
// optimistic-locked form (a stale one gets the conflict page, input kept);
// each ramp is a small form of its own beside an add-a-ramp form. Plain
// posts, no JavaScript; every refusal is shown next to its field.

// adminLakesData is /admin/lakes/.
type adminLakesData struct {
	Lakes  []club.Lake
	Notice string
}

// lakeFormData is the new-lake and edit-lake page.
type lakeFormData struct {
	Lake     club.Lake // as stored; ID 0 on the new-lake page
	Form     *forms.Form
	Conflict *conflictView
	Ramps    []rampForm
	NewRamp  rampForm // the add-a-ramp form (Ramp.ID 0)
	Notice   string
	Refusal  string // why the lake or a ramp could not be deleted
}

// rampForm is one stored ramp with its edit form and its public link, or
// the add-a-ramp form (Ramp.ID 0).
type rampForm struct {
	Ramp club.Ramp
	Form *forms.Form
	Link string // what the public pages link: its map link, or the search
}

// Prefix keeps the input ids of the page's ramp forms apart.
func (rf rampForm) Prefix() string {
	if rf.Ramp.ID == 0 {
		return "new-ramp"
	}
	return "ramp-" + strconv.FormatInt(rf.Ramp.ID, 10)
}

// lakeLabels are the compared fields of a stale lake form, in form order.
var lakeLabels = []fieldLabel{
	{"name", "Name", nil}, {"state", "State", nil}, checkbox("paper", "Paper tournaments by default"),
	{"map_url", "Map link", nil}, {"notes", "Notes", nil},
}

var lakeNotices = map[string]string{
	"created":      "The lake is added. Add its ramps below.",
	"saved":        "The lake is saved.",
	"ramp-added":   "The ramp is added.",
	"ramp-saved":   "The ramp is saved.",
	"ramp-deleted": "The ramp is deleted.",
	"lake-deleted": "The lake is deleted.",
}

func (s *Server) adminLakes(w http.ResponseWriter, r *http.Request) {
	lakes, err := s.Store.Lakes(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_lakes", "Lakes and ramps",
		adminLakesData{Lakes: lakes, Notice: lakeNotices[r.URL.Query().Get("notice")]})
}

func (s *Server) newLakeForm(w http.ResponseWriter, r *http.Request) {
	f := forms.Empty()
	f.Set("state", "TX")
	s.render(w, r, http.StatusOK, "admin_lake", "New lake", lakeFormData{Form: f})
}

func (s *Server) createLake(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := forms.New(r)
	l := parseLake(f)
	d := lakeFormData{Form: f}
	if !f.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "admin_lake", "New lake", d)
		return
	}
	id, err := s.Store.CreateLakeBy(ctx, visitorOf(ctx).Person.ID, l)
	if errors.Is(err, store.ErrConflict) {
		f.Fail("name", "A lake named "+l.Name+" exists already.")
		s.render(w, r, http.StatusConflict, "admin_lake", "New lake", d)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, lakeEditPath(id)+"?notice=created", http.StatusSeeOther)
}

func lakeEditPath(id int64) string { return "/admin/lakes/" + strconv.FormatInt(id, 10) + "/edit/" }

// loadLakeForm reads {id} and fills the edit page with the stored lake;
// false means a page was already written (404).
func (s *Server) loadLakeForm(w http.ResponseWriter, r *http.Request) (lakeFormData, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return lakeFormData{}, false
	}
	l, err := s.Store.Lake(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return lakeFormData{}, false
	}
	d := lakeFormData{Lake: l, Form: prefillLake(l), NewRamp: rampForm{Form: forms.Empty()}}
	for _, rp := range l.Ramps {
		rf := forms.Empty()
		rf.Set("name", rp.Name)
		rf.Set("map_url", rp.MapURL)
		rf.Set("was_name", rp.Name) // the ramp as shown: UpdateRamp's check
		rf.Set("was_map_url", rp.MapURL)
		d.Ramps = append(d.Ramps, rampForm{Ramp: rp, Form: rf, Link: rampLink(rp, l)})
	}
	return d, true
}

// rampLink is the ramp's link as the public pages show it.
func rampLink(rp club.Ramp, l club.Lake) string {
	if m := mapLink(rp.MapURL); m != "" {
		return m
	}
	return rampSearchURL(rp.Name, l.Name, l.State)
}

func prefillLake(l club.Lake) *forms.Form {
	f := forms.Empty()
	f.Set("name", l.Name)
	f.Set("state", l.State)
	f.Set("map_url", l.MapURL)
	f.Set("notes", l.Notes)
	f.Set("version", strconv.Itoa(l.Version))
	if l.Paper {
		f.Set("paper", "on")
	}
	return f
}

func (s *Server) lakeEditForm(w http.ResponseWriter, r *http.Request) {
	d, ok := s.loadLakeForm(w, r)
	if !ok {
		return
	}
	d.Notice = lakeNotices[r.URL.Query().Get("notice")]
	s.render(w, r, http.StatusOK, "admin_lake", "Edit "+d.Lake.Name, d)
}

func (s *Server) saveLake(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, f, ok := s.lakePost(w, r)
	if !ok {
		return
	}
	stored := d.Form
	d.Form = f
	l := parseLake(f)
	l.ID = d.Lake.ID
	title := "Edit " + d.Lake.Name
	if !f.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "admin_lake", title, d)
		return
	}
	err := s.Store.UpdateLake(ctx, visitorOf(ctx).Person.ID, l)
	switch {
	case errors.Is(err, store.ErrStale):
		cv := s.conflict(ctx, "lake", l.ID, f, stored, lakeLabels)
		d.Conflict = &cv
		f.Set("version", stored.Get("version")) // saving again keeps the typed version
		s.render(w, r, http.StatusConflict, "admin_lake", title, d)
	case errors.Is(err, store.ErrConflict):
		f.Fail("name", "Another lake is named "+l.Name+" already.")
		s.render(w, r, http.StatusConflict, "admin_lake", title, d)
	case err != nil:
		s.fail(w, r, err)
	default:
		http.Redirect(w, r, lakeEditPath(l.ID)+"?notice=saved", http.StatusSeeOther)
	}
}

// parseLake validates the lake's own fields; failures are recorded on f.
func parseLake(f *forms.Form) club.Lake {
	f.Required("name", "Name")
	f.MaxLen("name", "Name", 100)
	f.MaxLen("notes", "Notes", 2000)
	l := club.Lake{Name: strings.Join(strings.Fields(f.Get("name")), " "), Paper: f.Checked("paper"),
		Notes: f.Get("notes"), State: strings.ToUpper(f.Get("state"))}
	if l.State == "" {
		l.State = "TX"
	}
	if !isStateCode(l.State) {
		f.Fail("state", "State must be a two-letter code, like TX.")
	}
	var err error
	if l.MapURL, err = checkMapURL(f.Get("map_url")); err != nil {
		f.Fail("map_url", err.Error())
	}
	l.Version, _ = strconv.Atoi(f.Get("version"))
	return l
}

func isStateCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

func (s *Server) deleteLake(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, _, ok := s.lakePost(w, r)
	if !ok {
		return
	}
	err := s.Store.DeleteLake(ctx, visitorOf(ctx).Person.ID, d.Lake.ID)
	var inUse *store.InUseError
	switch {
	case errors.As(err, &inUse):
		d.Refusal = d.Lake.Name + " cannot be deleted: it is used by " + inUse.Error() + ". " +
			"Move them to another lake first, or keep the lake."
		s.render(w, r, http.StatusConflict, "admin_lake", "Edit "+d.Lake.Name, d)
	case err != nil:
		s.fail(w, r, err)
	default:
		http.Redirect(w, r, "/admin/lakes/?notice=lake-deleted", http.StatusSeeOther)
	}
}

// parseRamp validates a ramp form.
func parseRamp(f *forms.Form, lakeID int64) club.Ramp {
	f.Required("name", "Ramp name")
	f.MaxLen("name", "Ramp name", 100)
	rp := club.Ramp{LakeID: lakeID, Name: strings.Join(strings.Fields(f.Get("name")), " ")}
	var err error
	if rp.MapURL, err = checkMapURL(f.Get("map_url")); err != nil {
		f.Fail("map_url", err.Error())
	}
	return rp
}

func (s *Server) addRamp(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, f, ok := s.lakePost(w, r)
	if !ok {
		return
	}
	d.NewRamp.Form = f
	rp := parseRamp(f, d.Lake.ID)
	if !f.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "admin_lake", "Edit "+d.Lake.Name, d)
		return
	}
	_, err := s.Store.AddRampBy(ctx, visitorOf(ctx).Person.ID, rp)
	s.rampSaved(w, r, d, f, rp.Name, err, "ramp-added")
}

// rampSaved answers a ramp add or edit: on a duplicate name the page again
// with the refusal next to that ramp's name, else back to the lake's page.
func (s *Server) rampSaved(w http.ResponseWriter, r *http.Request, d lakeFormData, f *forms.Form, name string,
	err error, notice string) {
	switch {
	case errors.Is(err, store.ErrConflict):
		f.Fail("name", d.Lake.Name+" has a ramp named "+name+" already.")
		s.render(w, r, http.StatusConflict, "admin_lake", "Edit "+d.Lake.Name, d)
	case err != nil:
		s.fail(w, r, err)
	default:
		http.Redirect(w, r, lakeEditPath(d.Lake.ID)+"?notice="+notice, http.StatusSeeOther)
	}
}

// lakePost is the start of every post about a stored lake: the lake's page
// data and the parsed form (false: a 404 or 4xx page was written).
func (s *Server) lakePost(w http.ResponseWriter, r *http.Request) (lakeFormData, *forms.Form, bool) {
	d, ok := s.loadLakeForm(w, r)
	if !ok {
		return d, nil, false
	}
	return d, forms.New(r), true
}

// rampPost is lakePost for one of the lake's ramps, with its index in d.Ramps.
func (s *Server) rampPost(w http.ResponseWriter, r *http.Request) (lakeFormData, int, *forms.Form, bool) {
	d, ok := s.loadLakeForm(w, r)
	if !ok {
		return d, -1, nil, false
	}
	i := s.rampTarget(w, r, d)
	if i < 0 {
		return d, -1, nil, false
	}
	return d, i, forms.New(r), true
}

// rampTarget finds {ramp} among the lake's ramps; -1 and a 404 page if it is
// not one of them.
func (s *Server) rampTarget(w http.ResponseWriter, r *http.Request, d lakeFormData) int {
	id, err := strconv.ParseInt(r.PathValue("ramp"), 10, 64)
	for i, rf := range d.Ramps {
		if err == nil && rf.Ramp.ID == id {
			return i
		}
	}
	s.notFound(w, r)
	return -1
}

func (s *Server) saveRamp(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, i, f, ok := s.rampPost(w, r)
	if !ok {
		return
	}
	d.Ramps[i].Form = f
	rp := parseRamp(f, d.Lake.ID)
	rp.ID = d.Ramps[i].Ramp.ID
	if !f.Valid() {
		s.render(w, r, http.StatusUnprocessableEntity, "admin_lake", "Edit "+d.Lake.Name, d)
		return
	}
	// The ramp as this form showed it (hidden fields); the store refuses
	// the save when the stored ramp has changed since.
	was := club.Ramp{Name: f.Get("was_name"), MapURL: f.Get("was_map_url")}
	err := s.Store.UpdateRamp(ctx, visitorOf(ctx).Person.ID, was, rp)
	if errors.Is(err, store.ErrStale) {
		now := d.Ramps[i].Ramp
		f.Set("was_name", now.Name) // saving again keeps the typed values
		f.Set("was_map_url", now.MapURL)
		f.Fail("name", "Someone saved this ramp after you opened the page: it is now “"+now.Name+"”"+
			mapNote(now.MapURL)+". Check your changes and save again to keep them.")
		s.render(w, r, http.StatusConflict, "admin_lake", "Edit "+d.Lake.Name, d)
		return
	}
	s.rampSaved(w, r, d, f, rp.Name, err, "ramp-saved")
}

// mapNote names a ramp's map link for the stale-ramp message.
func mapNote(u string) string {
	if u == "" {
		return " with no map link"
	}
	return " with the map link " + u
}

func (s *Server) deleteRamp(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, i, _, ok := s.rampPost(w, r)
	if !ok {
		return
	}
	rp := d.Ramps[i].Ramp
	err := s.Store.DeleteRamp(ctx, visitorOf(ctx).Person.ID, d.Lake.ID, rp.ID)
	var inUse *store.InUseError
	switch {
	case errors.As(err, &inUse):
		d.Ramps[i].Form.Fail("name", rp.Name+" cannot be deleted: it is used by "+inUse.Error()+". "+
			"Move them to another ramp first, or keep this one.")
		s.render(w, r, http.StatusConflict, "admin_lake", "Edit "+d.Lake.Name, d)
	case err != nil:
		s.fail(w, r, err)
	default:
		http.Redirect(w, r, lakeEditPath(d.Lake.ID)+"?notice=ramp-deleted", http.StatusSeeOther)
	}
}
