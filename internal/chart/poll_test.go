package chart

import (
	"strings"
	"testing"
)

func TestShares(t *testing.T) {
	for _, c := range []struct {
		counts, want []int
	}{
		{[]int{1, 1, 1}, []int{34, 33, 33}},        // 33.3 each: the first takes the leftover point
		{[]int{2, 1}, []int{67, 33}},               // 66.7 / 33.3
		{[]int{1, 2, 3, 4}, []int{10, 20, 30, 40}}, // exact
		{[]int{1, 0, 6}, []int{14, 0, 86}},         // 14.29 / 85.71
		{[]int{0, 0}, []int{0, 0}},                 // no votes yet
		{nil, []int{}},
	} {
		got := Shares(c.counts)
		if len(got) != len(c.want) {
			t.Fatalf("Shares(%v) = %v, want %v", c.counts, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("Shares(%v) = %v, want %v", c.counts, got, c.want)
				break
			}
		}
	}
}

func TestPollResults(t *testing.T) {
	bars := []PollBar{
		{Label: `Lake "Travis" <script>alert(1)</script> & Co`, Votes: 3, Percent: 75},
		{Label: strings.Repeat("Long lake name ", 6), Votes: 1, Percent: 25},
		{Label: "Nobody", Votes: 0, Percent: 0},
	}
	c := PollResults("p", "Votes per option", bars)
	svg := string(c.SVG)
	texts := wellFormed(t, svg)
	if strings.Contains(svg, "<script>") || strings.Contains(svg, " style=") {
		t.Error("unescaped markup or inline style in the SVG")
	}
	if n := strings.Count(svg, "<rect"); n != 3 {
		t.Errorf("%d bars, want 3", n)
	}
	joined := strings.Join(texts, "|")
	for _, want := range []string{"3 · 75%", "1 · 25%", "0 · 0%", "Nobody: 0 votes (0%);", "1 vote (25%)", "…"} {
		if !strings.Contains(joined, want) {
			t.Errorf("chart texts %q lack %q", joined, want)
		}
	}
	if !strings.Contains(svg, `<title id="p-t">Votes per option</title>`) || !strings.Contains(svg, `class="bar zero"`) {
		t.Error("missing title or the zero-vote bar class")
	}
	if !PollResults("x", "", nil).Empty() {
		t.Error("nothing to draw should be an empty chart")
	}
}
