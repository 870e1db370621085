package store

import (
	"context"
	"encoding/json"

	"sabc/internal/club"
	"sabc/internal/scoring"
)

// LakeTournament is one tournament held (or scheduled) at a lake with its
// stored outcome: the winners (place 1; two anglers for a winning boat, more
// on a tie), the winning net weight and the biggest bass of the day.
type LakeTournament struct {
	ID          int64
	Name        string
	Date        club.Date
	Status      string
	Format      string
	Cancelled   bool
	RampName    string
	Winners     []LakeWinner
	WinningNet  int64 // hundredths of a pound
	BiggestBass int64 // hundredths; from the stored tournament statistics
}

// LakeWinner is one angler who finished first.
type LakeWinner struct {
	PersonID int64
	Name     string
}

// LakeHistory lists the tournaments at a lake, newest first, with their
// winners, in one query. Nothing is computed here: places, nets and the
// biggest bass are the scoring step's stored outcome.
func (s *Store) LakeHistory(ctx context.Context, lakeID int64) ([]LakeTournament, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT t.id, t.name, e.event_date, t.status, t.format, e.cancelled,
		COALESCE(r.name, ''), t.stats_json, COALESCE(res.person_id, 0), COALESCE(p.first_name, ''),
		COALESCE(p.last_name, ''), COALESCE(res.net, 0)
		FROM tournaments t JOIN events e ON e.id = t.event_id LEFT JOIN ramps r ON r.id = t.ramp_id
		LEFT JOIN results res ON res.tournament_id = t.id AND res.place = 1 AND t.status = 'complete'
		LEFT JOIN people p ON p.id = res.person_id
		WHERE t.lake_id = $1 ORDER BY e.event_date DESC, t.id DESC, p.last_name, p.first_name, res.person_id`, lakeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LakeTournament
	for rows.Next() {
		var t LakeTournament
		var stats string
		var w LakeWinner
		var first, last string
		var net int64
		if err := rows.Scan(&t.ID, &t.Name, &t.Date, &t.Status, &t.Format, &t.Cancelled, &t.RampName, &stats,
			&w.PersonID, &first, &last, &net); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != t.ID {
			var st scoring.TournamentStats
			if json.Unmarshal([]byte(stats), &st) == nil {
				t.BiggestBass = int64(st.BiggestBass)
			}
			out = append(out, t)
		}
		if w.PersonID != 0 {
			cur := &out[len(out)-1]
			w.Name = first + " " + last
			cur.Winners = append(cur.Winners, w)
			cur.WinningNet = max(cur.WinningNet, net)
		}
	}
	return out, rows.Err()
}
