package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// pollFx is a store on a clock the test moves, with a poll open now for an
// hour more and n members.
func pollFx(t *testing.T, n int) (*fx, *testutil.Clock, club.Poll, []int64) {
	clock := testutil.NewClock(testutil.Now)
	f := &fx{t: t, s: testutil.NewDBWith(t, store.Options{Now: clock.Now}), ctx: context.Background()}
	now := clock.Now()
	id, err := f.s.CreatePoll(f.ctx, club.Poll{Kind: "generic", Title: "Start time", OpensAt: now.Add(-time.Hour),
		ClosesAt: now.Add(time.Hour), Options: []club.PollOption{{Label: "6:00"}, {Label: "6:30"}}})
	f.must(err)
	p, err := f.s.PollWithCounts(f.ctx, id)
	f.must(err)
	members := make([]int64, n)
	for i := range members {
		members[i] = f.person(fmt.Sprint("Voter", i), true)
	}
	return f, clock, p, members
}

// votesAtOrAfterClose counts the poll's stored votes stamped at or after its close.
func votesAtOrAfterClose(f *fx, p club.Poll) (late, all int) {
	rows, err := f.s.DB().QueryContext(f.ctx, `SELECT created_at FROM poll_votes WHERE poll_id = $1`, p.ID)
	f.must(err)
	defer rows.Close()
	for rows.Next() {
		var at time.Time
		f.must(rows.Scan(&at))
		all++
		if !at.Before(p.ClosesAt) {
			late++
		}
	}
	f.must(rows.Err())
	return late, all
}

// The open window is checked by the INSERT at the store's clock: a vote one
// nanosecond before the close counts, one at the close instant (or before
// the opening) is refused with ErrPollClosed and stores nothing.
func TestVoteAtTheCloseInstantIsRefused(t *testing.T) {
	f, clock, p, m := pollFx(t, 3)
	vote := func(who int64) error {
		return f.s.CastVote(f.ctx, club.Vote{PollID: p.ID, OptionID: p.Options[0].ID, PersonID: who})
	}
	clock.Set(p.ClosesAt.Add(-time.Nanosecond))
	f.must(vote(m[0]))
	clock.Set(p.ClosesAt)
	if err := vote(m[1]); !errors.Is(err, store.ErrPollClosed) {
		t.Errorf("vote at the close instant: %v, want ErrPollClosed", err)
	}
	clock.Set(p.OpensAt.Add(-time.Nanosecond))
	if err := vote(m[2]); !errors.Is(err, store.ErrPollClosed) {
		t.Errorf("vote before the poll opens: %v, want ErrPollClosed", err)
	}
	if late, all := votesAtOrAfterClose(f, p); late != 0 || all != 1 {
		t.Errorf("stored %d votes, %d of them at or after the close; want 1 and 0", all, late)
	}
}

// Votes racing the close: the clock reaches the close instant while a
// burst of votes is in flight (and a second wave arrives after it). Every
// vote is either stored before the close or refused as closed — none lands
// at or after the close, as it could when the window was checked before
// the INSERT.
func TestVotesRacingThePollCloseNeverLandAfterIt(t *testing.T) {
	const voters = 24
	f, clock, p, m := pollFx(t, voters)
	clock.Set(p.ClosesAt.Add(-time.Millisecond))
	var (
		wg          sync.WaitGroup
		firstIn     = make(chan struct{})
		closed      = make(chan struct{})
		once        sync.Once
		mu          sync.Mutex
		ok, refused int
	)
	wg.Go(func() { // the close, as soon as one vote of the first wave is in
		<-firstIn
		clock.Set(p.ClosesAt)
		close(closed)
	})
	for i, who := range m {
		wg.Go(func() {
			if i >= voters/2 {
				<-closed // the second wave arrives after the close
			}
			err := f.s.CastVote(f.ctx, club.Vote{PollID: p.ID, OptionID: p.Options[i%2].ID, PersonID: who})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
				once.Do(func() { close(firstIn) })
			case errors.Is(err, store.ErrPollClosed):
				refused++
			default:
				t.Errorf("vote %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	late, all := votesAtOrAfterClose(f, p)
	if late != 0 || all != ok || ok+refused != voters || refused < voters/2 {
		t.Errorf("stored %d votes (%d at or after the close); %d accepted, %d refused as closed of %d",
			all, late, ok, refused, voters)
	}
}
