package obs

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Outage follows one dependency (the database) that requests find down:
// it logs one line when the dependency goes away and one when it is back,
// instead of a line and an error group per failed request. While down it
// probes the dependency in the background, so "available again" is logged
// even if no request succeeds to say so. Safe for concurrent use; the zero
// value needs Name, Logger and Probe set before use.
type Outage struct {
	Name       string
	Logger     *slog.Logger                // nil: slog.Default()
	Probe      func(context.Context) error // nil: no background probe
	ProbeEvery time.Duration               // 0: 250 ms

	mu     sync.Mutex
	down   bool
	since  time.Time     // monotonic: only measures how long the outage lasted
	stop   chan struct{} // closes the probe of the current outage
	closed bool
}

// Down records a failure that means the dependency is unreachable. Only
// the first one of an outage is logged; it reports whether this was it.
func (o *Outage) Down(ctx context.Context, err error) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.down || o.closed {
		return false
	}
	o.down, o.since = true, time.Now()
	o.logger().WarnContext(ctx, o.Name+" unavailable", "dependency", o.Name, "err", err)
	if o.Probe != nil {
		o.stop = make(chan struct{})
		go o.probe(o.stop)
	}
	return true
}

// Up records that the dependency answered; the first call after Down logs
// how long the outage lasted.
func (o *Outage) Up() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.down {
		return
	}
	o.down = false
	o.logger().Info(o.Name+" available again", "dependency", o.Name,
		"down_for_ms", time.Since(o.since).Milliseconds())
	if o.stop != nil {
		close(o.stop)
		o.stop = nil
	}
}

// IsDown reports whether an outage is in progress.
func (o *Outage) IsDown() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.down
}

// Close stops the background probe (at shutdown); later Downs are ignored.
func (o *Outage) Close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closed = true
	if o.stop != nil {
		close(o.stop)
		o.stop = nil
	}
}

func (o *Outage) probe(stop chan struct{}) {
	every := o.ProbeEvery
	if every <= 0 {
		every = 250 * time.Millisecond
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := o.Probe(ctx)
		cancel()
		if err == nil {
			o.Up()
			return
		}
	}
}

func (o *Outage) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.Default()
	}
	return o.Logger
}
