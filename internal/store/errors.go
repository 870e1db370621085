package store

import (
	"context"
	"encoding/json"

	"sabc/internal/obs"
)

// ErrorGroups is the SQL obs.ErrorStore: every replica aggregates captured
// errors into the same rows, which the officers' error page lists.
type ErrorGroups struct{ s *Store }

// ErrorGroups returns the error-group store on this database.
func (s *Store) ErrorGroups() ErrorGroups { return ErrorGroups{s} }

var _ obs.ErrorStore = ErrorGroups{}

// UpsertGroup adds an occurrence: a known fingerprint adds to its count, keeps
// first_seen and reopens if it was resolved.
func (e ErrorGroups) UpsertGroup(ctx context.Context, g obs.Group) error {
	ctxJSON, _ := json.Marshal(struct {
		obs.ErrorContext
		Sample string `json:"sample"`
	}{g.Context, g.Sample})
	_, err := e.s.write.ExecContext(ctx, `INSERT INTO error_groups (fingerprint, severity, error_type, location,
		message, count, first_seen, last_seen, last_context, resolved)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, FALSE)
		ON CONFLICT (fingerprint) DO UPDATE SET count = error_groups.count + excluded.count,
		last_seen = excluded.last_seen, severity = excluded.severity, last_context = excluded.last_context,
		resolved = FALSE`,
		g.Fingerprint, string(g.Severity), g.Type, g.Location, g.Message, g.Count, g.FirstSeen.UTC(),
		g.LastSeen.UTC(), string(ctxJSON))
	return mapErr(err)
}

// ListGroups returns groups, most recently seen first.
func (e ErrorGroups) ListGroups(ctx context.Context, includeResolved bool) ([]obs.Group, error) {
	rows, err := e.s.read.QueryContext(ctx, `SELECT fingerprint, severity, error_type, location, message, count,
		first_seen, last_seen, last_context, resolved FROM error_groups
		WHERE ($1 OR resolved = FALSE) ORDER BY last_seen DESC LIMIT 200`, includeResolved)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []obs.Group
	for rows.Next() {
		var g obs.Group
		var sev, ctxJSON string
		if err := rows.Scan(&g.Fingerprint, &sev, &g.Type, &g.Location, &g.Message, &g.Count, &g.FirstSeen,
			&g.LastSeen, &ctxJSON, &g.Resolved); err != nil {
			return nil, err
		}
		g.Severity = obs.Severity(sev)
		var c struct {
			obs.ErrorContext
			Sample string `json:"sample"`
		}
		json.Unmarshal([]byte(ctxJSON), &c)
		g.Context, g.Sample = c.ErrorContext, c.Sample
		out = append(out, g)
	}
	return out, rows.Err()
}

// Resolve marks a group resolved; its next occurrence reopens it.
func (e ErrorGroups) Resolve(ctx context.Context, fingerprint string) error {
	res, err := e.s.write.ExecContext(ctx, `UPDATE error_groups SET resolved = TRUE WHERE fingerprint = $1`, fingerprint)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
