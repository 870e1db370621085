package web

import (
	"html/template"
	"strings"
	"testing"

	"sabc/internal/club"
	"sabc/internal/store"
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

// TestStandingRowsMarkIneligibleAnglers: an angler not eligible for AoY has
// no rank, the "not eligible" tag and the ineligible row class (the demo club
// has none, so the page comparisons never see this branch); the top three
// eligible anglers are podium rows.
func TestStandingRowsMarkIneligibleAnglers(t *testing.T) {
	got := string(standingRows([]store.Standing{
		{PersonID: 3, Name: "Ann & Bo", Rank: 2, Points: 198, Events: 5, Wins: 1, Fish: 20, Net: 4512, Eligible: true},
		{PersonID: 9, Name: "Cy", Rank: 4, Points: 90, Events: 1, Fish: 3, Net: 812, BiggestBass: 405},
	}))
	want := `<tr class="podium p2">
      <td class="num place">2</td>
      <th scope="row" class="name"><a href="/anglers/3/">Ann &amp; Bo</a></th>
      <td class="key num strong" data-label="Points">198</td><td class="num" data-label="Events">5</td><td class="num" data-label="Wins">1</td><td class="num" data-label="Fish">20</td>
      <td class="key num" data-label="Weight">45.12</td><td class="num" data-label="Big bass"><span class="muted">–</span></td>
    </tr><tr class="ineligible">
      <td class="num place">–</td>
      <th scope="row" class="name"><a href="/anglers/9/">Cy</a> <span class="tag">not eligible</span></th>
      <td class="key num strong" data-label="Points">90</td><td class="num" data-label="Events">1</td><td class="num" data-label="Wins">0</td><td class="num" data-label="Fish">3</td>
      <td class="key num" data-label="Weight">8.12</td><td class="num" data-label="Big bass">4.05</td>
    </tr>`
	if got != want {
		t.Errorf("standing rows:\n%s\nwant:\n%s", got, want)
	}
}
