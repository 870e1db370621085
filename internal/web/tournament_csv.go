package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"sabc/internal/club"
	"sabc/internal/scoring"
)

// csvHeader is the results download's header row. Weights are decimal pounds
// ("12.45"), money decimal dollars without a sign, so spreadsheets read them
// as numbers.
var csvHeader = []string{"place", "angler", "guest", "fish", "dead", "gross_lb", "penalty_lb", "net_lb",
	"big_bass_lb", "points", "buy_in", "disqualified", "dq_reason", "prize", "tie_note"}

// boatsCSVHeader is the boats download's header row: each boat's stored
// outcome and the money paid to it, so the payouts add up from the two files
// (an angler's prize in results.csv is their share of their boat's).
var boatsCSVHeader = []string{"place", "anglers", "fish", "dead", "penalty_lb", "net_lb", "big_bass_lb",
	"points", "buy_in", "disqualified", "prize"}

// tournamentCSV serves /tournaments/{id}/results.csv: the stored results in
// finishing order (2 queries: the tournament, its results).
func (s *Server) tournamentCSV(w http.ResponseWriter, r *http.Request) {
	s.serveCSV(w, r, "results", func(id int64) ([][]string, error) {
		results, err := s.Store.Results(r.Context(), id)
		rows := [][]string{csvHeader}
		for _, res := range results {
			rows = append(rows, csvRow(res))
		}
		return rows, err
	})
}

// boatsCSV serves /tournaments/{id}/boats.csv: the stored boats in finishing
// order with their prizes (2 queries: the tournament, its boats).
func (s *Server) boatsCSV(w http.ResponseWriter, r *http.Request) {
	s.serveCSV(w, r, "boats", func(id int64) ([][]string, error) {
		boats, err := s.Store.Boats(r.Context(), id)
		rows := [][]string{boatsCSVHeader}
		for _, b := range boats {
			rows = append(rows, boatCSVRow(b))
		}
		return rows, err
	})
}

// serveCSV answers one tournament's download named kind ("results", "boats").
func (s *Server) serveCSV(w http.ResponseWriter, r *http.Request, kind string, rows func(id int64) ([][]string, error)) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	t, err := s.Store.Tournament(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	records, err := rows(id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if standingsHidden(r.Context(), t.HideLive, t.Status) {
		records = records[:1] // the header only, like a tournament nobody has weighed in yet
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.WriteAll(records)
	if err := cw.Error(); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, csvFileName(t, kind)))
	writeCacheable(w, r, http.StatusOK, "text/csv; charset=utf-8", visitorOf(r.Context()).Person != nil, buf.Bytes())
}

func csvRow(res club.Result) []string {
	place := ""
	if res.Place != nil {
		place = strconv.Itoa(*res.Place)
	}
	if res.OutDQ {
		place = "DQ"
	}
	return []string{place, textCell(res.Name()), yesNo(!res.WasMember), strconv.Itoa(res.OutFish), strconv.Itoa(res.OutDead),
		lb(res.OutGross), lb(res.Penalty), lb(res.Net), lb(res.OutBigBass), optInt(res.Points), yesNo(res.OutBuyIn),
		yesNo(res.OutDQ), textCell(res.OutDQReason), dollars(res.PrizeCents), textCell(res.TieNote)}
}

func boatCSVRow(b club.Boat) []string {
	place := optInt(b.Place)
	if b.IsDQ {
		place = "DQ"
	}
	names := make([]string, len(b.Anglers))
	for i, a := range b.Anglers {
		names[i] = a.FirstName + " " + a.LastName
	}
	return []string{place, textCell(strings.Join(names, " / ")), strconv.Itoa(b.TotalFish),
		strconv.Itoa(b.TotalDead), lb(b.Penalty), lb(b.Net), lb(b.TotalBigBass), optInt(b.Points), yesNo(b.IsBuyIn),
		yesNo(b.IsDQ), dollars(b.PrizeCents)}
}

func lb(hundredths int64) string { return scoring.Weight(hundredths).String() }

func dollars(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }

func optInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// textCell defuses spreadsheet formulas: names and reasons are typed by
// people, and a cell starting with = + - @ would be evaluated on open.
func textCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// csvFileName is "2026-03-29-march-lake-travis-results.csv" for kind
// "results": dated, ASCII only.
func csvFileName(t club.Tournament, kind string) string {
	var b []byte
	dash := false
	for _, c := range []byte(t.Name) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b, dash = append(b, c), false
		case c >= 'A' && c <= 'Z':
			b, dash = append(b, c+'a'-'A'), false
		case !dash && len(b) > 0:
			b, dash = append(b, '-'), true
		}
	}
	if dash {
		b = b[:len(b)-1]
	}
	return t.Date.String() + "-" + string(b) + "-" + kind + ".csv"
}
