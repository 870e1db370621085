// Package build turns the static source files into the fingerprinted,
// pre-compressed set embedded by package assets. It is used by the
// generator (go generate) and by the tests that prove the checked-in dist/
// is current; it is never linked into the server, so the brotli encoder
// stays out of the binary.
//
// Output is deterministic: the same sources give the same bytes (sorted
// iteration, no timestamps or file names in gzip headers, fixed levels), so
// regenerating without changes leaves git clean.
package build

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"

	"sabc/internal/assets/mediatype"
)

// ManifestName is the manifest's file name inside dist/.
const ManifestName = "manifest.json"

// Encoding names as they appear in Accept-Encoding / Content-Encoding.
const (
	Identity = "identity"
	Brotli   = "br"
	Gzip     = "gzip"
)

// Manifest maps logical names ("app.css") to their built files.
type Manifest struct {
	Version int              `json:"version"`
	Files   map[string]Entry `json:"files"`
}

// Entry describes one source file's built forms.
type Entry struct {
	// Name is the fingerprinted file name, e.g. "app.3f2a9c1d.css".
	Name string `json:"name"`
	// Type is the Content-Type to serve it with.
	Type string `json:"type"`
	// SHA256 is the hex digest of the source content.
	SHA256 string `json:"sha256"`
	// Variants by encoding; Identity is always present.
	Variants map[string]Variant `json:"variants"`
}

// Variant is one encoding of a file.
type Variant struct {
	File string `json:"file"` // path inside dist/
	Size int    `json:"size"`
	// ETag is quoted and strong; it hashes this variant's bytes, because a
	// strong validator must differ between encodings of the same file.
	ETag string `json:"etag"`
}

// Fingerprint returns the 8-hex-digit content hash used in file names.
// 32 bits are plenty to tell one version of one file from the next.
func Fingerprint(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:4])
}

// FingerprintedName inserts the fingerprint before the last extension:
// "css/app.css" → "css/app.3f2a9c1d.css", "LICENSE" → "LICENSE.3f2a9c1d".
func FingerprintedName(logical string, content []byte) string {
	dir, file := path.Split(logical)
	ext := path.Ext(file)
	if ext == file { // dot-file or no base name: treat as no extension
		ext = ""
	}
	return dir + strings.TrimSuffix(file, ext) + "." + Fingerprint(content) + ext
}

// Generate builds every file of src (recursively, skipping dot-files) and
// returns the complete dist/ contents keyed by slash path, manifest included.
func Generate(src fs.FS) (map[string][]byte, error) {
	var names []string
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk static sources: %w", err)
	}
	sort.Strings(names)

	out := make(map[string][]byte)
	m := Manifest{Version: 1, Files: make(map[string]Entry, len(names))}
	for _, logical := range names {
		content, err := fs.ReadFile(src, logical)
		if err != nil {
			return nil, err
		}
		name := FingerprintedName(logical, content)
		sum := sha256.Sum256(content)
		e := Entry{
			Name:     name,
			Type:     mediatype.ContentType(logical, content),
			SHA256:   hex.EncodeToString(sum[:]),
			Variants: map[string]Variant{Identity: variant(name, content)},
		}
		out[name] = content
		if mediatype.Compressible(e.Type) {
			br, err := compressBrotli(content)
			if err != nil {
				return nil, fmt.Errorf("%s: brotli: %w", logical, err)
			}
			gz, err := compressGzip(content)
			if err != nil {
				return nil, fmt.Errorf("%s: gzip: %w", logical, err)
			}
			out[name+".br"], e.Variants[Brotli] = br, variant(name+".br", br)
			out[name+".gz"], e.Variants[Gzip] = gz, variant(name+".gz", gz)
		}
		m.Files[logical] = e
	}
	// encoding/json sorts map keys, which keeps the manifest byte-stable.
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	out[ManifestName] = append(js, '\n')
	return out, nil
}

func variant(file string, b []byte) Variant {
	sum := sha256.Sum256(b)
	return Variant{File: file, Size: len(b), ETag: `"` + hex.EncodeToString(sum[:16]) + `"`}
}

func compressBrotli(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// compressGzip uses the standard library on purpose: its output at a given
// level has been stable across Go releases, and the zero Header means no
// name and no modification time, so the bytes depend only on the content.
func compressGzip(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
