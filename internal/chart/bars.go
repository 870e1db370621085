package chart

import (
	"fmt"
	"strconv"
)

// Bin is one bar of a histogram.
type Bin struct {
	Label string
	Count int
}

// WeightBins groups net weights (hundredths of a pound, anglers who weighed
// fish) into whole-pound bins of 1, 2, 3 or 5 lb — the narrowest that needs
// at most 10 bars — and puts anglers who weighed nothing in a first "zero"
// bar when there are any. Bin [lo, hi) holds lo ≤ w < hi pounds.
func WeightBins(weights []int64, zeros int) []Bin {
	var bins []Bin
	if zeros > 0 {
		bins = append(bins, Bin{Label: "zero", Count: zeros})
	}
	if len(weights) == 0 {
		return bins
	}
	heaviest := int64(0)
	for _, w := range weights {
		heaviest = max(heaviest, w)
	}
	width := int64(5)
	for _, wd := range []int64{1, 2, 3, 5} {
		if heaviest/(wd*100)+1 <= 10 {
			width = wd
			break
		}
	}
	n := heaviest/(width*100) + 1
	counts := make([]int, n)
	for _, w := range weights {
		counts[w/(width*100)]++
	}
	for i, k := range counts {
		lo := int64(i) * width
		bins = append(bins, Bin{Label: fmt.Sprintf("%d–%d", lo, lo+width), Count: k})
	}
	return bins
}

// Histogram draws bars with their counts above them. unit names what the
// x labels measure ("lb"), noun what is counted ("anglers").
func Histogram(id, title, unit, noun string, bins []Bin) Chart {
	if len(bins) == 0 {
		return Chart{}
	}
	c := canvas{w: 640, h: 260, left: 46, right: 10, top: 24, bottom: 56}
	maxV := 0
	for _, b := range bins {
		maxV = max(maxV, b.Count)
	}
	top, step := niceMax(maxV)
	var s svg
	desc := fmt.Sprintf("How many %s fell in each range:", noun)
	for _, b := range bins {
		desc += fmt.Sprintf(" %s %s: %d;", b.Label, unit, b.Count)
	}
	s.open(id, title, desc, c)
	s.grid(c, top, step, "")
	slot := c.plotW() / float64(len(bins))
	barW := slot * 0.72
	labels := make([]string, len(bins))
	for i, b := range bins {
		labels[i] = b.Label
	}
	every := labelEvery(slot, labels)
	for i, b := range bins {
		h := c.plotH() * float64(b.Count) / float64(top)
		x := c.left + slot*float64(i) + (slot-barW)/2
		y := c.top + c.plotH() - h
		class := "bar"
		if b.Label == "zero" {
			class = "bar zero"
		}
		fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="2" class="%s"/>`, x, y, barW, h, class)
		if b.Count > 0 {
			s.text(x+barW/2, y-4, "middle", "value", strconv.Itoa(b.Count))
		}
		if i%every == 0 {
			s.text(x+barW/2, c.h-c.bottom+22, "middle", "axis", b.Label)
		}
	}
	s.text(c.left+c.plotW()/2, c.h-8, "middle", "axis-title", unit)
	return Chart{SVG: s.close()}
}

// Finish is one tournament on an angler's chart.
type Finish struct {
	Label    string // short tournament label, e.g. "Mar"
	Points   int
	Pointed  bool   // the tournament awarded this angler points
	Place    string // "1st", "DQ", "buy-in", "" …
	Unscored bool   // a tournament that awards no AoY points: an empty slot, no finish drawn
}

// Finishes draws an angler's points per tournament as bars, with the finish
// printed above each bar, oldest first. A points tournament without points
// for the angler (a guest, a DQ) shows its finish on an empty bar; one that
// awards no points leaves its slot empty, so no finish floats over a bar
// that could not be there (the page's table has the finish).
func Finishes(id, title string, fs []Finish) Chart {
	if len(fs) == 0 {
		return Chart{}
	}
	c := canvas{w: 640, h: 240, left: 50, right: 10, top: 28, bottom: 44}
	maxV := 0
	for _, f := range fs {
		maxV = max(maxV, f.Points)
	}
	top, step := niceMax(max(maxV, 100)) // points are out of 100 by default; keep the scale honest
	var s svg
	desc := "Points and finish per tournament, oldest first:"
	for _, f := range fs {
		pts := "no points"
		if f.Unscored {
			pts = "no AoY points event"
		} else if f.Pointed {
			pts = strconv.Itoa(f.Points) + " points"
		}
		desc += fmt.Sprintf(" %s: %s, %s;", f.Label, cmpStr(f.Place, "no place"), pts)
	}
	s.open(id, title, desc, c)
	s.grid(c, top, step, "")
	slot := c.plotW() / float64(len(fs))
	barW := min(slot*0.7, 48)
	labels := make([]string, len(fs))
	for i, f := range fs {
		labels[i] = f.Label
	}
	every := labelEvery(slot, labels)
	for i, f := range fs {
		h := c.plotH() * float64(f.Points) / float64(top)
		x := c.left + slot*float64(i) + (slot-barW)/2
		y := c.top + c.plotH() - h
		if f.Pointed {
			fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="2" class="bar"/>`, x, y, barW, h)
		}
		if f.Place != "" && !f.Unscored {
			s.text(x+barW/2, y-5, "middle", "value", f.Place)
		}
		if (len(fs)-1-i)%every == 0 { // always label the latest
			s.text(x+barW/2, c.h-c.bottom+22, "middle", "axis", f.Label)
		}
	}
	return Chart{SVG: s.close()}
}

func cmpStr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
