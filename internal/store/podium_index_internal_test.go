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
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := s.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+podiumsQuery, 6, 0)
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
	if !strings.Contains(strings.Join(plan, "\n"), "SEARCH res USING INDEX results_podium") {
		t.Errorf("the podium query does not search results by results_podium:\n%s", strings.Join(plan, "\n"))
	}
}
