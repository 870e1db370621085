// Package store owns all SQL: one file per aggregate, hand-written queries with
// $n placeholders that run unchanged on SQLite and PostgreSQL, transactions,
// and the mapping of driver errors to ErrNotFound / ErrConflict.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors callers map to user messages and status codes.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
	// ErrStale means an optimistic-lock version did not match: someone else saved first.
	ErrStale = errors.New("changed by someone else")
)

// Dialect covers the few places where SQLite and PostgreSQL differ.
type Dialect struct {
	Name string // "sqlite" or "postgres"
}

// Postgres reports the PostgreSQL dialect.
func (d Dialect) Postgres() bool { return d.Name == "postgres" }

// Store is the database handle. On SQLite, writes go through a one-connection
// pool so writers queue in Go instead of failing with SQLITE_BUSY; reads use
// a separate pool that WAL lets run beside the writer.
type Store struct {
	read    *sql.DB
	write   *sql.DB
	Dialect Dialect
	now     func() time.Time

	sqlitePath string        // the database file (SQLite only)
	writeGate  *writeGate    // SQLite: writer transactions take turns in arrival order (nil on PostgreSQL)
	checkpoint *checkpointer // SQLite: WAL checkpoints beside the writer (checkpoint.go)

	idemSweptAt atomic.Int64 // when a claim last deleted the expired idempotency keys (UnixNano)
	rows        rowsCache    // SQLite: the results rows the last weigh-in save left (rowscache.go)

	// Cache invalidation: each write names the namespaces it makes stale
	// (from the one map in cache/invalidation.go); after commit they go to
	// onWrite (the web layer bumps the cache).
	mu      sync.Mutex
	onWrite []func(ctx context.Context, namespaces []string)
	pending map[*sql.Tx][]string
}

// Options tune Open. Wrap, when set, wraps the driver connector (the query
// monitoring hook lives in obs and is plugged in here).
type Options struct {
	Wrap func(driver.Connector) driver.Connector
	Now  func() time.Time
}

// OnWrite adds a function told, after each committed write, which cache
// namespaces the write invalidated (the page cache bumps them; the live
// leaderboard wakes the tournament's subscribers).
func (s *Store) OnWrite(fn func(ctx context.Context, namespaces []string)) {
	s.mu.Lock()
	s.onWrite = append(s.onWrite, fn)
	s.mu.Unlock()
}

// touch records namespaces a transaction invalidates; they are announced
// only if it commits.
func (s *Store) touch(tx *sql.Tx, namespaces ...string) {
	s.mu.Lock()
	s.pending[tx] = append(s.pending[tx], namespaces...)
	s.mu.Unlock()
}

// wrote announces namespaces invalidated by a committed single-statement write.
func (s *Store) wrote(ctx context.Context, namespaces ...string) {
	s.mu.Lock()
	fns := s.onWrite
	s.mu.Unlock()
	if len(namespaces) == 0 {
		return
	}
	ns := dedupe(namespaces)
	for _, fn := range fns {
		fn(ctx, ns)
	}
}

func dedupe(ns []string) []string {
	seen := make(map[string]bool, len(ns))
	out := ns[:0:0]
	for _, n := range ns {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// Open connects to databaseURL: postgres://… selects PostgreSQL, anything else
// is a SQLite file path (its folder is created).
func Open(ctx context.Context, databaseURL string, opt Options) (*Store, error) {
	wrap := opt.Wrap
	if wrap == nil {
		wrap = func(c driver.Connector) driver.Connector { return c }
	}
	s := &Store{now: opt.Now, pending: map[*sql.Tx][]string{}}
	if s.now == nil {
		s.now = time.Now
	}
	if strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://") {
		s.Dialect = Dialect{Name: "postgres"}
		cfg, err := pgxConfig(databaseURL)
		if err != nil {
			return nil, err
		}
		s.read = sql.OpenDB(wrap(stdlib.GetConnector(*cfg)))
		s.read.SetMaxOpenConns(20)
		s.read.SetMaxIdleConns(10)
		s.read.SetConnMaxIdleTime(5 * time.Minute)
		s.write = s.read
	} else {
		s.Dialect = Dialect{Name: "sqlite"}
		dsn, err := sqliteDSN(databaseURL)
		if err != nil {
			return nil, err
		}
		s.sqlitePath = sqlitePath(databaseURL)
		if s.read, err = openSQLite(dsn, wrap); err != nil {
			return nil, err
		}
		if s.write, err = openSQLite(dsn, wrap); err != nil {
			return nil, err
		}
		s.read.SetMaxOpenConns(8)
		// Keep them all: database/sql's default of 2 idle connections closed
		// and reopened the others under concurrent reads, and each new SQLite
		// connection runs its pragmas and parses the schema again.
		s.read.SetMaxIdleConns(8)
		s.write.SetMaxOpenConns(1)
		s.writeGate = newWriteGate()
		s.checkpoint = startCheckpointer(s.read)
	}
	if s.sqlitePath != "" {
		// The first connection may turn a new file into WAL mode, which
		// needs the file to itself: two processes opening it at once would
		// see SQLITE_BUSY, so they take turns.
		unlock, err := lockFile(s.sqlitePath + ".migrate-lock")
		if err != nil {
			s.Close()
			return nil, err
		}
		defer unlock()
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.write.PingContext(pingCtx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to %s database: %w", s.Dialect.Name, err)
	}
	return s, nil
}

// Close releases both pools.
func (s *Store) Close() error {
	if s.checkpoint != nil {
		s.checkpoint.stop()
	}
	err := s.read.Close()
	if s.write != s.read {
		err = errors.Join(err, s.write.Close())
	}
	return err
}

// Ping checks the database answers (readiness and health).
func (s *Store) Ping(ctx context.Context) error { return s.read.PingContext(ctx) }

// DB is the read pool, for tests and maintenance commands.
func (s *Store) DB() *sql.DB { return s.read }

// Now is the store's clock (fake in tests).
func (s *Store) Now() time.Time { return s.now().UTC() }

func pgxConfig(databaseURL string) (*pgconnConfig, error) {
	cfg, err := stdlibParse(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	return cfg, nil
}

func openSQLite(dsn string, wrap func(driver.Connector) driver.Connector) (*sql.DB, error) {
	return sql.OpenDB(wrap(sqliteConnector{dsn: dsn, drv: &sqlite.Driver{}})), nil
}

// sqliteDSN turns a path (or file: URL) into a modernc DSN. busy_timeout must
// come first so the other pragmas wait instead of failing on a locked file.
func sqliteDSN(path string) (string, error) {
	path = sqlitePath(path)
	if path == "" {
		return "", errors.New("DATABASE_URL: empty SQLite path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("create database folder %s: %w", dir, err)
		}
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", walBackstopPages))
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode(), nil
}

// sqlitePath is the file path of a SQLite DATABASE_URL.
func sqlitePath(u string) string {
	u = strings.TrimPrefix(u, "sqlite://")
	u = strings.TrimPrefix(u, "file:")
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	return u
}

type sqliteConnector struct {
	dsn string
	drv *sqlite.Driver
}

func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return newStmtCacheConn(conn), nil
}
func (c sqliteConnector) Driver() driver.Driver { return c.drv }

// mapErr turns driver constraint errors into sentinels, keeping the detail.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY,
			sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, sqlite3.SQLITE_CONSTRAINT_CHECK,
			sqlite3.SQLITE_CONSTRAINT_NOTNULL, sqlite3.SQLITE_CONSTRAINT:
			return fmt.Errorf("%w: %s", ErrConflict, se.Error())
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && strings.HasPrefix(pe.Code, "23") { // integrity_constraint_violation class
		return fmt.Errorf("%w: %s (%s)", ErrConflict, pe.Message, pe.ConstraintName)
	}
	return mapUnavailable(err)
}

// tx runs fn in a write transaction and commits it, mapping errors. On
// SQLite it first waits its turn at the write gate, held until the commit
// or rollback.
func (s *Store) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.txThen(ctx, fn, nil)
}

// txThen is tx that also runs committed (when not nil) right after the
// commit, while the transaction still holds its turn at the write gate: the
// next writer transaction sees what it did.
func (s *Store) txThen(ctx context.Context, fn func(tx *sql.Tx) error, committed func()) error {
	if s.writeGate != nil {
		if err := s.writeGate.acquire(ctx); err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		release := sync.OnceFunc(s.writeGate.release) // at the commit, or on the way out
		defer release()
		return s.runTx(ctx, fn, committed, release)
	}
	return s.runTx(ctx, fn, committed, func() {})
}

// runTx is tx once it may begin; release is called as soon as the
// transaction has ended, before the commit's announcements run.
func (s *Store) runTx(ctx context.Context, fn func(tx *sql.Tx) error, committed, release func()) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	s.touch(tx) // register, so a write that names nothing still cleans up
	defer func() {
		s.mu.Lock()
		delete(s.pending, tx)
		s.mu.Unlock()
	}()
	if err := fn(tx); err != nil {
		tx.Rollback()
		return mapErr(err)
	}
	err = tx.Commit()
	if err == nil && committed != nil {
		committed()
	}
	if err == nil && s.checkpoint != nil {
		s.checkpoint.committed()
	}
	release()
	if err != nil {
		return mapErr(err)
	}
	s.mu.Lock()
	ns := s.pending[tx]
	s.mu.Unlock()
	s.wrote(ctx, ns...)
	return nil
}

// insertID runs an INSERT … RETURNING id.
func insertID(ctx context.Context, q querier, query string, args ...any) (int64, error) {
	var id int64
	if err := q.QueryRowContext(ctx, query+" RETURNING id", args...).Scan(&id); err != nil {
		return 0, mapErr(err)
	}
	return id, nil
}

// querier is satisfied by *sql.DB and *sql.Tx so helpers work in or out of a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// nullID binds 0 as NULL for optional foreign keys.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullInt binds 0 as NULL.
func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// idColumn runs a query returning one id column.
func idColumn(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
