package store_test

import (
	"context"
	"testing"
	"time"

	"sabc/internal/testutil"
)

// SQLite statements are prepared once per connection and reused; a query
// run again while its first rows are still open on the same connection
// (nested reads in one transaction) must not reset those rows.
func TestSameQueryNestedOnOneConnectionKeepsBothResults(t *testing.T) {
	s := testutil.NewDB(t)
	if s.Dialect.Postgres() {
		t.Skip("the statement cache is SQLite's; pgx runs one query at a time per connection")
	}
	// Without the busy check the nested query loops forever; the deadline
	// turns that into a failure.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := s.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const q = `SELECT v FROM (SELECT 1 AS v UNION ALL SELECT 2 UNION ALL SELECT 3) AS n WHERE v >= $1 ORDER BY v`
	for round := range 2 { // the second round reuses the prepared statement
		outer, err := conn.QueryContext(ctx, q, 1)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for outer.Next() {
			var v int
			if err := outer.Scan(&v); err != nil {
				t.Fatal(err)
			}
			inner := 0
			if err := conn.QueryRowContext(ctx, q, 3).Scan(&inner); err != nil || inner != 3 {
				t.Fatalf("round %d: nested query: %d, %v", round, inner, err)
			}
			if got = append(got, v); len(got) > 3 {
				t.Fatalf("round %d: outer rows %v…: the nested query restarted them", round, got)
			}
		}
		if err := outer.Err(); err != nil {
			t.Fatal(err)
		}
		outer.Close()
		if len(got) != 3 || got[0] != 1 || got[2] != 3 {
			t.Errorf("round %d: outer rows %v, want [1 2 3]", round, got)
		}
	}
}
