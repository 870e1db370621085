package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strings"
	"time"
)

// LoginGate is the verdict on one password guess, counted before the
// password is checked.
type LoginGate struct {
	Attempt int       // this guess's number within the window (1 = first)
	Until   time.Time // when the window ends and the count starts again
}

// Allowed reports whether the guess may be checked under a limit of max
// guesses per window.
func (g LoginGate) Allowed(max int) bool { return g.Attempt <= max }

// loginKey is what guesses are counted under: the hash of the normalized
// email, whether or not an account has it (counting only known accounts
// would tell which exist), and without keeping the typed address.
func loginKey(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(sum[:])
}

// clientKey is what one client address's failed guesses are counted under.
// The "client:" prefix keeps it apart from every email key (those are bare
// hex), so no typed email can spend a client's count.
func clientKey(client string) string {
	sum := sha256.Sum256([]byte(client))
	return "client:" + hex.EncodeToString(sum[:])
}

// CountLoginAttempt counts one password guess for email at now and returns
// its number within the current window of length window. The count is one
// upsert, atomic on both databases (the row is locked for the update), so
// however many guesses arrive at once each gets its own number and at most
// the first N can be allowed. A guess is counted before bcrypt runs: a
// correct one is forgotten by ClearLoginAttempts, a wrong one stays.
// Windows that ended a day ago are deleted on the way.
func (s *Store) CountLoginAttempt(ctx context.Context, email string, now time.Time, window time.Duration) (LoginGate, error) {
	return s.countAttempt(ctx, loginKey(email), now, window)
}

// CountClientLoginAttempt counts one password guess from a client address
// the same way (before bcrypt, atomically). A correct guess is given back
// by ForgiveClientLoginAttempt, so only failures stay counted: members who
// share one hotspot at the ramp can all log in, a guesser cannot.
func (s *Store) CountClientLoginAttempt(ctx context.Context, client string, now time.Time, window time.Duration) (LoginGate, error) {
	return s.countAttempt(ctx, clientKey(client), now, window)
}

// ForgiveClientLoginAttempt takes one counted guess of client back (it was
// a correct password). It gives back one, not all: a guesser who logs in to
// an account of their own now and then keeps their failures.
func (s *Store) ForgiveClientLoginAttempt(ctx context.Context, client string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE login_throttle SET attempts = attempts - 1
			WHERE throttle_key = $1 AND attempts > 0`, clientKey(client))
		return err
	})
}

func (s *Store) countAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (LoginGate, error) {
	var g LoginGate
	now = now.UTC()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE window_start < $1`,
			now.Add(-window-24*time.Hour)); err != nil {
			return err
		}
		var start time.Time
		err := tx.QueryRowContext(ctx, `INSERT INTO login_throttle (throttle_key, window_start, attempts)
			VALUES ($1, $2, 1)
			ON CONFLICT (throttle_key) DO UPDATE SET
				attempts = CASE WHEN login_throttle.window_start <= $3 THEN 1 ELSE login_throttle.attempts + 1 END,
				window_start = CASE WHEN login_throttle.window_start <= $3 THEN excluded.window_start
					ELSE login_throttle.window_start END
			RETURNING attempts, window_start`, key, now, now.Add(-window)).Scan(&g.Attempt, anyTime{&start})
		g.Until = start.Add(window)
		return err
	})
	return g, mapErr(err)
}

// ClearLoginAttempts forgets the counted guesses for email (after a correct one).
func (s *Store) ClearLoginAttempts(ctx context.Context, email string) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return clearLoginAttempts(ctx, tx, email) })
}

func clearLoginAttempts(ctx context.Context, tx *sql.Tx, email string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE throttle_key = $1`, loginKey(email))
	return err
}
