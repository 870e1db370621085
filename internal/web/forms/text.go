package forms

import (
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// Storable reports whether s can be stored and compared as text by both
// databases: PostgreSQL refuses bytes that are not UTF-8 and the NUL byte
// with an error (a 500 for whoever sent them), where SQLite keeps them.
func Storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// Unstorable finds a submitted field (form or query) whose name or value
// is not Storable, in name order so the answer does not depend on map
// order; ok is false when every field is fine. The name is "" when the
// name itself is the problem (it cannot be shown then).
func Unstorable(v url.Values) (name string, ok bool) {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !Storable(k) {
			return "", true
		}
		for _, val := range v[k] {
			if !Storable(val) {
				return k, true
			}
		}
	}
	return "", false
}

// UnstorableMessage is the answer to a field Unstorable found.
func UnstorableMessage(name string) string {
	what := "A field name"
	if name != "" {
		what = "The field “" + name + "”"
	}
	return what + " contains characters this site cannot store (a NUL byte, or bytes that are not " +
		"UTF-8 text). Remove them and send it again."
}
