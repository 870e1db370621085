package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Report is one `sabc bench` run.
type Report struct {
	When      time.Time
	Setup     string // database, L2, data size, machine
	Options   Options
	Seasons   int
	Database  string // "sqlite" or "postgres"
	ColdStart time.Duration
	PeakRSS   int64 // highest VmHWM of the whole run under load, bytes

	// Peak resident set per scenario group (0: not run, or the peak could
	// not be reset before it). The load generator runs in this process, so
	// each includes its clients: 32 vegeta workers for the pages, the
	// officers' PUTs and the SSE subscribers for the weigh-in groups.
	PeakPages, PeakWrites int64
	Rows                  []Row
	Notes                 []string // e.g. "the machine was shared with a test run"
}

// Status of a target.
const (
	Met         = "met"
	NotMet      = "NOT met"
	NotMeasured = "not measured"
)

// Check is one target of spec 03 §11 against this run.
type Check struct {
	Target   string
	Measured string
	Status   string
}

func (r Report) row(name string, mode Mode) (Row, bool) {
	for _, x := range r.Rows {
		if x.Name == name && x.Mode == mode && x.Skipped == "" && x.Requests > 0 {
			return x, true
		}
	}
	return Row{}, false
}

func status(ok bool) string {
	if ok {
		return Met
	}
	return NotMet
}

// Checks compares the run with the targets of spec 03 §11 (the scoring
// engine targets are benchmarked separately, in internal/scoring).
func (r Report) Checks() []Check {
	var out []Check
	ceil, haveCeil := r.row(TrivialName, Ceiling)
	clients := fmt.Sprintf("%d clients", r.Options.Workers)
	var ratios, p99s []string
	ratioOK, p99OK, n := true, true, 0
	for _, p := range Pages {
		if !p.Headline {
			continue
		}
		row, ok := r.row(p.Name, Cached)
		if !ok {
			ratioOK, p99OK = false, false
			ratios = append(ratios, p.Name+": not run")
			continue
		}
		n++
		if haveCeil && ceil.RPS() > 0 {
			ratio := row.RPS() / ceil.RPS()
			ratioOK = ratioOK && ratio >= 0.5
			ratios = append(ratios, fmt.Sprintf("%s %.0f %%", p.Name, 100*ratio))
		}
		p99OK = p99OK && row.P99 < 10*time.Millisecond
		p99s = append(p99s, p.Name+" "+ms(row.P99))
	}
	if haveCeil && n > 0 {
		out = append(out, Check{"cached home, tournament, standings ≥ 50 % of the trivial endpoint's req/s",
			strings.Join(ratios, "; "), status(ratioOK)})
	} else {
		out = append(out, Check{"cached pages ≥ 50 % of the trivial endpoint's req/s", "", NotMeasured})
	}
	out = append(out, r.chainChecks(ceil, haveCeil)...)
	if n > 0 {
		out = append(out, Check{"cached pages p99 < 10 ms at 32 clients", strings.Join(p99s, "; ") + " (" + clients + ")",
			status(p99OK && r.Options.Workers >= 32)})
	}
	if row, ok := r.row("tournament (latest complete)", Uncached); ok {
		out = append(out,
			Check{"uncached tournament page ≤ 4 queries", fmt.Sprintf("%d (max), %.1f (mean)", row.MaxQuery, row.Queries),
				status(row.MaxQuery <= 4)},
			Check{"uncached tournament page p99 < 25 ms", ms(row.P99) + " (" + clients + ")", status(row.P99 < 25*time.Millisecond)})
	} else {
		out = append(out, Check{"uncached tournament page ≤ 4 queries, p99 < 25 ms", "", NotMeasured})
	}
	if row, ok := r.row("weigh-in write", Write); ok {
		c := Check{"weigh-in write (save, rescore, invalidate) p99 < 30 ms on SQLite", ms(row.P99), status(row.P99 < 30*time.Millisecond)}
		if r.Database != "sqlite" {
			c.Measured += " on " + r.Database + " (the target is for SQLite)"
		}
		out = append(out, c)
	} else {
		out = append(out, Check{"weigh-in write p99 < 30 ms on SQLite", "", NotMeasured})
	}
	if row, ok := r.row("weigh-in PUT (API)", Write); ok {
		c := Check{"weigh-in PUT through HTTP (4 officers, 200 anglers) p99 < 30 ms on SQLite", ms(row.P99),
			status(row.P99 < 30*time.Millisecond)}
		if r.Database != "sqlite" {
			c.Measured += " on " + r.Database + " (the target is for SQLite)"
		}
		out = append(out, c)
	} else {
		out = append(out, Check{"weigh-in PUT through HTTP p99 < 30 ms on SQLite", "", NotMeasured})
	}
	if row, ok := r.row("live fan-out (SSE)", Write); ok {
		out = append(out, Check{"live fan-out: commit → last of 500 SSE subscribers p99 < 250 ms", ms(row.P99),
			status(row.P99 < 250*time.Millisecond)})
	} else {
		out = append(out, Check{"live fan-out to 500 SSE subscribers p99 < 250 ms", "", NotMeasured})
	}
	out = append(out,
		Check{"resident memory under load < 150 MB", r.peakText(), status(r.PeakRSS > 0 && r.PeakRSS < 150<<20)},
		Check{"cold start to ready < 1 s with 10 seasons", fmt.Sprintf("%s with %d seasons", ms(r.ColdStart), r.Seasons),
			status(r.ColdStart < time.Second && r.Seasons >= 10)})
	return out
}

// chainChecks are issue 16's targets for the middleware chain: the trivial
// endpoint against a bare net/http hello world of the same run, and every
// cached page against the trivial endpoint.
func (r Report) chainChecks(ceil Row, haveCeil bool) []Check {
	var out []Check
	const helloTarget = "trivial endpoint ≥ 50 % of a bare net/http hello world's req/s (same run)"
	if hello, ok := r.row(HelloName, Baseline); ok && haveCeil && hello.RPS() > 0 {
		ratio := ceil.RPS() / hello.RPS()
		out = append(out, Check{helloTarget, fmt.Sprintf("%.0f vs %.0f req/s: %.0f %%", ceil.RPS(), hello.RPS(), 100*ratio),
			status(ratio >= 0.5)})
	} else {
		out = append(out, Check{helloTarget, "", NotMeasured})
	}
	const pageTarget = "every cached page ≥ 80 % of the trivial endpoint's req/s"
	var ratios []string
	ok, lowest, lowestName := true, 0.0, ""
	for _, p := range Pages {
		row, ran := r.row(p.Name, Cached)
		if !ran || !haveCeil || ceil.RPS() <= 0 {
			ok = false
			ratios = append(ratios, p.Name+": not run")
			continue
		}
		ratio := row.RPS() / ceil.RPS()
		ok = ok && ratio >= 0.8
		if lowestName == "" || ratio < lowest {
			lowest, lowestName = ratio, p.Name
		}
		ratios = append(ratios, fmt.Sprintf("%s %.0f %%", p.Name, 100*ratio))
	}
	switch {
	case lowestName == "":
		out = append(out, Check{pageTarget, "", NotMeasured})
	default:
		out = append(out, Check{pageTarget, strings.Join(ratios, "; ") + fmt.Sprintf(" (lowest: %s)", lowestName),
			status(ok)})
	}
	return out
}

// peakText says which peak is which: every figure is the whole process,
// server and in-process load generator together, so an upper bound for the
// server alone.
func (r Report) peakText() string {
	var parts []string
	if r.PeakPages > 0 {
		parts = append(parts, "page scenarios "+mib(r.PeakPages))
	}
	if r.PeakWrites > 0 {
		parts = append(parts, "write, weigh-in and live scenarios "+mib(r.PeakWrites))
	}
	text := mib(r.PeakRSS) + " peak"
	if len(parts) > 0 {
		text += " (" + strings.Join(parts, "; ") + ")"
	}
	return text + ", whole process: server and the in-process load generator"
}

// costText is a write row's per-request cost and note.
func (x Row) costText() string {
	var parts []string
	if x.WriteTxs > 0 {
		parts = append(parts, fmt.Sprintf("%.2f writer transactions", x.WriteTxs))
	}
	if x.CPU > 0 {
		parts = append(parts, fmt.Sprintf("%s CPU (whole process: server and load generator)", ms(x.CPU)))
	}
	text := ""
	if len(parts) > 0 {
		text = strings.Join(parts, " and ") + " per request. "
	}
	if x.Limited > 0 {
		text += fmt.Sprintf("%d answers were 429 (rate limited; not counted as errors). ", x.Limited)
	}
	return strings.TrimSpace(text + x.Note)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
func mib(b int64) string        { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

// Markdown renders the generated part of the "Site under load" section.
func (r Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "_Generated by `sabc bench` on %s — rerun it to refresh; text between the bench markers is replaced._\n\n",
		r.When.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "Setup: %s. Load: %d concurrent clients, %s per scenario, %s.\n\n", r.Setup, r.Options.Workers,
		r.Options.Duration, rateText(r.Options.Rate))
	b.WriteString("| Scenario | Mode | Path | req/s | p50 | p95 | p99 | queries/req | bytes/req | allocs/req | KiB alloc/req | RSS after | errors |\n")
	b.WriteString("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, x := range r.Rows {
		if x.Skipped != "" {
			fmt.Fprintf(&b, "| %s | %s | `%s` | skipped: %s |  |  |  |  |  |  |  |  |  |\n", x.Name, x.Mode, x.Path, x.Skipped)
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | `%s` | %.0f | %s | %s | %s | %.2f | %.0f | %.0f | %.1f | %s | %d |\n",
			x.Name, x.Mode, x.Path, x.RPS(), ms(x.P50), ms(x.P95), ms(x.P99), x.Queries, x.Bytes, x.Allocs, x.AllocKB,
			mib(x.RSS), x.Errors)
	}
	for _, x := range r.Rows {
		if x.CPU > 0 || x.WriteTxs > 0 || x.Note != "" {
			fmt.Fprintf(&b, "\n- %s: %s", x.Name, x.costText())
		}
	}
	fmt.Fprintf(&b, "\n\nCold start to ready: **%s** (app construction — open and migrate the database, cache, "+
		"templates — until the first 200 from `/health/readiness/`, %d seasons of data). Peak resident memory under load: **%s**.\n",
		ms(r.ColdStart), r.Seasons, r.peakText())
	b.WriteString("\nTargets of spec 03 §11:\n\n| Target | Measured | Status |\n|---|---|---|\n")
	for _, c := range r.Checks() {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", c.Target, c.Measured, c.Status)
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.Notes {
			b.WriteString("- " + n + "\n")
		}
	}
	return b.String()
}

func rateText(rate int) string {
	if rate <= 0 {
		return "closed loop (each client sends its next request when the previous answer arrives)"
	}
	return fmt.Sprintf("paced at %d req/s", rate)
}

// Markers delimit the generated text in docs/benchmarks.md.
const (
	StartMarker = "<!-- bench:start -->"
	EndMarker   = "<!-- bench:end -->"
	Heading     = "## Site under load"
)

// Splice puts generated between the markers of doc, leaving every other
// byte alone (the file has other authors). Without markers it adds them
// under the "Site under load" heading, and the heading at the end when
// that is missing too.
func Splice(doc, generated string) string {
	block := StartMarker + "\n" + strings.TrimRight(generated, "\n") + "\n" + EndMarker
	if i := strings.Index(doc, StartMarker); i >= 0 {
		if j := strings.Index(doc[i:], EndMarker); j >= 0 {
			return doc[:i] + block + doc[i+j+len(EndMarker):]
		}
	}
	if i := strings.Index(doc, Heading+"\n"); i >= 0 {
		at := i + len(Heading) + 1
		return doc[:at] + "\n" + block + "\n" + doc[at:]
	}
	if doc == "" {
		doc = "# Benchmarks\n"
	}
	return strings.TrimRight(doc, "\n") + "\n\n" + Heading + "\n\n" + block + "\n"
}

// WriteFile splices generated into the file at path, creating it (and its
// folder) when missing. The file is re-read right before writing so edits
// made by others while the bench ran are kept.
func WriteFile(path, generated string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(Splice(string(old), generated)), 0o644)
}
