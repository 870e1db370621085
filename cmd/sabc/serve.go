package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"golang.org/x/crypto/bcrypt"

	"sabc/internal/config"
	"sabc/internal/demo"
	"sabc/internal/store"
	"sabc/internal/web"
)

func init() {
	commands["serve"] = subcommand{summary: "run the web site (default command)", run: runServe}
}

func runServe(ctx context.Context, args []string, io stdio) error {
	cfg, err := loadConfig(flag.NewFlagSet("serve", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	a, err := newApp(ctx, cfg, io, func(ctx context.Context, s *store.Store) error {
		return firstRun(ctx, cfg, s, io)
	})
	if err != nil {
		return err
	}
	defer a.close()
	a.log.Info("starting sabc", "version", web.Version, "config", cfg.String())
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (SABC_ADDR): %w", cfg.Addr, err)
	}
	srv := a.web.HTTPServer()
	a.warm()
	a.watchHealth(ctx)
	fmt.Fprintf(io.out, "SABC is running at http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Readiness turns 503 first so load balancers stop sending traffic,
	// then in-flight requests drain.
	a.web.Health.SetShuttingDown()
	a.log.Info("shutting down: readiness is 503, draining requests", "delay", cfg.ShutdownDelay)
	time.Sleep(cfg.ShutdownDelay)
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	a.log.Info("stopped")
	return nil
}

// firstRun prepares an empty database: the demo club in development (unless
// SABC_DEMO=false), otherwise only the hint how to create the first admin.
// config.Validate has already refused SABC_DEMO=true in production.
func firstRun(ctx context.Context, cfg config.Config, s *store.Store, io stdio) error {
	if cfg.Demo && !cfg.Production() {
		return seedDemo(ctx, s, io)
	}
	return firstRunHint(ctx, s, io)
}

// firstRunHint tells the operator of a site without an admin how to make
// one. No account is ever created for them: a password printed here or set
// by default would be a password an outsider can know.
func firstRunHint(ctx context.Context, s *store.Store, io stdio) error {
	ok, err := s.HasAdmin(ctx)
	if err != nil || ok {
		return err
	}
	fmt.Fprintln(io.out, "No admin account yet. Create the first one (it asks for the password, or reads SABC_ADMIN_PASSWORD):\n"+
		"  sabc createadmin --email you@example.com --first Your --last Name\n"+
		"  (docker compose: docker compose run --rm --entrypoint /sabc app createadmin --email you@example.com)")
	return nil
}

// seedDemo creates the demo club in an empty database and prints the logins once.
func seedDemo(ctx context.Context, s *store.Store, io stdio) error {
	empty, err := s.IsEmpty(ctx)
	if err != nil || !empty {
		return err
	}
	fmt.Fprintln(io.out, "Empty database: creating the demo club (set SABC_DEMO=false to skip)…")
	hash, err := bcrypt.GenerateFromPassword([]byte(demo.Password), 12)
	if err != nil {
		return err
	}
	if err := demo.Generate(ctx, s, demo.Options{Now: s.Now(), PasswordHash: string(hash)}); err != nil {
		return err
	}
	fmt.Fprintf(io.out, "Demo logins (password %q for all):\n  admin   %s\n  officer %s\n  member  %s\n",
		demo.Password, demo.AdminEmail, demo.OfficerEmail, demo.MemberEmail)
	return nil
}
