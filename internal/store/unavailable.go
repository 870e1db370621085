package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrUnavailable means the database could not be reached at all (refused
// connection, server shutting down, a broken connection, a file that cannot
// be opened), as opposed to a query that failed. The web layer answers it
// with a 503 page instead of a 500 and an error group per request: it is
// one outage, not one bug per request.
var ErrUnavailable = errors.New("database unavailable")

// Unavailable reports whether err means the database is unreachable.
// Most store methods return driver errors unmapped, so callers ask this
// instead of errors.Is(err, ErrUnavailable).
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrUnavailable) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, context.DeadlineExceeded) { // the pool or the connect waited out the request's deadline
		return true
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// 08: connection exception; 57P01–57P03: admin/crash shutdown,
		// "the database system is starting up / shutting down".
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	// A connection the server dropped mid-query (PostgreSQL killed or
	// restarted) surfaces as the raw socket error: pgx does not wrap it.
	var oe *net.OpError
	if errors.As(err, &oe) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_CANTOPEN || se.Code()&0xff == sqlite3.SQLITE_IOERR
	}
	// database/sql's own "closed" errors are unexported; pgx reports a
	// connection it already dropped as "conn closed".
	msg := err.Error()
	return strings.Contains(msg, "sql: database is closed") || strings.HasSuffix(msg, "conn closed")
}

// mapUnavailable wraps an unreachable-database error in ErrUnavailable.
func mapUnavailable(err error) error {
	if Unavailable(err) && !errors.Is(err, ErrUnavailable) {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}
