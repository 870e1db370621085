package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"sabc/internal/cache"
	"sabc/internal/club"
)

// Account is a person with what decides their role on the site.
type Account struct {
	club.Person
	// Officer: holds a term in the season asked for, or OfficerGranted.
	Officer bool
	// OfficerGranted: an admin gave officer rights without a term.
	OfficerGranted bool
}

// withExtra scans a person row followed by extra columns.
type withExtra struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.row.Scan(append(dest, w.extra...)...) }

// accountSelect loads the person and their role inputs in one query, so
// loading the visitor costs one query besides the session row.
const accountSelect = `SELECT ` + personCols + `, officer_granted,
	EXISTS (SELECT 1 FROM officer_terms o WHERE o.person_id = people.id AND o.season_year = $2)
	FROM people`

func scanAccount(row interface{ Scan(...any) error }) (Account, error) {
	var a Account
	var term bool
	p, err := scanPerson(withExtra{row, []any{&a.OfficerGranted, &term}})
	a.Person = p
	a.Officer = term || a.OfficerGranted
	return a, mapErr(err)
}

// Account loads one person with the officer flag for season (club-time year).
func (s *Store) Account(ctx context.Context, id int64, season int) (Account, error) {
	return scanAccount(s.read.QueryRowContext(ctx, accountSelect+` WHERE id = $1`, id, season))
}

// AccountByEmail is Account found by email, case-insensitively.
func (s *Store) AccountByEmail(ctx context.Context, email string, season int) (Account, error) {
	return scanAccount(s.read.QueryRowContext(ctx, accountSelect+` WHERE lower(email) = lower($1)`,
		strings.TrimSpace(email), season))
}

// ChangePassword stores a new hash and bumps session_version, which logs out
// every session holding the old version; it returns the new version so the
// caller can keep its own session. Open reset links die too: a change is
// often the answer to someone else reading the person's mail.
func (s *Store) ChangePassword(ctx context.Context, id int64, hash string) (int, error) {
	var v int
	now := s.Now()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := spendResets(ctx, tx, id, now); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `UPDATE people SET password_hash = $2,
			session_version = session_version + 1, updated_at = $3 WHERE id = $1 RETURNING session_version`,
			id, hash, now).Scan(&v)
	})
	return v, mapErr(err)
}

// spendResets marks every open reset token of a person used.
func spendResets(ctx context.Context, tx *sql.Tx, personID int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = $2
		WHERE person_id = $1 AND used_at IS NULL`, personID, now.UTC())
	return err
}

// CreatePasswordReset stores the hash of a reset token (never the token),
// usable until now+validFor. Tokens expired for more than a day are deleted on
// the way, so the table stays small. Expiry and purge read the same now, the
// caller's (one clock, docs/architecture.md).
func (s *Store) CreatePasswordReset(ctx context.Context, personID int64, tokenHash string, now time.Time, validFor time.Duration) error {
	now = now.UTC()
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM password_resets WHERE expires_at < $1`,
			now.Add(-24*time.Hour)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO password_resets (person_id, token_hash, expires_at, created_at)
			VALUES ($1, $2, $3, $4)`, personID, tokenHash, now.Add(validFor), now)
		return err
	})
}

// PasswordResetPerson returns the account a usable (unused, unexpired at
// now) token belongs to, or ErrNotFound.
func (s *Store) PasswordResetPerson(ctx context.Context, tokenHash string, now time.Time) (club.Person, error) {
	p, err := scanPerson(s.read.QueryRowContext(ctx, `SELECT `+personCols+` FROM people WHERE id = (
		SELECT person_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2)`,
		tokenHash, now.UTC()))
	return p, mapErr(err)
}

// ResetPassword uses a token once: it marks it (and every other open token of
// the person) used, sets the new hash, bumps session_version (revoking every
// session) and clears the counted login guesses. A used, expired or unknown token is
// ErrNotFound. It returns the person with the new session version.
func (s *Store) ResetPassword(ctx context.Context, tokenHash string, now time.Time, hash string) (club.Person, error) {
	var p club.Person
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE password_resets SET used_at = $2
			WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING person_id`,
			tokenHash, now.UTC()).Scan(&id)
		if err != nil {
			return err
		}
		if err := spendResets(ctx, tx, id, now); err != nil {
			return err
		}
		p, err = scanPerson(tx.QueryRowContext(ctx, `UPDATE people SET password_hash = $2,
			session_version = session_version + 1, updated_at = $3 WHERE id = $1 RETURNING `+personCols,
			id, hash, now.UTC()))
		if err != nil {
			return err
		}
		return clearLoginAttempts(ctx, tx, p.Email)
	})
	return p, err
}

// ProfileChange is one save of the profile form. Person is the complete
// record to store: the web layer starts from the stored person and copies
// only the fields the editor may change, so the store saves what it is given.
type ProfileChange struct {
	Person         club.Person
	OfficerGranted bool
	AddTerms       []club.OfficerTerm
	RemoveTermIDs  []int64 // officer_terms ids of this person
}

// membership is the audited part of a person: what an officer or admin
// changes about someone's standing in the club.
type membership struct {
	Member          bool   `json:"member"`
	MemberSince     string `json:"member_since"` // dates as text: comparable whatever their time zone
	DuesPaidThrough string `json:"dues_paid_through"`
	IsAdmin         bool   `json:"is_admin"`
	IsActive        bool   `json:"is_active"`
	OfficerGranted  bool   `json:"officer_granted"`
}

func membershipOf(p club.Person, granted bool) membership {
	return membership{p.Member, p.MemberSince.String(), p.DuesPaidThrough.String(), p.IsAdmin, p.IsActive, granted}
}

// details is the rest of the audited profile: name, phone and mail choices.
type details struct {
	FirstName  string `json:"first_name"`
	LastName   string `json:"last_name"`
	Phone      string `json:"phone"`
	EmailNews  bool   `json:"email_news"`
	EmailPolls bool   `json:"email_polls"`
}

func detailsOf(p club.Person) details {
	return details{strings.TrimSpace(p.FirstName), strings.TrimSpace(p.LastName), p.Phone, p.EmailNews, p.EmailPolls}
}

// SaveProfile stores a profile change in one transaction and audits every
// change of membership, roles or officer terms. A duplicate email is ErrConflict.
//
// It is the one path that changes a person's profile and membership (the
// profile form, the members page, tests), so membership, role, email and
// term changes are audited the same way whoever makes them. p.Version is the version the form was read at: a
// different stored version is a StaleError and nothing is saved (0 skips
// the check, for callers that just read the row in the same breath).
func (s *Store) SaveProfile(ctx context.Context, actorID int64, ch ProfileChange) error {
	p := ch.Person
	now := s.Now()
	return s.tx(ctx, func(tx *sql.Tx) error {
		before, err := scanAccount(tx.QueryRowContext(ctx, accountSelect+` WHERE id = $1`, p.ID, 0))
		if err != nil {
			return fmt.Errorf("person %d: %w", p.ID, err)
		}
		res, err := tx.ExecContext(ctx, `UPDATE people SET email = $2, first_name = $3, last_name = $4, phone = $5,
			is_active = $6, is_admin = $7, member = $8, member_since = $9, dues_paid_through = $10,
			email_news = $11, email_polls = $12, officer_granted = $13, updated_at = $14, version = version + 1
			WHERE id = $1 AND ($15 = 0 OR version = $15)`,
			p.ID, strings.TrimSpace(p.Email), strings.TrimSpace(p.FirstName), strings.TrimSpace(p.LastName), p.Phone,
			p.IsActive, p.IsAdmin, p.Member, p.MemberSince, p.DuesPaidThrough, p.EmailNews, p.EmailPolls,
			ch.OfficerGranted, now, p.Version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return &StaleError{At: before.UpdatedAt}
		}
		// A reset link mailed to the old address must not outlive the
		// change, and the change is audited: an email is what a password
		// reset trusts, so moving it is as sensitive as a role change.
		if !strings.EqualFold(strings.TrimSpace(p.Email), before.Email) {
			if err := spendResets(ctx, tx, p.ID, now); err != nil {
				return err
			}
			if err := audit(ctx, tx, now, club.AuditEntry{ActorID: actorID, ObjectKind: "person", ObjectID: p.ID,
				Action: "email", PersonID: p.ID}, before.Email, strings.TrimSpace(p.Email)); err != nil {
				return err
			}
		}
		if old, nu := detailsOf(before.Person), detailsOf(p); old != nu {
			if err := audit(ctx, tx, now, club.AuditEntry{ActorID: actorID, ObjectKind: "person", ObjectID: p.ID,
				Action: "profile", PersonID: p.ID}, old, nu); err != nil {
				return err
			}
		}
		old, nu := membershipOf(before.Person, before.OfficerGranted), membershipOf(p, ch.OfficerGranted)
		if old != nu {
			if err := audit(ctx, tx, now, club.AuditEntry{ActorID: actorID, ObjectKind: "person", ObjectID: p.ID,
				Action: "membership", PersonID: p.ID}, old, nu); err != nil {
				return err
			}
		}
		if err := s.changeTerms(ctx, tx, actorID, p.ID, ch); err != nil {
			return err
		}
		s.touch(tx, cache.PersonWrite(p.ID)...)
		return nil
	})
}

func (s *Store) changeTerms(ctx context.Context, tx *sql.Tx, actorID, personID int64, ch ProfileChange) error {
	now := s.Now()
	for _, id := range ch.RemoveTermIDs {
		var t club.OfficerTerm
		err := tx.QueryRowContext(ctx, `DELETE FROM officer_terms WHERE id = $1 AND person_id = $2
			RETURNING id, season_year, position, person_id`, id, personID).Scan(&t.ID, &t.SeasonYear, &t.Position, &t.PersonID)
		if errors.Is(err, sql.ErrNoRows) {
			continue // already gone: a second submit of the same form
		}
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, now, club.AuditEntry{ActorID: actorID, ObjectKind: "officer-term", ObjectID: t.ID,
			Action: "delete", PersonID: personID}, t, nil); err != nil {
			return err
		}
	}
	for _, t := range ch.AddTerms {
		t.PersonID = personID
		id, err := insertID(ctx, tx, `INSERT INTO officer_terms (season_year, position, person_id) VALUES ($1, $2, $3)
			ON CONFLICT (season_year, position, person_id) DO NOTHING`, t.SeasonYear, t.Position, personID)
		if errors.Is(err, ErrNotFound) {
			continue // already held
		}
		if err != nil {
			return err
		}
		t.ID = id
		if err := audit(ctx, tx, now, club.AuditEntry{ActorID: actorID, ObjectKind: "officer-term", ObjectID: id,
			Action: "create", PersonID: personID}, nil, t); err != nil {
			return err
		}
	}
	return nil
}

// PersonTerms lists every officer term a person holds, the latest season first.
func (s *Store) PersonTerms(ctx context.Context, personID int64) ([]club.OfficerTerm, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, season_year, position, person_id FROM officer_terms
		WHERE person_id = $1 ORDER BY season_year DESC, id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.OfficerTerm
	for rows.Next() {
		var t club.OfficerTerm
		if err := rows.Scan(&t.ID, &t.SeasonYear, &t.Position, &t.PersonID); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// MediaFile is one stored rendition of an upload.
type MediaFile struct {
	Key         string
	Kind        string // "avatar", "avatar-original", …
	ContentType string
	Width       int
	Height      int
	Bytes       int64
}

// SaveAvatar records the stored files of a profile photo and points the
// person's avatar at avatarKey.
func (s *Store) SaveAvatar(ctx context.Context, personID int64, avatarKey string, files []MediaFile) error {
	now := s.Now()
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, f := range files {
			// The same picture uploaded twice has the same content-addressed key.
			if _, err := tx.ExecContext(ctx, `INSERT INTO media (media_key, kind, person_id, content_type, width, height,
				bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (media_key) DO NOTHING`,
				f.Key, f.Kind, personID, f.ContentType, f.Width, f.Height, f.Bytes, now); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE people SET avatar_key = $2, updated_at = $3 WHERE id = $1`,
			personID, avatarKey, now)
		if err := mustAffect(res, err, "person", personID); err != nil {
			return err
		}
		s.touch(tx, cache.PersonWrite(personID)...)
		return nil
	})
}

// RosterEntry is one line of the members' roster.
type RosterEntry struct {
	club.Person
	Positions []string // officer positions held in the season
	Granted   bool     // officer rights granted by an admin
}

// Officer reports whether the entry counts as an officer this season.
func (e RosterEntry) Officer() bool { return len(e.Positions) > 0 || e.Granted }

// Roster lists active accounts with their officer positions in season, in one
// query. q, when not empty, keeps people whose name contains it
// (case-insensitively), and members and officers whose email contains it or
// whose phone contains its digits. Guests are listed by name only, so their
// contact details must not be searchable either: a search would confirm them.
func (s *Store) Roster(ctx context.Context, season int, q string) ([]RosterEntry, error) {
	query := `SELECT ` + prefixed("p.", personCols) + `, p.officer_granted, COALESCE(o.position, '')
		FROM people p LEFT JOIN officer_terms o ON o.person_id = p.id AND o.season_year = $1
		WHERE p.is_active = TRUE`
	args := []any{season}
	if q = strings.TrimSpace(q); q != "" {
		args = append(args, "%"+likeEscape(q)+"%")
		query += ` AND (lower(p.first_name || ' ' || p.last_name) LIKE lower($2) ESCAPE '!'
			OR (p.member OR p.officer_granted OR o.id IS NOT NULL) AND (lower(p.email) LIKE lower($2) ESCAPE '!'`
		if d := digitsOf(q); len(d) >= 3 {
			args = append(args, "%"+d+"%")
			query += ` OR p.phone LIKE $3`
		}
		query += `))`
	}
	rows, err := s.read.QueryContext(ctx, query+` ORDER BY p.last_name, p.first_name, p.id, o.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	defer rows.Close()
	return scanRosterRows(rows)
}

// scanRosterRows folds person rows joined with their positions (one row per
// position, ordered by person) into one entry per person.
func scanRosterRows(rows *sql.Rows) ([]RosterEntry, error) {
	var out []RosterEntry
	for rows.Next() {
		var e RosterEntry
		var pos string
		p, err := scanPerson(withExtra{rows, []any{&e.Granted, &pos}})
		if err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].ID == p.ID {
			out[n-1].Positions = append(out[n-1].Positions, pos)
			continue
		}
		e.Person = p
		if pos != "" {
			e.Positions = []string{pos}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// likeEscape makes a search text literal inside a LIKE pattern ('!' is the
// escape character: backslash means different things to the two databases'
// string literals).
func likeEscape(s string) string {
	r := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
	return r.Replace(s)
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) && r < 128 {
			return r
		}
		return -1
	}, s)
}
