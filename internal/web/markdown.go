package web

import (
	"bytes"
	"html/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// md renders officer- and member-written markdown. goldmark's default
// renderer (no html.WithUnsafe) replaces raw HTML with a comment and drops
// javascript:/data: link targets, so what people type can never add
// script or markup of its own to a page.
var md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

// markdown is the template func: markdown text → safe HTML.
func markdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// Convert only fails on writer errors; a bytes.Buffer has none.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(buf.String()) // #nosec: sanitized by goldmark's safe mode above
}
