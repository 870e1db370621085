package store_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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

// Two processes starting at once must not both apply migrations: on
// PostgreSQL the advisory lock serializes them, on SQLite the write lock.
func TestConcurrentMigrateIsSafe(t *testing.T) {
	var fresh string
	if testutil.PostgresURL() == "" {
		fresh = filepath.Join(t.TempDir(), "race.db")
	} else {
		_, fresh = testutil.NewEmptySchema(t)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := store.Open(ctx, fresh, store.Options{})
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			_, err = s.Migrate(ctx)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent migrate: %v", err)
		}
	}
	s, err := store.Open(ctx, fresh, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.Migrate(ctx); err != nil || n != 0 {
		t.Fatalf("after the race: %d pending migrations (%v), want 0", n, err)
	}
}

// modernc.org/sqlite is built against one exact modernc.org/libc; a newer
// libc pulled in by another module (goose v3.30 does) can break it at run
// time. Compare our go.mod with the libc that sqlite's own go.mod requires.
func TestSQLiteAndLibcVersionsMatch(t *testing.T) {
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	ours := requirements(string(gomod))
	sqliteVer := ours["modernc.org/sqlite"]
	// Building this test needed sqlite's go.mod, so the go command knows
	// where it is; not finding it is a failure, never a skip.
	out, err := exec.Command("go", "list", "-m", "-f", "{{.GoMod}}", "modernc.org/sqlite").Output()
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
		t.Fatalf("go list -m modernc.org/sqlite: %v\n%s", err, ee.Stderr)
	} else if err != nil {
		t.Fatalf("go list -m modernc.org/sqlite: %v", err)
	}
	theirs, err := os.ReadFile(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("sqlite %s's go.mod: %v", sqliteVer, err)
	}
	want := requirements(string(theirs))["modernc.org/libc"]
	if got := ours["modernc.org/libc"]; got != want {
		t.Errorf("go.mod has modernc.org/libc %s but modernc.org/sqlite %s was built with %s", got, sqliteVer, want)
	}
}

// requirements maps module path → version from go.mod text.
func requirements(gomod string) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(gomod, "\n") {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		if len(f) >= 2 && strings.Contains(f[0], ".") && strings.HasPrefix(f[1], "v") {
			out[f[0]] = f[1]
		}
	}
	return out
}
