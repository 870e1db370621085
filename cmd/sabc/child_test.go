package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childEnv makes the test binary run `sabc serve` instead of the tests, so
// a test can start the real server as a separate process (and kill -9 it)
// without building the binary first.
const childEnv = "SABC_TEST_CHILD_SERVE"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, []string{"serve"}, stdio{os.Stdin, os.Stdout, os.Stderr})
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// child is a `sabc serve` process started by startChild.
type child struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	log  string // its stderr, for failure messages
}

// startChild starts `sabc serve` on a free loopback port with env (KEY=value
// pairs on top of the test's environment) and waits until it listens. The
// process is killed when the test ends.
func startChild(t *testing.T, env ...string) *child {
	t.Helper()
	c := &child{log: filepath.Join(t.TempDir(), "serve.log")}
	logf, err := os.Create(c.log)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	c.cmd = exec.Command(os.Args[0], "-test.run=^$")
	c.cmd.Env = append(os.Environ(), append([]string{childEnv + "=1", "SABC_ADDR=127.0.0.1:0"}, env...)...)
	c.cmd.Stderr = logf
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.cmd.Process.Kill(); c.cmd.Wait() })
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if addr, ok := strings.CutPrefix(sc.Text(), "SABC is running at "); ok {
				ready <- strings.TrimSuffix(addr, "/")
			}
		}
	}()
	select {
	case c.base = <-ready:
		return c
	case <-time.After(60 * time.Second):
		b, _ := os.ReadFile(c.log)
		t.Fatalf("sabc serve did not start within 60 s; its log:\n%s", b)
		return nil
	}
}

// kill9 sends SIGKILL and waits for the process to be gone. It may run on
// any goroutine, so it reports with Error, not Fatal.
func (c *child) kill9(t *testing.T) {
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Errorf("kill -9 sabc serve: %v", err)
	}
	c.cmd.Wait()
}
