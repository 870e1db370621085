package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"unicode/utf8"

	"sabc/internal/assets"
	"sabc/internal/club"
	"sabc/internal/scoring"
	"sabc/internal/store"
)

// apiResults is GET /api/v1/tournaments/{id}/results: the standings
// document (public; officers also see a tournament hidden until complete).
func (s *Server) apiResults(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		writeJSON(w, http.StatusNotFound, apiError{Error: "no such tournament"})
		return
	}
	d, err := s.standings(r.Context(), id, visitorOf(r.Context()).IsOfficer())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeCacheable(w, r, http.StatusOK, "application/json; charset=utf-8", visitorOf(r.Context()).Person != nil,
		append(d.appendJSON(nil), '\n'))
}

// apiPutResult is PUT /api/v1/tournaments/{id}/results/{person_id}. The
// save, the Idempotency-Key and the answer are one writer transaction
// (Store.SaveResultKeyed); the first save of a scheduled tournament starts
// its weigh-in in it too.
func (s *Server) apiPutResult(w http.ResponseWriter, r *http.Request) {
	s.idempotent(w, r, func(ctx context.Context, body []byte, key store.Keyed) keyedAnswer {
		t, p, status, refusal := s.apiTarget(ctx, r)
		if refusal != nil {
			return refused(status, refusal)
		}
		var in weighInInput
		if status, refusal := decodeStrict(body, &in); refusal != nil {
			return refused(status, refusal)
		}
		row, err := s.weighInRow(ctx, t, p, in)
		if err == nil {
			var ans keyedAnswer
			ans.stored, ans.replayed, err = s.Store.SaveResultKeyed(ctx, visitorOf(ctx).Person.ID, row,
				t.Status == club.StatusScheduled, standingsAnswer(key))
			if err == nil {
				return ans
			}
		}
		return refused(s.apiRefusal(ctx, t.ID, correctionRefusal(err)))
	})
}

// apiDeleteResult is DELETE on the same path; an optional JSON body
// {"version": n, "correction": "…"} guards against deleting a changed row.
func (s *Server) apiDeleteResult(w http.ResponseWriter, r *http.Request) {
	s.idempotent(w, r, func(ctx context.Context, body []byte, key store.Keyed) keyedAnswer {
		t, p, status, refusal := s.apiTarget(ctx, r)
		if refusal != nil {
			return refused(status, refusal)
		}
		var in struct {
			Version    int    `json:"version"`
			Correction string `json:"correction"`
		}
		if len(bytes.TrimSpace(body)) > 0 {
			if status, refusal := decodeStrict(body, &in); refusal != nil {
				return refused(status, refusal)
			}
		}
		correction, err := deleteCorrection(in.Correction)
		if err != nil {
			return refused(s.apiRefusal(ctx, t.ID, err))
		}
		var ans keyedAnswer
		ans.stored, ans.replayed, err = s.Store.RemoveResultOfKeyed(ctx, visitorOf(ctx).Person.ID, t.ID, p.ID,
			in.Version, correction, standingsAnswer(key))
		if errors.Is(err, store.ErrNotFound) {
			return refused(http.StatusNotFound, apiError{Error: p.Name() + " has no result in this tournament"})
		}
		if err != nil {
			return refused(s.apiRefusal(ctx, t.ID, correctionRefusal(err)))
		}
		return ans
	})
}

// standingsAnswer answers a keyed weigh-in write with the officer's
// standings document, built from the write's own rescore.
func standingsAnswer(key store.Keyed) store.KeyedWrite {
	return store.KeyedWrite{Keyed: key, Answer: func(sc store.Scored) (int, []byte) {
		d := scoredDoc(sc)
		b := d.appendJSON(make([]byte, 0, 1024+512*len(d.Results))) // a row is 400–500 bytes
		return http.StatusOK, append(b, '\n')
	}}
}

// apiTarget resolves the path's tournament and person (404 when unknown).
func (s *Server) apiTarget(ctx context.Context, r *http.Request) (club.Tournament, club.Person, int, *apiError) {
	tid, ok1 := pathID(r, "id")
	pid, ok2 := pathID(r, "person_id")
	if !ok1 {
		return club.Tournament{}, club.Person{}, http.StatusNotFound, &apiError{Error: "no such tournament"}
	}
	t, err := s.Store.Tournament(ctx, tid)
	if err != nil {
		status, refusal := s.lookupFailed(ctx, err, "no such tournament")
		return t, club.Person{}, status, refusal
	}
	if !ok2 {
		return t, club.Person{}, http.StatusNotFound, &apiError{Error: "no such person"}
	}
	p, err := s.Store.Person(ctx, pid)
	if err != nil {
		status, refusal := s.lookupFailed(ctx, err, "no such person")
		return t, p, status, refusal
	}
	return t, p, 0, nil
}

// lookupFailed answers a failed read of the path's tournament or person:
// 404 naming what is missing; a database that went down since the request
// was let in is a 503 like any other (the offline queue sends it again),
// not a 404 or a bare 500.
func (s *Server) lookupFailed(ctx context.Context, err error, missing string) (int, *apiError) {
	if errors.Is(err, store.ErrNotFound) {
		return http.StatusNotFound, &apiError{Error: missing}
	}
	status, e := s.apiFailure(ctx, err)
	return status, &e
}

// apiRefusal maps a weigh-in write's error to the API's answer: 409 with
// the stored row, 422 with field errors, 404, else 500.
func (s *Server) apiRefusal(ctx context.Context, tid int64, err error) (int, any) {
	var es scoring.Errors
	var stale *store.StaleError
	var dup *store.DuplicateError
	switch {
	case errors.As(err, &es):
		return http.StatusUnprocessableEntity, apiError{Error: "the weigh-in was refused", Errors: fieldMap(es)}
	case errors.As(err, &dup):
		cur := apiResultOf(dup.Existing, nil)
		return http.StatusConflict, apiError{Error: dup.Error() + ": send its version to change it", Current: &cur}
	case errors.As(err, &stale):
		e := apiError{Error: "changed by someone else since you loaded it: review and save again"}
		if cur, err := s.Store.ResultFor(ctx, tid, stale.Current.PersonID); err == nil && stale.Current.ID != 0 {
			row := apiResultOf(cur, nil)
			e.Current = &row
		}
		return http.StatusConflict, e
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, apiError{Error: "not found"}
	}
	return s.apiFailure(ctx, err)
}

// apiFailure answers an error on our side: 503 while the database is down
// (the offline queue waits on 5xx and sends it again), else a logged 500.
func (s *Server) apiFailure(ctx context.Context, err error) (int, apiError) {
	if store.Unavailable(err) {
		s.dbOutage.Down(ctx, err)
		return http.StatusServiceUnavailable, apiError{Error: errDatabaseDown}
	}
	s.Logger.ErrorContext(ctx, "weigh-in API", "err", err)
	return http.StatusInternalServerError, apiError{Error: "something went wrong on our side; send it again"}
}

func fieldMap(es scoring.Errors) map[string]string {
	m := map[string]string{}
	for _, e := range es {
		if _, ok := m[e.Field]; !ok {
			m[e.Field] = e.Message
		}
	}
	return m
}

// decodeStrict decodes one JSON object, refusing unknown fields (a typo
// would otherwise silently save a zero) with the field named.
func decodeStrict(body []byte, v any) (int, *apiError) {
	if !utf8.Valid(body) {
		return http.StatusBadRequest, &apiError{Error: "the body is not valid UTF-8"}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return http.StatusUnprocessableEntity, &apiError{Error: "the weigh-in was refused",
				Errors: map[string]string{te.Field: "must be a " + te.Type.String() + " (weights are strings like \"12.45\")"}}
		}
		return http.StatusBadRequest, &apiError{Error: "the body is not a JSON object: " + err.Error()}
	}
	if dec.More() {
		return http.StatusBadRequest, &apiError{Error: "the body holds more than one JSON value"}
	}
	return 0, nil
}

// keyedAnswer is what a write run by idempotent answers: either the answer
// its own transaction stored with the key (stored; replayed when the key
// had been taken since idempotent looked), or a refusal (status, v) that
// wrote nothing and is stored with the key afterwards.
type keyedAnswer struct {
	stored   store.Idempotent
	replayed bool
	status   int
	v        any
}

func refused(status int, v any) keyedAnswer { return keyedAnswer{status: status, v: v} }

// idempotent runs a write once per Idempotency-Key: the first request's
// answer is stored with the key, and a replay (same key, same request) gets
// it back without running again — the offline queue resends freely. A key
// reused for a different request is refused. A write stores its answer in
// its own transaction; a 5xx stores nothing (the claim rolls back with the
// write), so the retry runs.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request,
	run func(ctx context.Context, body []byte, key store.Keyed) keyedAnswer) {
	ctx := r.Context()
	key := r.Header.Get("Idempotency-Key")
	if key == "" || len(key) > 200 || !printableASCII(key) {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "send an Idempotency-Key header (1–200 printable characters)"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAPIBody))
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: "the body is too large"})
		return
	}
	sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
	k := store.Keyed{PersonID: visitorOf(ctx).Person.ID, Key: key, Fingerprint: hex.EncodeToString(sum[:])}
	// A look without writing first: a replay costs no writer transaction. An
	// unanswered claim (left by an older version) is the write's to decide.
	prev, found, err := s.Store.IdempotentAnswer(ctx, k.PersonID, key)
	if err != nil {
		s.Logger.ErrorContext(ctx, "idempotency key", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "could not look the request up; send it again"})
		return
	}
	if found && (prev.Fingerprint != k.Fingerprint || prev.Status != 0) {
		writeReplay(w, r, prev, k.Fingerprint)
		return
	}
	a := run(ctx, body, k)
	switch {
	case a.replayed:
		writeReplay(w, r, a.stored, k.Fingerprint)
		return
	case a.stored.Status != 0:
		writeStored(w, r, a.stored)
		return
	}
	b, _ := json.Marshal(a.v)
	b = append(b, '\n')
	if a.status < 500 {
		// Stored without the request's context: a client that hangs up
		// still finds the answer when it resends.
		prev, stored, err := s.Store.StoreIdempotentAnswer(context.WithoutCancel(ctx), k, a.status, b)
		switch {
		case err != nil:
			s.Logger.ErrorContext(ctx, "store idempotent answer", "err", err)
		case !stored: // the same request ran meanwhile: its answer is the one
			writeReplay(w, r, prev, k.Fingerprint)
			return
		}
	}
	writeAnswer(w, a.status)
	w.Write(b)
}

// writeReplay answers with the entry stored under the key.
func writeReplay(w http.ResponseWriter, r *http.Request, prev store.Idempotent, fingerprint string) {
	switch {
	case prev.Fingerprint != fingerprint:
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: "this Idempotency-Key was used for a different request"})
	case prev.Status == 0:
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusConflict, apiError{Error: "the first request with this Idempotency-Key is still running"})
	default:
		w.Header().Set("Idempotent-Replayed", "true")
		writeStored(w, r, prev)
	}
}

// writeStored answers with a stored answer: a gzipped one as it is to a
// client that accepts gzip (the compression middleware passes an encoded
// body on), else uncompressed.
func writeStored(w http.ResponseWriter, r *http.Request, a store.Idempotent) {
	w.Header().Add("Vary", "Accept-Encoding")
	if a.Gzip != nil && assets.AcceptsGzip(r) {
		w.Header().Set("Content-Encoding", "gzip")
		writeAnswer(w, a.Status)
		w.Write(a.Gzip)
		return
	}
	text, err := a.Text()
	if err != nil { // a stored answer we wrote ourselves: never seen
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "the stored answer could not be read"})
		return
	}
	writeAnswer(w, a.Status)
	io.WriteString(w, text)
}

// writeAnswer writes the headers of an API answer; the caller writes the body.
func writeAnswer(w http.ResponseWriter, status int) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

const errDatabaseDown = "the database is unavailable right now; send it again in a minute"

// apiFail answers a read error on /api/.
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		writeJSON(w, http.StatusNotFound, apiError{Error: "not found"})
		return
	}
	if s.databaseDown(w, r, err) {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: errDatabaseDown})
		return
	}
	s.Logger.ErrorContext(r.Context(), "API read", "err", err)
	writeJSON(w, http.StatusInternalServerError, apiError{Error: "something went wrong on our side"})
}
