package chart

import (
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
)

func TestNiceMax(t *testing.T) {
	for _, c := range []struct{ in, top, step int }{
		{0, 4, 1}, {3, 3, 1}, {7, 8, 2}, {100, 100, 20}, {479, 500, 100}, {1001, 1500, 500},
	} {
		top, step := niceMax(c.in)
		if top != c.top || step != c.step {
			t.Errorf("niceMax(%d) = %d, %d; want %d, %d", c.in, top, step, c.top, c.step)
		}
		if top < c.in || top%step != 0 {
			t.Errorf("niceMax(%d) = %d, %d: top below the data or not a whole number of steps", c.in, top, step)
		}
	}
}

func TestWeightBins(t *testing.T) {
	// Heaviest 10.00 lb: 1-lb bins would need 11 bars, so 2-lb bins; the
	// bins are half-open, so exactly 2.00 lb counts in 2–4.
	got := WeightBins([]int64{150, 200, 250, 999, 1000}, 2)
	want := []Bin{{"zero", 2}, {"0–2", 1}, {"2–4", 2}, {"4–6", 0}, {"6–8", 0}, {"8–10", 1}, {"10–12", 1}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("bin %d = %v, want %v", i, got[i], want[i])
		}
	}
	if small := WeightBins([]int64{420}, 0); len(small) != 5 || small[4] != (Bin{"4–5", 1}) {
		t.Errorf("a 4.20 lb stringer alone: %v, want five 1-lb bins ending 4–5", small)
	}
	if none := WeightBins(nil, 0); len(none) != 0 {
		t.Errorf("no weights: %v", none)
	}
}

// wellFormed parses the SVG as XML: a stray quote or an unescaped name would
// break it (and could break out of the markup in a browser).
func wellFormed(t *testing.T, svg string) (texts []string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return texts
		}
		if err != nil {
			t.Fatalf("not well-formed SVG: %v\n%s", err, svg)
		}
		if cd, ok := tok.(xml.CharData); ok && strings.TrimSpace(string(cd)) != "" {
			texts = append(texts, string(cd))
		}
	}
}

func TestStandingsOverTime(t *testing.T) {
	var series []Series
	for i := 0; i < 12; i++ {
		series = append(series, Series{Name: "Angler " + string(rune('A'+i)), Href: "/anglers/1/", Values: []int{100, 199, 297}})
	}
	series[0].Name = `Bob "Hawg" <script>alert(1)</script> & Sons`
	c := StandingsOverTime("aoy", []string{"Jan", "Feb", "Mar"}, series)
	svg := string(c.SVG)
	wellFormed(t, svg)
	if strings.Contains(svg, "<script>") || strings.Contains(svg, " style=") {
		t.Error("unescaped markup or inline style in the SVG")
	}
	if n := strings.Count(svg, "<polyline"); n != Palette {
		t.Errorf("%d lines, want the top %d", n, Palette)
	}
	if len(c.Legend) != Palette || c.Legend[0].Name != series[0].Name || c.Legend[9].Class != "c9" || c.Legend[0].Value != "297" {
		t.Errorf("legend %+v", c.Legend)
	}
	for _, want := range []string{`role="img"`, `<title id="aoy-t">`, `aria-labelledby="aoy-t aoy-d"`, ">Jan<", ">Mar<", ">300<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	// The top 5 are named at the end of their lines — apart, although all
	// twelve finished level — and the rest are "minor" (hidden on a phone).
	ends := regexp.MustCompile(`<text x="[0-9.]+" y="([0-9.]+)" text-anchor="start" class="end">([^<]*)</text>`).FindAllStringSubmatch(svg, -1)
	if len(ends) != Labelled || ends[1][2] != "A. B" {
		t.Fatalf("end labels %q, want the top %d by short name", ends, Labelled)
	}
	ys := map[string]bool{}
	for _, e := range ends {
		ys[e[1]] = true
	}
	if len(ys) != Labelled {
		t.Errorf("end labels print on top of each other: %q", ends)
	}
	if n := strings.Count(svg, `minor"`); n != Palette-Labelled {
		t.Errorf("%d minor series, want %d", n, Palette-Labelled)
	}
	if !StandingsOverTime("x", nil, series).Empty() || !StandingsOverTime("x", []string{"Jan"}, nil).Empty() {
		t.Error("nothing to draw should be an empty chart")
	}
}

func TestHistogramAndFinishes(t *testing.T) {
	h := Histogram("w", "Weight distribution", "lb", "anglers", []Bin{{"zero", 2}, {"0–2", 5}, {"2–4", 0}})
	texts := wellFormed(t, string(h.SVG))
	if n := strings.Count(string(h.SVG), "<rect"); n != 3 {
		t.Errorf("%d bars, want 3", n)
	}
	joined := strings.Join(texts, "|")
	for _, want := range []string{"|5|", "zero", "0–2", "zero lb: 2"} {
		if !strings.Contains(joined, want) {
			t.Errorf("histogram texts %q lack %q", joined, want)
		}
	}
	f := Finishes("f", "Finishes", []Finish{{"Jan", 100, true, "1st", false}, {"Feb", 0, false, "DQ", false}, {"Mar", 96, true, "5th", false}})
	fs := string(f.SVG)
	wellFormed(t, fs)
	if n := strings.Count(fs, `class="bar"`); n != 2 {
		t.Errorf("%d point bars, want 2 (the DQ has no points)", n)
	}
	for _, want := range []string{">1st<", ">DQ<", "Feb: DQ, no points;"} {
		if !strings.Contains(fs, want) {
			t.Errorf("finishes SVG lacks %q", want)
		}
	}
	// A tournament that awards no points: no bar and no finish over the empty slot.
	u := string(Finishes("u", "Finishes", []Finish{{"Jan", 100, true, "1st", false}, {"Dec", 0, false, "15th", true}}).SVG)
	if strings.Contains(u, ">15th<") || !strings.Contains(u, "Dec: 15th, no AoY points event;") {
		t.Errorf("a non-points event's finish is drawn over its empty slot: %s", u)
	}
	if !Histogram("x", "", "", "", nil).Empty() || !Finishes("x", "", nil).Empty() {
		t.Error("nothing to draw should be an empty chart")
	}
}

func TestLabelEvery(t *testing.T) {
	labels := []string{"Mar ’24", "Apr ’24"} // 7 characters: ~92 units wide on a phone
	for _, c := range []struct {
		slot float64
		want int
	}{{200, 1}, {92, 1}, {48, 2}, {30, 4}} {
		if got := labelEvery(c.slot, labels); got != c.want {
			t.Errorf("labelEvery(%g) = %d, want %d", c.slot, got, c.want)
		}
	}
}
