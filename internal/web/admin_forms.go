package web

import "sabc/internal/web/forms"

// maxClubForm bounds the club settings post (body.go's largeForms): the
// bylaws are the longest text typed into a form, pages of markdown. Other
// forms get maxFormBody.
const maxClubForm = 256 << 10

// textareaView is one multi-line input for partials/officer_fields.html.
type textareaView struct {
	Name, Label, Value, Error, Hint string
	Rows                            int
}

func formTextarea(f *forms.Form, name, label string, rows int, hint ...string) textareaView {
	v := textareaView{Name: name, Label: label, Value: f.Get(name), Error: f.Errors[name], Rows: rows}
	if len(hint) > 0 {
		v.Hint = hint[0]
	}
	return v
}
