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

// The downloadable calendar: the same year as /calendar/ — month grids with
// each month's agenda (dates, times, titles, lakes) — drawn with the standard
// image packages at a fixed size that prints on one landscape page. Text uses the Go fonts from x/image (basicfont if they fail to load).

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
	title := fmt.Sprintf("%s · %d calendar", c.Club, c.Year)
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

// drawMonth draws one month block: its name, a small Sunday-first grid with
// the days that have something on them filled in the kind's colour, and
// under it the month's agenda — date, time, title and lake of each entry —
// so the printout is readable without the website. There is no "today":
// a printed calendar outlives the day it was printed.
func drawMonth(img *image.RGBA, f pngFaces, m calMonth, r image.Rectangle) {
	fill(img, r, pngWhite)
	outline(img, r, pngLine, 1)
	text(img, f.month, pngInk, r.Min.X+10, r.Min.Y+26, m.Name)
	cellW := (r.Dx() - 12) / 7
	const headY, cellH = 44, 19
	for i, wd := range [7]string{"S", "M", "T", "W", "T", "F", "S"} {
		text(img, f.small, pngMuted, r.Min.X+6+i*cellW+cellW/2-4, r.Min.Y+headY, wd)
	}
	gridTop := r.Min.Y + headY + 6
	for w, week := range m.Weeks {
		for col, d := range week {
			cell := image.Rect(r.Min.X+6+col*cellW, gridTop+w*cellH, r.Min.X+6+(col+1)*cellW, gridTop+(w+1)*cellH)
			drawDay(img, f, d, cell)
		}
	}
	lines := pngAgenda(m.Items, (r.Max.Y-6-(gridTop+6*cellH+8))/pngLineH)
	y := gridTop + 6*cellH + 8
	for _, l := range lines {
		x := r.Min.X + 8
		if l.item != nil {
			drawMarker(img, f, *l.item, image.Rect(x, y+2, x+13, y+15))
		}
		text(img, f.small, pngInk, x+18, y+13, fitText(f.small, l.text, r.Max.X-8-(x+18)))
		y += pngLineH
	}
}

const pngLineH = 17 // one agenda line

// pngAgendaLine is one agenda line of a month block; item is nil for "+N more".
type pngAgendaLine struct {
	item *calItem
	text string
}

// pngAgenda is the month's entries as printed lines, at most max of them:
// "Sat 14 · 6:30 AM–2:30 PM · March Lake Bastrop", then the lake (and ramp)
// on a line of its own, so the title is not cut short for it.
func pngAgenda(items []calItem, max int) []pngAgendaLine {
	var out []pngAgendaLine
	for i := range items {
		it := &items[i]
		parts := []string{it.Date.Format("Mon 2")}
		if it.Time != "" {
			parts = append(parts, it.Time)
		}
		title := it.Title
		if it.Cancelled {
			title += " (cancelled)"
		}
		group := []pngAgendaLine{{item: it, text: strings.Join(append(parts, title), " · ")}}
		if it.Place != "" {
			group = append(group, pngAgendaLine{text: it.Place})
		}
		room := max - len(out)
		if i < len(items)-1 {
			room-- // keep a line for "+N more"
		}
		if len(group) > room {
			return append(out, pngAgendaLine{text: fmt.Sprintf("+%d more on the club website", len(items)-i)})
		}
		out = append(out, group...)
	}
	return out
}

// fitText shortens s with an ellipsis until it is at most width pixels wide.
func fitText(face font.Face, s string, width int) string {
	if font.MeasureString(face, s).Round() <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && font.MeasureString(face, string(r)+"…").Round() > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

func drawDay(img *image.RGBA, f pngFaces, d calDay, cell image.Rectangle) {
	inner := image.Rect(cell.Min.X+1, cell.Min.Y+1, cell.Max.X-1, cell.Max.Y-1)
	if d.Day == 0 {
		fill(img, inner, pngPad)
		return
	}
	fill(img, cell, pngLine)
	num := pngInk
	switch {
	case len(d.Items) == 0:
		fill(img, inner, pngWhite)
	case d.Items[0].Cancelled:
		fill(img, inner, pngWhite)
		outline(img, inner, pngKindCol[d.Items[0].Kind], 2)
	default:
		fill(img, inner, pngKindCol[d.Items[0].Kind])
		num = pngWhite
	}
	text(img, f.small, num, inner.Min.X+4, inner.Max.Y-4, strconv.Itoa(d.Day))
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
	fmt.Fprintf(h, "%d|%s|", c.Year, c.Club)
	for _, m := range c.Months {
		for _, it := range m.Items { // everything drawn: a changed time or lake is a new image
			fmt.Fprintf(h, "%s|%s|%s|%s|%s|%v;", it.Date, it.Kind, it.Title, it.Time, it.Place, it.Cancelled)
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

// calendarFile is GET /calendar/{file}: "2026.png" (the printable year) or
// "2026.ics" (that year's events as iCalendar); anything else is 404. A year
// the HTML page refuses is refused here the same way.
func (s *Server) calendarFile(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	name, ext, _ := strings.Cut(file, ".")
	year, err := strconv.Atoi(name)
	if err != nil || len(name) != 4 || !validCalendarYear(year, club.Today(s.Now()).Year()) || (ext != "png" && ext != "ics") {
		s.notFound(w, r)
		return
	}
	if ext == "ics" {
		s.writeICS(w, r, club.NewDate(year, time.January, 1), club.NewDate(year+1, time.January, 1),
			fmt.Sprintf("sabc-%d.ics", year))
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
