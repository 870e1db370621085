package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"sabc/internal/cache"
	"sabc/internal/club"
)

// CreatePoll inserts a poll with its options in one transaction.
func (s *Store) CreatePoll(ctx context.Context, p club.Poll) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertID(ctx, tx, `INSERT INTO polls (kind, title, description, season_year, event_id, opens_at,
			closes_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			p.Kind, p.Title, p.Description, nullInt(p.SeasonYear), nullID(p.EventID), p.OpensAt.UTC(),
			p.ClosesAt.UTC(), nullID(p.CreatedBy), s.Now())
		if err != nil {
			return err
		}
		for i, o := range p.Options {
			if _, err := tx.ExecContext(ctx, `INSERT INTO poll_options (poll_id, label, lake_id, ramp_id, start_time,
				position) VALUES ($1, $2, $3, $4, $5, $6)`, id, o.Label, nullID(o.LakeID), nullID(o.RampID),
				o.StartTime, i); err != nil {
				return err
			}
		}
		s.touch(tx, cache.PollWrite(id)...)
		return nil
	})
	return id, err
}

// ErrPollClosed refuses a vote outside the poll's open window. It is a
// conflict (409) for callers that only know the sentinels.
var ErrPollClosed = fmt.Errorf("poll is not open for voting: %w", ErrConflict)

// CastVote records one vote. The unique (poll, person) constraint makes a
// double submit or two concurrent requests cast exactly one vote: the loser
// gets ErrConflict. The poll must be open at the store's clock, checked in
// the INSERT itself with the same instant it stamps, so a vote can never land
// at or after the close instant however late its request ran (ErrPollClosed);
// an option of another poll is ErrNotFound. Membership and dues are checked
// by the caller.
func (s *Store) CastVote(ctx context.Context, v club.Vote) error {
	now := s.Now()
	res, err := s.write.ExecContext(ctx, `INSERT INTO poll_votes (poll_id, option_id, person_id, proxy_by, created_at)
		SELECT $1, o.id, $3, $4, $5 FROM poll_options o JOIN polls p ON p.id = o.poll_id
		WHERE o.id = $2 AND o.poll_id = $1 AND p.closed = FALSE AND p.opens_at <= $5 AND p.closes_at > $5`,
		v.PollID, v.OptionID, v.PersonID, nullID(v.ProxyBy), now)
	if err != nil {
		return fmt.Errorf("vote on poll %d: %w", v.PollID, mapErr(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.voteRefused(ctx, v)
	}
	s.wrote(ctx, cache.PollWrite(v.PollID)...)
	return nil
}

// voteRefused says why CastVote inserted nothing. The decision was already
// made atomically by the INSERT; this only picks the error.
func (s *Store) voteRefused(ctx context.Context, v club.Vote) error {
	var ok bool
	err := s.write.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM poll_options WHERE id = $1 AND poll_id = $2)`,
		v.OptionID, v.PollID).Scan(&ok)
	switch {
	case err != nil:
		return fmt.Errorf("vote on poll %d: %w", v.PollID, err)
	case !ok:
		return fmt.Errorf("option %d of poll %d: %w", v.OptionID, v.PollID, ErrNotFound)
	}
	return fmt.Errorf("vote on poll %d: %w", v.PollID, ErrPollClosed)
}

// PollWithCounts loads a poll with its options and vote counts in one query.
func (s *Store) PollWithCounts(ctx context.Context, id int64) (club.Poll, error) {
	polls, err := s.polls(ctx, `WHERE p.id = $1`, id)
	if err != nil {
		return club.Poll{}, err
	}
	if len(polls) == 0 {
		return club.Poll{}, fmt.Errorf("poll %d: %w", id, ErrNotFound)
	}
	return polls[0], nil
}

// OpenPolls lists polls open at now, soonest closing first, with counts.
func (s *Store) OpenPolls(ctx context.Context, now time.Time) ([]club.Poll, error) {
	return s.polls(ctx, `WHERE p.closed = FALSE AND p.opens_at <= $1 AND p.closes_at > $1`, now.UTC())
}

func (s *Store) polls(ctx context.Context, where string, args ...any) ([]club.Poll, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT p.id, p.kind, p.title, p.description, COALESCE(p.season_year, 0),
		COALESCE(p.event_id, 0), p.opens_at, p.closes_at, p.closed, p.tie, COALESCE(p.winner_option_id, 0),
		COALESCE(p.created_by, 0), o.id, o.label, COALESCE(o.lake_id, 0), COALESCE(o.ramp_id, 0), o.start_time,
		o.position, (SELECT count(*) FROM poll_votes v WHERE v.option_id = o.id)
		FROM polls p JOIN poll_options o ON o.poll_id = p.id `+where+` ORDER BY p.closes_at, p.id, o.position, o.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.Poll
	for rows.Next() {
		var p club.Poll
		var o club.PollOption
		if err := rows.Scan(&p.ID, &p.Kind, &p.Title, &p.Description, &p.SeasonYear, &p.EventID, &p.OpensAt,
			&p.ClosesAt, &p.Closed, &p.Tie, &p.WinnerOptionID, &p.CreatedBy, &o.ID, &o.Label, &o.LakeID, &o.RampID,
			&o.StartTime, &o.Position, &o.Votes); err != nil {
			return nil, err
		}
		o.PollID = p.ID
		if n := len(out); n == 0 || out[n-1].ID != p.ID {
			out = append(out, p)
		}
		out[len(out)-1].Options = append(out[len(out)-1].Options, o)
	}
	return out, rows.Err()
}
