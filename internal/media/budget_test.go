package media

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"strings"
	"testing"
	"time"
)

// The attack of issue 14 finding 5: a few hundred bytes of PNG whose header
// claims 6300×6300 16-bit RGBA pixels, under the 40-megapixel limit but
// needing about 476 MB once decoded.
func TestProcess_Refuses16BitPNGUnderPixelLimitByDecodeMemory(t *testing.T) {
	p, _, dir := newLocal(t, Options{})
	_, err := p.Process(context.Background(), bytes.NewReader(pngBombDepth(6300, 6300, 16)))
	if !errors.Is(err, ErrTooManyPixels) {
		t.Fatalf("err = %v, want ErrTooManyPixels", err)
	}
	msg, _ := UserMessage(err)
	for _, want := range []string{"6300×6300", "16 bits per channel", "MB of memory", "the limit is 320 MB"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if files := filesIn(t, dir); len(files) != 0 {
		t.Errorf("refusal left files behind: %v", files)
	}
}

// uniform16 is a w×h 16-bit-per-channel picture; being one colour it
// compresses to almost nothing, like the attack file.
func uniform16(t *testing.T, w, h int) []byte {
	m := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = 0x80
	}
	return encodePNG(t, m)
}

func TestProcess_DecodeBudgetCountsBytesPerPixelNotPixels(t *testing.T) {
	// 1000×1000: 16-bit RGBA is charged 12 MB (8 decoded + 4 working),
	// 8-bit RGBA 8 MB; the limit is between them.
	p, _, _ := newLocal(t, Options{MaxDecodeBytes: 10 << 20})
	_, err := p.Process(context.Background(), bytes.NewReader(uniform16(t, 1000, 1000)))
	if !errors.Is(err, ErrTooManyPixels) {
		t.Fatalf("16-bit: err = %v, want ErrTooManyPixels", err)
	}
	if msg, _ := UserMessage(err); !strings.Contains(msg, "1000×1000 pixels with 16 bits per channel") ||
		!strings.Contains(msg, "the limit is 10 MB") {
		t.Errorf("16-bit: message %q", msg)
	}
	if _, err := p.Process(context.Background(), bytes.NewReader(encodePNG(t, quadrants(1000, 1000)))); err != nil {
		t.Errorf("8-bit of the same pixel count: %v", err)
	}
}

// The ceiling is shared: while other decodes hold it, an upload that does
// not fit in what is left is refused as busy after DecodeWait, one that fits
// goes ahead, and the budget comes back once released. The test holds the
// budget itself, so no outcome depends on how fast anything runs.
func TestProcess_ConcurrentDecodesShareOneMemoryCeiling(t *testing.T) {
	p, _, _ := newLocal(t, Options{MaxDecodeBytes: 10 << 20, DecodeMemory: 16 << 20, DecodeWait: time.Millisecond})
	ctx := context.Background()
	if err := p.decodeMem.Acquire(ctx, 10<<20); err != nil { // one large decode in flight
		t.Fatal(err)
	}
	large := encodePNG(t, quadrants(1000, 1000)) // charged 8 MB, 6 MB are left
	_, err := p.Process(ctx, bytes.NewReader(large))
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("second large decode: err = %v, want ErrBusy", err)
	}
	if msg, _ := UserMessage(err); msg != "the server is busy processing other images; please try again in a minute" {
		t.Errorf("busy message %q", msg)
	}
	if _, err := p.Process(ctx, bytes.NewReader(encodePNG(t, quadrants(100, 100)))); err != nil {
		t.Errorf("small decode within what is left: %v", err)
	}
	p.decodeMem.Release(10 << 20)
	if _, err := p.Process(ctx, bytes.NewReader(large)); err != nil {
		t.Errorf("large decode after release: %v", err)
	}
	// Every Process gave back what it took: the whole ceiling is free.
	if !p.decodeMem.TryAcquire(16 << 20) {
		t.Error("decode budget leaked")
	}
}

func TestNewPipeline_DecodeLimitMustFitTheCeiling(t *testing.T) {
	if _, err := NewPipeline(newMemStore(), Options{MaxDecodeBytes: 2 << 20, DecodeMemory: 1 << 20}); err == nil {
		t.Error("a per-image limit above the ceiling was accepted (such a decode could never start)")
	}
}

func TestBytesPerPixel(t *testing.T) {
	for _, c := range []struct {
		name string
		m    color.Model
		want int64
		wide bool
	}{
		{"gray", color.GrayModel, 1, false},
		{"palette", color.Palette{color.Black, color.White}, 1, false},
		{"gray16", color.Gray16Model, 2, true},
		{"jpeg", color.YCbCrModel, 3, false},
		{"webp_alpha", color.NYCbCrAModel, 4, false},
		{"nrgba", color.NRGBAModel, 4, false},
		{"nrgba64", color.NRGBA64Model, 8, true},
		{"rgba64", color.RGBA64Model, 8, true},
	} {
		if n, wide := bytesPerPixel(c.m); n != c.want || wide != c.wide {
			t.Errorf("%s: %d bytes (16-bit %t), want %d (%t)", c.name, n, wide, c.want, c.wide)
		}
	}
}
