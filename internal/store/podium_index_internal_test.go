package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// The home page's podium query finds the places ≤ 3 through results_podium
// instead of visiting every result row of each tournament (SQLite's plan;
// PostgreSQL chooses by its statistics).
func TestPodiumsUseThePodiumIndex(t *testing.T) {
	plan := queryPlan(t, podiumsQuery, 6, 0)
	if !strings.Contains(plan, "SEARCH res USING INDEX results_podium") {
		t.Errorf("the podium query does not search results by results_podium:\n%s", plan)
	}
}

// The home page's AoY top five is read in order from standings_order: only
// ties of rank and points are sorted (by name), not the whole season.
func TestTopStandingsUseTheOrderIndex(t *testing.T) {
	plan := queryPlan(t, standingsQuery+topOrder, 2026, 5)
	if !strings.Contains(plan, "USING INDEX standings_order") || strings.Contains(plan, "TEMP B-TREE FOR ORDER BY") {
		t.Errorf("the top standings are not read in order from standings_order:\n%s", plan)
	}
}

// queryPlan is SQLite's EXPLAIN QUERY PLAN of q on a migrated database.
func queryPlan(t *testing.T, q string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := s.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}
