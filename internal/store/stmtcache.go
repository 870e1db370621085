package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"strings"
	"sync/atomic"
)

// stmtCacheConn keeps a SQLite connection's prepared statements by query
// text. modernc.org/sqlite parses the SQL of every Query and Exec again: a
// sixth of a weigh-in PUT's CPU was sqlite3_prepare (docs/benchmarks.md),
// most of it for the same few dozen statements of the rescore. A prepared
// single statement is reset and reused by the driver, so running those
// instead saves the parse.
//
// database/sql never uses one driver connection from two goroutines at once,
// so the map needs no lock. A statement whose rows are still open is busy:
// the same text then runs unprepared, as it always did. Scripts (text with a
// ';', as migrations are) are never cached, nor is anything past
// maxCachedStmts distinct texts (the few queries built at run time).
type stmtCacheConn struct {
	c     driver.Conn // modernc.org/sqlite's connection
	stmts map[string]*cachedStmt

	// What connState reports (see rowscache.go): which connection this is
	// and how many statements it has run. A statement prepared by a caller
	// runs past the count, so one taints the connection for good.
	id         int64
	statements int64
	tainted    bool
}

var connIDs atomic.Int64

const maxCachedStmts = 256

type cachedStmt struct {
	s    driver.Stmt
	busy bool // its rows are open
}

var (
	_ driver.ConnPrepareContext = (*stmtCacheConn)(nil)
	_ driver.ExecerContext      = (*stmtCacheConn)(nil)
	_ driver.QueryerContext     = (*stmtCacheConn)(nil)
	_ driver.ConnBeginTx        = (*stmtCacheConn)(nil)
	_ driver.Pinger             = (*stmtCacheConn)(nil)
	_ driver.SessionResetter    = (*stmtCacheConn)(nil)
	_ driver.Validator          = (*stmtCacheConn)(nil)
)

func newStmtCacheConn(c driver.Conn) *stmtCacheConn {
	return &stmtCacheConn{c: c, stmts: map[string]*cachedStmt{}, id: connIDs.Add(1)}
}

// stmt returns the idle prepared statement for query, preparing it on first
// use; nil means "run it unprepared".
func (c *stmtCacheConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if cs, ok := c.stmts[query]; ok {
		if cs.busy {
			return nil, nil
		}
		return cs, nil
	}
	if len(c.stmts) >= maxCachedStmts || strings.Contains(query, ";") {
		return nil, nil
	}
	s, err := c.c.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{s: s}
	c.stmts[query] = cs
	return cs, nil
}

func (c *stmtCacheConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	c.statements++
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.c.(driver.ExecerContext).ExecContext(ctx, query, args)
	}
	return cs.s.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *stmtCacheConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if query == connStateQuery {
		return c.state(ctx)
	}
	c.statements++
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.c.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	rows, err := cs.s.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, cs: cs}, nil
}

// cachedRows frees its statement for the next use when closed.
type cachedRows struct {
	driver.Rows
	cs *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.cs.busy = false
	return err
}

// Close finalizes the cached statements first: SQLite keeps a connection
// with live statements open as a zombie.
func (c *stmtCacheConn) Close() error {
	var errs []error
	for q, cs := range c.stmts {
		errs = append(errs, cs.s.Close())
		delete(c.stmts, q)
	}
	return errors.Join(append(errs, c.c.Close())...)
}

func (c *stmtCacheConn) Prepare(query string) (driver.Stmt, error) {
	c.tainted = true
	return c.c.Prepare(query)
}
func (c *stmtCacheConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.tainted = true
	return c.c.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}
func (c *stmtCacheConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}
func (c *stmtCacheConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.c.(driver.ConnBeginTx).BeginTx(ctx, opts)
}
func (c *stmtCacheConn) Ping(ctx context.Context) error { return c.c.(driver.Pinger).Ping(ctx) }
func (c *stmtCacheConn) ResetSession(ctx context.Context) error {
	return c.c.(driver.SessionResetter).ResetSession(ctx)
}
func (c *stmtCacheConn) IsValid() bool { return c.c.(driver.Validator).IsValid() }
