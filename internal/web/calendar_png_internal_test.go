package web

import (
	"strings"
	"testing"
	"time"

	"sabc/internal/club"
)

// TestPNGAgendaPrintsDateTimeTitleAndLake: each month block of the printable
// calendar lists its entries with what a member needs on paper — the day,
// the times, the title and the lake with its ramp — and says how many more
// there are when the block is full.
func TestPNGAgendaPrintsDateTimeTitleAndLake(t *testing.T) {
	items := []calItem{
		{Kind: "holiday", Title: "Memorial Day", Date: club.NewDate(2026, time.May, 25)},
		{Kind: "tournament", Title: "May Granger Lake", Time: "6:30 AM–2:30 PM", Place: "Granger Lake · Taylor Park",
			Date: club.NewDate(2026, time.May, 31), Cancelled: true},
	}
	got := pngAgenda(items, 8)
	want := []string{"Mon 25 · Memorial Day", "Sun 31 · 6:30 AM–2:30 PM · May Granger Lake (cancelled)",
		"Granger Lake · Taylor Park"}
	if len(got) != len(want) {
		t.Fatalf("%d lines %+v, want %q", len(got), got, want)
	}
	for i, l := range got {
		if l.text != want[i] {
			t.Errorf("line %d = %q, want %q", i, l.text, want[i])
		}
	}
	if got[0].item == nil || got[2].item != nil {
		t.Error("a marker goes with each entry's first line only")
	}
	full := pngAgenda(append(items, items...), 3)
	if len(full) != 2 || !strings.HasPrefix(full[len(full)-1].text, "+3 more") {
		t.Errorf("a full block: %+v, want the first entry and \"+3 more\"", full)
	}
}
