package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
)

// Store keeps media bytes under slash-separated names such as
// "ab/cd/abcd….jpg". Implementations must make Put atomic: a reader is
// either stored completely or not at all, so a failed upload (disk full, a
// cancelled request) never leaves a truncated file that would later be
// served as a broken image. The local folder is the only implementation
// today; an S3 store fits the same interface (PutObject is atomic too).
type Store interface {
	Put(ctx context.Context, name string, r io.Reader) error
	// Open returns ErrNotFound (wrapped) when name is not stored. The reader
	// may also implement io.Seeker, which lets Handler answer Range requests.
	Open(ctx context.Context, name string) (io.ReadCloser, error)
	// Delete removes name; deleting a missing name is not an error.
	Delete(ctx context.Context, name string) error
	Exists(ctx context.Context, name string) (bool, error)
}

// LocalStore is a Store on a local folder (MEDIA_DIR). It is safe for
// concurrent use. All access goes through an os.Root, so no name can reach
// outside the folder, whatever it contains.
type LocalStore struct {
	root *os.Root
	dir  string
	// wrapWriter lets tests put a failing writer (disk full) between the
	// copy and the temp file.
	wrapWriter func(io.Writer) io.Writer
}

// NewLocalStore creates dir if needed and opens it as a store.
func NewLocalStore(dir string) (*LocalStore, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("media store: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("media store: %w", err)
	}
	return &LocalStore{root: root, dir: dir}, nil
}

// Dir returns the folder the store writes to (for logs and backups).
func (s *LocalStore) Dir() string { return s.dir }

// Close releases the folder handle.
func (s *LocalStore) Close() error { return s.root.Close() }

// cleanName refuses names that are not plain relative paths; os.Root would
// refuse escapes anyway, but a clear ErrBadName beats an odd path error, and
// temp-file prefixes must never be addressable.
func cleanName(name string) (string, error) {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") ||
		path.Clean(name) != name || name == "." || strings.HasPrefix(name, "../") || name == ".." {
		return "", fmt.Errorf("%w: %q", ErrBadName, name)
	}
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return "", fmt.Errorf("%w: %q", ErrBadName, name)
		}
	}
	return name, nil
}

// Put writes r to a temp file beside the final name, syncs it and renames it
// into place. Rename within one folder is atomic, so readers see either no
// file or the whole file; on any error the temp file is removed.
func (s *LocalStore) Put(ctx context.Context, name string, r io.Reader) (err error) {
	name, err = cleanName(name)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	dir := path.Dir(name)
	if dir != "." {
		if err := s.root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("media store put %s: %w", name, err)
		}
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := path.Join(dir, ".tmp-"+hex.EncodeToString(rnd[:]))
	f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("media store put %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close() // may already be closed; the error is irrelevant here
			_ = s.root.Remove(tmp)
		}
	}()
	var w io.Writer = f
	if s.wrapWriter != nil {
		w = s.wrapWriter(f)
	}
	if _, err = io.Copy(w, ctxReader{ctx, r}); err != nil {
		return fmt.Errorf("media store put %s: %w", name, err)
	}
	// Sync before rename: otherwise a crash can leave a renamed but empty file.
	if err = f.Sync(); err != nil {
		return fmt.Errorf("media store put %s: %w", name, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("media store put %s: %w", name, err)
	}
	if err = s.root.Rename(tmp, name); err != nil {
		return fmt.Errorf("media store put %s: %w", name, err)
	}
	return nil
}

// Open opens name for reading; the *os.File it returns is seekable.
func (s *LocalStore) Open(_ context.Context, name string) (io.ReadCloser, error) {
	name, err := cleanName(name)
	if err != nil {
		return nil, err
	}
	f, err := s.root.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	if err != nil {
		return nil, fmt.Errorf("media store open %s: %w", name, err)
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		_ = f.Close()
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	return f, nil
}

// Delete removes name; a missing name is not an error.
func (s *LocalStore) Delete(_ context.Context, name string) error {
	name, err := cleanName(name)
	if err != nil {
		return err
	}
	if err := s.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media store delete %s: %w", name, err)
	}
	return nil
}

// Exists reports whether name is stored.
func (s *LocalStore) Exists(_ context.Context, name string) (bool, error) {
	name, err := cleanName(name)
	if err != nil {
		return false, err
	}
	st, err := s.root.Stat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("media store stat %s: %w", name, err)
	}
	return st.Mode().IsRegular(), nil
}

// ctxReader stops a long copy when the request is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
