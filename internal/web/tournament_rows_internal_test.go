package web

import (
	"fmt"
	"html/template"
	"strings"
	"testing"

	"sabc/internal/club"
	"sabc/internal/scoring"
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

// TestBoatPayoutAndBigBassRowsMatchTheTemplate: the Go-written boats rows,
// place-money rows and big-bass winners print what the templates printed,
// for what the demo club lacks: a DQ'd boat with a reason, a buy-in, a solo
// boat, shared money, names with markup, both formats.
func TestBoatPayoutAndBigBassRowsMatchTheTemplate(t *testing.T) {
	place, points := 2, 0
	boats := []club.Boat{
		{ID: 1, Anglers: []club.BoatAngler{{PersonID: 3, FirstName: nasty, LastName: "A"}, {PersonID: 4, FirstName: "B", LastName: nasty}},
			TotalFish: 5, Net: 1234, TotalBigBass: 405, Place: &place, Points: &points, PrizeCents: 102550, Penalty: 25},
		{ID: 2, Anglers: []club.BoatAngler{{PersonID: 5, FirstName: "Solo", LastName: "C"}}, IsDQ: true, DQReason: nasty,
			TotalFish: 3, TotalDead: 1, Net: 7},
		{ID: 3, Anglers: []club.BoatAngler{{PersonID: 6, FirstName: "D", LastName: "E"}}, IsBuyIn: true},
	}
	for _, format := range []string{club.FormatTeam, club.FormatIndividual} {
		data := map[string]any{"Boats": boats, "Format": format}
		sameAsTemplate(t, "boats "+format, `{{range .Boats}}<tr class="{{if .IsDQ}}dq{{else if .IsBuyIn}}buyin{{end}}">
      <td class="num place">{{if .IsDQ}}DQ{{else if .Place}}{{deref .Place}}{{else}}–{{end}}</td>
      <th scope="row" class="name">{{range $i, $a := .Anglers}}<span class="crew">{{if $i}}&amp; {{end}}<a href="/anglers/{{$a.PersonID}}/">{{$a.FirstName}} {{$a.LastName}}</a></span>{{end}}{{if eq (len .Anglers) 1}} <span class="muted small">(solo)</span>{{end}}
        {{if .IsDQ}}<span class="why">Disqualified{{with .DQReason}}: {{.}}{{end}}</span>{{end}}{{if .IsBuyIn}} <span class="tag">buy-in</span>{{end}}</th>
      <td class="num" data-label="Fish">{{.TotalFish}}</td><td class="num" data-label="Dead">{{.TotalDead}}</td>
      <td class="num" data-label="Penalty">{{if .Penalty}}−{{weight .Penalty}}{{else}}<span class="muted">–</span>{{end}}</td>
      <td class="key num strong" data-label="Net">{{weight .Net}}</td>
      <td class="num" data-label="Big bass">{{if .TotalBigBass}}{{weight .TotalBigBass}}{{else}}<span class="muted">–</span>{{end}}</td>
      {{if eq $.Format "team"}}<td class="key num" data-label="Points">{{if .Points}}{{deref .Points}}{{else}}<span class="muted">–</span>{{end}}</td>{{end}}
      <td class="key num" data-label="Prize">{{if .PrizeCents}}{{money .PrizeCents}}{{else}}<span class="muted">–</span>{{end}}</td>
    </tr>{{end}}`, data, boatRows(boats, format == club.FormatTeam))
	}
	prizes := []scoring.Prize{{ID: 3, Name: nasty, Place: 1, Amount: 123456, Shared: 1},
		{ID: 4, Name: "Two & Three", Place: 2, Amount: 5000, Shared: 2}, {ID: 5, Name: "X", Place: 12, Amount: 1, Shared: 3}}
	for _, onBoats := range []bool{false, true} {
		pay := scoring.Payouts{OnBoats: onBoats, Places: prizes}
		sameAsTemplate(t, "payouts", `{{range .Pay.Places}}<tr><td>{{ordinal .Place}}</td><th scope="row">{{if $.Data.Pay.OnBoats}}{{.Name}}{{else}}<a href="/anglers/{{.ID}}/">{{.Name}}</a>{{end}}{{if gt .Shared 1}} <span class="muted small">(split {{.Shared}} ways)</span>{{end}}</th><td class="num">{{money .Amount}}</td></tr>{{end}}`,
			map[string]any{"Pay": pay, "Data": map[string]any{"Pay": pay}}, payoutRows(pay))
		bb := scoring.BigBass{OnBoats: onBoats, Weight: 812}
		sameAsTemplate(t, "big bass", `{{range .Winners}}<li>{{if $.Data.BigBass.OnBoats}}{{.Name}}{{else}}<a href="/anglers/{{.ID}}/">{{.Name}}</a>{{end}} — {{$.Data.BigBass.Weight}} lb wins {{money .Amount}}{{if gt .Shared 1}} (shared){{end}}</li>{{end}}`,
			map[string]any{"Winners": prizes, "Data": map[string]any{"BigBass": bb}}, bigBassWinners(prizes, bb))
	}
}

// TestPoundsPrintsWhatFmtPrinted: the fmt-free "weight" is the old
// fmt.Sprintf("%d.%02d") for every value, negative ones included.
func TestPoundsPrintsWhatFmtPrinted(t *testing.T) {
	for _, v := range []int64{0, 1, 9, 10, 99, 100, 101, 1234, 100000, 9223372036854775807, -1, -105, -100} {
		if got, want := pounds(v), fmt.Sprintf("%d.%02d", v/100, v%100); got != want {
			t.Errorf("pounds(%d) = %q, fmt printed %q", v, got, want)
		}
	}
}

// TestStatsItemsMatchTheTemplate: the Statistics list, with and without
// boats, prints what the template printed.
func TestStatsItemsMatchTheTemplate(t *testing.T) {
	for _, boats := range []int{0, 14} {
		st := scoring.TournamentStats{Anglers: 31, Boats: boats, Fish: 98, Net: 21234, Limits: 7, Zeros: 2, BuyIns: 1,
			DQs: 1, BiggestBass: 705, HeavyStringer: 1899, AverageWeight: 733}
		sameAsTemplate(t, "stats", `
    <div><dt>Anglers</dt><dd>{{.Stats.Anglers}}</dd></div>
    {{if .Stats.Boats}}<div><dt>Boats</dt><dd>{{.Stats.Boats}}</dd></div>{{end}}
    <div><dt>Fish weighed</dt><dd>{{.Stats.Fish}}</dd></div>
    <div><dt>Total weight</dt><dd>{{.Stats.Net}} lb</dd></div>
    <div><dt>Limits</dt><dd>{{.Stats.Limits}}</dd></div>
    <div><dt>Zeros</dt><dd>{{.Stats.Zeros}}</dd></div>
    <div><dt>Buy-ins</dt><dd>{{.Stats.BuyIns}}</dd></div>
    <div><dt>DQs</dt><dd>{{.Stats.DQs}}</dd></div>
    <div><dt>Biggest bass</dt><dd>{{.Stats.BiggestBass}} lb</dd></div>
    <div><dt>Heavy stringer</dt><dd>{{.Stats.HeavyStringer}} lb</dd></div>
    <div><dt>Average weight</dt><dd>{{.Stats.AverageWeight}} lb</dd></div>
  `, map[string]any{"Stats": st}, statsItems(st))
	}
}
