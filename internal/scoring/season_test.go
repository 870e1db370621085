package scoring

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// v17Season is spec V17: T1 Ivan(M) 30/bb10, Gus(G) 20/bb9, Bob(M) 12/bb6,
// Alice(M) 10/bb3; T2 Alice 11/bb5.5, Bob zero. Entry IDs are angler IDs.
func v17Season(t *testing.T) ([]Outcome, []SeasonTournament) {
	ivan, gus, bob, alice := row("Ivan", true, "30.00", 5, "10.00"), row("Gus", false, "20.00", 5, "9.00"),
		row("Bob", true, "12.00", 5, "6.00"), row("Alice", true, "10.00", 5, "3.00")
	ivan.ID, gus.ID, bob.ID, alice.ID = 1, 2, 3, 4
	alice2, bob2 := row("Alice", true, "11.00", 5, "5.50"), zero("Bob", true)
	alice2.ID, bob2.ID = 4, 3
	var outs []Outcome
	var season []SeasonTournament
	for i, es := range [][]Entry{{ivan, gus, bob, alice}, {alice2, bob2}} {
		tt := Tournament{ID: int64(i + 1), Name: fmt.Sprintf("T%d", i+1), PointsCount: true, Entries: es}
		o, err := Score(DefaultRules(), tt)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, o)
		season = append(season, SeasonTournament{ID: tt.ID, Name: tt.Name, PointsCount: true, Results: SeasonResults(o)})
	}
	return outs, season
}

func testV17(t *testing.T) {
	outs, season := v17Season(t)
	if d := cmp.Diff([]string{"1/100", "2/-", "3/99", "4/98"}, placesPoints(outs[0])); d != "" {
		t.Errorf("T1 (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"1/100", "2/98"}, placesPoints(outs[1])); d != "" {
		t.Errorf("T2 (-want +got):\n%s", d)
	}
	var aoy []string
	for _, st := range Standings(DefaultRules(), season).Rows {
		aoy = append(aoy, fmt.Sprintf("%d %s %d (%d)", st.Rank, st.Name, st.Points, st.Events))
	}
	if d := cmp.Diff([]string{"1 Alice 198 (2)", "2 Bob 197 (2)", "3 Ivan 100 (1)"}, aoy); d != "" {
		t.Errorf("AoY (-want +got):\n%s", d)
	}
	catches := func(cs []Catch) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name+" "+c.Weight.String())
		}
		return out
	}
	if d := cmp.Diff([]string{"Ivan 30.00", "Gus 20.00", "Bob 12.00", "Alice 11.00", "Alice 10.00"},
		catches(HeavyStringers(DefaultRules(), season, 10))); d != "" {
		t.Errorf("heavy stringer (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"Ivan 10.00", "Gus 9.00", "Bob 6.00", "Alice 5.50"},
		catches(BigBassOfYear(DefaultRules(), season, 10))); d != "" {
		t.Errorf("big bass of the year (-want +got):\n%s", d)
	}
}

func TestStandingsDropWorstAndMinEvents(t *testing.T) {
	_, season := v17Season(t)
	r := DefaultRules()
	r.AoYDropWorst, r.AoYMinEvents = 1, 2
	aoy := Standings(r, season)
	var got []string
	for _, st := range aoy.Rows {
		got = append(got, fmt.Sprintf("%d %s %d dropped %d eligible %v cumulative %v", st.Rank, st.Name, st.Points, st.Dropped, st.Eligible, st.Cumulative))
	}
	// Drop one of two: Alice keeps 100, Bob 99, Ivan keeps his 100 (the missed T2 is
	// the 0 dropped) but has one event, below the minimum of two: listed last, unranked.
	want := []string{
		"1 Alice 100 dropped 98 eligible true cumulative [98 198]",
		"2 Bob 99 dropped 98 eligible true cumulative [99 197]",
		"0 Ivan 100 dropped 0 eligible false cumulative [100 100]",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestStandingsTieBreakChain(t *testing.T) {
	// Equal points: total weight decides, then the name never splits a rank.
	season := []SeasonTournament{{ID: 1, PointsCount: true, Results: []SeasonResult{
		{AnglerID: 1, Name: "Zed", Pointed: true, Points: 100, Net: 1500, Place: 1},
		{AnglerID: 2, Name: "Amy", Pointed: true, Points: 100, Net: 1400, Place: 1},
		{AnglerID: 3, Name: "Cal", Pointed: true, Points: 90, Net: 900, Place: 3},
		{AnglerID: 4, Name: "Bea", Pointed: true, Points: 90, Net: 900, Place: 3},
	}}}
	var got []string
	for _, st := range Standings(DefaultRules(), season).Rows {
		got = append(got, fmt.Sprintf("%d %s", st.Rank, st.Name))
	}
	if d := cmp.Diff([]string{"1 Zed", "2 Amy", "3 Bea", "3 Cal"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestProfileAndStats(t *testing.T) {
	outs, season := v17Season(t)
	aoy := Standings(DefaultRules(), season)
	p := AnglerProfile(4, season, &aoy)
	want := Profile{Events: 2, Wins: 1, Top3: 1, Points: 198, AoYRank: 1, Fish: 10, Weight: 21_00, BigBass: 5_50, BestFinish: 1}
	p.History = nil
	if d := cmp.Diff(want, p); d != "" {
		t.Errorf("Alice's profile (-want +got):\n%s", d)
	}
	st := Stats(outs[0])
	wantStats := TournamentStats{Anglers: 4, Fish: 20, Net: 72_00, Weighed: 4, Limits: 4, BiggestBass: 10_00,
		HeavyStringer: 30_00, AverageWeight: 18_00}
	if d := cmp.Diff(wantStats, st); d != "" {
		t.Errorf("T1 stats (-want +got):\n%s", d)
	}
}
