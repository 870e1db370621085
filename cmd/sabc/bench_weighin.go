package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"sabc/internal/bench"
	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/ratelimit"
	"sabc/internal/web"
)

// The weigh-in scenarios of `sabc bench` (issue 12, spec 03 §11): the JSON
// API's PUT under 4 concurrent officers on a 200-angler tournament, and the
// live leaderboard's fan-out to 500 SSE subscribers.

const (
	benchField    = 200 // anglers in the benched tournament
	benchOfficers = 4
	fanoutClients = 500
)

// weighInTournament creates a scheduled tournament in the current season
// with a 200-angler field (guests are added when the demo club is smaller).
func weighInTournament(ctx context.Context, a *app, year int) (int64, []club.Person, error) {
	people, err := a.store.People(ctx, true)
	if err != nil {
		return 0, nil, err
	}
	for i := len(people); i < benchField; i++ {
		if _, err := a.store.CreatePerson(ctx, club.Person{Email: fmt.Sprintf("bench-%d@bench.invalid", i),
			FirstName: "Bench", LastName: fmt.Sprintf("Angler %03d", i), IsActive: true}); err != nil {
			return 0, nil, err
		}
	}
	if people, err = a.store.People(ctx, true); err != nil {
		return 0, nil, err
	}
	people = people[:benchField]
	tid, err := a.store.CreateTournament(ctx, club.Tournament{SeasonYear: year, Date: club.Today(time.Now()),
		Name: "Bench weigh-in", Format: club.FormatIndividual, PointsCount: true, Status: club.StatusWeighIn})
	if err != nil {
		return 0, nil, err
	}
	rows := make([]club.Result, 0, benchField)
	// The PUT scenario's officers and the live scenario weigh in the first
	// benchOfficers+1 anglers; the rest are in from the start.
	for i, p := range people[benchOfficers+1:] {
		rows = append(rows, club.Result{PersonID: p.ID, WasMember: p.Member, Fish: 1 + i%5, Gross: int64(150 + (i*137)%1500)})
	}
	return tid, people, a.store.ImportResults(ctx, 0, tid, rows, nil)
}

// benchWeighIn runs the weigh-in groups on a fresh 200-angler tournament:
// the PUT scenario and the live fan-out ("weigh-in"), then the live
// weigh-in scenario ("live"). Rows measured before an error are returned.
func benchWeighIn(ctx context.Context, a *app, base string, year int, f benchFlags) ([]bench.Row, error) {
	tid, people, err := weighInTournament(ctx, a, year)
	if err != nil {
		return nil, err
	}
	api, err := newOfficerAPI(ctx, a)
	if err != nil {
		return nil, err
	}
	defer api.stop()
	var rows []bench.Row
	if f.runs("weigh-in") {
		put, err := benchWeighInAPI(ctx, api, tid, people, f.load.Duration)
		if f.only["weigh-in"] && len(f.only) == 1 {
			f.stopProfile() // --cpuprofile with --only weigh-in profiles the PUTs only
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, put)
		fan, err := benchFanout(ctx, a, base, tid, f.load.Duration)
		if err != nil {
			return rows, err
		}
		rows = append(rows, fan)
	}
	if f.runs("live") {
		// An angler of its own, weighed in by this scenario only.
		live, err := benchLive(ctx, api, base, tid, people[benchOfficers], f.live)
		if err != nil {
			return rows, err
		}
		rows = append(rows, live)
	}
	return rows, nil
}

// officerAPI is a second web.Server over the app's dependencies with a
// limiter no officer reaches (production allows 20 writes a minute per
// officer) and an API token of the admin: the weigh-in scenarios PUT
// through it.
type officerAPI struct {
	base, token string
	client      *http.Client
	stop        func()
}

func newOfficerAPI(ctx context.Context, a *app) (*officerAPI, error) {
	deps := a.web.Deps
	lots := ratelimit.Limits{}
	for class := range ratelimit.DefaultLimits() {
		lots[class] = ratelimit.Limit{Requests: 1 << 30, Per: time.Minute}
	}
	var err error
	if deps.Limiter, err = ratelimit.NewMemory(ratelimit.MemoryConfig{Limits: lots}); err != nil {
		return nil, err
	}
	w, err := web.New(deps)
	if err != nil {
		return nil, err
	}
	token, err := adminToken(ctx, a)
	if err != nil {
		return nil, err
	}
	base, stop, err := serveOn(w.Handler())
	if err != nil {
		return nil, err
	}
	return &officerAPI{base: base, token: token, stop: stop,
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: benchOfficers}}}, nil
}

// adminToken creates an API token of the demo admin and returns it.
func adminToken(ctx context.Context, a *app) (string, error) {
	admin, err := a.store.PersonByEmail(ctx, demo.AdminEmail)
	if err != nil {
		return "", err
	}
	token := "sabc_bench_" + rand.Text()
	sum := sha256.Sum256([]byte(token))
	_, err = a.store.CreateAPIToken(ctx, admin.ID, "bench", hex.EncodeToString(sum[:]))
	return token, err
}

// putCost is what one PUT cost the database, from the development headers.
type putCost struct{ queries, writeTxs int }

// put saves one angler's weigh-in with a fresh Idempotency-Key; anything
// but 200 is an error.
func (o *officerAPI) put(ctx context.Context, tid, pid int64, body string) (putCost, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPut,
		fmt.Sprintf("%s/api/v1/tournaments/%d/results/%d", o.base, tid, pid), strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+o.token)
	req.Header.Set("Idempotency-Key", rand.Text())
	req.Header.Set("Content-Type", "application/json")
	// Asked for explicitly, so the transport hands the gzipped answer over
	// as sent instead of inflating it: a phone inflates on its own CPU, the
	// load generator would on the server's cores.
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := o.client.Do(req)
	if err != nil {
		return putCost{}, err
	}
	defer resp.Body.Close()
	var c putCost
	c.queries, _ = strconv.Atoi(resp.Header.Get("X-DB-Query-Count"))
	c.writeTxs, _ = strconv.Atoi(resp.Header.Get("X-DB-Write-Transactions"))
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return c, fmt.Errorf("PUT: %d %s", resp.StatusCode, b)
	}
	// Read to the end (the answer is part of the request's time) but keep
	// nothing: a 90 KB buffer per PUT was the load generator's garbage, and
	// its GC ran on the server's cores.
	_, err = io.Copy(io.Discard, resp.Body)
	return c, err
}

// weighInBody is a weigh-in PUT's body; i varies the weight.
func weighInBody(i, version int) string {
	return fmt.Sprintf(`{"fish": 5, "gross": "%d.%02d", "version": %d}`, 10+i%5, i%100, version)
}

// benchWeighInAPI: 4 officers (API tokens) each PUT one angler's result over
// and over — save, rescore, invalidate, answer the standings.
func benchWeighInAPI(ctx context.Context, api *officerAPI, tid int64, people []club.Person, d time.Duration) (bench.Row, error) {
	var mu sync.Mutex
	var lat []time.Duration
	var cost putCost // summed: what the PUTs cost the database, whatever the machine's load
	var failed error
	cpu0 := bench.CPUTime()
	start := time.Now()
	var wg sync.WaitGroup
	for o := range benchOfficers {
		wg.Add(1)
		go func(pid int64) {
			defer wg.Done()
			for i := 0; time.Since(start) < d; i++ {
				t0 := time.Now()
				c, err := api.put(ctx, tid, pid, weighInBody(i, i))
				el := time.Since(t0)
				mu.Lock()
				if err != nil && failed == nil {
					failed = err
				}
				lat = append(lat, el)
				cost.queries += c.queries
				cost.writeTxs += c.writeTxs
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}(people[o].ID)
	}
	wg.Wait()
	if failed != nil {
		return bench.Row{}, failed
	}
	row := bench.Row{Name: "weigh-in PUT (API)", Mode: bench.Write, Elapsed: time.Since(start),
		Path: fmt.Sprintf("PUT /api/v1/tournaments/%d/results/{id}, %d officers, %d anglers", tid, benchOfficers, benchField)}
	slices.Sort(lat)
	row.Requests = len(lat)
	n := float64(max(len(lat), 1))
	row.Queries, row.WriteTxs = float64(cost.queries)/n, float64(cost.writeTxs)/n
	row.CPU = (bench.CPUTime() - cpu0) / time.Duration(max(len(lat), 1))
	row.P50, row.P95, row.P99 = bench.Percentile(lat, 50), bench.Percentile(lat, 95), bench.Percentile(lat, 99)
	return row, nil
}

// benchFanout: 500 SSE subscribers of one tournament; each save through the
// store is timed from its commit to the moment the last subscriber has the
// event.
func benchFanout(ctx context.Context, a *app, base string, tid int64, d time.Duration) (bench.Row, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	got := make(chan time.Time, fanoutClients*4)
	ready := make(chan struct{}, fanoutClients)
	for i := range fanoutClients {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/tournaments/%d/live/events", base, tid), nil)
		// Many members' phones, as through the trusted proxy (see bench.crowd):
		// one address would meet the per-client page limit.
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.9.%d.%d", i/250, 1+i%250))
		// What the http.Client these subscribers had asked for by itself.
		req.Header.Set("Accept-Encoding", "gzip")
		status, body, err := openStream(req)
		if err != nil {
			return bench.Row{}, err
		}
		if status != http.StatusOK {
			body.Close()
			return bench.Row{}, fmt.Errorf("live fan-out: subscriber %d got %d", i+1, status)
		}
		go func() {
			defer body.Close()
			first := true
			sseDataLines(body, func() {
				if first {
					ready <- struct{}{}
					first = false
					return
				}
				got <- time.Now()
			})
		}()
	}
	for range fanoutClients {
		select {
		case <-ready:
		case <-time.After(30 * time.Second):
			return bench.Row{}, fmt.Errorf("live fan-out: subscribers did not get their first event")
		}
	}
	results, err := a.store.Results(ctx, tid)
	if err != nil || len(results) == 0 {
		return bench.Row{}, fmt.Errorf("live fan-out: no results (%v)", err)
	}
	r := results[len(results)/2]
	var lat []time.Duration
	start := time.Now()
	for i := 0; i < 20 || time.Since(start) < d; i++ {
		r.Gross += int64(1 - 2*(i%2))
		if _, err := a.store.SaveResult(ctx, 0, r); err != nil {
			return bench.Row{}, err
		}
		committed := time.Now()
		r.Version++
		var last time.Time
		for range fanoutClients {
			select {
			case at := <-got:
				last = at
			case <-time.After(10 * time.Second):
				return bench.Row{}, fmt.Errorf("live fan-out: a subscriber missed save %d", i+1)
			}
		}
		lat = append(lat, last.Sub(committed))
	}
	row := bench.Row{Name: "live fan-out (SSE)", Mode: bench.Write, Elapsed: time.Since(start),
		Path: fmt.Sprintf("%d subscribers of /tournaments/%d/live/events, commit → last event", fanoutClients, tid)}
	slices.Sort(lat)
	row.Requests = len(lat)
	row.P50, row.P95, row.P99 = bench.Percentile(lat, 50), bench.Percentile(lat, 95), bench.Percentile(lat, 99)
	return row, nil
}
