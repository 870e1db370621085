package web

import (
	"html/template"
	"strings"
	"testing"

	"sabc/internal/club"
)

// TestResultRowsEscapeTextLikeHTMLTemplate: the Go-written results rows
// escape names and DQ reasons exactly as html/template escapes element text,
// so a name like O'Brien & <Sons> +1 prints the same as it did through the
// template, and markup in a name stays text.
func TestResultRowsEscapeTextLikeHTMLTemplate(t *testing.T) {
	tmpl := template.Must(template.New("t").Parse(`{{.}}`))
	for _, s := range []string{`O'Brien & <Sons> +1`, `"quoted"`, "nul\x00byte", `<script>alert(1)</script>`, "José"} {
		var want strings.Builder
		if err := tmpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		if got := htmlText(s); got != want.String() {
			t.Errorf("htmlText(%q) = %q, html/template writes %q", s, got, want.String())
		}
		rows := string(resultRows([]club.Result{{PersonID: 7, FirstName: s, LastName: "X", OutDQ: true, OutDQReason: s}}))
		if strings.Count(rows, want.String()) != 2 || (strings.Contains(s, "<") && strings.Contains(rows, "<script")) {
			t.Errorf("row for %q does not carry the escaped name and reason:\n%s", s, rows)
		}
	}
}
