// Command gen builds internal/assets/dist from internal/assets/static:
// fingerprinted copies, .br and .gz siblings, and manifest.json. Run it with
// `go generate ./internal/assets` (which runs it in that directory).
//
// Files in dist/ that the build no longer produces (old fingerprints) are
// deleted, so dist/ always holds exactly the current set and git shows the
// rename; unchanged files are not rewritten.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"sabc/internal/assets/build"
)

func main() {
	src := flag.String("src", "static", "directory of source files")
	out := flag.String("out", "dist", "output directory (replaced entirely)")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "assets gen:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	files, err := build.Generate(os.DirFS(src))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	// Delete what is no longer wanted first, so a failure half-way leaves
	// a dist/ the stale test will flag rather than one with extra names.
	var stale []string
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(out, p)
		if err != nil {
			return err
		}
		if _, ok := files[filepath.ToSlash(rel)]; !ok {
			stale = append(stale, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range stale {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	written := 0
	for _, n := range names {
		p := filepath.Join(out, filepath.FromSlash(n))
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, files[n]) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return err
		}
		written++
	}
	fmt.Printf("assets: %d files in %s (%d written, %d removed)\n", len(files), out, written, len(stale))
	return nil
}
