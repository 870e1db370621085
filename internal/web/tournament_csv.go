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

// tournamentCSV serves /tournaments/{id}/results.csv: the stored results in
// finishing order (2 queries: the tournament, its results).
func (s *Server) tournamentCSV(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	t, err := s.Store.Tournament(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	results, err := s.Store.Results(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(csvHeader)
	for _, res := range results {
		cw.Write(csvRow(res))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, csvFileName(t)))
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
	points := ""
	if res.Points != nil {
		points = strconv.Itoa(*res.Points)
	}
	lb := func(h int64) string { return scoring.Weight(h).String() }
	return []string{place, textCell(res.Name()), yesNo(!res.WasMember), strconv.Itoa(res.OutFish), strconv.Itoa(res.Dead),
		lb(res.Gross), lb(res.Penalty), lb(res.Net), lb(res.OutBigBass), points, yesNo(res.OutBuyIn),
		yesNo(res.OutDQ), textCell(res.OutDQReason), fmt.Sprintf("%d.%02d", res.PrizeCents/100, res.PrizeCents%100),
		textCell(res.TieNote)}
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

// csvFileName is "2026-03-29-march-lake-travis-results.csv": dated, ASCII only.
func csvFileName(t club.Tournament) string {
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
	return t.Date.String() + "-" + string(b) + "-results.csv"
}
