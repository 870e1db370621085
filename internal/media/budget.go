package media

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"time"
)

// Decode memory (issue 14, finding 5). A pixel limit alone is not enough: a
// 16-bit RGBA PNG of 6300×6300 is under 40 megapixels, compresses to a few
// hundred KB and decodes to 8 bytes per pixel. So every decode is charged
// the bytes it will hold, estimated from the header before any pixel is
// allocated, and all decodes together share one fixed budget.

// bytesPerPixel is what the decoded image holds per pixel, from the colour
// model image.DecodeConfig reports.
func bytesPerPixel(m color.Model) (n int64, wide bool) {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1, false
	case color.Gray16Model, color.Alpha16Model:
		return 2, true
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		return 4, false
	case color.RGBA64Model, color.NRGBA64Model:
		return 8, true
	case color.YCbCrModel:
		// 1.5 to 3 depending on chroma subsampling, which the header
		// config does not tell; a progressive JPEG also keeps its
		// coefficients while decoding. Charge the worst common case.
		return 3, false
	case color.NYCbCrAModel: // WebP with alpha
		return 4, false
	}
	if _, ok := m.(color.Palette); ok {
		return 1, false
	}
	return 8, false // unknown model: charge the widest
}

// workingBytesPerPixel covers the one full-size 8-bit NRGBA copy the
// pipeline makes next to the decoded image: the EXIF orientation fix, the
// clone of an image that already fits, or the first resize pass.
const workingBytesPerPixel = 4

// decodeCost estimates the bytes decoding and resizing cfg will hold.
func decodeCost(cfg image.Config) int64 {
	bpp, _ := bytesPerPixel(cfg.ColorModel)
	return int64(cfg.Width) * int64(cfg.Height) * (bpp + workingBytesPerPixel)
}

// checkDecodeCost refuses an image whose decode alone would exceed the
// per-image limit, with the reason spelled out for the uploader.
func (p *Pipeline) checkDecodeCost(cfg image.Config) error {
	cost := decodeCost(cfg)
	if cost <= p.opt.MaxDecodeBytes {
		return nil
	}
	depth := ""
	if _, wide := bytesPerPixel(cfg.ColorModel); wide {
		depth = " with 16 bits per channel"
	}
	return &Error{Kind: ErrTooManyPixels, Msg: fmt.Sprintf(
		"the image is %d×%d pixels%s; processing it would need about %s of memory and the limit is %s; "+
			"save it as an ordinary 8-bit JPEG or PNG, or make it smaller",
		cfg.Width, cfg.Height, depth, humanBytes(cost), humanBytes(p.opt.MaxDecodeBytes))}
}

// acquireDecode reserves cost bytes of the shared decode budget. It waits at
// most DecodeWait (or until ctx ends): an upload that cannot get memory in
// that time is told the server is busy rather than queued without bound.
func (p *Pipeline) acquireDecode(ctx context.Context, cost int64) (release func(), err error) {
	if !p.decodeMem.TryAcquire(cost) {
		wctx, cancel := context.WithTimeout(ctx, p.opt.DecodeWait)
		defer cancel()
		if err := p.decodeMem.Acquire(wctx, cost); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, &Error{Kind: ErrBusy, Err: err,
				Msg: "the server is busy processing other images; please try again in a minute"}
		}
	}
	return func() { p.decodeMem.Release(cost) }, nil
}

// DefaultDecodeWait is how long an upload waits for decode memory.
const DefaultDecodeWait = 10 * time.Second
