package store

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
)

// Idempotency-Key answers (docs/api.md) are stored in idempotency_keys, in
// the database, so a replay is exact on every replica. A scoring write sent
// with a key claims it, writes and stores its answer in one transaction
// (keyedScoringTx): on SQLite, with its one writer, each transaction is
// another turn in the writer's queue, and three per weigh-in save (claim,
// save, answer) were most of a PUT's latency under load. A request that
// fails on our side rolls the claim back with the write, so its retry runs.

// Keyed names a request sent with an Idempotency-Key: its answer is stored
// under (PersonID, Key) with the request's Fingerprint.
type Keyed struct {
	PersonID    int64
	Key         string
	Fingerprint string // what the request was (method, path, body hash)
}

// KeyedWrite ties a scoring write to its request's key. Answer builds the
// request's answer from the tournament as the write's rescore left it; it is
// stored with the key before the transaction commits.
type KeyedWrite struct {
	Keyed
	Answer func(Scored) (status int, body []byte)
}

// Idempotent is a stored answer to a request sent with an Idempotency-Key.
// An answer of gzipMin bytes or more is kept gzipped (Gzip, Body empty):
// a weigh-in save's answer is the whole standings, ~90 KB for 200 anglers,
// which every save otherwise wrote into the WAL on the one SQLite writer;
// gzipped it is several times smaller, and a client that accepts gzip gets those very
// bytes (Text gives the JSON to one that does not).
type Idempotent struct {
	Fingerprint string // what the first request was
	Status      int    // 0: claimed and never answered (a request of an older version still running, or dead)
	Body        string
	Gzip        []byte
}

// gzipMin is the smallest answer kept gzipped (assets.CompressMinSize: the
// size below which the site sends responses uncompressed anyway).
const gzipMin = 1024

// Text is the answer's body, uncompressed.
func (a Idempotent) Text() (string, error) {
	if a.Gzip == nil {
		return a.Body, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(a.Gzip))
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(zr)
	return string(b), err
}

// gzipWriters are reused: a compressor allocates large tables when made.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// compressed is body as Idempotent keeps it.
func compressed(body []byte) (text string, gz []byte) {
	if len(body) < gzipMin {
		return string(body), nil
	}
	var buf bytes.Buffer
	buf.Grow(len(body) / 4)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(body) // a bytes.Buffer does not fail
	zw.Close()
	gzipWriters.Put(zw)
	return "", buf.Bytes()
}

// idempotencyTTL is how long an answer is kept for replay: longer than any
// phone stays offline during one weigh-in.
const idempotencyTTL = 48 * time.Hour

// idempotencySweep is how often a claim also deletes the expired keys: not
// on every claim, which made each weigh-in PUT's claim scan the table on the
// one SQLite writer. A key may so outlive its TTL by this much; harmless.
const idempotencySweep = 10 * time.Minute

// abandonedClaim is how long a claim may stay unanswered before a retry
// takes it over: far longer than any save takes.
const abandonedClaim = time.Minute

// IdempotentAnswer looks the key up without writing (found is false for
// none, or one past its TTL): a replay then costs no writer transaction.
func (s *Store) IdempotentAnswer(ctx context.Context, personID int64, key string) (prev Idempotent, found bool, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT fingerprint, status, body, body_gz FROM idempotency_keys
		WHERE person_id = $1 AND idem_key = $2 AND created_at >= $3`, personID, key, s.Now().Add(-idempotencyTTL)).
		Scan(&prev.Fingerprint, &prev.Status, &prev.Body, &prev.Gzip)
	if err == sql.ErrNoRows {
		return prev, false, nil
	}
	return prev, err == nil, err
}

// StoreIdempotentAnswer stores the answer of a request that wrote nothing
// else (a refusal) under its key. When the key was taken since the caller
// looked, nothing is stored and the entry stored first is returned.
func (s *Store) StoreIdempotentAnswer(ctx context.Context, k Keyed, status int, body []byte) (
	prev Idempotent, stored bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		p, fresh, err := s.claimKey(ctx, tx, k)
		if err != nil || !fresh {
			prev = p
			return err
		}
		stored = true
		_, err = answerKey(ctx, tx, k, status, body)
		return err
	})
	return prev, stored, err
}

// keyedScoringTx runs a scoring write and its key in one transaction: claim
// the key, write, build and store the answer. replayed is true when the key
// was already taken: nothing was written and ans is the stored entry. An
// error rolls everything back, the claim included.
func (s *Store) keyedScoringTx(ctx context.Context, k KeyedWrite,
	write func(tx *sql.Tx, keep *Scored, hint *rowsHint) error) (ans Idempotent, replayed bool, err error) {
	err = s.cachedRowsTx(ctx, func(tx *sql.Tx, hint *rowsHint) error {
		prev, fresh, err := s.claimKey(ctx, tx, k.Keyed)
		if err != nil || !fresh {
			ans, replayed = prev, err == nil
			return err
		}
		var sc Scored
		if err := write(tx, &sc, hint); err != nil {
			return err
		}
		status, body := k.Answer(sc)
		ans, err = answerKey(ctx, tx, k.Keyed, status, body)
		return err
	})
	return ans, replayed, err
}

// claimKey reserves the key inside tx. fresh is true when this request is
// the first with the key and must run; otherwise the stored entry is
// returned. The primary key makes the claim atomic across requests and
// replicas (on PostgreSQL a second claim waits for the first's commit).
func (s *Store) claimKey(ctx context.Context, tx *sql.Tx, k Keyed) (prev Idempotent, fresh bool, err error) {
	now := s.Now()
	if last := s.idemSweptAt.Load(); now.UnixNano()-last >= int64(idempotencySweep) &&
		s.idemSweptAt.CompareAndSwap(last, now.UnixNano()) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`,
			now.Add(-idempotencyTTL)); err != nil {
			return prev, false, err
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (person_id, idem_key, fingerprint, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (person_id, idem_key) DO NOTHING`, k.PersonID, k.Key, k.Fingerprint, now)
	if err != nil {
		return prev, false, err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return prev, true, nil
	}
	// A claim never answered after a minute belongs to a request that died
	// (an older version claimed in a transaction of its own): the retry takes
	// it over. Should the first write have committed, the retry meets its row
	// (409), never a copy.
	res, err = tx.ExecContext(ctx, `UPDATE idempotency_keys SET created_at = $3 WHERE person_id = $1
		AND idem_key = $2 AND status = 0 AND fingerprint = $4 AND created_at < $5`,
		k.PersonID, k.Key, now, k.Fingerprint, now.Add(-abandonedClaim))
	if err != nil {
		return prev, false, err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return prev, true, nil
	}
	err = tx.QueryRowContext(ctx, `SELECT fingerprint, status, body, body_gz FROM idempotency_keys
		WHERE person_id = $1 AND idem_key = $2`, k.PersonID, k.Key).Scan(&prev.Fingerprint, &prev.Status, &prev.Body, &prev.Gzip)
	return prev, false, err
}

// answerKey stores the answer of the request that claimed the key in tx
// and returns it as stored.
func answerKey(ctx context.Context, tx *sql.Tx, k Keyed, status int, body []byte) (Idempotent, error) {
	a := Idempotent{Fingerprint: k.Fingerprint, Status: status}
	a.Body, a.Gzip = compressed(body)
	_, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET status = $3, body = $4, body_gz = $5
		WHERE person_id = $1 AND idem_key = $2`, k.PersonID, k.Key, status, a.Body, a.Gzip)
	return a, err
}
