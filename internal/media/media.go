// Package media owns uploaded images (avatars, news pictures, the gallery):
// checking what was uploaded, normalising it (orientation, size, metadata
// removal), making the thumbnail variants, storing them under
// content-addressed names through a Store, and serving them back safely.
//
// The web layer calls Pipeline.Process with the uploaded file, keeps the
// returned keys in the database and mounts Handler under a URL prefix.
// Every refusal is an *Error whose Error() text is written for the person
// who uploaded the file, so the web layer can show it as is.
package media

import (
	"errors"
	"fmt"
	"syscall"
)

// Sentinel kinds of failure. Test with errors.Is; the *Error that wraps them
// carries the human message.
var (
	// ErrTooLarge: the upload is bigger than MaxUploadBytes (HTTP 413).
	ErrTooLarge = errors.New("media: file too large")
	// ErrNotImage: the bytes are not JPEG, PNG, GIF or WebP (HTTP 415/400).
	ErrNotImage = errors.New("media: not a supported image")
	// ErrTooManyPixels: the header claims more pixels than MaxPixels, or a
	// decode needing more memory than MaxDecodeBytes (e.g. 16 bits per
	// channel); this is how decompression bombs are refused before any pixel
	// is decoded (413).
	ErrTooManyPixels = errors.New("media: image has too many pixels")
	// ErrBusy: decoding memory stayed taken by other uploads for DecodeWait;
	// the upload may be retried (HTTP 503 with Retry-After).
	ErrBusy = errors.New("media: busy decoding other images")
	// ErrCorrupt: the type is right but the image data cannot be decoded (400).
	ErrCorrupt = errors.New("media: image data is damaged")
	// ErrStorage: the processed image could not be saved, e.g. disk full (507/503).
	ErrStorage = errors.New("media: image could not be stored")
	// ErrNotFound is returned by Store.Open for a name that is not stored.
	ErrNotFound = errors.New("media: not found")
	// ErrBadName is returned by stores for names that could escape the store.
	ErrBadName = errors.New("media: invalid name")
)

// Error is a refusal or failure with a message meant for the uploader.
// Error() returns only that message; Unwrap exposes the sentinel kind and
// the underlying cause (if any) for logs and errors.Is.
type Error struct {
	Kind error  // one of the Err* sentinels
	Msg  string // human message, safe to show
	Err  error  // underlying cause for logs; may be nil
}

func (e *Error) Error() string { return e.Msg }

// Unwrap lets errors.Is match both the kind and the cause (e.g. ENOSPC).
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// UserMessage returns the message to show the uploader for err, and false
// when err is not one of ours (the caller should then show a generic error
// and log err).
func UserMessage(err error) (string, bool) {
	var me *Error
	if errors.As(err, &me) {
		return me.Msg, true
	}
	return "", false
}

func tooLarge(size, limit int64) error {
	msg := fmt.Sprintf("the file is larger than %s, the limit", humanBytes(limit))
	if size > limit {
		msg = fmt.Sprintf("the file is %s; the limit is %s", humanBytes(size), humanBytes(limit))
	}
	return &Error{Kind: ErrTooLarge, Msg: msg}
}

func storageErr(err error) error {
	msg := "the image could not be saved; please try again later"
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		msg = "the server is out of storage space, so the image was not saved; please tell an officer"
	}
	return &Error{Kind: ErrStorage, Msg: msg, Err: err}
}

// humanBytes formats n the way people read file sizes ("12.3 MB"). Binary
// units with decimal-looking names match what file managers show, so the
// 10 MiB default reads as "10 MB".
func humanBytes(n int64) string {
	const k = 1024
	switch {
	case n >= k*k:
		return trimZero(float64(n)/(k*k)) + " MB"
	case n >= k:
		return trimZero(float64(n)/k) + " KB"
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

func trimZero(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}
