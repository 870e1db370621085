package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"sabc/internal/config"
	"sabc/internal/testutil"
)

// Production never seeds accounts with a known password: an empty database
// stays empty at start and the console says how to create the admin — even
// when the configuration's Demo flag got set some other way.
func TestProductionFirstRunCreatesNoAccounts(t *testing.T) {
	st := testutil.NewDB(t)
	cfg, err := config.FromEnv(func(k string) string {
		return map[string]string{"SABC_ENV": "production", "SABC_BASE_URL": "https://sabc.example"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Demo {
		t.Error("SABC_DEMO defaults to true in production")
	}
	cfg.Demo = true // a flag or a future default must not slip past
	var out bytes.Buffer
	if err := firstRun(context.Background(), cfg, st, stdio{strings.NewReader(""), &out, &out}); err != nil {
		t.Fatal(err)
	}
	if empty, err := st.IsEmpty(context.Background()); err != nil || !empty {
		t.Errorf("production start created accounts (empty=%v, err=%v); console: %s", empty, err, out.String())
	}
	if !strings.Contains(out.String(), "sabc createadmin") || strings.Contains(out.String(), "Demo logins") {
		t.Errorf("console should tell the operator to run createadmin, got %q", out.String())
	}
}

// Development keeps the quick start: an empty database gets the demo club
// and the printed logins.
func TestDevelopmentFirstRunSeedsDemo(t *testing.T) {
	st := testutil.NewDB(t)
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := firstRun(context.Background(), cfg, st, stdio{strings.NewReader(""), &out, &out}); err != nil {
		t.Fatal(err)
	}
	if ok, err := st.HasAdmin(context.Background()); err != nil || !ok {
		t.Errorf("development start has no demo admin (err %v)", err)
	}
	if !strings.Contains(out.String(), "Demo logins") {
		t.Errorf("console should print the demo logins, got %q", out.String())
	}
}

// `sabc demo` refuses production outright.
func TestDemoCommandRefusedInProduction(t *testing.T) {
	_, dbURL := testutil.NewDBURL(t)
	t.Setenv("DATABASE_URL", dbURL)
	t.Setenv("SABC_ENV", "production")
	t.Setenv("SABC_BASE_URL", "https://sabc.example")
	code, out := runCmd(t, "demo", "--seasons", "1")
	if code != 2 || !strings.Contains(out, "refused") {
		t.Errorf("sabc demo in production: exit %d, %q; want 2 and a refusal", code, out)
	}
}
