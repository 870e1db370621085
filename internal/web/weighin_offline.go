package web

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
)

// The installable, offline-capable side of the weigh-in screen: a service
// worker and a web app manifest per tournament, served from the screen's
// own folder so the worker's scope is exactly that screen.

//go:embed weighin_sw.js
var weighInWorker []byte

func (s *Server) weighInServiceWorker(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "no-cache") // browsers check for a new worker on each visit
	w.Write(weighInWorker)
}

func (s *Server) weighInManifest(w http.ResponseWriter, r *http.Request) {
	t, ok := s.weighInTournament(w, r)
	if !ok {
		return
	}
	start := fmt.Sprintf("/tournaments/%d/weigh-in/", t.ID)
	b, _ := json.Marshal(map[string]any{
		"name": "Weigh-in · " + t.Name, "short_name": "Weigh-in", "start_url": start, "scope": start,
		"display": "standalone", "background_color": "#f5f3ee", "theme_color": "#0e3b4f",
		"icons": []map[string]string{{"src": s.Assets.Path("logo.svg"), "sizes": "any", "type": "image/svg+xml"}},
	})
	h := w.Header()
	h.Set("Content-Type", "application/manifest+json")
	h.Set("Cache-Control", "private, no-cache")
	w.Write(b)
}
