package cache

import (
	"context"
	"sync"
	"time"
)

// Warmer re-renders a hot page (typically by calling the page's own
// GetOrLoad), so the first visitor after a write does not pay for it.
type Warmer func(ctx context.Context) error

// warmer runs the registered warmers in one background goroutine: triggers
// arriving while a run is pending or running collapse into one more run, so
// a burst of writes costs at most two runs and never two at once.
type warmer struct {
	t       *Tiered
	mu      sync.Mutex
	names   []string
	fns     []Warmer
	trigger chan struct{}
	runs    chan struct{} // test hook: one token per completed run
}

func (w *warmer) init(t *Tiered) {
	w.t = t
	w.trigger = make(chan struct{}, 1)
	w.runs = make(chan struct{}, 64)
}

// RegisterWarmer adds a warmer; name appears in logs when it fails.
func (t *Tiered) RegisterWarmer(name string, fn Warmer) {
	t.warm.mu.Lock()
	t.warm.names = append(t.warm.names, name)
	t.warm.fns = append(t.warm.fns, fn)
	t.warm.mu.Unlock()
}

// Warm asks for a warming run in the background (debounced). The server
// calls it once at start after registering warmers; Bump calls it after
// every write on this replica, so each write is warmed once per cluster, by
// the replica that made it.
func (t *Tiered) Warm() {
	select {
	case t.warm.trigger <- struct{}{}:
	default: // a run is already pending; it will see this write too
	}
}

func (w *warmer) loop(ctx context.Context) {
	defer w.t.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.trigger:
		}
		// Debounce: let a burst of writes (an import, a results form with
		// many rows) settle before rendering.
		select {
		case <-ctx.Done():
			return
		case <-time.After(w.t.opts.WarmDebounce):
		}
		select { // swallow a trigger that arrived during the debounce
		case <-w.trigger:
		default:
		}
		w.run(ctx)
		select {
		case w.runs <- struct{}{}:
		default:
		}
	}
}

func (w *warmer) run(ctx context.Context) {
	w.mu.Lock()
	names, fns := append([]string(nil), w.names...), append([]Warmer(nil), w.fns...)
	w.mu.Unlock()
	if len(fns) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, w.t.opts.WarmTimeout)
	defer cancel()
	for i, fn := range fns {
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			w.t.log.Warn("cache warmer failed", "warmer", names[i], "error", err.Error())
		}
	}
}
