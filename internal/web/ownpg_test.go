package web_test

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"sabc/internal/testutil"
)

// ownPostgres is a private PostgreSQL cluster one test starts with Debian's
// initdb/pg_ctl on a free loopback port, so it can stop the database under
// load without disturbing the shared server other tests use.
type ownPostgres struct {
	t      *testing.T
	bin    string // /usr/lib/postgresql/N/bin
	dir    string // data, socket and log live here
	port   int
	asUser []string // runuser prefix when the tests run as root (PostgreSQL refuses root)
}

// startOwnPostgres runs only in the PostgreSQL CI run (SABC_TEST_DATABASE_URL
// set); there a missing initdb fails under SABC_REQUIRE_SERVICES=1.
func startOwnPostgres(t *testing.T) *ownPostgres {
	t.Helper()
	if testutil.PostgresURL() == "" {
		t.Skip("the database outage test runs in the PostgreSQL run (SABC_TEST_DATABASE_URL)")
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		if testutil.RequireServices() {
			t.Fatal("initdb not found under /usr/lib/postgresql/*/bin/ but SABC_REQUIRE_SERVICES=1")
		}
		t.Skip("initdb not found under /usr/lib/postgresql/*/bin/: skipping the database outage test")
	}
	pg := &ownPostgres{t: t, bin: filepath.Dir(found[len(found)-1])}
	dir, err := os.MkdirTemp("", "sabc-pg-")
	if err != nil {
		t.Fatal(err)
	}
	pg.dir = dir
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		pg.asUser = []string{"runuser", "-u", "postgres", "--"}
		if out, err := exec.Command("chown", "postgres:postgres", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown %s to postgres: %v %s", dir, err, out)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pg.port = l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	pg.run("initdb", "-D", pg.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions")
	pg.start()
	t.Cleanup(func() { // may already be stopped when the test failed mid-outage
		_ = pg.command("pg_ctl", "-D", pg.data(), "-m", "immediate", "-w", "stop").Run()
	})
	return pg
}

func (pg *ownPostgres) data() string { return filepath.Join(pg.dir, "data") }

func (pg *ownPostgres) url() string {
	return "postgres://postgres@127.0.0.1:" + strconv.Itoa(pg.port) + "/postgres?sslmode=disable"
}

// run runs one of the cluster's programs as the postgres user and fails
// the test with its output when it fails.
func (pg *ownPostgres) run(prog string, args ...string) {
	pg.t.Helper()
	if out, err := pg.command(prog, args...).CombinedOutput(); err != nil {
		pg.t.Fatalf("%s: %v\n%s", prog, err, out)
	}
}

func (pg *ownPostgres) command(prog string, args ...string) *exec.Cmd {
	argv := append(append(append([]string{}, pg.asUser...), filepath.Join(pg.bin, prog)), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = pg.dir
	return cmd
}

// start starts the server and waits until it accepts connections.
func (pg *ownPostgres) start() {
	pg.t.Helper()
	opts := "-p " + strconv.Itoa(pg.port) + " -k " + pg.dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
	pg.run("pg_ctl", "-D", pg.data(), "-o", opts, "-l", filepath.Join(pg.dir, "log"), "-w", "-t", "30", "start")
}

// stop stops it: "immediate" is a crash (no shutdown checkpoint), "fast"
// ends sessions cleanly.
func (pg *ownPostgres) stop(mode string) {
	pg.t.Helper()
	pg.run("pg_ctl", "-D", pg.data(), "-m", mode, "-w", "-t", "30", "stop")
}

// waitUntil polls cond every 20 ms for at most d and reports how long it took.
func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	waitFor(t, d, what, cond)
	return time.Since(start)
}
