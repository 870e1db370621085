// Command sabc runs the South Austin Bass Club site and its operator tools.
//
// main only wires: it picks the subcommand, sets up signal handling and maps
// errors to exit codes. Each subcommand lives in its own file.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// stdio is what a subcommand may read and write besides files.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// subcommand runs one verb of the binary.
type subcommand struct {
	summary string
	run     func(ctx context.Context, args []string, io stdio) error
}

// commands is filled by each subcommand file's init, so adding a verb touches one file.
var commands = map[string]subcommand{}

// exitError carries a specific exit status (e.g. 2 for invalid input).
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], stdio{os.Stdin, os.Stdout, os.Stderr}))
}

func run(ctx context.Context, args []string, io stdio) int {
	name := "serve"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	cmd, ok := commands[name]
	if !ok {
		usage(io.err)
		if name == "help" || name == "-h" || name == "--help" {
			return 0
		}
		return 2
	}
	if err := cmd.run(ctx, args, io); err != nil {
		fmt.Fprintf(io.err, "sabc %s: %v\n", name, err)
		var ee exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: sabc <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
}
