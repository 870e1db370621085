package store

import (
	"context"
	"database/sql"
	"strings"

	"sabc/internal/cache"
	"sabc/internal/club"
)

// LakeKey is the unique case-insensitive key of a lake name: trimmed, inner
// spaces collapsed, lower case ("  Lake  Travis " → "lake travis").
func LakeKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// CreateLake inserts a lake and its ramps. A lake whose key exists is ErrConflict.
func (s *Store) CreateLake(ctx context.Context, l club.Lake) (int64, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.createLake(ctx, tx, l)
		return err
	})
	return id, err
}

func (s *Store) createLake(ctx context.Context, tx *sql.Tx, l club.Lake) (int64, error) {
	name := strings.Join(strings.Fields(l.Name), " ")
	id, err := insertID(ctx, tx, `INSERT INTO lakes (name, lake_key, state, paper, map_url, notes)
		VALUES ($1, $2, $3, $4, $5, $6)`, name, LakeKey(name), lakeState(l.State), l.Paper, l.MapURL, l.Notes)
	if err != nil {
		return 0, err
	}
	s.touch(tx, cache.LakeWrite(id)...)
	for _, r := range l.Ramps {
		r.LakeID = id
		if _, err := addRamp(ctx, tx, r); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// lakeState is the stored two-letter state; the club fishes Texas, so an
// unset one is TX (the column's default too).
func lakeState(st string) string {
	if st = strings.ToUpper(strings.TrimSpace(st)); st != "" {
		return st
	}
	return "TX"
}

// AddRamp adds a ramp to a lake; a second ramp of the same name is ErrConflict.
func (s *Store) AddRamp(ctx context.Context, r club.Ramp) (int64, error) {
	id, err := addRamp(ctx, s.write, r)
	if err == nil {
		s.wrote(ctx, cache.LakeWrite(r.LakeID)...)
	}
	return id, err
}

func addRamp(ctx context.Context, q querier, r club.Ramp) (int64, error) {
	return insertID(ctx, q, `INSERT INTO ramps (lake_id, name, map_url) VALUES ($1, $2, $3)`,
		r.LakeID, strings.TrimSpace(r.Name), r.MapURL)
}

// Lakes lists every lake with its ramps, by name, in one query.
func (s *Store) Lakes(ctx context.Context) ([]club.Lake, error) { return s.lakesWhere(ctx, `TRUE`) }

// Lake loads one lake with its ramps.
func (s *Store) Lake(ctx context.Context, id int64) (club.Lake, error) {
	lakes, err := s.lakesWhere(ctx, `l.id = $1`, id)
	if err != nil {
		return club.Lake{}, err
	}
	if len(lakes) == 0 {
		return club.Lake{}, ErrNotFound
	}
	return lakes[0], nil
}

func (s *Store) lakesWhere(ctx context.Context, where string, args ...any) ([]club.Lake, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT l.id, l.name, l.lake_key, l.state, l.version, l.paper, l.map_url, l.notes,
		COALESCE(r.id, 0), COALESCE(r.name, ''), COALESCE(r.map_url, '')
		FROM lakes l LEFT JOIN ramps r ON r.lake_id = l.id WHERE `+where+` ORDER BY l.name, l.id, r.name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.Lake
	for rows.Next() {
		var l club.Lake
		var r club.Ramp
		if err := rows.Scan(&l.ID, &l.Name, &l.Key, &l.State, &l.Version, &l.Paper, &l.MapURL, &l.Notes, &r.ID, &r.Name, &r.MapURL); err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != l.ID {
			out = append(out, l)
		}
		if r.ID != 0 {
			r.LakeID = l.ID
			out[len(out)-1].Ramps = append(out[len(out)-1].Ramps, r)
		}
	}
	return out, rows.Err()
}
