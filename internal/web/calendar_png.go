package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"sabc/internal/club"
)

// The downloadable calendar: the same year grid as /calendar/, drawn with
// the standard image packages at a fixed size that prints on one landscape
// page. Text uses the Go fonts from x/image (basicfont if they fail to load).

const (
	pngW, pngH   = 1600, 1200
	pngMargin    = 30
	pngGap       = 20
	pngTop       = 100 // below the title
	pngLegendTop = 1140
	pngCols      = 4
	pngRows      = 3
)

var (
	pngPaper   = color.RGBA{0xf7, 0xf5, 0xef, 0xff}
	pngInk     = color.RGBA{0x1d, 0x2a, 0x33, 0xff}
	pngMuted   = color.RGBA{0x5a, 0x65, 0x6e, 0xff}
	pngLine    = color.RGBA{0xd8, 0xd4, 0xc8, 0xff}
	pngWhite   = color.RGBA{0xff, 0xff, 0xff, 0xff}
	pngPad     = color.RGBA{0xef, 0xed, 0xe6, 0xff}
	pngToday   = color.RGBA{0xb8, 0x3b, 0x0a, 0xff}
	pngKindCol = map[string]color.RGBA{
		"tournament": {0x1f, 0x5f, 0x7a, 0xff},
		"meeting":    {0x6a, 0x3d, 0x9a, 0xff},
		"holiday":    {0xa9, 0x32, 0x2a, 0xff},
		"closure":    {0x3d, 0x3d, 0x3d, 0xff},
		"other":      {0x7a, 0x52, 0x00, 0xff},
	}
)

// Fonts are parsed once; faces are made per image because an opentype face
// keeps scratch buffers and must not be shared between goroutines.
var (
	fontsOnce         sync.Once
	fontReg, fontBold *opentype.Font
)

type pngFaces struct{ title, month, text, small, glyph font.Face }

func newFaces() pngFaces {
	fontsOnce.Do(func() {
		fontReg, _ = opentype.Parse(goregular.TTF)
		fontBold, _ = opentype.Parse(gobold.TTF)
	})
	face := func(f *opentype.Font, size float64) font.Face {
		if f == nil {
			return basicfont.Face7x13
		}
		fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return basicfont.Face7x13
		}
		return fc
	}
	return pngFaces{title: face(fontBold, 40), month: face(fontBold, 22), text: face(fontReg, 15),
		small: face(fontReg, 13), glyph: face(fontBold, 11)}
}

// drawCalendarPNG draws the year. Pure: same model, same bytes.
func drawCalendarPNG(c calYear) []byte {
	img := image.NewRGBA(image.Rect(0, 0, pngW, pngH))
	fill(img, img.Bounds(), pngPaper)
	f := newFaces()
	title := fmt.Sprintf("South Austin Bass Club · %d calendar", c.Year)
	text(img, f.title, pngInk, pngMargin, 62, title)
	text(img, f.small, pngMuted, pngMargin, 88, "Tournaments, meetings, holidays and club events · sabc calendar")

	blockW := (pngW - 2*pngMargin - (pngCols-1)*pngGap) / pngCols
	blockH := (pngLegendTop - pngTop - pngGap - (pngRows-1)*pngGap) / pngRows
	for i, m := range c.Months {
		x := pngMargin + (i%pngCols)*(blockW+pngGap)
		y := pngTop + (i/pngCols)*(blockH+pngGap)
		drawMonth(img, f, m, image.Rect(x, y, x+blockW, y+blockH))
	}
	drawLegend(img, f, c.Legend, pngLegendTop)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	enc.Encode(&buf, img) // writing to a bytes.Buffer cannot fail
	return buf.Bytes()
}

// drawMonth draws one month block: name, weekday initials, six week rows.
func drawMonth(img *image.RGBA, f pngFaces, m calMonth, r image.Rectangle) {
	fill(img, r, pngWhite)
	outline(img, r, pngLine, 1)
	text(img, f.month, pngInk, r.Min.X+10, r.Min.Y+28, m.Name)
	cellW := (r.Dx() - 12) / 7
	headY := r.Min.Y + 40
	for i, wd := range [7]string{"S", "M", "T", "W", "T", "F", "S"} {
		text(img, f.small, pngMuted, r.Min.X+6+i*cellW+cellW/2-4, headY+14, wd)
	}
	gridTop := headY + 22
	cellH := (r.Max.Y - 6 - gridTop) / 6
	for w, week := range m.Weeks {
		for col, d := range week {
			cell := image.Rect(r.Min.X+6+col*cellW, gridTop+w*cellH, r.Min.X+6+(col+1)*cellW, gridTop+(w+1)*cellH)
			drawDay(img, f, d, cell)
		}
	}
}

func drawDay(img *image.RGBA, f pngFaces, d calDay, cell image.Rectangle) {
	inner := image.Rect(cell.Min.X+1, cell.Min.Y+1, cell.Max.X-1, cell.Max.Y-1)
	if d.Day == 0 {
		fill(img, inner, pngPad)
		return
	}
	fill(img, cell, pngLine)
	fill(img, inner, pngWhite)
	num := pngInk
	if d.Today {
		outline(img, inner, pngToday, 3)
		num = pngToday
	}
	text(img, f.text, num, inner.Min.X+4, inner.Min.Y+16, strconv.Itoa(d.Day))
	// Up to three markers along the bottom; more than fit would be noise.
	const size, step = 15, 17
	for i, it := range d.Items {
		if i*step+size > inner.Dx()-4 {
			break
		}
		x0, y0 := inner.Min.X+3+i*step, inner.Max.Y-3-size
		drawMarker(img, f, it, image.Rect(x0, y0, x0+size, y0+size))
	}
}

// drawMarker is a filled square with the kind's letter, like the page's
// marks; a cancelled event is an outlined square with a diagonal strike.
func drawMarker(img *image.RGBA, f pngFaces, it calItem, r image.Rectangle) {
	col := pngKindCol[it.Kind]
	if it.Cancelled {
		fill(img, r, pngWhite)
		outline(img, r, col, 1)
		for i := 0; i < r.Dx(); i++ {
			img.SetRGBA(r.Min.X+i, r.Max.Y-1-i, col)
		}
		return
	}
	fill(img, r, col)
	text(img, f.glyph, pngWhite, r.Min.X+4, r.Max.Y-3, it.Glyph)
}

func drawLegend(img *image.RGBA, f pngFaces, entries []legendEntry, top int) {
	x := pngMargin
	for _, e := range entries {
		drawMarker(img, f, calItem{Kind: e.Kind, Glyph: e.Glyph}, image.Rect(x, top+12, x+18, top+30))
		x += 26
		x = text(img, f.text, pngInk, x, top+27, e.Label) + 30
	}
	outline(img, image.Rect(x, top+10, x+22, top+32), pngToday, 3)
	x = text(img, f.text, pngInk, x+30, top+27, "Today") + 30
	cancelled := calItem{Kind: "tournament", Cancelled: true}
	drawMarker(img, f, cancelled, image.Rect(x, top+12, x+18, top+30))
	text(img, f.text, pngInk, x+26, top+27, "Cancelled")
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

func outline(img *image.RGBA, r image.Rectangle, c color.RGBA, w int) {
	fill(img, image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+w), c)
	fill(img, image.Rect(r.Min.X, r.Max.Y-w, r.Max.X, r.Max.Y), c)
	fill(img, image.Rect(r.Min.X, r.Min.Y, r.Min.X+w, r.Max.Y), c)
	fill(img, image.Rect(r.Max.X-w, r.Min.Y, r.Max.X, r.Max.Y), c)
}

// text draws s with its baseline at y and returns the x where it ends.
func text(img *image.RGBA, face font.Face, c color.RGBA, x, y int, s string) int {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
	return d.Dot.X.Round()
}

// pngCache keeps the last few images by a hash of what they show, so a
// popular download is drawn once, not on every request.
var pngCache = struct {
	sync.Mutex
	keys []string
	data map[string][]byte
}{data: map[string][]byte{}}

func cachedPNG(c calYear) ([]byte, string) {
	h := sha256.New()
	fmt.Fprintf(h, "%d|%s|%v|", c.Year, c.Today, c.ShowToday)
	for _, m := range c.Months {
		for _, it := range m.Items {
			fmt.Fprintf(h, "%s|%s|%s|%v;", it.Date, it.Kind, it.Title, it.Cancelled)
		}
	}
	key := hex.EncodeToString(h.Sum(nil))[:20]
	pngCache.Lock()
	b, ok := pngCache.data[key]
	pngCache.Unlock()
	if ok {
		return b, key
	}
	b = drawCalendarPNG(c)
	pngCache.Lock()
	defer pngCache.Unlock()
	if _, ok := pngCache.data[key]; !ok {
		pngCache.keys = append(pngCache.keys, key)
		pngCache.data[key] = b
		if len(pngCache.keys) > 8 {
			delete(pngCache.data, pngCache.keys[0])
			pngCache.keys = pngCache.keys[1:]
		}
	}
	return b, key
}

// calendarFile is GET /calendar/{file}: "2026.png"; anything else is 404.
// ServeMux wildcards are whole segments, so the extension is parsed here.
func (s *Server) calendarFile(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".png")
	year, err := strconv.Atoi(name)
	if !ok || err != nil || len(name) != 4 || !validCalendarYear(year, club.Today(s.Now()).Year()) {
		s.notFound(w, r)
		return
	}
	c, err := s.loadCalendar(r, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, etag := cachedPNG(c)
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Content-Disposition", fmt.Sprintf(`inline; filename="sabc-calendar-%d.png"`, year))
	// An hour is short enough for a changed event to show up the same day.
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
}
