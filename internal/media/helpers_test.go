package media

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"path/filepath"
	"sync"
	"testing"
)

// memStore is an in-memory Store for fuzzing and benchmarks.
type memStore struct {
	mu    sync.Mutex
	files map[string][]byte
}

func newMemStore() *memStore { return &memStore{files: map[string][]byte{}} }

func (m *memStore) Put(_ context.Context, name string, r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[name] = b
	return nil
}

func (m *memStore) Open(_ context.Context, name string) (io.ReadCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[name]
	if !ok {
		return nil, ErrNotFound
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m *memStore) Delete(_ context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.files, name)
	return nil
}

func (m *memStore) Exists(_ context.Context, name string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.files[name]
	return ok, nil
}

// Quadrant colours of the test pictures, as stored (before orientation).
var (
	red    = color.NRGBA{255, 0, 0, 255}
	green  = color.NRGBA{0, 255, 0, 255}
	blue   = color.NRGBA{0, 0, 255, 255}
	yellow = color.NRGBA{255, 255, 0, 255}
)

// quadrants draws a w×h picture: red top-left, green top-right, blue
// bottom-left, yellow bottom-right, so any rotation or flip is visible.
func quadrants(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := red
			switch {
			case x >= w/2 && y < h/2:
				c = green
			case x < w/2 && y >= h/2:
				c = blue
			case x >= w/2 && y >= h/2:
				c = yellow
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

func encodeJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeGIF(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, m, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exifAPP1 hand-builds an APP1 "Exif" segment (big-endian TIFF) holding
// IFD0 with Orientation and a pointer to a GPS IFD with a latitude, which
// is what phones write and what must never reach other members.
func exifAPP1(orientation uint16) []byte {
	be := binary.BigEndian
	var t bytes.Buffer
	w16 := func(v uint16) { _ = binary.Write(&t, be, v) }
	w32 := func(v uint32) { _ = binary.Write(&t, be, v) }
	entry := func(tag, typ uint16, count uint32, value [4]byte) {
		w16(tag)
		w16(typ)
		w32(count)
		t.Write(value[:])
	}
	t.WriteString("MM")
	w16(42)
	w32(8) // IFD0 offset
	// IFD0: 2 entries, 2+2*12+4 = 30 bytes, so the GPS IFD starts at 38.
	w16(2)
	entry(0x0112, 3, 1, [4]byte{byte(orientation >> 8), byte(orientation), 0, 0})
	entry(0x8825, 4, 1, [4]byte{0, 0, 0, 38})
	w32(0)
	// GPS IFD: 3 entries, 2+3*12+4 = 42 bytes, so the rationals start at 80.
	w16(3)
	entry(0x0000, 1, 4, [4]byte{2, 2, 0, 0})   // GPSVersionID
	entry(0x0001, 2, 2, [4]byte{'N', 0, 0, 0}) // GPSLatitudeRef
	entry(0x0002, 5, 3, [4]byte{0, 0, 0, 80})  // GPSLatitude → offset 80
	w32(0)
	for _, r := range [][2]uint32{{30, 1}, {15, 1}, {1234, 100}} {
		w32(r[0])
		w32(r[1])
	}
	body := append([]byte("Exif\x00\x00"), t.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	be.PutUint16(seg[2:], uint16(len(body)+2))
	return append(seg, body...)
}

// withEXIF inserts the APP1 segment right after SOI, where cameras put it.
func withEXIF(jpg []byte, orientation uint16) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, exifAPP1(orientation)...)
	return append(out, jpg[2:]...)
}

// jpegSegments lists the marker bytes of every segment before the scan.
func jpegSegments(t *testing.T, b []byte) []byte {
	t.Helper()
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		t.Fatal("not a JPEG")
	}
	var markers []byte
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			t.Fatalf("bad marker at %d", i)
		}
		m := b[i+1]
		markers = append(markers, m)
		if m == 0xDA {
			break
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	return markers
}

func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	crc := crc32.ChecksumIEEE(append([]byte(typ), data...))
	_ = binary.Write(&b, binary.BigEndian, crc)
	return b.Bytes()
}

// pngBomb is a tiny file whose valid IHDR claims w×h pixels; decoding it
// fully would allocate w*h*4 bytes.
func pngBomb(w, h uint32) []byte { return pngBombDepth(w, h, 8) }

// pngBombDepth is pngBomb with depth (8 or 16) bits per RGBA channel.
func pngBombDepth(w, h uint32, depth byte) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = depth, 6 // RGBA
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, pngChunk("IHDR", ihdr)...)
	b = append(b, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(b, pngChunk("IEND", nil)...)
}

// jpegBomb patches the SOF0 dimensions of a real small JPEG.
func jpegBomb(t testing.TB, w, h uint16) []byte {
	b := encodeJPEG(t, quadrants(16, 16))
	i := bytes.Index(b, []byte{0xFF, 0xC0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	binary.BigEndian.PutUint16(b[i+5:], h)
	binary.BigEndian.PutUint16(b[i+7:], w)
	return b
}

// tinyWebP is x/image's testdata/gopher-doc.1bpp.lossless.webp (75×100),
// embedded because Go has no WebP encoder to make one in the test.
var tinyWebP, _ = base64.StdEncoding.DecodeString(
	"UklGRrIBAABXRUJQVlA4TKUBAAAvSsAYAA8w//M///MfeJAkbXvaSG7m8Q3GfYSBJekwQztm/IcZlgwnmWImn2BK7aFmBtnVir6q" +
		"//8VOkFE/xm4baTIu8c48ArEo6+B3zFKYln3pqClSCKX0begFTAXFOLXHSyF8cCNcZEG4OywuA4KVVfJCiArU7GAgJI8+lJP/OKM" +
		"T/fBAjevg1cYB7YVkFuWga2lyPi5I0HFy5YTpWIHg0RZpkniRVW9odHAKOwosWuOGdxIyn2OvaCDvhg/we6TwadPBPbqBV58MsLm" +
		"MJ8yZnOWk8SRz4N+QoyPL+MnamzMvcE1rHNEr91F9GKZPVUcS9w7PhhH36suB9qPeYb/oLk6cuTiJ0wOK3m5h1cKjW6EVZCYMK7d" +
		"xcKCBdgP9HkKr9gkAO2P8GKZGWVdIAatQa+1IDpt6qyorVwdy01xdW8Jkfk6xjEXmVQQ+HQdFr6OKhIN34dXWq0+0qr6EJSCeeVL" +
		"H9+gvGTLyqM65PQ44ihzlTXxQKjKbAvshXgir7Lil9w4L2bvMycmjQcqXaMCO6BlY28i+FOLzbfI1vEqxAhotocAAA==")

// filesIn lists every regular file (temp files included) under dir.
func filesIn(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// near reports whether two colours match within JPEG's tolerance.
func near(a color.Color, b color.NRGBA) bool {
	r, g, bl, _ := a.RGBA()
	d := func(x uint32, y uint8) bool {
		v := int(x>>8) - int(y)
		return v > -60 && v < 60
	}
	return d(r, b.R) && d(g, b.G) && d(bl, b.B)
}

func colorName(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("rgb(%d,%d,%d)", r>>8, g>>8, b>>8)
}
