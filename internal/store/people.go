package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"sabc/internal/cache"
	"sabc/internal/club"
)

const personCols = `id, email, password_hash, first_name, last_name, phone, is_active, is_admin, member,
	member_since, dues_paid_through, session_version, avatar_key, email_news, email_polls, version, created_at, updated_at`

func scanPerson(row interface{ Scan(...any) error }) (club.Person, error) {
	var p club.Person
	err := row.Scan(&p.ID, &p.Email, &p.PasswordHash, &p.FirstName, &p.LastName, &p.Phone, &p.IsActive,
		&p.IsAdmin, &p.Member, &p.MemberSince, &p.DuesPaidThrough, &p.SessionVersion, &p.AvatarKey,
		&p.EmailNews, &p.EmailPolls, &p.Version, &p.CreatedAt, &p.UpdatedAt)
	return p, err
}

// CreatePerson inserts an account. A duplicate email (any case) is ErrConflict.
func (s *Store) CreatePerson(ctx context.Context, p club.Person) (int64, error) {
	now := s.Now()
	id, err := insertID(ctx, s.write, `INSERT INTO people (email, password_hash, first_name, last_name, phone,
		is_active, is_admin, member, member_since, dues_paid_through, session_version, avatar_key,
		email_news, email_polls, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $13, $14, $14)`,
		strings.TrimSpace(p.Email), p.PasswordHash, strings.TrimSpace(p.FirstName), strings.TrimSpace(p.LastName),
		p.Phone, p.IsActive, p.IsAdmin, p.Member, p.MemberSince, p.DuesPaidThrough, p.AvatarKey,
		p.EmailNews, p.EmailPolls, now)
	if err == nil {
		s.wrote(ctx, cache.PersonWrite(id)...)
	}
	return id, err
}

// Person loads one account.
func (s *Store) Person(ctx context.Context, id int64) (club.Person, error) {
	p, err := scanPerson(s.read.QueryRowContext(ctx, `SELECT `+personCols+` FROM people WHERE id = $1`, id))
	if err != nil {
		return p, fmt.Errorf("person %d: %w", id, mapErr(err))
	}
	return p, nil
}

// PersonByEmail finds an account by email, case-insensitively.
func (s *Store) PersonByEmail(ctx context.Context, email string) (club.Person, error) {
	p, err := scanPerson(s.read.QueryRowContext(ctx,
		`SELECT `+personCols+` FROM people WHERE lower(email) = lower($1)`, strings.TrimSpace(email)))
	return p, mapErr(err)
}

// People lists accounts by last, first name. memberOnly limits to members.
func (s *Store) People(ctx context.Context, activeOnly bool) ([]club.Person, error) {
	q := `SELECT ` + personCols + ` FROM people`
	if activeOnly {
		q += ` WHERE is_active = TRUE`
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY last_name, first_name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetPassword stores a new hash and bumps session_version, logging the person
// out everywhere else.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string) error {
	res, err := s.write.ExecContext(ctx, `UPDATE people SET password_hash = $2,
		session_version = session_version + 1, updated_at = $3 WHERE id = $1`, id, hash, s.Now())
	return mapErr(mustAffect(res, err, "person", id))
}

// mustAffect turns "no row updated" into ErrNotFound.
func mustAffect(res sql.Result, err error, what string, id int64) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s %d: %w", what, id, ErrNotFound)
	}
	return nil
}

// AddOfficerTerm records a position held in a season.
func (s *Store) AddOfficerTerm(ctx context.Context, t club.OfficerTerm) (int64, error) {
	id, err := insertID(ctx, s.write, `INSERT INTO officer_terms (season_year, position, person_id) VALUES ($1, $2, $3)`,
		t.SeasonYear, t.Position, t.PersonID)
	if err == nil {
		s.wrote(ctx, cache.PersonWrite(t.PersonID)...)
	}
	return id, err
}

// OfficerTerms lists one season's officers in bylaw order.
func (s *Store) OfficerTerms(ctx context.Context, year int) ([]club.OfficerTerm, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT o.id, o.season_year, o.position, o.person_id,
		p.first_name || ' ' || p.last_name FROM officer_terms o JOIN people p ON p.id = o.person_id
		WHERE o.season_year = $1 ORDER BY o.id`, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.OfficerTerm
	for rows.Next() {
		var o club.OfficerTerm
		if err := rows.Scan(&o.ID, &o.SeasonYear, &o.Position, &o.PersonID, &o.PersonName); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// IsOfficer reports whether the person holds any position in the season.
func (s *Store) IsOfficer(ctx context.Context, personID int64, year int) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM officer_terms WHERE person_id = $1 AND season_year = $2`,
		personID, year).Scan(&n)
	return n > 0, err
}
