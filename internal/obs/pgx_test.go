package obs

import (
	"context"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// TestQueryHookPgx runs the counting hook over pgx/stdlib, whose
// NamedValueChecker must keep working through the wrapper (it is what
// lets pgx accept Go slices for array parameters).
func TestQueryHookPgx(t *testing.T) {
	url := os.Getenv("SABC_TEST_DATABASE_URL")
	if url == "" {
		// Same contract as internal/testutil (not imported: obs must stay a
		// leaf package whose tests do not build the store).
		if os.Getenv("SABC_REQUIRE_SERVICES") == "1" {
			t.Fatal("SABC_TEST_DATABASE_URL is not set but SABC_REQUIRE_SERVICES=1")
		}
		t.Skip("SABC_TEST_DATABASE_URL not set")
	}
	db, err := OpenDB("pgx", url, &QueryHook{Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatalf("PostgreSQL configured but unreachable: %v", err)
	}
	ctx, st := WithQueryStats(context.Background())
	if _, err := db.ExecContext(ctx, `CREATE TEMP TABLE obs_fish (id int PRIMARY KEY, tags text[])`); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO obs_fish VALUES ($1, $2)`, 1, []string{"bass", "big"}); err != nil {
		t.Fatal(err) // fails when CheckNamedValue is not forwarded
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM obs_fish WHERE id = ANY($1)`, []int32{1, 2}).Scan(&n); err != nil {
		t.Fatal(err)
	}
	stmt, err := db.PrepareContext(ctx, `SELECT id FROM obs_fish WHERE id = $1`)
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	if err := stmt.QueryRowContext(ctx, 1).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if st.Count() != 4 || st.Writes() != 2 {
		t.Errorf("count=%d writes=%d, want 4 2", st.Count(), st.Writes())
	}
}
