package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"

	"sabc/internal/config"
	"sabc/internal/demo"
	"sabc/internal/store"
)

func init() {
	commands["demo"] = subcommand{summary: "seed the deterministic demo club into an empty database", run: runDemo}
}

func runDemo(ctx context.Context, args []string, io stdio) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	scale := fs.Int("scale", 1, "multiply anglers and field sizes (10 for load tests)")
	seasons := fs.Int("seasons", 3, "number of seasons ending this year")
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := seedEmpty(ctx, cfg, demo.Options{Now: time.Now(), Scale: *scale, Seasons: *seasons}, 12); err != nil {
		return err
	}
	fmt.Fprintf(io.out, "demo club created in %s (scale %d, %d seasons); logins %s / %s / %s, password %q\n",
		time.Since(start).Round(time.Millisecond), *scale, *seasons, demo.AdminEmail, demo.OfficerEmail,
		demo.MemberEmail, demo.Password)
	return nil
}

// seedEmpty generates the demo club into cfg's database, which must have no
// people yet. cost is the bcrypt cost of the shared demo password hash.
func seedEmpty(ctx context.Context, cfg config.Config, o demo.Options, cost int) error {
	if cfg.Production() {
		return exitError{2, errors.New("the demo club is refused with SABC_ENV=production: its accounts have a published password")}
	}
	// The emptiness check and the seeding run under the migration lock, so
	// two seeders (or a starting server) cannot both find the database empty.
	s, err := openStore(ctx, cfg, store.Options{}, func(ctx context.Context, s *store.Store) error {
		empty, err := s.IsEmpty(ctx)
		if err != nil {
			return err
		}
		if !empty {
			return errors.New("the database already has people in it; the demo club only goes into an empty database")
		}
		hash, err := bcrypt.GenerateFromPassword([]byte(demo.Password), cost)
		if err != nil {
			return err
		}
		o.PasswordHash = string(hash)
		return demo.Generate(ctx, s, o)
	})
	if err != nil {
		return err
	}
	return s.Close()
}
