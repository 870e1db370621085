package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func newLocal(t *testing.T, opts Options) (*Pipeline, *LocalStore, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := NewLocalStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	p, err := NewPipeline(st, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p, st, dir
}

func readKey(t *testing.T, dir, key string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(key)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestProcess_EXIFOrientation6ComesOutUprightAndStripped(t *testing.T) {
	p, _, dir := newLocal(t, Options{})
	// Stored landscape 3000×1500 tagged "rotate 90° clockwise to display":
	// people see a 1500×3000 portrait, which must fit in 1920×1080 as 540×1080.
	// Resizing before rotating would give 960×1920, breaking the bound.
	in := withEXIF(encodeJPEG(t, quadrants(3000, 1500)), 6)
	if !bytes.Contains(in, []byte("Exif")) {
		t.Fatal("test input has no EXIF")
	}
	res, err := p.Process(context.Background(), bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if res.Original.Width != 540 || res.Original.Height != 1080 {
		t.Fatalf("original is %d×%d, want 540×1080 (upright, within 1920×1080)", res.Original.Width, res.Original.Height)
	}
	out := readKey(t, dir, res.Original.Key)
	img, format, err := image.Decode(bytes.NewReader(out))
	if err != nil || format != "jpeg" {
		t.Fatalf("decode output: %v %s", err, format)
	}
	b := img.Bounds()
	// Rotating the stored picture 90° clockwise moves bottom-left (blue) to
	// top-left, top-left (red) to top-right, and so on.
	for _, c := range []struct {
		name string
		x, y int
		want color.NRGBA
	}{
		{"top-left", b.Dx() / 4, b.Dy() / 4, blue},
		{"top-right", 3 * b.Dx() / 4, b.Dy() / 4, red},
		{"bottom-left", b.Dx() / 4, 3 * b.Dy() / 4, yellow},
		{"bottom-right", 3 * b.Dx() / 4, 3 * b.Dy() / 4, green},
	} {
		if got := img.At(c.x, c.y); !near(got, c.want) {
			t.Errorf("%s is %s, want %s", c.name, colorName(got), colorName(c.want))
		}
	}
	for _, key := range res.Keys() {
		data := readKey(t, dir, key)
		if bytes.Contains(data, []byte("Exif")) {
			t.Errorf("%s still contains an Exif block", key)
		}
		for _, m := range jpegSegments(t, data) {
			if m >= 0xE1 && m <= 0xEF {
				t.Errorf("%s has an APP%d segment (metadata)", key, m-0xE0)
			}
		}
	}
	if res.Avatar.Width != 300 || res.Avatar.Height != 300 || res.List.Width != 150 || res.List.Height != 150 {
		t.Errorf("avatar %d×%d list %d×%d, want 300×300 and 150×150",
			res.Avatar.Width, res.Avatar.Height, res.List.Width, res.List.Height)
	}
	if res.Card.Width != 540 { // narrower than 600: never upscaled
		t.Errorf("card width %d, want 540", res.Card.Width)
	}
}

func TestProcess_VariantsAndContentAddressedNames(t *testing.T) {
	p, _, dir := newLocal(t, Options{})
	in := encodeJPEG(t, quadrants(3000, 1500))
	res, err := p.Process(context.Background(), bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int{"original": {1920, 960}, "avatar": {300, 300}, "list": {150, 150}, "card": {600, 300}}
	got := map[string]Variant{"original": res.Original, "avatar": res.Avatar, "list": res.List, "card": res.Card}
	for name, v := range got {
		if v.Width != want[name][0] || v.Height != want[name][1] {
			t.Errorf("%s is %d×%d, want %v", name, v.Width, v.Height, want[name])
		}
		if !ValidKey(v.Key) || v.ContentType != "image/jpeg" || !strings.HasSuffix(v.Key, ".jpg") {
			t.Errorf("%s: key %q type %q", name, v.Key, v.ContentType)
		}
		data := readKey(t, dir, v.Key)
		sum := sha256.Sum256(data)
		if !strings.Contains(v.Key, hex.EncodeToString(sum[:])) || len(data) != v.Size {
			t.Errorf("%s: key %q does not name its content", name, v.Key)
		}
	}
	if res.Format != "jpeg" {
		t.Errorf("format %q", res.Format)
	}
	// Same upload again: same names, nothing new written.
	before := len(filesIn(t, dir))
	res2, err := p.Process(context.Background(), bytes.NewReader(in))
	if err != nil || res2 != res || len(filesIn(t, dir)) != before {
		t.Errorf("re-upload changed something: %v %+v", err, res2)
	}
}

func TestProcess_AcceptsEachFormat(t *testing.T) {
	transparent := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	transparent.SetNRGBA(5, 5, color.NRGBA{255, 0, 0, 255}) // the rest is fully transparent
	for _, c := range []struct {
		name, format, ctype string
		data                []byte
		w, h                int
	}{
		{"png_opaque_becomes_jpeg", "png", "image/jpeg", encodePNG(t, quadrants(64, 48)), 64, 48},
		{"png_with_transparency_stays_png", "png", "image/png", encodePNG(t, transparent), 40, 30},
		{"gif", "gif", "image/jpeg", encodeGIF(t, quadrants(64, 48)), 64, 48},
		{"webp", "webp", "image/jpeg", tinyWebP, 75, 100},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, _, _ := newLocal(t, Options{})
			res, err := p.Process(context.Background(), bytes.NewReader(c.data))
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != c.format || res.Original.ContentType != c.ctype ||
				res.Original.Width != c.w || res.Original.Height != c.h {
				t.Errorf("got %+v", res)
			}
			// Small pictures: square crops shrink to the short side, not upscaled.
			if side := min(c.w, c.h); res.Avatar.Width != side || res.List.Width != min(side, 150) {
				t.Errorf("avatar %d list %d for %d×%d", res.Avatar.Width, res.List.Width, c.w, c.h)
			}
		})
	}
}

func TestProcess_Refusals(t *testing.T) {
	big := make([]byte, 12_897_485) // 12.3 MB
	copy(big, encodeJPEG(t, quadrants(8, 8)))
	for _, c := range []struct {
		name string
		r    func() io.Reader
		kind error
		msg  string
	}{
		{"png_bomb_100000x100000", func() io.Reader { return bytes.NewReader(pngBomb(100000, 100000)) },
			ErrTooManyPixels, "the image is 100000×100000 pixels (10000 megapixels); the limit is 40 megapixels"},
		{"jpeg_bomb_65000x65000", func() io.Reader { return bytes.NewReader(jpegBomb(t, 65000, 65000)) },
			ErrTooManyPixels, "the limit is 40 megapixels"},
		{"text_file_named_jpg", func() io.Reader { return strings.NewReader("holiday.jpg\nThis is not a photo.\n") },
			ErrNotImage, "this file is not an image (it looks like text/plain); upload a JPEG, PNG, GIF or WebP"},
		{"html_file_named_jpg", func() io.Reader { return strings.NewReader("<html><script>alert(1)</script>") },
			ErrNotImage, "it looks like text/html"},
		{"bmp_is_not_supported", func() io.Reader { return strings.NewReader("BM" + strings.Repeat("\x00", 60)) },
			ErrNotImage, "this type of image (image/bmp) is not supported"},
		{"empty", func() io.Reader { return strings.NewReader("") }, ErrNotImage, "the file is empty"},
		{"truncated_jpeg", func() io.Reader { return bytes.NewReader(encodeJPEG(t, quadrants(64, 64))[:300]) },
			ErrCorrupt, "damaged"},
		{"oversize_with_known_size", func() io.Reader { return bytes.NewReader(big) },
			ErrTooLarge, "the file is 12.3 MB; the limit is 10 MB"},
		{"oversize_stream", func() io.Reader { return io.MultiReader(bytes.NewReader(big)) },
			ErrTooLarge, "the file is larger than 10 MB, the limit"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, _, dir := newLocal(t, Options{})
			_, err := p.Process(context.Background(), c.r())
			if !errors.Is(err, c.kind) {
				t.Fatalf("err = %v, want %v", err, c.kind)
			}
			if msg, ok := UserMessage(err); !ok || !strings.Contains(msg, c.msg) {
				t.Errorf("message %q, want it to contain %q", msg, c.msg)
			}
			if files := filesIn(t, dir); len(files) != 0 {
				t.Errorf("refusal left files behind: %v", files)
			}
		})
	}
}

// endless never ends; it counts what was read from it.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) { e.n += int64(len(p)); return len(p), nil }

func TestProcess_ReadsAtMostLimitPlusOne(t *testing.T) {
	p, _, _ := newLocal(t, Options{MaxUploadBytes: 1000})
	src := &endless{}
	if _, err := p.Process(context.Background(), src); !errors.Is(err, ErrTooLarge) {
		t.Fatal(err)
	}
	if src.n != 1001 {
		t.Errorf("read %d bytes, want 1001", src.n)
	}
}

// diskFull fails with ENOSPC once more than left bytes have been written.
type diskFull struct {
	w    io.Writer
	left int
}

func (d *diskFull) Write(p []byte) (int, error) {
	if len(p) > d.left {
		n, _ := d.w.Write(p[:d.left])
		d.left = 0
		return n, syscall.ENOSPC
	}
	d.left -= len(p)
	return d.w.Write(p)
}

func TestProcess_DiskFullLeavesNoFiles(t *testing.T) {
	for _, failAt := range []int{1, 3} { // first write, and after two complete files
		p, st, dir := newLocal(t, Options{})
		puts := 0
		st.wrapWriter = func(w io.Writer) io.Writer {
			puts++
			if puts < failAt {
				return w
			}
			return &diskFull{w: w, left: 100}
		}
		_, err := p.Process(context.Background(), bytes.NewReader(encodeJPEG(t, quadrants(800, 600))))
		if !errors.Is(err, ErrStorage) || !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("failAt %d: err = %v, want ErrStorage wrapping ENOSPC", failAt, err)
		}
		if msg, _ := UserMessage(err); !strings.Contains(msg, "out of storage space") {
			t.Errorf("message %q", msg)
		}
		if files := filesIn(t, dir); len(files) != 0 {
			t.Errorf("failAt %d: files left behind: %v", failAt, files)
		}
	}
}

func TestLocalStore_FailedReaderLeavesNoFile(t *testing.T) {
	st, err := NewLocalStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := io.MultiReader(strings.NewReader("half a file"), iotestErr{})
	if err := st.Put(context.Background(), "ab/cd/x.jpg", r); err == nil {
		t.Fatal("want error")
	}
	if files := filesIn(t, st.Dir()); len(files) != 0 {
		t.Errorf("left %v", files)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "a/../../x", "ab/.tmp-1", "", "a\\b"} {
		if err := st.Put(context.Background(), bad, strings.NewReader("x")); !errors.Is(err, ErrBadName) {
			t.Errorf("Put(%q) = %v, want ErrBadName", bad, err)
		}
	}
	ctx := context.Background()
	if err := st.Put(ctx, "ab/cd/ok.jpg", strings.NewReader("ok")); err != nil {
		t.Fatal(err)
	}
	if ok, err := st.Exists(ctx, "ab/cd/ok.jpg"); !ok || err != nil {
		t.Errorf("Exists = %v %v", ok, err)
	}
	if err := st.Delete(ctx, "ab/cd/ok.jpg"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Open(ctx, "ab/cd/ok.jpg"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open after delete = %v", err)
	}
	if err := st.Delete(ctx, "ab/cd/ok.jpg"); err != nil {
		t.Errorf("second delete = %v", err)
	}
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestNewPipeline_RejectsBadOptions(t *testing.T) {
	for _, o := range []Options{{Quality: 101}, {Quality: -1}, {MaxWidth: -5}, {MaxUploadBytes: -1}} {
		if _, err := NewPipeline(newMemStore(), o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

func TestProcess_CancelledContext(t *testing.T) {
	p, _, dir := newLocal(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Process(ctx, bytes.NewReader(encodeJPEG(t, quadrants(64, 64)))); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if files := filesIn(t, dir); len(files) != 0 {
		t.Errorf("left %v", files)
	}
}

func FuzzProcess(f *testing.F) {
	f.Add(encodeJPEG(f, quadrants(20, 10)))
	f.Add(withEXIF(encodeJPEG(f, quadrants(20, 10)), 6))
	f.Add(encodePNG(f, quadrants(9, 7)))
	f.Add(encodeGIF(f, quadrants(9, 7)))
	f.Add(tinyWebP)
	f.Add(pngBomb(100000, 100000))
	f.Add([]byte("not an image"))
	// Small limits keep each iteration fast; the code paths are the same.
	p, err := NewPipeline(newMemStore(), Options{MaxUploadBytes: 1 << 16, MaxPixels: 1 << 18, MaxWidth: 64, MaxHeight: 64})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := p.Process(context.Background(), bytes.NewReader(data))
		if err != nil {
			if _, ok := UserMessage(err); !ok {
				t.Fatalf("error without a user message: %v", err)
			}
			return
		}
		if res.Original.Width > 64 || res.Original.Height > 64 || !ValidKey(res.Original.Key) {
			t.Fatalf("bad result %+v", res)
		}
	})
}

func BenchmarkProcess4000x3000JPEG(b *testing.B) {
	m := image.NewNRGBA(image.Rect(0, 0, 4000, 3000))
	for y := range 3000 {
		for x := range 4000 {
			m.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	in := encodeJPEG(b, m)
	p, err := NewPipeline(newMemStore(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Process(context.Background(), bytes.NewReader(in)); err != nil {
			b.Fatal(err)
		}
	}
}
