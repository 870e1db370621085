package store

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"
)

// The checkpointer, not a writer's commit, copies the WAL into the database
// file: 64 commits of 16 KB each stay far below the writer's own threshold
// (walBackstopPages), so in WAL mode the file can grow only if the
// checkpointer ran after the writes.
func TestCheckpointerCopiesTheWALIntoTheDatabaseBesideTheWriter(t *testing.T) {
	s := openGateTestDB(t)
	ctx := context.Background()
	exec := func(q string) {
		t.Helper()
		if err := s.tx(ctx, func(tx *sql.Tx) error { _, err := tx.ExecContext(ctx, q); return err }); err != nil {
			t.Fatal(err)
		}
	}
	exec(`CREATE TABLE scratch (b BLOB)`)
	size := func() int64 {
		fi, err := os.Stat(s.sqlitePath)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	const row = 16 << 10
	for range 4 * checkpointEvery {
		exec(`INSERT INTO scratch VALUES (randomblob(16384))`)
	}
	want := before + 3*checkpointEvery*row // the rows before the third wake-up, at least
	for deadline := time.Now().Add(10 * time.Second); size() < want; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("database file %d bytes after %d commits of %d bytes, want at least %d: no checkpoint ran",
				size(), 4*checkpointEvery, row, want)
		}
	}
}
