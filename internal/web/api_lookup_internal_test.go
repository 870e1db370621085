package web

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"sabc/internal/obs"
	"sabc/internal/store"
)

// A failed read of the weigh-in API's tournament or person is 404 only when
// it is missing: a database that went down after the request was let in is
// a 503 the offline queue retries, anything else a 500 — never "no such
// tournament" for a row that exists.
func TestWeighInLookupFailuresAreNotAll404(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := &Server{Deps: Deps{Logger: log}, dbOutage: &obs.Outage{Name: "database", Logger: log}}
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		err    error
		status int
		msg    string
	}{
		{"missing", store.ErrNotFound, http.StatusNotFound, "no such tournament"},
		{"database down", sql.ErrConnDone, http.StatusServiceUnavailable, errDatabaseDown},
		{"anything else", errors.New("disk I/O error"), http.StatusInternalServerError, "something went wrong on our side; send it again"},
	} {
		status, e := s.lookupFailed(ctx, c.err, "no such tournament")
		if status != c.status || e == nil || e.Error != c.msg {
			t.Errorf("%s: %d %+v, want %d %q", c.name, status, e, c.status, c.msg)
		}
	}
}
