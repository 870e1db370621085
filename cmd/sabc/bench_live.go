package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"sabc/internal/bench"
	"sabc/internal/club"
)

// liveOptions shape the live weigh-in scenario (issue 16): an officer saves
// a result every SaveEvery through the weigh-in API while Clients phones
// reload the tournament page (each about every ReloadEvery) and Clients
// more hold its live stream, for Duration.
type liveOptions struct {
	Duration, SaveEvery, ReloadEvery time.Duration
	Clients                          int
}

// benchLive runs the live weigh-in scenario against the real app at base,
// with its production rate limits: every phone has its own address (as
// through the trusted proxy), and 429 answers are counted apart. The row is
// the tournament page's latency as the reloading phones saw it.
func benchLive(ctx context.Context, api *officerAPI, base string, tid int64, officer club.Person, o liveOptions) (bench.Row, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	client := &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 2 * o.Clients, DisableCompression: true}}
	defer client.CloseIdleConnections()
	var events, streamFailures atomic.Int64
	var streams sync.WaitGroup
	for i := range o.Clients {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/tournaments/%d/live/events", base, tid), nil)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.11.%d.%d", i/250, 1+i%250))
		status, body, err := openStream(req)
		if err != nil || status != http.StatusOK {
			streamFailures.Add(1)
			if err == nil {
				body.Close()
			}
			continue
		}
		streams.Add(1)
		go func() {
			defer streams.Done()
			defer body.Close()
			first := true // the document as it was when the stream opened
			sseDataLines(body, func() {
				if !first {
					events.Add(1)
				}
				first = false
			})
		}()
	}

	var mu sync.Mutex
	var lat []time.Duration
	var limited, failed int
	start := time.Now()
	var reloads sync.WaitGroup
	for i := range o.Clients {
		reloads.Add(1)
		go func() {
			defer reloads.Done()
			addr := fmt.Sprintf("10.12.%d.%d", i/250, 1+i%250)
			// Phones do not reload in step: each starts and waits at random.
			next := time.Duration(rand.Int64N(int64(o.ReloadEvery)))
			for {
				select {
				case <-ctx.Done():
					return
				case <-time.After(next):
				}
				if time.Since(start) >= o.Duration {
					return
				}
				next = o.ReloadEvery/2 + time.Duration(rand.Int64N(int64(o.ReloadEvery)))
				status, el := reload(ctx, client, fmt.Sprintf("%s/tournaments/%d/", base, tid), addr)
				mu.Lock()
				switch status {
				case http.StatusOK:
					lat = append(lat, el)
				case http.StatusTooManyRequests:
					limited++
				default:
					failed++
				}
				mu.Unlock()
			}
		}()
	}
	// A save starts every SaveEvery (a slow one delays only the next).
	tick := time.NewTicker(o.SaveEvery)
	defer tick.Stop()
	saves, saveErr := 0, error(nil)
	for version := 0; time.Since(start) < o.Duration; version++ {
		if _, err := api.put(ctx, tid, officer.ID, weighInBody(version, version)); err != nil {
			saveErr = err
			break
		}
		saves++
		<-tick.C
	}
	reloads.Wait()
	elapsed := time.Since(start)
	cancel()
	streams.Wait()
	if saveErr != nil {
		return bench.Row{}, fmt.Errorf("live weigh-in save %d: %w", saves+1, saveErr)
	}
	row := bench.Row{Name: "live weigh-in: tournament page", Mode: bench.Write, Elapsed: elapsed,
		Path: fmt.Sprintf("/tournaments/%d/ reloaded by %d phones (~every %s) while %d hold /live/events and a result is saved every %s",
			tid, o.Clients, o.ReloadEvery, o.Clients, o.SaveEvery),
		Errors: failed + int(streamFailures.Load()), Limited: limited}
	slices.Sort(lat)
	row.Requests = len(lat)
	row.P50, row.P95, row.P99 = bench.Percentile(lat, 50), bench.Percentile(lat, 95), bench.Percentile(lat, 99)
	row.Note = fmt.Sprintf("%d saves; %d of %d live streams connected, %d events delivered (%d expected: one per save per stream).",
		saves, o.Clients-int(streamFailures.Load()), o.Clients, events.Load(), saves*(o.Clients-int(streamFailures.Load())))
	return row, nil
}

// reload GETs the page as one phone and returns the status and latency
// (status 0: the request failed).
func reload(ctx context.Context, client *http.Client, url, addr string) (int, time.Duration) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("X-Forwarded-For", addr)
	req.Header.Set("Accept-Encoding", "gzip")
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, time.Since(t0)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(t0)
}

// openStream opens one simulated phone's live stream: req (a GET built by
// the caller, with its headers) is written on a connection of its own and the
// answer's head is read from it. It returns the status and the decoded event
// stream, to be read in the caller's goroutine; closing the stream, or
// cancelling req's context, closes the connection. An http.Client per
// stream would cost a persistConn — two goroutines and 8 KiB of buffers — in
// each of the 500 + 200 subscribers, all of it the load generator's memory
// counted in the process's peak: here it is the connection, a 512-byte
// reader (answer head and chunk sizes; event data bypasses it into the
// caller's buffer) and no goroutine.
func openStream(req *http.Request) (int, io.ReadCloser, error) {
	ctx := req.Context()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", req.URL.Host)
	if err != nil {
		return 0, nil, err
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(30 * time.Second)) // for the head only
	err = req.Write(conn)
	var resp *http.Response
	if err == nil {
		resp, err = http.ReadResponse(bufio.NewReaderSize(conn, 512), req)
	}
	if err != nil {
		stop()
		conn.Close()
		return 0, nil, err
	}
	conn.SetDeadline(time.Time{})
	// The body keeps its response (for trailers): drop the ~2 KiB of
	// headers nobody reads.
	resp.Header = nil
	// The response's own Body.Close would read the endless stream to its
	// end: closing means closing the connection.
	return resp.StatusCode, streamBody{resp.Body, func() error { stop(); return conn.Close() }}, nil
}

// streamBody is an event stream read from its connection, closed with it.
type streamBody struct {
	io.Reader
	close func() error
}

func (b streamBody) Close() error { return b.close() }

// sseDataLines calls fn for each "data: " line of an event stream until it
// ends, keeping at most 4 KiB of it: an event carries the tournament's whole
// standings (~90 KB for 200 anglers), and a line buffer grown to that in
// each of 500 + 200 simulated phones was most of the bench process's memory —
// the load generator's, not the server's.
func sseDataLines(r io.Reader, fn func()) {
	br := bufio.NewReaderSize(r, 4<<10)
	atLineStart := true
	for {
		line, err := br.ReadSlice('\n')
		if atLineStart && bytes.HasPrefix(line, []byte("data: ")) {
			fn()
		}
		switch {
		case err == bufio.ErrBufferFull:
			atLineStart = false // the rest of a long line: skipped, not kept
		case err != nil:
			return
		default:
			atLineStart = true
		}
	}
}
