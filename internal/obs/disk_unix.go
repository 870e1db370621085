//go:build linux || darwin || freebsd

package obs

import (
	"fmt"
	"syscall"
)

// diskUsage returns used and total bytes as df counts them: blocks
// reserved for root are neither used nor available to us, so total is
// used + available.
func diskUsage(dir string) (used, total uint64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, 0, fmt.Errorf("statfs: %w", err)
	}
	bs := uint64(st.Bsize)
	used = (uint64(st.Blocks) - uint64(st.Bfree)) * bs
	total = used + uint64(st.Bavail)*bs
	if total == 0 {
		return 0, 0, fmt.Errorf("statfs: empty file system")
	}
	return used, total, nil
}
