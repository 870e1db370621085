package store

import (
	"context"
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

// Migrate applies pending migrations. On PostgreSQL an advisory session lock
// makes it safe when several replicas start at once; on SQLite a lock file
// next to the database does. It returns how many ran.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	fsys, err := MigrationFS(s.Dialect.Name)
	if err != nil {
		return 0, err
	}
	var opts []goose.ProviderOption
	dialect := goose.DialectSQLite3
	if !s.Dialect.Postgres() {
		unlock, err := lockFile(s.sqlitePath + ".migrate-lock")
		if err != nil {
			return 0, err
		}
		defer unlock()
	} else {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return 0, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, s.write, fsys, opts...)
	if err != nil {
		return 0, fmt.Errorf("migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate %s: %w", s.Dialect.Name, err)
	}
	return len(res), nil
}
