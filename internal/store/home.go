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
	Top        []Finisher // place ≤ 3, in order
}

// Finisher is one podium line: an angler, or in a team event a boat's anglers.
type Finisher struct {
	Place   int
	Anglers []PodiumAngler
	Net     int64
	Fish    int
}

// PodiumAngler names one angler of a podium line; guests are marked "(G)".
type PodiumAngler struct {
	PersonID int64
	Name     string
	Guest    bool
}

// podiumsQuery reads the top three of limit complete tournaments from offset
// (results_podium finds the places ≤ 3; TestPodiumsUseThePodiumIndex).
const podiumsQuery = `SELECT t.id, t.season_year, COALESCE(t.lake_id, 0), t.name, e.event_date,
		t.format, t.status, COALESCE(res.person_id, 0),
		COALESCE(pp.first_name, ''), COALESCE(pp.last_name, ''), COALESCE(res.was_member, FALSE), res.place,
		COALESCE(res.net, 0), COALESCE(res.out_fish, 0), COALESCE(ba.boat_id, 0)
		FROM tournaments t JOIN events e ON e.id = t.event_id
		LEFT JOIN results res ON res.tournament_id = t.id AND res.place <= 3
		LEFT JOIN people pp ON pp.id = res.person_id
		LEFT JOIN boat_anglers ba ON ba.tournament_id = t.id AND ba.person_id = res.person_id
		WHERE t.id IN (SELECT t2.id FROM tournaments t2 JOIN events e2 ON e2.id = t2.event_id
			WHERE t2.status = 'complete' ORDER BY e2.event_date DESC, t2.id DESC LIMIT $1 OFFSET $2)
		ORDER BY e.event_date DESC, t.id DESC, res.place, COALESCE(ba.boat_id, 0), pp.last_name, pp.first_name`

// Podiums lists complete tournaments newest first (limit/offset paginate)
// with their top three, in one query. A team event's places are its boats', so
// the anglers of one boat make one line, not a tie. Each podium's Tournament
// carries only what the home page and the cache warmer use — ID, SeasonYear,
// LakeID, Name, Date, Format, Status — because its columns repeat on every
// finisher's row, and reading all 31 was most of the home page's query.
func (s *Store) Podiums(ctx context.Context, limit, offset int) ([]Podium, error) {
	rows, err := s.read.QueryContext(ctx, podiumsQuery, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Podium
	lastBoat := int64(0)
	for rows.Next() {
		var t club.Tournament
		var a PodiumAngler
		var first, last string
		var member bool
		var place sql.NullInt64
		var f Finisher
		var boat int64
		if err := rows.Scan(&t.ID, &t.SeasonYear, &t.LakeID, &t.Name, &t.Date, &t.Format, &t.Status, &a.PersonID,
			&first, &last, &member, &place, &f.Net, &f.Fish, &boat); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].Tournament.ID != t.ID {
			out, lastBoat = append(out, Podium{Tournament: t}), 0
		}
		if a.PersonID == 0 {
			continue
		}
		a.Name, a.Guest, f.Place = first+" "+last, !member, int(place.Int64)
		p := &out[len(out)-1]
		if t.Format == club.FormatTeam && boat != 0 && boat == lastBoat {
			top := &p.Top[len(p.Top)-1]
			top.Anglers = append(top.Anglers, a)
			continue
		}
		f.Anglers, lastBoat = []PodiumAngler{a}, boat
		p.Top = append(p.Top, f)
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
