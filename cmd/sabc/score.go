package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"sabc/internal/scoring"
)

func init() {
	commands["score"] = subcommand{summary: "score one tournament: JSON on stdin, outcome JSON on stdout", run: runScore}
}

// runScore only wires stdin and stdout to the scoring package, which owns the JSON
// contract (docs/scoring.md) so it can be fuzzed there. Invalid input exits 2.
func runScore(ctx context.Context, args []string, io stdio) error {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	fs.SetOutput(io.err)
	if err := fs.Parse(args); err != nil {
		return exitError{code: 2, err: err}
	}
	if fs.NArg() > 0 {
		return exitError{code: 2, err: fmt.Errorf("unexpected argument %q: the input is read from stdin", fs.Arg(0))}
	}
	rules, t, err := scoring.DecodeScoreInput(io.in)
	if err == nil {
		var o scoring.Outcome
		if o, err = scoring.Score(rules, t); err == nil {
			return scoring.EncodeScoreOutput(io.out, o)
		}
	}
	var invalid scoring.Errors
	if errors.As(err, &invalid) {
		return exitError{code: 2, err: err}
	}
	return err
}
