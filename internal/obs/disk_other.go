//go:build !(linux || darwin || freebsd)

package obs

import "errors"

func diskUsage(string) (used, total uint64, err error) {
	return 0, 0, errors.New("disk usage not supported on this platform")
}
