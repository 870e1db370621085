package store_test

import (
	"context"
	"io/fs"
	"slices"
	"testing"

	"sabc/internal/store"
	"sabc/internal/testutil"
)

func TestMigrationVersionsMatch(t *testing.T) {
	names := func(dialect string) []string {
		fsys, err := store.MigrationFS(dialect)
		if err != nil {
			t.Fatal(err)
		}
		files, err := fs.Glob(fsys, "*.sql")
		if err != nil || len(files) == 0 {
			t.Fatalf("%s migrations: %v (%d files)", dialect, err, len(files))
		}
		return files
	}
	if a, b := names("sqlite"), names("postgres"); !slices.Equal(a, b) {
		t.Fatalf("migration files differ:\nsqlite   %v\npostgres %v", a, b)
	}
}

func TestMigrateTwiceIsNoOp(t *testing.T) {
	s := testutil.NewDB(t) // already migrated once
	n, err := s.Migrate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("second migrate applied %d migrations, want 0", n)
	}
}
