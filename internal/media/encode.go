package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"regexp"
)

// encode writes m as JPEG at quality, or as PNG when it has transparency
// (JPEG would turn transparent areas black). Both encoders write pixels
// only, which is what strips EXIF, GPS and every other metadata block.
func encode(m *image.NRGBA, quality int) (*encodedImage, error) {
	var buf bytes.Buffer
	ext, ctype := "jpg", "image/jpeg"
	if m.Opaque() {
		// With every alpha at 255, NRGBA and RGBA bytes are identical; the
		// RGBA view hits the JPEG encoder's fast path instead of one
		// allocation per pixel through At().
		rgba := &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
		if err := jpeg.Encode(&buf, rgba, &jpeg.Options{Quality: quality}); err != nil {
			return nil, fmt.Errorf("media: encode jpeg: %w", err)
		}
	} else {
		ext, ctype = "png", "image/png"
		if err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, m); err != nil {
			return nil, fmt.Errorf("media: encode png: %w", err)
		}
	}
	data := buf.Bytes()
	b := m.Bounds()
	return &encodedImage{
		data: data,
		v: &Variant{
			Key: keyFor(data, ext), Width: b.Dx(), Height: b.Dy(),
			ContentType: ctype, Size: len(data),
		},
	}, nil
}

// keyFor names bytes by their SHA-256: identical images share one file,
// a name can never point at different content (so it may be cached
// forever), and the two-level fan-out keeps folders small.
func keyFor(data []byte, ext string) string {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	return h[0:2] + "/" + h[2:4] + "/" + h + "." + ext
}

// keyPattern matches exactly the names keyFor produces.
var keyPattern = regexp.MustCompile(`^([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})\.(jpg|png)$`)

// ValidKey reports whether key is a content-addressed media name. The web
// layer can use it to validate keys coming back from forms.
func ValidKey(key string) bool {
	m := keyPattern.FindStringSubmatch(key)
	return m != nil && m[3][0:2] == m[1] && m[3][2:4] == m[2]
}

// contentTypes maps the only extensions we ever write to their image type;
// anything else is not served, so no upload can come back as HTML or script.
var contentTypes = map[string]string{"jpg": "image/jpeg", "png": "image/png"}
