//go:build !unix

package bench

import "time"

// CPUTime is 0 where getrusage does not exist: CPU per request is then not reported.
func CPUTime() time.Duration { return 0 }
