package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sabc/internal/config"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// Two instances starting together on one empty database (PostgreSQL schema
// or SQLite file) both start, and the demo club is seeded once: the seed runs
// under the migration lock, so the second instance finds the club already
// there instead of failing on people_email_key (issue 15). "Migrated" is the
// database after a `sabc migrate` init job: no migration holds either
// instance back, so their seeds would overlap without the lock.
func TestTwoFirstRunsTogetherSeedOneDemoClub(t *testing.T) {
	for _, migrated := range []bool{false, true} {
		t.Run(map[bool]string{false: "empty schema", true: "migrated, no people"}[migrated], func(t *testing.T) {
			dbURL := filepath.Join(t.TempDir(), "sabc.db")
			if testutil.PostgresURL() != "" {
				_, dbURL = testutil.NewEmptySchema(t)
			}
			if migrated {
				if code, out := runCmd(t, "migrate", "--database-url", dbURL); code != 0 {
					t.Fatalf("sabc migrate: exit %d, %s", code, out)
				}
			}
			twoFirstRuns(t, dbURL)
		})
	}
}

func twoFirstRuns(t *testing.T, dbURL string) {
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseURL = dbURL
	ctx := context.Background()
	clock := testutil.NewClock(testutil.Now)
	var (
		wg   sync.WaitGroup
		outs [2]bytes.Buffer
		errs [2]error
	)
	for i := range 2 {
		wg.Go(func() {
			io := stdio{strings.NewReader(""), &outs[i], &outs[i]}
			s, err := openStore(ctx, cfg, store.Options{Now: clock.Now}, func(ctx context.Context, s *store.Store) error {
				return firstRun(ctx, cfg, s, io)
			})
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d failed its first run: %v", i, err)
		}
	}
	if seeded := strings.Count(outs[0].String()+outs[1].String(), "Demo logins"); seeded != 1 {
		t.Errorf("the demo club was seeded %d times, want once; consoles:\n%s\n---\n%s", seeded, &outs[0], &outs[1])
	}
	s, err := store.Open(ctx, dbURL, store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var admins int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM people WHERE email = $1`, demo.AdminEmail).Scan(&admins); err != nil || admins != 1 {
		t.Errorf("demo admin accounts: %d (%v), want 1", admins, err)
	}
}
