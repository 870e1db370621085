package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"sabc/internal/config"
	"sabc/internal/store"
)

// loadConfig reads the environment, then lets flags override it.
func loadConfig(fs *flag.FlagSet, args []string) (config.Config, error) {
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return cfg, err
	}
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address (SABC_ADDR)")
	fs.StringVar(&cfg.DatabaseURL, "database-url", cfg.DatabaseURL, "SQLite path or postgres:// URL (DATABASE_URL)")
	fs.BoolVar(&cfg.Demo, "demo", cfg.Demo, "seed the demo club into an empty database (SABC_DEMO)")
	if err := fs.Parse(args); err != nil {
		return cfg, exitError{2, err}
	}
	return cfg, cfg.Validate()
}

// openStore connects and migrates. firstRun, when not nil, runs after the
// migrations under the same cluster-wide lock, so instances starting together
// on an empty database seed it once (issue 15).
func openStore(ctx context.Context, cfg config.Config, opt store.Options, firstRun func(context.Context, *store.Store) error) (*store.Store, error) {
	s, err := store.Open(ctx, cfg.DatabaseURL, opt)
	if err != nil {
		return nil, err
	}
	var step func(context.Context) error
	if firstRun != nil {
		step = func(ctx context.Context) error { return firstRun(ctx, s) }
	}
	if _, err := s.MigrateThen(ctx, step); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func init() {
	commands["migrate"] = subcommand{summary: "apply database migrations and exit", run: runMigrate}
}

func runMigrate(ctx context.Context, args []string, io stdio) error {
	cfg, err := loadConfig(flag.NewFlagSet("migrate", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	s, err := store.Open(ctx, cfg.DatabaseURL, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.out, "applied %d migration(s) to the %s database\n", n, s.Dialect.Name)
	return nil
}
