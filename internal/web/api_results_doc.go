package web

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
)

// The standings document of one tournament (docs/api.md): what
// GET /api/v1/tournaments/{id}/results returns, what a successful weigh-in
// PUT or DELETE answers, and what the live leaderboard streams. It is read
// from the stored outcome of the scoring step; nothing here scores.

type apiTournament struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Date        string `json:"date"`
	Status      string `json:"status"`
	Format      string `json:"format"`
	Paper       bool   `json:"paper"`
	PointsCount bool   `json:"points_count"`
	Lake        string `json:"lake"`
	HideLive    bool   `json:"hide_live"`
}

type apiResult struct {
	PersonID           int64    `json:"person_id"`
	Name               string   `json:"name"`
	Member             bool     `json:"was_member"`
	Place              *int     `json:"place"`
	Points             *int     `json:"points"`
	Fish               int      `json:"fish"`
	Dead               int      `json:"dead"`
	LateMinutes        int      `json:"late_minutes"`
	Gross              string   `json:"gross"`
	BigBass            string   `json:"big_bass"`
	OtherPenalty       string   `json:"other_penalty"`
	OtherPenaltyReason string   `json:"other_penalty_reason"`
	Penalty            string   `json:"penalty"`
	Net                string   `json:"net"`
	Lengths            []string `json:"lengths"`
	BuyIn              bool     `json:"buy_in"`
	DQ                 bool     `json:"dq"`
	DQReason           string   `json:"dq_reason"`
	DQPointsAllowed    bool     `json:"dq_points_allowed"`
	BoatID             int64    `json:"boat_id,omitempty"`
	Prize              string   `json:"prize"`
	TieNote            string   `json:"tie_note,omitempty"`
	Version            int      `json:"version"`
	UpdatedAt          string   `json:"updated_at"`
}

type apiBoatAngler struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
}

type apiBoat struct {
	ID       int64           `json:"id"`
	Anglers  []apiBoatAngler `json:"anglers"`
	Place    *int            `json:"place"`
	Points   *int            `json:"points"`
	Fish     int             `json:"fish"`
	Dead     int             `json:"dead"`
	Net      string          `json:"net"`
	BigBass  string          `json:"big_bass"`
	BuyIn    bool            `json:"buy_in"`
	DQ       bool            `json:"dq"`
	Prize    string          `json:"prize"`
	Version  int             `json:"version"`
	Complete bool            `json:"complete"` // both seats filled
}

type apiBigBass struct {
	Weight  string   `json:"weight"`  // the pot winners' fish; "0.00" when nobody qualified
	Leaders []string `json:"leaders"` // names sharing the pot
}

type resultsDoc struct {
	Tournament apiTournament `json:"tournament"`
	Official   bool          `json:"official"` // the tournament is complete
	Hidden     bool          `json:"hidden"`   // hidden until complete: results and boats are left out
	Results    []apiResult   `json:"results"`
	Boats      []apiBoat     `json:"boats"`
	BigBass    apiBigBass    `json:"big_bass"`

	EditLinks bool `json:"-"` // the weigh-in screen links names to their edit form
}

func weightText(hundredths int64) string { return scoring.Weight(hundredths).String() }
func moneyText(cents int64) string       { return strings.TrimPrefix(scoring.Cents(cents).String(), "$") }

// splitLengths turns the stored "14 1/2, 15" into ["14 1/2", "15"].
func splitLengths(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func apiResultOf(r club.Result, boatOf map[int64]int64) apiResult {
	return apiResult{PersonID: r.PersonID, Name: r.Name(), Member: r.WasMember, Place: r.Place, Points: r.Points,
		Fish: r.OutFish, Dead: r.OutDead, LateMinutes: r.LateMinutes, Gross: weightText(r.OutGross),
		BigBass: weightText(r.OutBigBass), OtherPenalty: weightText(r.OtherPenalty), OtherPenaltyReason: r.OtherReason,
		Penalty: weightText(r.Penalty), Net: weightText(r.Net), Lengths: splitLengths(r.Lengths), BuyIn: r.OutBuyIn,
		DQ: r.OutDQ, DQReason: r.OutDQReason, DQPointsAllowed: r.DQPointsAllowed, BoatID: boatOf[r.PersonID],
		Prize: moneyText(r.PrizeCents), TieNote: r.TieNote, Version: r.Version,
		UpdatedAt: r.UpdatedAt.UTC().Format(time.RFC3339)}
}

// standings loads the document (3 queries: header, results, boats). Results
// of a tournament hidden until complete are left out for visitors below
// officer, which is the point of hiding them.
func (s *Server) standings(ctx context.Context, id int64, officer bool) (resultsDoc, error) {
	h, err := s.Store.TournamentHeader(ctx, id)
	if err != nil {
		return resultsDoc{}, err
	}
	d := docHead(h.Tournament)
	if h.HideLive && !d.Official && !officer {
		d.Hidden = true
		return d, nil
	}
	results, err := s.Store.Results(ctx, id)
	if err != nil {
		return d, err
	}
	boats, err := s.Store.Boats(ctx, id)
	if err != nil {
		return d, err
	}
	d.fill(results, boats, h.BigBassJSON)
	return d, nil
}

// scoredDoc is the officer's document of a tournament as a write's rescore
// left it (store.Scored): the same document standings reads back after the
// commit, built without reading it again.
func scoredDoc(sc store.Scored) resultsDoc {
	d := docHead(sc.Tournament)
	d.fill(sc.Results, sc.Boats, sc.BigBassJSON)
	return d
}

func docHead(t club.Tournament) resultsDoc {
	return resultsDoc{Tournament: apiTournament{ID: t.ID, Name: t.Name, Date: t.Date.String(), Status: t.Status,
		Format: t.Format, Paper: t.Paper, PointsCount: t.PointsCount, Lake: t.LakeName, HideLive: t.HideLive},
		Official: t.Status == club.StatusComplete, Results: []apiResult{}, Boats: []apiBoat{},
		BigBass: apiBigBass{Weight: "0.00", Leaders: []string{}}}
}

// fill adds the results, boats and big-bass leaders, in the order given.
func (d *resultsDoc) fill(results []club.Result, boats []club.Boat, bigBassJSON string) {
	boatOf := map[int64]int64{}
	names := map[int64]string{}
	d.Results = slices.Grow(d.Results, len(results))
	d.Boats = slices.Grow(d.Boats, len(boats))
	for _, b := range boats {
		ab := apiBoat{ID: b.ID, Anglers: []apiBoatAngler{}, Place: b.Place, Points: b.Points, Fish: b.TotalFish,
			Dead: b.TotalDead, Net: weightText(b.Net), BigBass: weightText(b.TotalBigBass), BuyIn: b.IsBuyIn, DQ: b.IsDQ,
			Prize: moneyText(b.PrizeCents), Version: b.Version, Complete: len(b.Anglers) == 2}
		for _, a := range b.Anglers {
			boatOf[a.PersonID] = b.ID
			ab.Anglers = append(ab.Anglers, apiBoatAngler{a.PersonID, a.FirstName + " " + a.LastName})
		}
		names[b.ID] = boatName(b)
		d.Boats = append(d.Boats, ab)
	}
	for _, r := range results {
		d.Results = append(d.Results, apiResultOf(r, boatOf))
	}
	var bb scoring.BigBass
	json.Unmarshal([]byte(bigBassJSON), &bb)
	d.BigBass.Weight = bb.Weight.String()
	for _, wid := range bb.Winners {
		if bb.OnBoats {
			d.BigBass.Leaders = append(d.BigBass.Leaders, names[wid])
			continue
		}
		for _, r := range results {
			if r.PersonID == wid {
				d.BigBass.Leaders = append(d.BigBass.Leaders, r.Name())
			}
		}
	}
}
