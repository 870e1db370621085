package chart

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// PollBar is one option of a poll's results.
type PollBar struct {
	Label   string
	Votes   int
	Percent int // share of all votes, from Shares
}

// Shares turns vote counts into whole percentages that add up to exactly
// 100 (largest remainder: each count gets its floor, then the counts with
// the largest remainders get one more point each, earlier options first on
// equal remainders). With no votes at all every share is 0. The page's
// table and its chart both print these, so the two never disagree.
func Shares(counts []int) []int {
	total := 0
	for _, c := range counts {
		total += c
	}
	out := make([]int, len(counts))
	if total == 0 {
		return out
	}
	left := 100
	rem := make([]int, len(counts))
	for i, c := range counts {
		out[i] = c * 100 / total
		rem[i] = c * 100 % total
		left -= out[i]
	}
	for ; left > 0; left-- {
		best := -1
		for i := range rem {
			if rem[i] > 0 && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		out[best]++
		rem[best] = 0
	}
	return out
}

// pollLabelMax is how many characters of an option label fit on one line of
// the chart at phone size (about 12 units per character on 640 units); the
// table beside the chart always carries the full label.
const pollLabelMax = 48

// PollResults draws a horizontal bar chart: one row per option with its
// label above the bar and "votes · percent" after it. Bars are scaled to the
// largest count so close races stay visible. Labels sit on their own line
// rather than left of the bars so long lake and ramp names need no room that
// a phone does not have.
func PollResults(id, title string, bars []PollBar) Chart {
	if len(bars) == 0 {
		return Chart{}
	}
	const rowH, barH, valueW = 62.0, 24.0, 130.0
	c := canvas{w: 640, h: 8 + rowH*float64(len(bars)), left: 4, right: 4, top: 8}
	maxV := 0
	for _, b := range bars {
		maxV = max(maxV, b.Votes)
	}
	var s svg
	desc := "Votes per option:"
	for _, b := range bars {
		desc += fmt.Sprintf(" %s: %s (%d%%);", b.Label, plural(b.Votes, "vote"), b.Percent)
	}
	s.open(id, title, desc, c)
	span := c.plotW() - valueW
	for i, b := range bars {
		y := c.top + rowH*float64(i)
		s.text(c.left, y+20, "start", "axis", clip(b.Label, pollLabelMax))
		w := 0.0
		if maxV > 0 {
			w = span * float64(b.Votes) / float64(maxV)
		}
		class := "bar"
		if b.Votes == 0 {
			class = "bar zero"
			w = 2 // a sliver, so an option without votes still shows where its bar starts
		}
		fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="2" class="%s"/>`,
			c.left, y+28, w, barH, class)
		s.text(c.left+w+8, y+28+barH-5, "start", "value", strconv.Itoa(b.Votes)+" · "+strconv.Itoa(b.Percent)+"%")
	}
	return Chart{SVG: s.close()}
}

// clip shortens s to at most n characters, ending in an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
