// Package mail owns outgoing email: the Mailer interface, an SMTP sender,
// a development outbox folder of .eml files and a recording fake for tests.
package mail

import (
	"context"
	"sync"
)

// Message is one email. Bcc is used for lists so addresses are never exposed.
type Message struct {
	To      []string
	Bcc     []string
	Subject string
	Text    string            // plain-text body (always set)
	HTML    string            // optional HTML alternative
	Headers map[string]string // extra headers, e.g. List-Unsubscribe
}

// Mailer sends email.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// Recorder is a Mailer for tests: it keeps every message it was given.
type Recorder struct {
	mu   sync.Mutex
	sent []Message
	Err  error // returned by Send when set, to simulate a failing server
}

// Send records m (or fails with r.Err).
func (r *Recorder) Send(_ context.Context, m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.Err != nil {
		return r.Err
	}
	r.sent = append(r.sent, m)
	return nil
}

// Sent returns a copy of the messages sent so far.
func (r *Recorder) Sent() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.sent...)
}
