package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, stdio{strings.NewReader(""), &out, &errOut})
	return code, out.String() + errOut.String()
}

// createadmin holds the admin account to the site's password policy, and a
// duplicate email is refused by name, not with a constraint dump.
func TestCreateAdminRefusesWeakPasswordAndDuplicateEmail(t *testing.T) {
	t.Setenv("DATABASE_URL", filepath.Join(t.TempDir(), "sabc.db"))
	t.Setenv("SABC_DEMO", "false")
	for _, weak := range []string{"password1234", "123456789012", "aaaaaaaaaaaa", "Presidentpresident"} {
		t.Setenv("SABC_ADMIN_PASSWORD", weak)
		code, out := runCmd(t, "createadmin", "--email", "president@example.com", "--first", "President")
		if code != 2 || !strings.Contains(out, "password refused") {
			t.Errorf("createadmin with %q: exit %d, %q; want 2 and a password-policy message", weak, code, out)
		}
	}
	t.Setenv("SABC_ADMIN_PASSWORD", "walleye trolling motor 42")
	if code, out := runCmd(t, "createadmin", "--email", "president@example.com"); code != 0 {
		t.Fatalf("createadmin with a good password: exit %d, %s", code, out)
	}
	code, out := runCmd(t, "createadmin", "--email", "President@Example.com")
	if code != 1 || !strings.Contains(out, "already exists") {
		t.Errorf("createadmin with a taken email (other case): exit %d, %q; want 1 and \"already exists\"", code, out)
	}
}

// healthcheck: 0 when ready, 1 when not ready or unreachable, 2 on bad flags.
func TestHealthcheckExitCodes(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
	}))
	defer srv.Close()
	url := srv.URL + "/health/readiness/"
	if code, out := runCmd(t, "healthcheck", "--url", url); code != 0 {
		t.Errorf("ready: exit %d (%s), want 0", code, out)
	}
	status = http.StatusServiceUnavailable
	if code, out := runCmd(t, "healthcheck", "--url", url); code != 1 || !strings.Contains(out, "503") {
		t.Errorf("not ready: exit %d (%s), want 1 naming the status", code, out)
	}
	srv.Close()
	if code, _ := runCmd(t, "healthcheck", "--url", url, "--timeout", "1s"); code != 1 {
		t.Errorf("unreachable: exit %d, want 1", code)
	}
	if code, _ := runCmd(t, "healthcheck", "--bogus"); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
}
