package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"sabc/internal/config"
)

// deployEnv collects the environment a shipped deploy file sets: the
// Dockerfile's ENV line, then the compose or Kubernetes entries on top.
func deployEnv(t *testing.T, file string) map[string]string {
	t.Helper()
	env := map[string]string{}
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, m := range regexp.MustCompile(`(?m)\b([A-Z_]+)=(\S+)`).FindAllStringSubmatch(
		regexp.MustCompile(`(?m)^ENV .*$`).FindString(read("../../deploy/Dockerfile")), -1) {
		env[m[1]] = m[2]
	}
	text := read(file)
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^\s+([A-Z][A-Z_]+): "?([^"\s]*)"?\s*$`),      // compose: KEY: value
		regexp.MustCompile(`(?m)\{name: ([A-Z_]+), value: "?([^"}\s]*)"?\}`), // k8s: {name: K, value: V}
	} {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			env[m[1]] = m[2]
		}
	}
	return env
}

// The shipped deploy files start in production without the demo club (its
// password is published) and pass the same validation `sabc serve` runs.
func TestDeployFilesNeverSeedTheDemoClub(t *testing.T) {
	for _, file := range []string{"../../deploy/compose.yaml", "../../deploy/kubernetes/sabc.yaml"} {
		env := deployEnv(t, file)
		cfg, err := config.FromEnv(func(k string) string { return env[k] })
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if !cfg.Production() || cfg.Demo {
			t.Errorf("%s: production=%v demo=%v; want production without the demo club", file, cfg.Production(), cfg.Demo)
		}
	}
}

// The compose file publishes the app ports directly, so nothing in front of
// the app may be trusted to name the client: a trusted range there lets any
// container or host in it reset its rate limits with X-Forwarded-For.
func TestComposeTrustsNoProxyWhilePublishingPorts(t *testing.T) {
	env := deployEnv(t, "../../deploy/compose.yaml")
	b, err := os.ReadFile("../../deploy/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "ports:") && env["TRUSTED_PROXIES"] != "" {
		t.Errorf("compose publishes app ports and trusts %s as proxies", env["TRUSTED_PROXIES"])
	}
}
