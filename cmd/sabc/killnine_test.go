package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sabc/internal/club"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/testutil"
)

// killNineSite prepares a SQLite site for the kill -9 test: the demo club,
// a tournament at its weigh-in and an admin's API token (an account may
// write 20 times a minute; later writes get 429, which is fine here). It
// returns the tournament, the token and the anglers to weigh.
func killNineSite(t *testing.T, dbPath string) (int64, string, []int64) {
	t.Helper()
	ctx := context.Background()
	clock := testutil.NewClock(testutil.Now)
	s, err := store.Open(ctx, dbPath, store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := demo.Generate(ctx, s, demo.Options{Now: clock.Now(), Seasons: 1, PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	tid, err := s.CreateTournament(ctx, club.Tournament{SeasonYear: clock.Now().Year(), Date: club.Today(clock.Now()),
		Name: "Kill -9 weigh-in", Format: club.FormatIndividual, PointsCount: true, Status: club.StatusWeighIn})
	if err != nil {
		t.Fatal(err)
	}
	// The admin's token: officer rights that do not depend on the season's
	// officer terms, which the child (on the real clock) could read
	// differently from this fake-clock setup.
	admin, err := s.PersonByEmail(ctx, demo.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	token := fmt.Sprintf("sabc_killnine_%d", tid)
	sum := sha256.Sum256([]byte(token))
	if _, err := s.CreateAPIToken(ctx, admin.ID, "kill -9 test", hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	people, err := s.People(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	var anglers []int64
	for _, p := range people[:36] {
		anglers = append(anglers, p.ID)
	}
	return tid, token, anglers
}

// grossFor is the weight written for angler i ("2.07" …): each write is one
// angler's first result, so "present after restart" is a plain lookup.
func grossFor(i int) string { return fmt.Sprintf("%d.%02d", 2+i/100, i%100) }

// A `sabc serve` process on SQLite is killed with SIGKILL in the middle of a
// burst of weigh-in API writes and started again on the same file: every
// write that was answered 2xx is there, and PRAGMA integrity_check is ok.
// (synchronous=NORMAL in WAL mode may lose the last commits on power loss,
// never on a process crash: the WAL is in the OS's page cache.)
func TestKillNineDuringWeighInBurstLosesNoAcknowledgedWrite(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "sabc.db")
	tid, token, anglers := killNineSite(t, dbPath)
	env := []string{"DATABASE_URL=" + dbPath, "SABC_DATA_DIR=" + dir, "SABC_DEMO=false", "SABC_ENV=development",
		"TRUSTED_PROXIES=127.0.0.1/32", "REDIS_URL=", "MEMCACHED_SERVERS=", "SHUTDOWN_DELAY=0s"}
	srv := startChild(t, env...)

	const killAfter = 10 // acknowledged writes before the kill
	var (
		acked   sync.Map // angler index → true, for every 2xx
		nAcked  atomic.Int32
		lost    atomic.Int32 // connection errors: outcome unknown
		killed  = make(chan struct{})
		once    sync.Once
		wg      sync.WaitGroup
		client  = &http.Client{Timeout: 20 * time.Second}
		started = time.Now()
	)
	for w := range 4 { // four writers, each its own client address
		wg.Go(func() {
			for i := w; i < len(anglers); i += 4 {
				body := fmt.Sprintf(`{"fish": 1, "gross": %q}`, grossFor(i))
				req, _ := http.NewRequest(http.MethodPut,
					fmt.Sprintf("%s/api/v1/tournaments/%d/results/%d", srv.base, tid, anglers[i]), strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Idempotency-Key", fmt.Sprintf("killnine-%d", i))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.15.0.%d", w+1))
				resp, err := client.Do(req)
				if err != nil {
					lost.Add(1)
					return // the server is gone
				}
				resp.Body.Close()
				if resp.StatusCode/100 == 2 {
					acked.Store(i, true)
					if nAcked.Add(1) == killAfter {
						once.Do(func() { srv.kill9(t); close(killed) })
					}
				} else if resp.StatusCode != http.StatusTooManyRequests {
					t.Errorf("PUT for angler %d: %d", i, resp.StatusCode)
				}
			}
		})
	}
	select {
	case <-killed:
	case <-time.After(60 * time.Second):
		t.Fatalf("only %d writes were acknowledged within 60 s", nAcked.Load())
	}
	wg.Wait()
	t.Logf("killed after %d acknowledged writes (%v into the burst); %d requests cut off", nAcked.Load(),
		time.Since(started).Round(time.Millisecond), lost.Load())

	restartAt := time.Now()
	srv = startChild(t, env...)
	t.Logf("restarted on the same file in %v", time.Since(restartAt).Round(time.Millisecond))
	stored := storedGross(t, client, srv.base, tid)
	acked.Range(func(k, _ any) bool {
		i := k.(int)
		if got, ok := stored[anglers[i]]; !ok || got != grossFor(i) {
			t.Errorf("acknowledged write for angler %d (gross %s) after restart: %q, present %v", anglers[i], grossFor(i), got, ok)
		}
		return true
	})
	t.Logf("%d results stored after restart, %d acknowledged", len(stored), nAcked.Load())

	s, err := store.Open(context.Background(), dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var check string
	if err := s.DB().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("PRAGMA integrity_check after kill -9: %q (%v), want ok", check, err)
	}
}

// storedGross reads the tournament's results through the restarted server's API.
func storedGross(t *testing.T, client *http.Client, base string, tid int64) map[int64]string {
	t.Helper()
	resp, err := client.Get(fmt.Sprintf("%s/api/v1/tournaments/%d/results", base, tid))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Results []struct {
			PersonID int64  `json:"person_id"`
			Gross    string `json:"gross"`
		} `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET results after restart: %d %v", resp.StatusCode, err)
	}
	out := map[int64]string{}
	for _, r := range doc.Results {
		out[r.PersonID] = r.Gross
	}
	return out
}
