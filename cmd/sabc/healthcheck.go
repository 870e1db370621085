package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"
)

func init() {
	commands["healthcheck"] = subcommand{summary: "probe a running server's readiness (for container health checks)", run: runHealthcheck}
}

// runHealthcheck exits 0 when the server answers readiness with 200, 1 otherwise.
func runHealthcheck(ctx context.Context, args []string, io stdio) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	addr := os.Getenv("SABC_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8000"
	}
	url := fs.String("url", "http://"+addr+"/health/readiness/", "readiness URL to probe")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return exitError{2, err}
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return exitError{2, err}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("unreachable: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s", resp.Status)
	}
	fmt.Fprintln(io.out, "ok")
	return nil
}
