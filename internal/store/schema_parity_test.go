package store_test

import (
	"context"
	"database/sql"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sabc/internal/store"
	"sabc/internal/testutil"
)

// TestMigratedSchemasMatch migrates a fresh SQLite database and a fresh
// PostgreSQL schema and compares what the catalogs say was built: tables,
// columns (storage class, NOT NULL, default), primary keys, UNIQUE
// constraints, indexes (name, columns or expressions, uniqueness,
// predicate), CHECK constraints (by the columns each one names) and foreign
// keys. TestMigrationVersionsMatch only compares file names.
func TestMigratedSchemasMatch(t *testing.T) {
	if testutil.PostgresURL() == "" {
		if testutil.RequireServices() {
			t.Fatal("SABC_TEST_DATABASE_URL is not set but SABC_REQUIRE_SERVICES=1: the schema parity check needs PostgreSQL")
		}
		t.Skip("SABC_TEST_DATABASE_URL not set: the schema parity check needs PostgreSQL")
	}
	ctx := context.Background()
	lite, err := store.Open(ctx, filepath.Join(t.TempDir(), "parity.db"), store.Options{Now: testutil.NewClock(testutil.Now).Now})
	must(t, err)
	defer lite.Close()
	_, err = lite.Migrate(ctx)
	must(t, err)
	pg := testutil.NewDB(t) // a private, migrated PostgreSQL schema

	sl, pq := sqliteSchema(t, lite.DB()), postgresSchema(t, pg.DB())
	if len(sl) < 10 || len(sl["people"]) < 10 {
		t.Fatalf("the SQLite catalog read found %d tables (%d facts about people): the reader is broken", len(sl), len(sl["people"]))
	}
	if testing.Verbose() {
		t.Logf("people, as both catalogs should describe it:\n%s", strings.Join(sl["people"], "\n"))
	}
	for _, table := range slices.Sorted(maps.Keys(union(sl, pq))) {
		for _, f := range missing(sl[table], pq[table]) {
			t.Errorf("%s: only SQLite has %s", table, f)
		}
		for _, f := range missing(pq[table], sl[table]) {
			t.Errorf("%s: only PostgreSQL has %s", table, f)
		}
	}
}

func union(a, b liveSchema) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// missing lists the facts of a that b lacks.
func missing(a, b []string) []string {
	var out []string
	for _, f := range a {
		if !slices.Contains(b, f) {
			out = append(out, f)
		}
	}
	return out
}

// postgresSchema reads the same facts from information_schema and pg_catalog
// for the connection's current schema.
func postgresSchema(t *testing.T, db *sql.DB) liveSchema {
	t.Helper()
	s := liveSchema{}
	query(t, db, func(r *sql.Rows) error {
		var table, name, typ, nullable string
		var def sql.NullString
		if err := r.Scan(&table, &name, &typ, &nullable, &def); err != nil {
			return err
		}
		addColumn(s, table, name, typ, nullable == "NO", def)
		return nil
	}, `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default
		FROM information_schema.columns c JOIN information_schema.tables t
		ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'goose_db_version'`)

	// Every index with its key expressions in order (pg_get_indexdef per
	// key; DESC from indoption), whether a constraint owns it, its predicate.
	query(t, db, func(r *sql.Rows) error {
		var table, name, keys, where string
		var unique, primary, constraint bool
		if err := r.Scan(&table, &name, &unique, &primary, &constraint, &keys, &where); err != nil {
			return err
		}
		var norm []string
		for _, k := range strings.Split(keys, "\x1f") {
			norm = append(norm, normExpr(k))
		}
		if primary {
			s.add(table, "primary key (%s)", strings.Join(norm, ","))
			return nil
		}
		addIndex(s, table, name, constraint, unique, norm, where)
		return nil
	}, `SELECT t.relname, i.relname, x.indisunique, x.indisprimary,
			EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype = 'u'),
			(SELECT string_agg(pg_get_indexdef(x.indexrelid, k, true) ||
				CASE WHEN (x.indoption[k-1] & 1) = 1 THEN ' desc' ELSE '' END, chr(31) ORDER BY k)
				FROM generate_series(1, x.indnkeyatts) k),
			COALESCE(pg_get_expr(x.indpred, x.indrelid, true), '')
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
		WHERE t.relnamespace = current_schema()::regnamespace AND t.relname <> 'goose_db_version'`)

	query(t, db, func(r *sql.Rows) error {
		var table, kind, cols, parent, to, onDelete string
		if err := r.Scan(&table, &kind, &cols, &parent, &to, &onDelete); err != nil {
			return err
		}
		if kind == "c" {
			s.add(table, "check on (%s)", cols)
		} else {
			s.add(table, "fk %s → %s(%s) on delete %s", cols, parent, to, onDelete)
		}
		return nil
	}, `SELECT t.relname, c.contype,
			array_to_string(ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.conrelid
				AND a.attnum = ANY (c.conkey) ORDER BY a.attname), ','),
			COALESCE(p.relname, ''),
			array_to_string(ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.confrelid
				AND a.attnum = ANY (c.confkey) ORDER BY a.attname), ','),
			CASE c.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default'
				WHEN 'r' THEN 'restrict' ELSE 'no action' END
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid LEFT JOIN pg_class p ON p.oid = c.confrelid
		WHERE t.relnamespace = current_schema()::regnamespace AND c.contype IN ('c', 'f')
			AND t.relname <> 'goose_db_version'`)
	s.sort()
	return s
}
