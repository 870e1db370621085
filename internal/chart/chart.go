// Package chart draws the site's small charts as inline SVG on the server:
// standings over time, a tournament's weight distribution and an angler's
// finishes. Builders are pure (numbers in, markup out), so pages stay
// JavaScript-free and the charts are testable without a browser.
//
// The markup carries no inline style (the site's CSP forbids it): colours come
// from classes (.c0 … .c9, .bar, .grid) styled by app.css, geometry from SVG
// attributes. Every chart has a <title> and <desc> for screen readers and the
// pages print the same numbers in a table beside it.
package chart

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"unicode/utf8"
)

// Palette is how many distinct series colours app.css defines (.c0 … .c9).
const Palette = 10

// LegendItem is one series' key, rendered by the page as HTML so it stays
// readable on a phone where the SVG is scaled down.
type LegendItem struct {
	Name  string
	Href  string
	Class string // colour class, e.g. "c3"
	Value string // the series' last value
}

// Chart is a built chart: the SVG and, for multi-series charts, its legend.
type Chart struct {
	SVG    template.HTML
	Legend []LegendItem
}

// Empty reports whether there is nothing to draw.
func (c Chart) Empty() bool { return c.SVG == "" }

// canvas is the fixed coordinate system every chart draws in; the SVG scales
// to its container through viewBox.
type canvas struct {
	w, h                     float64
	left, right, top, bottom float64
}

func (c canvas) plotW() float64 { return c.w - c.left - c.right }
func (c canvas) plotH() float64 { return c.h - c.top - c.bottom }

// svg accumulates markup; text is always escaped through esc.
type svg struct{ b strings.Builder }

func (s *svg) open(id, title, desc string, c canvas) {
	fmt.Fprintf(&s.b, `<svg class="chart" viewBox="0 0 %g %g" role="img" aria-labelledby="%s-t %s-d" `+
		`xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">`, c.w, c.h, esc(id), esc(id))
	fmt.Fprintf(&s.b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
}

func (s *svg) close() template.HTML {
	s.b.WriteString(`</svg>`)
	// The markup is built here from numbers and escaped text only.
	return template.HTML(s.b.String()) //nolint:gosec // every text node and attribute went through esc
}

func (s *svg) text(x, y float64, anchor, class, t string) {
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="%s" class="%s">%s</text>`, x, y, anchor, class, esc(t))
}

func (s *svg) line(x1, y1, x2, y2 float64, class string) {
	fmt.Fprintf(&s.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="%s"/>`, x1, y1, x2, y2, class)
}

func esc(s string) string { return html.EscapeString(s) }

// labelEvery says how often an x label fits: labels are drawn up to 22
// units tall on a phone (app.css), about 12 units per character, and must
// not run into each other when slots are narrow.
func labelEvery(slot float64, labels []string) int {
	widest := 0
	for _, l := range labels {
		widest = max(widest, utf8.RuneCountInString(l))
	}
	need := float64(widest*12 + 8)
	if slot <= 0 || need <= slot {
		return 1
	}
	return int(need/slot) + 1
}

// niceMax rounds a maximum up to a round axis top with ticks that read well:
// 1, 2, 5 × a power of ten per step, four or five steps.
func niceMax(v int) (top, step int) {
	if v <= 0 {
		return 4, 1
	}
	for p := 1; p <= 1_000_000; p *= 10 {
		for _, base := range []int{1, 2, 5} {
			step = base * p
			if step*5 >= v {
				top = (v + step - 1) / step * step
				return top, step
			}
		}
	}
	return v, v
}

// grid draws horizontal grid lines with their values on the left axis.
func (s *svg) grid(c canvas, top, step int, unit string) {
	for v := 0; v <= top; v += step {
		y := c.top + c.plotH()*(1-float64(v)/float64(top))
		s.line(c.left, y, c.w-c.right, y, "grid")
		s.text(c.left-6, y+4, "end", "axis", fmt.Sprintf("%d%s", v, unit))
	}
}
