package web

import (
	"errors"
	"net/http"
	"strconv"

	"sabc/internal/media"
	"sabc/internal/store"
)

// multipartMemory is how much of an upload is held in memory; the rest goes
// to a temporary file that is removed when the request ends.
const multipartMemory = 1 << 20

// uploadPhoto stores a profile photo through the image pipeline: the real
// type is sniffed, bombs and oversize files are refused before anything is
// written, the image is turned upright and re-encoded (no EXIF/GPS).
func (s *Server) uploadPhoto(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := s.editTarget(w, r)
	if !ok {
		return
	}
	// body.go bounds this route's body (MaxUploadBytes and a little for the
	// form around the file) and removes the parsed form's temporary files.
	limit := s.acct.pipeline.Options().MaxUploadBytes
	refuse := func(status int, msg string) {
		d, a, err := s.loadProfile(ctx, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Form, d.PhotoError = prefillProfile(a), msg
		s.render(w, r, status, "profile_edit", "Edit profile", d)
	}
	err := r.ParseMultipartForm(multipartMemory)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		refuse(http.StatusRequestEntityTooLarge, "The photo is too large: the limit is "+humanSize(limit)+".")
		return
	case err != nil && !errors.Is(err, http.ErrNotMultipart):
		refuse(http.StatusBadRequest, "The upload did not arrive complete; please try again.")
		return
	}
	file, _, err := r.FormFile("photo")
	if err != nil {
		refuse(http.StatusUnprocessableEntity, "Choose a photo to upload (JPEG, PNG, GIF or WebP).")
		return
	}
	defer file.Close()
	res, err := s.acct.pipeline.Process(ctx, file)
	if err != nil {
		msg, ok := media.UserMessage(err)
		if !ok || errors.Is(err, media.ErrStorage) {
			s.Logger.ErrorContext(ctx, "photo upload failed", "err", err, "request_id", requestID(r))
		}
		if !ok {
			msg = "the photo could not be processed; please try again later"
		}
		if errors.Is(err, media.ErrBusy) {
			w.Header().Set("Retry-After", "60")
		}
		refuse(uploadStatus(err), "Photo not saved: "+msg+".")
		return
	}
	if err := s.Store.SaveAvatar(ctx, id, res.Avatar.Key, mediaFiles(res)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/anglers/"+strconv.FormatInt(id, 10)+"/edit/?notice=photo", http.StatusSeeOther)
}

func uploadStatus(err error) int {
	switch {
	case errors.Is(err, media.ErrTooLarge), errors.Is(err, media.ErrTooManyPixels):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, media.ErrNotImage):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, media.ErrStorage), errors.Is(err, media.ErrBusy):
		return http.StatusServiceUnavailable
	default:
		return http.StatusUnprocessableEntity
	}
}

func mediaFiles(res media.Result) []store.MediaFile {
	kinds := []string{"avatar-original", "avatar", "avatar-list", "avatar-card"}
	var out []store.MediaFile
	for i, v := range []media.Variant{res.Original, res.Avatar, res.List, res.Card} {
		out = append(out, store.MediaFile{Key: v.Key, Kind: kinds[i], ContentType: v.ContentType, Width: v.Width,
			Height: v.Height, Bytes: int64(v.Size)})
	}
	return out
}

// humanSize is "10 MB" for the limit in messages.
func humanSize(n int64) string {
	if n >= 1<<20 {
		return strconv.FormatInt(n>>20, 10) + " MB"
	}
	return strconv.FormatInt(n>>10, 10) + " KB"
}

// mediaFiles serves uploaded images: content-addressed names only, always
// with an image type and nosniff (media.Handler), never as HTML or script.
func (s *Server) mediaFiles(w http.ResponseWriter, r *http.Request) {
	http.StripPrefix("/media/", media.Handler(s.Media)).ServeHTTP(w, r)
}
