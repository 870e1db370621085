package main

// The page and store-write scenarios of `sabc bench`: the demo fixture they
// read, the page rows (cached, uncached, beside the hello world and the
// trivial endpoint), and the store's weigh-in write.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"time"

	"sabc/internal/bench"
	"sabc/internal/cache"
	"sabc/internal/club"
	"sabc/internal/demo"
)

func benchFixture(ctx context.Context, a *app) (bench.Fixture, error) {
	p, err := a.store.Podiums(ctx, 1, 0)
	if err != nil {
		return bench.Fixture{}, err
	}
	if len(p) == 0 || len(p[0].Top) == 0 {
		return bench.Fixture{}, errors.New("the demo club has no complete tournament with results")
	}
	t := p[0].Tournament
	return bench.Fixture{TournamentID: t.ID, AnglerID: p[0].Top[0].Anglers[0].PersonID, LakeID: t.LakeID,
		Year: club.Today(time.Now()).Year()}, nil
}

func benchNamespaces(fx bench.Fixture) []string {
	ns := cache.ResultWrite(fx.Year, fx.TournamentID, fx.LakeID, fx.AnglerID)
	ns = append(ns, cache.TournamentWrite(fx.Year, fx.TournamentID, fx.LakeID)...)
	ns = append(ns, cache.SeasonRulesWrite(fx.Year)...)
	return append(ns, cache.NSPeople, cache.NSLakes)
}

// runPageScenarios: the bare hello world, the site's trivial endpoint and
// every page cached (after one warming GET; skipped when base is "", the
// page cache being off) take turns (bench.Rounds), so the ratios between
// them hold on a machine whose background load drifts; then every page
// uncached, one after another.
func runPageScenarios(ctx context.Context, out io.Writer, hello, base, uncached string, fx bench.Fixture,
	o bench.Options) []bench.Row {
	// probe warms a page (a cached one into the cache) and says why a
	// scenario cannot run ("" when it can).
	probe := func(url, path string) string {
		code, err := bench.Probe(ctx, url, path)
		switch {
		case err != nil:
			return err.Error()
		case code == http.StatusNotFound:
			return fmt.Sprintf("answers %d (route not built yet)", code)
		case code != http.StatusOK:
			return fmt.Sprintf("answers %d", code)
		}
		return ""
	}
	targets := []bench.Target{{Name: bench.HelloName, Mode: bench.Baseline, Base: hello, Path: bench.HelloPath},
		{Name: bench.TrivialName, Mode: bench.Ceiling, Base: uncached, Path: bench.CeilingPath}}
	for _, p := range bench.Pages {
		if base != "" {
			targets = append(targets, bench.Target{Name: p.Name, Mode: bench.Cached, Base: base, Path: p.Path(fx)})
		}
	}
	skipped := map[int]string{}
	var run []bench.Target
	for i, t := range targets {
		if why := probe(t.Base, t.Path); why != "" {
			skipped[i] = why
			continue
		}
		run = append(run, t)
	}
	measured := bench.Rounds(run, o, pageRounds(o))
	byKey := map[string]bench.Row{}
	for _, r := range measured {
		byKey[string(r.Mode)+" "+r.Name] = r
	}
	rowOf := func(i int, t bench.Target) bench.Row {
		if why, ok := skipped[i]; ok {
			return bench.Row{Name: t.Name, Mode: t.Mode, Path: t.Path, Skipped: why}
		}
		return byKey[string(t.Mode)+" "+t.Name]
	}
	var rows []bench.Row
	add := func(r bench.Row) { printRow(out, r); rows = append(rows, r) }
	add(rowOf(0, targets[0]))
	add(rowOf(1, targets[1]))
	next := 2
	for _, p := range bench.Pages {
		if base != "" {
			add(rowOf(next, targets[next]))
			next++
		}
		path := p.Path(fx)
		if why := probe(uncached, path); why != "" {
			add(bench.Row{Name: p.Name, Mode: bench.Uncached, Path: path, Skipped: why})
			continue
		}
		runtime.GC() // the previous scenario's garbage is not this one's
		add(bench.Attack(p.Name, bench.Uncached, uncached, path, o))
	}
	return rows
}

// pageRounds: turns of about a second each (five for the default 5 s), so
// each turn still runs long enough to reach a steady rate.
func pageRounds(o bench.Options) int {
	return max(1, min(5, int(o.Duration/time.Second)))
}

// benchWrites edits one result of the latest tournament through the store
// path of the officer's weigh-in screen: SaveResult → rescore → commit →
// OnWrite bumps the page cache. The weight goes up and down by 0.01 lb so
// the data stays as seeded. The latest tournament is complete, so each edit
// is an officer correction with its reason, as the store requires.
func benchWrites(ctx context.Context, a *app, fx bench.Fixture, d time.Duration) (bench.Row, error) {
	admin, err := a.store.PersonByEmail(ctx, demo.AdminEmail)
	if err != nil {
		return bench.Row{}, err
	}
	results, err := a.store.Results(ctx, fx.TournamentID)
	if err != nil {
		return bench.Row{}, err
	}
	var r club.Result
	for _, x := range results[len(results)/2:] {
		if !x.Locked && x.Gross > 0 {
			r = x
			break
		}
	}
	if r.ID == 0 {
		return bench.Row{}, errors.New("no editable result in the latest tournament")
	}
	r.Correction = "bench: weight re-checked"
	path := fmt.Sprintf("store.SaveResult (result %d)", r.ID)
	runtime.GC()
	return bench.Repeat("weigh-in write", path, d, 20, func(i int) error {
		r.Gross += int64(1 - 2*(i%2))
		if _, err := a.store.SaveResult(ctx, admin.ID, r); err != nil {
			return err
		}
		r.Version++
		return nil
	})
}
