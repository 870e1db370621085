package obs

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestDashboardUsesRegisteredMetrics keeps deploy/grafana-dashboard.json
// honest: every metric a panel queries must be one NewMetrics registers.
func TestDashboardUsesRegisteredMetrics(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/grafana-dashboard.json")
	if err != nil {
		// The dashboard is committed with the code: missing is a failure, not a skip.
		t.Fatalf("deploy/grafana-dashboard.json: %v", err)
	}
	var dash struct {
		Panels []struct {
			Targets []struct{ Expr string } `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("dashboard is not valid JSON: %v", err)
	}
	registered := map[string]bool{}
	m := NewMetrics("x")
	v := reflect.ValueOf(m).Elem()
	fqName := regexp.MustCompile(`fqName: "([^"]+)"`)
	for i := range v.NumField() {
		c, ok := v.Field(i).Interface().(prometheus.Collector)
		if !ok || v.Type().Field(i).Name == "Registry" {
			continue
		}
		ch := make(chan *prometheus.Desc, 10)
		c.Describe(ch)
		close(ch)
		for d := range ch {
			registered[fqName.FindStringSubmatch(d.String())[1]] = true
		}
	}
	metricRef := regexp.MustCompile(`\b([a-z_]+_(?:total|seconds|info)(?:_bucket|_sum|_count)?)\b`)
	n := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, ref := range metricRef.FindAllStringSubmatch(tg.Expr, -1) {
				name := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(ref[1], "_bucket"), "_sum"), "_count")
				n++
				if !registered[name] {
					t.Errorf("dashboard queries %q, which obs does not register", ref[1])
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d metric references found: dashboard parse is broken", n)
	}
}
