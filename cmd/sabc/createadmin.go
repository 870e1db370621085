package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"sabc/internal/club"
	"sabc/internal/store"
	"sabc/internal/web/forms"
)

func init() {
	commands["createadmin"] = subcommand{summary: "create an admin account (password from SABC_ADMIN_PASSWORD or stdin)", run: runCreateAdmin}
}

func runCreateAdmin(ctx context.Context, args []string, io stdio) error {
	fs := flag.NewFlagSet("createadmin", flag.ContinueOnError)
	email := fs.String("email", "", "login email (required)")
	first := fs.String("first", "Club", "first name")
	last := fs.String("last", "Admin", "last name")
	cfg, err := loadConfig(fs, args)
	if err != nil {
		return err
	}
	if !strings.Contains(*email, "@") {
		return exitError{2, errors.New("--email is required, e.g. --email president@example.com")}
	}
	password := os.Getenv("SABC_ADMIN_PASSWORD")
	if password == "" {
		fmt.Fprint(io.err, "Password (at least 12 characters): ")
		line, _ := bufio.NewReader(io.in).ReadString('\n')
		password = strings.TrimRight(line, "\r\n")
	}
	// The same policy as the site's own forms: an admin account is the last
	// one that should have "password1234".
	if err := forms.Password(password, *first, *last, *email); err != nil {
		return exitError{2, fmt.Errorf("password refused: %w", err)}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), 12)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, cfg, store.Options{}, nil)
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := s.CreatePerson(ctx, club.Person{Email: *email, PasswordHash: string(hash), FirstName: *first,
		LastName: *last, IsActive: true, IsAdmin: true, Member: true, EmailNews: true, EmailPolls: true})
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("an account with email %s already exists", *email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.out, "created admin #%d %s\n", id, *email)
	return nil
}
