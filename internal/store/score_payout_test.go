package store_test

import (
	"strings"
	"testing"
	"time"

	"sabc/internal/club"
)

// A tournament's stored payout JSON that does not decode stops the rescore
// with an error naming it — for the tournament itself (its old carry-out is
// compared with the new one) and for the next tournament (its big-bass pot
// starts from that carry) — instead of reading as an empty payout and
// silently zeroing the carry-over.
func TestRescoreRefusesCorruptStoredPayoutJSON(t *testing.T) {
	f := newFx(t)
	f.season(2026, nil)
	ann, bob := f.person("Ann", true), f.person("Bob", true)
	march := f.tournament(2026, day(time.March, 29), "March")
	april := f.tournament(2026, day(time.April, 26), "April")
	f.weigh(march, ann, true, 3, 900, 400)
	f.weigh(april, ann, true, 2, 500, 300)
	if _, err := f.s.DB().Exec(`UPDATE tournaments SET payout_json = $1 WHERE id = $2`, `{"places": [`, march); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		what string
		tid  int64
	}{{"its own rescore", march}, {"the next tournament's rescore", april}} {
		_, err := f.s.SaveResult(f.ctx, 0, club.Result{TournamentID: tc.tid, PersonID: bob, WasMember: true, Fish: 1, Gross: 200, BigBass: 200})
		if err == nil || !strings.Contains(err.Error(), "payout_json") {
			t.Errorf("%s with the March payout JSON corrupt: %v, want an error naming payout_json", tc.what, err)
		}
	}
	if n := len(f.byPerson(april)); n != 1 {
		t.Errorf("April has %d results after the refused save, want 1 (the save rolled back)", n)
	}
}
