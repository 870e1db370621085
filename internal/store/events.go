package store

import (
	"context"

	"sabc/internal/cache"
	"sabc/internal/club"
)

// CreateEvent inserts a calendar event.
func (s *Store) CreateEvent(ctx context.Context, e club.Event) (int64, error) {
	id, err := createEvent(ctx, s.write, e)
	if err == nil {
		s.wrote(ctx, cache.EventWrite(e.Date.Year())...)
	}
	return id, err
}

func createEvent(ctx context.Context, q querier, e club.Event) (int64, error) {
	return insertID(ctx, q, `INSERT INTO events (event_date, kind, title, start_time, end_time, lake_id, ramp_id,
		cancelled, description) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		e.Date, e.Kind, e.Title, e.StartTime, e.EndTime, nullID(e.LakeID), nullID(e.RampID), e.Cancelled, e.Description)
}

// Events lists events with from <= date < to (club days), by date, with the
// lake name, tournament id and version, in one query.
func (s *Store) Events(ctx context.Context, from, to club.Date) ([]club.Event, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+eventCols+eventFrom+`
		WHERE e.event_date >= $1 AND e.event_date < $2 ORDER BY e.event_date, e.start_time, e.id`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
