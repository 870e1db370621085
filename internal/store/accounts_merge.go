package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"sabc/internal/cache"
	"sabc/internal/club"
)

// MergePreview says what merging Dup into Keep would move, and what stops it.
type MergePreview struct {
	Keep, Dup    club.Person
	Results      int // results of Dup
	Boats        int // boat seats of Dup
	Votes        int // poll votes of Dup (and proxy votes cast by Dup)
	Comments     int
	OfficerTerms int
	Photos       int // stored media of Dup, plus the profile photo if Keep has none
	// Conflicts: the same tournament or poll on both accounts. A merge would
	// have to throw one result or vote away, so it is refused.
	ResultConflicts []MergeConflict // tournaments where both have a result or a boat seat
	VoteConflicts   []string        // poll titles
}

// MergeConflict is a tournament both accounts fished, with its id so the
// merge page can link to each account's result there (to delete the wrong one).
type MergeConflict struct {
	TournamentID int64
	Title        string // "March Lake Bastrop 2024": conflicts can be of any season
}

// Blocked reports whether the merge must be refused.
func (m MergePreview) Blocked() bool { return len(m.ResultConflicts)+len(m.VoteConflicts) > 0 }

// MergeConflictError refuses a merge; Preview names the conflicts.
type MergeConflictError struct{ Preview MergePreview }

func (e *MergeConflictError) Error() string {
	return fmt.Sprintf("both accounts have results in %d tournament(s) or votes in %d poll(s)",
		len(e.Preview.ResultConflicts), len(e.Preview.VoteConflicts))
}

func (e *MergeConflictError) Unwrap() error { return ErrConflict }

// PreviewMerge counts what merging dupID into keepID would move.
func (s *Store) PreviewMerge(ctx context.Context, keepID, dupID int64) (MergePreview, error) {
	return previewMerge(ctx, s.read, keepID, dupID)
}

func previewMerge(ctx context.Context, q querier, keepID, dupID int64) (MergePreview, error) {
	var m MergePreview
	if keepID == dupID {
		return m, fmt.Errorf("%w: an account cannot be merged into itself", ErrConflict)
	}
	var err error
	if m.Keep, err = scanPerson(q.QueryRowContext(ctx, `SELECT `+personCols+` FROM people WHERE id = $1`, keepID)); err != nil {
		return m, fmt.Errorf("person %d: %w", keepID, mapErr(err))
	}
	if m.Dup, err = scanPerson(q.QueryRowContext(ctx, `SELECT `+personCols+` FROM people WHERE id = $1`, dupID)); err != nil {
		return m, fmt.Errorf("person %d: %w", dupID, mapErr(err))
	}
	err = q.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM results WHERE person_id = $1),
		(SELECT count(*) FROM boat_anglers WHERE person_id = $1),
		(SELECT count(*) FROM poll_votes WHERE person_id = $1 OR proxy_by = $1),
		(SELECT count(*) FROM poll_comments WHERE person_id = $1),
		(SELECT count(*) FROM officer_terms WHERE person_id = $1),
		(SELECT count(*) FROM media WHERE person_id = $1)`, dupID).
		Scan(&m.Results, &m.Boats, &m.Votes, &m.Comments, &m.OfficerTerms, &m.Photos)
	if err != nil {
		return m, err
	}
	if m.Keep.AvatarKey == "" && m.Dup.AvatarKey != "" && m.Photos == 0 {
		m.Photos = 1
	}
	if m.ResultConflicts, err = tournamentTitles(ctx, q, `SELECT t.id, t.name, e.event_date FROM tournaments t
		JOIN events e ON e.id = t.event_id WHERE EXISTS
		(SELECT 1 FROM results r WHERE r.tournament_id = t.id AND r.person_id = $1) AND EXISTS
		(SELECT 1 FROM results r WHERE r.tournament_id = t.id AND r.person_id = $2)
		OR EXISTS (SELECT 1 FROM boat_anglers b WHERE b.tournament_id = t.id AND b.person_id = $1) AND EXISTS
		(SELECT 1 FROM boat_anglers b WHERE b.tournament_id = t.id AND b.person_id = $2) ORDER BY t.id`, keepID, dupID); err != nil {
		return m, err
	}
	m.VoteConflicts, err = textColumn(ctx, q, `SELECT p.title FROM polls p WHERE EXISTS
		(SELECT 1 FROM poll_votes v WHERE v.poll_id = p.id AND v.person_id = $1) AND EXISTS
		(SELECT 1 FROM poll_votes v WHERE v.poll_id = p.id AND v.person_id = $2) ORDER BY p.id`, keepID, dupID)
	return m, err
}

// tournamentTitles reads (id, name, date) rows as conflicts titled with the
// year — a merge conflict names tournaments of any season.
func tournamentTitles(ctx context.Context, q querier, query string, args ...any) ([]MergeConflict, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MergeConflict
	for rows.Next() {
		var c MergeConflict
		var name string
		var d club.Date
		if err := rows.Scan(&c.TournamentID, &name, &d); err != nil {
			return nil, err
		}
		c.Title = club.TournamentTitle(name, d)
		out = append(out, c)
	}
	return out, rows.Err()
}

func textColumn(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// MergeAccounts moves everything of dupID to keepID in one transaction:
// results, boat seats, votes, comments, officer terms, photos and authored
// items. The duplicate is deactivated and logged out everywhere, the merge is
// audited and every tournament that changed hands is rescored in the same
// transaction. Conflicts are a *MergeConflictError and change nothing.
func (s *Store) MergeAccounts(ctx context.Context, actorID, keepID, dupID int64) (MergePreview, error) {
	var m MergePreview
	// The same lock as every scoring write: results change hands here.
	err := s.scoringTx(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = previewMerge(ctx, tx, keepID, dupID); err != nil {
			return err
		}
		if m.Blocked() {
			return &MergeConflictError{Preview: m}
		}
		tournaments, err := idColumn(ctx, tx, `SELECT tournament_id FROM results WHERE person_id = $1
			UNION SELECT tournament_id FROM boat_anglers WHERE person_id = $1`, dupID)
		if err != nil {
			return err
		}
		if err := moveRows(ctx, tx, keepID, dupID); err != nil {
			return err
		}
		if err := mergePeople(ctx, tx, m.Keep, m.Dup, s.Now()); err != nil {
			return err
		}
		if err := audit(ctx, tx, s.Now(), club.AuditEntry{ActorID: actorID, ObjectKind: "person", ObjectID: keepID,
			Action: "merge", PersonID: keepID}, map[string]any{"duplicate_id": dupID, "duplicate_email": m.Dup.Email,
			"results": m.Results, "boats": m.Boats, "votes": m.Votes, "officer_terms": m.OfficerTerms,
			"photos": m.Photos}, map[string]any{"kept_id": keepID}); err != nil {
			return err
		}
		s.touch(tx, cache.PersonWrite(keepID)...)
		s.touch(tx, cache.PersonWrite(dupID)...)
		if len(tournaments) > 0 {
			return s.rescoreSet(ctx, tx, tournaments)
		}
		return nil
	})
	var mc *MergeConflictError
	if errors.As(err, &mc) {
		return mc.Preview, err
	}
	return m, err
}

// moveRows re-points every row of the duplicate at the kept account. An
// officer position both held in the same season is dropped from the
// duplicate first, so the unique key cannot fail.
func moveRows(ctx context.Context, tx *sql.Tx, keepID, dupID int64) error {
	stmts := []string{
		`DELETE FROM officer_terms WHERE person_id = $2 AND EXISTS (SELECT 1 FROM officer_terms k
			WHERE k.person_id = $1 AND k.season_year = officer_terms.season_year AND k.position = officer_terms.position)`,
		`UPDATE officer_terms SET person_id = $1 WHERE person_id = $2`,
		`UPDATE results SET person_id = $1 WHERE person_id = $2`,
		`UPDATE boat_anglers SET person_id = $1 WHERE person_id = $2`,
		`UPDATE payouts SET person_id = $1 WHERE person_id = $2`,
		`UPDATE poll_votes SET person_id = $1 WHERE person_id = $2`,
		`UPDATE poll_votes SET proxy_by = $1 WHERE proxy_by = $2`,
		`UPDATE poll_comments SET person_id = $1 WHERE person_id = $2`,
		`UPDATE media SET person_id = $1 WHERE person_id = $2`,
		`UPDATE news SET author_id = $1 WHERE author_id = $2`,
		`UPDATE polls SET created_by = $1 WHERE created_by = $2`,
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q, keepID, dupID); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
	}
	// PostgreSQL needs every bound parameter used, so these take only the duplicate.
	for _, q := range []string{`DELETE FROM password_resets WHERE person_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, dupID); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
	}
	return nil
}

// mergePeople keeps the better of both records' membership (earliest
// member-since, latest dues) and fills the kept account's empty phone and
// photo; the duplicate loses its rights and every session.
func mergePeople(ctx context.Context, tx *sql.Tx, keep, dup club.Person, now time.Time) error {
	member := keep.Member || dup.Member
	since := keep.MemberSince
	if !dup.MemberSince.IsZero() && (since.IsZero() || dup.MemberSince.Before(since.Time)) {
		since = dup.MemberSince
	}
	dues := keep.DuesPaidThrough
	if dup.DuesPaidThrough.After(dues.Time) {
		dues = dup.DuesPaidThrough
	}
	phone, avatar := keep.Phone, keep.AvatarKey
	if phone == "" {
		phone = dup.Phone
	}
	if avatar == "" {
		avatar = dup.AvatarKey
	}
	if _, err := tx.ExecContext(ctx, `UPDATE people SET member = $2, member_since = $3, dues_paid_through = $4,
		phone = $5, avatar_key = $6, updated_at = $7 WHERE id = $1`,
		keep.ID, member, since, dues, phone, avatar, now); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE people SET is_active = FALSE, is_admin = FALSE, member = FALSE,
		officer_granted = FALSE, session_version = session_version + 1, updated_at = $2 WHERE id = $1`, dup.ID, now)
	return err
}
