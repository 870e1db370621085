package obs

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"sabc/internal/mail"
)

// DefaultUsageThreshold is the disk and memory use that makes the app
// degraded.
const DefaultUsageThreshold = 0.90

// PingCheck turns a ping (db.PingContext, a cache Ping) into a check: an
// error is unhealthy when critical, degraded otherwise. Database:
//
//	obs.PingCheck("database", true, true, db.PingContext)
func PingCheck(name string, critical, readiness bool, ping func(context.Context) error) Check {
	return Check{Name: name, Critical: critical, Readiness: readiness,
		Check: func(ctx context.Context) (Status, string) {
			if err := ping(ctx); err != nil {
				if critical {
					return StatusUnhealthy, err.Error()
				}
				return StatusDegraded, err.Error()
			}
			return StatusHealthy, "ok"
		}}
}

// StaticFilesCheck reports degraded when verify (e.g. "the embedded
// manifest lists files that open") fails.
func StaticFilesCheck(verify func() error) Check {
	return Check{Name: "static_files", Check: func(context.Context) (Status, string) {
		if err := verify(); err != nil {
			return StatusDegraded, err.Error()
		}
		return StatusHealthy, "ok"
	}}
}

// JobsCheck wraps the scheduler's own status function (e.g. "a job has not
// run for twice its interval" → degraded).
func JobsCheck(status func(context.Context) (Status, string)) Check {
	return Check{Name: "jobs", Check: status}
}

// DiskSpaceCheck reports degraded when the file system holding dir is at
// least threshold full (0: DefaultUsageThreshold), or cannot be read.
func DiskSpaceCheck(dir string, threshold float64) Check {
	if threshold <= 0 {
		threshold = DefaultUsageThreshold
	}
	return Check{Name: "disk_space", Check: func(context.Context) (Status, string) {
		used, total, err := diskUsage(dir)
		if err != nil {
			return StatusDegraded, err.Error()
		}
		return usageStatus("disk", used, total, threshold)
	}}
}

// MemoryCheck reports degraded when memory use reaches threshold (0:
// DefaultUsageThreshold) of a limit. The limit is, in order: limit when
// non-zero, the Go memory limit (GOMEMLIMIT) when set, the cgroup limit
// (containers), else the machine's memory from /proc/meminfo — in which
// case the machine's use (MemTotal − MemAvailable) is compared, since the
// process is not the only tenant.
func MemoryCheck(limit uint64, threshold float64) Check {
	if threshold <= 0 {
		threshold = DefaultUsageThreshold
	}
	return Check{Name: "memory", Check: func(context.Context) (Status, string) {
		used, total, what := memoryUsage(limit)
		if total == 0 {
			return StatusHealthy, "limit unknown"
		}
		return usageStatus(what, used, total, threshold)
	}}
}

func usageStatus(what string, used, total uint64, threshold float64) (Status, string) {
	frac := float64(used) / float64(total)
	msg := fmt.Sprintf("%s %.1f%% used (%d MiB of %d MiB)", what, frac*100, used>>20, total>>20)
	if frac >= threshold {
		return StatusDegraded, msg
	}
	return StatusHealthy, msg
}

func memoryUsage(limit uint64) (used, total uint64, what string) {
	if limit == 0 {
		if l := debug.SetMemoryLimit(-1); l > 0 && l < math.MaxInt64 {
			limit = uint64(l)
		} else {
			limit = cgroupMemoryLimit()
		}
	}
	if limit > 0 {
		return goMemoryInUse(), limit, "process memory"
	}
	total, avail, ok := readMeminfo("/proc/meminfo")
	if !ok {
		return 0, 0, ""
	}
	return total - avail, total, "system memory"
}

// goMemoryInUse is what the Go runtime holds from the OS minus what it has
// already returned: the number GOMEMLIMIT is compared against.
func goMemoryInUse() uint64 {
	s := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	metrics.Read(s)
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}

func cgroupMemoryLimit() uint64 {
	b, err := os.ReadFile("/sys/fs/cgroup/memory.max")
	if err != nil {
		return 0
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil { // "max": no limit
		return 0
	}
	return v
}

func readMeminfo(path string) (total, avail uint64, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var haveT, haveA bool
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		v, err := strconv.ParseUint(fields[1], 10, 64)
		if err != nil {
			continue
		}
		switch fields[0] {
		case "MemTotal:":
			total, haveT = v*1024, true
		case "MemAvailable:":
			avail, haveA = v*1024, true
		}
	}
	return total, avail, haveT && haveA && total > 0 && avail <= total
}

// TrackedMailer wraps a Mailer and remembers the last send's result for
// the email health check.
type TrackedMailer struct {
	mail.Mailer
	mu      sync.Mutex
	at      time.Time
	lastErr error
	now     func() time.Time
}

// NewTrackedMailer wraps m (nil: email not configured).
func NewTrackedMailer(m mail.Mailer) *TrackedMailer {
	return &TrackedMailer{Mailer: m, now: time.Now}
}

// Send implements mail.Mailer.
func (t *TrackedMailer) Send(ctx context.Context, m mail.Message) error {
	if t.Mailer == nil {
		return fmt.Errorf("email is not configured")
	}
	err := t.Mailer.Send(ctx, m)
	t.mu.Lock()
	t.at, t.lastErr = t.now(), err
	t.mu.Unlock()
	return err
}

// LastResult returns when the last send happened (zero: none) and its error.
func (t *TrackedMailer) LastResult() (time.Time, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.at, t.lastErr
}

// EmailCheck is degraded when email is not configured (alerts could not
// be delivered) or the last send failed; healthy otherwise.
func EmailCheck(t *TrackedMailer) Check {
	return Check{Name: "email", Check: func(context.Context) (Status, string) {
		if t == nil || t.Mailer == nil {
			return StatusDegraded, "not configured"
		}
		at, err := t.LastResult()
		switch {
		case at.IsZero():
			return StatusHealthy, "configured; nothing sent yet"
		case err != nil:
			return StatusDegraded, fmt.Sprintf("last send failed at %s: %v", at.UTC().Format(time.RFC3339), err)
		}
		return StatusHealthy, "last send ok at " + at.UTC().Format(time.RFC3339)
	}}
}
