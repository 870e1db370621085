package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

// The live leaderboard (02-site §4): /tournaments/{id}/live/ shows the
// standings and updates itself through server-sent events from
// /tournaments/{id}/live/events (the one long-lived route: no write timeout,
// no compression). Every committed write that names a tournament's cache
// namespace wakes that tournament's subscribers; with REDIS_URL set the wake-up
// goes through Redis pub/sub so every replica's subscribers get every save.
//
// Each event carries the whole standings document, and its id is the
// document's hash: a client reconnecting with Last-Event-ID gets the current
// document unless it already has exactly that one, whichever replica it
// reconnects to.

// liveHub holds the SSE subscribers of this process, per tournament.
type liveHub struct {
	mu   sync.Mutex
	subs map[int64]map[chan struct{}]struct{}

	gen  map[int64]uint64    // wake-ups per tournament: a document older than this is rebuilt
	docs map[liveKey]liveDoc // the last document built per tournament and audience
	sf   singleflight.Group

	rdb     *redis.Client // nil: in-process fan-out only
	channel string
	ready   chan struct{} // closed once the Redis subscription is live
}

func newLiveHub() *liveHub {
	return &liveHub{subs: map[int64]map[chan struct{}]struct{}{}, gen: map[int64]uint64{}, docs: map[liveKey]liveDoc{},
		ready: make(chan struct{})}
}

// liveKey names one standings document: officers' differs from the public
// one while the standings are hidden until complete.
type liveKey struct {
	tid     int64
	officer bool
}

// liveDoc is one built standings document with its event id.
type liveDoc struct {
	gen  uint64
	body []byte
	id   string
}

// document returns the current standings of a tournament for one audience,
// built once per wake-up however many subscribers ask (500 clients cost one
// read, not 500).
func (h *liveHub) document(k liveKey, build func() ([]byte, error)) (liveDoc, error) {
	h.mu.Lock()
	gen := h.gen[k.tid]
	d, ok := h.docs[k]
	h.mu.Unlock()
	if ok && d.gen == gen {
		return d, nil
	}
	v, err, _ := h.sf.Do(fmt.Sprintf("%d:%t:%d", k.tid, k.officer, gen), func() (any, error) {
		b, err := build()
		if err != nil {
			return liveDoc{}, err
		}
		d := liveDoc{gen: gen, body: b, id: strings.Trim(etagOf(b), `"`)}
		h.mu.Lock()
		if cur, ok := h.docs[k]; !ok || cur.gen <= gen {
			h.docs[k] = d
		}
		h.mu.Unlock()
		return d, nil
	})
	if err != nil {
		return liveDoc{}, err
	}
	return v.(liveDoc), nil
}

// subscribe registers a wake-up channel for a tournament (buffer 1: a burst
// of saves collapses into one refresh, a slow client never blocks a save).
func (h *liveHub) subscribe(tid int64) (chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs[tid] == nil {
		h.subs[tid] = map[chan struct{}]struct{}{}
	}
	h.subs[tid][ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs[tid], ch)
		if len(h.subs[tid]) == 0 {
			delete(h.subs, tid)
			delete(h.docs, liveKey{tid, false}) // nobody watches: do not keep the documents
			delete(h.docs, liveKey{tid, true})
		}
		h.mu.Unlock()
	}
}

// wake tells this process's subscribers of tid to refresh.
func (h *liveHub) wake(tid int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gen[tid]++
	for ch := range h.subs[tid] {
		select {
		case ch <- struct{}{}:
		default: // a refresh is already pending
		}
	}
}

// subscribers counts this process's live clients (metrics, tests).
func (h *liveHub) subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, m := range h.subs {
		n += len(m)
	}
	return n
}

// written is the store's after-commit hook: wake the tournaments a write named.
func (h *liveHub) written(ctx context.Context, namespaces []string) {
	for _, ns := range namespaces {
		rest, ok := strings.CutPrefix(ns, "tournament:")
		if !ok {
			continue
		}
		tid, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			continue
		}
		if h.rdb == nil {
			h.wake(tid)
			continue
		}
		// Through Redis, which delivers to this process's subscription too.
		// Should Redis be down, this replica's own clients still hear it.
		if err := h.rdb.Publish(context.WithoutCancel(ctx), h.channel, rest).Err(); err != nil {
			h.wake(tid)
		}
	}
}

// listen relays Redis messages to local subscribers until ctx ends;
// go-redis re-subscribes by itself after a connection loss.
func (h *liveHub) listen(ctx context.Context) {
	ps := h.rdb.Subscribe(ctx, h.channel)
	defer ps.Close()
	if _, err := ps.Receive(ctx); err == nil {
		close(h.ready)
	}
	for msg := range ps.Channel() {
		if tid, err := strconv.ParseInt(msg.Payload, 10, 64); err == nil {
			h.wake(tid)
		}
	}
}

// setupLive builds the hub: Redis pub/sub when REDIS_URL is set.
func (s *Server) setupLive() error {
	s.live = newLiveHub()
	if s.Config.RedisURL == "" {
		close(s.live.ready)
		return nil
	}
	opt, err := redis.ParseURL(s.Config.RedisURL)
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	s.live.rdb = redis.NewClient(opt)
	// Installations sharing one Redis must not wake each other's boards.
	s.live.channel = s.Config.CacheKeyPrefix() + "live"
	go s.live.listen(context.Background())
	return nil
}

// LiveReady is closed once live fan-out can receive other replicas' saves.
func (s *Server) LiveReady() <-chan struct{} { return s.live.ready }

// LiveSubscribers is the number of SSE clients connected to this process.
func (s *Server) LiveSubscribers() int { return s.live.subscribers() }

// livePage is the public leaderboard page; without JavaScript it reloads itself.
func (s *Server) livePage(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	d, err := s.standings(r.Context(), id, visitorOf(r.Context()).IsOfficer())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "live", "Live: "+d.Tournament.Name, d)
}

// liveEvents streams the standings as server-sent events.
func (s *Server) liveEvents(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	if _, err := s.Store.Tournament(ctx, id); err != nil {
		s.fail(w, r, err)
		return
	}
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // a stream outlives any write timeout
	wake, done := s.live.subscribe(id)
	defer done()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	last := r.Header.Get("Last-Event-ID")
	key := liveKey{id, visitorOf(ctx).IsOfficer()}
	heartbeat := time.NewTicker(25 * time.Second)
	defer heartbeat.Stop()
	for {
		d, err := s.live.document(key, func() ([]byte, error) {
			d, err := s.standings(context.WithoutCancel(ctx), id, key.officer)
			if err != nil {
				return nil, err
			}
			return json.Marshal(d)
		})
		if err != nil {
			return // the client reconnects (retry) and resumes from its last id
		}
		if d.id != last {
			// Three writes, not Fprintf: fmt copies the document into a
			// buffer of its own for each subscriber, and one over 64 KiB is
			// never reused, so every event made subscribers × document
			// bytes of garbage (the fan-out has 500 subscribers).
			io.WriteString(w, "id: "+d.id+"\nevent: standings\ndata: ")
			w.Write(d.body)
			io.WriteString(w, "\n\n")
			last = d.id
		}
		if rc.Flush() != nil {
			return
		}
		for waiting := true; waiting; {
			select {
			case <-ctx.Done():
				return
			case <-wake:
				waiting = false
			case <-heartbeat.C:
				fmt.Fprint(w, ": keep-alive\n\n")
				if rc.Flush() != nil {
					return
				}
			}
		}
	}
}
