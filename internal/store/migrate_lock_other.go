//go:build !unix

package store

// lockFile is a no-op where flock is unavailable: run `sabc migrate` once
// before starting several processes on one SQLite file there.
func lockFile(string) (func(), error) { return func() {}, nil }
