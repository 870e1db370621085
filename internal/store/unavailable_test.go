package store_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"sabc/internal/store"
)

// TestUnavailable_ConnectionErrorsOnlyNotQueryErrors: the errors of an
// unreachable database map to ErrUnavailable (the 503 page); a query that
// fails on a reachable database does not (it is a bug: 500, error group).
func TestUnavailable_ConnectionErrorsOnlyNotQueryErrors(t *testing.T) {
	reset := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	cases := []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("tournament page 3: %w", store.ErrUnavailable), true},
		{fmt.Errorf("query: %w", driver.ErrBadConn), true},
		{context.DeadlineExceeded, true},
		{&pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, true},
		{&pgconn.PgError{Code: "57P03", Message: "the database system is starting up"}, true},
		{&pgconn.PgError{Code: "08006", Message: "connection failure"}, true},
		{fmt.Errorf("rows: %w", reset), true},
		{errors.New("sql: database is closed"), true},
		{&pgconn.PgError{Code: "42P01", Message: `relation "nope" does not exist`}, false},
		{&pgconn.PgError{Code: "23505", Message: "duplicate key"}, false},
		{store.ErrNotFound, false},
		{context.Canceled, false},
		{errors.New("template: no such field"), false},
		{nil, false},
	}
	for _, c := range cases {
		if got := store.Unavailable(c.err); got != c.want {
			t.Errorf("Unavailable(%v) = %t, want %t", c.err, got, c.want)
		}
	}
}

// TestUnavailable_RefusedPostgresConnection: a real pgx connect to a port
// nobody listens on is an unavailable database.
func TestUnavailable_RefusedPostgresConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = store.Open(context.Background(), "postgres://postgres@"+addr+"/x?sslmode=disable&connect_timeout=2", store.Options{})
	if err == nil {
		t.Fatal("opened a database on a port nobody listens on")
	}
	if !store.Unavailable(err) {
		t.Errorf("refused connection: Unavailable(%v) = false, want true", err)
	}
}
