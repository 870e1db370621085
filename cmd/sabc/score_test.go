package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func runScoreCmd(t *testing.T, input string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"score"}, stdio{strings.NewReader(input), &out, &errOut})
	return code, out.String(), errOut.String()
}

func TestScoreCommand(t *testing.T) {
	// Spec V4 plus a dead fish and a guest: expected values worked out by hand.
	input := `{"rules": {"fish_limit": 5, "dead_fish_penalty": "0.25", "tie_break": ["fish", "big_bass"]},
	  "points_count": true,
	  "entries": [
	    {"angler": "A", "member": true, "fish": 5, "dead": 1, "gross": "15.25", "big_bass": "4.00"},
	    {"angler": "G", "member": false, "fish": 5, "gross": "13.00", "big_bass": "3.00"},
	    {"angler": "B", "member": true, "fish": 5, "gross": "12.00", "big_bass": "2.00"},
	    {"angler": "C", "member": true, "buy_in": true},
	    {"angler": "D", "member": true, "fish": 5, "gross": "14.00", "big_bass": "2.00", "dq": true, "dq_reason": "off limits"},
	    {"angler": "E", "member": true, "dq": true, "dq_points_allowed": true},
	    {"angler": "Z", "member": true},
	    {"angler": "L", "member": true, "fish": 3, "gross": "9.00", "big_bass": "3.00", "locked": {"place": 9, "points": 50}}
	  ]}`
	code, out, errOut := runScoreCmd(t, input)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	type result struct {
		Angler   string `json:"angler"`
		Penalty  string `json:"penalty"`
		Net      string `json:"net"`
		Place    *int   `json:"place"`
		Points   *int   `json:"points"`
		DQ       bool   `json:"dq"`
		DQReason string `json:"dq_reason"`
	}
	var got struct {
		Results []result `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	n := func(v int) *int { return &v }
	want := []result{
		{"A", "0.25", "15.00", n(1), n(100), false, ""},
		{"G", "0.00", "13.00", n(2), nil, false, ""},
		{"B", "0.00", "12.00", n(3), n(99), false, ""},
		{"C", "0.00", "0.00", n(6), n(95), false, ""},
		{"D", "0.00", "14.00", nil, n(0), true, "off limits"},
		{"E", "0.00", "0.00", nil, n(96), true, "disqualified"},
		{"Z", "0.00", "0.00", n(5), n(97), false, ""},
		{"L", "0.00", "9.00", n(9), n(50), false, ""},
	}
	if d := cmp.Diff(want, got.Results); d != "" {
		t.Errorf("results (-want +got):\n%s", d)
	}
}

func TestScoreCommandRefusesInvalidInput(t *testing.T) {
	tests := []struct{ name, input, field string }{
		{"over the limit", `{"entries": [{"angler": "A", "fish": 6, "gross": "10.00"}]}`, "entries[0].fish"},
		{"three decimals", `{"entries": [{"angler": "A", "fish": 5, "gross": "10.001"}]}`, "entries[0].gross"},
		{"unknown field", `{"entries": [{"angler": "A", "weight": "10.00"}]}`, `unknown field "weight"`},
		{"bad rule", `{"rules": {"place_style": "olympic"}, "entries": []}`, "rules.place_style"},
		{"wrong type", `{"entries": [{"angler": "A", "fish": "5"}]}`, "entries.fish"},
		{"not JSON", `fish`, "input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runScoreCmd(t, tc.input)
			if code != 2 || out != "" || !strings.Contains(errOut, tc.field) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and a message naming %s", code, out, errOut, tc.field)
			}
		})
	}
}
