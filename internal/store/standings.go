package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"sabc/internal/cache"
	"sabc/internal/club"
	"sabc/internal/scoring"
)

// rebuildSeason recomputes a season's AoY standings and awards from the stored
// outcomes of its complete tournaments and replaces the stored rows.
func (s *Store) rebuildSeason(ctx context.Context, tx *sql.Tx, year int) error {
	se, err := seasonTx(ctx, tx, year)
	if err != nil {
		return err
	}
	rules, _, err := loadRules(se)
	if err != nil {
		return err
	}
	ts, err := seasonTournaments(ctx, tx, year)
	if err != nil {
		return err
	}
	aoy := scoring.Standings(rules, ts)
	changed, err := storeStandings(ctx, tx, year, aoy)
	if err != nil {
		return err
	}
	// A weigh-in moves the AoY rank of anglers who did not fish it; their
	// profiles show the rank, and the tournament's own write names only its
	// participants.
	s.touch(tx, cache.AnglersWrite(changed...)...)
	return storeAwards(ctx, tx, year, map[string][]scoring.Catch{
		"heavy-stringer": scoring.HeavyStringers(rules, ts, 10),
		"big-bass":       scoring.BigBassOfYear(rules, ts, 10),
	})
}

// standingRow is one stored AoY row without its keys, comparable as a whole.
type standingRow struct {
	rank, points, events, wins, fish int
	net, biggestBass                 int64
	eligible                         bool
	cumulative                       string
}

// storeStandings writes only the AoY rows that changed: one weigh-in
// correction moves a handful of anglers, and rewriting all of a season's
// rows was most of the cost of a save (docs/benchmarks.md). It returns the
// anglers whose row was written or deleted.
func storeStandings(ctx context.Context, tx *sql.Tx, year int, aoy scoring.AoY) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT person_id, rank, points, events, wins, fish, net, biggest_bass,
		eligible, cumulative_json FROM standings WHERE season_year = $1`, year)
	if err != nil {
		return nil, err
	}
	stored := map[int64]standingRow{}
	for rows.Next() {
		var id int64
		var r standingRow
		if err := rows.Scan(&id, &r.rank, &r.points, &r.events, &r.wins, &r.fish, &r.net, &r.biggestBass,
			&r.eligible, &r.cumulative); err != nil {
			rows.Close()
			return nil, err
		}
		stored[id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var changed []int64
	for _, st := range aoy.Rows {
		cum, _ := json.Marshal(st.Cumulative)
		r := standingRow{st.Rank, st.Points, st.Events, st.Wins, st.Fish, int64(st.Net), int64(st.BigBass),
			st.Eligible, string(cum)}
		old, had := stored[st.AnglerID]
		delete(stored, st.AnglerID)
		if had && old == r {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO standings (season_year, person_id, rank, points, events, wins,
			fish, net, biggest_bass, eligible, cumulative_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (season_year, person_id) DO UPDATE SET rank = excluded.rank, points = excluded.points,
			events = excluded.events, wins = excluded.wins, fish = excluded.fish, net = excluded.net,
			biggest_bass = excluded.biggest_bass, eligible = excluded.eligible,
			cumulative_json = excluded.cumulative_json`,
			year, st.AnglerID, r.rank, r.points, r.events, r.wins, r.fish, r.net, r.biggestBass, r.eligible,
			r.cumulative); err != nil {
			return nil, err
		}
		changed = append(changed, st.AnglerID)
	}
	for id := range stored { // anglers with no counted result left
		if _, err := tx.ExecContext(ctx, `DELETE FROM standings WHERE season_year = $1 AND person_id = $2`,
			year, id); err != nil {
			return nil, err
		}
		changed = append(changed, id)
	}
	return changed, nil
}

// storeAwards replaces a season's heavy-stringer and big-bass lists when
// they changed (they rarely do: top 10 of the season).
func storeAwards(ctx context.Context, tx *sql.Tx, year int, lists map[string][]scoring.Catch) error {
	var want []string
	for _, kind := range []string{"big-bass", "heavy-stringer"} {
		for _, c := range lists[kind] {
			want = append(want, fmt.Sprint(kind, c.Rank, c.AnglerID, c.TournamentID, int64(c.Weight)))
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT kind, rank, person_id, tournament_id, weight FROM season_awards
		WHERE season_year = $1`, year)
	if err != nil {
		return err
	}
	var have []string
	for rows.Next() {
		var kind string
		var rank int
		var person, tournament, weight int64
		if err := rows.Scan(&kind, &rank, &person, &tournament, &weight); err != nil {
			rows.Close()
			return err
		}
		have = append(have, fmt.Sprint(kind, rank, person, tournament, weight))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	slices.Sort(have)
	if sorted := slices.Sorted(slices.Values(want)); slices.Equal(have, sorted) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM season_awards WHERE season_year = $1`, year); err != nil {
		return err
	}
	for _, kind := range []string{"big-bass", "heavy-stringer"} {
		for _, c := range lists[kind] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO season_awards (season_year, kind, rank, person_id,
				tournament_id, weight) VALUES ($1, $2, $3, $4, $5, $6)`,
				year, kind, c.Rank, c.AnglerID, c.TournamentID, int64(c.Weight)); err != nil {
				return err
			}
		}
	}
	return nil
}

// seasonTournaments loads the stored outcomes of a season's complete
// tournaments in date order: the tournaments, their result rows and the
// anglers' names in three set queries. (One joined query repeated the
// tournament and the names on every one of the season's ~2,400 rows and was
// half the cost of a weigh-in save; docs/benchmarks.md.)
func seasonTournaments(ctx context.Context, q querier, year int) ([]scoring.SeasonTournament, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.id, t.name, t.points_count, t.paper
		FROM tournaments t JOIN events e ON e.id = t.event_id
		WHERE t.season_year = $1 AND t.status = $2 ORDER BY e.event_date, t.id`, year, club.StatusComplete)
	if err != nil {
		return nil, err
	}
	var out []scoring.SeasonTournament
	index := map[int64]int{}
	for rows.Next() {
		var t scoring.SeasonTournament
		if err := rows.Scan(&t.ID, &t.Name, &t.PointsCount, &t.Paper); err != nil {
			rows.Close()
			return nil, err
		}
		index[t.ID] = len(out)
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	names, err := seasonNames(ctx, q, year)
	if err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT r.tournament_id, r.person_id, r.was_member, r.place, r.points,
		r.out_fish, r.net, r.out_big_bass, r.out_buy_in, r.out_dq FROM results r
		WHERE r.tournament_id IN (SELECT id FROM tournaments WHERE season_year = $1 AND status = $2)
		ORDER BY r.tournament_id, r.id`, year, club.StatusComplete)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var tid int64
		var r scoring.SeasonResult
		var place, points sql.NullInt64
		var net, bb int64
		if err := rows.Scan(&tid, &r.AnglerID, &r.Member, &place, &points, &r.Fish, &net, &bb, &r.BuyIn,
			&r.DQ); err != nil {
			return nil, err
		}
		n := names[r.AnglerID]
		r.Name, r.SortName = n[0], n[1]
		r.Place, r.Points, r.Pointed = int(place.Int64), int(points.Int64), points.Valid
		r.Net, r.BigBass = scoring.Weight(net), scoring.Weight(bb)
		t := &out[index[tid]]
		t.Results = append(t.Results, r)
	}
	return out, rows.Err()
}

// seasonNames maps each angler of a season to [display name, sort name].
func seasonNames(ctx context.Context, q querier, year int) (map[int64][2]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.first_name, p.last_name FROM people p
		WHERE p.id IN (SELECT r.person_id FROM results r JOIN tournaments t ON t.id = r.tournament_id
		WHERE t.season_year = $1)`, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[int64][2]string{}
	for rows.Next() {
		var id int64
		var first, last string
		if err := rows.Scan(&id, &first, &last); err != nil {
			return nil, err
		}
		names[id] = [2]string{first + " " + last, last + ", " + first}
	}
	return names, rows.Err()
}

// Standing is one stored AoY row with the angler's name.
type Standing struct {
	PersonID    int64
	Name        string
	Rank        int
	Points      int
	Events      int
	Wins        int
	Fish        int
	Net         int64
	BiggestBass int64
	Eligible    bool
	Cumulative  []int
}

// standingsQuery reads a season's AoY rows: eligible anglers first, then by
// rank, points and name. The whole season is sorted in one go; the top of it
// (limit > 0, the home page's five) is read in order from standings_order,
// which leaves only ties of rank and points to sort by name, so SQLite stops
// after the first rows (TestTopStandingsUseTheOrderIndex). The CASE keeps
// the whole season off that index: sorting each tie group separately costs
// more than one sort when every row is read anyway.
const standingsQuery = `SELECT st.person_id, p.first_name || ' ' || p.last_name, st.rank, st.points, st.events,
		st.wins, st.fish, st.net, st.biggest_bass, st.eligible, st.cumulative_json
		FROM standings st JOIN people p ON p.id = st.person_id WHERE st.season_year = $1`

const (
	seasonOrder = ` ORDER BY CASE WHEN st.eligible THEN 0 ELSE 1 END, st.rank, st.points DESC, p.last_name, p.first_name`
	topOrder    = ` ORDER BY st.eligible DESC, st.rank, st.points DESC, p.last_name, p.first_name LIMIT $2`
)

// Standings lists a season's stored AoY rows in order (limit 0 = all), one query.
func (s *Store) Standings(ctx context.Context, year, limit int) ([]Standing, error) {
	q := standingsQuery + seasonOrder
	args := []any{year}
	if limit > 0 {
		q = standingsQuery + topOrder
		args = append(args, limit)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Standing
	for rows.Next() {
		var st Standing
		var cum string
		if err := rows.Scan(&st.PersonID, &st.Name, &st.Rank, &st.Points, &st.Events, &st.Wins, &st.Fish, &st.Net,
			&st.BiggestBass, &st.Eligible, &cum); err != nil {
			return nil, err
		}
		st.Cumulative = intList(cum)
		out = append(out, st)
	}
	return out, rows.Err()
}

// intList decodes a stored cumulative_json ("[25,49,73]", written by
// json.Marshal of []int) without encoding/json, which was a tenth of an
// uncached standings page: one array per angler. Anything else goes through
// json.Unmarshal, which ignores what it cannot decode, as before.
func intList(s string) []int {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return jsonIntList(s)
	}
	body := s[1 : len(s)-1]
	if body == "" {
		return []int{}
	}
	out := make([]int, 0, strings.Count(body, ",")+1)
	for f := range strings.SplitSeq(body, ",") {
		n, err := strconv.Atoi(f)
		if err != nil || !canonicalInt(f) {
			return jsonIntList(s)
		}
		out = append(out, n)
	}
	return out
}

// canonicalInt reports that f is written as json.Marshal writes an int: no
// plus sign, no leading zero (strconv.Atoi accepts both, JSON neither).
func canonicalInt(f string) bool {
	digits := strings.TrimPrefix(f, "-")
	return digits != "" && (digits[0] != '0' || len(digits) == 1) && digits[0] != '+'
}

func jsonIntList(s string) []int {
	var out []int
	json.Unmarshal([]byte(s), &out)
	return out
}
