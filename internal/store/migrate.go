package store

import (
	"context"
	"database/sql/driver"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// MigrationFS returns the embedded migrations of one dialect (tests compare versions).
func MigrationFS(dialect string) (fs.FS, error) {
	return fs.Sub(migrationFS, "migrations/"+dialect)
}

// Migrate applies pending migrations under the cluster's migration lock and
// returns how many ran.
func (s *Store) Migrate(ctx context.Context) (int, error) { return s.MigrateThen(ctx, nil) }

// MigrateThen applies pending migrations and then runs firstRun (seeding an
// empty database, say) before releasing the migration lock, so replicas
// starting together on an empty database run the first-run step once: the
// later ones find it done. The lock is goose's PostgreSQL advisory lock id
// (a session lock on one connection, so an older binary migrating with
// goose's own locker waits too), or on SQLite the lock file next to the
// database. It returns how many migrations ran.
func (s *Store) MigrateThen(ctx context.Context, firstRun func(context.Context) error) (int, error) {
	unlock, err := s.migrationLock(ctx)
	if err != nil {
		return 0, err
	}
	defer unlock()
	n, err := s.migrate(ctx)
	if err != nil {
		return 0, err
	}
	if firstRun != nil {
		if err := firstRun(ctx); err != nil {
			return n, fmt.Errorf("first run: %w", err)
		}
	}
	return n, nil
}

// migrate runs goose; the caller holds the migration lock, so goose gets no
// locker of its own (it would wait for ours).
func (s *Store) migrate(ctx context.Context) (int, error) {
	fsys, err := MigrationFS(s.Dialect.Name)
	if err != nil {
		return 0, err
	}
	dialect := goose.DialectSQLite3
	if s.Dialect.Postgres() {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, s.write, fsys)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate %s: %w", s.Dialect.Name, err)
	}
	return len(res), nil
}

// migrationLock takes the cluster-wide migration lock and returns its release.
func (s *Store) migrationLock(ctx context.Context) (func(), error) {
	if !s.Dialect.Postgres() {
		return lockFile(s.sqlitePath + ".migrate-lock")
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lock.DefaultLockID); err != nil {
		conn.Close()
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return func() {
		// A session lock lives as long as its connection: if the unlock
		// fails, drop the connection instead of returning it to the pool
		// still holding the lock.
		if _, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, lock.DefaultLockID); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, nil
}
