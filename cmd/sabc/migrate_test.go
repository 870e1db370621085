package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"

	"sabc/internal/testutil"
)

// TestMigrateCommandTwice runs the real `sabc migrate` subcommand on a fresh
// database twice: the first run applies every migration, the second is a no-op.
func TestMigrateCommandTwice(t *testing.T) {
	dbURL, dialect := filepath.Join(t.TempDir(), "sabc.db"), "sqlite"
	if testutil.PostgresURL() != "" {
		_, dbURL = testutil.NewEmptySchema(t)
		dialect = "postgres"
	}
	applied := regexp.MustCompile(`^applied (\d+) migration\(s\) to the (\w+) database\n$`)
	migrate := func() (string, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), []string{"migrate", "--database-url", dbURL}, stdio{nil, &out, &errOut})
		if code != 0 {
			t.Fatalf("sabc migrate exited %d: %s", code, errOut.String())
		}
		m := applied.FindStringSubmatch(out.String())
		if m == nil || m[2] != dialect {
			t.Fatalf("sabc migrate printed %q, want \"applied N migration(s) to the %s database\"", out.String(), dialect)
		}
		return m[1], m[2]
	}
	if n, _ := migrate(); n == "0" {
		t.Fatal("first migrate on an empty database applied nothing")
	}
	if n, _ := migrate(); n != "0" {
		t.Fatalf("second migrate applied %s migrations, want 0", n)
	}
}
