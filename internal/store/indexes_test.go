package store_test

import (
	"context"
	"sort"
	"testing"

	"sabc/internal/store"
	"sabc/internal/testutil"
)

// column is one table column.
type column struct{ table, name string }

// TestEveryForeignKeyAndHotFilterIsIndexed reads the live schema of the
// database under test: every foreign-key column, and the columns the hot
// pages filter on, must lead some index (a composite or unique index whose
// FIRST column it is counts). A new migration that adds a reference without
// an index fails here on both dialects.
func TestEveryForeignKeyAndHotFilterIsIndexed(t *testing.T) {
	s := testutil.NewDB(t)
	ctx := context.Background()
	fks, leading := schemaFacts(t, ctx, s)
	if len(fks) < 30 || len(leading) < 30 {
		t.Fatalf("schema introspection found only %d foreign keys and %d indexes", len(fks), len(leading))
	}
	// Controls that the introspection reads what it claims: an expression index
	// (lower(email)) has no leading column, and an unindexed column is absent.
	if leading[column{"people", "email"}] || leading[column{"results", "gross"}] || !leading[column{"boats", "tournament_id"}] {
		t.Fatalf("index introspection is off: %v", leading)
	}
	t.Logf("%s: %d foreign-key columns, %d leading index columns", s.Dialect.Name, len(fks), len(leading))
	hot := []column{
		{"results", "tournament_id"}, {"results", "person_id"}, {"events", "event_date"},
		{"poll_votes", "poll_id"}, {"tournaments", "season_year"},
	}
	var missing []string
	for _, c := range append(fks, hot...) {
		if !leading[c] {
			missing = append(missing, c.table+"."+c.name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%s: columns without an index that starts with them:\n%v", s.Dialect.Name, missing)
	}
}

// schemaFacts returns the foreign-key columns and the set of columns that
// are the first column of an index, in the current schema.
func schemaFacts(t *testing.T, ctx context.Context, s *store.Store) ([]column, map[column]bool) {
	t.Helper()
	fkQuery := `SELECT m.name, f."from" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table'`
	// seqno 0 is an index's first column; expression parts (lower(email)) have no name.
	idxQuery := `SELECT m.name, i.name FROM sqlite_master m, pragma_index_list(m.name) l,
		pragma_index_info(l.name) i WHERE m.type = 'table' AND i.seqno = 0 AND i.name IS NOT NULL`
	if s.Dialect.Postgres() {
		fkQuery = `SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
			WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`
		// indkey[0] = 0 is an expression: it matches no attribute and is skipped.
		idxQuery = `SELECT t.relname, a.attname FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
			JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
			WHERE t.relnamespace = current_schema()::regnamespace`
	}
	read := func(q string) []column {
		rows, err := s.DB().QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []column
		for rows.Next() {
			var c column
			if err := rows.Scan(&c.table, &c.name); err != nil {
				t.Fatal(err)
			}
			out = append(out, c)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	leading := map[column]bool{}
	for _, c := range read(idxQuery) {
		leading[c] = true
	}
	return read(fkQuery), leading
}
