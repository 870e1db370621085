package web

import (
	"net/http"
	"strconv"
)

// parseID reads a row id typed into an address, a filter or a form: a
// positive number PostgreSQL's INTEGER holds. The id columns are BIGINT, but
// a parameter compared with a literal (`$1 = 0 OR …`) is typed INTEGER, so a
// larger number fails the whole query there (a 500) where SQLite finds no
// row. No club row gets near 2³¹, so anything else is no id: ok is false
// and the id 0.
func parseID(s string) (id int64, ok bool) {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// pathID is parseID of a path wildcard ({id}); a caller answers 404 when
// it is not an id.
func pathID(r *http.Request, name string) (int64, bool) { return parseID(r.PathValue(name)) }

// parseVersion reads a row version sent back by a form (an INTEGER column);
// anything else is 0, which no stored row has, so the save is stale.
func parseVersion(s string) int {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 0 {
		return 0
	}
	return int(n)
}
