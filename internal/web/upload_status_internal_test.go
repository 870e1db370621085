package web

import (
	"fmt"
	"net/http"
	"testing"

	"sabc/internal/media"
)

// An upload refused because decode memory is taken by other uploads is the
// server's state, not the file's fault: 503 (with Retry-After), not 4xx.
func TestUploadStatus(t *testing.T) {
	for kind, want := range map[error]int{
		media.ErrBusy:          http.StatusServiceUnavailable,
		media.ErrTooManyPixels: http.StatusRequestEntityTooLarge,
		media.ErrStorage:       http.StatusServiceUnavailable,
		media.ErrNotImage:      http.StatusUnsupportedMediaType,
	} {
		if got := uploadStatus(fmt.Errorf("wrapped: %w", kind)); got != want {
			t.Errorf("%v: %d, want %d", kind, got, want)
		}
	}
}
