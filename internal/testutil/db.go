package testutil

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver for the admin connection

	"sabc/internal/store"
)

// PostgresURL is SABC_TEST_DATABASE_URL, or "" when tests run on SQLite.
func PostgresURL() string { return os.Getenv("SABC_TEST_DATABASE_URL") }

// NewDB returns a fresh, migrated store: a SQLite file in a temp folder, or —
// when SABC_TEST_DATABASE_URL is set — a private PostgreSQL schema that is
// dropped when the test ends. Its clock is a fake one stopped at Now.
func NewDB(t testing.TB) *store.Store { return NewDBWith(t, store.Options{}) }

// NewDBWith is NewDB with store options (query hook, clock). Without
// opt.Now the store runs on a fake clock stopped at Now; a test that wants
// real time passes time.Now.
func NewDBWith(t testing.TB, opt store.Options) *store.Store {
	t.Helper()
	s, _ := newDB(t, opt)
	return s
}

// NewDBURL is NewDB that also returns the URL, for tests that open a second
// connection (two app instances, subcommands).
func NewDBURL(t testing.TB) (*store.Store, string) {
	t.Helper()
	return newDB(t, store.Options{})
}

// NewDBURLWith is NewDBURL with store options (a clock shared with the
// second store, say).
func NewDBURLWith(t testing.TB, opt store.Options) (*store.Store, string) {
	t.Helper()
	return newDB(t, opt)
}

func newDB(t testing.TB, opt store.Options) (*store.Store, string) {
	t.Helper()
	ctx := context.Background()
	if opt.Now == nil {
		opt.Now = NewClock(Now).Now
	}
	dbURL := filepath.Join(t.TempDir(), "sabc.db")
	if pg := PostgresURL(); pg != "" {
		dbURL = newSchema(t, pg)
	}
	s, err := store.Open(ctx, dbURL, opt)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return s, dbURL
}

// NewEmptySchema creates a private, unmigrated PostgreSQL schema (dropped
// after the test) and returns a URL pointing at it. It needs SABC_TEST_DATABASE_URL.
func NewEmptySchema(t testing.TB) (string, string) {
	t.Helper()
	pg := PostgresURL()
	if pg == "" {
		t.Fatal("NewEmptySchema needs SABC_TEST_DATABASE_URL")
	}
	u := newSchema(t, pg)
	return pg, u
}

// newSchema creates a uniquely named schema and returns a URL whose
// search_path points at it.
func newSchema(t testing.TB, pgURL string) string {
	t.Helper()
	admin, err := sql.Open("pgx", pgURL)
	if err != nil {
		t.Fatalf("SABC_TEST_DATABASE_URL: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		Unreachable(t, "PostgreSQL (SABC_TEST_DATABASE_URL)", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", pgURL)
		if err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(pgURL)
	if err != nil {
		t.Fatalf("SABC_TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
