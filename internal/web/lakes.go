package web

import (
	"net/http"
	"net/url"

	"sabc/internal/club"
	"sabc/internal/store"
)

// mapLink returns a lake or ramp map link only when it is an absolute
// http(s) URL. Map links are typed by officers or imported from old data,
// which held embed HTML; anything else is dropped rather than shown.
func mapLink(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// lakeView is a lake as the pages show it, with links already validated.
type lakeView struct {
	club.Lake
	Map   string
	Ramps []rampView
}

type rampView struct {
	Name, Map string
	Search    bool // Map is a search for "ramp, lake, state" (the ramp has no link of its own)
}

func viewLake(l club.Lake) lakeView {
	v := lakeView{Lake: l, Map: mapLink(l.MapURL)}
	for _, r := range l.Ramps {
		rv := rampView{Name: r.Name, Map: mapLink(r.MapURL)}
		if rv.Map == "" {
			rv.Map, rv.Search = rampSearchURL(r.Name, l.Name, l.State), true
		}
		v.Ramps = append(v.Ramps, rv)
	}
	return v
}

// lakeList is /lakes/: every lake with its ramps and map links (one query).
func (s *Server) lakeList(w http.ResponseWriter, r *http.Request) {
	lakes, err := s.Store.Lakes(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	views := make([]lakeView, len(lakes))
	for i, l := range lakes {
		views[i] = viewLake(l)
	}
	s.render(w, r, http.StatusOK, "lakes", "Lakes", views)
}

// lakePageData is /lakes/{id}/.
type lakePageData struct {
	Lake     lakeView
	Upcoming []store.LakeTournament // scheduled or weighing in, soonest first
	History  []store.LakeTournament // complete or cancelled, newest first
	Held     int                    // complete tournaments
	Record   *store.LakeTournament  // heaviest winning weight here
	BigBass  *store.LakeTournament  // biggest bass of the day here
}

// lakePage shows one lake and the club's history on it (two queries). The
// record lines pick the maximum of stored outcomes; nothing is scored here.
func (s *Server) lakePage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	lake, err := s.Store.Lake(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ts, err := s.Store.LakeHistory(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := lakePageData{Lake: viewLake(lake)}
	for i := range ts {
		t := &ts[i]
		if t.Status != club.StatusComplete && !t.Cancelled {
			d.Upcoming = append([]store.LakeTournament{*t}, d.Upcoming...) // history is newest first
			continue
		}
		d.History = append(d.History, *t)
		if t.Status != club.StatusComplete {
			continue
		}
		d.Held++
		if len(t.Winners) > 0 && (d.Record == nil || t.WinningNet > d.Record.WinningNet) {
			d.Record = t
		}
		if t.BiggestBass > 0 && (d.BigBass == nil || t.BiggestBass > d.BigBass.BiggestBass) {
			d.BigBass = t
		}
	}
	s.render(w, r, http.StatusOK, "lake", lake.Name, d)
}
