package obs

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// openSQLite opens a fresh file database behind the hook, the way the
// store will: the registered driver wrapped by WrapConnector.
func openSQLite(t *testing.T, h *QueryHook) *sql.DB {
	t.Helper()
	dsn := "file:" + filepath.Join(t.TempDir(), "t.db") + "?_pragma=busy_timeout(5000)"
	db, err := OpenDB("sqlite", dsn, h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE fish (id INTEGER PRIMARY KEY, name TEXT NOT NULL, weight INTEGER)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestQueryHookCountsExactly(t *testing.T) {
	db := openSQLite(t, &QueryHook{Enabled: true, SlowThreshold: time.Hour})
	ctx, st := WithQueryStats(context.Background())

	for i := range 3 { // 3 writes
		if _, err := db.ExecContext(ctx, `INSERT INTO fish (name, weight) VALUES ($1, $2)`, "bass", 250+i); err != nil {
			t.Fatal(err)
		}
	}
	var n int // 1 read
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM fish WHERE weight > $1`, 0).Scan(&n); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT name FROM fish ORDER BY id`) // 1 read
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
	}
	rows.Close()

	stmt, err := db.PrepareContext(ctx, `UPDATE fish SET weight = weight + 1 WHERE id = $1`) // not counted
	if err != nil {
		t.Fatal(err)
	}
	for id := 1; id <= 2; id++ { // 2 writes through a prepared statement
		if _, err := stmt.ExecContext(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	stmt.Close()

	tx, err := db.BeginTx(ctx, nil) // BEGIN/COMMIT are not statements of ours
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM fish WHERE id = $1`, 3); err != nil { // 1 write
		t.Fatal(err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM fish`).Scan(&n); err != nil { // 1 read
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	if got, want := st.Count(), 3+1+1+2+1+1; got != want {
		t.Errorf("Count = %d, want %d", got, want)
	}
	if got, want := st.Writes(), 3+2+1; got != want {
		t.Errorf("Writes = %d, want %d", got, want)
	}
	if st.Duration() <= 0 {
		t.Errorf("Duration = %v, want > 0", st.Duration())
	}
	if n != 2 {
		t.Errorf("rows after delete = %d, want 2", n)
	}
	// Queries outside the stats' context are not counted there.
	before := st.Count()
	if _, err := db.Exec(`SELECT 1`); err != nil {
		t.Fatal(err)
	}
	if st.Count() != before {
		t.Errorf("query without the context was counted: %d", st.Count())
	}
}

// A transaction is one writer transaction however many statements it runs;
// a write outside one is a transaction of its own; reads and read-only
// transactions are none. (The weigh-in PUT's budget is counted this way.)
func TestWriteTransactionsCountTransactionsNotStatements(t *testing.T) {
	db := openSQLite(t, &QueryHook{})
	ctx, st := WithQueryStats(context.Background())
	for _, commit := range []bool{true, false} {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO fish (name, weight) VALUES ($1, $2)`, "bass", i); err != nil {
				t.Fatal(err)
			}
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := st.WriteTransactions(); got != 2 {
		t.Fatalf("two transactions of three inserts: WriteTransactions = %d, want 2", got)
	}
	if _, err := db.ExecContext(ctx, `UPDATE fish SET weight = 1`); err != nil { // on its own: one more
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM fish`).Scan(&n); err != nil { // a read: none
		t.Fatal(err)
	}
	ro, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // read-only: none
	if err != nil {
		t.Fatal(err)
	}
	if err := ro.QueryRowContext(ctx, `SELECT count(*) FROM fish`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	ro.Rollback()
	if got := st.WriteTransactions(); got != 3 {
		t.Errorf("after one autocommit UPDATE and reads: WriteTransactions = %d, want 3", got)
	}
}

func TestQueryStatsNestAndAreConcurrencySafe(t *testing.T) {
	db := openSQLite(t, nil) // nil hook still counts
	ctx, outer := WithQueryStats(context.Background())
	ctx, inner := WithQueryStats(ctx)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			var one int
			if err := db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if inner.Count() != 10 || outer.Count() != 10 || inner.Writes() != 0 {
		t.Errorf("inner=%d outer=%d writes=%d, want 10 10 0", inner.Count(), outer.Count(), inner.Writes())
	}
}

func TestSlowQueryLogged(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	m := NewMetrics("test")
	db := openSQLite(t, &QueryHook{Logger: logger, Enabled: true, SlowThreshold: time.Nanosecond, Metrics: m})
	buf.Reset()
	ctx := WithRequestID(context.Background(), "req-12345678")
	if _, err := db.ExecContext(ctx, `INSERT INTO fish (name, weight) VALUES ($1, $2)`, "secret-angler-name", 4242); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`"msg":"slow query"`, `INSERT INTO fish (name, weight) VALUES ($1, $2)`, `"duration_ms"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secret-angler-name") || strings.Contains(out, "4242") {
		t.Errorf("slow-query log leaks arguments:\n%s", out)
	}
	if got := counterValue(t, m, "db_queries_total", map[string]string{"operation": "insert", "result": "ok"}); got != 1 {
		t.Errorf("db_queries_total{insert} = %v, want 1", got)
	}
}

func TestMonitorQueriesOffKeepsCounting(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	db := openSQLite(t, &QueryHook{Logger: logger, Enabled: false, SlowThreshold: time.Nanosecond})
	buf.Reset()
	ctx, st := WithQueryStats(context.Background())
	if _, err := db.ExecContext(ctx, `INSERT INTO fish (name) VALUES ('x')`); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("MONITOR_QUERIES off still logged:\n%s", buf.String())
	}
	if st.Count() != 1 || st.Writes() != 1 {
		t.Errorf("count=%d writes=%d, want 1 1", st.Count(), st.Writes())
	}
}

func TestIsWrite(t *testing.T) {
	cases := map[string]bool{
		"SELECT * FROM t":                      false,
		"  select 1":                           false,
		"-- comment\nSELECT 1":                 false,
		"/* INSERT */ SELECT 1":                false,
		"PRAGMA journal_mode":                  false,
		"BEGIN IMMEDIATE":                      false,
		"COMMIT":                               false,
		"ROLLBACK TO SAVEPOINT a":              false,
		"SAVEPOINT a":                          false,
		"RELEASE a":                            false,
		"SELECT * FROM t FOR UPDATE":           false,
		"WITH x AS (SELECT 1) SELECT * FROM x": false,
		"WITH x AS (SELECT 'insert') SELECT 1": false,
		"INSERT INTO t VALUES (1)":             true,
		"update t set a = 1":                   true,
		"DELETE FROM t":                        true,
		"REPLACE INTO t VALUES (1)":            true,
		"CREATE TABLE t (a int)":               true,
		"DROP TABLE t":                         true,
		"ALTER TABLE t ADD b int":              true,
		"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x": true,
		"": false,
	}
	for q, want := range cases {
		if got := IsWrite(q); got != want {
			t.Errorf("IsWrite(%q) = %v, want %v", q, got, want)
		}
	}
}
