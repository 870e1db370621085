package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// A weigh-in save on SQLite may reuse the results rows the previous save
// left instead of reading them all again (store/rowscache.go). Whatever
// happened in between — saves, renames and deletes through this store or
// through a second one on the same database (another process) — the rows a
// save answers with are exactly what reading them afresh returns.
func TestWeighInSaveAnswersWhatAFreshReadReturns(t *testing.T) {
	s1, dbURL := testutil.NewDBURL(t)
	s2, err := store.Open(context.Background(), dbURL, store.Options{Now: testutil.NewClock(testutil.Now).Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	f := &fx{t: t, s: s1, ctx: context.Background()}
	f.season(2026, nil)
	tid := f.tournament(2026, day(4, 12), "April")
	var people []int64
	for i := range 12 {
		people = append(people, f.person(fmt.Sprintf("P%02d", i), i%3 != 0))
	}
	rng := rand.New(rand.NewPCG(4, 12))
	saves := 0
	save := func(s *store.Store, step int) {
		t.Helper()
		pid := people[rng.IntN(len(people))]
		row := club.Result{TournamentID: tid, PersonID: pid, WasMember: true, Fish: 1 + rng.IntN(5)}
		row.Gross = int64(row.Fish)*100 + rng.Int64N(300)
		if cur, err := s.ResultFor(f.ctx, tid, pid); err == nil {
			row.ID, row.Version = cur.ID, cur.Version
		}
		var seen store.Scored
		k := store.KeyedWrite{Keyed: store.Keyed{PersonID: pid, Key: fmt.Sprintf("step%d", step), Fingerprint: "fp"},
			Answer: func(sc store.Scored) (int, []byte) { seen = sc; return 200, []byte("ok") }}
		if _, _, err := s.SaveResultKeyed(f.ctx, 0, row, false, k); err != nil {
			t.Fatalf("step %d: save: %v", step, err)
		}
		saves++
		fresh, err := s1.Results(f.ctx, tid)
		f.must(err)
		if d := cmp.Diff(fresh, seen.Results); d != "" {
			t.Fatalf("step %d: the save's rows differ from a fresh read (-fresh +answer):\n%s", step, d)
		}
	}
	rename := func(s *store.Store, step int) {
		t.Helper()
		p, err := s.Person(f.ctx, people[rng.IntN(len(people))])
		f.must(err)
		p.LastName = fmt.Sprintf("Renamed%d", step)
		f.must(s.SaveProfile(f.ctx, 0, store.ProfileChange{Person: p}))
	}
	remove := func(s *store.Store) {
		t.Helper()
		rs, err := s.Results(f.ctx, tid)
		f.must(err)
		if len(rs) > 3 {
			r := rs[rng.IntN(len(rs))]
			f.must(s.RemoveResultOf(f.ctx, 0, tid, r.PersonID, r.Version, ""))
		}
	}
	for step := range 120 {
		switch n := rng.IntN(10); {
		case n < 5:
			save(s1, step) // runs of saves through one store: the cached path
		case n == 5:
			save(s2, step)
		case n == 6:
			rename(s1, step)
		case n == 7:
			rename(s2, step)
		case n == 8:
			remove(s1)
		default:
			remove(s2)
		}
	}
	if saves < 50 {
		t.Fatalf("only %d saves", saves)
	}
}
