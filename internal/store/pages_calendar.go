package store

import (
	"context"

	"sabc/internal/club"
	"sabc/internal/scoring"
)

// CalendarEvent is an event as the calendar, its image and the iCalendar
// feed show it: the event plus the ramp and the tournament's own name and
// status, so none of them needs a second query.
type CalendarEvent struct {
	club.Event
	RampName string
	Status   string // tournament status; "" for other events
}

// CalendarEvents lists the events with from <= date < to (club days) by date
// and start time, in one query. A tournament's title is its current name (the
// event title is only a copy made when the tournament was created).
func (s *Store) CalendarEvents(ctx context.Context, from, to club.Date) ([]CalendarEvent, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT e.id, e.event_date, e.kind, COALESCE(t.name, e.title),
		e.start_time, e.end_time, COALESCE(e.lake_id, 0), COALESCE(e.ramp_id, 0), e.cancelled, e.description,
		COALESCE(l.name, ''), COALESCE(t.id, 0), COALESCE(r.name, ''), COALESCE(t.status, '')
		FROM events e LEFT JOIN lakes l ON l.id = e.lake_id LEFT JOIN ramps r ON r.id = e.ramp_id
		LEFT JOIN tournaments t ON t.event_id = e.id
		WHERE e.event_date >= $1 AND e.event_date < $2 ORDER BY e.event_date, e.start_time, e.id`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CalendarEvent
	for rows.Next() {
		var c CalendarEvent
		e := &c.Event
		if err := rows.Scan(&e.ID, &e.Date, &e.Kind, &e.Title, &e.StartTime, &e.EndTime, &e.LakeID, &e.RampID,
			&e.Cancelled, &e.Description, &e.LakeName, &e.TournamentID, &c.RampName, &c.Status); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SeasonRules is a season with its decoded RuleSet and PayoutSchedule, for
// the public rules page.
type SeasonRules struct {
	Season  club.Season
	Rules   scoring.RuleSet
	Payouts scoring.PayoutSchedule
}

// SeasonRules loads one season and decodes its rules exactly as scoring does
// (loadRules: defaults first, then the stored JSON), so the rules page states
// the rules the results were scored with. One query.
func (s *Store) SeasonRules(ctx context.Context, year int) (SeasonRules, error) {
	se, err := s.Season(ctx, year)
	if err != nil {
		return SeasonRules{}, err
	}
	rules, pay, err := loadRules(se)
	return SeasonRules{Season: se, Rules: rules, Payouts: pay}, err
}
