package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // register decoders: only these four formats are accepted
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/webp"
	"golang.org/x/sync/semaphore"
)

// Defaults; the lead's config maps the environment onto Options:
// MAX_UPLOAD_BYTES, MAX_IMAGE_WIDTH, MAX_IMAGE_HEIGHT, IMAGE_QUALITY
// (MEDIA_DIR is the LocalStore folder).
const (
	DefaultMaxUploadBytes = 10 << 20
	DefaultMaxWidth       = 1920
	DefaultMaxHeight      = 1080
	DefaultQuality        = 85
	DefaultMaxPixels      = 40_000_000
	// DefaultMaxDecodeBytes lets a 40-megapixel 8-bit photo through (JPEG
	// about 280 MB, RGBA PNG 320 MB by decodeCost) and refuses 16-bit
	// RGBA above about 27 megapixels.
	DefaultMaxDecodeBytes = 320 << 20
	// DefaultDecodeMemory is the ceiling for all decodes at once: two of
	// the largest images, or more smaller ones while their sum fits.
	DefaultDecodeMemory = 2 * DefaultMaxDecodeBytes
)

// Variant sizes (02-site §3, 03-operations §4).
const (
	AvatarSize = 300 // square centre crop for profile photos
	ListSize   = 150 // square centre crop for lists
	CardWidth  = 600 // width of cards; height follows the aspect ratio
)

// Options configure a Pipeline. Zero fields take the defaults above.
type Options struct {
	MaxUploadBytes int64 // refuse uploads larger than this
	MaxWidth       int   // the stored original fits in MaxWidth×MaxHeight
	MaxHeight      int
	Quality        int // JPEG quality 1–100
	MaxPixels      int // refuse images whose header claims more pixels (bombs)
	// MaxDecodeBytes refuses an image whose decode is estimated (from the
	// header: pixels × bytes per pixel of its colour model, plus a working
	// copy) to hold more memory than this.
	MaxDecodeBytes int64
	// DecodeMemory is the budget all concurrent decodes share, so however
	// many uploads arrive at once, decoding never holds more than this.
	DecodeMemory int64
	// DecodeWait is how long an upload waits for its share of DecodeMemory
	// before it is refused as busy (ErrBusy).
	DecodeWait time.Duration
}

func (o Options) withDefaults() (Options, error) {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if o.MaxUploadBytes == 0 {
		o.MaxUploadBytes = DefaultMaxUploadBytes
	}
	def(&o.MaxWidth, DefaultMaxWidth)
	def(&o.MaxHeight, DefaultMaxHeight)
	def(&o.Quality, DefaultQuality)
	def(&o.MaxPixels, DefaultMaxPixels)
	if o.MaxDecodeBytes == 0 {
		o.MaxDecodeBytes = DefaultMaxDecodeBytes
	}
	if o.DecodeMemory == 0 {
		o.DecodeMemory = max(DefaultDecodeMemory, o.MaxDecodeBytes)
	}
	if o.DecodeWait == 0 {
		o.DecodeWait = DefaultDecodeWait
	}
	switch {
	case o.MaxUploadBytes < 0:
		return o, fmt.Errorf("media: MAX_UPLOAD_BYTES must be positive, got %d", o.MaxUploadBytes)
	case o.MaxWidth < 0 || o.MaxHeight < 0:
		return o, fmt.Errorf("media: MAX_IMAGE_WIDTH/HEIGHT must be positive, got %d×%d", o.MaxWidth, o.MaxHeight)
	case o.Quality < 1 || o.Quality > 100:
		return o, fmt.Errorf("media: IMAGE_QUALITY must be 1–100, got %d", o.Quality)
	case o.MaxPixels < 0 || o.MaxDecodeBytes < 0 || o.DecodeWait < 0:
		return o, errors.New("media: MaxPixels, MaxDecodeBytes and DecodeWait must be positive")
	case o.DecodeMemory < o.MaxDecodeBytes:
		// A decode larger than the whole budget could never start.
		return o, fmt.Errorf("media: DecodeMemory (%d) must be at least MaxDecodeBytes (%d)", o.DecodeMemory, o.MaxDecodeBytes)
	}
	return o, nil
}

// Pipeline turns uploads into stored, normalised images. Safe for
// concurrent use.
type Pipeline struct {
	store     Store
	opt       Options
	decodeMem *semaphore.Weighted // bytes of DecodeMemory not yet reserved
}

// NewPipeline validates opts (zero fields take defaults) and returns a
// pipeline that stores into store.
func NewPipeline(store Store, opts Options) (*Pipeline, error) {
	if store == nil {
		return nil, errors.New("media: nil store")
	}
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Pipeline{store: store, opt: o, decodeMem: semaphore.NewWeighted(o.DecodeMemory)}, nil
}

// Options returns the effective options (after defaults).
func (p *Pipeline) Options() Options { return p.opt }

// Variant is one stored rendition.
type Variant struct {
	Key         string // store name, e.g. "ab/cd/abcd….jpg"; also the URL path under Handler
	Width       int
	Height      int
	ContentType string // image/jpeg or image/png
	Size        int    // bytes
}

// Result lists what Process stored. Original is the normalised full image
// (upright, within MaxWidth×MaxHeight, metadata stripped).
type Result struct {
	Original Variant
	Avatar   Variant // AvatarSize square crop
	List     Variant // ListSize square crop
	Card     Variant // CardWidth wide (never upscaled)
	Format   string  // what was uploaded: jpeg, png, gif or webp
}

// Keys returns every stored key (for deleting an image later).
func (r Result) Keys() []string {
	return []string{r.Original.Key, r.Avatar.Key, r.List.Key, r.Card.Key}
}

// sizer is implemented by bytes.Reader, strings.Reader, io.SectionReader
// and the multipart.File the standard library hands out, so the web layer
// can pass the upload straight through and get an exact size in the message.
type sizer interface{ Size() int64 }

// Process reads one upload, checks it, normalises it and stores the original
// and its variants. The file name the user gave is deliberately not an
// input: the type comes from the bytes only. Refusals are *Error values and
// happen before anything is written; if storing fails midway, the files this
// call created are removed again.
func (p *Pipeline) Process(ctx context.Context, r io.Reader) (Result, error) {
	data, err := p.readLimited(r)
	if err != nil {
		return Result{}, err
	}
	format, cfg, err := p.check(data)
	if err != nil {
		return Result{}, err
	}
	release, err := p.acquireDecode(ctx, decodeCost(cfg))
	if err != nil {
		return Result{}, err
	}
	encoded, err := p.render(ctx, data)
	release()
	if err != nil {
		return Result{}, err
	}
	res, err := p.save(ctx, encoded)
	if err != nil {
		return Result{}, err
	}
	res.Format = format
	return res, nil
}

func (p *Pipeline) readLimited(r io.Reader) ([]byte, error) {
	limit := p.opt.MaxUploadBytes
	if s, ok := r.(sizer); ok && s.Size() > limit {
		return nil, tooLarge(s.Size(), limit)
	}
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > limit {
			return nil, tooLarge(st.Size(), limit)
		}
	}
	// One byte over the limit is enough to know the file is too large
	// without reading (or buffering) the rest of it.
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("media: read upload: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(0, limit)
	}
	if len(data) == 0 {
		return nil, &Error{Kind: ErrNotImage, Msg: "the file is empty; upload a JPEG, PNG, GIF or WebP"}
	}
	return data, nil
}

var supported = map[string]string{
	"image/jpeg": "jpeg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
}

// check sniffs the real type and reads only the header (dimensions and
// colour model), so a decompression bomb is refused before any pixel memory
// is allocated.
func (p *Pipeline) check(data []byte) (string, image.Config, error) {
	sniffed, _, _ := strings.Cut(http.DetectContentType(data), ";")
	format, ok := supported[sniffed]
	if !ok {
		what := "this file is not an image (it looks like " + sniffed + ")"
		if strings.HasPrefix(sniffed, "image/") {
			what = "this type of image (" + sniffed + ") is not supported"
		}
		return "", image.Config{}, &Error{Kind: ErrNotImage, Msg: what + "; upload a JPEG, PNG, GIF or WebP"}
	}
	cfg, decoded, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || decoded != format {
		return "", image.Config{}, &Error{Kind: ErrCorrupt, Err: err,
			Msg: "the file looks like a " + strings.ToUpper(format) + " image but it is damaged and cannot be read"}
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return "", image.Config{}, &Error{Kind: ErrCorrupt, Msg: "the image has no pixels"}
	}
	// int64: 100000×100000 must not overflow on 32-bit builds.
	if px := int64(cfg.Width) * int64(cfg.Height); px > int64(p.opt.MaxPixels) {
		return "", image.Config{}, &Error{Kind: ErrTooManyPixels, Msg: fmt.Sprintf(
			"the image is %d×%d pixels (%s megapixels); the limit is %s megapixels",
			cfg.Width, cfg.Height, megapixels(px), megapixels(int64(p.opt.MaxPixels)))}
	}
	if err := p.checkDecodeCost(cfg); err != nil {
		return "", image.Config{}, err
	}
	return format, cfg, nil
}

func megapixels(px int64) string { return trimZero(float64(px) / 1e6) }

// encodedImage is one rendition ready to store.
type encodedImage struct {
	v    *Variant
	data []byte
}

// render decodes (applying EXIF orientation first, so the bounds and crops
// apply to the picture as people see it), resizes and encodes every variant.
// Everything happens in memory so a refusal or cancellation writes nothing.
func (p *Pipeline) render(ctx context.Context, data []byte) (map[string]*encodedImage, error) {
	img, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	if err != nil {
		return nil, &Error{Kind: ErrCorrupt, Err: err, Msg: "the image is damaged and cannot be read"}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	orig := imaging.Fit(img, p.opt.MaxWidth, p.opt.MaxHeight, imaging.Lanczos)
	out := map[string]*encodedImage{}
	for _, step := range []struct {
		name string
		make func(image.Image) *image.NRGBA
	}{
		{"original", func(m image.Image) *image.NRGBA { return imaging.Clone(m) }},
		{"avatar", func(m image.Image) *image.NRGBA { return squareCrop(m, AvatarSize) }},
		{"list", func(m image.Image) *image.NRGBA { return squareCrop(m, ListSize) }},
		{"card", func(m image.Image) *image.NRGBA { return fitWidth(m, CardWidth) }},
	} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v, err := encode(step.make(orig), p.opt.Quality)
		if err != nil {
			return nil, err
		}
		out[step.name] = v
	}
	return out, nil
}

// squareCrop centre-crops to a square of side size, never upscaling: a small
// picture makes a smaller (sharp) avatar rather than a blurred one.
func squareCrop(m image.Image, size int) *image.NRGBA {
	b := m.Bounds()
	side := min(size, b.Dx(), b.Dy())
	return imaging.Fill(m, side, side, imaging.Center, imaging.Lanczos)
}

func fitWidth(m image.Image, width int) *image.NRGBA {
	if m.Bounds().Dx() <= width {
		return imaging.Clone(m)
	}
	return imaging.Resize(m, width, 0, imaging.Lanczos)
}

// save writes every rendition under its content address. A name that
// already exists holds the same bytes (the name is their hash), so it is not
// rewritten, and on failure it is not deleted either: another upload owns it.
func (p *Pipeline) save(ctx context.Context, enc map[string]*encodedImage) (Result, error) {
	var res Result
	slots := map[string]*Variant{"original": &res.Original, "avatar": &res.Avatar, "list": &res.List, "card": &res.Card}
	var created []string
	fail := func(err error) (Result, error) {
		// Best effort, with a fresh context: the request's may be cancelled.
		for _, k := range created {
			_ = p.store.Delete(context.WithoutCancel(ctx), k)
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return Result{}, err
		}
		return Result{}, storageErr(err)
	}
	for _, name := range []string{"original", "avatar", "list", "card"} {
		e := enc[name]
		*slots[name] = *e.v
		ok, err := p.store.Exists(ctx, e.v.Key)
		if err != nil {
			return fail(err)
		}
		if ok {
			continue
		}
		if err := p.store.Put(ctx, e.v.Key, bytes.NewReader(e.data)); err != nil {
			return fail(err)
		}
		created = append(created, e.v.Key)
	}
	return res, nil
}
