package chart

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Series is one line of a line chart: a value per x label.
type Series struct {
	Name   string
	Href   string // where the legend links, e.g. the angler's profile
	Values []int
}

// StandingsOverTime draws cumulative AoY points per counted tournament, one
// line per angler (spec 01 §3.8: the top 10). labels name the x positions
// (the tournaments, in date order); a series shorter than labels simply ends
// early. At most Palette series are drawn so every line has its own colour.
// The first Labelled series carry their name at the end of their line, so a
// reader need not match colours against the legend; the others are "minor",
// which app.css hides on a phone, where ten lines are a tangle.
func StandingsOverTime(id string, labels []string, series []Series) Chart {
	if len(labels) == 0 || len(series) == 0 {
		return Chart{}
	}
	series = series[:min(len(series), Palette)]
	c := canvas{w: 640, h: 320, left: 50, right: 160, top: 14, bottom: 44}
	maxV := 0
	for _, se := range series {
		for _, v := range se.Values {
			maxV = max(maxV, v)
		}
	}
	top, step := niceMax(maxV)
	x := func(i int) float64 {
		if len(labels) == 1 {
			return c.left + c.plotW()/2
		}
		return c.left + c.plotW()*float64(i)/float64(len(labels)-1)
	}
	y := func(v int) float64 { return c.top + c.plotH()*(1-float64(v)/float64(top)) }

	var s svg
	s.open(id, "Standings over time", fmt.Sprintf("Cumulative Angler of the Year points of the top %d anglers "+
		"after each of %d tournaments.", len(series), len(labels)), c)
	s.grid(c, top, step, "")
	every := labelEvery(c.plotW()/float64(max(1, len(labels)-1)), labels)
	for i, l := range labels {
		if (len(labels)-1-i)%every == 0 { // always label the latest
			s.text(x(i), c.h-c.bottom+22, "middle", "axis", l)
		}
	}
	var legend []LegendItem
	// Draw the leader last so its line sits on top.
	for k := len(series) - 1; k >= 0; k-- {
		se := series[k]
		class := "c" + strconv.Itoa(k)
		pts := make([]string, len(se.Values))
		for i, v := range se.Values {
			pts[i] = fmt.Sprintf("%.1f,%.1f", x(i), y(v))
		}
		if k >= Labelled {
			class += " minor"
		}
		fmt.Fprintf(&s.b, `<g class="series %s"><polyline points="%s" class="line"/>`, class, strings.Join(pts, " "))
		if n := len(se.Values); n > 0 {
			fmt.Fprintf(&s.b, `<circle cx="%.1f" cy="%.1f" r="3.5" class="dot"/>`, x(n-1), y(se.Values[n-1]))
		}
		s.b.WriteString(`</g>`)
	}
	for _, l := range endLabels(series, x, y, c) {
		fmt.Fprintf(&s.b, `<g class="series c%d">`, l.k)
		s.text(l.x, l.y+5, "start", "end", l.text)
		s.b.WriteString(`</g>`)
	}
	for k, se := range series {
		last := ""
		if n := len(se.Values); n > 0 {
			last = strconv.Itoa(se.Values[n-1])
		}
		legend = append(legend, LegendItem{Name: se.Name, Href: se.Href, Class: "c" + strconv.Itoa(k), Value: last})
	}
	return Chart{SVG: s.close(), Legend: legend}
}

// Labelled is how many series get an end-of-line name.
const Labelled = 5

// endLabelGap keeps end labels apart: they are drawn up to 21 units tall
// on a phone (app.css).
const endLabelGap = 22

type endLabel struct {
	k    int // series index (colour)
	x, y float64
	text string
}

// endLabels places the first Labelled series' names just right of their
// last points, nudged apart vertically (in value order) so close finishes
// do not print on top of each other, and kept inside the plot.
func endLabels(series []Series, x func(int) float64, y func(int) float64, c canvas) []endLabel {
	var ls []endLabel
	for k, se := range series[:min(len(series), Labelled)] {
		if n := len(se.Values); n > 0 {
			ls = append(ls, endLabel{k: k, x: x(n-1) + 8, y: y(se.Values[n-1]), text: shortName(se.Name)})
		}
	}
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].y < ls[j].y })
	for i := 1; i < len(ls); i++ {
		ls[i].y = max(ls[i].y, ls[i-1].y+endLabelGap)
	}
	if n := len(ls); n > 0 && ls[n-1].y > c.top+c.plotH() { // pushed below the plot: shift the stack up
		over := ls[n-1].y - (c.top + c.plotH())
		for i := range ls {
			ls[i].y -= over
		}
	}
	return ls
}

// shortName is "J. Castillo" for "John Castillo", at most 12 characters,
// so it fits the space right of the plot.
func shortName(name string) string {
	parts := strings.Fields(name)
	if len(parts) > 1 {
		first, _ := utf8.DecodeRuneInString(parts[0])
		name = string(first) + ". " + strings.Join(parts[1:], " ")
	}
	if r := []rune(name); len(r) > 12 {
		name = string(r[:11]) + "…"
	}
	return name
}
