package store

import (
	"context"
	"time"

	"sabc/internal/club"
)

// PollContext is what the poll page needs besides the poll and its counts:
// the visitor's own vote, whether the poll's season requires dues, how many
// members were eligible to vote, and the lake and ramp behind each option.
type PollContext struct {
	MyOptionID   int64 // 0 when the person has not voted (or is anonymous)
	RequiresDues bool  // the poll's season requires current dues to vote
	Eligible     int   // active members (with dues current through asOf when required)
	Places       map[int64]PollPlace
}

// PollPlace names an option's lake and ramp (empty for generic options).
type PollPlace struct {
	LakeID   int64
	LakeName string
	RampName string
}

// PollContext loads the page context of poll id for personID (0 for an
// anonymous visitor) in one query. season is the season whose dues rule
// applies; asOf is the day dues must be paid through to count as eligible.
// The scalar subqueries do not depend on the option row, so both databases
// evaluate them once; the outer join keeps one row even without options.
func (s *Store) PollContext(ctx context.Context, id, personID int64, season int, asOf club.Date) (PollContext, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT COALESCE(o.id, 0), COALESCE(o.lake_id, 0), COALESCE(l.name, ''),
		COALESCE(r.name, ''),
		COALESCE((SELECT v.option_id FROM poll_votes v WHERE v.poll_id = $1 AND v.person_id = $2), 0),
		COALESCE((SELECT se.requires_dues FROM seasons se WHERE se.year = $3), FALSE),
		(SELECT count(*) FROM people pe WHERE pe.member = TRUE AND pe.is_active = TRUE
			AND (COALESCE((SELECT se.requires_dues FROM seasons se WHERE se.year = $3), FALSE) = FALSE
				OR pe.dues_paid_through >= $4))
		FROM (SELECT 1 AS one) base
		LEFT JOIN poll_options o ON o.poll_id = $1
		LEFT JOIN lakes l ON l.id = o.lake_id
		LEFT JOIN ramps r ON r.id = o.ramp_id
		ORDER BY o.position, o.id`, id, personID, season, asOf)
	if err != nil {
		return PollContext{}, err
	}
	defer rows.Close()
	pc := PollContext{Places: map[int64]PollPlace{}}
	for rows.Next() {
		var optID int64
		var pl PollPlace
		if err := rows.Scan(&optID, &pl.LakeID, &pl.LakeName, &pl.RampName, &pc.MyOptionID, &pc.RequiresDues,
			&pc.Eligible); err != nil {
			return PollContext{}, err
		}
		if optID != 0 {
			pc.Places[optID] = pl
		}
	}
	return pc, rows.Err()
}

// PollSummary is one poll in the poll list.
type PollSummary struct {
	ID       int64
	Kind     string
	Title    string
	OpensAt  time.Time
	ClosesAt time.Time
	Closed   bool
	Tie      bool
	Winner   string // the winning option's label once decided
	Votes    int
}

// PollList lists, in one query, every poll that is not over at now (open or
// not yet open) and the closedLimit most recently closed ones, latest
// closing first. A poll is over when it was closed or its closing instant
// has passed (the closing job may not have run yet).
func (s *Store) PollList(ctx context.Context, now time.Time, closedLimit int) ([]PollSummary, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT p.id, p.kind, p.title, p.opens_at, p.closes_at, p.closed, p.tie,
		COALESCE(w.label, ''), (SELECT count(*) FROM poll_votes v WHERE v.poll_id = p.id)
		FROM polls p LEFT JOIN poll_options w ON w.id = p.winner_option_id
		WHERE (p.closed = FALSE AND p.closes_at > $1)
			OR p.id IN (SELECT p2.id FROM polls p2 WHERE p2.closed = TRUE OR p2.closes_at <= $1
				ORDER BY p2.closes_at DESC, p2.id DESC LIMIT $2)
		ORDER BY p.closes_at DESC, p.id DESC`, now.UTC(), closedLimit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PollSummary
	for rows.Next() {
		var p PollSummary
		if err := rows.Scan(&p.ID, &p.Kind, &p.Title, anyTime{&p.OpensAt}, anyTime{&p.ClosesAt}, &p.Closed, &p.Tie,
			&p.Winner, &p.Votes); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
