package store

import (
	"context"
	"database/sql"
	"time"

	"sabc/internal/club"
)

// Podium is a recent complete tournament with its top finishers.
type Podium struct {
	Tournament club.Tournament
	Top        []club.Result // place ≤ 3, in order
}

// Podiums lists complete tournaments newest first (limit/offset paginate)
// with their top three, in one query.
func (s *Store) Podiums(ctx context.Context, limit, offset int) ([]Podium, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+tournamentCols+`, COALESCE(res.person_id, 0),
		COALESCE(pp.first_name, ''), COALESCE(pp.last_name, ''), res.place, COALESCE(res.net, 0), COALESCE(res.out_fish, 0)`+
		tournamentFrom+`
		LEFT JOIN results res ON res.tournament_id = t.id AND res.place <= 3
		LEFT JOIN people pp ON pp.id = res.person_id
		WHERE t.id IN (SELECT t2.id FROM tournaments t2 JOIN events e2 ON e2.id = t2.event_id
			WHERE t2.status = 'complete' ORDER BY e2.event_date DESC, t2.id DESC LIMIT $1 OFFSET $2)
		ORDER BY e.event_date DESC, t.id DESC, res.place, pp.last_name`, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Podium
	for rows.Next() {
		var t club.Tournament
		var r club.Result
		var place sql.NullInt64
		dest := append(tournamentFields(&t), &r.PersonID, &r.FirstName, &r.LastName, &place, &r.Net, &r.OutFish)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].Tournament.ID != t.ID {
			out = append(out, Podium{Tournament: t})
		}
		if r.PersonID != 0 {
			r.Place = intPtr(place)
			out[len(out)-1].Top = append(out[len(out)-1].Top, r)
		}
	}
	return out, rows.Err()
}

// Headline is an item of the home page's feed: an open poll or a news post.
type Headline struct {
	Kind  string // "poll" or "news"
	ID    int64
	Title string
	At    time.Time // poll: closes at; news: published at
	Body  string    // news body (markdown); poll description
}

// Headlines returns the open polls and the latest news posts in one query.
func (s *Store) Headlines(ctx context.Context, now time.Time, newsLimit int) ([]Headline, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT kind, id, title, at, body FROM (
		SELECT 'poll' AS kind, id, title, closes_at AS at, description AS body, 0 AS n FROM polls
			WHERE closed = FALSE AND opens_at <= $1 AND closes_at > $1
		UNION ALL
		SELECT * FROM (SELECT 'news' AS kind, id, title, publish_at AS at, body_md AS body, 1 AS n FROM news
			WHERE publish_at <= $1 ORDER BY publish_at DESC, id DESC LIMIT $2) latest
	) feed ORDER BY n, at DESC`, now.UTC(), newsLimit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Headline
	for rows.Next() {
		var h Headline
		if err := rows.Scan(&h.Kind, &h.ID, &h.Title, anyTime{&h.At}, &h.Body); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
