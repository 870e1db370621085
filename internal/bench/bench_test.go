package bench

import (
	"strings"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 200; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	// Nearest rank on 1..200 ms: p50 is the 100th value, p99 the 198th.
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{50, 100 * time.Millisecond}, {95, 190 * time.Millisecond}, {99, 198 * time.Millisecond}, {100, 200 * time.Millisecond}} {
		if got := Percentile(lat, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if got := Percentile([]time.Duration{7}, 99); got != 7 {
		t.Errorf("single value p99 = %v", got)
	}
	if got := Percentile(nil, 50); got != 0 {
		t.Errorf("empty p50 = %v", got)
	}
}

func TestSplice(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"empty file", "", "# Benchmarks\n\n## Site under load\n\n<!-- bench:start -->\nNEW\n<!-- bench:end -->\n"},
		{"markers", "a\n<!-- bench:start -->\nold\n<!-- bench:end -->\nb\n",
			"a\n<!-- bench:start -->\nNEW\n<!-- bench:end -->\nb\n"},
		{"heading only", "# B\n\n## Site under load\ntext\n## Other\n",
			"# B\n\n## Site under load\n\n<!-- bench:start -->\nNEW\n<!-- bench:end -->\ntext\n## Other\n"},
		{"other sections", "# B\n\n## Scoring engine and store\n\nx\n",
			"# B\n\n## Scoring engine and store\n\nx\n\n## Site under load\n\n<!-- bench:start -->\nNEW\n<!-- bench:end -->\n"},
	}
	for _, c := range cases {
		if got := Splice(c.doc, "NEW\n"); got != c.want {
			t.Errorf("%s:\ngot  %q\nwant %q", c.name, got, c.want)
		}
	}
}

func TestChecksNameMissesAndGaps(t *testing.T) {
	r := Report{Options: Options{Workers: 32}, Seasons: 10, Database: "sqlite", ColdStart: 2 * time.Second,
		PeakRSS: 100 << 20, Rows: []Row{
			{Name: "trivial endpoint", Mode: Ceiling, Requests: 1000, Elapsed: time.Second},
			{Name: "home", Mode: Cached, Requests: 600, Elapsed: time.Second, P99: 5 * time.Millisecond},
			{Name: "tournament (latest complete)", Mode: Cached, Requests: 400, Elapsed: time.Second, P99: time.Millisecond},
			{Name: "standings (current year)", Mode: Cached, Requests: 900, Elapsed: time.Second, P99: time.Millisecond},
			{Name: "tournament (latest complete)", Mode: Uncached, Requests: 10, Elapsed: time.Second, MaxQuery: 5,
				P99: 20 * time.Millisecond},
		}}
	got := map[string]string{}
	for _, c := range r.Checks() {
		got[c.Target] = c.Status
	}
	want := map[string]string{
		"cached home, tournament, standings ≥ 50 % of the trivial endpoint's req/s": NotMet, // tournament at 40 %
		"cached pages p99 < 10 ms at 32 clients":                                    Met,
		"uncached tournament page ≤ 4 queries":                                      NotMet,
		"uncached tournament page p99 < 25 ms":                                      Met,
		"weigh-in write p99 < 30 ms on SQLite":                                      NotMeasured,
		"resident memory under load < 150 MB":                                       Met,
		"cold start to ready < 1 s with 10 seasons":                                 NotMet,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%q: %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if md := r.Markdown(); !strings.Contains(md, "tournament (latest complete) 40 %") {
		t.Errorf("ratio not reported:\n%s", md)
	}
}
