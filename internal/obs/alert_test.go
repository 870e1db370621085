package obs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"sabc/internal/mail"
)

func newAlertTracker(t *testing.T, clock *fakeClock, rec *mail.Recorder, perHour int) (*Tracker, *Alerter) {
	t.Helper()
	a := NewAlerter(AlertConfig{Mailer: rec, Recipients: []string{"ops@example.org"}, Now: clock.Now,
		MaxPerHour: perHour, Logger: discardLogger(), Environment: "production"})
	t.Cleanup(a.Close)
	tr, err := NewTracker(TrackerConfig{Logger: discardLogger(), Alerter: a, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return tr, a
}

// captureAt reports the same error from one call site, so every call has
// the same fingerprint.
func captureAt(tr *Tracker, sev Severity, n int) {
	tr.Capture(context.Background(), fmt.Errorf("load standings for season %d: %w", n, errors.New("db locked")), sev)
}

func TestAlertThrottlePerFingerprint(t *testing.T) {
	const n = 7
	clock := newClock()
	rec := &mail.Recorder{}
	tr, a := newAlertTracker(t, clock, rec, 0)

	for i := range n { // all inside the 10-minute high window
		captureAt(tr, High, i)
		clock.Advance(time.Minute)
	}
	a.Flush()
	if got := len(rec.Sent()); got != 1 {
		t.Fatalf("mails inside the window = %d, want 1", got)
	}
	first := rec.Sent()[0]
	if first.To[0] != "ops@example.org" || !strings.Contains(first.Subject, "[production high]") ||
		!strings.Contains(first.Text, "0 similar alerts suppressed") {
		t.Errorf("first alert: %q\n%s", first.Subject, first.Text)
	}

	clock.Advance(10 * time.Minute) // window reopens
	captureAt(tr, High, 99)
	a.Flush()
	sent := rec.Sent()
	if len(sent) != 2 {
		t.Fatalf("mails after the window = %d, want 2", len(sent))
	}
	want := fmt.Sprintf("%d similar alerts suppressed", n-1)
	if !strings.Contains(sent[1].Text, want) || !strings.Contains(sent[1].Subject, fmt.Sprintf("(+%d suppressed)", n-1)) {
		t.Errorf("second alert lacks %q:\n%s\n%s", want, sent[1].Subject, sent[1].Text)
	}
}

func TestAlertWindowsBySeverity(t *testing.T) {
	for sev, window := range DefaultAlertWindows {
		t.Run(string(sev), func(t *testing.T) {
			clock := newClock()
			rec := &mail.Recorder{}
			tr, a := newAlertTracker(t, clock, rec, 0)
			captureAt(tr, sev, 1)
			clock.Advance(window - time.Second)
			captureAt(tr, sev, 2) // still inside
			clock.Advance(time.Second)
			captureAt(tr, sev, 3) // window over
			a.Flush()
			if got := len(rec.Sent()); got != 2 {
				t.Errorf("mails = %d, want 2", got)
			}
		})
	}
}

func TestAlertGlobalCap(t *testing.T) {
	clock := newClock()
	rec := &mail.Recorder{}
	_, a := newAlertTracker(t, clock, rec, 3)
	notify := func(fp string) bool {
		return a.Notify(Group{Fingerprint: fp, Severity: Critical, Sample: "boom " + fp, LastSeen: clock.Now()})
	}
	for i := range 5 { // five different fingerprints, cap 3
		notify(fmt.Sprint("fp", i))
	}
	a.Flush()
	if got := len(rec.Sent()); got != 3 {
		t.Fatalf("mails under a cap of 3 = %d", got)
	}
	clock.Advance(30 * time.Minute) // critical windows passed, cap still full
	if notify("fp0") {
		t.Error("cap ignored after 30 minutes")
	}
	clock.Advance(31 * time.Minute) // the hour has rolled over
	if !notify("fp3") {
		t.Fatal("cap did not reopen after an hour")
	}
	a.Flush()
	sent := rec.Sent()
	if last := sent[len(sent)-1]; !strings.Contains(last.Text, "1 similar alerts suppressed") {
		t.Errorf("capped fingerprint's suppressed count missing:\n%s", last.Text)
	}
}

func TestAlertDisabledWithoutRecipients(t *testing.T) {
	rec := &mail.Recorder{}
	a := NewAlerter(AlertConfig{Mailer: rec, Logger: discardLogger()})
	defer a.Close()
	if a.Notify(Group{Fingerprint: "x", Severity: Critical}) {
		t.Error("alert queued without recipients")
	}
	var nilAlerter *Alerter
	nilAlerter.Notify(Group{})
	nilAlerter.Flush()
}

// A slow mail server must not hold the capturing request.
func TestAlertDoesNotBlock(t *testing.T) {
	block := make(chan struct{})
	a := NewAlerter(AlertConfig{Mailer: blockingMailer(block), Recipients: []string{"a@b.c"},
		Logger: discardLogger()})
	done := make(chan struct{})
	go func() {
		for i := range 5 {
			a.Notify(Group{Fingerprint: fmt.Sprint(i), Severity: Low})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Notify blocked on the mailer")
	}
	close(block)
	a.Close()
}

type blockingMailer chan struct{}

func (b blockingMailer) Send(context.Context, mail.Message) error { <-b; return nil }
