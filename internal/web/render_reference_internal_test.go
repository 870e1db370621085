package web

import (
	"html/template"
	"strings"
	"testing"

	"sabc/internal/club"
)

// The Go-written parts of the hot pages (issue 16) must print exactly what
// the templates they replaced printed. The demo club pages are compared byte
// for byte (TestPageSnapshot); these tests cover what the demo club never
// has — markup and quotes in names, cancelled events, DQs, shared places —
// by running the replaced template text, kept here as the reference, on the
// same data as the Go writer.

// nasty is text a club officer could type that html/template escapes.
const nasty = `O'Brien & <b>Sons</b> "+1"`

// referenceFuncs are the template functions the replaced templates called,
// as render.go defines them.
var referenceFuncs = template.FuncMap{
	"weight":  pounds,
	"money":   money,
	"ordinal": ordinal,
	"deref":   deref,
	"titled":  club.TournamentTitle,
	"count":   count,
	"day":     func(d club.Date) string { return d.Format("Mon, Jan 2, 2006") },
}

// sameAsTemplate fails when got differs from what the reference template
// prints for data.
func sameAsTemplate(t *testing.T, name, reference string, data any, got template.HTML) {
	t.Helper()
	tmpl := template.Must(template.New(name).Funcs(referenceFuncs).Parse(reference))
	var want strings.Builder
	if err := tmpl.Execute(&want, data); err != nil {
		t.Fatalf("%s: reference template: %v", name, err)
	}
	if string(got) != want.String() {
		t.Errorf("%s: the Go writer and the template part at byte %d:\n got: %q\nwant: %q", name,
			partAt(string(got), want.String()), clip(string(got), want.String()), clip(want.String(), string(got)))
	}
}

func partAt(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// clip is a's text around where it parts from b.
func clip(a, b string) string {
	i := partAt(a, b)
	return a[max(0, i-80):min(len(a), i+80)]
}
