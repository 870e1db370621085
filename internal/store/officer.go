package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"sabc/internal/club"
)

// The officer dashboard's reads (02-site §4): what needs an officer's
// attention, each list one query.

// GuestToPromote is a guest who has fished with the club.
type GuestToPromote struct {
	club.Person
	Results int
}

// GuestsToPromote lists active guests with at least one result, most results
// first: the people an officer is likely to sign up as members.
func (s *Store) GuestsToPromote(ctx context.Context, limit int) ([]GuestToPromote, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+prefixed("p.", personCols)+`, count(r.id)
		FROM people p JOIN results r ON r.person_id = p.id
		WHERE p.member = FALSE AND p.is_active = TRUE
		GROUP BY `+prefixed("p.", personCols)+`
		ORDER BY count(r.id) DESC, p.last_name, p.first_name, p.id LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []GuestToPromote
	for rows.Next() {
		var g GuestToPromote
		p, err := scanPerson(withExtra{rows, []any{&g.Results}})
		if err != nil {
			return nil, err
		}
		g.Person = p
		out = append(out, g)
	}
	return out, rows.Err()
}

// DuesOverdue lists active members whose dues are paid through a day
// before today (or were never recorded), oldest first.
func (s *Store) DuesOverdue(ctx context.Context, today club.Date, limit int) ([]club.Person, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+personCols+` FROM people
		WHERE member = TRUE AND is_active = TRUE AND (dues_paid_through IS NULL OR dues_paid_through < $1)
		ORDER BY CASE WHEN dues_paid_through IS NULL THEN 0 ELSE 1 END, dues_paid_through, last_name, first_name, id
		LIMIT $2`, today, limit)
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

// NextTournaments lists tournaments not complete or cancelled dated from
// today on, soonest first.
func (s *Store) NextTournaments(ctx context.Context, today club.Date, limit int) ([]club.Tournament, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+tournamentCols+tournamentFrom+`
		WHERE t.status <> 'complete' AND e.cancelled = FALSE AND e.event_date >= $1
		ORDER BY e.event_date, t.id LIMIT $2`, today, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.Tournament
	for rows.Next() {
		t, err := scanTournament(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// AuditFilter selects audit entries. Zero fields match all.
type AuditFilter struct {
	TournamentID int64
	PersonID     int64 // the person the entry is about, or who made it
	Kind         string
	ObjectID     int64     // with Kind: one object's history (a tournament, a season's year, a person)
	From, To     club.Date // club days, inclusive; compared on the UTC instant's day
	Limit        int
	Offset       int
}

// AuditEntries lists audit entries newest first, with the actor's name.
func (s *Store) AuditEntries(ctx context.Context, f AuditFilter) ([]club.AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	where, args := []string{"TRUE"}, []any{}
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if f.TournamentID != 0 {
		arg("a.tournament_id = $?", f.TournamentID)
	}
	if f.PersonID != 0 {
		arg("(a.person_id = $? OR a.actor_id = $?)", f.PersonID)
	}
	if f.Kind != "" {
		arg("a.object_kind = $?", f.Kind)
	}
	if f.ObjectID != 0 {
		arg("a.object_id = $?", f.ObjectID)
	}
	if !f.From.IsZero() {
		arg("a.at >= $?", f.From.Time)
	}
	if !f.To.IsZero() {
		arg("a.at < $?", f.To.AddDate(0, 0, 1))
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.at, COALESCE(a.actor_id, 0),
		COALESCE(p.first_name || ' ' || p.last_name, ''), a.object_kind, a.object_id, a.action,
		COALESCE(a.tournament_id, 0), COALESCE(a.person_id, 0), a.before_json, a.after_json
		FROM audit_entries a LEFT JOIN people p ON p.id = a.actor_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY a.at DESC, a.id DESC LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []club.AuditEntry
	for rows.Next() {
		var e club.AuditEntry
		if err := rows.Scan(&e.ID, anyTime{&e.At}, &e.ActorID, &e.ActorName, &e.ObjectKind, &e.ObjectID, &e.Action,
			&e.TournamentID, &e.PersonID, &e.Before, &e.After); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// prefixed qualifies a comma-separated column list with a table alias.
func prefixed(alias, cols string) string {
	return alias + strings.Join(strings.Fields(strings.ReplaceAll(cols, ",", " ")), ", "+alias)
}

// MemberFilter selects the officers' members page. Show is "" (every active
// account), "guests", "members", "overdue" (active members whose dues ran
// out before Today or were never recorded) or "inactive".
type MemberFilter struct {
	Q      string
	Show   string
	Today  club.Date
	Season int // officer positions are of this season
}

// MemberShows are the valid MemberFilter.Show values, in page order.
var MemberShows = []string{"", "guests", "members", "overdue", "inactive"}

// MemberList is the officers' view of every account, in one query: the
// roster's columns plus inactive accounts, searchable by name, email or
// phone whatever the person's standing (officers see all contact details).
func (s *Store) MemberList(ctx context.Context, f MemberFilter) ([]RosterEntry, error) {
	where, args := []string{}, []any{f.Season}
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	switch f.Show {
	case "":
		where = append(where, "p.is_active = TRUE")
	case "guests":
		where = append(where, "p.is_active = TRUE", "p.member = FALSE")
	case "members":
		where = append(where, "p.is_active = TRUE", "p.member = TRUE")
	case "overdue":
		where = append(where, "p.is_active = TRUE", "p.member = TRUE")
		arg("(p.dues_paid_through IS NULL OR p.dues_paid_through < $?)", f.Today)
	case "inactive":
		where = append(where, "p.is_active = FALSE")
	default:
		return nil, fmt.Errorf("members filter %q: %w", f.Show, ErrNotFound)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		args = append(args, "%"+likeEscape(q)+"%")
		n := "$" + strconv.Itoa(len(args))
		cond := `lower(p.first_name || ' ' || p.last_name) LIKE lower(` + n + `) ESCAPE '!' OR lower(p.email) LIKE lower(` + n + `) ESCAPE '!'`
		if d := digitsOf(q); len(d) >= 3 {
			args = append(args, "%"+d+"%")
			cond += ` OR p.phone LIKE $` + strconv.Itoa(len(args))
		}
		where = append(where, "("+cond+")")
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+prefixed("p.", personCols)+`, p.officer_granted, COALESCE(o.position, '')
		FROM people p LEFT JOIN officer_terms o ON o.person_id = p.id AND o.season_year = $1
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY p.last_name, p.first_name, p.id, o.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	defer rows.Close()
	return scanRosterRows(rows)
}
