package obs

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"time"
)

// WrapConnector returns a connector whose connections report every
// Exec/Query (direct or through a prepared statement) to h. The wrapper
// implements the context-aware driver interfaces and forwards the optional
// ones (Pinger, SessionResetter, Validator, NamedValueChecker) to the
// underlying connection, answering as database/sql would when the
// underlying driver lacks them, so pgx/stdlib and modernc sqlite behave as
// unwrapped. Code that needs the native connection (sql.Conn.Raw) gets it
// through the Unwrap method of the value it receives.
//
// Timing ends when the driver returns the result or rows, not when rows
// are fully read. A nil h still counts queries into QueryStats.
func WrapConnector(c driver.Connector, h *QueryHook) driver.Connector {
	return &connector{c: c, h: h}
}

// WrapDriver wraps a driver the same way; OpenConnector prefers the
// driver's own connector so DSN parsing happens once.
func WrapDriver(d driver.Driver, h *QueryHook) driver.Driver { return &wrapDriver{d: d, h: h} }

// OpenDB opens dsn with the registered driver name ("sqlite", "pgx")
// behind the query hook.
func OpenDB(driverName, dsn string, h *QueryHook) (*sql.DB, error) {
	probe, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, err
	}
	d := probe.Driver()
	_ = probe.Close() // sql.Open connects lazily: nothing was opened
	c, err := WrapDriver(d, h).(driver.DriverContext).OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(c), nil
}

type wrapDriver struct {
	d driver.Driver
	h *QueryHook
}

func (w *wrapDriver) Open(name string) (driver.Conn, error) {
	c, err := w.d.Open(name)
	if err != nil {
		return nil, err
	}
	return &conn{c: c, h: w.h}, nil
}

func (w *wrapDriver) OpenConnector(name string) (driver.Connector, error) {
	if dc, ok := w.d.(driver.DriverContext); ok {
		c, err := dc.OpenConnector(name)
		if err != nil {
			return nil, err
		}
		return &connector{c: c, h: w.h, d: w}, nil
	}
	return &connector{c: dsnConnector{name: name, d: w.d}, h: w.h, d: w}, nil
}

// dsnConnector is database/sql's fallback for drivers without connectors.
type dsnConnector struct {
	name string
	d    driver.Driver
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.d.Open(c.name) }
func (c dsnConnector) Driver() driver.Driver                        { return c.d }

type connector struct {
	c driver.Connector
	h *QueryHook
	d driver.Driver // wrapped driver to report; nil: wrap c.Driver()
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &conn{c: dc, h: c.h}, nil
}

func (c *connector) Driver() driver.Driver {
	if c.d != nil {
		return c.d
	}
	return &wrapDriver{d: c.c.Driver(), h: c.h}
}

// Close lets sql.DB.Close release the underlying connector's resources.
func (c *connector) Close() error {
	if cl, ok := c.c.(io.Closer); ok {
		return cl.Close()
	}
	return nil
}

type conn struct {
	c    driver.Conn
	h    *QueryHook
	inTx bool // a transaction is open: its statements are not transactions of their own
}

var (
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
)

// Unwrap returns the driver's own connection (for sql.Conn.Raw users).
func (c *conn) Unwrap() driver.Conn { return c.c }

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	var (
		s   driver.Stmt
		err error
	)
	if pc, ok := c.c.(driver.ConnPrepareContext); ok {
		s, err = pc.PrepareContext(ctx, query)
	} else {
		s, err = c.c.Prepare(query)
	}
	if err != nil {
		return nil, err
	}
	return &stmt{s: s, conn: c, query: query}, nil
}

func (c *conn) Close() error { return c.c.Close() }

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx is not counted as a query: budgets count statements, and the
// transaction's statements are counted as they run. It counts as a writer
// transaction unless read-only (SQLite has one writer at a time, so that
// count is what a write path's cost is budgeted in).
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	var (
		t   driver.Tx
		err error
	)
	if bt, ok := c.c.(driver.ConnBeginTx); ok {
		t, err = bt.BeginTx(ctx, opts)
	} else {
		t, err = c.c.Begin()
	}
	if err != nil {
		return nil, err
	}
	if !opts.ReadOnly {
		QueryStatsFrom(ctx).addWriteTx()
	}
	c.inTx = true
	return &connTx{Tx: t, c: c}, nil
}

// connTx notes the end of its connection's transaction. database/sql uses a
// connection from one goroutine at a time, so inTx needs no lock.
type connTx struct {
	driver.Tx
	c *conn
}

func (t *connTx) Commit() error   { t.c.inTx = false; return t.Tx.Commit() }
func (t *connTx) Rollback() error { t.c.inTx = false; return t.Tx.Rollback() }

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	ec, ok := c.c.(driver.ExecerContext)
	if !ok {
		// database/sql then prepares and executes, which the stmt counts.
		return nil, driver.ErrSkip
	}
	start := time.Now()
	res, err := ec.ExecContext(ctx, query, args)
	if !errors.Is(err, driver.ErrSkip) {
		c.h.observe(ctx, query, time.Since(start), err, !c.inTx)
	}
	return res, err
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	qc, ok := c.c.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	start := time.Now()
	rows, err := qc.QueryContext(ctx, query, args)
	if !errors.Is(err, driver.ErrSkip) {
		c.h.observe(ctx, query, time.Since(start), err, !c.inTx)
	}
	return rows, err
}

func (c *conn) Ping(ctx context.Context) error {
	if p, ok := c.c.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *conn) ResetSession(ctx context.Context) error {
	if r, ok := c.c.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *conn) IsValid() bool {
	if v, ok := c.c.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// CheckNamedValue forwards to the driver; ErrSkip makes database/sql apply
// its default conversion, as it would for a driver without a checker.
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.c.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type stmt struct {
	s     driver.Stmt
	conn  *conn
	query string
}

var (
	_ driver.StmtExecContext   = (*stmt)(nil)
	_ driver.StmtQueryContext  = (*stmt)(nil)
	_ driver.NamedValueChecker = (*stmt)(nil)
)

func (s *stmt) Close() error  { return s.s.Close() }
func (s *stmt) NumInput() int { return s.s.NumInput() }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), namedValues(args))
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), namedValues(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	start := time.Now()
	var (
		res driver.Result
		err error
	)
	if ec, ok := s.s.(driver.StmtExecContext); ok {
		res, err = ec.ExecContext(ctx, args)
	} else {
		var vals []driver.Value
		if vals, err = plainValues(args); err == nil {
			res, err = s.s.Exec(vals)
		}
	}
	s.conn.h.observe(ctx, s.query, time.Since(start), err, !s.conn.inTx)
	return res, err
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	start := time.Now()
	var (
		rows driver.Rows
		err  error
	)
	if qc, ok := s.s.(driver.StmtQueryContext); ok {
		rows, err = qc.QueryContext(ctx, args)
	} else {
		var vals []driver.Value
		if vals, err = plainValues(args); err == nil {
			rows, err = s.s.Query(vals)
		}
	}
	s.conn.h.observe(ctx, s.query, time.Since(start), err, !s.conn.inTx)
	return rows, err
}

// CheckNamedValue mirrors database/sql's lookup order: the statement's
// checker first, then the connection's.
func (s *stmt) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := s.s.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return s.conn.CheckNamedValue(nv)
}

func namedValues(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

func plainValues(args []driver.NamedValue) ([]driver.Value, error) {
	out := make([]driver.Value, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, errors.New("obs: driver does not support named parameters")
		}
		out[i] = a.Value
	}
	return out, nil
}
