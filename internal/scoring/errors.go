package scoring

import "strings"

// FieldError is one refusal tied to a form or JSON field ("fish", "entries[2].dead"),
// so a form can print the message next to the input that caused it.
type FieldError struct {
	Field   string
	Message string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Errors is every refusal found in one input; it is returned whole so a form shows
// all problems at once instead of one per submit.
type Errors []FieldError

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

// For returns the message for field, or "" when that field is fine.
func (es Errors) For(field string) string {
	for _, e := range es {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// add appends a refusal.
func (es *Errors) add(field, msg string) { *es = append(*es, FieldError{field, msg}) }

// prefixed returns es with every field name under prefix ("entries[2]." + "fish").
func (es Errors) prefixed(prefix string) Errors {
	out := make(Errors, len(es))
	for i, e := range es {
		out[i] = FieldError{prefix + e.Field, e.Message}
	}
	return out
}

// orNil turns an empty list into a nil error, so callers can return it directly.
func (es Errors) orNil() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
