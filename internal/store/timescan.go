package store

import (
	"fmt"
	"time"
)

// anyTime scans a timestamp that SQLite may hand back as text — it does so
// when the column has no declared type, e.g. in a UNION — and PostgreSQL as time.
type anyTime struct{ t *time.Time }

var sqliteLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", time.RFC3339Nano, "2006-01-02"}

func (a anyTime) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*a.t = v
		return nil
	case string:
		return a.parse(v)
	case []byte:
		return a.parse(string(v))
	case nil:
		*a.t = time.Time{}
		return nil
	}
	return fmt.Errorf("scan time from %T", src)
}

func (a anyTime) parse(s string) error {
	for _, l := range sqliteLayouts {
		if t, err := time.Parse(l, s); err == nil {
			*a.t = t
			return nil
		}
	}
	return fmt.Errorf("unrecognized time %q", s)
}
