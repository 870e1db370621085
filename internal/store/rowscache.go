package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"slices"
	"sync"

	"sabc/internal/club"
)

// The results rows a weigh-in save leaves, kept for the next save of the
// same tournament (SQLite only). Reading the 200 rows of 37 columns again was
// half of a save's rescore, inside the one writer transaction every officer
// waits for (docs/benchmarks.md). The copy is used only when it provably
// equals what that read would return: nothing has written to the database
// since the save that left it committed. Two facts, both read inside the
// next save's transaction (which holds SQLite's write lock, so nothing can
// commit during it), prove that:
//
//   - PRAGMA data_version on the writer connection is unchanged: no other
//     connection — another process on the same file, the read pool — has
//     committed anything;
//   - the writer connection is the same one and has run no statement since
//     (stmtCacheConn counts them): nothing in this process wrote through
//     it either (a rename, a delete, a single-statement write, a migration).
//
// Anything else — PostgreSQL, a different tournament, a rolled-back save —
// reads the rows as before. A hit re-reads only the row the save wrote.

// connStateQuery is answered by stmtCacheConn itself, not by SQLite: the
// connection's id, its statement count and its PRAGMA data_version. It is
// valid SQL should it ever reach SQLite unanswered (then it has one column,
// Scan fails, and the save reads its rows).
const connStateQuery = `PRAGMA data_version /* sabc: connection state */`

// connState is what connStateQuery answers.
type connState struct{ conn, statements, dataVersion int64 }

// rowsCache holds at most one tournament's rows.
type rowsCache struct {
	mu    sync.Mutex
	entry *savedRows
}

type savedRows struct {
	tournamentID int64
	state        connState     // the writer connection's state inside the save, just before its commit
	rows         []club.Result // as that save committed them (outcome included)
}

// take hands over the cached entry when state (read first thing inside a
// writer transaction) proves it current; the entry leaves the cache either
// way: the transaction will change the rows, and only its own commit
// leaves a new entry.
func (c *rowsCache) take(state connState) *savedRows {
	c.mu.Lock()
	e := c.entry
	c.entry = nil
	c.mu.Unlock()
	if e == nil || e.state != state {
		return nil
	}
	return e
}

// put stores what a committed save left.
func (c *rowsCache) put(e *savedRows) {
	c.mu.Lock()
	c.entry = e
	c.mu.Unlock()
}

// writerState reads the writer connection's state inside tx; ok is false
// when it cannot be known (PostgreSQL, or a connection without the count).
func (s *Store) writerState(ctx context.Context, tx *sql.Tx) (st connState, ok bool) {
	if s.Dialect.Postgres() {
		return st, false
	}
	err := tx.QueryRowContext(ctx, connStateQuery).Scan(&st.conn, &st.statements, &st.dataVersion)
	return st, err == nil && st.statements >= 0
}

// rowsHint is a save's use of the cache: in, the rows of the tournament as
// the last save left them and the one row this save wrote since; out, what
// this save leaves for the next, installed once it commits.
type rowsHint struct {
	in      *savedRows
	written int64 // id of the result row this transaction wrote
	out     *savedRows
}

// results returns tournament id's rows: the cached ones with the written
// row read again, or all of them read. The rows are the caller's to change.
func (h *rowsHint) results(ctx context.Context, tx *sql.Tx, id int64) ([]club.Result, error) {
	if h == nil || h.in == nil || h.in.tournamentID != id {
		return tournamentResults(ctx, tx, id)
	}
	rows := h.in.rows
	h.in = nil // used once: the caller changes the rows in place
	r, err := scanResult(tx.QueryRowContext(ctx, `SELECT `+resultCols+` FROM results r
		JOIN people p ON p.id = r.person_id WHERE r.id = $1`, h.written))
	if err != nil {
		return nil, fmt.Errorf("result %d: %w", h.written, err)
	}
	if r.TournamentID != id {
		return tournamentResults(ctx, tx, id)
	}
	if i := slices.IndexFunc(rows, func(x club.Result) bool { return x.ID == r.ID }); i >= 0 {
		rows[i] = r
	} else {
		rows = append(rows, r)
	}
	return rows, nil
}

// state answers connStateQuery (see stmtCacheConn).
func (c *stmtCacheConn) state(ctx context.Context) (driver.Rows, error) {
	rows, err := c.c.(driver.QueryerContext).QueryContext(ctx, `PRAGMA data_version`, nil)
	if err != nil {
		return nil, err
	}
	v := make([]driver.Value, 1)
	err = rows.Next(v)
	rows.Close()
	if err != nil {
		return nil, err
	}
	n := c.statements
	if c.tainted {
		n = -1
	}
	return &stateRows{v: []driver.Value{c.id, n, v[0]}}, nil
}

// stateRows is connStateQuery's one row.
type stateRows struct {
	v    []driver.Value
	done bool
}

func (r *stateRows) Columns() []string { return []string{"conn", "statements", "data_version"} }
func (r *stateRows) Close() error      { return nil }
func (r *stateRows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	r.done = true
	copy(dest, r.v)
	return nil
}

// cachedRowsTx is scoringTx for a save that may use the rows cache: the
// writer connection's state is read before fn's first statement (to check
// the cached entry) and after its last (to date the entry fn leaves), and
// that entry is kept once the transaction has committed — before the next
// writer transaction may begin, which would otherwise find no entry.
func (s *Store) cachedRowsTx(ctx context.Context, fn func(tx *sql.Tx, hint *rowsHint) error) error {
	var hint *rowsHint
	return s.scoringTxThen(ctx, func(tx *sql.Tx) error {
		hint = nil
		before, ok := s.writerState(ctx, tx)
		if !ok {
			return fn(tx, nil)
		}
		hint = &rowsHint{in: s.rows.take(before)}
		if err := fn(tx, hint); err != nil {
			return err
		}
		after, ok := s.writerState(ctx, tx)
		if hint.out != nil && ok {
			hint.out.state = after
		} else {
			hint.out = nil
		}
		return nil
	}, func() {
		if hint != nil && hint.out != nil {
			s.rows.put(hint.out)
		}
	})
}
